//! Workshops: the needs of every organisation in the library side by side.

use std::path::PathBuf;

use ferry_core::workshop::{CrossView, ExportFormat, export, library_view};
use ferry_core::{CoreError, Language, PlanId};
use tauri::State;

use crate::state::AppState;

use super::Reply;

#[tauri::command]
pub fn workshop_view(state: State<'_, AppState>) -> Reply<CrossView> {
    state.with(|lib| library_view(lib))
}

/// Records whether the organisation may be named in shared results.
#[tauri::command]
pub fn plan_set_consent(state: State<'_, AppState>, id: PlanId, consent: bool) -> Reply<()> {
    state.with(|lib| {
        let mut plan = lib.get(id)?;
        plan.organisation.consent_to_share = consent;
        lib.save(&plan).map(|_| ())
    })
}

/// Writes the cross-organisation view to `path`, naming only consenting organisations.
#[tauri::command]
pub fn workshop_export(
    state: State<'_, AppState>,
    path: PathBuf,
    format: ExportFormat,
    language: Language,
) -> Reply<()> {
    state.with(|lib| {
        let text = export(&library_view(lib)?, format, language);
        ferry_core::fsutil::write_atomic(&path, text.as_bytes()).map_err(|source| CoreError::Io {
            path: path.clone(),
            source,
        })
    })
}
