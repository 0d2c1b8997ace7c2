//! The catalogue shipped inside Ferry, so that it works offline from the first start.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use crate::recipe::{Recipes, parse_catalogue};

const RECIPES: &str = include_str!("../data/recipes-snapshot.json");
const META: &str = include_str!("../data/snapshot-meta.json");

#[derive(Deserialize)]
struct Meta {
    date: NaiveDate,
    provenance: String,
    score_sources: BTreeMap<String, String>,
}

pub struct Snapshot {
    pub recipes: Recipes,
    pub date: DateTime<Utc>,
    pub provenance: String,
    /// Recipe name → where its scores come from.
    pub score_sources: BTreeMap<String, String>,
}

/// The bundled catalogue. Its files are checked by this crate's tests, so this
/// cannot fail at run time.
pub fn bundled() -> Snapshot {
    let meta: Meta = serde_json::from_str(META).expect("bundled snapshot-meta.json is valid");
    let parsed = parse_catalogue(RECIPES).expect("bundled recipes-snapshot.json is valid");
    Snapshot {
        recipes: parsed.recipes,
        date: meta
            .date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc(),
        provenance: meta.provenance,
        score_sources: meta.score_sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Score;

    #[test]
    fn the_bundled_catalogue_reads_cleanly_and_invents_nothing() {
        let parsed = parse_catalogue(RECIPES).unwrap();
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        let snap = bundled();
        assert!(snap.recipes.len() >= 60);
        for name in snap.score_sources.keys() {
            assert!(
                snap.recipes.get(name).is_some(),
                "score source for unknown recipe {name}"
            );
        }
        // Recipes without a named source have no scores at all.
        for r in snap
            .recipes
            .iter()
            .filter(|r| !snap.score_sources.contains_key(&r.name))
        {
            assert_eq!(r.status.level, None, "{}", r.name);
            assert_eq!(r.sso.score, Score::Unknown, "{}", r.name);
            assert_eq!(r.backups.score, Score::Unknown, "{}", r.name);
        }
        let wp = snap.recipes.get("wordpress").unwrap();
        assert_eq!(
            (wp.status.level, wp.sso.score, wp.backups.score),
            (Some(3), Score::No, Score::Yes)
        );
    }
}
