//! The single sign-on step: sign in to the identity provider (credentials to the
//! keyring), review the changes, apply them with progress, verify each app, show
//! an app's settings, and import members. All the work is in `ferry_sso`.

use std::collections::BTreeMap;

use ferry_core::{ErrorPayload, Plan};
use ferry_sso::apply::{Progress, apply};
use ferry_sso::diff::{Change, diff};
use ferry_sso::members::{Member, MemberList, MemberOutcome, parse_csv};
use ferry_sso::provider::Provider;
use ferry_sso::secrets::{SecretStore, admin_key, client_secret_key};
use ferry_sso::session::{
    AdminLogin, NotConnected, SsoOutcome, SsoOverview, connect_for, overview,
};
use ferry_sso::settings::{AppSetting, app_settings};
use ferry_sso::verify::{Endpoints, to_results, verify};
use ferry_sso::{AnyProvider, SsoError};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::SsoState;

use super::{Reply, from_secret, payload};

fn from_sso(e: SsoError) -> ErrorPayload {
    tracing::warn!(code = e.code(), error = %e, "identity provider call failed");
    payload(e.code(), e.params(), e.to_string())
}

fn from_not_connected(e: NotConnected) -> ErrorPayload {
    match e {
        NotConnected::NotReady(problems) => ErrorPayload {
            problems,
            ..payload(
                "sso.not_ready",
                BTreeMap::new(),
                "the plan is not ready".into(),
            )
        },
        NotConnected::NoCredentials => payload(
            "sso.not_signed_in",
            BTreeMap::new(),
            "no admin credentials for the identity provider".into(),
        ),
        NotConnected::Sso(e) => from_sso(e),
    }
}

fn connected(sso: &SsoState, plan: &Plan) -> Reply<(ferry_sso::desired::Desired, AnyProvider)> {
    connect_for(plan, sso.vault()).map_err(from_not_connected)
}

#[tauri::command]
pub fn sso_overview(sso: State<'_, SsoState>, plan: Plan) -> SsoOverview {
    overview(&plan, sso.vault())
}

/// Saves the admin credentials and checks them with one read; wrong ones are not kept.
#[tauri::command]
pub async fn sso_login(
    sso: State<'_, SsoState>,
    plan: Plan,
    login: AdminLogin,
) -> Reply<SsoOverview> {
    let vault = sso.vault();
    let plan_id = plan.id.to_string();
    vault
        .save_admin(&plan_id, &login.into_credentials())
        .map_err(from_secret)?;
    let (desired, provider) = connected(&sso, &plan)?;
    if let Err(e) = provider.read(&desired).await {
        let _ = vault.delete(&admin_key(&plan_id));
        return Err(from_sso(e));
    }
    Ok(overview(&plan, vault))
}

#[tauri::command]
pub fn sso_forget(sso: State<'_, SsoState>, plan: Plan) -> Reply<SsoOverview> {
    let vault = sso.vault();
    vault
        .delete(&admin_key(&plan.id.to_string()))
        .map_err(from_secret)?;
    Ok(overview(&plan, vault))
}

/// What an apply would create or change (nothing is written).
#[tauri::command]
pub async fn sso_plan(sso: State<'_, SsoState>, plan: Plan) -> Reply<Vec<Change>> {
    let (desired, provider) = connected(&sso, &plan)?;
    let current = provider.read(&desired).await.map_err(from_sso)?;
    Ok(diff(&desired, &current))
}

/// Applies the changes (progress on `progress`), then verifies every app.
#[tauri::command]
pub async fn sso_apply(
    sso: State<'_, SsoState>,
    plan: Plan,
    progress: Channel<Progress>,
) -> Reply<SsoOutcome> {
    let (desired, provider) = connected(&sso, &plan)?;
    let vault = sso.vault();
    let plan_id = plan.id.to_string();
    let current = provider.read(&desired).await.map_err(from_sso)?;
    let changes = diff(&desired, &current);
    let report = apply(&provider, &desired, &changes, vault, &plan_id, &|p| {
        let _ = progress.send(p);
    })
    .await;
    let checks = verify(&provider, &desired, vault, &plan_id).await;
    Ok(SsoOutcome {
        report: Some(report),
        results: to_results(&checks),
        checks,
    })
}

#[tauri::command]
pub async fn sso_verify(sso: State<'_, SsoState>, plan: Plan) -> Reply<SsoOutcome> {
    let (desired, provider) = connected(&sso, &plan)?;
    let checks = verify(&provider, &desired, sso.vault(), &plan.id.to_string()).await;
    Ok(SsoOutcome {
        report: None,
        results: to_results(&checks),
        checks,
    })
}

/// The settings an app's admin needs; the client secret only when `reveal` is set.
#[tauri::command]
pub fn sso_app_settings(
    sso: State<'_, SsoState>,
    plan: Plan,
    client_id: String,
    endpoints: Option<Endpoints>,
    reveal: bool,
) -> Reply<Vec<AppSetting>> {
    let desired = ferry_sso::desired::from_plan(&plan)
        .map_err(|p| from_not_connected(NotConnected::NotReady(p)))?;
    let Some(client) = desired.clients.iter().find(|c| c.client_id == client_id) else {
        return Ok(Vec::new());
    };
    let secret = if reveal {
        tracing::info!(client = %client_id, "client secret shown on request");
        sso.vault()
            .get(&client_secret_key(&plan.id.to_string(), &client_id))
            .map_err(from_secret)?
    } else {
        None
    };
    Ok(app_settings(
        client,
        &plan.organisation.name,
        &ferry_sso::session::issuer(&desired, &client_id),
        endpoints.as_ref(),
        secret.as_deref(),
    ))
}

/// Reads a members CSV file's text (rows checked against the plan's groups).
#[tauri::command]
pub fn sso_members_read(plan: Plan, text: String) -> Reply<MemberList> {
    let desired = ferry_sso::desired::from_plan(&plan)
        .map_err(|p| from_not_connected(NotConnected::NotReady(p)))?;
    parse_csv(&text, &desired.groups)
        .map_err(|e| payload("sso.csv_header", BTreeMap::new(), e.to_string()))
}

#[tauri::command]
pub async fn sso_members_import(
    sso: State<'_, SsoState>,
    plan: Plan,
    members: Vec<Member>,
    dry_run: bool,
) -> Reply<Vec<MemberOutcome>> {
    let (desired, provider) = connected(&sso, &plan)?;
    Ok(ferry_sso::members::import(&provider, &members, &desired.clients, dry_run).await)
}
