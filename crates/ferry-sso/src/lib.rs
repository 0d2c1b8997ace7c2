//! Single sign-on for the plan's apps: one OpenID Connect client per app, the
//! organisation's groups and its members, on Keycloak, Authentik or Rauthy.
//!
//! The flow is plan → diff → apply → verify. [`desired::from_plan`] says what should
//! exist, a [`provider::Provider`] reads what does, [`diff::diff`] lists the changes
//! (never a deletion), [`apply::apply`] makes them and keeps the client secrets in
//! the OS keyring, [`verify::verify`] checks each app's sign-on by OIDC discovery.
//! A second apply makes no writes.

pub mod apply;
pub mod apps;
pub mod desired;
pub mod diff;
pub mod error;
mod http;
pub mod members;
pub mod provider;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod verify;

#[cfg(feature = "test-support")]
pub mod testing;

pub use error::SsoError;

/// How an identity provider's answer body is read for its reason; public only for
/// the fuzz targets in `fuzz/`.
#[doc(hidden)]
pub fn fuzz_reason_of(body: &[u8]) -> String {
    http::reason_of(body)
}
pub use ferry_core::model::IdpKind;
pub use http::Options;
pub use provider::{AnyProvider, Credentials, Provider, connect};
