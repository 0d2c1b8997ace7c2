//! Sections 6 to 10 of the exit plan: sign-in and keys, the timeline, backups and
//! restore tests, leaving the new host, roles and money.

use super::*;

pub(super) fn identity(w: &Words, plan: &Plan, e: &ExitPlan) -> Section {
    let sso = &plan.sso;
    let mut blocks = vec![Block::Paragraph(w.t("report.identity.intro"))];
    match sso.idp {
        // An ordered service whose key has not come yet is described below.
        None if plan.deploy.sign_in.is_some() => {}
        None => blocks.push(Block::Missing(w.t("report.identity.sso_pending"))),
        Some(idp) => {
            let mut facts = vec![
                (
                    w.t("report.fact.idp"),
                    w.t(&format!("sso.idp.{}.name", idp.key())),
                ),
                (w.t("report.fact.idp_url"), w.or_open(&sso.url)),
            ];
            if idp == ferry_core::model::IdpKind::Keycloak && !sso.realm.trim().is_empty() {
                facts.push((w.t("report.fact.realm"), sso.realm.trim().to_owned()));
            }
            if let Some(at) = sso.verified_at {
                facts.push((w.t("report.fact.verified"), w.date(at.date_naive())));
            }
            blocks.push(Block::Facts(facts));
            if sso.results.is_empty() {
                blocks.push(Block::Missing(w.t("report.identity.sso_not_checked")));
            } else {
                blocks.push(table(
                    vec![w.t("report.col.app"), w.t("report.col.signin")],
                    &[4.0, 6.0],
                    sso.results
                        .iter()
                        .map(|r| {
                            let state = if r.works { "sso.works" } else { "sso.notYet" };
                            vec![w.app(&r.recipe), w.t(state)]
                        })
                        .collect(),
                ));
            }
        }
    }
    blocks.extend(sign_in_first(w, plan));
    blocks.push(Block::Subheading(w.t("report.identity.holders")));
    if !e.credential_holders.is_empty() {
        blocks.push(table(
            vec![
                w.t("report.col.name"),
                w.t("report.col.role"),
                w.t("report.col.holds"),
            ],
            &[3.0, 3.0, 4.0],
            e.credential_holders
                .iter()
                .map(|h| {
                    vec![
                        h.name.clone(),
                        h.role.clone(),
                        w.value("credentials", &h.holds),
                    ]
                })
                .collect(),
        ));
    }
    if let Some(gap) = exit::Gap::credential_holders(e.credential_holders.len()) {
        blocks.push(Block::Missing(gap.describe(w.lang)));
    }
    section(w, "report.section.identity", blocks)
}

