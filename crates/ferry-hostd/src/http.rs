//! The hosting API over HTTP (axum), as specified in `docs/hosting-api/openapi.yaml`.

// Helpers return the finished problem response as their error: it is built once per
// failed request, so its size does not matter.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ferry_hosting::rules::check_order;
use ferry_hosting::{FieldError, OrderAccepted, OrderRequest, Problem, SuppliedSecret};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::config::{Config, Scope};
use crate::store::Created;
use crate::worker::Shared;

pub struct Api {
    pub config: Config,
    pub shared: Arc<Shared>,
    /// Requests per token in the current minute.
    rate: Mutex<HashMap<String, (Instant, u32)>>,
}

type Ctx = State<Arc<Api>>;

impl Api {
    pub fn new(config: Config, shared: Arc<Shared>) -> Arc<Api> {
        Arc::new(Api {
            config,
            shared,
            rate: Mutex::new(HashMap::new()),
        })
    }
}

pub fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/v1/orders", post(create_order))
        .route("/v1/orders/{id}", get(order_status))
        .route("/v1/orders/{id}/events", get(order_events))
        .route("/v1/orders/{id}/cancel", post(cancel_order))
        .route("/v1/orders/{id}/apps/{index}/retry", post(retry_app))
        .route("/v1/catalogue", get(catalogue))
        .route("/v1/capabilities", get(capabilities))
        .route("/v1/apps/{domain}/export", get(export_app))
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "Not found", None) })
        .with_state(api)
}

fn problem(status: StatusCode, title: &str, detail: Option<String>) -> Response {
    problem_with(status, title, detail, Vec::new())
}

fn problem_with(
    status: StatusCode,
    title: &str,
    detail: Option<String>,
    errors: Vec<FieldError>,
) -> Response {
    let body = Problem {
        kind: "about:blank".into(),
        title: title.into(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "internal error");
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The server could not do that",
        None,
    )
}

/// The token's name if it may do `scope`, else the problem to answer with.
fn authorise(api: &Api, headers: &HeaderMap, scope: Scope) -> Result<String, Response> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = presented.and_then(|p| api.config.token(p)) else {
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "A valid API token is needed",
            Some("Send `Authorization: Bearer <token>` with a token the co-op gave you.".into()),
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(r);
    };
    if scope == Scope::Write && token.scope != Scope::Write {
        return Err(problem(
            StatusCode::FORBIDDEN,
            "This token may only read",
            Some("Ask the co-op for a token with the write scope.".into()),
        ));
    }
    let mut rate = api.rate.lock().unwrap_or_else(|p| p.into_inner());
    let entry = rate
        .entry(token.name.clone())
        .or_insert((Instant::now(), 0));
    if entry.0.elapsed() >= Duration::from_secs(60) {
        *entry = (Instant::now(), 0);
    }
    entry.1 += 1;
    if entry.1 > api.config.requests_per_minute {
        let wait = 60u64.saturating_sub(entry.0.elapsed().as_secs()).max(1);
        let mut r = problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            Some(format!("Try again in {wait} seconds.")),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Err(r);
    }
    Ok(token.name.clone())
}

async fn read_body(api: &Api, req: Request) -> Result<axum::body::Bytes, Response> {
    let limit = api.config.max_body_bytes;
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request is too large",
                Some(format!("At most {limit} bytes.")),
            )
        })
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(bytes).map_err(|e| {
        // Only the position: serde's message may quote the value, which could be a secret.
        problem(
            StatusCode::BAD_REQUEST,
            "The body is not a valid request",
            Some(format!(
                "JSON problem at line {}, column {}.",
                e.line(),
                e.column()
            )),
        )
    })
}

