//! How far a plan is, step by step, for the sidebar (not started, open points, or
//! done), and what in it is worth a second look. The rules live here so the window
//! only shows what the engine decides.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{ExitPlan, Plan, Priority};
use crate::validate::FieldProblem;

/// The steps of a plan, in the order a person goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    Organisation,
    Tools,
    Needs,
    Recipes,
    Sso,
    Exit,
    Deploy,
}

impl StepId {
    pub const ALL: [StepId; 7] = [
        StepId::Organisation,
        StepId::Tools,
        StepId::Needs,
        StepId::Recipes,
        StepId::Sso,
        StepId::Exit,
        StepId::Deploy,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    NotStarted,
    /// Begun, with something still to answer or fix.
    Open,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StepProgress {
    pub step: StepId,
    pub status: StepStatus,
}

/// The plan's steps and notices, as the window shows them beside the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanStatus {
    pub steps: Vec<StepProgress>,
    /// Possible but unusual values, asked about at their field (never blocking).
    pub notices: Vec<FieldProblem>,
}

pub fn status(plan: &Plan) -> PlanStatus {
    PlanStatus {
        steps: progress(plan),
        notices: plan.organisation.notices("organisation"),
    }
}

/// Each step's status, in order.
pub fn progress(plan: &Plan) -> Vec<StepProgress> {
    let problems = plan.check().err().unwrap_or_default();
    let troubled = |prefix: &str| problems.iter().any(|p| p.field.starts_with(prefix));
    StepId::ALL
        .into_iter()
        .map(|step| {
            let (started, done) = match step {
                StepId::Organisation => organisation(plan),
                StepId::Tools => {
                    let any = !plan.tools.tools.is_empty();
                    (any, any)
                }
                StepId::Needs => {
                    let any = !plan.needs.needs.is_empty();
                    (any, any)
                }
                StepId::Recipes => recipes(plan),
                StepId::Sso => (
                    plan.sso.idp.is_some(),
                    !plan.sso.results.is_empty() && plan.sso.results.iter().all(|r| r.works),
                ),
                StepId::Exit => (
                    plan.exit_plan != ExitPlan::default(),
                    crate::exit::gaps(plan).is_empty(),
                ),
                StepId::Deploy => (
                    !plan.deploy.base_domain.trim().is_empty() || !plan.deploy.orders.is_empty(),
                    !plan.deploy.orders.is_empty(),
                ),
            };
            let prefix = match step {
                StepId::Organisation => "organisation",
                StepId::Tools => "tools",
                StepId::Needs => "needs",
                StepId::Recipes => "recipes",
                StepId::Sso => "sso",
                StepId::Exit => "exit_plan",
                StepId::Deploy => "deploy",
            };
            let status = if !started {
                StepStatus::NotStarted
            } else if done && !troubled(prefix) {
                StepStatus::Done
            } else {
                StepStatus::Open
            };
            StepProgress { step, status }
        })
        .collect()
}

/// Begun once anything beyond the name is answered; done when what the
/// recommendations and the exit plan rely on is answered.
fn organisation(plan: &Plan) -> (bool, bool) {
    let o = &plan.organisation;
    let answers = [
        o.members.is_some(),
        o.current_provider.is_some(),
        o.technical_capacity.is_some(),
        o.data_sensitivity.is_some(),
        !o.countries.is_empty(),
    ];
    (answers.iter().any(|a| *a), answers.iter().all(|a| *a))
}

/// Begun with one decision; done when every need that must or should be met has one.
/// "Decide later" is a decision: the step says it is a good answer, so it must not
/// leave the step open (the exit plan still lists it as something to settle).
fn recipes(plan: &Plan) -> (bool, bool) {
    let decided = |need: &str| plan.recipes.choices.iter().any(|c| c.need == need);
    let wanted: Vec<&str> = plan
        .needs
        .needs
        .iter()
        .filter(|n| matches!(n.priority, Priority::Must | Priority::Should))
        .map(|n| n.need.as_str())
        .collect();
    (
        !plan.recipes.choices.is_empty(),
        !wanted.is_empty() && wanted.iter().all(|n| decided(n)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Decision, Language, NeedEntry, RecipeChoice};

    fn status(plan: &Plan, step: StepId) -> StepStatus {
        progress(plan)
            .into_iter()
            .find(|p| p.step == step)
            .unwrap()
            .status
    }

    #[test]
    fn a_new_plan_has_nothing_started_and_answers_move_steps_on() {
        let mut plan = Plan::new("Forening", Language::Nb).unwrap();
        assert!(
            progress(&plan)
                .iter()
                .all(|p| p.status == StepStatus::NotStarted)
        );
        plan.organisation.members = Some(60);
        assert_eq!(status(&plan, StepId::Organisation), StepStatus::Open);
        plan.needs.needs.push(NeedEntry {
            need: "email".into(),
            priority: Priority::Must,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        plan.recipes.choices.push(RecipeChoice {
            need: "email".into(),
            decision: Decision::DecideLater,
        });
        assert_eq!(status(&plan, StepId::Needs), StepStatus::Done);
        assert_eq!(status(&plan, StepId::Recipes), StepStatus::Done);
        plan.needs.needs.push(NeedEntry {
            need: "files".into(),
            priority: Priority::Should,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        assert_eq!(status(&plan, StepId::Recipes), StepStatus::Open);
        plan.recipes.choices.push(RecipeChoice {
            need: "files".into(),
            decision: Decision::KeepCurrent,
        });
        assert_eq!(status(&plan, StepId::Recipes), StepStatus::Done);
        // A problem in a step keeps it open.
        plan.organisation.contact.email = "not an address".into();
        assert_eq!(status(&plan, StepId::Organisation), StepStatus::Open);
    }

    #[test]
    fn an_unusual_count_is_asked_about_and_not_refused() {
        let mut plan = Plan::new("Helsefagarbeiderne", Language::Nb).unwrap();
        plan.organisation.members = Some(600_000);
        assert!(plan.check().is_ok());
        let notices = super::status(&plan).notices;
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].field, "organisation.members");
        assert_eq!(notices[0].code, "unusual_count");
        plan.organisation.members = Some(60);
        assert!(super::status(&plan).notices.is_empty());
    }
}
