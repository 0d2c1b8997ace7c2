//! `ferry-cli deploy …`: hand a plan's apps to a hosting co-op and follow the order.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ferry_api::deploy::{Coop, order, order_id};
use ferry_core::Library;
use ferry_hosting::OrderStatus;
use ferry_secrets::coop_token_key;
use uuid::Uuid;

use crate::Failure;
use crate::host::CliHost;

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

fn failure(e: impl std::fmt::Display) -> Failure {
    Failure::new(e.to_string())
}

/// The co-op: a saved profile (token from the environment or the keyring), or an
/// address given on the command line with the token in the environment.
fn connect(
    args: &CoopArgs,
    open: impl FnOnce() -> Result<Library, Failure>,
) -> Result<Coop, Failure> {
    let env_token = std::env::var(TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty());
    let (name, url, token) = match (&args.coop, &args.api_url) {
        (_, Some(url)) => {
            let token = env_token
                .ok_or_else(|| Failure::new(format!("set {TOKEN_ENV} to the co-op's API token")))?;
            (url.clone(), url.clone(), token)
        }
        (Some(which), None) => {
            let lib = open()?;
            let profile = lib
                .coop_profiles()?
                .into_iter()
                .find(|p| p.id == *which || p.name.eq_ignore_ascii_case(which))
                .ok_or_else(|| {
                    Failure::new(format!(
                        "no co-op profile called \"{which}\"; add one in the app's Deploy step"
                    ))
                })?;
            let token = match env_token {
                Some(t) => t,
                None => ferry_secrets::get(&coop_token_key(&profile.id))
                    .map_err(failure)?
                    .ok_or_else(|| {
                        Failure::new(format!(
                            "no token for \"{}\" in the keyring; set {TOKEN_ENV}",
                            profile.name
                        ))
                    })?,
            };
            (profile.name, profile.api_url, token)
        }
        (None, None) => {
            return Err(Failure::new(
                "say which co-op: --coop NAME (a profile saved in the app) or --api-url URL",
            ));
        }
    };
    Ok(Coop::new(name, url, &token)?)
}

fn order_uuid(text: &str) -> Result<Uuid, Failure> {
    Ok(order_id(text)?)
}

fn print_status(s: &OrderStatus) {
    for a in &s.apps {
        let deployed = a
            .deployed
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        println!(
            "  {:<10} {:<36} {}/{}  {}{}",
            a.state.as_str(),
            a.domain,
            a.progress,
            a.steps,
            a.message,
            deployed
        );
    }
}

pub fn run(
    cmd: DeployCommand,
    open: impl FnOnce() -> Result<Library, Failure>,
) -> Result<(), Failure> {
    let rt = tokio::runtime::Runtime::new().map_err(failure)?;
    match cmd {
        DeployCommand::Submit { file, coop, follow } => {
            let plan = ferry_core::exchange::read_plan_file(&file)?;
            // The app's own flow (ferry_api::deploy::order): the record and its key go
            // into the file before the order is sent, the co-op's record after.
            let host = CliHost::new(None);
            let coop = connect(&coop, open)?;
            let apps = ferry_core::deploy::preview(&plan).len();
            let submitted = rt.block_on(order(&host, plan, &coop, |p| {
                ferry_core::exchange::write_plan_file(&file, p)?;
                Ok(p.clone())
            }))?;
            if !submitted.wired.is_empty() {
                println!(
                    "Single sign-on secrets go with: {}",
                    submitted.wired.join(", ")
                );
            }
            let (mut plan, sent) = (submitted.plan, submitted.record);
            let id = order_uuid(sent.order_id.as_deref().unwrap_or_default())?;
            println!("Order {id} accepted ({apps} apps).");
            let status = if follow {
                let s = rt
                    .block_on(coop.client.follow(id, |s| {
                        println!("{}", "-".repeat(40));
                        print_status(s);
                    }))
                    .map_err(failure)?;
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
            if let Some(s) = status.filter(|s| {
                s.apps
                    .iter()
                    .any(|a| a.state == ferry_hosting::AppState::Failed)
            }) {
                return Err(Failure::new(format!(
                    "{} app(s) failed; see `ferry-cli deploy status {id}`",
                    s.apps
                        .iter()
                        .filter(|a| a.state == ferry_hosting::AppState::Failed)
                        .count(),
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
            let client = connect(&coop, open)?.client;
            let status = rt.block_on(client.status(id)).map_err(failure)?;
            let index = status
                .apps
                .iter()
                .position(|a| a.domain.eq_ignore_ascii_case(app.trim()))
                .ok_or_else(|| {
                    let known: Vec<&str> = status.apps.iter().map(|a| a.domain.as_str()).collect();
                    Failure::new(format!(
                        "order {id} has no app at {app}; its apps are: {}",
                        known.join(", ")
                    ))
                })?;
            // Secrets the app was given are not kept by the co-op; the retry goes without.
            let mut s = rt
                .block_on(client.retry(id, index as u32, &[]))
                .map_err(failure)?;
            if follow {
                s = rt
                    .block_on(client.follow(id, |s| {
                        println!("{}", "-".repeat(40));
                        print_status(s);
                    }))
                    .map_err(failure)?;
            } else {
                print_status(&s);
            }
            if s.apps[index].state == ferry_hosting::AppState::Failed {
                return Err(Failure::new(format!(
                    "{app} failed again: {}",
                    s.apps[index].message
                )));
            }
        }
        DeployCommand::Cancel { order, coop } => {
            let id = order_uuid(&order)?;
            let client = connect(&coop, open)?.client;
            let s = rt.block_on(client.cancel(id)).map_err(failure)?;
            print_status(&s);
        }
        DeployCommand::Status { order, coop, json } => {
            let id = order_uuid(&order)?;
            let client = connect(&coop, open)?.client;
            let s = rt.block_on(client.status(id)).map_err(failure)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&s).expect("status serialises")
                );
            } else {
                println!(
                    "Order {} for {} ({}):",
                    s.id,
                    s.organisation,
                    s.created_at.format("%Y-%m-%d %H:%M")
                );
                print_status(&s);
            }
        }
    }
    Ok(())
}
