//! The room's connections: accepted within caps per network address and in all (a
//! connection over a cap is closed at once, before it costs anything), each given a
//! header-read timeout that also closes it when it idles between requests, served
//! by hyper with a timer (without one its timeouts never fire). The caps stay below
//! the process's open-file limit, which is raised first where the system allows.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;

use super::quota::{Cap, Quota};

/// A request's headers must arrive within this, and a kept-alive connection that
/// sends nothing for this long is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A participant command (body included) must be answered within this.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Most connections the room holds at once (fewer if the open-file limit is low).
pub const MAX_CONNECTIONS: u32 = 2048;
/// Most connections from one network address: a phone's browser opens up to six,
/// and a guest network may show a table of phones as one address.
pub const CONNECTIONS_PER_ADDRESS: u32 = 128;
/// Most live-update streams in the room (each is a connection too).
pub const MAX_STREAMS: u32 = 1024;
/// Most live-update streams from one address: one a phone.
pub const STREAMS_PER_ADDRESS: u32 = ferry_core::room::MAX_PARTICIPANTS_PER_ADDRESS;
/// The open-file limit Ferry asks for (macOS refuses more than 10,240).
const WANTED_OPEN_FILES: u64 = 8192;

/// The caps a room starts with.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub connections: Cap,
    pub streams: Cap,
}

/// Raises this process's soft limit on open files towards its hard limit (once), and
/// answers the limit now in force (`None` where there is no such limit).
pub fn raise_open_file_limit() -> Option<u64> {
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    *LIMIT.get_or_init(raise)
}

#[cfg(unix)]
fn raise() -> Option<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    let wanted = WANTED_OPEN_FILES.min(hard);
    if soft >= wanted {
        return Some(soft);
    }
    match setrlimit(Resource::RLIMIT_NOFILE, wanted, hard) {
        Ok(()) => {
            tracing::info!(from = soft, to = wanted, "open-file limit raised");
            Some(wanted)
        }
        Err(e) => {
            tracing::warn!(error = %e, limit = soft, "open-file limit could not be raised");
            Some(soft)
        }
    }
}

#[cfg(not(unix))]
fn raise() -> Option<u64> {
    None
}

/// The caps for this process: at most half its open files for the room, the rest
/// for the library, the window and everything else Ferry has open.
pub fn limits() -> Limits {
    let room_files = raise_open_file_limit().map_or(u64::from(MAX_CONNECTIONS), |l| l / 2);
    let total = u32::try_from(room_files)
        .unwrap_or(u32::MAX)
        .clamp(16, MAX_CONNECTIONS);
    let streams = (total / 2).min(MAX_STREAMS);
    Limits {
        connections: Cap {
            per_address: CONNECTIONS_PER_ADDRESS.min(total / 4).max(1),
            total,
        },
        streams: Cap {
            per_address: STREAMS_PER_ADDRESS.min(streams / 4).max(1),
            total: streams,
        },
    }
}

/// Accepts connections until the task is dropped.
pub(super) async fn serve(listener: tokio::net::TcpListener, app: Router, quota: Arc<Quota>) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_headers(64)
        .max_buf_size(64 * 1024);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors or the like: wait for some to come back
                // rather than spin.
                tracing::warn!(error = %e, "the room could not accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Over a cap: dropped here, which closes it.
        let Some(held) = quota.take(peer.ip()) else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (app, http) = (app.clone(), http.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut request| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(request)
            });
            let connection = http.serve_connection(TokioIo::new(stream), service);
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "a room connection ended");
            }
            drop(held);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caps_stay_under_the_open_file_limit() {
        let l = limits();
        if let Some(files) = raise_open_file_limit() {
            assert!(u64::from(l.connections.total) <= files / 2 || l.connections.total == 16);
        }
        assert!(l.streams.total <= l.connections.total);
        assert!(l.connections.per_address < l.connections.total);
        assert!(l.streams.per_address <= STREAMS_PER_ADDRESS);
    }
}
