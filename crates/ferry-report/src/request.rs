//! "A request to a hosting co-op": what an organisation without an identity provider
//! or a co-op yet hands to the co-ops it talks to — who we are, what we would like run,
//! how we want to sign in, and what we need to know before we choose. In the plan's
//! language; the same PDF and Markdown writers as the exit plan.

use chrono::NaiveDate;
use ferry_core::Plan;

use crate::content::Words;
use crate::document::{Block, Document, Section, Table};

/// Builds the request for `plan`, dated `today`.
pub fn build(plan: &Plan, today: NaiveDate) -> Document {
    let w = Words {
        lang: plan.language,
    };
    let org = w.or_open(&plan.organisation.name);
    Document {
        lang: plan.language.code(),
        title: w.t("request.title"),
        subtitle: w.ta("request.subtitle", &[("org", &org)]),
        status: w.t("request.status"),
        generated: w.ta("report.generated", &[("date", &w.date(today))]),
        page_of: w.t("report.page_of"),
        contents_title: w.t("report.contents"),
        // One page after the cover: a contents page would be longer than the request.
        with_contents: false,
        subject: w.t("request.title"),
        organisation: org,
        date: today,
        sections: vec![
            about(&w, plan),
            apps(&w, plan),
            sign_in(&w, plan),
            questions(&w),
        ],
    }
}

fn about(w: &Words, plan: &Plan) -> Section {
    let o = &plan.organisation;
    let mut facts = vec![(w.t("report.fact.organisation"), w.or_open(&o.name))];
    if let Some(m) = o.members {
        facts.push((w.t("report.fact.members"), w.number(m)));
    }
    let contact = [&o.contact.name, &o.contact.email, &o.contact.phone]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    facts.push((w.t("report.fact.contact"), w.or_open(&contact)));
    if plan.exit_plan.storage_needed_gb.is_some() {
        let gb = plan.exit_plan.storage_needed_gb;
        facts.push((
            w.t("report.fact.storage"),
            crate::content::storage_text(w, gb),
        ));
    }
    Section {
        title: w.t("request.about"),
        blocks: vec![Block::Facts(facts)],
    }
}

fn apps(w: &Words, plan: &Plan) -> Section {
    let chosen = ferry_core::exit::chosen_apps(plan);
    let mut blocks = vec![Block::Paragraph(w.t("request.apps.intro"))];
    if chosen.is_empty() {
        blocks.push(Block::Missing(w.t("request.apps.none")));
    } else {
        let rows = chosen
            .iter()
            .map(|(need, recipe)| {
                let address = ferry_core::deploy::domain_for(plan, need, recipe)
                    .unwrap_or_else(|| w.t("report.not_decided"));
                // The app by its makers' name; the recipe too, which is what the
                // co-op deploys (`Rocket.Chat (rocketchat)`).
                let name = w.app(recipe);
                let app = if name == *recipe {
                    name
                } else {
                    format!("{name} ({recipe})")
                };
                vec![w.need(need), app, address]
            })
            .collect();
        blocks.push(Block::Table(Table {
            headers: vec![
                w.t("request.apps.need"),
                w.t("request.apps.recipe"),
                w.t("request.apps.address"),
            ],
            widths: vec![3.0, 2.0, 3.0],
            rows,
        }));
    }
    Section {
        title: w.t("request.apps"),
        blocks,
    }
}

fn sign_in(w: &Words, plan: &Plan) -> Section {
    let block = match plan.sso.idp {
        Some(idp) => Block::Paragraph(w.ta(
            "request.sign_in.have",
            &[
                ("idp", &w.t(&format!("sso.idp.{}.name", idp.key()))),
                ("url", &w.or_open(&plan.sso.url)),
            ],
        )),
        None => Block::Paragraph(w.t("request.sign_in.none")),
    };
    Section {
        title: w.t("request.sign_in"),
        blocks: vec![block, Block::Note(w.t("request.sign_in.why"))],
    }
}

fn questions(w: &Words) -> Section {
    let items = ["data", "backups", "leaving", "cost", "support", "accounts"]
        .iter()
        .map(|q| w.t(&format!("request.question.{q}")))
        .collect();
    Section {
        title: w.t("request.questions"),
        blocks: vec![
            Block::Paragraph(w.t("request.questions.intro")),
            Block::Bullets(items),
        ],
    }
}

#[cfg(test)]
mod tests {
    use ferry_core::Language;

    #[test]
    fn every_language_has_every_text_and_the_chosen_apps() {
        for lang in Language::ALL {
            let mut plan =
                ferry_core::examples::build(ferry_core::examples::Example::PatientGroup, lang);
            plan.sso.idp = None;
            let doc = super::build(&plan, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
            let texts = doc.texts().join("\n");
            assert!(
                !texts.contains("request."),
                "{lang:?}: a message key shows: {texts}"
            );
            for (_, recipe) in ferry_core::exit::chosen_apps(&plan) {
                let title =
                    ferry_core::messages::text(lang, &format!("recipe.{recipe}.title"), &[]);
                let named = if title.starts_with("recipe.") || title == recipe {
                    recipe.to_owned()
                } else {
                    format!("{title} ({recipe})")
                };
                assert!(texts.contains(&named), "{lang:?}: {named} missing");
            }
            let no_idp = ferry_core::messages::text(lang, "request.sign_in.none", &[]);
            assert!(texts.contains(&no_idp));
            assert_eq!(doc.sections.len(), 4);
        }
    }
}
