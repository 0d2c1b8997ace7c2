//! Writing the document to a file the user chose.

use std::path::Path;

use chrono::NaiveDate;
use ferry_catalogue::Catalogue;
use ferry_core::{CoreError, Plan};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentFormat {
    Pdf,
    Markdown,
}

ferry_core::all_values!(DocumentFormat: Pdf, Markdown);

impl DocumentFormat {
    /// What a file in this format is named with (the save dialog's filter too).
    pub fn extension(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "pdf",
            DocumentFormat::Markdown => "md",
        }
    }
}

/// The document's bytes in `format`.
pub fn render(
    plan: &Plan,
    catalogue: &Catalogue,
    today: NaiveDate,
    format: DocumentFormat,
) -> Result<Vec<u8>, crate::pdf::Error> {
    to_bytes(&crate::build(plan, catalogue, today), format)
}

fn to_bytes(doc: &crate::Document, format: DocumentFormat) -> Result<Vec<u8>, crate::pdf::Error> {
    match format {
        DocumentFormat::Pdf => crate::pdf::render(doc),
        DocumentFormat::Markdown => Ok(crate::markdown::render(doc).into_bytes()),
    }
}

/// A PDF that could not be made, as the error of writing its file.
fn unwritable(path: &Path, e: crate::pdf::Error) -> CoreError {
    CoreError::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    }
}

/// Writes the document to `path` in one step: a reader never sees half a file, and
/// a failed write leaves an earlier file there untouched.
pub fn write(
    plan: &Plan,
    catalogue: &Catalogue,
    today: NaiveDate,
    format: DocumentFormat,
    path: &Path,
) -> Result<(), CoreError> {
    let bytes = render(plan, catalogue, today, format).map_err(|e| unwritable(path, e))?;
    ferry_core::fsutil::write_atomic(path, &bytes).map_err(|source| CoreError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Writes the request to a hosting co-op (crate::request) to `path`, in one step.
pub fn write_request(
    plan: &Plan,
    today: NaiveDate,
    format: DocumentFormat,
    path: &Path,
) -> Result<(), CoreError> {
    let bytes =
        to_bytes(&crate::request::build(plan, today), format).map_err(|e| unwritable(path, e))?;
    ferry_core::fsutil::write_atomic(path, &bytes).map_err(|source| CoreError::Io {
        path: path.to_owned(),
        source,
    })
}
