//! Section 4 of the exit plan: where each need goes — the apps, their catalogue
//! scores, the co-ops, the storage the new host needs, and the order's state.

use super::*;

/// The storage the new host must offer, or "not decided".
pub(crate) fn storage_text(w: &Words, gb: Option<u32>) -> String {
    gb.map_or_else(
        || w.t("report.not_decided"),
        |gb| w.ta("report.fact.storage_value", &[("gb", &w.number(gb))]),
    )
}

pub(super) fn catalogue_source(w: &Words, c: &Catalogue) -> String {
    let date = w.date(c.origin.as_of.date_naive());
    match c.origin.kind {
        OriginKind::Bundled => w.ta("report.catalogue.bundled", &[("date", &date)]),
        OriginKind::Downloaded => w.ta("report.catalogue.downloaded", &[("date", &date)]),
    }
}

pub(super) fn status_text(w: &Words, r: Option<&Recipe>) -> String {
    match r.and_then(|r| r.status.level) {
        Some(level) => w.ta(
            "report.target.status_level",
            &[("level", &level.to_string())],
        ),
        None => w.t("report.unknown"),
    }
}

pub(super) fn sso_text(w: &Words, r: Option<&Recipe>) -> String {
    match r.map(|r| SsoSupport::of(&r.sso)) {
        Some(SsoSupport::Automatic) => w.t("report.sso.automatic"),
        Some(SsoSupport::Manual) => w.t("report.sso.manual"),
        Some(SsoSupport::None) => w.t("report.no"),
        Some(SsoSupport::Unknown) | None => w.t("report.unknown"),
    }
}

pub(super) fn backups_text(w: &Words, r: Option<&Recipe>) -> String {
    match r.map(|r| Presence::of(&r.backups)) {
        Some(Presence::Yes) => w.t("report.yes"),
        Some(Presence::No) => w.t("report.no"),
        Some(Presence::Unknown) | None => w.t("report.unknown"),
    }
}

pub(super) fn target(w: &Words, plan: &Plan, catalogue: &Catalogue) -> Section {
    let e = &plan.exit_plan;
    let mut blocks = vec![
        Block::Paragraph(w.ta(
            "report.target.intro",
            &[("source", &catalogue_source(w, catalogue))],
        )),
        Block::Facts(vec![
            (w.t("report.fact.hosting_coop"), w.or_open(&e.hosting_coop)),
            (
                w.t("report.fact.fallback_coop"),
                w.or_open(&e.fallback_coop),
            ),
            (
                w.t("report.fact.storage"),
                storage_text(w, e.storage_needed_gb),
            ),
        ]),
    ];
    let apps = chosen_apps(plan);
    if apps.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_apps_chosen")));
    } else {
        let rows = apps
            .iter()
            .map(|(need, recipe)| {
                let r = catalogue.recipes.get(recipe);
                let fallback = e
                    .service(need)
                    .map(|s| s.fallback_recipe.trim())
                    .filter(|s| !s.is_empty())
                    .map_or_else(|| w.t("report.not_decided"), str::to_owned);
                vec![
                    w.need(need),
                    w.app(recipe),
                    status_text(w, r),
                    sso_text(w, r),
                    backups_text(w, r),
                    fallback,
                ]
            })
            .collect();
        blocks.push(table(
            vec![
                w.t("report.col.service"),
                w.t("report.col.app"),
                w.t("report.col.status"),
                w.t("report.col.sso"),
                w.t("report.col.backups"),
                w.t("report.col.fallback"),
            ],
            &[2.4, 1.9, 1.4, 1.9, 1.5, 1.9],
            rows,
        ));
    }
    let undecided: Vec<String> = plan
        .recipes
        .choices
        .iter()
        .filter_map(|c| match c.decision {
            Decision::KeepCurrent => Some(format!(
                "{}: {}",
                w.need(&c.need),
                w.t("report.inventory.keep_current")
            )),
            Decision::DecideLater => Some(format!(
                "{}: {}",
                w.need(&c.need),
                w.t("report.inventory.decide_later")
            )),
            Decision::Recipe { .. } => None,
        })
        .collect();
    if !undecided.is_empty() {
        blocks.push(Block::Bullets(undecided));
    }
    // What the hosting co-op reported for the latest order (deploy step).
    if let Some((order, status)) = plan
        .deploy
        .orders
        .iter()
        .rev()
        .find_map(|o| o.status.as_ref().map(|s| (o, s)))
    {
        blocks.push(Block::Subheading(w.ta(
            "report.deployed",
            &[
                ("coop", &order.coop_name),
                ("date", &w.date(order.submitted_at.date_naive())),
            ],
        )));
        blocks.push(table(
            vec![
                w.t("report.col.app"),
                w.t("report.col.address"),
                w.t("report.col.state"),
                w.t("report.col.version"),
            ],
            &[2.0, 4.0, 2.0, 3.0],
            status
                .apps
                .iter()
                .map(|a| {
                    vec![
                        w.app(&a.recipe),
                        a.domain.clone(),
                        w.t(&format!("deploy.state.{}", a.state.as_str())),
                        a.deployed.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ));
    }
    section(w, "report.section.target", blocks)
}
