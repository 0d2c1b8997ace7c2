//! A plan: one organisation's move, from needs to deploy.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::exit_plan::ExitPlan;
use super::organisation::Organisation;
use super::slots::Decision;
use super::slots::{DeployRecord, NeedsBoard, RecipeChoices, SsoSetup, ToolInventory};
use crate::validate::{FieldProblem, Problems, is_recipe_name};

/// The plan format this Ferry writes. Bump it with a migration in `exchange`.
/// 2: the needs board's vote has a state (open or ended) and an undo; version-1 files
/// load unchanged.
pub const SCHEMA_VERSION: u64 = 2;

/// Languages the app and its documents are complete in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "nb")]
    Nb,
    #[serde(rename = "de")]
    De,
    #[serde(rename = "es")]
    Es,
}

crate::all_values!(Language: En, Nb, De, Es);

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nb => "nb",
            Language::De => "de",
            Language::Es => "es",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Languages whose readers read one of Ferry's: Norwegian in general, and
    /// Nynorsk, read Bokmål.
    pub const READ_AS: [(&'static str, Language); 2] = [("no", Language::Nb), ("nn", Language::Nb)];

    /// Ferry's language for a BCP 47 tag (`nb-NO`, `nn`, `de`), by its first part;
    /// `None` when Ferry has none its readers read.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split('-').next()?.to_ascii_lowercase();
        Self::from_code(&primary).or_else(|| {
            Self::READ_AS
                .iter()
                .find(|(code, _)| *code == primary)
                .map(|(_, language)| *language)
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(type = "string")]
pub struct PlanId(pub Uuid);

impl PlanId {
    pub fn new() -> Self {
        PlanId(Uuid::new_v4())
    }
}

impl Default for PlanId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for PlanId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for PlanId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim()).map(PlanId)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Plan {
    pub id: PlanId,
    pub schema_version: u64,
    /// What the library calls the plan; starts as the organisation's name.
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases by one with every save; guards against saving over newer work.
    #[serde(default)]
    pub revision: u64,
    /// The language of the plan's documents (the app's own language is separate).
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub tools: ToolInventory,
    #[serde(default)]
    pub needs: NeedsBoard,
    #[serde(default)]
    pub recipes: RecipeChoices,
    #[serde(default)]
    pub sso: SsoSetup,
    #[serde(default)]
    pub exit_plan: ExitPlan,
    #[serde(default)]
    pub deploy: DeployRecord,
    /// What was typed into a number field that is not a number yet ("ca 45", "-5"),
    /// by field. Kept as typed in the draft and named as a problem; a saved plan never
    /// holds any (the field keeps its last valid value).
    #[serde(default)]
    pub typed: std::collections::BTreeMap<String, String>,
}

pub const MAX_PLAN_NAME: usize = 120;
pub const MAX_NOTES: usize = 2000;
/// The single sign-on member list: 50,000 people at about 80 characters each fit.
pub const MAX_MEMBERS_LIST: usize = 4_000_000;

impl Plan {
    /// A new, empty plan. The name must be usable (see [`check_plan_name`]).
    pub fn new(name: &str, language: Language) -> Result<Self, Vec<FieldProblem>> {
        let name = check_plan_name(name)?;
        let now = now();
        Ok(Plan {
            id: PlanId::new(),
            schema_version: SCHEMA_VERSION,
            organisation: Organisation {
                name: name.clone(),
                ..Default::default()
            },
            name,
            created_at: now,
            updated_at: now,
            revision: 0,
            language,
            tools: Default::default(),
            needs: Default::default(),
            recipes: Default::default(),
            sso: Default::default(),
            exit_plan: Default::default(),
            deploy: Default::default(),
            typed: Default::default(),
        })
    }

    /// Every problem in the plan, each naming its field.
    pub fn check(&self) -> Result<(), Vec<FieldProblem>> {
        let mut p = Problems::default();
        p.text("name", &self.name, true, MAX_PLAN_NAME);
        self.organisation.check("organisation", &mut p);
        self.check_needs(&mut p);
        self.check_tools(&mut p);
        for (field, text) in &self.typed {
            p.push(FieldProblem::new(field.as_str(), typed_problem(text)).with_value(text));
        }
        self.exit_plan.check("exit_plan", &mut p);
        p.text(
            "sso.members_list",
            &self.sso.members_list,
            false,
            MAX_MEMBERS_LIST,
        );
        p.into_result()
    }

    fn check_tools(&self, p: &mut Problems) {
        let tools = crate::tools::catalogue();
        for (i, t) in self.tools.tools.iter().enumerate() {
            let field = format!("tools.tools.{i}");
            if tools.get(&t.tool).is_none() {
                p.push(
                    FieldProblem::new(format!("{field}.tool"), "unknown_tool").with_value(&t.tool),
                );
            } else if self.tools.tools[..i].iter().any(|o| o.tool == t.tool) {
                p.push(FieldProblem::new(format!("{field}.tool"), "duplicate").with_value(&t.tool));
            }
            p.text(&format!("{field}.notes"), &t.notes, false, MAX_NOTES);
        }
    }

    fn check_needs(&self, p: &mut Problems) {
        let taxonomy = crate::needs::taxonomy();
        for (i, entry) in self.needs.needs.iter().enumerate() {
            let field = format!("needs.needs.{i}");
            if !taxonomy.contains(&entry.need) {
                p.push(
                    FieldProblem::new(format!("{field}.need"), "unknown_need")
                        .with_value(&entry.need),
                );
            } else if self.needs.needs[..i].iter().any(|e| e.need == entry.need) {
                p.push(
                    FieldProblem::new(format!("{field}.need"), "duplicate").with_value(&entry.need),
                );
            }
            p.text(&format!("{field}.notes"), &entry.notes, false, MAX_NOTES);
            p.text(&format!("{field}.who"), &entry.who, false, 200);
        }
        self.check_vote(p);
        for (i, choice) in self.recipes.choices.iter().enumerate() {
            if let Decision::Recipe { name } = &choice.decision
                && !is_recipe_name(name)
            {
                p.push(
                    FieldProblem::new(format!("recipes.choices.{i}.decision"), "unknown_recipe")
                        .with_value(name),
                );
            }
            if self.recipes.choices[..i]
                .iter()
                .any(|c| c.need == choice.need)
            {
                p.push(
                    FieldProblem::new(format!("recipes.choices.{i}.need"), "duplicate")
                        .with_value(&choice.need),
                );
            }
        }
    }
}

impl Plan {
    /// The dots stay within what the vote handed out; no dots without a vote.
    fn check_vote(&self, p: &mut Problems) {
        use super::vote::{MAX_DOTS_EACH, MAX_PARTICIPANTS, Vote};
        let used = self.needs.dots_used();
        let range = || {
            FieldProblem::new("needs.vote", "out_of_range")
                .with_value(format!("1–{MAX_PARTICIPANTS} × 1–{MAX_DOTS_EACH}"))
        };
        match &self.needs.vote {
            None if used > 0 => p.push(FieldProblem::new("needs.vote", "no_vote")),
            None => {}
            Some(v @ Vote::Open { .. }) if !v.open_budget().is_some_and(|v| v.in_range()) => {
                p.push(range())
            }
            // A room may count more people than a vote at the desk; each round had some.
            Some(Vote::Ended { rounds })
                if rounds.iter().any(|r| {
                    r.participants == 0 || !(1..=MAX_DOTS_EACH).contains(&r.dots_each)
                }) =>
            {
                p.push(range())
            }
            Some(vote) => {
                if let Some(total) = vote.total()
                    && used > total
                {
                    p.push(
                        FieldProblem::new("needs.vote", "too_many_dots")
                            .with_value(total.to_string()),
                    );
                }
            }
        }
    }
}

/// Why text typed into a number field is not a number: below zero, or not one at all.
fn typed_problem(text: &str) -> &'static str {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '−']).map(str::trim_start);
    if digits.is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())) {
        "negative"
    } else {
        "not_a_number"
    }
}

