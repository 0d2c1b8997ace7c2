//! What can stop a move. Each error has a stable code (`move.*`) the UI translates and
//! says what to do in plain words. An item that cannot be moved does not stop the
//! move: it is listed in the report with its reason ([`crate::report::NotMoved`]).

use std::collections::BTreeMap;

/// Why an archive was refused before anything was moved out of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("an entry is named {name:?}, which points outside the archive")]
    Traversal { name: String },
    #[error("entries share the same compressed bytes (a known zip-bomb trick)")]
    Overlap,
    #[error(
        "{name:?} claims {declared} bytes from {compressed} compressed: no real file packs that tightly"
    )]
    Bomb {
        name: String,
        declared: u64,
        compressed: u64,
    },
    #[error("{name:?} claims more bytes than the archive holds")]
    Beyond { name: String },
    #[error("{name:?} holds more than the {declared} bytes its index declares")]
    Longer { name: String, declared: u64 },
}

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("could not read {path}: {detail}")]
    Read { path: String, detail: String },
    #[error("{path} is not a zip archive, or a damaged one: {detail}")]
    NotZip { path: String, detail: String },
    #[error(
        "{path} is a .tgz archive, which cannot be read without unpacking it: choose .zip when creating the export"
    )]
    Tgz { path: String },
    #[error("Ferry refused {path}: {refusal}")]
    Refused { path: String, refusal: Refusal },
    #[error(
        "there is nothing to move in what was chosen (no mail, calendars, contacts or Drive files)"
    )]
    Empty,
    #[error("the plan has no app chosen that receives {kind}")]
    NoTarget { kind: String },
    #[error("the app {recipe} has no address yet (the deploy step gives it one)")]
    NoAddress { recipe: String },
    #[error("no password kept for {login} on {server}: enter it once, it goes to the keyring")]
    NoCredentials { login: String, server: String },
    #[error(
        "no administrator's sign-in kept for {server}: enter the administrator's user name and password once"
    )]
    NoAdminCredentials { server: String },
    #[error(
        "{server} does not let an administrator move someone else's {kind}: each person moves their own"
    )]
    NoAdminMode { server: String, kind: String },
    #[error("could not reach {server}: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("{server} refused the sign-in for {login}: check the user name and password")]
    SignIn { server: String, login: String },
    #[error(
        "{server} refused to send a password without encryption (only this computer may be reached that way)"
    )]
    Insecure { server: String },
    #[error("{server} answered in a way Ferry did not expect: {detail}")]
    Protocol { server: String, detail: String },
    #[error("the move's ledger could not be used: {detail}")]
    Ledger { detail: String },
    #[error("the move was stopped")]
    Stopped,
}

impl MoveError {
    /// Values the translated message names (never a secret).
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut put = |k: &str, v: &str| {
            out.insert(k.to_owned(), v.to_owned());
        };
        match self {
            MoveError::Read { path, detail } | MoveError::NotZip { path, detail } => {
                put("path", path);
                put("detail", detail);
            }
            MoveError::Tgz { path } => put("path", path),
            MoveError::Refused { path, refusal } => {
                put("path", path);
                put("reason", &refusal.to_string());
            }
            MoveError::NoTarget { kind } => put("kind", kind),
            MoveError::NoAddress { recipe } => put("recipe", recipe),
            MoveError::NoCredentials { login, server } | MoveError::SignIn { server, login } => {
                put("login", login);
                put("server", server);
            }
            MoveError::NoAdminCredentials { server } => put("server", server),
            MoveError::NoAdminMode { server, kind } => {
                put("server", server);
                put("kind", kind);
            }
            MoveError::Unreachable { server, detail } | MoveError::Protocol { server, detail } => {
                put("server", server);
                put("detail", detail);
            }
            MoveError::Insecure { server } => put("server", server),
            MoveError::Ledger { detail } => put("detail", detail),
            MoveError::Empty | MoveError::Stopped => {}
        }
        out
    }

    pub(crate) fn read(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        MoveError::Read {
            path: path.display().to_string(),
            detail: e.to_string(),
        }
    }

    pub(crate) fn protocol(server: &str, e: impl std::fmt::Display) -> Self {
        MoveError::Protocol {
            server: server.to_owned(),
            detail: e.to_string(),
        }
    }
}

impl From<rusqlite::Error> for MoveError {
    fn from(e: rusqlite::Error) -> Self {
        MoveError::Ledger {
            detail: e.to_string(),
        }
    }
}

ferry_codes::error_codes!(MoveError {
    Read => "move.read",
    NotZip => "move.not_zip",
    Tgz => "move.tgz",
    Refused => "move.refused",
    Empty => "move.empty",
    NoTarget => "move.no_target",
    NoAddress => "move.no_address",
    NoCredentials => "move.no_credentials",
    NoAdminCredentials => "move.no_admin_credentials",
    NoAdminMode => "move.no_admin_mode",
    Unreachable => "move.unreachable",
    SignIn => "move.sign_in",
    Insecure => "move.insecure",
    Protocol => "move.protocol",
    Ledger => "move.ledger",
    Stopped => "move.stopped",
});
