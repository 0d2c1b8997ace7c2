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

use crate::Failure;

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

pub fn run(cmd: CatalogueCommand, data_dir: &Path) -> Result<(), Failure> {
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
                .map_err(|e| Failure::new(e.to_string()))?;
            let result = runtime.block_on(refresh(&store, &config, |p| {
                if let Some(total) = p.total {
                    eprint!(
                        "\rdownloading: {} of {} kB",
                        p.received / 1024,
                        total / 1024
                    );
                } else {
                    eprint!("\rdownloading: {} kB", p.received / 1024);
                }
            }));
            eprintln!();
            match result {
                Ok(RefreshOutcome::Updated { recipes, skipped }) => {
                    println!("Catalogue updated: {recipes} recipes.");
                    if skipped > 0 {
                        println!("{skipped} entries could not be read and were left out.");
                    }
                }
                Ok(RefreshOutcome::NotModified) => println!("The catalogue is already up to date."),
                Err(e) => {
                    let current = store.load();
                    return Err(Failure::new(format!(
                        "{e}. Still using the catalogue from {} ({} recipes).",
                        current.origin.as_of.format("%Y-%m-%d"),
                        current.recipes.len()
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
                println!("No recipe matches \"{text}\".");
            }
            for r in hits {
                println!(
                    "{:<24} status {:<10} SSO {:<14} {}",
                    r.name,
                    status(&r.status),
                    feature(&r.sso),
                    r.description.as_deref().unwrap_or("")
                );
            }
            println!("\n{}", origin_line(&catalogue));
        }
        CatalogueCommand::Show { name } => {
            let catalogue = store.load();
            let r = catalogue.recipes.get(&name.to_lowercase()).ok_or_else(|| {
                Failure::new(format!(
                    "no recipe called \"{name}\"; try `ferry-cli catalogue search`"
                ))
            })?;
            println!("{}", r.name);
            if let Some(d) = &r.description {
                println!("  {d}");
            }
            println!("  status:       {}", status(&r.status));
            println!("  single sign-on: {}", feature(&r.sso));
            println!("  backups:      {}", feature(&r.backups));
            println!("  e-mail:       {}", feature(&r.email));
            println!("  healthcheck:  {}", feature(&r.healthcheck));
            println!("  tests:        {}", feature(&r.tests));
            if let Some(v) = r.latest_version() {
                println!("  latest version: {v}");
            }
            for (label, link) in [("website", &r.website), ("recipe", &r.repository)] {
                if let Some(l) = link {
                    println!("  {label}: {l}");
                }
            }
            if let Some(src) = catalogue.origin.score_sources.get(&r.name) {
                println!("  {}", text(Language::En, &format!("source.{src}"), &[]));
            }
            println!("\n{}", origin_line(&catalogue));
        }
    }
    Ok(())
}

fn origin_line(c: &ferry_catalogue::Catalogue) -> String {
    format!(
        "Catalogue of {} ({}).",
        c.origin.as_of.format("%Y-%m-%d"),
        match c.origin.kind {
            ferry_catalogue::OriginKind::Bundled =>
                "shipped with Ferry; run `ferry-cli catalogue update` for current scores",
            ferry_catalogue::OriginKind::Downloaded => "downloaded",
        }
    )
}

fn status(s: &Status) -> String {
    match (s.level, &s.label) {
        (Some(l), Some(label)) => format!("{l}/5 {label}"),
        (Some(l), None) => format!("{l}/5"),
        (None, _) => "unknown".into(),
    }
}

fn feature(f: &Feature) -> String {
    let base = match f.score {
        Score::Level(3) => "automatic".to_owned(),
        Score::Level(2) => "mostly automatic".to_owned(),
        Score::Level(1) => "by hand".to_owned(),
        Score::Level(_) => "none".to_owned(),
        Score::Yes => "yes".to_owned(),
        Score::No => "no".to_owned(),
        Score::NotApplicable => "n/a".to_owned(),
        Score::Unknown => "unknown".to_owned(),
    };
    match &f.note {
        Some(n) => format!("{base} ({n})"),
        None => base,
    }
}

pub fn recommend_cmd(
    file: &Path,
    json: bool,
    lang: Option<Language>,
    data_dir: &Path,
) -> Result<(), Failure> {
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
    let lang = lang.unwrap_or(plan.language);
    print_recommendation(&advice, lang);
    println!("\n{}", origin_line(&catalogue));
    Ok(())
}

fn print_recommendation(r: &Recommendation, lang: Language) {
    let need_name = |id: &str| text(lang, &format!("need.{id}.name"), &[]);
    if r.needs.is_empty() {
        println!("The plan lists no needs yet.");
    }
    for advice in &r.needs {
        let priority = match advice.priority {
            Priority::Must => "must",
            Priority::Should => "should",
            Priority::Could => "could",
            Priority::NotNow => "not now",
        };
        println!("{} ({priority})", need_name(&advice.need));
        for (i, o) in advice.options.iter().take(3).enumerate() {
            println!("  {}. {} ({} points)", i + 1, o.recipe, o.points);
            for reason in &o.reasons {
                println!("     + {}", describe_reason(reason, lang, &need_name));
            }
            for warning in &o.warnings {
                println!("     ! {}", describe_warning(warning, lang));
            }
        }
        for f in &advice.friction {
            println!("  note: {}", text(lang, &format!("friction.{f}"), &[]));
        }
    }
    if !r.uncovered.is_empty() {
        let names: Vec<String> = r.uncovered.iter().map(|n| need_name(n)).collect();
        println!("\nNot covered by any recipe: {}", names.join(", "));
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
