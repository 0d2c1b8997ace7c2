//! The room's HTTP server: the participant page from Ferry's own bundle, the
//! participant commands of the command surface (and nothing else), and a stream of
//! change pulses. Every request must name the room's own host (no DNS rebinding);
//! everything under a room's address must carry its token; commands take JSON only
//! (a page on another site cannot post it without asking first), are size-limited,
//! time-limited and rate-limited per phone and per network address; streams are
//! capped per address and in all.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ferry_core::room::RoomError;
use ferry_sso::secrets::{MemoryStore, SecretStore, Vault};
use futures_util::Stream;
use serde_json::Value;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::listen::{Limits, REQUEST_TIMEOUT};
use super::quota::{Held, Quota};
use super::{Assets, Room, gone, limit};
use crate::{ApiError, Host, LibrarySlot, Session};

/// Largest request body a phone may send (a proposal is at most 280 characters).
const MAX_BODY: usize = 16 * 1024;
/// The pulse stream sends at most this often, so a burst of dots is one update.
const PULSE_EVERY: Duration = Duration::from_millis(150);

/// Sent with every answer: the page, its assets, errors, streams.
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    ),
    // The room's address is its secret: never pass it on to another site.
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("cache-control", "no-store"),
];

/// The host the participant commands run with: the shared library and this room.
struct RoomHost {
    library: LibrarySlot,
    session: Session,
    vault: Vault,
    keyring: MemoryStore,
}

/// One request's host: the room's, and the address the request came from.
struct Caller<'a> {
    host: &'a RoomHost,
    peer: IpAddr,
}

impl Host for Caller<'_> {
    fn library(&self) -> &LibrarySlot {
        &self.host.library
    }
    fn vault(&self) -> &Vault {
        &self.host.vault
    }
    fn keyring(&self) -> &dyn SecretStore {
        &self.host.keyring
    }
    fn catalogue_store(&self) -> ferry_catalogue::Store {
        ferry_catalogue::Store::new(&std::env::temp_dir())
    }
    fn session(&self) -> &Session {
        &self.host.session
    }
    fn peer(&self) -> Option<IpAddr> {
        Some(self.peer)
    }
}

struct Server {
    room: Weak<Room>,
    host: RoomHost,
    assets: Option<Assets>,
    /// The Host headers a request may carry: the room's address (and, for a room on
    /// loopback, `localhost` with its port).
    hosts: Vec<String>,
    streams: Arc<Quota>,
}

impl Server {
    fn room(&self, token: &str) -> Option<Arc<Room>> {
        let room = self.room.upgrade().filter(|r| r.is(token))?;
        if self.host.session.room().is_none() {
            self.host.session.set_room(Some(room.clone()));
        }
        Some(room)
    }
}

pub(super) fn router(
    room: Weak<Room>,
    address: SocketAddr,
    library: LibrarySlot,
    assets: Option<Assets>,
    limits: &Limits,
) -> Router {
    let mut hosts = vec![address.to_string()];
    if address.ip().is_loopback() {
        hosts.push(format!("localhost:{}", address.port()));
    }
    let server = Arc::new(Server {
        room,
        host: RoomHost {
            library,
            session: Session::default(),
            vault: Vault::memory_only(),
            keyring: MemoryStore::default(),
        },
        assets,
        hosts,
        streams: Quota::new(limits.streams),
    });
    let mut router = Router::new()
        .route("/r/{token}/", get(page))
        .route(
            "/r/{token}/api/{command}",
            post(command).layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                REQUEST_TIMEOUT,
            )),
        )
        .route("/r/{token}/events", get(events))
        .route("/r/{token}/assets/{file}", get(asset))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(server.clone(), own_host));
    for (name, value) in SECURITY_HEADERS {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(server)
}

fn refused(status: StatusCode, e: &ApiError) -> Response {
    (status, Json(e.to_payload())).into_response()
}

/// Refuses a request whose Host is not the room's own: a name that points at the
/// room's address from elsewhere (DNS rebinding) gets nothing.
async fn own_host(State(s): State<Arc<Server>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    if host.is_some_and(|h| s.hosts.contains(&h)) {
        next.run(request).await
    } else {
        refused(
            StatusCode::MISDIRECTED_REQUEST,
            &RoomError::WrongHost.into(),
        )
    }
}

/// Whether the address may make one more request (everything from it counts).
fn address_allowed(room: &Room, peer: IpAddr) -> bool {
    room.limiter.allow(&format!("ip:{peer}"), limit::ADDRESS)
}

fn too_many() -> Response {
    refused(StatusCode::TOO_MANY_REQUESTS, &RoomError::TooMany.into())
}

