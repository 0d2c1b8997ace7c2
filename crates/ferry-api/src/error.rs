//! The one error type at the command surface. Every client (the window, the CLI, a
//! web page) receives it as an [`ErrorPayload`]: a stable code to translate, the
//! values its message names, and the fields to fix.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ferry_catalogue::RefreshError;
use ferry_core::room::RoomError;
use ferry_core::validate::FieldProblem;
use ferry_core::vote::VoteError;
use ferry_core::{CoreError, ErrorPayload};
use ferry_hosting::client::ClientError;
use ferry_import::ImportError;
use ferry_secrets::SecretError;
use ferry_sso::SsoError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Sso(#[from] SsoError),
    #[error(transparent)]
    Hosting(#[from] ClientError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Catalogue(#[from] RefreshError),
    #[error(transparent)]
    Room(#[from] RoomError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Vote(#[from] VoteError),
    #[error(transparent)]
    Move(#[from] ferry_move::MoveError),
    /// The plan library could not be opened when Ferry started (said once, kept).
    #[error("{}", .0.message)]
    Unavailable(ErrorPayload),

    #[error("the plan is not ready for single sign-on")]
    SsoNotReady { problems: Vec<FieldProblem> },
    #[error("no admin credentials for the identity provider")]
    SsoNotSignedIn,
    #[error("the members file cannot be read: {detail}")]
    MembersFile { detail: String },
    #[error("the order is not complete")]
    DeployNotReady { problems: Vec<FieldProblem> },
    #[error("no such co-op profile")]
    NoCoop,
    #[error("no token stored for the co-op {name}")]
    NoToken { name: String },
    #[error("the co-op did not deploy the sign-in service (it is {state})")]
    SignInNotDeployed { state: String },
    #[error("single sign-on could not be set up for {apps}")]
    SignOnFailed { apps: String },
    #[error("the co-op's server has no sealed admin credential for the sign-in service")]
    HandoverMissing,
    #[error("the sealed admin credential could not be opened with this order's key")]
    HandoverUnopenable,
    #[error("the key for the sign-in service's admin credential is no longer on this computer")]
    SealKeyLost,
    #[error("\"{id}\" is not an order id")]
    NotAnOrder { id: String },
    #[error("{} was not exported in this session, so Ferry does not open it", .path.display())]
    NotExportedHere { path: PathBuf },
    #[error("could not open {}: {detail}", .path.display())]
    OpenFailed { path: PathBuf, detail: String },
    #[error("could not open {url}: {detail}")]
    LinkNotOpened { url: String, detail: String },
    #[error("no exports have been read yet")]
    NothingImported,
    #[error("the list of third-party licences is not installed here")]
    NoLicences,
    #[error("this is not possible here: {what}")]
    NotHere { what: &'static str },
    #[error("the command {command} got arguments it cannot use: {detail}")]
    BadRequest { command: String, detail: String },
    #[error("there is no command called {command}")]
    UnknownCommand { command: String },
    #[error("Ferry failed inside ({detail}); please report this")]
    Internal { detail: String },
}

ferry_codes::error_codes!(ApiError {
    Unavailable => "library.unavailable",
    SsoNotReady => "sso.not_ready",
    SsoNotSignedIn => "sso.not_signed_in",
    MembersFile => "sso.csv_header",
    DeployNotReady => "deploy.not_ready",
    NoCoop => "deploy.no_coop",
    NoToken => "secrets.missing",
    NotAnOrder => "deploy.not_an_order",
    SignInNotDeployed => "deploy.sign_in_not_deployed",
    HandoverMissing => "deploy.handover_missing",
    SignOnFailed => "deploy.sign_on_failed",
    HandoverUnopenable => "deploy.handover_unopenable",
    SealKeyLost => "deploy.seal_key_lost",
    NotExportedHere => "export.not_ours",
    OpenFailed => "export.open_failed",
    LinkNotOpened => "app.link_not_opened",
    NothingImported => "import.nothing_read",
    NoLicences => "app.no_licences",
    NotHere => "api.not_here",
    BadRequest => "api.bad_request",
    UnknownCommand => "api.unknown_command",
    Internal => "api.internal",
} delegate {
    Core => CoreError,
    Sso => SsoError,
    Hosting => ClientError,
    Secret => SecretError,
    Catalogue => RefreshError,
    Room => RoomError,
    Import => ImportError,
    Vote => VoteError,
    Move => ferry_move::MoveError,
});

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal {
            detail: e.to_string(),
        }
    }

    /// Values the translated message names (never a secret).
    pub fn params(&self) -> BTreeMap<String, String> {
        let one = |k: &str, v: String| BTreeMap::from([(k.to_owned(), v)]);
        match self {
            ApiError::Core(e) => e.params(),
            ApiError::Sso(e) => e.params(),
            ApiError::Hosting(e) => e.params(),
            ApiError::Catalogue(e) => e.params(),
            ApiError::Room(e) => e.params(),
            ApiError::Import(e) => e.params(),
            ApiError::Vote(e) => e.params(),
            ApiError::Move(e) => e.params(),
            ApiError::Secret(_)
            | ApiError::SsoNotSignedIn
            | ApiError::NoCoop
            | ApiError::NothingImported
            | ApiError::NoLicences
            | ApiError::HandoverMissing
            | ApiError::HandoverUnopenable
            | ApiError::SealKeyLost => BTreeMap::new(),
            ApiError::SignInNotDeployed { state } => one("state", state.clone()),
            ApiError::SignOnFailed { apps } => one("apps", apps.clone()),
            ApiError::SsoNotReady { .. } | ApiError::DeployNotReady { .. } => BTreeMap::new(),
            ApiError::Unavailable(p) => p.params.clone(),
            ApiError::MembersFile { detail } | ApiError::Internal { detail } => {
                one("detail", detail.clone())
            }
            ApiError::NoToken { name } => one("name", name.clone()),
            ApiError::NotAnOrder { id } => one("id", id.clone()),
            ApiError::NotExportedHere { path } => one("path", path.display().to_string()),
            ApiError::OpenFailed { path, detail } => {
                let mut p = one("path", path.display().to_string());
                p.insert("detail".into(), detail.clone());
                p
            }
            ApiError::LinkNotOpened { url, detail } => {
                let mut p = one("url", url.clone());
                p.insert("detail".into(), detail.clone());
                p
            }
            ApiError::NotHere { what } => one("what", (*what).to_owned()),
            ApiError::BadRequest { command, detail } => {
                let mut p = one("command", command.clone());
                p.insert("detail".into(), detail.clone());
                p
            }
            ApiError::UnknownCommand { command } => one("command", command.clone()),
        }
    }

    /// The fields to fix, for an error about the plan's content.
    pub fn problems(&self) -> Vec<FieldProblem> {
        match self {
            ApiError::Core(CoreError::Invalid(p))
            | ApiError::Room(ferry_core::room::RoomError::Library(CoreError::Invalid(p)))
            | ApiError::SsoNotReady { problems: p }
            | ApiError::DeployNotReady { problems: p } => p.clone(),
            ApiError::Unavailable(p) => p.problems.clone(),
            _ => Vec::new(),
        }
    }

    /// What every client receives.
    pub fn to_payload(&self) -> ErrorPayload {
        let code = match self {
            // The stored payload keeps the code of what went wrong at start-up.
            ApiError::Unavailable(p) => p.code.clone(),
            other => other.code().to_owned(),
        };
        ErrorPayload {
            code,
            params: self.params(),
            problems: self.problems(),
            message: self.to_string(),
        }
    }

    /// Every code a client may receive: the message catalogues must have each one.
    pub fn all_codes() -> Vec<&'static str> {
        let mut all: Vec<&'static str> = Self::codes()
            .into_iter()
            .filter(|c| *c != "library.unavailable")
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_payload().serialize(s)
    }
}
