//! The exit plan: suggestions, what is missing, and the exported document.

use std::path::PathBuf;

use ferry_core::exit::{ExitDefaults, Gap};
use ferry_core::model::ExitPlan;
use ferry_core::{Plan, PlanId};
use ferry_report::DocumentFormat;

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

pub async fn suggest(_host: &impl Host, plan: Plan) -> Answer<ExitPlan> {
    Ok(ferry_core::exit::suggest(&plan))
}

pub async fn defaults(_host: &impl Host, plan: Plan) -> Answer<ExitDefaults> {
    Ok(ferry_core::exit::defaults(&plan))
}

pub async fn gaps(_host: &impl Host, plan: Plan) -> Answer<Vec<Gap>> {
    Ok(ferry_core::exit::gaps(&plan))
}

/// Writes the saved plan's exit-plan document to `path` (chosen in the save dialog).
pub async fn export_document(
    host: &impl Host,
    id: PlanId,
    path: PathBuf,
    format: DocumentFormat,
) -> Answer<()> {
    let catalogue = host.catalogue_store().load();
    write_document(host, id, path, move |plan, today, target| {
        ferry_report::export::write(plan, &catalogue, today, format, target)
    })
    .await
}

/// Writes the request to a hosting co-op for the saved plan to `path`.
pub async fn export_request(
    host: &impl Host,
    id: PlanId,
    path: PathBuf,
    format: DocumentFormat,
) -> Answer<()> {
    write_document(host, id, path, move |plan, today, target| {
        ferry_report::export::write_request(plan, today, format, target)
    })
    .await
}

/// Makes a document of the saved plan off the async threads (the window stays
/// responsive while a PDF is made), and remembers it as one `open_exported` may open.
async fn write_document(
    host: &impl Host,
    id: PlanId,
    path: PathBuf,
    write: impl FnOnce(&Plan, chrono::NaiveDate, &std::path::Path) -> ferry_core::Result<()>
    + Send
    + 'static,
) -> Answer<()> {
    let plan = host.with_library(|lib| lib.get(id))?;
    let today = host.today();
    let target = path.clone();
    tokio::task::spawn_blocking(move || write(&plan, today, &target))
        .await
        .map_err(ApiError::internal)?
        .inspect_err(|e| tracing::warn!(code = e.code(), error = %e, "document export failed"))?;
    host.session().remember_export(path);
    Ok(())
}

/// Opens a document exported in this session in the system's viewer; nothing else,
/// so the command cannot be used to open an arbitrary file.
pub async fn open_exported(host: &impl Host, path: PathBuf) -> Answer<()> {
    if !host.session().was_exported(&path) {
        return Err(ApiError::NotExportedHere { path });
    }
    host.open_path(&path)
}
