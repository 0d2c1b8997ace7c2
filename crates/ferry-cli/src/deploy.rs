//! `ferry-cli deploy …`: hand a plan's apps to a hosting co-op and follow the order.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ferry_api::ApiError;
use ferry_api::arrive::ArriveProgress;
use ferry_api::deploy::{Coop, order, order_id};
use ferry_hosting::{AppState, OrderStatus};
use uuid::Uuid;

use crate::host::CliHost;
use crate::{Failure, Say};

pub const TOKEN_ENV: &str = "FERRY_COOP_TOKEN";

#[derive(Subcommand)]
pub enum DeployCommand {
    /// Send the chosen apps of a .ferry.json plan to the co-op; the order is added to the file.
    Submit {
        file: PathBuf,
        #[command(flatten)]
        coop: CoopArgs,
        /// Wait and print progress until every app is deployed or failed.
        #[arg(long)]
        follow: bool,
    },
    /// The whole path to apps that sign in: the sign-in service ordered first, its
    /// admin key received sealed into the keyring, single sign-on set up and checked,
    /// the apps ordered with their client secrets and followed. Run it again after
    /// any stop: it continues where the plan file says it stopped.
    Arrive {
        file: PathBuf,
        #[command(flatten)]
        coop: CoopArgs,
    },
    /// Try a failed app of an order again, by its address.
    Retry {
        order: String,
        /// The app's address, e.g. hedgedoc.example.org.
        app: String,
        #[command(flatten)]
        coop: CoopArgs,
        /// Wait and print progress until every app is deployed or failed.
        #[arg(long)]
        follow: bool,
    },
    /// Cancel the apps of an order that have not started yet.
    Cancel {
        order: String,
        #[command(flatten)]
        coop: CoopArgs,
    },
    /// Print the status of an order.
    Status {
        order: String,
        #[command(flatten)]
        coop: CoopArgs,
        /// Print JSON for machines instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct CoopArgs {
    /// A co-op profile saved in the app (its name or id); its token comes from the keyring.
    #[arg(long, conflicts_with = "api_url", required_unless_present = "api_url")]
    coop: Option<String>,
    /// The co-op's API address, with the token in $FERRY_COOP_TOKEN.
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
}

impl DeployCommand {
    pub fn plan_file(&self) -> Option<&Path> {
        match self {
            DeployCommand::Submit { file, .. } | DeployCommand::Arrive { file, .. } => Some(file),
            _ => None,
        }
    }
}

/// The co-op: a saved profile (the engine's lookup, `Coop::saved`, with the token
/// from the environment when set), or an address given on the command line with the
/// token in the environment.
fn connect(args: &CoopArgs, say: &Say, host: &CliHost) -> Result<Coop, Failure> {
    let env_token = std::env::var(TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty());
    match (&args.coop, &args.api_url) {
        (_, Some(url)) => {
            let token = env_token.ok_or_else(|| {
                Failure::new(say.t("cli.deploy.no_token_env", &[("env", TOKEN_ENV)]))
            })?;
            Ok(Coop::new(url.clone(), url.clone(), &token)?)
        }
        (Some(which), None) => Coop::saved(host, which, env_token).map_err(|e| match e {
            ApiError::NoCoop => Failure::new(say.t("cli.deploy.no_profile", &[("name", which)])),
            ApiError::NoToken { name } => Failure::new(say.t(
                "cli.deploy.no_saved_token",
                &[("name", &name), ("env", TOKEN_ENV)],
            )),
            other => Failure::from(other),
        }),
        (None, None) => Err(Failure::new(say.t(
            "cli.deploy.which_coop",
            &[("coop", "--coop"), ("address", "--api-url")],
        ))),
    }
}

fn order_uuid(text: &str) -> Result<Uuid, Failure> {
    Ok(order_id(text)?)
}

/// Each app of an order: its state, address, steps done and what happened last (the
/// co-op's own words only for a failure, which say what went wrong; as the window does).
fn print_status(s: &OrderStatus, say: &Say) {
    let states = [
        AppState::Queued,
        AppState::Running,
        AppState::Deployed,
        AppState::Failed,
        AppState::Cancelled,
    ];
    let state = |st: AppState| say.t(&format!("deploy.state.{}", st.as_str()), &[]);
    let width = states
        .map(|st| state(st).chars().count())
        .into_iter()
        .max()
        .unwrap_or(0);
    const STEPS: [&str; 4] = ["new", "env", "secrets", "deploy"];
    for a in &s.apps {
        let message = match a.state {
            AppState::Queued => say.t("deploy.msg.queued", &[]),
            AppState::Running => {
                let step = STEPS[usize::from(a.progress).min(STEPS.len() - 1)];
                say.t(&format!("deploy.step.{step}"), &[])
            }
            AppState::Deployed => say.t(
                "deploy.msg.deployed",
                &[("version", a.deployed.as_deref().unwrap_or(&a.recipe))],
            ),
            AppState::Cancelled => say.t("deploy.msg.cancelled", &[]),
            AppState::Failed => a.message.clone(),
        };
        println!(
            "  {:<width$} {:<36} {}/{}  {message}",
            state(a.state),
            a.domain,
            a.progress,
            a.steps,
        );
    }
}

fn print_progress(s: &OrderStatus, say: &Say) {
    println!("{}", "-".repeat(40));
    print_status(s, say);
}

/// `deploy arrive`: the engine's path (ferry_api::arrive), the plan file kept after
/// each step; each step and each app's new state printed as they come.
fn arrive(file: &Path, coop: &CoopArgs, say: &Say, host: &CliHost) -> Result<(), Failure> {
    let rt = tokio::runtime::Runtime::new().map_err(Failure::internal)?;
    let plan = ferry_core::exchange::read_plan_file(file)?;
    let coop = connect(coop, say, host)?;
    let seen = std::sync::Mutex::new((None, Vec::<String>::new()));
    let print = |p: ArriveProgress| {
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.0 != Some(p.step) {
            let step = serde_json::to_value(p.step).expect("a step serialises");
            let words = say.t(
                &format!("arrive.step.{}", step.as_str().unwrap_or_default()),
                &[],
            );
            println!("{}", say.t("cli.arrive.step", &[("step", &words)]));
            *seen = (Some(p.step), Vec::new());
        }
        for a in p.status.iter().flat_map(|s| &s.apps) {
            let line = say.t(
                "cli.arrive.app",
                &[
                    ("app", &a.recipe),
                    ("domain", &a.domain),
                    (
                        "state",
                        &say.t(&format!("deploy.state.{}", a.state.as_str()), &[]),
                    ),
                ],
            );
            if !seen.1.contains(&line) {
                println!("{line}");
                seen.1.push(line);
            }
        }
    };
    let done = rt.block_on(ferry_api::arrive::arrive(
        host,
        plan,
        &coop,
        |p| {
            ferry_core::exchange::write_plan_file(file, p)?;
            Ok(p.clone())
        },
        &print,
    ));
    let done = done.inspect_err(|_| eprintln!("{}", say.t("cli.arrive.again", &[])))?;
    let service = done.plan.sso.idp.map_or("", |i| i.key());
    println!(
        "{}",
        say.t(
            "cli.arrive.done",
            &[
                ("service", service),
                ("url", &done.plan.sso.url),
                ("apps", &done.verified.join(", ")),
            ],
        )
    );
    if let Some(s) = done.apps {
        let failed = s
            .apps
            .iter()
            .filter(|a| a.state == AppState::Failed)
            .count();
        if failed > 0 {
            return Err(Failure::new(say.t(
                "cli.deploy.failed",
                &[("count", &failed.to_string()), ("id", &s.id.to_string())],
            )));
        }
    }
    Ok(())
}

pub fn run(cmd: DeployCommand, say: &Say, host: &CliHost) -> Result<(), Failure> {
    if let DeployCommand::Arrive { file, coop } = &cmd {
        return arrive(file, coop, say, host);
    }
    let rt = tokio::runtime::Runtime::new().map_err(Failure::internal)?;
    match cmd {
        DeployCommand::Arrive { .. } => unreachable!("handled above"),
        DeployCommand::Submit { file, coop, follow } => {
            let plan = ferry_core::exchange::read_plan_file(&file)?;
            // The app's own flow (ferry_api::deploy::order): the record and its key go
            // into the file before the order is sent, the co-op's record after.
            let coop = connect(&coop, say, host)?;
            let apps = ferry_core::deploy::preview(&plan).len();
            let submitted = rt.block_on(order(host, plan, &coop, |p| {
                ferry_core::exchange::write_plan_file(&file, p)?;
                Ok(p.clone())
            }))?;
            if !submitted.wired.is_empty() {
                let apps = submitted.wired.join(", ");
                println!("{}", say.t("cli.deploy.wired", &[("apps", &apps)]));
            }
            let (mut plan, sent) = (submitted.plan, submitted.record);
            let id = order_uuid(sent.order_id.as_deref().unwrap_or_default())?;
            println!(
                "{}",
                say.t(
                    "cli.deploy.accepted",
                    &[("id", &id.to_string()), ("count", &apps.to_string())]
                )
            );
            let status = if follow {
                let s = rt.block_on(coop.client.follow(id, |s| print_progress(s, say)))?;
                Some(s)
            } else {
                sent.status.clone()
            };
            let last = plan
                .deploy
                .orders
                .iter_mut()
                .rfind(|o| o.idempotency_key == sent.idempotency_key)
                .expect("the order just kept");
            last.status = status.clone();
            ferry_core::exchange::write_plan_file(&file, &plan)?;
            let failed = status.map_or(0, |s| {
                s.apps
                    .iter()
                    .filter(|a| a.state == AppState::Failed)
                    .count()
            });
            if failed > 0 {
                return Err(Failure::new(say.t(
                    "cli.deploy.failed",
                    &[("count", &failed.to_string()), ("id", &id.to_string())],
                )));
            }
        }
        DeployCommand::Retry {
            order,
            app,
            coop,
            follow,
        } => {
            let id = order_uuid(&order)?;
            let client = connect(&coop, say, host)?.client;
            let status = rt.block_on(client.status(id))?;
            let index = status
                .apps
                .iter()
                .position(|a| a.domain.eq_ignore_ascii_case(app.trim()))
                .ok_or_else(|| {
                    let known: Vec<&str> = status.apps.iter().map(|a| a.domain.as_str()).collect();
                    Failure::new(say.t(
                        "cli.deploy.no_such_app",
                        &[
                            ("id", &id.to_string()),
                            ("app", &app),
                            ("apps", &known.join(", ")),
                        ],
                    ))
                })?;
            // Secrets the app was given are not kept by the co-op; the retry goes without.
            let mut s = rt.block_on(client.retry(id, index as u32, &[]))?;
            if follow {
                s = rt.block_on(client.follow(id, |s| print_progress(s, say)))?;
            } else {
                print_status(&s, say);
            }
            if s.apps[index].state == AppState::Failed {
                return Err(Failure::new(say.t(
                    "cli.deploy.failed_again",
                    &[("app", &app), ("message", &s.apps[index].message)],
                )));
            }
        }
        DeployCommand::Cancel { order, coop } => {
            let id = order_uuid(&order)?;
            let client = connect(&coop, say, host)?.client;
            let s = rt.block_on(client.cancel(id))?;
            print_status(&s, say);
        }
        DeployCommand::Status { order, coop, json } => {
            let id = order_uuid(&order)?;
            let client = connect(&coop, say, host)?.client;
            let s = rt.block_on(client.status(id))?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&s).expect("status serialises")
                );
            } else {
                println!(
                    "{}",
                    say.t(
                        "cli.deploy.order",
                        &[
                            ("id", &s.id.to_string()),
                            ("organisation", &s.organisation),
                            (
                                "created",
                                &s.created_at.format("%Y-%m-%d %H:%M").to_string()
                            ),
                        ]
                    )
                );
                print_status(&s, say);
            }
        }
    }
    Ok(())
}
