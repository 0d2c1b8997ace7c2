//! The deploy step: hosting co-op profiles (tokens in the OS keyring), the order
//! preview, and orders sent, followed, retried and cancelled through the co-op's API.

use std::collections::BTreeMap;

use ferry_core::deploy::{PreviewApp, order_request, preview};
use ferry_core::model::OrderRecord;
use ferry_core::settings::CoopProfile;
use ferry_core::{ErrorPayload, Plan};
use ferry_hosting::OrderStatus;
use ferry_hosting::client::{Client, ClientError};
use ferry_secrets::coop_token_key;
use tauri::State;
use tauri::ipc::Channel;
use uuid::Uuid;

use crate::state::AppState;

use super::{Reply, from_secret, payload};

fn from_client(e: ClientError) -> ErrorPayload {
    tracing::warn!(code = e.code(), error = %e, "hosting API call failed");
    payload(e.code(), e.params(), e.to_string())
}

#[tauri::command]
pub fn coops_list(state: State<'_, AppState>) -> Reply<Vec<CoopProfile>> {
    state.with(|lib| lib.coop_profiles())
}

/// Saves a profile (a new one if `id` is empty); a token given is stored in the OS
/// keyring first, so a profile is never saved without it.
#[tauri::command]
pub fn coop_save(
    state: State<'_, AppState>,
    mut profile: CoopProfile,
    token: Option<String>,
) -> Reply<Vec<CoopProfile>> {
    if profile.id.trim().is_empty() {
        profile.id = Uuid::new_v4().to_string();
    }
    // Refuse an address the client would refuse, before anything is stored.
    Client::new(&profile.api_url, "").map_err(from_client)?;
    if let Some(token) = token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        ferry_secrets::set(&coop_token_key(&profile.id), token).map_err(from_secret)?;
    }
    state.with(|lib| lib.save_coop_profile(&profile))
}

#[tauri::command]
pub fn coop_delete(state: State<'_, AppState>, id: String) -> Reply<Vec<CoopProfile>> {
    ferry_secrets::delete(&coop_token_key(&id)).map_err(from_secret)?;
    state.with(|lib| lib.delete_coop_profile(&id))
}

/// The apps the order would carry, for the plan as it is on screen.
#[tauri::command]
pub fn deploy_preview(plan: Plan) -> Vec<PreviewApp> {
    preview(&plan)
}

fn client_for(state: &AppState, coop_id: &str) -> Reply<(CoopProfile, Client)> {
    let profile = state
        .with(|lib| lib.coop_profiles())?
        .into_iter()
        .find(|p| p.id == coop_id)
        .ok_or_else(|| {
            payload(
                "deploy.no_coop",
                BTreeMap::new(),
                "no such co-op profile".into(),
            )
        })?;
    let token = ferry_secrets::get(&coop_token_key(&profile.id))
        .map_err(from_secret)?
        .ok_or_else(|| {
            payload(
                "secrets.missing",
                BTreeMap::from([("name".to_owned(), profile.name.clone())]),
                "no token stored for this co-op".into(),
            )
        })?;
    let client = Client::new(&profile.api_url, &token).map_err(from_client)?;
    Ok((profile, client))
}

fn order_uuid(id: &str) -> Reply<Uuid> {
    id.parse().map_err(|_| {
        payload(
            "hosting.not_found",
            BTreeMap::new(),
            "not an order id".into(),
        )
    })
}

/// Sends the plan's apps to the co-op. `key` is the idempotency key the UI has
/// already saved with the plan, so that sending again cannot make a second order.
#[tauri::command]
pub async fn deploy_submit(
    state: State<'_, AppState>,
    sso: State<'_, crate::state::SsoState>,
    plan: Plan,
    coop_id: String,
    key: String,
) -> Reply<OrderRecord> {
    let mut order = order_request(&plan).map_err(|problems| ErrorPayload {
        problems,
        ..payload(
            "deploy.not_ready",
            BTreeMap::new(),
            "the order is not complete".into(),
        )
    })?;
    // Apps whose sign-on works get their OIDC client secret, from the keyring only.
    let wired = ferry_sso::session::hand_on(&mut order, &plan, sso.vault())
        .map_err(|e| payload(e.code(), e.params(), e.to_string()))?;
    tracing::info!(?wired, "OIDC client secrets handed on to the order");
    let (profile, client) = client_for(&state, &coop_id)?;
    let accepted = client.submit(&key, &order).await.map_err(from_client)?;
    let status = client.status(accepted.id).await.ok();
    Ok(OrderRecord {
        idempotency_key: key,
        order_id: Some(accepted.id.to_string()),
        coop_name: profile.name,
        api_url: profile.api_url,
        submitted_at: ferry_core::model::plan::now(),
        status,
    })
}

/// Follows an order until every app is final, sending each new status on `progress`.
#[tauri::command]
pub async fn deploy_follow(
    state: State<'_, AppState>,
    coop_id: String,
    order_id: String,
    progress: Channel<OrderStatus>,
) -> Reply<OrderStatus> {
    let (_, client) = client_for(&state, &coop_id)?;
    let id = order_uuid(&order_id)?;
    client
        .follow(id, |s| {
            let _ = progress.send(s.clone());
        })
        .await
        .map_err(from_client)
}

#[tauri::command]
pub async fn deploy_retry(
    state: State<'_, AppState>,
    coop_id: String,
    order_id: String,
    index: u32,
) -> Reply<OrderStatus> {
    let (_, client) = client_for(&state, &coop_id)?;
    client
        .retry(order_uuid(&order_id)?, index, &[])
        .await
        .map_err(from_client)
}

#[tauri::command]
pub async fn deploy_cancel(
    state: State<'_, AppState>,
    coop_id: String,
    order_id: String,
) -> Reply<OrderStatus> {
    let (_, client) = client_for(&state, &coop_id)?;
    client
        .cancel(order_uuid(&order_id)?)
        .await
        .map_err(from_client)
}
