//! The recipe catalogue, the needs taxonomy and recommendations.

use ferry_catalogue::recommend::{Recommendation, recommend};
use ferry_catalogue::{Catalogue, Progress, RefreshConfig, RefreshOutcome};
use ferry_core::needs::Taxonomy;
use ferry_core::{ErrorPayload, PlanId};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

#[tauri::command]
pub fn catalogue_get(state: State<'_, AppState>) -> Catalogue {
    state.catalogue_store().load()
}

/// Downloads a newer catalogue, reporting progress on `progress`; on failure the
/// catalogue in use stays as it was.
#[tauri::command]
pub async fn catalogue_refresh(
    state: State<'_, AppState>,
    progress: Channel<Progress>,
) -> Result<RefreshOutcome, ErrorPayload> {
    let store = state.catalogue_store();
    let config = RefreshConfig {
        url: ferry_catalogue::refresh::configured_url(),
        ..Default::default()
    };
    ferry_catalogue::refresh(&store, &config, |p| {
        let _ = progress.send(p);
    })
    .await
    .map_err(|e| {
        tracing::warn!(code = e.code(), error = %e, "catalogue refresh failed");
        e.to_payload()
    })
}

/// The tools organisations use today, with their migration facts.
#[tauri::command]
pub fn tools_catalogue() -> ferry_core::tools::ToolCatalogue {
    ferry_core::tools::catalogue().clone()
}

/// Needs the ticked tools serve that are not on the board yet (for the plan on screen).
#[tauri::command]
pub fn tools_proposed_needs(plan: ferry_core::Plan) -> Vec<String> {
    ferry_core::tools::proposed_needs(&plan)
}

#[tauri::command]
pub fn needs_taxonomy() -> Taxonomy {
    ferry_core::needs::taxonomy().clone()
}

#[tauri::command]
pub fn plan_recommend(
    state: State<'_, AppState>,
    id: PlanId,
) -> Result<Recommendation, ErrorPayload> {
    let plan = state.with(|lib| lib.get(id))?;
    let catalogue = state.catalogue_store().load();
    Ok(recommend(
        &plan,
        &catalogue.recipes,
        ferry_core::needs::taxonomy(),
    ))
}
