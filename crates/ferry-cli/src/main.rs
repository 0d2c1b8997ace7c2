//! `ferry`: the plan library from the command line, over the same engine as the app.

mod plan;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ferry_core::library::{self, DATA_DIR_ENV};
use ferry_core::{CoreError, Library};

#[derive(Parser)]
#[command(
    name = "ferry",
    version,
    about = "Ferry: plan an organisation's move off Google Workspace or Microsoft 365 onto cooperative hosting."
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

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

fn open_library(data_dir: Option<PathBuf>) -> Result<Library, Failure> {
    let dir = data_dir.or_else(library::default_data_dir).ok_or_else(|| {
        Failure::new(format!(
            "no home folder found; set {DATA_DIR_ENV} or pass --data-dir"
        ))
    })?;
    Ok(Library::open_in(&dir)?)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(cmd) => plan::run(cmd, || open_library(cli.data_dir.clone())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("ferry: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
