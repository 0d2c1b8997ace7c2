//! `ferry-cli`: the plan library from the command line, over the same engine as the app.
//! A library so that the installed app's binary can carry it too (`run`): one copy of the
//! engine in the package instead of two.

mod catalogue;
mod deploy;
mod host;
mod import;
mod moves;
mod plan;
mod say;
mod sso;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ferry_api::ApiError;
use ferry_core::library::{self, DATA_DIR_ENV};
use ferry_core::{ErrorPayload, Language, Library};

pub use say::Say;

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

    /// Language of everything written: en, nb, de or es (default: the plan file's, else
    /// the computer's, else English). Also the language of PDF and Markdown documents.
    #[arg(long, global = true, env = say::LANG_ENV, value_name = "LANG", value_parser = parse_language)]
    lang: Option<Language>,

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
    /// Move mail, calendars, contacts and Drive files from a Google export into the new apps.
    #[command(subcommand)]
    Move(moves::MoveCommand),
    /// Read Google Workspace / Microsoft 365 exports: a preview, or --apply to a plan file.
    Import(import::ImportArgs),
    /// Suggest recipes for each need in a .ferry.json plan file.
    Recommend {
        file: PathBuf,
        /// Print JSON for machines instead of text.
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// The plan file the command works on: the run speaks its language unless asked otherwise.
    fn plan_file(&self) -> Option<&Path> {
        match self {
            Command::Plan(cmd) => cmd.plan_file(),
            Command::Deploy(cmd) => cmd.plan_file(),
            Command::Sso(cmd) => Some(cmd.plan_file()),
            Command::Import(args) => args.plan_file(),
            Command::Move(cmd) => cmd.plan_file(),
            Command::Recommend { file, .. } => Some(file),
            Command::Catalogue(_) => None,
        }
    }
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::from_code(s).ok_or_else(|| Say::computer().t("cli.lang.unknown", &[("lang", s)]))
}

/// A failure the user can act on, with the exit code that goes with it.
pub struct Failure {
    why: Why,
    code: u8,
}

enum Why {
    /// Already in the run's words.
    Said(String),
    /// From the engine: written with its `error.<code>` message when printed.
    Engine(ErrorPayload),
}

impl Failure {
    /// `message` from `Say::t`.
    pub fn new(message: String) -> Self {
        Failure::with_code(message, 1)
    }

    /// With another exit code than 1 (see `ferry-cli sso members --help`).
    pub fn with_code(message: String, code: u8) -> Self {
        Failure {
            why: Why::Said(message),
            code,
        }
    }

    /// Something that should not happen (a worker thread not starting): said as the
    /// engine says its own inner failures.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::internal(e).into()
    }

    fn text(&self, say: &Say) -> String {
        match &self.why {
            Why::Said(message) => message.clone(),
            Why::Engine(payload) => say.error(payload),
        }
    }
}

/// The engine's errors, kept with their codes and written in the run's language.
macro_rules! from_engine {
    ($($ty:ty),+) => {$(
        impl From<$ty> for Failure {
            fn from(e: $ty) -> Self {
                Failure {
                    why: Why::Engine(ApiError::from(e).to_payload()),
                    code: 1,
                }
            }
        }
    )+};
}

from_engine!(
    ApiError,
    ferry_core::CoreError,
    ferry_catalogue::RefreshError,
    ferry_hosting::client::ClientError,
    ferry_import::ImportError,
    ferry_secrets::SecretError,
    ferry_sso::SsoError,
    ferry_move::MoveError
);

fn data_dir(data_dir: Option<PathBuf>, say: &Say) -> Result<PathBuf, Failure> {
    data_dir.or_else(library::default_data_dir).ok_or_else(|| {
        Failure::new(say.t(
            "cli.no_home",
            &[("env", DATA_DIR_ENV), ("option", "--data-dir")],
        ))
    })
}

fn open_library(dir: Option<PathBuf>, say: &Say) -> Result<Library, Failure> {
    Ok(Library::open_in(&data_dir(dir, say)?)?)
}

/// Parses the command line and runs the command; what `ferry-cli` does.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let say = Say::resolve(cli.lang, cli.command.plan_file());
    let say = &say;
    let result = match cli.command {
        Command::Plan(cmd) => plan::run(
            cmd,
            say,
            || open_library(cli.data_dir.clone(), say),
            || data_dir(cli.data_dir.clone(), say),
        ),
        Command::Deploy(cmd) => deploy::run(cmd, say, &host::CliHost::new(cli.data_dir.clone())),
        Command::Sso(cmd) => sso::run(cmd, say),
        Command::Move(cmd) => moves::run(cmd, say, &host::CliHost::new(cli.data_dir.clone())),
        Command::Import(args) => import::run(args, say),
        Command::Catalogue(cmd) => {
            data_dir(cli.data_dir, say).and_then(|d| catalogue::run(cmd, &d, say))
        }
        Command::Recommend { file, json } => {
            data_dir(cli.data_dir, say).and_then(|d| catalogue::recommend_cmd(&file, json, &d, say))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("ferry-cli: {}", f.text(say));
            ExitCode::from(f.code)
        }
    }
}
