//! What the exit plan says: builds the [`Document`] from a plan, section by section
//! (the ten sections of `shared/reference/exit-plan-and-pain-points.md` §3), with
//! every word from the message catalogues in the plan's language.

use chrono::{Datelike, NaiveDate};
use ferry_catalogue::assess::{Presence, SsoSupport};
use ferry_catalogue::{Catalogue, OriginKind, Recipe};
use ferry_core::exit::{self, chosen_apps, export_plan, gaps};
use ferry_core::messages;
use ferry_core::model::{CurrentProvider, Decision, ExitPlan, Language, Plan};
use ferry_core::needs::{NeedDef, taxonomy};
use serde::Serialize;

use crate::document::{Block, Document, Section, Table};

/// Writes in one language; every user-facing word goes through here.
pub(crate) struct Words {
    pub(crate) lang: Language,
}

impl Words {
    pub(crate) fn t(&self, key: &str) -> String {
        messages::text(self.lang, key, &[])
    }

    pub(crate) fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        messages::text(self.lang, key, args)
    }

    /// The catalogue text of an enum value: `prefix.<serde name>`.
    fn value<T: Serialize>(&self, prefix: &str, v: &T) -> String {
        let name = serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.t(&format!("{prefix}.{name}"))
    }

    pub(crate) fn date(&self, d: NaiveDate) -> String {
        self.ta(
            "report.date",
            &[
                ("day", &d.day().to_string()),
                ("month", &self.t(&format!("report.month.{}", d.month()))),
                ("year", &d.year().to_string()),
            ],
        )
    }

    fn opt_date(&self, d: Option<NaiveDate>) -> String {
        d.map_or_else(|| self.t("report.not_decided"), |d| self.date(d))
    }

    pub(crate) fn or_open(&self, s: &str) -> String {
        if s.trim().is_empty() {
            self.t("report.not_decided")
        } else {
            s.trim().to_owned()
        }
    }

    /// An app's name as its makers write it (`jitsi` → Jitsi Meet), else the recipe's.
    pub(crate) fn app(&self, recipe: &str) -> String {
        let key = format!("recipe.{recipe}.title");
        let name = self.t(&key);
        if name == key { recipe.to_owned() } else { name }
    }

    pub(crate) fn need(&self, id: &str) -> String {
        self.t(&format!("need.{id}.name"))
    }

    pub(crate) fn number(&self, n: u32) -> String {
        // Digit groups the way each language writes them (thin space in Norwegian).
        let digits = n.to_string();
        let sep = match self.lang {
            Language::En => ",",
            Language::Nb => "\u{a0}",
            Language::De | Language::Es => ".",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }
}

/// Builds the exit-plan document for `plan`, dated `today`, with recipe scores from
/// `catalogue`.
pub fn build(plan: &Plan, catalogue: &Catalogue, today: NaiveDate) -> Document {
    let w = Words {
        lang: plan.language,
    };
    let org = w.or_open(&plan.organisation.name);
    let e = &plan.exit_plan;
    let sign_off = w.or_open(&e.sign_off_by);
    let sections = vec![
        scope(&w, plan),
        triggers(&w, e),
        inventory(&w, plan),
        target(&w, plan, catalogue),
        export(&w, plan),
        identity(&w, plan, e),
        timeline(&w, e),
        backups(&w, e),
        leaving_host(&w, e),
        roles(&w, plan),
    ];
    Document {
        lang: plan.language.code(),
        title: w.t("report.title"),
        subtitle: w.ta("report.subtitle", &[("org", &org)]),
        status: w.ta("report.status_draft", &[("body", &sign_off)]),
        generated: w.ta("report.generated", &[("date", &w.date(today))]),
        page_of: w.t("report.page_of"),
        contents_title: w.t("report.contents"),
        with_contents: true,
        subject: w.t("report.meta.subject"),
        organisation: org,
        date: today,
        sections,
    }
}

fn section(w: &Words, key: &str, blocks: Vec<Block>) -> Section {
    Section {
        title: w.t(key),
        blocks,
    }
}

fn table(headers: Vec<String>, widths: &[f32], rows: Vec<Vec<String>>) -> Block {
    Block::Table(Table {
        headers,
        widths: widths.to_vec(),
        rows,
    })
}

fn scope(w: &Words, plan: &Plan) -> Section {
    let o = &plan.organisation;
    let e = &plan.exit_plan;
    let mut facts = vec![
        (w.t("report.fact.organisation"), w.or_open(&o.name)),
        (w.t("report.fact.kind"), w.value("kind", &o.kind)),
    ];
    if let Some(m) = o.members {
        facts.push((w.t("report.fact.members"), w.number(m)));
    }
    if let Some(a) = o.active_users {
        facts.push((w.t("report.fact.active_users"), w.number(a)));
    }
    if !o.countries.is_empty() {
        // Names in the document's language (the catalogues carry CLDR's names).
        let names: Vec<String> = o
            .countries
            .iter()
            .map(|c| w.t(&format!("country.{c}")))
            .collect();
        facts.push((w.t("report.fact.countries"), names.join(", ")));
    }
    facts.push((
        w.t("report.fact.current_provider"),
        o.current_provider
            .map_or_else(|| w.t("report.not_decided"), |p| w.value("provider", &p)),
    ));
    if let Some(s) = o.data_sensitivity {
        facts.push((w.t("report.fact.sensitivity"), w.value("sensitivity", &s)));
    }
    if let Some(c) = o.technical_capacity {
        facts.push((w.t("report.fact.capacity"), w.value("capacity", &c)));
    }
    if !o.contact.name.trim().is_empty() {
        let mut c = o.contact.name.trim().to_owned();
        if !o.contact.email.trim().is_empty() {
            c = format!("{c} <{}>", o.contact.email.trim());
        }
        facts.push((w.t("report.fact.contact"), c));
    }
    facts.push((w.t("report.fact.sign_off_by"), w.or_open(&e.sign_off_by)));
    facts.push((w.t("report.fact.review_date"), w.opt_date(e.review_date)));

    let mut blocks = vec![
        Block::Paragraph(w.t("report.scope.intro")),
        Block::Facts(facts),
        Block::Subheading(w.t("report.owners")),
    ];
    if e.owners.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_owners")));
    } else {
        blocks.push(table(
            vec![
                w.t("report.col.name"),
                w.t("report.col.role"),
                w.t("report.col.email"),
            ],
            &[3.0, 3.0, 4.0],
            e.owners
                .iter()
                .map(|p| vec![p.name.clone(), p.role.clone(), p.email.clone()])
                .collect(),
        ));
    }
    section(w, "report.section.scope", blocks)
}