/// The sign-in service ordered first (`plan.deploy.sign_in`): what was ordered, where,
/// from whom, whether its admin key came, the order of work and what to do when the
/// co-op does not answer. Without such an order, only the recommended order of work,
/// and only when the plan has apps to order.
fn sign_in_first(w: &Words, plan: &Plan) -> Vec<Block> {
    let Some(s) = &plan.deploy.sign_in else {
        if chosen_apps(plan).is_empty() {
            return Vec::new();
        }
        return vec![Block::Paragraph(w.t("report.arrive.recommended"))];
    };
    let service = w.t(&format!("sso.idp.{}.name", s.idp.key()));
    let order = &s.order;
    let submitted = w.date(order.submitted_at.date_naive());
    let mut facts = vec![
        (w.t("report.fact.idp"), service.clone()),
        (w.t("report.arrive.fact.domain"), s.domain.clone()),
        (w.t("report.fact.hosting_coop"), w.or_open(&order.coop_name)),
        (
            w.t("report.arrive.fact.ordered"),
            if order.order_id.is_some() {
                submitted
            } else {
                w.ta("report.arrive.unconfirmed", &[("date", &submitted)])
            },
        ),
    ];
    if let Some(app) = order.status.as_ref().and_then(|st| st.apps.first()) {
        facts.push((
            w.t("report.col.state"),
            w.t(&format!("deploy.state.{}", app.state.as_str())),
        ));
    }
    facts.push((
        w.t("report.arrive.fact.key"),
        s.received_at.map_or_else(
            || w.t("report.arrive.key_not_received"),
            |at| {
                w.ta(
                    "report.arrive.key_received",
                    &[("date", &w.date(at.date_naive()))],
                )
            },
        ),
    ));
    let kept = if s.received_at.is_some() {
        "report.arrive.key_kept"
    } else {
        "report.arrive.key_waiting"
    };
    vec![
        Block::Subheading(w.t("report.arrive.title")),
        Block::Facts(facts),
        Block::Paragraph(w.ta(kept, &[("service", &service)])),
        Block::Paragraph(w.t("report.arrive.order_intro")),
        Block::Bullets(vec![
            w.ta("report.arrive.order.sign_in", &[("domain", &s.domain)]),
            w.t("report.arrive.order.sign_on"),
            w.t("report.arrive.order.apps"),
            w.t("report.arrive.order.members"),
        ]),
        Block::Paragraph(w.t("report.arrive.no_answer.intro")),
        Block::Bullets(vec![
            w.t("report.arrive.no_answer.retry"),
            w.ta(
                "report.arrive.no_answer.resend",
                &[("continue", &w.t("arrive.continue"))],
            ),
            w.t("report.arrive.no_answer.waits"),
            w.t("report.arrive.no_answer.lost"),
        ]),
    ]
}

pub(super) fn timeline(w: &Words, e: &ExitPlan) -> Section {
    let mut blocks = vec![Block::Paragraph(w.t("report.timeline.intro"))];
    if e.phases.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_timeline")));
    } else {
        blocks.push(table(
            vec![
                w.t("report.col.phase"),
                w.t("report.col.services"),
                w.t("report.col.start"),
                w.t("report.col.end"),
                w.t("report.col.parallel"),
            ],
            &[2.8, 3.2, 1.6, 1.6, 1.4],
            e.phases
                .iter()
                .map(|p| {
                    vec![
                        p.title.clone(),
                        p.needs
                            .iter()
                            .map(|n| w.need(n))
                            .collect::<Vec<_>>()
                            .join(", "),
                        w.opt_date(p.start),
                        w.opt_date(p.end),
                        p.parallel_run_weeks.map_or_else(
                            || w.t("report.not_decided"),
                            |n| w.ta("report.weeks", &[("weeks", &n.to_string())]),
                        ),
                    ]
                })
                .collect(),
        ));
    }
    blocks.push(Block::Facts(vec![(
        w.t("report.fact.cutover"),
        w.opt_date(e.cutover_date),
    )]));
    blocks.push(Block::Subheading(w.t("report.timeline.communication")));
    if e.member_communication.trim().is_empty() {
        blocks.push(Block::Missing(w.t("report.not_decided")));
    } else {
        blocks.push(Block::Paragraph(e.member_communication.trim().to_owned()));
    }
    section(w, "report.section.timeline", blocks)
}

