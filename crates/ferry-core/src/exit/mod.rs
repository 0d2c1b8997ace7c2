//! Working with a plan's exit strategy: what is still missing before a board can
//! vote on it, sensible first answers, and the export facts for each service.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::messages::text;
use crate::model::exit_plan::MIN_CREDENTIAL_HOLDERS;
use crate::model::{
    BackupFrequency, Backups, CurrentProvider, Decision, DrillResult, ExitPath, ExitPlan, Impact,
    Phase, Plan, Priority, ServiceExit, Trigger, TriggerPlan,
};
use crate::needs::{NeedDef, taxonomy};

/// Something the exit plan does not say yet. Shown before export and in the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Gap {
    NoAppsChosen,
    NoCurrentProvider,
    NoOwners,
    NoSignOff,
    NoReviewDate,
    NoTriggers,
    /// `min` travels with the gap so that no reader of it keeps its own threshold.
    TooFewCredentialHolders {
        count: usize,
        min: usize,
    },
    NoHostingCoop,
    NoFallbackCoop,
    NoBackupFrequency,
    NoSecondBackupLocation,
    NoRestoreDrill,
    LastDrillFailed,
    NoRecoveryTarget,
    NoTimeline,
    NoCutoverDate,
    NoSuccessCriteria,
}

impl Gap {
    /// The gap when fewer than [`MIN_CREDENTIAL_HOLDERS`] people hold the keys.
    pub fn credential_holders(count: usize) -> Option<Gap> {
        (count < MIN_CREDENTIAL_HOLDERS).then_some(Gap::TooFewCredentialHolders {
            count,
            min: MIN_CREDENTIAL_HOLDERS,
        })
    }

    /// The message key, `gap.<kind>`; its text may use `{count}`.
    pub fn key(&self) -> &'static str {
        match self {
            Gap::NoAppsChosen => "gap.no_apps_chosen",
            Gap::NoCurrentProvider => "gap.no_current_provider",
            Gap::NoOwners => "gap.no_owners",
            Gap::NoSignOff => "gap.no_sign_off",
            Gap::NoReviewDate => "gap.no_review_date",
            Gap::NoTriggers => "gap.no_triggers",
            Gap::TooFewCredentialHolders { .. } => "gap.too_few_credential_holders",
            Gap::NoHostingCoop => "gap.no_hosting_coop",
            Gap::NoFallbackCoop => "gap.no_fallback_coop",
            Gap::NoBackupFrequency => "gap.no_backup_frequency",
            Gap::NoSecondBackupLocation => "gap.no_second_backup_location",
            Gap::NoRestoreDrill => "gap.no_restore_drill",
            Gap::LastDrillFailed => "gap.last_drill_failed",
            Gap::NoRecoveryTarget => "gap.no_recovery_target",
            Gap::NoTimeline => "gap.no_timeline",
            Gap::NoCutoverDate => "gap.no_cutover_date",
            Gap::NoSuccessCriteria => "gap.no_success_criteria",
        }
    }

    /// The gap in plain words, in `lang`.
    pub fn describe(&self, lang: crate::Language) -> String {
        match self {
            Gap::TooFewCredentialHolders { count, min } => text(
                lang,
                self.key(),
                &[("count", &count.to_string()), ("min", &min.to_string())],
            ),
            _ => text(lang, self.key(), &[]),
        }
    }
}

/// The recipes the plan moves to, need by need, in the order of the needs board.
pub fn chosen_apps(plan: &Plan) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    let board_order = |need: &str| {
        plan.needs
            .needs
            .iter()
            .position(|n| n.need == need)
            .unwrap_or(usize::MAX)
    };
    for c in &plan.recipes.choices {
        if let Decision::Recipe { name } = &c.decision {
            out.push((c.need.as_str(), name.as_str()));
        }
    }
    out.sort_by_key(|(need, _)| board_order(need));
    out
}