/// Trims a plan name and checks it; the error names the field `name`.
pub fn check_plan_name(name: &str) -> Result<String, Vec<FieldProblem>> {
    let mut p = Problems::default();
    p.text("name", name, true, MAX_PLAN_NAME);
    p.into_result().map(|()| name.trim().to_owned())
}

/// Timestamps are kept to the millisecond so that they survive JSON and SQLite unchanged.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_plan_takes_a_trimmed_name_and_names_the_organisation() {
        let plan = Plan::new("  Pasientforeningen  ", Language::Nb).unwrap();
        assert_eq!(plan.name, "Pasientforeningen");
        assert_eq!(plan.organisation.name, "Pasientforeningen");
        assert_eq!(plan.schema_version, SCHEMA_VERSION);
        assert_eq!(plan.language, Language::Nb);
        assert!(plan.check().is_ok());
    }

    #[test]
    fn blank_names_are_refused() {
        let err = Plan::new("   ", Language::En).unwrap_err();
        assert_eq!(err, [FieldProblem::new("name", "required")]);
    }

    #[test]
    fn needs_and_choices_are_checked_against_the_taxonomy() {
        use crate::model::slots::{Decision, NeedEntry};
        let mut plan = Plan::new("A", Language::En).unwrap();
        let entry = |need: &str| NeedEntry {
            need: need.into(),
            priority: Default::default(),
            notes: String::new(),
            who: String::new(),
            votes: 0,
        };
        plan.needs.needs = vec![
            entry("video_meetings"),
            entry("teleportation"),
            entry("video_meetings"),
        ];
        plan.recipes.set(
            "video_meetings",
            Decision::Recipe {
                name: "jitsi".into(),
            },
        );
        plan.recipes.set(
            "files",
            Decision::Recipe {
                name: "Next Cloud!".into(),
            },
        );
        let got: Vec<_> = plan
            .check()
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect();
        let want = [
            ("needs.needs.1.need", "unknown_need"),
            ("needs.needs.2.need", "duplicate"),
            ("recipes.choices.1.decision", "unknown_recipe"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
        plan.recipes.set("files", Decision::KeepCurrent);
        assert_eq!(plan.recipes.for_need("files"), Some(&Decision::KeepCurrent));
        assert_eq!(
            plan.recipes.choices.len(),
            2,
            "set replaces an earlier decision"
        );
    }

    #[test]
    fn dot_votes_stay_within_the_dots_handed_out() {
        use crate::model::slots::NeedEntry;
        use crate::model::vote::Vote;
        let mut plan = Plan::new("A", Language::En).unwrap();
        for (need, votes) in [("email", 4), ("files", 2)] {
            plan.needs.needs.push(NeedEntry {
                need: need.into(),
                priority: Default::default(),
                notes: String::new(),
                who: String::new(),
                votes,
            });
        }
        let codes = |plan: &Plan| -> Vec<String> {
            plan.check()
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(codes(&plan), ["no_vote"]);
        plan.needs.vote = Some(Vote::Open {
            participants: 2,
            dots_each: 3,
        });
        assert!(plan.check().is_ok(), "6 dots used of 6");
        plan.needs.needs[1].votes = 3;
        assert_eq!(codes(&plan), ["too_many_dots"]);
        plan.needs.vote = Some(Vote::Open {
            participants: 0,
            dots_each: 3,
        });
        assert_eq!(codes(&plan), ["out_of_range"]);
        plan.needs.vote = Some(Vote::Ended {
            rounds: vec![crate::model::DotVote {
                participants: 1,
                dots_each: 3,
            }],
        });
        assert_eq!(codes(&plan), ["too_many_dots"], "5 dots of 3");
        plan.needs.vote = Some(Vote::Ended { rounds: vec![] });
        assert!(plan.check().is_ok(), "an older plan's vote of unknown size");
    }

    #[test]
    fn text_typed_into_a_number_field_is_a_problem_until_it_reads() {
        let mut plan = Plan::new("A", Language::En).unwrap();
        plan.typed
            .insert("organisation.members".into(), "ca 45".into());
        plan.typed
            .insert("organisation.active_users".into(), "-5".into());
        let got: Vec<(String, String, Option<String>)> = plan
            .check()
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.code, p.value))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "organisation.active_users".into(),
                    "negative".into(),
                    Some("-5".into())
                ),
                (
                    "organisation.members".into(),
                    "not_a_number".into(),
                    Some("ca 45".into())
                ),
            ]
        );
    }

    #[test]
    fn language_codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
            assert_eq!(
                serde_json::to_string(&l).unwrap(),
                format!("\"{}\"", l.code())
            );
        }
        assert_eq!(Language::from_code("xx"), None);
    }
}
