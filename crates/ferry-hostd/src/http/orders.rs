//! Orders: place, follow, cancel, retry — each only within the caller's organisation.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ferry_hosting::rules::{check_order, check_secrets};
use ferry_hosting::{AppRequest, FieldError, OrderAccepted, OrderRequest, SuppliedSecret};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::auth::{Peer, authorise};
use super::{Api, Ctx, DOMAIN_TAKEN, QUOTA, not_found, problem, typed_problem, unprocessable};
use crate::config::Scope;
use crate::store::{self, Caller, Created, NewOrder, Refusal};

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

/// Problems with `app` beyond the shared rules: what this co-op offers.
fn check_offered(api: &Api, field: &str, app: &AppRequest, errors: &mut Vec<FieldError>) {
    if api.config.offer(&app.recipe).is_none() {
        errors.push(FieldError {
            field: format!("{field}.recipe"),
            problem: "is not a recipe this co-op offers (see /v1/catalogue)".into(),
        });
    }
}

/// The server where abra already has `domain`'s `.env`, whichever server it is.
fn on_disk(abra_dir: &std::path::Path, domain: &str) -> Option<String> {
    let servers = std::fs::read_dir(abra_dir.join("servers")).ok()?;
    servers.flatten().find_map(|s| {
        s.path()
            .join(format!("{domain}.env"))
            .exists()
            .then(|| s.file_name().to_string_lossy().into_owned())
    })
}

fn refusal(r: Refusal) -> Response {
    match r {
        Refusal::DomainTaken { domain } => typed_problem(
            StatusCode::CONFLICT,
            DOMAIN_TAKEN,
            "This domain is taken",
            Some(format!(
                "{domain} is another organisation's at this co-op; choose another domain."
            )),
            Vec::new(),
        ),
        Refusal::DomainElsewhere { domain, detail } => typed_problem(
            StatusCode::CONFLICT,
            DOMAIN_TAKEN,
            "This domain is already in use",
            Some(format!("{domain}: {detail}.")),
            Vec::new(),
        ),
        Refusal::DomainUnmanaged { domain, server } => typed_problem(
            StatusCode::CONFLICT,
            DOMAIN_TAKEN,
            "This domain is taken",
            Some(format!(
                "{domain} already exists on the co-op's server {server}; ask the co-op, or choose another domain."
            )),
            Vec::new(),
        ),
        Refusal::QueuedApps { limit } => {
            let mut r = typed_problem(
                StatusCode::TOO_MANY_REQUESTS,
                QUOTA,
                "Too many apps waiting",
                Some(format!(
                    "Your organisation may have {limit} apps queued or running at once; wait for some to finish."
                )),
                Vec::new(),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(60u32));
            r
        }
        Refusal::StoredBytes { limit } => typed_problem(
            StatusCode::FORBIDDEN,
            QUOTA,
            "Your organisation's storage at this server is full",
            Some(format!(
                "Orders and logs of your organisation may take {limit} bytes; ask the co-op to raise the limit."
            )),
            Vec::new(),
        ),
    }
}

