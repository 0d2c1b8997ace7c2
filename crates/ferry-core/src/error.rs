//! Errors of the engine, as types with stable codes.
//!
//! The UI never shows `Display` text to a user: it looks the `code` up in its
//! message catalogue and fills in the `params`. `Display` is the English fallback
//! for logs and for the command line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use crate::validate::FieldProblem;

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("no plan with id {id} in the library")]
    PlanNotFound { id: String },

    #[error("the plan has problems: {}", describe_problems(.0))]
    Invalid(Vec<FieldProblem>),

    #[error(
        "the plan was changed elsewhere since it was opened (revision {found}, expected {expected})"
    )]
    Conflict { expected: u64, found: u64 },

    #[error("only a plan in the trash can be deleted for good")]
    NotInTrash,

    #[error("the file is not valid JSON (line {line}, column {column}): {detail}")]
    FileNotJson {
        line: usize,
        column: usize,
        detail: String,
    },

    #[error("the file is not a Ferry plan")]
    FileNotFerryPlan,

    #[error(
        "the file was made by a newer Ferry (plan format {found}; this Ferry reads up to {supported}); update Ferry to open it"
    )]
    FileFromNewerVersion { found: u64, supported: u64 },

    #[error("the field `{field}` in the file is wrong: {detail}")]
    FileFieldInvalid { field: String, detail: String },

    #[error("could not read or write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the file is larger than {limit_mb} MB; a plan file is much smaller, so this is probably not one"
    )]
    FileTooLarge { limit_mb: u64 },

    #[error("the plan library at {} was made by a newer Ferry (library version {found}; this Ferry knows up to {supported})", .path.display())]
    LibraryFromNewerVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("the plan library at {} is damaged or is not a Ferry library: {detail}", .path.display())]
    LibraryDamaged { path: PathBuf, detail: String },

    #[error("the plan library could not be used: {0}")]
    Storage(#[from] rusqlite::Error),
}

fn describe_problems(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{} ({})", p.field, p.code))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CoreError {
    /// Values the translated message may mention.
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            p.insert(k.to_owned(), v);
        };
        match self {
            CoreError::PlanNotFound { id } => put("id", id.clone()),
            CoreError::Conflict { expected, found } => {
                put("expected", expected.to_string());
                put("found", found.to_string());
            }
            CoreError::FileNotJson { line, column, .. } => {
                put("line", line.to_string());
                put("column", column.to_string());
            }
            CoreError::FileFromNewerVersion { found, supported } => {
                put("found", found.to_string());
                put("supported", supported.to_string());
            }
            CoreError::FileFieldInvalid { field, detail } => {
                put("field", field.clone());
                put("detail", detail.clone());
            }
            CoreError::Io { path, source } => {
                put("path", path.display().to_string());
                put("detail", source.to_string());
            }
            CoreError::FileTooLarge { limit_mb } => put("limit", limit_mb.to_string()),
            CoreError::LibraryFromNewerVersion {
                path,
                found,
                supported,
            } => {
                put("path", path.display().to_string());
                put("found", found.to_string());
                put("supported", supported.to_string());
            }
            CoreError::LibraryDamaged { path, .. } => put("path", path.display().to_string()),
            CoreError::Invalid(_) | CoreError::NotInTrash | CoreError::FileNotFerryPlan => {}
            CoreError::Storage(e) => put("detail", e.to_string()),
        }
        p
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CoreError::Io {
            path: path.into(),
            source,
        }
    }
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct ErrorPayload {
    /// Stable code, looked up as `error.<code>` in the message catalogue.
    pub code: String,
    pub params: BTreeMap<String, String>,
    /// Per-field problems when `code` is `plan.invalid`.
    pub problems: Vec<FieldProblem>,
    /// English text for logs; not for display.
    pub message: String,
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

ferry_codes::error_codes!(CoreError {
    PlanNotFound => "plan.not_found",
    Invalid => "plan.invalid",
    Conflict => "plan.conflict",
    NotInTrash => "plan.not_in_trash",
    FileNotJson => "file.not_json",
    FileNotFerryPlan => "file.not_ferry_plan",
    FileFromNewerVersion => "file.newer_version",
    FileFieldInvalid => "file.field_invalid",
    Io => "io.failed",
    FileTooLarge => "file.too_large",
    LibraryFromNewerVersion => "library.newer_version",
    LibraryDamaged => "library.damaged",
    Storage => "library.storage",
});
