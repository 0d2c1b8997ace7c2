//! Which group an imported group becomes on the identity provider: its own (named
//! after it), the standard `board`, or none besides `members`. Ferry proposes — a
//! group called "styret" or "Vorstand" is most likely the board — and the person
//! decides before anything reaches the plan.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ImportError;
use crate::preview::Preview;

pub const BOARD: &str = "board";
pub const MEMBERS: &str = "members";

/// Group names (as slugs) that mean the board in the four languages Ferry speaks.
const BOARD_NAMES: &[&str] = &[
    "board",
    "the-board",
    "styret",
    "styre",
    "hovedstyret",
    "vorstand",
    "junta",
    "junta-directiva",
    "directiva",
];

/// Ferry's proposal for a group whose slug is `slug`.
pub fn proposal(slug: &str) -> String {
    if BOARD_NAMES.contains(&slug) || slug.is_empty() {
        if slug.is_empty() { MEMBERS } else { BOARD }.to_owned()
    } else {
        slug.to_owned()
    }
}

/// What a group may become: its own group, the board, or only `members`.
pub fn options(slug: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in [slug, BOARD, MEMBERS] {
        if !o.is_empty() && !out.iter().any(|x| x == o) {
            out.push(o.to_owned());
        }
    }
    out
}

/// What the person confirmed in the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Choices {
    /// Put the people on the single sign-on member list.
    pub people: bool,
    /// Groups the person changed from Ferry's proposal; the others keep it.
    pub groups: Vec<GroupChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GroupChoice {
    /// The group as the export names it.
    pub group: String,
    /// One of that group's `options`.
    pub into: String,
}

/// Every imported group and the group it becomes.
#[derive(Debug, Clone, Default)]
pub struct GroupMap(BTreeMap<String, String>);

impl GroupMap {
    /// Ferry's proposals, for every group in the preview.
    pub fn proposed(preview: &Preview) -> Self {
        GroupMap(
            preview
                .groups
                .iter()
                .map(|g| (g.group.clone(), g.proposed.clone()))
                .collect(),
        )
    }

    /// The proposals with the person's choices; a choice for a group the preview does
    /// not have, or into something not among its options, is refused.
    pub fn chosen(preview: &Preview, choices: &[GroupChoice]) -> Result<Self, ImportError> {
        let mut map = Self::proposed(preview);
        for c in choices {
            let allowed = preview
                .groups
                .iter()
                .find(|g| g.group == c.group)
                .is_some_and(|g| g.options.contains(&c.into));
            if !allowed {
                return Err(ImportError::GroupChoice {
                    group: c.group.clone(),
                });
            }
            map.0.insert(c.group.clone(), c.into.clone());
        }
        Ok(map)
    }

    /// The group `group` becomes (`members` for one the preview does not know).
    pub fn target(&self, group: &str) -> &str {
        self.0.get(group).map_or(MEMBERS, String::as_str)
    }

    /// Groups to create besides the standard `members` and `board`.
    pub fn extra_groups(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .0
            .values()
            .filter(|t| t.as_str() != MEMBERS && t.as_str() != BOARD)
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_board_is_proposed_in_each_language_and_other_groups_keep_their_name() {
        for s in ["styret", "vorstand", "junta-directiva", "board"] {
            assert_eq!(proposal(s), BOARD, "{s}");
        }
        assert_eq!(proposal("alle"), "alle");
        assert_eq!(options("alle"), ["alle", BOARD, MEMBERS]);
        assert_eq!(options("board"), [BOARD, MEMBERS]);
    }
}
