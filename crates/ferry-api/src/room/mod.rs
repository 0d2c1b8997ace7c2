//! The live workshop room: a small HTTP server on the network interface the
//! facilitator picks, serving the participant page from Ferry's own bundle and the
//! participant commands of the one command surface. Votes and proposals go to the
//! library ledger (ferry_core::library::room) before they are acknowledged.
//!
//! Anyone on the network who reads the address off the projector can reach it; what
//! one of them can do to the others is bounded (docs/reliability.md, "the workshop
//! room"): `listen` caps connections and their time, `server` checks every request,
//! `limit` paces each phone and address, the ledger caps what an address may hold.

mod board;
mod facilitator;
mod gone;
mod limit;
mod listen;
mod network;
mod participants;
mod quota;
mod server;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use ferry_core::room::{RoomError, RoomPhase};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use board::{BoardCard, BoardOrg, RoomAction, RoomBoard};
pub use facilitator::*;
pub use limit::Limiter;
pub use listen::{
    CONNECTIONS_PER_ADDRESS, HEADER_TIMEOUT, Limits, MAX_CONNECTIONS, MAX_STREAMS, REQUEST_TIMEOUT,
    STREAMS_PER_ADDRESS, limits, raise_open_file_limit,
};
pub use network::{NetInterface, NetKind, interfaces};
pub use participants::*;
pub use quota::Cap;

/// How long an ended room's server still tells phones so, before it stops.
const ENDED_FOR: std::time::Duration = std::time::Duration::from_secs(120);

/// A file of the app's web bundle: its bytes and MIME type.
pub struct Asset {
    pub bytes: Vec<u8>,
    pub mime: String,
}

/// Looks a file of the bundle up by path (`room.html`, `assets/…`).
pub type Assets = Arc<dyn Fn(&str) -> Option<Asset> + Send + Sync>;

/// A running room: its secret address, the server, and who is told of changes.
pub struct Room {
    /// The library's id for the room.
    pub id: String,
    /// The unguessable part of the room's address (256 bits, hex).
    token: String,
    /// Four letters and digits people compare between the projector and their phone.
    pub code: String,
    pub address: SocketAddr,
    /// The network the facilitator chose, shown beside the address.
    pub interface: NetInterface,
    /// The address as a QR code (SVG), made once.
    qr_svg: String,
    /// Bumped on every change; the projector and the phones follow it.
    changes: tokio::sync::watch::Sender<Pulse>,
    pub limiter: Limiter,
    /// Hashes of the tokens of the phones in the room: only these get a phone's own
    /// rate limit; any other token is paced with its address (and refused).
    phones: Mutex<HashSet<String>>,
    server: tokio::task::JoinHandle<()>,
    /// Set when the vote ends; the server then answers "ended" for a while.
    ended: std::sync::atomic::AtomicBool,
}

impl Room {
    /// The address phones open (also in the QR code).
    pub fn url(&self) -> String {
        format!("http://{}/r/{}/", self.address, self.token)
    }

    pub fn qr_svg(&self) -> &str {
        &self.qr_svg
    }

    /// Whether `token` is this room's, compared in constant time.
    pub fn is(&self, token: &str) -> bool {
        let (a, b) = (self.token.as_bytes(), token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// A phone joined with the token whose hash is `token_hash`.
    pub fn admit(&self, token_hash: String) {
        self.phones
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token_hash);
    }

    /// The facilitator removed these phones.
    pub fn forget(&self, token_hashes: &[String]) {
        let mut phones = self.phones.lock().unwrap_or_else(|p| p.into_inner());
        for h in token_hashes {
            phones.remove(h);
        }
    }

    /// Whether a phone with this token hash is in the room.
    pub fn knows(&self, token_hash: &str) -> bool {
        self.phones
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(token_hash)
    }

    /// Something changed (a dot, a proposal, a join): tell the followers.
    pub fn changed(&self) {
        self.changes.send_modify(|p| p.version += 1);
    }

    /// The phase or the tallies' visibility changed.
    pub fn set_phase(&self, phase: RoomPhase, tallies_hidden: bool) {
        self.changes.send_modify(|p| {
            p.version += 1;
            p.phase = phase;
            p.tallies_hidden = tallies_hidden;
        });
    }

    pub fn pulse(&self) -> Pulse {
        *self.changes.borrow()
    }

    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<Pulse> {
        self.changes.subscribe()
    }

    pub fn is_ended(&self) -> bool {
        self.ended.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Tells every phone the room has ended. The server goes on answering "the vote
    /// has ended" for a while, so a phone that was asleep or reconnecting hears it too;
    /// nothing can be done in the room any more.
    pub fn close(self: &Arc<Self>) {
        self.ended.store(true, std::sync::atomic::Ordering::SeqCst);
        self.set_phase(RoomPhase::Ended, false);
        let abort = self.server.abort_handle();
        tokio::spawn(async move {
            tokio::time::sleep(ENDED_FOR).await;
            abort.abort();
        });
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// What the phones and the projector are told on every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pulse {
    pub version: u64,
    pub phase: RoomPhase,
    pub tallies_hidden: bool,
}

/// A secret of `bytes` random bytes, as hex.
pub fn secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the library keeps of a participant's token: its SHA-256, never the token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A short code from the room's token, without look-alike letters.
fn short_code(token: &str) -> String {
    const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
    let digest = Sha256::digest(token.as_bytes());
    digest
        .iter()
        .take(4)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(320, 320)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// Starts serving a room on `address` (an interface's IP, port chosen by the system).
pub async fn start(
    id: String,
    interface: NetInterface,
    library: crate::LibrarySlot,
    assets: Option<Assets>,
) -> Result<Arc<Room>, RoomError> {
    let ip: std::net::IpAddr = interface.address.parse().map_err(|_| RoomError::Address {
        address: interface.address.clone(),
        detail: "not an IP address".into(),
    })?;
    let listener =
        tokio::net::TcpListener::bind((ip, 0))
            .await
            .map_err(|e| RoomError::Address {
                address: interface.address.clone(),
                detail: e.to_string(),
            })?;
    let address = listener.local_addr().map_err(|e| RoomError::Address {
        address: interface.address.clone(),
        detail: e.to_string(),
    })?;
    let limits = listen::limits();
    let token = secret(32);
    let code = short_code(&token);
    let (changes, _) = tokio::sync::watch::channel(Pulse {
        version: 0,
        phase: RoomPhase::Open,
        tallies_hidden: false,
    });
    // The server needs the room and the room holds the server's task: fill it in after.
    let room = Arc::new_cyclic(|weak: &std::sync::Weak<Room>| {
        let app = server::router(weak.clone(), address, library, assets, &limits);
        let connections = quota::Quota::new(limits.connections);
        let server = tokio::spawn(listen::serve(listener, app, connections));
        let url = format!("http://{address}/r/{token}/");
        Room {
            id,
            qr_svg: qr_svg(&url),
            token,
            code,
            address,
            interface,
            changes,
            limiter: Limiter::default(),
            phones: Mutex::default(),
            server,
            ended: std::sync::atomic::AtomicBool::new(false),
        }
    });
    tracing::info!(%address, ?limits, "workshop room open");
    Ok(room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_and_differ() {
        let (a, b) = (secret(32), secret(32));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash("x").len(), 64);
        assert_ne!(token_hash(&a), a);
        let code = short_code(&a);
        assert_eq!(code.chars().count(), 4);
        assert!(code.chars().all(|c| !"0O1IL".contains(c)));
    }
}
