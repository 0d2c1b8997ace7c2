//! The hosting API over HTTP (axum), as specified in `docs/hosting-api/openapi.yaml`.
//!
//! Every order, event stream, cancel, retry and export is looked up under the
//! caller's organisation: another organisation's order or app answers exactly as one
//! that does not exist (404).

// Helpers return the finished problem response as their error: it is built once per
// failed request, so its size does not matter.
#![allow(clippy::result_large_err)]

mod apps;
mod auth;
mod handover;
mod orders;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ferry_hosting::{FieldError, Problem};
use tokio::sync::Semaphore;

pub use auth::Peer;

use crate::config::Config;
use crate::worker::Shared;

/// `type` of a 409 for a domain another organisation (or the operator) has.
pub use ferry_hosting::DOMAIN_TAKEN_PROBLEM as DOMAIN_TAKEN;
/// `type` of a problem answer for a quota: clients show its `detail`, not a generic
/// "forbidden" or "wait".
pub use ferry_hosting::QUOTA_PROBLEM as QUOTA;

pub struct Api {
    pub config: Config,
    pub shared: Arc<Shared>,
    limits: auth::Limits,
    /// One write at a time per organisation: a client flooding orders queues behind
    /// itself, and another organisation's order waits for at most one of its commits.
    writes: HashMap<String, Arc<Semaphore>>,
}

type Ctx = axum::extract::State<Arc<Api>>;

impl Api {
    pub fn new(config: Config, shared: Arc<Shared>) -> Arc<Api> {
        let writes = config
            .organisations
            .iter()
            .map(|o| (o.id.clone(), Arc::new(Semaphore::new(1))))
            .collect();
        Arc::new(Api {
            config,
            shared,
            limits: auth::Limits::default(),
            writes,
        })
    }

    /// Runs `f` on a read-only connection, off the async threads.
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, Response> {
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || shared.readers.with(f))
            .await
            .map_err(internal)?
            .map_err(internal)
    }

    /// Runs `f` on the writer, after this organisation's earlier write has finished.
    async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        org: &str,
        f: impl FnOnce(&mut crate::store::Store) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, Response> {
        let turn = match self.writes.get(org) {
            Some(s) => Some(s.clone().acquire_owned().await.map_err(internal)?),
            None => None,
        };
        let shared = self.shared.clone();
        let out = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            f(&mut shared.store())
        })
        .await
        .map_err(internal)?;
        out.map_err(internal)
    }
}

/// The API's routes with their time limits: `request_timeout_secs` for a whole
/// request (body included; 408 after it), the event stream excepted once its headers
/// are sent, and a pause longer than `header_timeout_secs` inside a body.
pub fn router(api: Arc<Api>) -> Router {
    let whole = Duration::from_secs(api.config.request_timeout_secs);
    let pause = Duration::from_secs(api.config.header_timeout_secs);
    Router::new()
        .route("/v1/orders", post(orders::create))
        .route("/v1/orders/{id}", get(orders::status))
        .route("/v1/orders/{id}/events", get(orders::events))
        .route("/v1/orders/{id}/cancel", post(orders::cancel))
        .route("/v1/orders/{id}/apps/{index}/retry", post(orders::retry))
        .route(
            "/v1/orders/{id}/apps/{index}/handover/received",
            post(handover::received),
        )
        .route("/v1/catalogue", get(apps::catalogue))
        .route("/v1/capabilities", get(apps::capabilities))
        .route("/v1/apps/{domain}/export", get(apps::export))
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "Not found", None) })
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            whole,
        ))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(pause))
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
    typed_problem(status, "about:blank", title, detail, errors)
}

fn typed_problem(
    status: StatusCode,
    kind: &str,
    title: &str,
    detail: Option<String>,
    errors: Vec<FieldError>,
) -> Response {
    let body = Problem {
        kind: kind.into(),
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

fn not_found(what: &str) -> Response {
    problem(StatusCode::NOT_FOUND, what, None)
}

fn unprocessable(errors: Vec<FieldError>) -> Response {
    problem_with(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Some fields are not acceptable",
        None,
        errors,
    )
}

/// A clock shared by the limiters (a minute window each).
type Window = Mutex<HashMap<String, (std::time::Instant, u32)>>;
