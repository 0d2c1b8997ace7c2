//! Accepting connections from the internet: at most `max_connections` open at once and
//! `max_connections_per_address` from one address (more are closed at once), headers
//! within `header_timeout_secs`, and an idle kept-alive connection closed after the
//! same time (hyper starts its header timer again when a connection goes idle).
//!
//! axum's own `serve` has no timer and no cap: idle connections were kept forever,
//! and 1,040 of them used up the process's open files (issue #31).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_service::Service;

use crate::http::Peer;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub max_connections_per_address: usize,
}

/// Open files kept free for the database, abra's pipes and the job log.
const RESERVED_FILES: u64 = 128;

/// Raises the soft open-file limit to the hard one and returns the connections that
/// fit under it, so that a full house of clients never starves a job of files.
pub fn fit_to_open_files(wanted: usize) -> usize {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return wanted;
    };
    let soft = if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        hard
    } else {
        soft
    };
    let room = soft.saturating_sub(RESERVED_FILES).max(1);
    if (wanted as u64) > room {
        tracing::warn!(
            wanted,
            open_files = soft,
            allowed = room,
            "max_connections lowered to fit the open-file limit (raise LimitNOFILE to allow more)"
        );
        room as usize
    } else {
        wanted
    }
}

/// One connection's place in the per-address count, given back when it closes.
struct Slot {
    ip: IpAddr,
    table: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Slot {
    fn take(table: &Arc<Mutex<HashMap<IpAddr, usize>>>, ip: IpAddr, limit: usize) -> Option<Slot> {
        let mut t = table.lock().unwrap_or_else(|p| p.into_inner());
        let n = t.entry(ip).or_insert(0);
        if *n >= limit {
            return None;
        }
        *n += 1;
        Some(Slot {
            ip,
            table: table.clone(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = t.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                t.remove(&self.ip);
            }
        }
    }
}

/// Connections closed at once because a cap was reached (for logs and tests).
pub static REFUSED: AtomicU64 = AtomicU64::new(0);

pub async fn serve(listener: TcpListener, app: Router, limits: Limits) {
    let total = Arc::new(Semaphore::new(limits.max_connections));
    let table = Arc::new(Mutex::new(HashMap::new()));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    loop {
        let (stream, addr) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                // Out of files or memory for a moment: wait, do not spin.
                tracing::warn!(error = %e, "could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let ip = addr.ip();
        let (Ok(permit), Some(slot)) = (
            total.clone().try_acquire_owned(),
            Slot::take(&table, ip, limits.max_connections_per_address),
        ) else {
            if REFUSED.fetch_add(1, Ordering::Relaxed).is_multiple_of(1000) {
                tracing::warn!(peer = %ip, "connection limit reached; closing new connections");
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let conn = builder.serve_connection(
            TokioIo::new(stream),
            hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(Peer(ip));
                router.clone().call(req)
            }),
        );
        tokio::spawn(async move {
            let _held = (permit, slot);
            // A timed-out or reset connection is the client's business.
            let _ = conn.await;
        });
    }
}
