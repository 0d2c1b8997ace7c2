//! The exit-strategy plan: who owns it, when the organisation would leave, how each
//! service's data gets out, who holds the keys, backups and restore drills, the
//! timeline, budget and success criteria.
//!
//! Its shape follows the plain-language reading of DORA Art. 28(8), the EBA exit
//! guidelines and the EU Data Act's switching rights in
//! `shared/reference/exit-plan-and-pain-points.md` §3.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::validate::{FieldProblem, Problems, is_email};

/// Why the organisation would leave a provider (the old one or the new host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    PriceOrTerms,
    AccountSuspension,
    ForeignLawAccess,
    ProviderFailure,
    NewHostCloses,
    BoardDecision,
}

crate::all_values!(Trigger: PriceOrTerms, AccountSuspension, ForeignLawAccess, ProviderFailure, NewHostCloses, BoardDecision);

impl Trigger {
    /// Sudden losses need the emergency path; decisions can take the planned one.
    pub fn usual_path(self) -> ExitPath {
        match self {
            Trigger::AccountSuspension | Trigger::ProviderFailure | Trigger::NewHostCloses => {
                ExitPath::Emergency
            }
            _ => ExitPath::Planned,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Trigger::PriceOrTerms => "price_or_terms",
            Trigger::AccountSuspension => "account_suspension",
            Trigger::ForeignLawAccess => "foreign_law_access",
            Trigger::ProviderFailure => "provider_failure",
            Trigger::NewHostCloses => "new_host_closes",
            Trigger::BoardDecision => "board_decision",
        }
    }
}

/// Planned: months of notice, parallel run. Emergency: days, restore from backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExitPath {
    Planned,
    Emergency,
}

crate::all_values!(ExitPath: Planned, Emergency);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TriggerPlan {
    pub trigger: Trigger,
    pub path: ExitPath,
    #[serde(default)]
    pub notes: String,
}

/// How bad it is if a service is gone for a week (the business-impact analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    Minor,
    Serious,
    Critical,
}

crate::all_values!(Impact: Minor, Serious, Critical);

/// Exit details for one service (one need of the plan). Empty text fields mean
/// "use what Ferry knows" (the taxonomy's export method and known losses).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ServiceExit {
    /// Need id in the taxonomy, e.g. `email`.
    pub need: String,
    pub impact: Option<Impact>,
    pub export_method: String,
    pub export_format: String,
    pub not_migrating: String,
    pub preconditions: String,
    /// A second recipe that could serve this need if the first one fails.
    pub fallback_recipe: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub email: String,
}

/// What a credential holder can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Credentials {
    Admin,
    Recovery,
    #[default]
    Both,
}

