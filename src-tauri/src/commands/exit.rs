//! The exit-plan step: suggestions, what is missing, and the exported document.

use std::path::PathBuf;

use ferry_core::exit::{ExitDefaults, Gap, defaults, gaps, suggest};
use ferry_core::model::ExitPlan;
use ferry_core::{CoreError, ErrorPayload, Plan, PlanId};
use ferry_report::DocumentFormat;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

/// The plan's exit plan with its empty parts given first answers, in the plan's language.
#[tauri::command]
pub fn exit_plan_suggest(plan: Plan) -> ExitPlan {
    suggest(&plan)
}

/// Each trigger's usual path and Ferry's export facts per chosen app, for the plan on screen.
#[tauri::command]
pub fn exit_plan_defaults(plan: Plan) -> ExitDefaults {
    defaults(&plan)
}

/// What the exit plan does not say yet (for the plan as it is on screen, saved or not).
#[tauri::command]
pub fn exit_plan_gaps(plan: Plan) -> Vec<Gap> {
    gaps(&plan)
}

/// Writes the saved plan's exit-plan document to `path` (chosen in the save dialog).
#[tauri::command]
pub async fn plan_export_document(
    state: State<'_, AppState>,
    id: PlanId,
    path: PathBuf,
    format: DocumentFormat,
) -> Result<(), ErrorPayload> {
    let plan = state.with(|lib| lib.get(id))?;
    let store = state.catalogue_store();
    let target = path.clone();
    // Off the main thread: the window stays responsive while the PDF is made.
    tauri::async_runtime::spawn_blocking(move || {
        ferry_report::export::write(
            &plan,
            &store.load(),
            chrono::Local::now().date_naive(),
            format,
            &target,
        )
    })
    .await
    .map_err(|e| {
        CoreError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        }
        .to_payload()
    })?
    .map_err(|e| {
        tracing::warn!(code = e.code(), error = %e, "document export failed");
        e.to_payload()
    })?;
    state.remember_export(path);
    Ok(())
}

/// Opens a document this window exported, in the system's viewer. Only files
/// exported in this session can be opened, so the command cannot open anything else.
#[tauri::command]
pub fn open_exported<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<(), ErrorPayload> {
    let not_ours = || {
        CoreError::Io {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "not exported here"),
        }
        .to_payload()
    };
    if !state.was_exported(&path) {
        return Err(not_ours());
    }
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            CoreError::Io {
                path: path.clone(),
                source: std::io::Error::other(e.to_string()),
            }
            .to_payload()
        })
}
