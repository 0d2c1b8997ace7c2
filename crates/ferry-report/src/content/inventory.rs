//! Sections 3 and 5 of the exit plan: the tools in use today, and how each service's
//! data leaves (what Ferry's data moves did is in `moves.rs`).

use super::*;

/// What serves `need` today: the tools ticked for it, by name. With no tools listed
/// at all, the usual products of the organisation's suite, said to be examples; with
/// tools listed but none for this need, that none is (never a product not ticked).
pub(super) fn products_today(w: &Words, plan: &Plan, need: &NeedDef) -> String {
    let ticked: Vec<String> = ferry_core::tools::used_for(plan, &need.id)
        .map(|id| w.t(&format!("tool.{id}")))
        .collect();
    if !ticked.is_empty() {
        return ticked.join(", ");
    }
    if !plan.tools.tools.is_empty() {
        return w.t("report.today.unlisted");
    }
    let usual: Vec<&str> = CurrentProvider::suites(plan.organisation.current_provider)
        .iter()
        .flat_map(|suite| need.replaces.in_suite(*suite))
        .map(String::as_str)
        .collect();
    if usual.is_empty() {
        w.t("report.not_decided")
    } else {
        w.ta("report.today.example", &[("products", &usual.join(", "))])
    }
}

pub(super) fn inventory(w: &Words, plan: &Plan) -> Section {
    let mut blocks = vec![Block::Paragraph(w.t("report.inventory.intro"))];
    let rows: Vec<Vec<String>> = plan
        .needs
        .needs
        .iter()
        .filter_map(|n| taxonomy().get(&n.need).map(|def| (n, def)))
        .map(|(n, def)| {
            let impact = plan
                .exit_plan
                .service(&n.need)
                .and_then(|s| s.impact)
                .map_or_else(|| w.t("report.not_decided"), |i| w.value("impact", &i));
            vec![
                w.need(&n.need),
                products_today(w, plan, def),
                w.value("priority", &n.priority),
                impact,
            ]
        })
        .collect();
    if let Some(t) = tools_table(w, plan) {
        blocks.push(Block::Subheading(w.t("report.inventory.tools")));
        blocks.push(t);
    }
    if rows.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_apps_chosen")));
    } else {
        blocks.push(Block::Subheading(w.t("report.inventory.needs")));
        blocks.push(table(
            vec![
                w.t("report.col.service"),
                w.t("report.col.today"),
                w.t("report.col.priority"),
                w.t("report.col.impact"),
            ],
            &[2.6, 2.8, 1.8, 2.8],
            rows,
        ));
    }
    section(w, "report.section.inventory", blocks)
}

/// The tools in use today (needs-mapping step): who uses them and how much data they hold.
pub(super) fn tools_table(w: &Words, plan: &Plan) -> Option<Block> {
    if plan.tools.tools.is_empty() {
        return None;
    }
    let open = || w.t("report.not_decided");
    Some(table(
        vec![
            w.t("report.col.tool"),
            w.t("tools.reach"),
            w.t("tools.volume"),
            w.t("report.col.power_users"),
        ],
        &[3.0, 2.0, 2.0, 2.0],
        plan.tools
            .tools
            .iter()
            .map(|u| {
                vec![
                    w.t(&format!("tool.{}", u.tool)),
                    u.reach.map_or_else(open, |r| w.value("reach", &r)),
                    u.data_volume.map_or_else(open, |v| w.value("volume", &v)),
                    w.t(if u.power_users {
                        "report.yes"
                    } else {
                        "report.no"
                    }),
                ]
            })
            .collect(),
    ))
}

/// Each tool in use: how its data leaves and what will not come across.
pub(super) fn tool_exports(w: &Words, plan: &Plan) -> Option<Block> {
    let rows: Vec<Vec<String>> = plan
        .tools
        .tools
        .iter()
        .filter_map(|u| ferry_core::tools::catalogue().get(&u.tool))
        .map(|def| {
            vec![
                w.t(&format!("tool.{}", def.id)),
                w.t(&format!("export_method.{}.name", def.export)),
                if def.losses.is_empty() {
                    w.t("report.fact.nothing_known")
                } else {
                    def.losses
                        .iter()
                        .map(|l| w.t(&format!("friction.{l}")))
                        .collect::<Vec<_>>()
                        .join(" ")
                },
            ]
        })
        .collect();
    (!rows.is_empty()).then(|| {
        table(
            vec![
                w.t("report.col.tool"),
                w.t("report.fact.method"),
                w.t("report.fact.not_migrating"),
            ],
            &[2.2, 3.0, 5.0],
            rows,
        )
    })
}

pub(super) fn export(w: &Words, plan: &Plan) -> Section {
    let mut blocks = vec![Block::Paragraph(w.t("report.export.intro"))];
    if let Some(t) = tool_exports(w, plan) {
        blocks.push(Block::Subheading(w.t("report.export.tools")));
        blocks.push(t);
    }
    let apps = chosen_apps(plan);
    if apps.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_apps_chosen")));
    }
    if plan.organisation.current_provider.is_none() {
        blocks.push(Block::Missing(w.t("gap.no_current_provider")));
    }
    for (need, _) in apps {
        let Some(def) = exit::need_def(need) else {
            continue;
        };
        let x = export_plan(plan, def);
        blocks.push(Block::Subheading(w.need(need)));
        blocks.push(Block::Facts(vec![
            (w.t("report.fact.method"), x.method),
            (w.t("report.fact.formats"), x.formats),
            (w.t("report.fact.preconditions"), x.preconditions),
        ]));
        blocks.push(Block::Paragraph(w.t("report.fact.not_migrating")));
        if x.not_migrating.is_empty() {
            blocks.push(Block::Bullets(vec![w.t("report.fact.nothing_known")]));
        } else {
            blocks.push(Block::Bullets(x.not_migrating));
        }
        if x.from_ferry {
            blocks.push(Block::Note(w.t("report.export.ferry_advice")));
        }
    }
    blocks.extend(super::moves::moved(w, plan));
    section(w, "report.section.export", blocks)
}
