//! `ferry-cli catalogue …` and `ferry-cli recommend`.

use std::path::Path;

use clap::Subcommand;
use ferry_catalogue::recommend::{Reason, Recommendation, Warning, recommend};
use ferry_catalogue::{
    Feature, Recipe, RefreshConfig, RefreshOutcome, Score, Status, Store, refresh,
};
use ferry_core::messages::text;
use ferry_core::model::Priority;
use ferry_core::{Language, exchange};

use crate::{Failure, Say};

#[derive(Subcommand)]
pub enum CatalogueCommand {
    /// Download the current recipe catalogue (keeps the last good copy on any failure).
    Update {
        /// Where to download from.
        #[arg(long, default_value = ferry_catalogue::store::DEFAULT_URL)]
        url: String,
    },
    /// Find recipes whose name or description contains TEXT.
    Search { text: String },
    /// Everything the catalogue says about one recipe.
    Show { name: String },
}

pub fn run(cmd: CatalogueCommand, data_dir: &Path, say: &Say) -> Result<(), Failure> {
    let store = Store::new(data_dir);
    match cmd {
        CatalogueCommand::Update { url } => {
            let config = RefreshConfig {
                url,
                ..RefreshConfig::default()
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(Failure::internal)?;
            let result = runtime.block_on(refresh(&store, &config, |p| {
                let received = (p.received / 1024).to_string();
                let line = match p.total {
                    Some(total) => say.t(
                        "cli.catalogue.downloading_of",
                        &[
                            ("received", &received),
                            ("total", &(total / 1024).to_string()),
                        ],
                    ),
                    None => say.t("cli.catalogue.downloading", &[("received", &received)]),
                };
                eprint!("\r{line}");
            }));
            eprintln!();
            match result {
                Ok(RefreshOutcome::Updated { recipes, skipped }) => {
                    let count = recipes.to_string();
                    println!("{}", say.t("cli.catalogue.updated", &[("count", &count)]));
                    if skipped > 0 {
                        let count = skipped.to_string();
                        println!("{}", say.t("cli.catalogue.skipped", &[("count", &count)]));
                    }
                }
                Ok(RefreshOutcome::NotModified) => println!("{}", say.t("recipes.upToDate", &[])),
                Err(e) => {
                    let reason = say.error(&ferry_api::ApiError::from(e).to_payload());
                    let current = store.load();
                    return Err(Failure::new(say.t(
                        "cli.catalogue.update_failed",
                        &[
                            ("reason", &reason),
                            ("date", &current.origin.as_of.format("%Y-%m-%d").to_string()),
                            ("count", &current.recipes.len().to_string()),
                        ],
                    )));
                }
            }
        }
        CatalogueCommand::Search { text } => {
            let catalogue = store.load();
            let needle = text.to_lowercase();
            let hits: Vec<&Recipe> = catalogue
                .recipes
                .iter()
                .filter(|r| {
                    r.name.contains(&needle)
                        || r.description
                            .as_deref()
                            .is_some_and(|d| d.to_lowercase().contains(&needle))
                })
                .collect();
            if hits.is_empty() {
                println!("{}", say.t("cli.catalogue.no_match", &[("text", &text)]));
            }
            for r in hits {
                println!(
                    "{:<24} {} {:<10} {} {:<14} {}",
                    r.name,
                    say.t("cli.catalogue.field.status", &[]),
                    status(&r.status, say),
                    say.t("cli.catalogue.field.sso", &[]),
                    feature(&r.sso, say),
                    r.description.as_deref().unwrap_or("")
                );
            }
            println!("\n{}", origin_line(&catalogue, say));
        }
        CatalogueCommand::Show { name } => {
            let catalogue = store.load();
            let r = catalogue
                .recipes
                .get(&name.to_lowercase())
                .ok_or_else(|| Failure::new(say.t("cli.catalogue.no_app", &[("name", &name)])))?;
            println!("{}", r.name);
            if let Some(d) = &r.description {
                println!("  {d}");
            }
            let mut rows: Vec<(&str, String)> = vec![
                ("status", status(&r.status, say)),
                ("sso", feature(&r.sso, say)),
                ("backups", feature(&r.backups, say)),
                ("email", feature(&r.email, say)),
                ("healthcheck", feature(&r.healthcheck, say)),
                ("tests", feature(&r.tests, say)),
            ];
            rows.extend(r.latest_version().map(|v| ("latest", v.to_string())));
            rows.extend(r.website.clone().map(|l| ("website", l)));
            rows.extend(r.repository.clone().map(|l| ("repository", l)));
            let rows: Vec<(String, String)> = rows
                .into_iter()
                .map(|(k, v)| (say.t(&format!("cli.catalogue.field.{k}"), &[]) + ":", v))
                .collect();
            let width = rows
                .iter()
                .map(|(l, _)| l.chars().count())
                .max()
                .unwrap_or(0);
            for (label, value) in rows {
                println!("  {label:<width$} {value}");
            }
            if let Some(src) = catalogue.origin.score_sources.get(&r.name) {
                println!("  {}", say.t(&format!("source.{src}"), &[]));
            }
            println!("\n{}", origin_line(&catalogue, say));
        }
    }
    Ok(())
}

fn origin_line(c: &ferry_catalogue::Catalogue, say: &Say) -> String {
    let key = match c.origin.kind {
        ferry_catalogue::OriginKind::Bundled => "cli.catalogue.origin.bundled",
        ferry_catalogue::OriginKind::Downloaded => "cli.catalogue.origin.downloaded",
    };
    say.t(
        key,
        &[("date", &c.origin.as_of.format("%Y-%m-%d").to_string())],
    )
}

/// The level and the maintainer's own word for it (catalogue data, as written there).
fn status(s: &Status, say: &Say) -> String {
    match (s.level, &s.label) {
        (Some(l), Some(label)) => format!("{l}/5 {label}"),
        (Some(l), None) => format!("{l}/5"),
        (None, _) => say.t("cli.score.unknown", &[]),
    }
}

fn feature(f: &Feature, say: &Say) -> String {
    let key = match f.score {
        Score::Level(3) => "automatic",
        Score::Level(2) => "mostly_automatic",
        Score::Level(1) => "by_hand",
        Score::Level(_) => "none",
        Score::Yes => "yes",
        Score::No => "no",
        Score::NotApplicable => "not_applicable",
        Score::Unknown => "unknown",
    };
    let base = say.t(&format!("cli.score.{key}"), &[]);
    match &f.note {
        Some(n) => format!("{base} ({n})"),
        None => base,
    }
}

pub fn recommend_cmd(file: &Path, json: bool, data_dir: &Path, say: &Say) -> Result<(), Failure> {
    let plan = exchange::read_plan_file(file)?;
    let catalogue = Store::new(data_dir).load();
    let advice = recommend(&plan, &catalogue.recipes, ferry_core::needs::taxonomy());
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&advice).expect("recommendation serialises")
        );
        return Ok(());
    }
    print_recommendation(&advice, say);
    println!("\n{}", origin_line(&catalogue, say));
    Ok(())
}