pub(super) async fn create(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let caller = match authorise(&api, &headers, peer.map(|p| p.0), Scope::Write) {
        Ok(c) => c,
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
    if let Some(key) = &order.seal_to
        && errors.iter().all(|e| e.field != "seal_to")
        && !ferry_hosting::handover::can_seal_to(key)
    {
        errors.push(FieldError {
            field: "seal_to".into(),
            problem: "is not a public key anything can be sealed to".into(),
        });
    }
    for (i, app) in order.apps.iter().enumerate() {
        check_offered(&api, &format!("apps[{i}]"), app, &mut errors);
    }
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
        return unprocessable(errors);
    }
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let quotas = api.config.quotas(&caller.org);
    let abra_dir = api.shared.abra.abra_dir.clone();
    let (who, order_in, server_in) = (caller.clone(), order.clone(), server.clone());
    let created = api
        .write(&caller.org, move |store| {
            let new = NewOrder {
                key: &key,
                request_hash: &hash,
                server: &server_in,
                order: &order_in,
            };
            store.create(&who, new, quotas, &|d| on_disk(&abra_dir, d))
        })
        .await;
    let id = match created {
        Ok(Created::New(id)) => {
            let mut secrets = api.shared.secrets();
            for (i, app) in order.apps.iter().enumerate() {
                if !app.secrets.is_empty() {
                    secrets.insert((id, i as u32), app.secrets.clone());
                }
            }
            drop(secrets);
            api.shared.notify();
            // The operator sizes the server from this; it is not stored with the order.
            tracing::info!(order = %id, org = %caller.org, server = %server, apps = order.apps.len(), storage_gb = ?order.storage_gb, "order accepted");
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
        Ok(Created::Refused(r)) => {
            tracing::info!(org = %caller.org, refusal = ?r, "order refused");
            return refusal(r);
        }
        Err(r) => return r,
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

pub(super) fn order_id(id: &str) -> Result<Uuid, Response> {
    id.parse().map_err(|_| not_found("No such order"))
}

/// `caller`'s order `id` as JSON with `status`, or 404.
pub(super) async fn answer(
    api: &Arc<Api>,
    caller: &Caller,
    id: Uuid,
    status: StatusCode,
) -> Response {
    let (org, name) = (caller.org.clone(), caller.org_name.clone());
    match api.read(move |db| store::status(db, id, &org, &name)).await {
        Ok(Some(s)) => (status, Json(s)).into_response(),
        Ok(None) => not_found("No such order"),
        Err(r) => r,
    }
}

pub(super) async fn status(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let caller = match authorise(&api, &headers, peer.map(|p| p.0), Scope::Read) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match order_id(&id) {
        Ok(id) => answer(&api, &caller, id, StatusCode::OK).await,
        Err(r) => r,
    }
}

pub(super) async fn events(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let caller = match authorise(&api, &headers, peer.map(|p| p.0), Scope::Read) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let (org, name) = (caller.org.clone(), caller.org_name.clone());
    let first = api.read(move |db| store::status(db, id, &org, &name)).await;
    match first {
        Ok(Some(_)) => {}
        Ok(None) => return not_found("No such order"),
        Err(r) => return r,
    }
    // Sends the order's status whenever it changes; ends after the final one.
    let stream = futures_util::stream::unfold(
        (api, caller, None::<String>, false),
        move |(api, caller, last, ended)| async move {
            if ended {
                return None;
            }
            loop {
                let (org, name) = (caller.org.clone(), caller.org_name.clone());
                let status = api
                    .read(move |db| store::status(db, id, &org, &name))
                    .await
                    .ok()
                    .flatten()?;
                let json = serde_json::to_string(&status).ok()?;
                if last.as_deref() != Some(json.as_str()) {
                    let done = status.is_final();
                    let event = Event::default().event("status").data(json.clone());
                    return Some((Ok::<_, Infallible>(event), (api, caller, Some(json), done)));
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

pub(super) async fn cancel(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let caller = match authorise(&api, &headers, peer.map(|p| p.0), Scope::Write) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let org = caller.org.clone();
    match api.write(&caller.org, move |s| s.cancel(id, &org)).await {
        Ok(Some(cancelled)) => {
            // A cancelled app never runs: its supplied secrets go now, not at exit.
            let mut secrets = api.shared.secrets();
            for index in cancelled {
                secrets.remove(&(id, index));
            }
        }
        Ok(None) => return not_found("No such order"),
        Err(r) => return r,
    }
    answer(&api, &caller, id, StatusCode::OK).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetryRequest {
    #[serde(default)]
    secrets: Vec<SuppliedSecret>,
}

/// A retry passes the rules an order does, against the app as it was ordered and
/// this co-op as it is now; its secrets are exactly the ones the order declared.
fn check_retry(
    api: &Api,
    app: &AppRequest,
    declared: &[String],
    given: &[SuppliedSecret],
) -> Vec<FieldError> {
    let mut errors = check_secrets("secrets", given);
    for (j, s) in given.iter().enumerate() {
        if !declared.contains(&format!("{}:{}", s.name, s.version)) {
            errors.push(FieldError {
                field: format!("secrets[{j}].name"),
                problem: "was not declared by this app's order (name and version)".into(),
            });
        }
    }
    if errors.is_empty() && given.len() != declared.len() {
        errors.push(FieldError {
            field: "secrets".into(),
            problem: format!(
                "must give again every secret the order declared: {}",
                declared.join(", ")
            ),
        });
    }
    let again = OrderRequest {
        organisation: "retry".into(),
        server: None,
        storage_gb: None,
        seal_to: None,
        apps: vec![app.clone()],
    };
    errors.extend(check_order(&again).into_iter().map(|mut e| {
        e.field = e.field.replacen("apps[0]", "app", 1);
        e
    }));
    check_offered(api, "app", app, &mut errors);
    errors
}

pub(super) async fn retry(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Path((id, index)): Path<(String, String)>,
    req: Request,
) -> Response {
    let caller = match authorise(&api, &headers, peer.map(|p| p.0), Scope::Write) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match order_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let Ok(index) = index.parse::<u32>() else {
        return not_found("No such app in this order");
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
    let org = caller.org.clone();
    let found = api
        .read(move |db| {
            let app = store::stored_app(db, id, index, &org)?;
            let owner = match &app {
                Some(a) => store::domain_owner(db, &a.app.domain)?,
                None => None,
            };
            Ok(app.map(|a| (a, owner)))
        })
        .await;
    let (
        store::StoredApp {
            server,
            app,
            declared,
            state,
        },
        owner,
    ) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return not_found("No such app in this order"),
        Err(r) => return r,
    };
    if state != ferry_hosting::AppState::Failed {
        return problem(
            StatusCode::CONFLICT,
            "Only a failed app can be retried",
            None,
        );
    }
    let errors = check_retry(&api, &app, &declared, &retry.secrets);
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    if !owner.is_some_and(|(o, s, _)| o == caller.org && s == server) {
        return refusal(Refusal::DomainTaken { domain: app.domain });
    }
    let org = caller.org.clone();
    match api
        .write(&caller.org, move |s| s.requeue_failed(id, index, &org))
        .await
    {
        Ok(true) => {
            if !retry.secrets.is_empty() {
                api.shared.secrets().insert((id, index), retry.secrets);
            }
            api.shared.notify();
            answer(&api, &caller, id, StatusCode::ACCEPTED).await
        }
        Ok(false) => problem(
            StatusCode::CONFLICT,
            "Only a failed app can be retried",
            None,
        ),
        Err(r) => r,
    }
}
