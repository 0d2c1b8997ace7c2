//! `ferry-hostd`: the hosting API server a co-op runs next to abra.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ferry-hostd",
    version,
    about = "Serves the hosting co-op API (docs/hosting-api/openapi.yaml) and carries out orders with abra.",
    long_about = "Serves the hosting co-op API (docs/hosting-api/openapi.yaml) and carries out \
orders with abra, one job at a time per server.\n\n\
CONFIGURATION (TOML; the ferry-hostd package installs /etc/ferry-hostd/config.toml,\n\
from docs/hosting-api/ferry-hostd.sample.toml):\n  \
listen = \"127.0.0.1:8787\"        address; put the co-op's TLS proxy in front\n  \
public_url = \"https://api.coop.example\"   used in status links\n  \
database = \"/var/lib/ferry-hostd/orders.sqlite\"\n  \
abra = \"/usr/local/bin/abra\"     the abra executable\n  \
abra_dir = \"/var/lib/ferry-hostd/.abra\"   abra's state folder (ABRA_DIR)\n  \
servers = [\"swarm1.coop.example\"]  abra servers; the first is the default\n  \
step_timeout_secs = 900           longest one abra command may run\n  \
max_body_bytes = 1048576          larger requests are refused\n  \
requests_per_minute = 120         per token\n  \
header_timeout_secs = 10          to send headers; also how long an idle connection stays\n  \
request_timeout_secs = 30         one whole request, body included (408 after)\n  \
max_connections = 512             open at once (lowered to fit the open-file limit)\n  \
max_connections_per_address = 64  from one address (behind a proxy: set it to max_connections)\n  \
failed_logins_per_minute = 20     wrong tokens per address before 429; logged without the token\n  \
sign_in_address = \"https://{domain}\"   where a deployed sign-in service answers (handed to Ferry)\n  \
[quotas]  max_queued_apps = 20, max_stored_bytes = 67108864   per organisation\n  \
[[organisations]]  id = \"fagforbundet-bergen\", name = \"Fagforbundet Bergen\"\n             \
(optional max_queued_apps, max_stored_bytes of its own)\n  \
[[tokens]]  name = \"…\" (unique), organisation = \"<id>\", sha256 = \"…\" (from `ferry-hostd hash-token`),\n             \
scope = \"read\" | \"write\"\n  \
[[offers]]  recipe = \"nextcloud\", note = \"…\", price = \"…\", export_keys = [\"SMTP_HOST\"]\n             \
the only recipes an order may ask for; export_keys: values an export may show\n\n\
Every token acts for one organisation: it sees, changes and exports only that organisation's \
orders and apps (others answer 404), and a domain belongs to the organisation that ordered it \
first (409 for any other). A configuration from before organisations is refused at start with \
what to add; its orders then belong to the organisation of the token that made them.\n\n\
Supplied secrets are kept in memory only; a job a restart interrupts is marked failed, never run twice."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API with this configuration file.
    Serve {
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// Print the sha256 of a token read from standard input, for the [[tokens]] table.
    HashToken,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "ferry_hostd=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::HashToken => {
            let mut token = String::new();
            if std::io::stdin().read_to_string(&mut token).is_err() || token.trim().is_empty() {
                eprintln!("ferry-hostd: give the token on standard input");
                return ExitCode::from(1);
            }
            println!("{}", ferry_hostd::config::hash_token(token.trim()));
            ExitCode::SUCCESS
        }
        Command::Serve { config } => {
            let config = match ferry_hostd::config::Config::load(&config) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("ferry-hostd: {e}");
                    return ExitCode::from(1);
                }
            };
            let rt = tokio::runtime::Runtime::new().expect("start the async runtime");
            rt.block_on(async {
                match ferry_hostd::start(config).await {
                    Ok(running) => {
                        // Tests and scripts read this line to find the port.
                        println!("listening on {}", running.addr);
                        let _ = tokio::signal::ctrl_c().await;
                        running.stop();
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("ferry-hostd: {e}");
                        ExitCode::from(1)
                    }
                }
            })
        }
    }
}
