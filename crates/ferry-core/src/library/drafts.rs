//! Saving what a person typed when part of it is not valid yet: every valid edit is
//! stored at once (the invalid fields keep their last valid value in the plan), and
//! the whole typed version is kept as a draft, so reopening the plan shows every
//! value as it was typed, marked, until it is fixed. Nothing typed is ever dropped.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{Library, encode, format_time};
use crate::error::{CoreError, Result};
use crate::model::plan::{self, Plan, PlanId};
use crate::validate::FieldProblem;

/// What an edit's save kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SaveOutcome {
    /// The plan as stored now: every valid edit.
    pub plan: Plan,
    /// The fields that are not valid yet; their typed values are kept as a draft.
    pub problems: Vec<FieldProblem>,
}

/// A plan as typed, with what is not valid in it yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Draft {
    pub plan: Plan,
    pub problems: Vec<FieldProblem>,
}

impl Library {
    /// Saves an edit. A valid plan is saved as it is (and any draft dropped); an
    /// invalid one has its valid parts saved and is kept whole as a draft.
    pub fn save_edit(&mut self, typed: &Plan) -> Result<SaveOutcome> {
        let problems = match typed.check() {
            Ok(()) => {
                let plan = self.save(typed)?;
                self.drop_draft(plan.id)?;
                return Ok(SaveOutcome {
                    plan,
                    problems: Vec::new(),
                });
            }
            Err(problems) => problems,
        };
        let stored = self.get(typed.id)?;
        if stored.revision != typed.revision {
            return Err(CoreError::Conflict {
                expected: typed.revision,
                found: stored.revision,
            });
        }
        let valid = salvage(typed, &stored);
        let plan = match valid {
            Some(v) if !same_content(&v, &stored) => self.save(&v)?,
            _ => stored,
        };
        let mut draft = typed.clone();
        draft.revision = plan.revision;
        self.conn.execute(
            "INSERT INTO drafts (plan_id, revision, saved_at, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (plan_id) DO UPDATE SET revision = ?2, saved_at = ?3, body = ?4",
            params![
                draft.id.to_string(),
                draft.revision as i64,
                format_time(plan::now()),
                encode(&draft)
            ],
        )?;
        Ok(SaveOutcome { plan, problems })
    }

    /// The plan as last typed, when that is not valid yet and nothing newer was
    /// saved since (a draft older than the plan is stale and not offered).
    pub fn draft(&self, id: PlanId) -> Result<Option<Draft>> {
        let revision = self.get(id)?.revision;
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT revision, body FROM drafts WHERE plan_id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((draft_revision, body)) = row else {
            return Ok(None);
        };
        if draft_revision as u64 != revision {
            return Ok(None);
        }
        let Ok(mut plan) = serde_json::from_str::<Plan>(&body) else {
            return Ok(None);
        };
        plan.revision = revision;
        let problems = plan.check().err().unwrap_or_default();
        Ok(Some(Draft { plan, problems }))
    }

    fn drop_draft(&mut self, id: PlanId) -> Result<()> {
        self.conn
            .execute("DELETE FROM drafts WHERE plan_id = ?1", [id.to_string()])?;
        Ok(())
    }
}

/// `typed` with every field that has a problem put back to its value in `stored`
/// (a field that did not exist there: its nearest parent that did), repeated
/// while rules that span fields still object. None if nothing valid is left.
fn salvage(typed: &Plan, stored: &Plan) -> Option<Plan> {
    let stored_json = serde_json::to_value(stored).ok()?;
    // Text that is not a value yet stays in the draft only.
    let mut typed = typed.clone();
    typed.typed.clear();
    let mut json = serde_json::to_value(&typed).ok()?;
    for _ in 0..8 {
        let plan: Plan = serde_json::from_value(json.clone()).ok()?;
        let Err(problems) = plan.check() else {
            return Some(plan);
        };
        for p in &problems {
            revert(&mut json, &stored_json, &p.field);
        }
    }
    None
}

/// Puts the value at dotted `path` in `json` back to the one in `stored`.
fn revert(json: &mut Value, stored: &Value, path: &str) {
    let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
    for len in (1..=parts.len()).rev() {
        let prefix = &parts[..len];
        if let (Some(old), Some(slot)) = (lookup(stored, prefix), lookup_mut(json, prefix)) {
            *slot = old.clone();
            return;
        }
    }
}

fn lookup<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, key| match v {
        Value::Object(m) => m.get(*key),
        Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        _ => None,
    })
}

