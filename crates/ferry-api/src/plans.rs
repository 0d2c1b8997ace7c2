//! The plan library: list, create, save, trash, export and import plans.

use std::path::PathBuf;

use ferry_core::examples::Example;
use ferry_core::library::{Draft, SaveOutcome};
use ferry_core::privacy::{PersonalData, personal_data};
use ferry_core::progress::PlanStatus;
use ferry_core::{Language, Plan, PlanId, PlanSummary, Shelf};

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

pub async fn list(host: &impl Host, trash: bool, query: String) -> Answer<Vec<PlanSummary>> {
    let shelf = if trash { Shelf::Trash } else { Shelf::Active };
    host.with_library(|lib| lib.list(shelf, &query))
}

pub async fn create(host: &impl Host, name: String, language: Language) -> Answer<Plan> {
    host.with_library(|lib| lib.create(&name, language))
}

pub async fn create_example(
    host: &impl Host,
    example: Example,
    language: Language,
) -> Answer<Plan> {
    host.with_library(|lib| lib.import(ferry_core::examples::build(example, language)))
}

pub async fn get(host: &impl Host, id: PlanId) -> Answer<Plan> {
    host.with_library(|lib| lib.get(id))
}

pub async fn save(host: &impl Host, plan: Plan) -> Answer<SaveOutcome> {
    host.with_library(|lib| lib.save_edit(&plan))
}

pub async fn draft(host: &impl Host, id: PlanId) -> Answer<Option<Draft>> {
    host.with_library(|lib| lib.draft(id))
}

pub async fn progress(_host: &impl Host, plan: Plan) -> Answer<PlanStatus> {
    Ok(ferry_core::progress::status(&plan))
}

pub async fn rename(host: &impl Host, id: PlanId, name: String) -> Answer<Plan> {
    host.with_library(|lib| lib.rename(id, &name))
}

pub async fn duplicate(host: &impl Host, id: PlanId, name: String) -> Answer<Plan> {
    host.with_library(|lib| lib.duplicate(id, &name))
}

pub async fn trash(host: &impl Host, id: PlanId) -> Answer<()> {
    host.with_library(|lib| lib.trash(id))
}

pub async fn restore(host: &impl Host, id: PlanId) -> Answer<()> {
    host.with_library(|lib| lib.restore(id))
}

pub async fn purge(host: &impl Host, id: PlanId) -> Answer<()> {
    host.with_library(|lib| lib.purge(id))
}

/// Writes the plan file and says what personal data it carries.
pub async fn export(host: &impl Host, id: PlanId, path: PathBuf) -> Answer<Vec<PersonalData>> {
    host.with_library(|lib| {
        let plan = lib.get(id)?;
        ferry_core::exchange::write_plan_file(&path, &plan)?;
        Ok(personal_data(&plan))
    })
}

pub async fn import(host: &impl Host, path: PathBuf) -> Answer<Plan> {
    host.with_library(|lib| lib.import_file(&path))
}
