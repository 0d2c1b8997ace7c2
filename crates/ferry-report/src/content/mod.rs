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

mod inventory;
mod moves;
mod operations;
mod target;

use inventory::{export, inventory};
use operations::{backups, identity, leaving_host, roles, timeline};
pub(crate) use target::storage_text;
use target::target;

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

    pub(crate) fn number(&self, n: impl Into<u64>) -> String {
        // Digit groups the way each language writes them (thin space in Norwegian).
        let digits = n.into().to_string();
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
