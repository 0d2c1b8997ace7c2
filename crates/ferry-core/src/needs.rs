//! The needs taxonomy: what an organisation may need, what it uses for it today,
//! and which recipes can serve it. Versioned, hand-reviewed data in
//! `data/needs.json`; need names and help texts are in the message catalogues
//! (`need.<id>.name`), product names are brands and stay as they are.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const NEEDS_JSON: &str = include_str!("../data/needs.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NeedGroup {
    Communication,
    Documents,
    Organising,
    Public,
    Security,
}

crate::all_values!(NeedGroup: Communication, Documents, Organising, Public, Security);

/// How well a recipe covers a need on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    Partial,
    Full,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Replaces {
    pub google: Vec<String>,
    pub microsoft: Vec<String>,
    pub other: Vec<String>,
}

impl Replaces {
    /// The products of `suite` this need usually replaces.
    pub fn in_suite(&self, suite: crate::tools::Suite) -> &[String] {
        match suite {
            crate::tools::Suite::Google => &self.google,
            crate::tools::Suite::Microsoft => &self.microsoft,
            crate::tools::Suite::Other => &self.other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Candidate {
    pub recipe: String,
    pub fit: Fit,
}

/// How a need's data leaves each kind of provider: keys into the message
/// catalogues (`export_method.<key>.name` / `.preconditions`) and the file formats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportFacts {
    pub google: String,
    pub microsoft: String,
    pub other: String,
    /// File format names, which need no translation.
    pub formats: String,
}

impl ExportFacts {
    /// The export-method key for data leaving `suite`.
    pub fn method(&self, suite: crate::tools::Suite) -> &str {
        match suite {
            crate::tools::Suite::Google => &self.google,
            crate::tools::Suite::Microsoft => &self.microsoft,
            crate::tools::Suite::Other => &self.other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NeedDef {
    pub id: String,
    pub group: NeedGroup,
    pub replaces: Replaces,
    pub candidates: Vec<Candidate>,
    /// Known migration problems, as keys `friction.<key>` in the message catalogues.
    pub friction: Vec<String>,
    pub export: ExportFacts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Taxonomy {
    pub version: u32,
    pub needs: Vec<NeedDef>,
}

impl Taxonomy {
    pub fn get(&self, id: &str) -> Option<&NeedDef> {
        self.needs.iter().find(|n| n.id == id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
}

/// The taxonomy shipped with this Ferry (checked by the tests below).
pub fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| serde_json::from_str(NEEDS_JSON).expect("data/needs.json is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn taxonomy_is_well_formed() {
        let t = taxonomy();
        assert!(t.needs.len() >= 24);
        let ids: BTreeSet<_> = t.needs.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids.len(), t.needs.len(), "need ids are unique");
        for n in &t.needs {
            assert!(
                n.id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                n.id
            );
            assert!(!n.candidates.is_empty(), "{} has no candidate recipe", n.id);
            let recipes: BTreeSet<_> = n.candidates.iter().map(|c| &c.recipe).collect();
            assert_eq!(
                recipes.len(),
                n.candidates.len(),
                "{}: a recipe listed twice",
                n.id
            );
        }
        for id in [
            "email",
            "calendar",
            "files",
            "spreadsheets",
            "video_meetings",
            "team_chat",
            "forms",
            "passwords",
        ] {
            assert!(t.contains(id), "{id}");
        }
    }
}
