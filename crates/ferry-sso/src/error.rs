//! What can go wrong talking to an identity provider, each case naming what to check.
//! Messages never carry a secret or a server's response body.

use ferry_core::model::IdpKind;

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("could not reach {url}: check the address and the internet connection ({detail})")]
    Unreachable { url: String, detail: String },
    #[error("the secure connection to {url} failed: its certificate is not trusted ({detail})")]
    Tls { url: String, detail: String },
    #[error("{url} did not answer in time; it may be overloaded, try again later")]
    Timeout { url: String },
    #[error("{idp} refused the credentials: check the user name, password or API key")]
    BadCredentials { idp: &'static str },
    #[error("the account may not {action} on {idp}: give it administrator rights there")]
    Forbidden { idp: &'static str, action: String },
    #[error("{url} does not look like {idp}: check the address (and the product chosen)")]
    NotThisProvider { idp: &'static str, url: String },
    #[error("{idp} has no {what}: {hint}")]
    Missing {
        idp: &'static str,
        what: String,
        hint: &'static str,
    },
    #[error("{idp} already has {what} that Ferry cannot take over")]
    Conflict { idp: &'static str, what: String },
    /// The provider refused a request and said why (its own words, secrets removed).
    #[error("{idp} refused to {action}: {reason}")]
    Refused {
        idp: &'static str,
        action: String,
        reason: String,
    },
    #[error(
        "{idp} had an internal error ({status}) while Ferry tried to {action}; try again later"
    )]
    Server {
        idp: &'static str,
        status: u16,
        action: String,
    },
    #[error("{idp} answered {action} with something Ferry does not understand ({detail})")]
    InvalidResponse {
        idp: &'static str,
        action: String,
        detail: String,
    },
    #[error("the address {url} is not usable: {detail}")]
    BadUrl { url: String, detail: String },
    #[error("the certificate file {path} could not be used: {detail}")]
    CaFile { path: String, detail: String },
    #[error(transparent)]
    Secret(#[from] ferry_secrets::SecretError),
}

impl SsoError {
    /// Values the translated message may show (never a secret).
    pub fn params(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        let mut put = |k: &str, v: &str| {
            out.insert(k.to_owned(), v.to_owned());
        };
        match self {
            SsoError::Unreachable { url, .. }
            | SsoError::Tls { url, .. }
            | SsoError::Timeout { url }
            | SsoError::BadUrl { url, .. } => put("url", url),
            SsoError::BadCredentials { idp } | SsoError::Forbidden { idp, .. } => put("idp", idp),
            SsoError::NotThisProvider { idp, url } => {
                put("idp", idp);
                put("url", url);
            }
            SsoError::Missing { idp, what, .. } | SsoError::Conflict { idp, what } => {
                put("idp", idp);
                put("what", what);
            }
            SsoError::Refused { idp, reason, .. } => {
                put("idp", idp);
                put("reason", reason);
            }
            SsoError::Server { idp, status, .. } => {
                put("idp", idp);
                put("status", &status.to_string());
            }
            SsoError::InvalidResponse { idp, .. } => put("idp", idp),
            SsoError::CaFile { path, .. } => put("path", path),
            SsoError::Secret(_) => {}
        }
        out
    }

    /// The error as the UI shows it: code, values for the message, English text.
    pub fn payload(&self) -> ferry_core::error::ErrorPayload {
        ferry_core::error::ErrorPayload {
            code: self.code().to_owned(),
            params: self.params(),
            problems: Vec::new(),
            message: self.to_string(),
        }
    }

    /// Whether trying the same request again may help (server errors and timeouts only).
    pub fn is_transient(&self) -> bool {
        matches!(self, SsoError::Server { .. } | SsoError::Timeout { .. })
    }
}

pub fn idp_name(kind: IdpKind) -> &'static str {
    match kind {
        IdpKind::Keycloak => "Keycloak",
        IdpKind::Authentik => "Authentik",
        IdpKind::Rauthy => "Rauthy",
    }
}

ferry_codes::error_codes!(SsoError {
    Unreachable => "sso.unreachable",
    Tls => "sso.tls",
    Timeout => "sso.timeout",
    BadCredentials => "sso.bad_credentials",
    Forbidden => "sso.forbidden",
    NotThisProvider => "sso.not_this_provider",
    Missing => "sso.missing",
    Conflict => "sso.conflict",
    Refused => "sso.refused",
    Server => "sso.server",
    InvalidResponse => "sso.invalid_response",
    BadUrl => "sso.bad_url",
    CaFile => "sso.ca_file",
} delegate { Secret => ferry_secrets::SecretError });
