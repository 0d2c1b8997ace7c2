//! Commands the UI calls. Each one is a thin call into the engine; the names here,
//! in build.rs, in capabilities/default.json and in ui/src/lib/api.ts must agree
//! (tests/ipc.rs checks that they do).

pub mod app;
pub mod catalogue;
pub mod deploy;
pub mod exit;
pub mod plans;
pub mod sso;
pub mod workshop;

use std::collections::BTreeMap;

use ferry_core::ErrorPayload;

/// What a command answers: its value, or an error the UI translates by code.
pub(crate) type Reply<T> = Result<T, ErrorPayload>;

/// An error for the UI from a code, its message parameters and English text for logs.
pub(crate) fn payload(
    code: &str,
    params: BTreeMap<String, String>,
    message: String,
) -> ErrorPayload {
    ErrorPayload {
        code: code.to_owned(),
        params,
        problems: Vec::new(),
        message,
    }
}

/// The keyring refused or is missing.
pub(crate) fn from_secret(e: ferry_secrets::SecretError) -> ErrorPayload {
    tracing::warn!(code = e.code(), "keyring call failed");
    payload(e.code(), BTreeMap::new(), e.to_string())
}
