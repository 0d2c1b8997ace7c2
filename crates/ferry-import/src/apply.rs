//! A confirmed preview into the plan. Applying a newer export again updates what the
//! import brought (tools by id, groups by name, the storage figure, its own "will not
//! come across" notes) and never adds a second copy of anything.

use ferry_core::messages;
use ferry_core::model::exit_plan::ServiceExit;
use ferry_core::model::{Language, Plan, ToolUse};
use serde::Serialize;
use ts_rs::TS;

use crate::groups::GroupMap;
use crate::preview::{Loss, Preview};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Applied {
    pub tools_added: u64,
    pub tools_updated: u64,
    pub groups_added: u64,
    /// Needs the tools now in the plan serve that are not on the board yet
    /// (`ferry_core::tools::proposed_needs`): offered, not added.
    pub proposed_needs: Vec<String>,
    pub storage_needed_gb: Option<u32>,
    pub losses_noted: u64,
}

/// Fills `plan` from `preview` with the groups as Ferry proposes them.
pub fn apply(plan: &mut Plan, preview: &Preview) -> Applied {
    apply_with(plan, preview, &GroupMap::proposed(preview))
}

/// Fills `plan` from `preview`, each imported group becoming what `groups` says.
/// Tools not in Ferry's catalogue are left out.
pub fn apply_with(plan: &mut Plan, preview: &Preview, groups: &GroupMap) -> Applied {
    let mut out = Applied::default();
    let catalogue = ferry_core::tools::catalogue();
    for t in &preview.tools {
        if catalogue.get(t.tool).is_none() {
            continue;
        }
        let idx = match plan.tools.tools.iter().position(|u| u.tool == t.tool) {
            Some(i) => {
                out.tools_updated += 1;
                i
            }
            None => {
                out.tools_added += 1;
                plan.tools.tools.push(ToolUse {
                    tool: t.tool.to_owned(),
                    ..Default::default()
                });
                plan.tools.tools.len() - 1
            }
        };
        let used = &mut plan.tools.tools[idx];
        if t.reach.is_some() {
            used.reach = t.reach;
        }
        if t.data_volume.is_some() {
            used.data_volume = t.data_volume;
        }
        // A person's "yes, some rely on advanced features" stays even if no export shows it.
        used.power_users |= t.power_users > 0;
    }

    let sso = &mut plan.sso;
    for slug in groups.extra_groups() {
        if !sso.extra_groups.contains(&slug) {
            sso.extra_groups.push(slug);
            out.groups_added += 1;
        }
    }

    if preview.storage_needed_gb > 0 {
        let gb = u32::try_from(preview.storage_needed_gb).unwrap_or(u32::MAX);
        plan.exit_plan.storage_needed_gb = Some(gb);
        out.storage_needed_gb = Some(gb);
    }

    let language = plan.language;
    for need in needs_with_losses(&preview.losses) {
        let text = losses_text(language, &preview.losses, need);
        let services = &mut plan.exit_plan.services;
        let entry = match services.iter().position(|s| s.need == need) {
            Some(i) => &mut services[i],
            None => {
                services.push(ServiceExit {
                    need: need.to_owned(),
                    ..Default::default()
                });
                services.last_mut().expect("just pushed")
            }
        };
        // Only text the import wrote before is replaced; a person's own words stay.
        if entry.not_migrating.trim().is_empty() || is_import_text(&entry.not_migrating) {
            entry.not_migrating = text;
            out.losses_noted += 1;
        }
    }

    out.proposed_needs = ferry_core::tools::proposed_needs(plan);
    out
}

fn needs_with_losses(losses: &[Loss]) -> Vec<&'static str> {
    let mut needs: Vec<&'static str> = Vec::new();
    for l in losses {
        if !needs.contains(&l.need) {
            needs.push(l.need);
        }
    }
    needs
}

/// Sizes for people: one decimal in GB, whole MB below a gigabyte.
pub fn human_bytes(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{} MB", bytes.div_ceil(1_000_000))
    }
}

/// "From the import: " in `lang`: marks the text the import wrote, so a newer import
/// replaces it and leaves a person's own words alone.
fn prefix(lang: Language) -> String {
    messages::text(lang, "import.fromImport", &[])
}

fn is_import_text(s: &str) -> bool {
    Language::ALL.into_iter().any(|l| s.starts_with(&prefix(l)))
}

/// The sentence for one need's losses, in the plan's language (the same catalogue
/// texts the import's preview shows).
fn losses_text(lang: Language, losses: &[Loss], need: &str) -> String {
    let parts: Vec<String> = losses
        .iter()
        .filter(|l| l.need == need)
        .map(|l| {
            messages::text(
                lang,
                &format!("import.loss.{}", l.kind),
                &[
                    ("count", &l.count.to_string()),
                    ("size", &human_bytes(l.bytes)),
                ],
            )
        })
        .collect();
    format!("{}{}", prefix(lang), parts.join(" "))
}