/// What is still missing, most important first.
pub fn gaps(plan: &Plan) -> Vec<Gap> {
    let e = &plan.exit_plan;
    let mut out = Vec::new();
    let mut need = |missing: bool, gap: Gap| {
        if missing {
            out.push(gap);
        }
    };
    need(chosen_apps(plan).is_empty(), Gap::NoAppsChosen);
    need(
        plan.organisation.current_provider.is_none(),
        Gap::NoCurrentProvider,
    );
    need(e.owners.is_empty(), Gap::NoOwners);
    need(e.sign_off_by.trim().is_empty(), Gap::NoSignOff);
    need(e.review_date.is_none(), Gap::NoReviewDate);
    need(e.triggers.is_empty(), Gap::NoTriggers);
    out.extend(Gap::credential_holders(e.credential_holders.len()));
    let mut need = |missing: bool, gap: Gap| {
        if missing {
            out.push(gap);
        }
    };
    need(e.hosting_coop.trim().is_empty(), Gap::NoHostingCoop);
    need(e.fallback_coop.trim().is_empty(), Gap::NoFallbackCoop);
    need(e.backups.frequency.is_none(), Gap::NoBackupFrequency);
    need(
        e.backups.second_location.trim().is_empty(),
        Gap::NoSecondBackupLocation,
    );
    need(e.restore_drills.is_empty(), Gap::NoRestoreDrill);
    let last_drill = e.restore_drills.iter().max_by_key(|d| d.date);
    need(
        last_drill.is_some_and(|d| d.result == DrillResult::Failed),
        Gap::LastDrillFailed,
    );
    need(e.recovery_time_hours.is_none(), Gap::NoRecoveryTarget);
    need(e.phases.is_empty(), Gap::NoTimeline);
    need(e.cutover_date.is_none(), Gap::NoCutoverDate);
    need(e.success_criteria.is_empty(), Gap::NoSuccessCriteria);
    out
}

/// The plan's exit plan with every empty part given a sensible first answer:
/// all triggers on their usual path, one entry per chosen app with an impact from
/// its priority, daily backups drilled twice a year, a 72-hour recovery target,
/// two phases (must-haves first, with a parallel run) and standard success criteria
/// in the plan's language. Parts the user has filled in are left as they are.
pub fn suggest(plan: &Plan) -> ExitPlan {
    let lang = plan.language;
    let mut e = plan.exit_plan.clone();
    if e.triggers.is_empty() {
        e.triggers = Trigger::ALL
            .into_iter()
            .map(|trigger| TriggerPlan {
                trigger,
                path: trigger.usual_path(),
                notes: String::new(),
            })
            .collect();
    }
    let apps = chosen_apps(plan);
    for (need, _) in &apps {
        if e.service(need).is_none() {
            e.services.push(ServiceExit {
                need: (*need).to_owned(),
                impact: Some(impact_from_priority(priority_of(plan, need))),
                ..Default::default()
            });
        }
    }
    if e.sign_off_by.trim().is_empty() {
        e.sign_off_by = text(lang, "exit.suggest.sign_off_by", &[]);
    }
    if e.backups == Backups::default() {
        e.backups.frequency = Some(BackupFrequency::Daily);
        e.backups.drill_every_months = Some(6);
    }
    if e.recovery_time_hours.is_none() {
        e.recovery_time_hours = Some(72);
    }
    if e.budget.currency.trim().is_empty() {
        let o = &plan.organisation;
        let country = o.jurisdiction.iter().chain(o.countries.iter()).next();
        if let Some(code) = country.and_then(|c| crate::currency::for_country(c)) {
            e.budget.currency = code.to_owned();
        }
    }
    if e.phases.is_empty() && !apps.is_empty() {
        let (first, rest): (Vec<_>, Vec<_>) = apps
            .iter()
            .map(|(need, _)| *need)
            .partition(|need| priority_of(plan, need) == Priority::Must);
        let mut phase = |key: &str, needs: Vec<&str>| {
            if !needs.is_empty() {
                e.phases.push(Phase {
                    title: text(lang, key, &[]),
                    needs: needs.into_iter().map(str::to_owned).collect(),
                    start: None,
                    end: None,
                    parallel_run_weeks: Some(4),
                });
            }
        };
        phase("exit.suggest.phase_first", first);
        phase("exit.suggest.phase_rest", rest);
        // With a date the organisation wants to have moved by, the must-haves are done
        // by then and the rest follow within three months; the domain moves with the
        // first phase.
        if let Some(deadline) = plan.organisation.deadline {
            let later = deadline + chrono::Days::new(90);
            let n = e.phases.len();
            for (i, p) in e.phases.iter_mut().enumerate() {
                let last = i + 1 == n && n > 1;
                if last {
                    p.start = Some(deadline);
                    p.end = Some(later);
                } else {
                    p.end = Some(deadline);
                }
            }
            if e.cutover_date.is_none() {
                e.cutover_date = Some(deadline);
            }
        }
    }
    if e.member_communication.trim().is_empty() {
        e.member_communication = text(lang, "exit.suggest.member_communication", &[]);
    }
    if e.success_criteria.is_empty() {
        e.success_criteria = (1..=4)
            .map(|i| text(lang, &format!("exit.suggest.criterion_{i}"), &[]))
            .collect();
    }
    e
}

