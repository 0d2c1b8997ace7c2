//! What can go wrong reading an export. Each error has a stable code (`import.*`) that
//! the UI translates, and names the line when one is to blame. A file that fails leaves
//! the preview, and so the plan, untouched.

/// Largest file read; a member list of a million rows is still far below it.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
/// Rows read from one CSV file before giving up.
pub const MAX_ROWS: usize = 1_000_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("line {line}: more than {limit} rows")]
    TooManyRows { line: u64, limit: usize },
    #[error("the file is not text (line {line} has bytes no text encoding allows)")]
    NotText { line: u64 },
    #[error(
        "not an export Ferry knows: the first line has the columns {found:?}; expected a Google Workspace or Microsoft 365 download"
    )]
    UnknownFormat { found: String },
    #[error("line {line}: the file ends in the middle of a row (cut off while saving or copying?)")]
    Truncated { line: u64 },
    #[error("line {line}: {found} columns where the first line names {expected}")]
    RowShape {
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("line {line}, column {column:?}: {value:?} is not a number or size")]
    BadValue {
        line: u64,
        column: String,
        value: String,
    },
    #[error("the file has a first line but no rows")]
    NoRows,
    #[error("not a zip archive, or a damaged one: {detail}")]
    NotZip { detail: String },
    #[error("a zip archive, but not from Google Takeout (no Takeout/ folder inside)")]
    NotTakeout,
    /// A `.tgz` has no index: it would have to be unpacked to be read.
    #[error(
        "a Takeout .tgz archive cannot be read without unpacking it: choose .zip when creating the export"
    )]
    Tgz,
    /// A choice sent with the confirmation that the preview did not offer.
    #[error("the group {group} cannot become that")]
    GroupChoice { group: String },
    #[error("could not read the file: {0}")]
    Io(String),
}

impl ImportError {
    /// The line to blame, when there is one (1 = the header).
    pub fn line(&self) -> Option<u64> {
        match self {
            ImportError::TooManyRows { line, .. }
            | ImportError::NotText { line }
            | ImportError::Truncated { line }
            | ImportError::RowShape { line, .. }
            | ImportError::BadValue { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl ImportError {
    /// Values the translated message names.
    pub fn params(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        let mut put = |k: &str, v: String| {
            out.insert(k.to_owned(), v);
        };
        if let Some(line) = self.line() {
            put("line", line.to_string());
        }
        match self {
            ImportError::TooLarge { limit } | ImportError::TooManyRows { limit, .. } => {
                put("limit", limit.to_string())
            }
            ImportError::UnknownFormat { found } => put("found", found.clone()),
            ImportError::RowShape {
                expected, found, ..
            } => {
                put("expected", expected.to_string());
                put("found", found.to_string());
            }
            ImportError::BadValue { column, value, .. } => {
                put("column", column.clone());
                put("value", value.clone());
            }
            ImportError::GroupChoice { group } => put("group", group.clone()),
            ImportError::NotZip { detail } | ImportError::Io(detail) => {
                put("detail", detail.clone())
            }
            _ => {}
        }
        out
    }
}

impl From<std::io::Error> for ImportError {
    fn from(e: std::io::Error) -> Self {
        ImportError::Io(e.to_string())
    }
}

ferry_codes::error_codes!(ImportError {
    Empty => "import.empty",
    TooLarge => "import.too_large",
    TooManyRows => "import.too_many_rows",
    NotText => "import.not_text",
    UnknownFormat => "import.unknown_format",
    Truncated => "import.truncated",
    RowShape => "import.row_shape",
    BadValue => "import.bad_value",
    NoRows => "import.no_rows",
    NotZip => "import.not_zip",
    NotTakeout => "import.not_takeout",
    Tgz => "import.tgz",
    GroupChoice => "import.group_choice",
    Io => "import.io",
});
