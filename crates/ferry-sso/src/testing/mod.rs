//! Identity providers on loopback that keep the documented admin-API contracts of
//! Keycloak, Authentik and Rauthy (../shared/reference/sso.md), for tests, the
//! benchmark and the desktop app's end-to-end test. They record every request, can
//! add latency and can fail writes on demand. They are contract fakes for fast runs;
//! the same scenarios run on a real Keycloak in `make test` (tests/keycloak.rs), and
//! on a real Rauthy and Authentik by hand.

mod authentik;
mod keycloak;
mod rauthy;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::provider::{Credentials, Secret};
use ferry_core::model::IdpKind;

pub use authentik::AUTHENTIK_TOKEN;
pub use keycloak::{KEYCLOAK_ADMIN, KEYCLOAK_PASSWORD};
pub use rauthy::RAUTHY_API_KEY;

/// One request as the fake received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub body: Option<Value>,
}

/// How injected failures behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailMode {
    /// Answer 500 without doing anything.
    Before,
    /// Do the write, then answer 500 (the answer was lost on the way back).
    AfterCommit,
    /// Refuse it with a 400 in the provider's own error shape, saying this.
    Refuse(&'static str),
}

pub(crate) struct Req {
    pub method: Method,
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub base: String,
}

impl Req {
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
    pub fn seg(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }
    pub fn is_write(&self) -> bool {
        self.method != Method::GET && self.method != Method::HEAD
    }
}

pub(crate) type Answer = (StatusCode, HeaderMap, Value);

pub(crate) fn answer(status: StatusCode, body: Value) -> Answer {
    (status, HeaderMap::new(), body)
}

pub(crate) fn not_found() -> Answer {
    answer(StatusCode::NOT_FOUND, json!({"error": "not found"}))
}

/// Discovery for `issuer`, with endpoints under `endpoints` (`…/authorize`, `…/token`,
/// `…/userinfo`) as the real provider lays them out.
pub(crate) fn discovery(issuer: &str, endpoints: &str, jwks: &str) -> Value {
    let base = endpoints.trim_end_matches('/');
    json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": jwks,
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "groups"],
    })
}

pub(crate) trait Contract: Send {
    /// Answers one request (the fake's lock is held).
    fn handle(&mut self, req: &Req) -> Answer;
    /// Whether the request changes nothing though its method may say so (a
    /// sign-in, Rauthy's POST that reads a secret): not counted as a write.
    fn is_sign_in(&self, _req: &Req) -> bool {
        false
    }
    /// What an administrator (or a stranger) does outside Ferry, for tests: each
    /// fake knows its own `action`s and answers what they return.
    fn act(&mut self, action: &str, args: &Value) -> Value;
    /// The state as JSON; `clients` lists client ids (once per client held).
    fn snapshot(&self) -> Value;
    /// A 400's body saying `message`, shaped as the provider shapes its refusals.
    fn refusal(&self, message: &str) -> Value {
        json!({"error": "BadRequest", "message": message})
    }
}

struct Shared {
    contract: Box<dyn Contract>,
    requests: Vec<Recorded>,
    writes: usize,
    latency: Duration,
    /// Writes still to pass before failures start, how many to fail, and how.
    fail: Option<(usize, usize, FailMode)>,
}

