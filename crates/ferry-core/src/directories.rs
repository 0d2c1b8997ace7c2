//! Public directories where an organisation can look for a hosting co-op or a libre
//! hoster. Ferry points at the lists and vouches for none of the co-ops on them; the
//! addresses live here, so the window and the CLI never take one from outside.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CoopDirectory {
    /// The Co-op Cloud Federation: co-ops that run the same recipes as the plan.
    CoopCloud,
    /// Librehosters: a network of hosters of free software.
    Librehosters,
    /// CHATONS: a French-speaking collective of independent hosters.
    Chatons,
}

crate::all_values!(CoopDirectory: CoopCloud, Librehosters, Chatons);

impl CoopDirectory {
    /// Where the directory is published.
    pub fn url(self) -> &'static str {
        match self {
            CoopDirectory::CoopCloud => "https://docs.coopcloud.tech/federation/",
            CoopDirectory::Librehosters => "https://libreho.st/",
            CoopDirectory::Chatons => "https://www.chatons.org/",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_directory_is_an_https_address_of_its_own() {
        let urls: Vec<&str> = CoopDirectory::ALL.iter().map(|d| d.url()).collect();
        for u in &urls {
            assert!(u.starts_with("https://") && u.ends_with('/'), "{u}");
        }
        let mut unique = urls.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), urls.len());
    }
}
