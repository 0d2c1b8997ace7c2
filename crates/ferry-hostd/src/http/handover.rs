//! `POST /v1/orders/{id}/apps/{index}/handover/received`: the organisation has opened
//! its sign-in service's admin credential; the server forgets the sealed copy.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::auth::{Peer, authorise};
use super::orders::{answer, order_id};
use super::{Ctx, not_found, problem};
use crate::config::Scope;
use crate::store::Receipt;

pub(super) async fn received(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Path((id, index)): Path<(String, String)>,
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
    let org = caller.org.clone();
    match api
        .write(&caller.org, move |s| s.handover_received(id, index, &org))
        .await
    {
        Ok(Some(Receipt::Forgotten)) => {
            tracing::info!(order = %id, index, org = %caller.org, "admin credential received; sealed copy dropped");
            answer(&api, &caller, id, StatusCode::OK).await
        }
        Ok(Some(Receipt::Nothing)) => problem(
            StatusCode::CONFLICT,
            "This app has no credential to hand over",
            Some("Only a deployed sign-in service, ordered with a key to seal to, has one.".into()),
        ),
        // Another organisation's order looks exactly like one that does not exist.
        Ok(None) => not_found("No such app in this order"),
        Err(r) => r,
    }
}
