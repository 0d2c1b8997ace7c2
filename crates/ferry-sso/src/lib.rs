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
pub mod names;
pub mod owner;
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
/// An identity provider's answer body decoded as Ferry decodes it (JSON, with the
/// same limits), then run through each provider's reading of a client and the update
/// built from it, for one app with PKCE and one without; public only for `fuzz/`.
#[doc(hidden)]
pub fn fuzz_decode_answer(body: &[u8]) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    for pkce in [Some(true), None] {
        let client = desired::DesiredClient {
            client_id: "nextcloud".into(),
            name: "Lag - nextcloud".into(),
            recipe: "nextcloud".into(),
            need: "files".into(),
            base_url: "https://cloud.lag.example/".into(),
            settings: desired::ClientSettings {
                redirect_uris: ["https://cloud.lag.example/apps/user_oidc/code".to_owned()].into(),
                post_logout_redirect_uris: ["https://cloud.lag.example/".to_owned()].into(),
                pkce,
                groups_claim: true,
            },
            access_group: "app-nextcloud".into(),
            access_enforced: true,
            legacy: false,
        };
        provider::fuzz_decode(&v, &client);
        // Lists as the providers send them: each item is a client too.
        for item in v
            .as_array()
            .into_iter()
            .flatten()
            .chain(v["results"].as_array().into_iter().flatten())
        {
            provider::fuzz_decode(item, &client);
        }
    }
}
pub use ferry_core::model::IdpKind;
pub use http::Options;
pub use provider::{AnyProvider, Credentials, Provider, connect};