fn triggers(w: &Words, e: &ExitPlan) -> Section {
    let mut blocks = vec![Block::Paragraph(w.t("report.triggers.intro"))];
    if e.triggers.is_empty() {
        blocks.push(Block::Missing(w.t("gap.no_triggers")));
    } else {
        blocks.push(table(
            vec![
                w.t("report.col.trigger"),
                w.t("report.col.path"),
                w.t("report.col.notes"),
            ],
            &[4.5, 2.0, 3.5],
            e.triggers
                .iter()
                .map(|t| {
                    vec![
                        w.t(&format!("trigger.{}", t.trigger.key())),
                        w.value("exit_path", &t.path),
                        t.notes.clone(),
                    ]
                })
                .collect(),
        ));
    }
    section(w, "report.section.triggers", blocks)
}

fn products_today(plan: &Plan, need: &NeedDef) -> String {
    let list: Vec<&String> = CurrentProvider::suites(plan.organisation.current_provider)
        .iter()
        .flat_map(|suite| need.replaces.in_suite(*suite))
        .collect();
    list.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn inventory(w: &Words, plan: &Plan) -> Section {
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
                products_today(plan, def),
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

/// The storage the new host must offer, or "not decided".
pub(crate) fn storage_text(w: &Words, gb: Option<u32>) -> String {
    gb.map_or_else(
        || w.t("report.not_decided"),
        |gb| w.ta("report.fact.storage_value", &[("gb", &w.number(gb))]),
    )
}

fn catalogue_source(w: &Words, c: &Catalogue) -> String {
    let date = w.date(c.origin.as_of.date_naive());
    match c.origin.kind {
        OriginKind::Bundled => w.ta("report.catalogue.bundled", &[("date", &date)]),
        OriginKind::Downloaded => w.ta("report.catalogue.downloaded", &[("date", &date)]),
    }
}

fn status_text(w: &Words, r: Option<&Recipe>) -> String {
    match r.and_then(|r| r.status.level) {
        Some(level) => w.ta(
            "report.target.status_level",
            &[("level", &level.to_string())],
        ),
        None => w.t("report.unknown"),
    }
}

fn sso_text(w: &Words, r: Option<&Recipe>) -> String {
    match r.map(|r| SsoSupport::of(&r.sso)) {
        Some(SsoSupport::Automatic) => w.t("report.sso.automatic"),
        Some(SsoSupport::Manual) => w.t("report.sso.manual"),
        Some(SsoSupport::None) => w.t("report.no"),
        Some(SsoSupport::Unknown) | None => w.t("report.unknown"),
    }
}

fn backups_text(w: &Words, r: Option<&Recipe>) -> String {
    match r.map(|r| Presence::of(&r.backups)) {
        Some(Presence::Yes) => w.t("report.yes"),
        Some(Presence::No) => w.t("report.no"),
        Some(Presence::Unknown) | None => w.t("report.unknown"),
    }
}

fn target(w: &Words, plan: &Plan, catalogue: &Catalogue) -> Section {
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

/// The tools in use today (needs-mapping step): who uses them and how much data they hold.
fn tools_table(w: &Words, plan: &Plan) -> Option<Block> {
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
fn tool_exports(w: &Words, plan: &Plan) -> Option<Block> {
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

fn export(w: &Words, plan: &Plan) -> Section {
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
    section(w, "report.section.export", blocks)
}

fn identity(w: &Words, plan: &Plan, e: &ExitPlan) -> Section {
    let sso = &plan.sso;
    let mut blocks = vec![Block::Paragraph(w.t("report.identity.intro"))];
    match sso.idp {
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

fn timeline(w: &Words, e: &ExitPlan) -> Section {
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

fn backups(w: &Words, e: &ExitPlan) -> Section {
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

fn leaving_host(w: &Words, e: &ExitPlan) -> Section {
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

fn money(w: &Words, amount: Option<u32>, currency: &str) -> String {
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

fn roles(w: &Words, plan: &Plan) -> Section {
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
    blocks.push(Block::Subheading(w.t("report.section.sign_off")));
    blocks.push(Block::Paragraph(
        w.ta("report.sign.intro", &[("body", &w.or_open(&e.sign_off_by))]),
    ));
    blocks.push(Block::Signatures {
        labels: vec![
            w.t("report.sign.name"),
            w.t("report.sign.signature"),
            w.t("report.sign.place"),
            w.t("report.sign.date"),
        ],
        signers: 2,
    });
    section(w, "report.section.roles", blocks)
}
