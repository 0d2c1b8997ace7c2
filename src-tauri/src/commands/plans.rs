//! The plan library.

use std::path::PathBuf;

use ferry_core::library::{Draft, SaveOutcome};
use ferry_core::{Language, Plan, PlanId, PlanSummary, Shelf};
use tauri::State;

use crate::state::AppState;

use super::Reply;

#[tauri::command]
pub fn plans_list(
    state: State<'_, AppState>,
    trash: bool,
    query: String,
) -> Reply<Vec<PlanSummary>> {
    let shelf = if trash { Shelf::Trash } else { Shelf::Active };
    state.with(|lib| lib.list(shelf, &query))
}

#[tauri::command]
pub fn plan_create(state: State<'_, AppState>, name: String, language: Language) -> Reply<Plan> {
    state.with(|lib| lib.create(&name, language))
}

/// A new plan filled in as one of the example organisations, in `language`.
#[tauri::command]
pub fn plan_create_example(
    state: State<'_, AppState>,
    example: ferry_core::examples::Example,
    language: Language,
) -> Reply<Plan> {
    state.with(|lib| lib.import(ferry_core::examples::build(example, language)))
}

#[tauri::command]
pub fn plan_get(state: State<'_, AppState>, id: PlanId) -> Reply<Plan> {
    state.with(|lib| lib.get(id))
}

/// Saves an edit: every valid part at once, the rest kept as typed (a draft).
#[tauri::command]
pub fn plan_save(state: State<'_, AppState>, plan: Plan) -> Reply<SaveOutcome> {
    state.with(|lib| lib.save_edit(&plan))
}

/// How far each step of the plan is, and what in it is worth a second look.
#[tauri::command]
pub fn plan_progress(plan: Plan) -> ferry_core::progress::PlanStatus {
    ferry_core::progress::status(&plan)
}

/// The plan as last typed, when part of it is not valid yet.
#[tauri::command]
pub fn plan_draft(state: State<'_, AppState>, id: PlanId) -> Reply<Option<Draft>> {
    state.with(|lib| lib.draft(id))
}

#[tauri::command]
pub fn plan_rename(state: State<'_, AppState>, id: PlanId, name: String) -> Reply<Plan> {
    state.with(|lib| lib.rename(id, &name))
}

#[tauri::command]
pub fn plan_duplicate(state: State<'_, AppState>, id: PlanId, name: String) -> Reply<Plan> {
    state.with(|lib| lib.duplicate(id, &name))
}

#[tauri::command]
pub fn plan_trash(state: State<'_, AppState>, id: PlanId) -> Reply<()> {
    state.with(|lib| lib.trash(id))
}

#[tauri::command]
pub fn plan_restore(state: State<'_, AppState>, id: PlanId) -> Reply<()> {
    state.with(|lib| lib.restore(id))
}

#[tauri::command]
pub fn plan_purge(state: State<'_, AppState>, id: PlanId) -> Reply<()> {
    state.with(|lib| lib.purge(id))
}

/// Writes the plan to `path`, chosen by the user in the save dialog.
#[tauri::command]
pub fn plan_export(state: State<'_, AppState>, id: PlanId, path: PathBuf) -> Reply<()> {
    state.with(|lib| lib.export_to(id, &path))
}

/// Adds the plan in the file at `path` (chosen in the open dialog) as a new plan.
#[tauri::command]
pub fn plan_import(state: State<'_, AppState>, path: PathBuf) -> Reply<Plan> {
    state.with(|lib| lib.import_file(&path))
}