fn file(assets: &Option<Assets>, path: &str) -> Response {
    match assets.as_ref().and_then(|a| a(path)) {
        Some(asset) => {
            let mut r = asset.bytes.into_response();
            if let Ok(v) = HeaderValue::from_str(&asset.mime) {
                r.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            r
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The participant page, under the room's address; any other address gets a page
/// saying the room is closed or the address not quite right.
async fn page(
    State(s): State<Arc<Server>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let Some(room) = s.room(&token) else {
        let lang = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok());
        return gone::page(lang);
    };
    if !address_allowed(&room, peer.ip()) {
        return too_many();
    }
    file(&s.assets, "room.html")
}

/// The page's scripts and styles, under the room's address only.
async fn asset(
    State(s): State<Arc<Server>>,
    Path((token, name)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    let Some(room) = s.room(&token) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    if name.contains("..") || name.contains('/') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if !address_allowed(&room, peer.ip()) {
        return too_many();
    }
    let mut r = file(&s.assets, &format!("assets/{name}"));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    r
}

/// What an error means over HTTP.
fn status_of(e: &ApiError) -> StatusCode {
    use ferry_core::room::RoomError as R;
    match e {
        ApiError::Room(R::NoRoom) => StatusCode::NOT_FOUND,
        ApiError::Room(R::NotJoined) => StatusCode::FORBIDDEN,
        ApiError::Room(R::TooMany) => StatusCode::TOO_MANY_REQUESTS,
        ApiError::Room(
            R::Ended
            | R::Paused
            | R::NoDotsLeft { .. }
            | R::NoDotThere
            | R::JoiningLocked
            | R::Full { .. }
            | R::AddressFull { .. }
            | R::ProposalsFull { .. },
        ) => StatusCode::CONFLICT,
        ApiError::Room(R::Library(_)) | ApiError::Core(_) | ApiError::Internal { .. } => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Whether the body says it is JSON (`application/json`, with or without a charset).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// A participant command: only those declared for participants, in this room.
async fn command(
    State(s): State<Arc<Server>>,
    Path((token, name)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    if !is_json(&headers) {
        let e = ApiError::BadRequest {
            command: name,
            detail: "only JSON bodies (Content-Type: application/json)".into(),
        };
        return refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, &e);
    }
    let Ok(body) = body else {
        let e = RoomError::TooLarge {
            max_kb: MAX_BODY / 1024,
        };
        return refused(StatusCode::PAYLOAD_TOO_LARGE, &e.into());
    };
    let Some(room) = s.room(&token) else {
        return refused(StatusCode::NOT_FOUND, &RoomError::NoRoom.into());
    };
    let for_participants =
        crate::command(&name).is_some_and(|c| c.scope == crate::Scope::Participants);
    if !for_participants {
        let e = ApiError::UnknownCommand { command: name };
        return refused(StatusCode::NOT_FOUND, &e);
    }
    let args: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            let e = ApiError::BadRequest {
                command: name,
                detail: "the body is not a JSON object".into(),
            };
            return refused(StatusCode::BAD_REQUEST, &e);
        }
    };
    // A phone in the room is paced by its own token first; joining, and any token the
    // room does not know, only by the address (a made-up token is no new allowance).
    let token = args.get("participant").and_then(Value::as_str);
    let known = token
        .filter(|_| name != "room_join")
        .map(super::token_hash)
        .filter(|h| room.knows(h));
    if let Some(h) = &known
        && !room.limiter.allow(&format!("p:{h}"), limit::PHONE)
    {
        return too_many();
    }
    if !address_allowed(&room, peer.ip()) {
        return too_many();
    }
    if token.is_some() && known.is_none() && name != "room_join" {
        return refused(StatusCode::FORBIDDEN, &RoomError::NotJoined.into());
    }
    let caller = Caller {
        host: &s.host,
        peer: peer.ip(),
    };
    match crate::dispatch(&caller, &name, args, &|_| {}).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => {
            if status_of(&e).is_server_error() {
                tracing::warn!(command = %name, code = e.code(), error = %e, "room command failed");
            }
            refused(status_of(&e), &e)
        }
    }
}

/// Pulses (version, phase, tallies hidden) as server-sent events, until the room
/// ends: one stream a phone, within the caps per address and in all.
async fn events(
    State(s): State<Arc<Server>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    let Some(room) = s.room(&token) else {
        return refused(StatusCode::NOT_FOUND, &RoomError::NoRoom.into());
    };
    if !address_allowed(&room, peer.ip()) {
        return too_many();
    }
    let first = room.pulse();
    if room.is_ended() {
        let ended = futures_util::stream::once(async move {
            Ok::<_, Infallible>(
                Event::default()
                    .event("pulse")
                    .json_data(first)
                    .unwrap_or_default(),
            )
        });
        return Sse::new(ended).into_response();
    }
    let Some(held) = s.streams.take(peer.ip()) else {
        return refused(StatusCode::SERVICE_UNAVAILABLE, &RoomError::Busy.into());
    };
    let rx = room.subscribe();
    drop(room);
    Sse::new(pulses(first, rx, held))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The stream holds its place in the quota (`held`) until it ends or is dropped.
fn pulses(
    first: super::Pulse,
    rx: tokio::sync::watch::Receiver<super::Pulse>,
    held: Held,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures_util::stream::unfold(
        (Some(first), rx, false, held),
        |(pending, mut rx, done, held)| async move {
            if done {
                return None;
            }
            let pulse = match pending {
                Some(p) => p,
                None => {
                    tokio::time::sleep(PULSE_EVERY).await;
                    rx.changed().await.ok()?;
                    *rx.borrow_and_update()
                }
            };
            let ended = pulse.phase == ferry_core::room::RoomPhase::Ended;
            let event = Event::default()
                .event("pulse")
                .json_data(pulse)
                .unwrap_or_default();
            Some((Ok(event), (None, rx, ended, held)))
        },
    )
}