// The usual answer first.
crate::all_values!(Credentials: Both, Admin, Recovery);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CredentialHolder {
    pub name: String,
    pub role: String,
    pub holds: Credentials,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupFrequency {
    Hourly,
    Daily,
    Weekly,
}

crate::all_values!(BackupFrequency: Hourly, Daily, Weekly);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Backups {
    pub frequency: Option<BackupFrequency>,
    /// Where the hosting co-op keeps them.
    pub location: String,
    /// A copy at a second provider, so that losing the host does not lose the backups.
    pub second_location: String,
    /// How often someone restores a backup to prove it works.
    pub drill_every_months: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DrillResult {
    Restored,
    PartlyRestored,
    Failed,
}

crate::all_values!(DrillResult: Restored, PartlyRestored, Failed);

/// One restore drill: a finished backup proves nothing until it has been restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RestoreDrill {
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub what: String,
    pub result: DrillResult,
    #[serde(default)]
    pub notes: String,
}

/// One small, complete step of the move.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Phase {
    pub title: String,
    /// Need ids moved in this phase.
    pub needs: Vec<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Weeks the old and the new tool run side by side before the old one is closed.
    pub parallel_run_weeks: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Budget {
    /// ISO 4217 code, e.g. `NOK`.
    pub currency: String,
    pub one_off: Option<u32>,
    pub per_month: Option<u32>,
    pub notes: String,
}

/// Owners, triggers, backups and restore drills (exit-plan step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ExitPlan {
    /// People responsible for keeping this plan true.
    pub owners: Vec<Person>,
    /// Who approves it, e.g. "the board".
    pub sign_off_by: String,
    pub review_date: Option<NaiveDate>,
    pub triggers: Vec<TriggerPlan>,
    pub services: Vec<ServiceExit>,
    /// The hosting co-op that will run the new apps.
    pub hosting_coop: String,
    /// A second co-op that could take over if the first one stops.
    pub fallback_coop: String,
    pub credential_holders: Vec<CredentialHolder>,
    pub backups: Backups,
    pub restore_drills: Vec<RestoreDrill>,
    /// Hours within which the services must be back after a sudden exit.
    pub recovery_time_hours: Option<u32>,
    /// Storage the new host must offer, in GB with headroom (filled by an import of
    /// the provider's usage reports or Takeout; absent in older plans).
    #[serde(default)]
    pub storage_needed_gb: Option<u32>,
    pub phases: Vec<Phase>,
    /// When DNS and mail (MX) records point to the new host.
    pub cutover_date: Option<NaiveDate>,
    pub member_communication: String,
    pub budget: Budget,
    pub success_criteria: Vec<String>,
}

pub const MAX_TEXT: usize = 2000;
pub const MAX_SHORT: usize = 200;
/// A petabyte: more than any organisation Ferry is for would move.
pub const MAX_STORAGE_GB: u32 = 1_000_000;
/// Fewer than this many people with the keys and one illness locks everyone out.
pub const MIN_CREDENTIAL_HOLDERS: usize = 2;

impl ExitPlan {
    pub fn service(&self, need: &str) -> Option<&ServiceExit> {
        self.services.iter().find(|s| s.need == need)
    }