async fn create_order(State(api): Ctx, headers: HeaderMap, req: Request) -> Response {
    let token = match authorise(&api, &headers, Scope::Write) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200);
    let Some(key) = key.map(str::to_owned) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "An Idempotency-Key header is needed",
            Some("Send a unique key per order (a UUID) so that a retried request cannot create a second order.".into()),
        );
    };
    let bytes = match read_body(&api, req).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let order: OrderRequest = match parse(&bytes) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = check_order(&order);
    let server = order
        .server
        .clone()
        .unwrap_or_else(|| api.config.servers[0].clone());
    if !api.config.servers.contains(&server) {
        errors.push(FieldError {
            field: "server".into(),
            problem: "is not a server this co-op offers (see /v1/capabilities)".into(),
        });
    }
    if !errors.is_empty() {
        return problem_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Some fields are not acceptable",
            None,
            errors,
        );
    }
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let created = api
        .shared
        .store()
        .create(&token, &key, &hash, &server, &order);
    let id = match created {
        Ok(Created::New(id)) => {
            let mut secrets = api.shared.secrets.lock().unwrap_or_else(|p| p.into_inner());
            for (i, app) in order.apps.iter().enumerate() {
                if !app.secrets.is_empty() {
                    secrets.insert((id, i as u32), app.secrets.clone());
                }
            }
            drop(secrets);
            api.shared.notify();
            // The operator sizes the server from this; it is not stored with the order.
            tracing::info!(order = %id, server = %server, apps = order.apps.len(), storage_gb = ?order.storage_gb, "order accepted");
            id
        }
        Ok(Created::Existing(id)) => id,
        Ok(Created::Conflict) => {
            return problem(
                StatusCode::CONFLICT,
                "This Idempotency-Key was used for a different order",
                Some("Use a new key for a new order.".into()),
            );
        }
        Err(e) => return internal(e),
    };
    let status_url = format!(
        "{}/v1/orders/{id}",
        api.config
            .public_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/')
    );
    let mut r = (
        StatusCode::ACCEPTED,
        Json(OrderAccepted {
            id,
            status_url: status_url.clone(),
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&status_url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn order_id(id: &str) -> Result<Uuid, Response> {
    id.parse()
        .map_err(|_| problem(StatusCode::NOT_FOUND, "No such order", None))
}

async fn order_status(State(api): Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Read) {
        return r;
    }
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match api.shared.store().status(id) {
        Ok(Some(s)) => Json(s).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "No such order", None),
        Err(e) => internal(e),
    }
}

async fn order_events(State(api): Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Read) {
        return r;
    }
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    if !matches!(api.shared.store().status(id), Ok(Some(_))) {
        return problem(StatusCode::NOT_FOUND, "No such order", None);
    }
    // Sends the order's status whenever it changes; ends after the final one.
    let stream = futures_util::stream::unfold(
        (api, None::<String>, false),
        move |(api, last, ended)| async move {
            if ended {
                return None;
            }
            loop {
                let status = api.shared.store().status(id).ok().flatten()?;
                let json = serde_json::to_string(&status).ok()?;
                if last.as_deref() != Some(json.as_str()) {
                    let done = status.is_final();
                    let event = Event::default().event("status").data(json.clone());
                    return Some((Ok::<_, Infallible>(event), (api, Some(json), done)));
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn cancel_order(State(api): Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Write) {
        return r;
    }
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let store = api.shared.store();
    match store.status(id) {
        Ok(Some(_)) => {}
        Ok(None) => return problem(StatusCode::NOT_FOUND, "No such order", None),
        Err(e) => return internal(e),
    }
    if let Err(e) = store.cancel(id) {
        return internal(e);
    }
    match store.status(id) {
        Ok(Some(s)) => Json(s).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "No such order", None),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetryRequest {
    #[serde(default)]
    secrets: Vec<SuppliedSecret>,
}

async fn retry_app(
    State(api): Ctx,
    headers: HeaderMap,
    Path((id, index)): Path<(String, String)>,
    req: Request,
) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Write) {
        return r;
    }
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let Ok(index) = index.parse::<u32>() else {
        return problem(StatusCode::NOT_FOUND, "No such app in this order", None);
    };
    let bytes = match read_body(&api, req).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let retry: RetryRequest = if bytes.is_empty() {
        RetryRequest {
            secrets: Vec::new(),
        }
    } else {
        match parse(&bytes) {
            Ok(r) => r,
            Err(r) => return r,
        }
    };
    let requeued = api.shared.store().requeue_failed(id, index);
    match requeued {
        Ok(true) => {
            if !retry.secrets.is_empty() {
                api.shared
                    .secrets
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert((id, index), retry.secrets);
            }
            api.shared.notify();
            match api.shared.store().status(id) {
                Ok(Some(s)) => (StatusCode::ACCEPTED, Json(s)).into_response(),
                _ => problem(StatusCode::NOT_FOUND, "No such order", None),
            }
        }
        Ok(false) => problem(
            StatusCode::CONFLICT,
            "Only a failed app can be retried",
            None,
        ),
        Err(e) => internal(e),
    }
}

async fn catalogue(State(api): Ctx, headers: HeaderMap) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Read) {
        return r;
    }
    Json(serde_json::json!({ "recipes": api.config.offers })).into_response()
}

#[derive(Serialize)]
struct Capabilities<'a> {
    api_version: u32,
    servers: &'a [String],
    max_apps: usize,
    max_body_bytes: usize,
    features: [&'static str; 4],
}

async fn capabilities(State(api): Ctx, headers: HeaderMap) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Read) {
        return r;
    }
    Json(Capabilities {
        api_version: 1,
        servers: &api.config.servers,
        max_apps: ferry_hosting::rules::MAX_APPS,
        max_body_bytes: api.config.max_body_bytes,
        features: ["events", "cancel", "retry", "export"],
    })
    .into_response()
}

/// Keys whose values are credentials even though abra keeps them in the `.env`.
fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    !k.ends_with("_VERSION")
        && ["PASS", "SECRET", "TOKEN", "PRIVATE", "API_KEY"]
            .iter()
            .any(|w| k.contains(w))
}

async fn export_app(State(api): Ctx, headers: HeaderMap, Path(domain): Path<String>) -> Response {
    if let Err(r) = authorise(&api, &headers, Scope::Read) {
        return r;
    }
    if !ferry_hosting::rules::is_domain(&domain) {
        return problem(StatusCode::NOT_FOUND, "No such app", None);
    }
    let found = api.shared.store().deployed_app(&domain);
    let (server, deployed) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return problem(StatusCode::NOT_FOUND, "No such app", None),
        Err(e) => return internal(e),
    };
    let path = crate::runner::env_path(&api.shared.abra, &server, &domain);
    let env = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    let env: String = env
        .lines()
        .map(|l| match l.split_once('=') {
            Some((k, _)) if !l.trim_start().starts_with('#') && is_sensitive_key(k.trim()) => {
                format!("{}=", k.trim())
            }
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    Json(serde_json::json!({
        "domain": domain,
        "recipe_version": deployed,
        "env": env + "\n",
        "latest_backup": null,
    }))
    .into_response()
}