pub(super) fn backups(w: &Words, e: &ExitPlan) -> Section {
    let b = &e.backups;
    let mut blocks = vec![
        Block::Paragraph(w.t("report.backups.intro")),
        Block::Facts(vec![
            (
                w.t("report.fact.frequency"),
                b.frequency.map_or_else(
                    || w.t("report.not_decided"),
                    |f| w.value("backup_frequency", &f),
                ),
            ),
            (w.t("report.fact.location"), w.or_open(&b.location)),
            (
                w.t("report.fact.second_location"),
                w.or_open(&b.second_location),
            ),
            (
                w.t("report.fact.drill_every"),
                b.drill_every_months.map_or_else(
                    || w.t("report.not_decided"),
                    |m| {
                        w.ta(
                            "report.fact.drill_every_value",
                            &[("months", &m.to_string())],
                        )
                    },
                ),
            ),
            (
                w.t("report.fact.recovery_time"),
                e.recovery_time_hours.map_or_else(
                    || w.t("report.not_decided"),
                    |h| {
                        w.ta(
                            "report.fact.recovery_time_value",
                            &[("hours", &h.to_string())],
                        )
                    },
                ),
            ),
        ]),
        Block::Subheading(w.t("report.backups.log")),
    ];
    if e.restore_drills.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_restore_drill")));
    } else {
        let mut drills: Vec<_> = e.restore_drills.iter().collect();
        drills.sort_by_key(|d| d.date);
        blocks.push(table(
            vec![
                w.t("report.col.date"),
                w.t("report.col.who"),
                w.t("report.col.what"),
                w.t("report.col.result"),
                w.t("report.col.notes"),
            ],
            &[2.0, 2.0, 2.4, 1.8, 3.0],
            drills
                .iter()
                .map(|d| {
                    vec![
                        w.opt_date(d.date),
                        d.who.clone(),
                        d.what.clone(),
                        w.value("drill_result", &d.result),
                        d.notes.clone(),
                    ]
                })
                .collect(),
        ));
    }
    section(w, "report.section.backups", blocks)
}

pub(super) fn leaving_host(w: &Words, e: &ExitPlan) -> Section {
    let mut items = vec![
        w.t("report.leaving.formats"),
        w.t("report.leaving.config"),
        w.t("report.leaving.data_act"),
    ];
    let mut blocks = vec![Block::Paragraph(w.t("report.leaving.intro"))];
    if e.fallback_coop.trim().is_empty() {
        blocks.push(Block::Bullets(items));
        blocks.push(Block::Missing(w.t("gap.no_fallback_coop")));
    } else {
        items.push(w.ta(
            "report.leaving.fallback",
            &[("fallback", e.fallback_coop.trim())],
        ));
        blocks.push(Block::Bullets(items));
    }
    section(w, "report.section.leaving_host", blocks)
}

pub(super) fn money(w: &Words, amount: Option<u32>, currency: &str) -> String {
    amount.map_or_else(
        || w.t("report.not_decided"),
        |a| {
            w.ta(
                "report.money",
                &[("amount", &w.number(a)), ("currency", currency.trim())],
            )
            .trim()
            .to_owned()
        },
    )
}

pub(super) fn roles(w: &Words, plan: &Plan) -> Section {
    let e = &plan.exit_plan;
    let mut blocks = vec![
        Block::Subheading(w.t("report.roles.budget")),
        Block::Facts(vec![
            (
                w.t("report.fact.one_off"),
                money(w, e.budget.one_off, &e.budget.currency),
            ),
            (
                w.t("report.fact.per_month"),
                money(w, e.budget.per_month, &e.budget.currency),
            ),
        ]),
    ];
    if !e.budget.notes.trim().is_empty() {
        blocks.push(Block::Paragraph(e.budget.notes.trim().to_owned()));
    }
    blocks.push(Block::Subheading(w.t("report.roles.criteria")));
    if e.success_criteria.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_success_criteria")));
    } else {
        blocks.push(Block::Bullets(e.success_criteria.clone()));
    }
    blocks.push(Block::Subheading(w.t("report.section.open")));
    let open = gaps(plan);
    if open.is_empty() {
        blocks.push(Block::Paragraph(w.t("report.open.none")));
    } else {
        blocks.push(Block::Paragraph(w.t("report.open.intro")));
        blocks.push(Block::Bullets(
            open.iter().map(|g| g.describe(w.lang)).collect(),
        ));
    }
    blocks.push(Block::Together(vec![
        Block::Subheading(w.t("report.section.sign_off")),
        Block::Paragraph(w.ta("report.sign.intro", &[("body", &w.or_open(&e.sign_off_by))])),
        Block::Signatures {
            labels: vec![
                w.t("report.sign.name"),
                w.t("report.sign.signature"),
                w.t("report.sign.place"),
                w.t("report.sign.date"),
            ],
            signers: 2,
        },
    ]));
    section(w, "report.section.roles", blocks)
}
