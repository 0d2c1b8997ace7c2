//! `ferry-cli plan …`

use std::path::PathBuf;

use clap::Subcommand;
use ferry_core::validate::FieldProblem;
use ferry_core::{Language, Library, PlanId, Shelf, exchange};
use ferry_report::DocumentFormat;

use crate::Failure;

#[derive(Subcommand)]
pub enum PlanCommand {
    /// List the plans in the library.
    List {
        /// List the plans in the trash instead.
        #[arg(long)]
        trash: bool,
        /// Only plans whose name contains this text.
        #[arg(long, default_value = "")]
        search: String,
        /// Print JSON for machines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write a plan from the library to a .ferry.json file.
    Export {
        /// The plan's id, or the start of it.
        id: String,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Add a plan from a .ferry.json file to the library, as a new plan.
    Import { file: PathBuf },
    /// Check a .ferry.json file without changing anything.
    Validate { file: PathBuf },
    /// Write the exit-strategy plan of a .ferry.json file as a PDF.
    Pdf {
        file: PathBuf,
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
        /// Language of the document (default: the plan's document language).
        #[arg(long, value_parser = crate::parse_language)]
        lang: Option<Language>,
    },
    /// Print the exit-strategy plan of a .ferry.json file as Markdown.
    Markdown {
        file: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT.md")]
        output: Option<PathBuf>,
        #[arg(long, value_parser = crate::parse_language)]
        lang: Option<Language>,
    },
}

pub fn run(
    cmd: PlanCommand,
    open: impl FnOnce() -> Result<Library, Failure>,
    data_dir: impl FnOnce() -> Result<PathBuf, Failure>,
) -> Result<(), Failure> {
    match cmd {
        PlanCommand::List {
            trash,
            search,
            json,
        } => {
            let lib = open()?;
            let shelf = if trash { Shelf::Trash } else { Shelf::Active };
            let plans = lib.list(shelf, &search)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&plans).expect("summaries serialise")
                );
            } else if plans.is_empty() {
                println!("No plans{}.", if trash { " in the trash" } else { " yet" });
            } else {
                println!("{:<36}  {:<16}  NAME", "ID", "CHANGED");
                for p in plans {
                    println!(
                        "{}  {:<16}  {}",
                        p.id,
                        p.updated_at.format("%Y-%m-%d %H:%M"),
                        p.name
                    );
                }
            }
        }
        PlanCommand::Export { id, output } => {
            let lib = open()?;
            let id = resolve_id(&lib, &id)?;
            lib.export_to(id, &output)?;
            println!("Wrote {}", output.display());
            let personal = ferry_core::privacy::personal_data(&lib.get(id)?);
            if !personal.is_empty() {
                let what: Vec<String> = personal
                    .iter()
                    .map(|k| {
                        let key = serde_json::to_value(k).unwrap_or_default();
                        let key = format!("personal.{}", key.as_str().unwrap_or_default());
                        ferry_core::messages::text(Language::En, &key, &[])
                    })
                    .collect();
                println!(
                    "It holds personal data ({}): share it only with people who may see it.",
                    what.join(", ")
                );
            }
        }
        PlanCommand::Import { file } => {
            let plan = exchange::read_plan_file(&file)?;
            let mut lib = open()?;
            let plan = lib.import(plan)?;
            println!("Imported \"{}\" as a new plan: {}", plan.name, plan.id);
        }
        PlanCommand::Validate { file } => {
            let plan = exchange::read_plan_file(&file)?;
            println!(
                "{}: a valid Ferry plan (\"{}\", format version {})",
                file.display(),
                plan.name,
                plan.schema_version
            );
        }
        PlanCommand::Pdf { file, output, lang } => {
            let (plan, catalogue) = plan_and_catalogue(&file, lang, &data_dir()?)?;
            ferry_report::export::write(&plan, &catalogue, today(), DocumentFormat::Pdf, &output)?;
            println!("Wrote {}", output.display());
        }
        PlanCommand::Markdown { file, output, lang } => {
            let (plan, catalogue) = plan_and_catalogue(&file, lang, &data_dir()?)?;
            match output {
                Some(path) => {
                    ferry_report::export::write(
                        &plan,
                        &catalogue,
                        today(),
                        DocumentFormat::Markdown,
                        &path,
                    )?;
                    println!("Wrote {}", path.display());
                }
                None => {
                    let doc = ferry_report::build(&plan, &catalogue, today());
                    print!("{}", ferry_report::markdown::render(&doc));
                }
            }
        }
    }
    Ok(())
}

/// A plan file, in `lang` if given, and the catalogue in use for its scores.
fn plan_and_catalogue(
    file: &std::path::Path,
    lang: Option<Language>,
    data_dir: &std::path::Path,
) -> Result<(ferry_core::Plan, ferry_catalogue::Catalogue), Failure> {
    let mut plan = exchange::read_plan_file(file)?;
    if let Some(lang) = lang {
        plan.language = lang;
    }
    Ok((plan, ferry_catalogue::Store::new(data_dir).load()))
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A full id, or a prefix that matches exactly one plan (active or in the trash).
fn resolve_id(lib: &Library, text: &str) -> Result<PlanId, Failure> {
    if let Ok(id) = text.parse() {
        return Ok(id);
    }
    let prefix = text.trim().to_lowercase();
    if prefix.len() < 4 {
        return Err(Failure::new(format!(
            "\"{text}\" is not a plan id; `ferry-cli plan list` shows them"
        )));
    }
    let mut matches = Vec::new();
    for shelf in [Shelf::Active, Shelf::Trash] {
        matches.extend(
            lib.list(shelf, "")?
                .into_iter()
                .filter(|p| p.id.to_string().starts_with(&prefix)),
        );
    }
    match matches.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Failure::new(format!(
            "no plan id starts with \"{text}\"; `ferry-cli plan list` shows them"
        ))),
        _ => Err(Failure::new(format!(
            "more than one plan id starts with \"{text}\"; give more of it"
        ))),
    }
}

/// English wording of a field problem for the terminal.
pub fn describe_problem(p: &FieldProblem) -> String {
    let value = p.value.as_deref().unwrap_or("");
    match p.code.as_str() {
        "required" => "must be filled in".into(),
        "too_long" => format!("is longer than {value} characters"),
        "too_large" => format!("is larger than {value}"),
        "control_characters" => "contains control characters".into(),
        "more_than_members" => "is more than the number of members".into(),
        "unknown_country" => format!("\"{value}\" is not a country code such as NO or DE"),
        "unknown_language" => format!("\"{value}\" is not a language code such as nb or en"),
        "duplicate" => format!("\"{value}\" is listed twice"),
        "email_invalid" => format!("\"{value}\" is not an e-mail address"),
        "phone_invalid" => format!("\"{value}\" is not a phone number"),
        "url_invalid" => format!("\"{value}\" is not a web address"),
        "url_not_https" => format!("\"{value}\" must start with https://"),
        "realm_invalid" => format!("\"{value}\" may only have small letters, digits and dashes"),
        "group_invalid" => format!("\"{value}\" may only have letters, digits, spaces, - and _"),
        other => other.to_owned(),
    }
}