    /// Every problem in the exit plan, each naming its field under `prefix`.
    pub fn check(&self, prefix: &str, p: &mut Problems) {
        let f = |name: String| format!("{prefix}.{name}");
        for (i, o) in self.owners.iter().enumerate() {
            check_person(&f(format!("owners.{i}")), o, p);
        }
        p.text(
            &f("sign_off_by".into()),
            &self.sign_off_by,
            false,
            MAX_SHORT,
        );
        for (i, t) in self.triggers.iter().enumerate() {
            if self.triggers[..i].iter().any(|e| e.trigger == t.trigger) {
                p.push(
                    FieldProblem::new(f(format!("triggers.{i}.trigger")), "duplicate")
                        .with_value(t.trigger.key()),
                );
            }
            p.text(&f(format!("triggers.{i}.notes")), &t.notes, false, MAX_TEXT);
        }
        let taxonomy = crate::needs::taxonomy();
        for (i, s) in self.services.iter().enumerate() {
            let field = f(format!("services.{i}"));
            if !taxonomy.contains(&s.need) {
                p.push(
                    FieldProblem::new(format!("{field}.need"), "unknown_need").with_value(&s.need),
                );
            } else if self.services[..i].iter().any(|e| e.need == s.need) {
                p.push(FieldProblem::new(format!("{field}.need"), "duplicate").with_value(&s.need));
            }
            for (name, value) in [
                ("export_method", &s.export_method),
                ("export_format", &s.export_format),
                ("not_migrating", &s.not_migrating),
                ("preconditions", &s.preconditions),
            ] {
                p.text(&format!("{field}.{name}"), value, false, MAX_TEXT);
            }
            let fallback = s.fallback_recipe.trim();
            if !fallback.is_empty() && !crate::validate::is_recipe_name(fallback) {
                p.push(
                    FieldProblem::new(format!("{field}.fallback_recipe"), "unknown_recipe")
                        .with_value(fallback),
                );
            }
        }
        p.text(
            &f("hosting_coop".into()),
            &self.hosting_coop,
            false,
            MAX_SHORT,
        );
        p.text(
            &f("fallback_coop".into()),
            &self.fallback_coop,
            false,
            MAX_SHORT,
        );
        for (i, h) in self.credential_holders.iter().enumerate() {
            p.text(
                &f(format!("credential_holders.{i}.name")),
                &h.name,
                true,
                MAX_SHORT,
            );
            p.text(
                &f(format!("credential_holders.{i}.role")),
                &h.role,
                false,
                MAX_SHORT,
            );
        }
        p.text(
            &f("backups.location".into()),
            &self.backups.location,
            false,
            MAX_SHORT,
        );
        p.text(
            &f("backups.second_location".into()),
            &self.backups.second_location,
            false,
            MAX_SHORT,
        );
        if self
            .backups
            .drill_every_months
            .is_some_and(|m| m == 0 || m > 36)
        {
            p.push(
                FieldProblem::new(f("backups.drill_every_months".into()), "out_of_range")
                    .with_value("1–36"),
            );
        }
        for (i, d) in self.restore_drills.iter().enumerate() {
            let field = f(format!("restore_drills.{i}"));
            if d.date.is_none() {
                p.push(FieldProblem::new(format!("{field}.date"), "required"));
            }
            p.text(&format!("{field}.who"), &d.who, true, MAX_SHORT);
            p.text(&format!("{field}.what"), &d.what, false, MAX_SHORT);
            p.text(&format!("{field}.notes"), &d.notes, false, MAX_TEXT);
        }
        if self
            .recovery_time_hours
            .is_some_and(|h| h == 0 || h > 24 * 90)
        {
            p.push(
                FieldProblem::new(f("recovery_time_hours".into()), "out_of_range")
                    .with_value("1–2160"),
            );
        }
        if self
            .storage_needed_gb
            .is_some_and(|gb| gb == 0 || gb > MAX_STORAGE_GB)
        {
            p.push(
                FieldProblem::new(f("storage_needed_gb".into()), "out_of_range")
                    .with_value(format!("1–{MAX_STORAGE_GB}")),
            );
        }
        for (i, ph) in self.phases.iter().enumerate() {
            let field = f(format!("phases.{i}"));
            p.text(&format!("{field}.title"), &ph.title, true, MAX_SHORT);
            if let (Some(start), Some(end)) = (ph.start, ph.end)
                && end < start
            {
                p.push(FieldProblem::new(
                    format!("{field}.end"),
                    "ends_before_start",
                ));
            }
            for (j, need) in ph.needs.iter().enumerate() {
                if !taxonomy.contains(need) {
                    p.push(
                        FieldProblem::new(format!("{field}.needs.{j}"), "unknown_need")
                            .with_value(need),
                    );
                }
            }
            if ph.parallel_run_weeks.is_some_and(|w| w > 52) {
                p.push(
                    FieldProblem::new(format!("{field}.parallel_run_weeks"), "out_of_range")
                        .with_value("0–52"),
                );
            }
        }
        p.text(
            &f("member_communication".into()),
            &self.member_communication,
            false,
            MAX_TEXT,
        );
        let currency = self.budget.currency.trim();
        if !currency.is_empty() && !crate::currency::is_code(currency) {
            p.push(
                FieldProblem::new(f("budget.currency".into()), "currency_invalid")
                    .with_value(currency),
            );
        }
        p.text(
            &f("budget.notes".into()),
            &self.budget.notes,
            false,
            MAX_TEXT,
        );
        for (i, c) in self.success_criteria.iter().enumerate() {
            p.text(&f(format!("success_criteria.{i}")), c, true, MAX_SHORT);
        }
    }
}

fn check_person(field: &str, person: &Person, p: &mut Problems) {
    p.text(&format!("{field}.name"), &person.name, true, MAX_SHORT);
    p.text(&format!("{field}.role"), &person.role, false, MAX_SHORT);
    let email = person.email.trim();
    if !email.is_empty() && !is_email(email) {
        p.push(FieldProblem::new(format!("{field}.email"), "email_invalid").with_value(email));
    }
}
