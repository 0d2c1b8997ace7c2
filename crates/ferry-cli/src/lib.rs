//! `ferry-cli`: the plan library from the command line, over the same engine as the app.
//! A library so that the installed app's binary can carry it too (`run`): one copy of the
//! engine in the package instead of two.

mod catalogue;
mod deploy;
mod host;
mod import;
mod plan;
mod sso;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ferry_core::library::{self, DATA_DIR_ENV};
use ferry_core::{CoreError, Language, Library};

#[derive(Parser)]
#[command(
    name = "ferry-cli",
    // Also when the app's binary runs it (started as `ferry-cli`, see src-tauri/src/main.rs).
    bin_name = "ferry-cli",
    version,
    about = "Ferry: plan an organisation's move off Google Workspace or Microsoft 365 onto cooperative hosting.",
    after_help = "The desktop app works on the same library: ferry [FILE.ferry.json]... (see ferry --help)."
)]
struct Cli {
    /// Folder of the plan library (the app uses the same one by default).
    #[arg(long, global = true, env = DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work with plans in the library and with plan files.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// The Co-op Cloud recipe catalogue.
    #[command(subcommand)]
    Catalogue(catalogue::CatalogueCommand),
    /// Hand a plan's apps to a hosting co-op and follow the order.
    #[command(subcommand)]
    Deploy(deploy::DeployCommand),
    /// Single sign-on for a plan's apps on Keycloak, Authentik or Rauthy.
    #[command(subcommand)]
    Sso(sso::SsoCommand),
    /// Read Google Workspace / Microsoft 365 exports: a preview, or --apply to a plan file.
    Import(import::ImportArgs),
    /// Suggest recipes for each need in a .ferry.json plan file.
    Recommend {
        file: PathBuf,
        /// Print JSON for machines instead of text.
        #[arg(long)]
        json: bool,
        /// Language of the text (default: the plan's document language).
        #[arg(long, value_parser = parse_language)]
        lang: Option<Language>,
    },
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::from_code(s)
        .ok_or_else(|| format!("\"{s}\" is not a language Ferry speaks (en, nb, de, es)"))
}

/// A failure the user can act on, with the exit code that goes with it.
pub struct Failure {
    message: String,
    code: u8,
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        let mut message = e.to_string();
        if let CoreError::Invalid(problems) = &e {
            message = String::from("the plan has problems:");
            for p in problems {
                message.push_str(&format!("\n  - {}: {}", p.field, plan::describe_problem(p)));
            }
        }
        Failure { message, code: 1 }
    }
}

/// An error from the command surface, in the CLI's words: the fields to fix listed.
impl From<ferry_api::ApiError> for Failure {
    fn from(e: ferry_api::ApiError) -> Self {
        match e {
            ferry_api::ApiError::Core(core) => core.into(),
            other => {
                let problems = other.problems();
                let mut message = match &other {
                    ferry_api::ApiError::SsoNotReady { .. } => {
                        "the plan is not ready for single sign-on:".to_owned()
                    }
                    ferry_api::ApiError::DeployNotReady { .. } => {
                        "the order is not complete:".to_owned()
                    }
                    _ => other.to_string(),
                };
                for p in &problems {
                    message.push_str(&format!("\n  - {}: {}", p.field, plan::describe_problem(p)));
                }
                Failure { message, code: 1 }
            }
        }
    }
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }

    /// With another exit code than 1 (see `ferry-cli sso members --help`).
    pub fn with_code(message: impl Into<String>, code: u8) -> Self {
        Failure {
            message: message.into(),
            code,
        }
    }
}

fn data_dir(data_dir: Option<PathBuf>) -> Result<PathBuf, Failure> {
    data_dir.or_else(library::default_data_dir).ok_or_else(|| {
        Failure::new(format!(
            "no home folder found; set {DATA_DIR_ENV} or pass --data-dir"
        ))
    })
}

fn open_library(dir: Option<PathBuf>) -> Result<Library, Failure> {
    Ok(Library::open_in(&data_dir(dir)?)?)
}

/// Parses the command line and runs the command; what `ferry-cli` does.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(cmd) => plan::run(
            cmd,
            || open_library(cli.data_dir.clone()),
            || data_dir(cli.data_dir.clone()),
        ),
        Command::Deploy(cmd) => deploy::run(cmd, || open_library(cli.data_dir.clone())),
        Command::Sso(cmd) => sso::run(cmd),
        Command::Import(args) => import::run(args),
        Command::Catalogue(cmd) => data_dir(cli.data_dir).and_then(|d| catalogue::run(cmd, &d)),
        Command::Recommend { file, json, lang } => {
            data_dir(cli.data_dir).and_then(|d| catalogue::recommend_cmd(&file, json, lang, &d))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("ferry-cli: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
