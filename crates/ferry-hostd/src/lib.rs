//! `ferry-hostd`, the reference server a hosting co-op can run next to `abra`.
//!
//! This part carries out one app of an order with the documented abra flow
//! (`shared/reference/coopcloud.md` §3): `app new`, the `.env` edits, secrets,
//! `app deploy`. abra is always started directly with an argument list, never
//! through a shell, and every argument has passed `ferry_hosting::rules`.

pub mod config;
pub mod envfile;
pub mod http;
pub mod reaper;
pub mod runner;
pub mod serve;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

/// A running server: its address, and a way to stop it.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub shared: Arc<worker::Shared>,
    server: tokio::task::JoinHandle<()>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not open the database {path}: {source}")]
    Database {
        path: String,
        source: rusqlite::Error,
    },
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
}

/// Opens the database (marking jobs a crash interrupted), starts one worker per
/// server and serves the API.
pub async fn start(config: config::Config) -> Result<Running, StartError> {
    let store = store::Store::open(&config.database).map_err(|source| StartError::Database {
        path: config.database.display().to_string(),
        source,
    })?;
    let db_err = |source| StartError::Database {
        path: config.database.display().to_string(),
        source,
    };
    let mut store = store;
    let token_orgs: Vec<(String, String)> = config
        .tokens
        .iter()
        .filter_map(|t| Some((t.name.clone(), t.organisation.clone()?)))
        .collect();
    let adopted = store.adopt_orders(&token_orgs).map_err(db_err)?;
    if adopted > 0 {
        tracing::info!(
            adopted,
            "orders from before organisations now belong to their token's organisation"
        );
    }
    let (interrupted, leftovers) = store.recover().map_err(db_err)?;
    if interrupted > 0 {
        let stopped = reaper::stop_leftovers(&leftovers);
        tracing::warn!(
            interrupted,
            abra_processes_stopped = stopped,
            "jobs interrupted by the last shutdown were marked failed"
        );
    }
    let abra = runner::Abra {
        exe: config.abra.clone(),
        abra_dir: config.abra_dir.clone(),
        timeout: Duration::from_secs(config.step_timeout_secs),
    };
    let readers = store::Readers::new(&config.database);
    let shared = Arc::new(
        worker::Shared::new(store, readers, abra).with_sign_in_address(&config.sign_in_address),
    );
    let workers = config
        .servers
        .iter()
        .map(|s| worker::spawn(shared.clone(), s.clone()))
        .collect();
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.listen.clone(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: config.listen.clone(),
        source,
    })?;
    let limits = serve::Limits {
        header_timeout: Duration::from_secs(config.header_timeout_secs),
        max_connections: serve::fit_to_open_files(config.max_connections),
        max_connections_per_address: config.max_connections_per_address,
    };
    let app = http::router(http::Api::new(config, shared.clone()));
    let server = tokio::spawn(serve::serve(listener, app, limits));
    Ok(Running {
        addr,
        shared,
        server,
        workers,
    })
}

impl Running {
    /// Stops serving and lets the workers finish their current job.
    pub fn stop(self) {
        self.server.abort();
        self.shared
            .stop
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.shared.notify();
        for w in self.workers {
            let _ = w.join();
        }
    }
}
