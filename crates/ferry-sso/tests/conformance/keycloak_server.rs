//! The real Keycloak that `scripts/keycloak run` starts beside `make test`'s cargo
//! test: its address once it answers (awaited, not slept on), and its bootstrap admin.
//! Without one, a developer's run says SKIPPED; CI's (CI=true) fails.

use std::sync::Arc;

use ferry_core::model::IdpKind;
use ferry_sso::provider::{Credentials, Secret};

use super::real::{KeycloakLogin, RealAdmin};
use super::{Admin, Org, Target};

#[allow(unused_imports)] // each test binary uses its part of the conformance module
pub use ferry_testkit::keycloak::{Started, keycloak};

/// The conformance target on this Keycloak: Ferry as its master admin.
pub fn target(kc: &Started) -> Target {
    Target {
        kind: IdpKind::Keycloak,
        url: kc.url.clone(),
        credentials: Credentials::Password {
            username: kc.admin.clone(),
            password: Secret::new(kc.password.clone()),
        },
        options: super::options(),
        org: Org::new(super::ORG, "barn-og-unge.example"),
        admin: Arc::new(Admin::Real(RealAdmin {
            kind: IdpKind::Keycloak,
            base: kc.url.clone(),
            auth: String::new(),
            http: reqwest::Client::new(),
            run: "kc".into(),
            keycloak: Some(KeycloakLogin::new(&kc.admin, &kc.password)),
            mail: Default::default(),
        })),
    }
}
