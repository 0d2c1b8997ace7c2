//! The room's HTTP server: the participant page from Ferry's own bundle, the
//! participant commands of the command surface (and nothing else), and a stream of
//! change pulses. Every request is size-limited and rate-limited per phone.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ferry_sso::secrets::{MemoryStore, SecretStore, Vault};
use futures_util::Stream;
use serde_json::Value;

use super::{Assets, Room};
use crate::{ApiError, Host, LibrarySlot, Session};

/// Largest request body a phone may send (a proposal is at most 280 characters).
const MAX_BODY: usize = 16 * 1024;
/// The pulse stream sends at most this often, so a burst of dots is one update.
const PULSE_EVERY: Duration = Duration::from_millis(150);

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

impl Host for RoomHost {
    fn library(&self) -> &LibrarySlot {
        &self.library
    }
    fn vault(&self) -> &Vault {
        &self.vault
    }
    fn keyring(&self) -> &dyn SecretStore {
        &self.keyring
    }
    fn catalogue_store(&self) -> ferry_catalogue::Store {
        ferry_catalogue::Store::new(&std::env::temp_dir())
    }
    fn session(&self) -> &Session {
        &self.session
    }
}

struct Server {
    room: Weak<Room>,
    host: RoomHost,
    assets: Option<Assets>,
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

pub(super) fn router(room: Weak<Room>, library: LibrarySlot, assets: Option<Assets>) -> Router {
    let server = Arc::new(Server {
        room,
        host: RoomHost {
            library,
            session: Session::default(),
            vault: Vault::memory_only(),
            keyring: MemoryStore::default(),
        },
        assets,
    });
    Router::new()
        .route("/r/{token}/", get(page))
        .route("/r/{token}/api/{command}", post(command))
        .route("/r/{token}/events", get(events))
        .route("/r/{token}/assets/{file}", get(asset))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(server)
}

fn secured(mut response: Response) -> Response {
    for (name, value) in SECURITY_HEADERS {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    response
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

/// The participant page. Served for any room address: it says itself, in the phone's
/// language, when the room is closed or the address is wrong.
async fn page(State(s): State<Arc<Server>>) -> Response {
    secured(file(&s.assets, "room.html"))
}

/// The page's scripts and styles (the public bundle; nothing secret in it).
async fn asset(State(s): State<Arc<Server>>, Path((_, name)): Path<(String, String)>) -> Response {
    if name.contains("..") || name.contains('/') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let mut r = file(&s.assets, &format!("assets/{name}"));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

fn refused(status: StatusCode, e: &ApiError) -> Response {
    secured((status, Json(e.to_payload())).into_response())
}

/// What an error means over HTTP.
fn status_of(e: &ApiError) -> StatusCode {
    use ferry_core::room::RoomError as R;
    match e {
        ApiError::Room(R::NoRoom) => StatusCode::NOT_FOUND,
        ApiError::Room(R::NotJoined) => StatusCode::FORBIDDEN,
        ApiError::Room(R::TooMany) => StatusCode::TOO_MANY_REQUESTS,
        ApiError::Room(R::Ended | R::Paused | R::NoDotsLeft { .. } | R::NoDotThere) => {
            StatusCode::CONFLICT
        }
        ApiError::Room(R::Library(_)) | ApiError::Core(_) | ApiError::Internal { .. } => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

/// A participant command: only those declared for participants, in this room.
async fn command(
    State(s): State<Arc<Server>>,
    Path((token, name)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Ok(body) = body else {
        let e = ferry_core::room::RoomError::TooLarge {
            max_kb: MAX_BODY / 1024,
        };
        return refused(StatusCode::PAYLOAD_TOO_LARGE, &e.into());
    };
    let Some(room) = s.room(&token) else {
        return refused(
            StatusCode::NOT_FOUND,
            &ferry_core::room::RoomError::NoRoom.into(),
        );
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
    // A joined phone is limited by its token; before joining, by its address.
    let (key, limit) = match args.get("participant").and_then(Value::as_str) {
        Some(p) => (format!("p:{}", super::token_hash(p)), super::limit::PHONE),
        None => (format!("ip:{}", peer.ip()), super::limit::ADDRESS),
    };
    if !room.limiter.allow(&key, limit) {
        return refused(
            StatusCode::TOO_MANY_REQUESTS,
            &ferry_core::room::RoomError::TooMany.into(),
        );
    }
    match crate::dispatch(&s.host, &name, args, &|_| {}).await {
        Ok(v) => secured(Json(v).into_response()),
        Err(e) => {
            if status_of(&e).is_server_error() {
                tracing::warn!(command = %name, code = e.code(), error = %e, "room command failed");
            }
            refused(status_of(&e), &e)
        }
    }
}

/// Pulses (version, phase, tallies hidden) as server-sent events, until the room ends.
async fn events(State(s): State<Arc<Server>>, Path(token): Path<String>) -> Response {
    let Some(room) = s.room(&token) else {
        return refused(
            StatusCode::NOT_FOUND,
            &ferry_core::room::RoomError::NoRoom.into(),
        );
    };
    let first = room.pulse();
    let rx = room.subscribe();
    if room.is_ended() {
        let ended = futures_util::stream::once(async move {
            Ok::<_, Infallible>(
                Event::default()
                    .event("pulse")
                    .json_data(first)
                    .unwrap_or_default(),
            )
        });
        return secured(Sse::new(ended).into_response());
    }
    drop(room);
    secured(
        Sse::new(pulses(first, rx))
            .keep_alive(KeepAlive::default())
            .into_response(),
    )
}

fn pulses(
    first: super::Pulse,
    rx: tokio::sync::watch::Receiver<super::Pulse>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures_util::stream::unfold(
        (Some(first), rx, false),
        |(pending, mut rx, done)| async move {
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
            Some((Ok(event), (None, rx, ended)))
        },
    )
}