fn print_recommendation(r: &Recommendation, say: &Say) {
    let lang = say.lang();
    let need_name = |id: &str| text(lang, &format!("need.{id}.name"), &[]);
    if r.needs.is_empty() {
        println!("{}", say.t("cli.recommend.no_needs", &[]));
    }
    for advice in &r.needs {
        let priority = match advice.priority {
            Priority::Must => "must",
            Priority::Should => "should",
            Priority::Could => "could",
            Priority::NotNow => "not_now",
        };
        let priority = say.t(&format!("priority.{priority}"), &[]);
        println!("{} ({priority})", need_name(&advice.need));
        for (i, o) in advice.options.iter().take(3).enumerate() {
            let option = say.t(
                "cli.recommend.option",
                &[
                    ("rank", &(i + 1).to_string()),
                    ("app", &o.recipe),
                    ("points", &o.points.to_string()),
                ],
            );
            println!("  {option}");
            for reason in &o.reasons {
                println!("     + {}", describe_reason(reason, lang, &need_name));
            }
            for warning in &o.warnings {
                println!("     ! {}", describe_warning(warning, lang));
            }
        }
        for f in &advice.friction {
            let friction = text(lang, &format!("friction.{f}"), &[]);
            println!("  {}", say.t("cli.note", &[("text", &friction)]));
        }
    }
    if !r.uncovered.is_empty() {
        let names: Vec<String> = r.uncovered.iter().map(|n| need_name(n)).collect();
        let line = say.t("recipes.uncovered", &[("needs", &names.join(", "))]);
        println!("\n{line}");
    }
}

fn describe_reason(r: &Reason, lang: Language, need_name: &dyn Fn(&str) -> String) -> String {
    let key = |k: &str| format!("reason.{k}");
    match r {
        Reason::CoversNeed => text(lang, &key("covers_need"), &[]),
        Reason::CoversPartly => text(lang, &key("covers_partly"), &[]),
        Reason::Mature { level } => text(lang, &key("mature"), &[("level", &level.to_string())]),
        Reason::SsoAutomatic { note } => with_note(text(lang, &key("sso_automatic"), &[]), note),
        Reason::SsoManual { note } => with_note(text(lang, &key("sso_manual"), &[]), note),
        Reason::Backups => text(lang, &key("backups"), &[]),
        Reason::CoversOtherNeeds { needs } => {
            let names: Vec<String> = needs.iter().map(|n| need_name(n)).collect();
            text(
                lang,
                &key("covers_other_needs"),
                &[("needs", &names.join(", "))],
            )
        }
        Reason::LightToRun => text(lang, &key("light_to_run"), &[]),
    }
}

fn with_note(text: String, note: &Option<String>) -> String {
    match note {
        Some(n) => format!("{text} ({n})"),
        None => text,
    }
}

fn describe_warning(w: &Warning, lang: Language) -> String {
    let (key, level) = match w {
        Warning::Experimental { level } => ("experimental", Some(*level)),
        Warning::StatusUnknown => ("status_unknown", None),
        Warning::NoSso => ("no_sso", None),
        Warning::SsoUnknown => ("sso_unknown", None),
        Warning::NoBackups => ("no_backups", None),
        Warning::BackupsUnknown => ("backups_unknown", None),
        Warning::HeavyForCapacity => ("heavy_for_capacity", None),
        Warning::SensitiveDataOnYoungRecipe => ("sensitive_data_on_young_recipe", None),
    };
    let level = level.map(|l| l.to_string()).unwrap_or_default();
    text(lang, &format!("warning.{key}"), &[("level", &level)])
}
