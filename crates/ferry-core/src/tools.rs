//! The tools organisations use today (Google Workspace, Microsoft 365 and common
//! others), each with the needs it serves and its migration facts: how its data
//! leaves and what will not come across. Reviewed data in `data/tools.json`; names
//! are in the message catalogues as `tool.<id>` (brands stay as they are).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Plan;

const TOOLS_JSON: &str = include_str!("../data/tools.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Suite {
    Google,
    Microsoft,
    Other,
}

crate::all_values!(Suite: Google, Microsoft, Other);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ToolDef {
    pub id: String,
    pub suite: Suite,
    /// Needs (taxonomy ids) this tool serves; ticking the tool proposes them.
    pub needs: Vec<String>,
    /// Export method key, `export_method.<key>.name` / `.preconditions`.
    pub export: String,
    /// What will not come across, as `friction.<key>` messages.
    pub losses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ToolCatalogue {
    pub version: u32,
    pub tools: Vec<ToolDef>,
}

impl ToolCatalogue {
    pub fn get(&self, id: &str) -> Option<&ToolDef> {
        self.tools.iter().find(|t| t.id == id)
    }
}

pub fn catalogue() -> &'static ToolCatalogue {
    static C: OnceLock<ToolCatalogue> = OnceLock::new();
    C.get_or_init(|| serde_json::from_str(TOOLS_JSON).expect("data/tools.json is valid"))
}

/// The ticked tools that serve `need`, in the order they were ticked.
pub fn used_for<'a>(plan: &'a Plan, need: &str) -> impl Iterator<Item = &'a str> {
    plan.tools
        .tools
        .iter()
        .filter(move |u| {
            catalogue()
                .get(&u.tool)
                .is_some_and(|d| d.needs.iter().any(|n| n == need))
        })
        .map(|u| u.tool.as_str())
}

/// Whether a migration problem (`friction.<key>`) is the plan's to face: one named
/// after a tool (`facebook_groups`) only when that tool is ticked; any other always.
pub fn friction_applies(plan: &Plan, key: &str) -> bool {
    catalogue().get(key).is_none() || plan.tools.tools.iter().any(|u| u.tool == key)
}

/// One suite of the Tools step, in the order the step shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SuiteShown {
    pub suite: Suite,
    /// Shown closed, to be opened on request: a suite the organisation is not
    /// leaving (Microsoft's tools for a Google organisation) with nothing ticked in it.
    pub folded: bool,
}

/// The suites for the Tools step: the organisation's own first, then the common
/// others, then the rest folded. Nothing is folded while the provider is unknown or
/// mixed, nor a suite with a ticked tool — a choice made is never hidden.
pub fn suites_for(plan: &Plan) -> Vec<SuiteShown> {
    let own = crate::model::CurrentProvider::suites(plan.organisation.current_provider);
    let known = matches!(
        plan.organisation.current_provider,
        Some(p) if p != crate::model::CurrentProvider::None
            && p != crate::model::CurrentProvider::Mixed
    );
    let ticked = |suite: Suite| {
        plan.tools
            .tools
            .iter()
            .any(|u| catalogue().get(&u.tool).is_some_and(|d| d.suite == suite))
    };
    let mut order: Vec<Suite> = own.to_vec();
    for suite in Suite::ALL {
        if !order.contains(&suite) {
            order.push(suite);
        }
    }
    // The common others (WhatsApp, Dropbox …) belong to everyone: right after one's own.
    if let Some(i) = order.iter().position(|s| *s == Suite::Other) {
        let other = order.remove(i);
        let lead = own.iter().filter(|s| **s != Suite::Other).count();
        order.insert(lead, other);
    }
    order
        .into_iter()
        .map(|suite| SuiteShown {
            suite,
            folded: known && !own.contains(&suite) && suite != Suite::Other && !ticked(suite),
        })
        .collect()
}

/// Needs the ticked tools serve that are not on the needs board yet, in tool order.
pub fn proposed_needs(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for used in &plan.tools.tools {
        let Some(def) = catalogue().get(&used.tool) else {
            continue;
        };
        for need in &def.needs {
            let on_board = plan.needs.needs.iter().any(|n| &n.need == need);
            if !on_board && !out.contains(need) {
                out.push(need.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Language, NeedEntry, ToolUse};

    #[test]
    fn the_catalogue_is_well_formed_and_speaks_every_language() {
        let c = catalogue();
        let taxonomy = crate::needs::taxonomy();
        for (i, t) in c.tools.iter().enumerate() {
            assert!(c.tools[..i].iter().all(|o| o.id != t.id), "{} twice", t.id);
            assert!(!t.needs.is_empty(), "{} serves no need", t.id);
            for n in &t.needs {
                assert!(taxonomy.contains(n), "{}: unknown need {n}", t.id);
            }
            for lang in Language::ALL {
                for key in std::iter::once(format!("tool.{}", t.id))
                    .chain([format!("export_method.{}.name", t.export)])
                    .chain(t.losses.iter().map(|l| format!("friction.{l}")))
                {
                    assert_ne!(
                        crate::messages::text(lang, &key, &[]),
                        key,
                        "{key} missing in {lang:?}"
                    );
                }
            }
        }
        for suite in [Suite::Google, Suite::Microsoft, Suite::Other] {
            assert!(c.tools.iter().filter(|t| t.suite == suite).count() >= 10);
        }
    }

    fn shown(plan: &Plan) -> Vec<(Suite, bool)> {
        suites_for(plan)
            .into_iter()
            .map(|s| (s.suite, s.folded))
            .collect()
    }

    #[test]
    fn the_tools_step_leads_with_the_suite_being_left_and_folds_the_other() {
        use crate::model::CurrentProvider as P;
        let mut plan = Plan::new("A", Language::En).unwrap();
        let all_open = [
            (Suite::Google, false),
            (Suite::Microsoft, false),
            (Suite::Other, false),
        ];
        assert_eq!(
            shown(&plan),
            [
                (Suite::Other, false),
                (Suite::Google, false),
                (Suite::Microsoft, false)
            ]
        );
        plan.organisation.current_provider = Some(P::Mixed);
        assert_eq!(shown(&plan), all_open);
        plan.organisation.current_provider = Some(P::GoogleNonprofit);
        assert_eq!(
            shown(&plan),
            [
                (Suite::Google, false),
                (Suite::Other, false),
                (Suite::Microsoft, true)
            ]
        );
        plan.organisation.current_provider = Some(P::Microsoft365);
        assert_eq!(
            shown(&plan),
            [
                (Suite::Microsoft, false),
                (Suite::Other, false),
                (Suite::Google, true)
            ]
        );
        // A ticked Google tool keeps Google open for a Microsoft organisation.
        plan.tools.tools.push(ToolUse {
            tool: "gmail".into(),
            ..Default::default()
        });
        assert_eq!(
            shown(&plan),
            [
                (Suite::Microsoft, false),
                (Suite::Other, false),
                (Suite::Google, false)
            ]
        );
    }

    #[test]
    fn ticked_tools_propose_the_needs_not_yet_on_the_board() {
        let mut plan = Plan::new("A", Language::En).unwrap();
        for tool in ["outlook", "teams", "gmail"] {
            plan.tools.tools.push(ToolUse {
                tool: tool.into(),
                ..Default::default()
            });
        }
        plan.needs.needs.push(NeedEntry {
            need: "calendar".into(),
            priority: Default::default(),
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        assert_eq!(
            proposed_needs(&plan),
            ["email", "contacts", "team_chat", "video_meetings"]
        );
    }
}