fn lookup_mut<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, key| match v {
        Value::Object(m) => m.get_mut(*key),
        Value::Array(a) => a.get_mut(key.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The same plan apart from the library's bookkeeping.
fn same_content(a: &Plan, b: &Plan) -> bool {
    let strip = |p: &Plan| {
        let mut p = p.clone();
        p.revision = 0;
        p.updated_at = b.updated_at;
        encode(&p)
    };
    strip(a) == strip(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;

    #[test]
    fn valid_edits_are_saved_and_the_typed_plan_is_kept_until_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in(dir.path()).unwrap();
        let mut plan = lib.create("Helsefagarbeiderne", Language::Nb).unwrap();
        plan.organisation.members = Some(600_000);
        let plan = lib.save(&plan).unwrap();

        // Members corrected, a contact typed, and a typo in the e-mail.
        let mut typed = plan.clone();
        typed.organisation.members = Some(60);
        typed.organisation.contact.name = "Kari Nordmann".into();
        typed.organisation.contact.phone = "+47 22 33 44 55".into();
        typed.organisation.contact.email = "kari@@example".into();
        let outcome = lib.save_edit(&typed).unwrap();
        assert_eq!(outcome.problems.len(), 1, "{:?}", outcome.problems);
        assert_eq!(outcome.problems[0].field, "organisation.contact.email");
        let stored = lib.get(plan.id).unwrap();
        assert_eq!(stored.organisation.members, Some(60));
        assert_eq!(stored.organisation.contact.name, "Kari Nordmann");
        assert_eq!(stored.organisation.contact.phone, "+47 22 33 44 55");
        assert_eq!(stored.organisation.contact.email, "");
        assert_eq!(stored.revision, outcome.plan.revision);

        // Reopened (a new library handle, as after a restart): the draft has it all.
        drop(lib);
        let mut lib = Library::open_in(dir.path()).unwrap();
        let draft = lib.draft(plan.id).unwrap().expect("a draft");
        assert_eq!(draft.plan.organisation.contact.email, "kari@@example");
        assert_eq!(draft.plan.organisation.members, Some(60));
        assert_eq!(draft.plan.revision, stored.revision);
        assert_eq!(draft.problems.len(), 1);

        // Fixed: saved whole, and the draft is gone.
        let mut fixed = draft.plan.clone();
        fixed.organisation.contact.email = "kari@example.org".into();
        let outcome = lib.save_edit(&fixed).unwrap();
        assert!(outcome.problems.is_empty());
        assert_eq!(lib.draft(plan.id).unwrap(), None);
        assert_eq!(
            lib.get(plan.id).unwrap().organisation.contact.email,
            "kari@example.org"
        );
    }

    /// "ca 45" typed as the member count: the rest of the edit is saved, the text is
    /// kept in the draft, and a restart brings it back.
    #[test]
    fn text_typed_into_a_count_is_kept_in_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in(dir.path()).unwrap();
        let mut plan = lib.create("Forening", Language::Nb).unwrap();
        plan.organisation.members = Some(40);
        let plan = lib.save(&plan).unwrap();
        let mut typed = plan.clone();
        typed.organisation.contact.name = "Kari".into();
        typed
            .typed
            .insert("organisation.members".into(), "ca 45".into());
        let outcome = lib.save_edit(&typed).unwrap();
        assert_eq!(outcome.problems.len(), 1);
        let stored = lib.get(plan.id).unwrap();
        assert_eq!(stored.organisation.contact.name, "Kari");
        assert_eq!(stored.organisation.members, Some(40));
        assert!(stored.typed.is_empty());
        drop(lib);
        let lib = Library::open_in(dir.path()).unwrap();
        let draft = lib.draft(plan.id).unwrap().unwrap();
        assert_eq!(draft.plan.typed["organisation.members"], "ca 45");
    }

    #[test]
    fn an_edit_with_nothing_valid_keeps_the_plan_and_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in(dir.path()).unwrap();
        let plan = lib.create("Forening", Language::Nb).unwrap();
        let mut typed = plan.clone();
        typed.organisation.contact.email = "not an address".into();
        let outcome = lib.save_edit(&typed).unwrap();
        // Nothing else changed: the plan is not written again.
        assert_eq!(outcome.plan.revision, plan.revision);
        let draft = lib.draft(plan.id).unwrap().unwrap();
        assert_eq!(draft.plan.organisation.contact.email, "not an address");
        // A stale revision is a conflict, as for any save.
        let mut old = typed.clone();
        old.revision = 0;
        assert!(matches!(
            lib.save_edit(&old),
            Err(CoreError::Conflict { .. })
        ));
    }
}
