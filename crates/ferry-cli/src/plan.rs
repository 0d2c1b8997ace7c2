//! `ferry-cli plan …`

use std::path::{Path, PathBuf};

use clap::Subcommand;
use ferry_core::{Language, Library, PlanId, Shelf, exchange};
use ferry_report::DocumentFormat;

use crate::{Failure, Say};

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
    /// Write the exit-strategy plan of a .ferry.json file as a PDF (in --lang, else the
    /// plan's document language).
    Pdf {
        file: PathBuf,
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
    },
    /// Print the exit-strategy plan of a .ferry.json file as Markdown (in --lang, else
    /// the plan's document language).
    Markdown {
        file: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT.md")]
        output: Option<PathBuf>,
    },
}

impl PlanCommand {
    pub fn plan_file(&self) -> Option<&Path> {
        match self {
            PlanCommand::List { .. } | PlanCommand::Export { .. } => None,
            PlanCommand::Import { file }
            | PlanCommand::Validate { file }
            | PlanCommand::Pdf { file, .. }
            | PlanCommand::Markdown { file, .. } => Some(file),
        }
    }
}

pub fn run(
    cmd: PlanCommand,
    say: &Say,
    open: impl FnOnce() -> Result<Library, Failure>,
    data_dir: impl FnOnce() -> Result<PathBuf, Failure>,
) -> Result<(), Failure> {
    let wrote = |path: &Path| say.t("cli.wrote", &[("path", &path.display().to_string())]);
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
                let key = if trash {
                    "cli.plan.none_in_trash"
                } else {
                    "cli.plan.none"
                };
                println!("{}", say.t(key, &[]));
            } else {
                println!(
                    "{:<36}  {:<16}  {}",
                    say.t("cli.plan.col.id", &[]),
                    say.t("cli.plan.col.changed", &[]),
                    say.t("cli.plan.col.name", &[])
                );
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
            let id = resolve_id(&lib, &id, say)?;
            lib.export_to(id, &output)?;
            println!("{}", wrote(&output));
            let personal = ferry_core::privacy::personal_data(&lib.get(id)?);
            if !personal.is_empty() {
                let what: Vec<String> = personal
                    .iter()
                    .map(|k| {
                        let key = serde_json::to_value(k).unwrap_or_default();
                        say.t(
                            &format!("personal.{}", key.as_str().unwrap_or_default()),
                            &[],
                        )
                    })
                    .collect();
                println!(
                    "{}",
                    say.t("cli.plan.personal", &[("what", &what.join(", "))])
                );
            }
        }
        PlanCommand::Import { file } => {
            let plan = exchange::read_plan_file(&file)?;
            let mut lib = open()?;
            let plan = lib.import(plan)?;
            println!(
                "{}",
                say.t(
                    "cli.plan.imported",
                    &[("name", &plan.name), ("id", &plan.id.to_string())]
                )
            );
        }
        PlanCommand::Validate { file } => {
            let plan = exchange::read_plan_file(&file)?;
            println!(
                "{}",
                say.t(
                    "cli.plan.valid",
                    &[
                        ("path", &file.display().to_string()),
                        ("name", &plan.name),
                        ("version", &plan.schema_version.to_string()),
                    ]
                )
            );
        }
        PlanCommand::Pdf { file, output } => {
            let (plan, catalogue) = plan_and_catalogue(&file, say.lang(), &data_dir()?)?;
            ferry_report::export::write(&plan, &catalogue, today(), DocumentFormat::Pdf, &output)?;
            println!("{}", wrote(&output));
        }
        PlanCommand::Markdown { file, output } => {
            let (plan, catalogue) = plan_and_catalogue(&file, say.lang(), &data_dir()?)?;
            match output {
                Some(path) => {
                    ferry_report::export::write(
                        &plan,
                        &catalogue,
                        today(),
                        DocumentFormat::Markdown,
                        &path,
                    )?;
                    println!("{}", wrote(&path));
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

/// A plan file in the run's language (the plan's own unless --lang chose another), and
/// the catalogue in use for its scores.
fn plan_and_catalogue(
    file: &Path,
    lang: Language,
    data_dir: &Path,
) -> Result<(ferry_core::Plan, ferry_catalogue::Catalogue), Failure> {
    let mut plan = exchange::read_plan_file(file)?;
    plan.language = lang;
    Ok((plan, ferry_catalogue::Store::new(data_dir).load()))
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A full id, or a prefix that matches exactly one plan (active or in the trash).
fn resolve_id(lib: &Library, text: &str, say: &Say) -> Result<PlanId, Failure> {
    if let Ok(id) = text.parse() {
        return Ok(id);
    }
    let prefix = text.trim().to_lowercase();
    let fail = |key: &str| Failure::new(say.t(key, &[("text", text)]));
    if prefix.len() < 4 {
        return Err(fail("cli.plan.id.not_an_id"));
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
        [] => Err(fail("cli.plan.id.none")),
        _ => Err(fail("cli.plan.id.several")),
    }
}
