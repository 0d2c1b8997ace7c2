//! Workshops: the needs of every organisation in the library side by side.

use std::path::PathBuf;

use ferry_core::workshop::{CrossView, ExportFormat, export, library_view};
use ferry_core::{CoreError, Language, PlanId};

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

pub async fn view(host: &impl Host) -> Answer<CrossView> {
    host.with_library(|lib| library_view(lib))
}

/// Records whether the organisation may be named in shared results.
pub async fn set_consent(host: &impl Host, id: PlanId, consent: bool) -> Answer<()> {
    host.with_library(|lib| {
        let mut plan = lib.get(id)?;
        plan.organisation.consent_to_share = consent;
        lib.save(&plan).map(|_| ())
    })
}

/// Writes the cross-organisation view to `path`, naming only consenting organisations.
pub async fn export_view(
    host: &impl Host,
    path: PathBuf,
    format: ExportFormat,
    language: Language,
) -> Answer<()> {
    host.with_library(|lib| {
        let text = export(&library_view(lib)?, format, language);
        ferry_core::fsutil::write_atomic(&path, text.as_bytes()).map_err(|source| CoreError::Io {
            path: path.clone(),
            source,
        })
    })
}