fn priority_of(plan: &Plan, need: &str) -> Priority {
    plan.needs
        .needs
        .iter()
        .find(|n| n.need == need)
        .map_or(Priority::Should, |n| n.priority)
}

fn impact_from_priority(p: Priority) -> Impact {
    match p {
        Priority::Must => Impact::Critical,
        Priority::Should => Impact::Serious,
        Priority::Could | Priority::NotNow => Impact::Minor,
    }
}

/// How one service's data leaves, resolved for the organisation's current provider:
/// the user's own words where given, Ferry's reviewed facts otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportPlan {
    pub method: String,
    pub formats: String,
    pub preconditions: String,
    /// Known losses, one item each.
    pub not_migrating: Vec<String>,
    /// True where every answer came from Ferry rather than from the user.
    pub from_ferry: bool,
}

/// Ferry's own answer for `need`, from the reviewed export facts, for the suite the
/// organisation is leaving (both suites' methods when it uses both).
pub fn ferry_export(plan: &Plan, need: &NeedDef) -> ExportPlan {
    let lang = plan.language;
    let mut method_keys: Vec<&str> = CurrentProvider::suites(plan.organisation.current_provider)
        .iter()
        .map(|suite| need.export.method(*suite))
        .collect();
    method_keys.dedup();
    let join = |suffix: &str| {
        method_keys
            .iter()
            .map(|k| text(lang, &format!("export_method.{k}.{suffix}"), &[]))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    ExportPlan {
        method: join("name"),
        formats: need.export.formats.clone(),
        preconditions: join("preconditions"),
        not_migrating: need
            .friction
            .iter()
            .filter(|f| crate::tools::friction_applies(plan, f))
            .map(|f| text(lang, &format!("friction.{f}"), &[]))
            .collect(),
        from_ferry: true,
    }
}

pub fn export_plan(plan: &Plan, need: &NeedDef) -> ExportPlan {
    let ferry = ferry_export(plan, need);
    let Some(own) = plan.exit_plan.service(&need.id) else {
        return ferry;
    };
    let pick = |own: &str, default: String| match own.trim() {
        "" => (default, true),
        s => (s.to_owned(), false),
    };
    let (method, m_default) = pick(&own.export_method, ferry.method);
    let (formats, f_default) = pick(&own.export_format, ferry.formats);
    let (preconditions, p_default) = pick(&own.preconditions, ferry.preconditions);
    let own_losses: Vec<String> = own
        .not_migrating
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let losses_default = own_losses.is_empty();
    ExportPlan {
        method,
        formats,
        preconditions,
        not_migrating: if losses_default {
            ferry.not_migrating
        } else {
            own_losses
        },
        from_ferry: m_default && f_default && p_default && losses_default,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TriggerDefault {
    pub trigger: Trigger,
    pub path: ExitPath,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServiceDefault {
    pub need: String,
    pub export: ExportPlan,
}

/// One app the plan moves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChosenApp {
    pub need: String,
    pub recipe: String,
}

/// What Ferry would answer, for the exit-plan step to offer: each trigger's usual
/// path and Ferry's export facts for each chosen app (shown as placeholders).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExitDefaults {
    pub triggers: Vec<TriggerDefault>,
    pub services: Vec<ServiceDefault>,
    /// The chosen apps in the order of the needs board (see [`chosen_apps`]).
    pub apps: Vec<ChosenApp>,
}

pub fn defaults(plan: &Plan) -> ExitDefaults {
    ExitDefaults {
        triggers: Trigger::ALL
            .into_iter()
            .map(|trigger| TriggerDefault {
                trigger,
                path: trigger.usual_path(),
            })
            .collect(),
        services: chosen_apps(plan)
            .into_iter()
            .filter_map(|(need, _)| need_def(need))
            .map(|def| ServiceDefault {
                need: def.id.clone(),
                export: ferry_export(plan, def),
            })
            .collect(),
        apps: chosen_apps(plan)
            .into_iter()
            .map(|(need, recipe)| ChosenApp {
                need: need.to_owned(),
                recipe: recipe.to_owned(),
            })
            .collect(),
    }
}

/// The taxonomy entry for each chosen app's need, skipping needs this Ferry no longer knows.
pub fn need_def(need: &str) -> Option<&'static NeedDef> {
    taxonomy().get(need)
}

#[cfg(test)]
mod tests;