/// A fake provider serving on `127.0.0.1`.
pub struct FakeIdp {
    pub kind: IdpKind,
    pub url: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeIdp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeIdp {
    /// Keycloak 26 with the master admin `admin` / [`KEYCLOAK_PASSWORD`], no SMTP.
    pub async fn keycloak() -> FakeIdp {
        Self::start(IdpKind::Keycloak, |_| {
            Box::new(keycloak::Keycloak::default())
        })
        .await
    }

    /// Keycloak whose realms can send e-mail, so invitations go out.
    pub async fn keycloak_with_smtp() -> FakeIdp {
        Self::start(IdpKind::Keycloak, |_| {
            let mut kc = keycloak::Keycloak::default();
            kc.smtp = true;
            Box::new(kc)
        })
        .await
    }

    /// Authentik of the given version (e.g. "2026.8.1", "2024.6.3") with the
    /// default flows, signing key and scope mappings of a fresh install.
    pub async fn authentik(version: &str) -> FakeIdp {
        let version = version.to_owned();
        Self::start(IdpKind::Authentik, move |_| {
            Box::new(authentik::Authentik::new(&version))
        })
        .await
    }

    /// Rauthy 0.35 with an API key allowed everything ([`RAUTHY_API_KEY`]).
    pub async fn rauthy() -> FakeIdp {
        Self::start(IdpKind::Rauthy, |_| Box::new(rauthy::Rauthy::default())).await
    }

    /// Rauthy with a mail server: a new user's password-setup link lands in a mailbox
    /// (`act("mailbox", {email})`).
    pub async fn rauthy_with_smtp() -> FakeIdp {
        Self::start(IdpKind::Rauthy, |_| {
            let mut r = rauthy::Rauthy::default();
            r.smtp = true;
            Box::new(r)
        })
        .await
    }

    async fn start(kind: IdpKind, make: impl FnOnce(&str) -> Box<dyn Contract>) -> FakeIdp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Mutex::new(Shared {
            contract: make(&url),
            requests: Vec::new(),
            writes: 0,
            latency: Duration::ZERO,
            fail: None,
        }));
        let state = (shared.clone(), url.clone());
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (shared, base) = state.clone();
                async move { serve(shared, base, method, uri, headers, body).await }
            },
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeIdp {
            kind,
            url,
            shared,
            task,
        }
    }

    /// Admin credentials the fake accepts.
    pub fn credentials(&self) -> Credentials {
        match self.kind {
            IdpKind::Keycloak => Credentials::Password {
                username: KEYCLOAK_ADMIN.into(),
                password: Secret::new(KEYCLOAK_PASSWORD),
            },
            IdpKind::Authentik => Credentials::Token {
                token: Secret::new(AUTHENTIK_TOKEN),
            },
            IdpKind::Rauthy => Credentials::Token {
                token: Secret::new(RAUTHY_API_KEY),
            },
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// Write requests received (sign-ins not counted), including failed ones.
    pub fn writes(&self) -> usize {
        self.lock().writes
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// After `pass` more writes succeed, the next `count` writes answer 500.
    pub fn fail_writes(&self, pass: usize, count: usize, mode: FailMode) {
        self.lock().fail = Some((pass, count, mode));
    }

    pub fn stop_failing(&self) {
        self.lock().fail = None;
    }

    /// The client ids the provider has, as many times as it has each.
    pub fn client_ids(&self) -> Vec<String> {
        let state = self.lock().contract.snapshot();
        state["clients"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect()
    }

    /// The provider's whole state as JSON (clients with secrets, groups, users).
    pub fn snapshot(&self) -> Value {
        self.lock().contract.snapshot()
    }

    /// Does what an administrator would do by hand (or what a stranger can do), for
    /// tests: `rotate_secret {client_id}`, `edit_client {client_id, set}`,
    /// `add_groups {count}`, `add_user {email, name, groups}`, `disable {client_id}`,
    /// `can_sign_in {email, client_id}`, and the fake's own (see each fake).
    pub fn act(&self, action: &str, args: Value) -> Value {
        self.lock().contract.act(action, &args)
    }
}

async fn serve(
    shared: Arc<Mutex<Shared>>,
    base: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = Req {
        method,
        segments: uri
            .path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(percent_decode)
            .collect(),
        query: uri
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(k), percent_decode(&v.replace('+', " ")))
            })
            .collect(),
        headers,
        body,
        base,
    };
    let latency = shared.lock().unwrap_or_else(|e| e.into_inner()).latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
    s.requests.push(Recorded {
        method: req.method.to_string(),
        path: uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        body: req.json(),
    });
    let counted = req.is_write() && !s.contract.is_sign_in(&req);
    let mut fail_now = None;
    if counted {
        s.writes += 1;
        if let Some((pass, count, mode)) = s.fail {
            if pass > 0 {
                s.fail = Some((pass - 1, count, mode));
            } else if count > 0 {
                s.fail = Some((0, count - 1, mode));
                fail_now = Some(mode);
            }
        }
    }
    let (status, headers, body) = match fail_now {
        Some(FailMode::Before) => answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "injected"}),
        ),
        Some(FailMode::Refuse(message)) => {
            answer(StatusCode::BAD_REQUEST, s.contract.refusal(message))
        }
        Some(FailMode::AfterCommit) => {
            let _ = s.contract.handle(&req);
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "injected"}),
            )
        }
        None => s.contract.handle(&req),
    };
    let mut resp = match body {
        Value::Null => status.into_response(),
        // An HTML page (see `html`): sent as it is.
        Value::String(page) if headers.contains_key(axum::http::header::CONTENT_TYPE) => {
            (status, page).into_response()
        }
        body => (status, axum::Json(body)).into_response(),
    };
    for (name, value) in headers.iter() {
        resp.headers_mut().insert(name.clone(), value.clone());
    }
    resp
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A random secret of `n` letters and digits.
pub(crate) fn random_secret(n: usize) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = Vec::new();
    while bytes.len() < n {
        bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    bytes[..n]
        .iter()
        .map(|b| alphabet[*b as usize % alphabet.len()] as char)
        .collect()
}

/// An HTML page with `title`, as the real providers answer a browser.
pub(crate) fn html(status: StatusCode, title: &str) -> Answer {
    let mut h = HeaderMap::new();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    (
        status,
        h,
        Value::String(format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        )),
    )
}

/// A redirect to `location`.
pub(crate) fn redirect(location: &str) -> Answer {
    let mut h = HeaderMap::new();
    if let Ok(v) = axum::http::HeaderValue::from_str(location) {
        h.insert(axum::http::header::LOCATION, v);
    }
    (StatusCode::FOUND, h, Value::Null)
}

/// Whether `uri` is among `allowed` (exactly, or under a Keycloak-style `*` at the end).
pub(crate) fn redirect_allowed(allowed: &[String], uri: &str) -> bool {
    allowed.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => uri.starts_with(prefix),
        None => a == uri,
    })
}

/// The bearer token of a request, if any.
pub(crate) fn bearer(req: &Req) -> Option<&str> {
    req.headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}
