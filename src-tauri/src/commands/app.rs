//! The app itself: readiness and settings.

use ferry_core::ErrorPayload;
use ferry_core::settings::AppSettings;
use tauri::{Runtime, State, WebviewWindow};

use crate::open_files::OpenedFiles;
use crate::state::{AppState, StartedAt};

/// Called by the UI once its first screen is drawn: shows the window.
#[tauri::command]
pub fn app_ready<R: Runtime>(window: WebviewWindow<R>, started: State<'_, StartedAt>) {
    let ms = started.0.elapsed().as_millis();
    // scripts/measure-startup reads this line.
    tracing::info!(ms, "ui ready");
    if let Err(e) = window.show().and_then(|()| window.set_focus()) {
        tracing::warn!(error = %e, "could not show the window");
    }
}

/// Plan files opened from outside and not yet handed to the UI, which imports each
/// one exactly as its Import button does.
#[tauri::command]
pub fn opened_files_take(files: State<'_, OpenedFiles>) -> Vec<String> {
    files
        .take()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> Result<AppSettings, ErrorPayload> {
    state.with(|lib| lib.app_settings())
}

#[tauri::command]
pub fn settings_set(state: State<'_, AppState>, settings: AppSettings) -> Result<(), ErrorPayload> {
    state.with(|lib| lib.set_app_settings(&settings))
}
