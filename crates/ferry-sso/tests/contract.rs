//! The conformance scenarios (tests/conformance) on each provider's contract server,
//! which keeps the behaviours seen on the real ones: name rules, page caps, exact
//! filters, PATCH semantics, first-caller redirects, application binding, rotation.
//! The same scenarios run against the real Keycloak in tests/keycloak.rs (in `make
//! test`) and against a real Rauthy and Authentik in tests/real.rs.

mod conformance;

use std::sync::Arc;

use conformance::{Admin, Org, Target};
use ferry_core::model::IdpKind;
use ferry_sso::testing::FakeIdp;

async fn target(kind: IdpKind) -> Target {
    let fake = match kind {
        IdpKind::Keycloak => FakeIdp::keycloak_with_smtp().await,
        IdpKind::Authentik => FakeIdp::authentik("2025.12.4").await,
        IdpKind::Rauthy => FakeIdp::rauthy_with_smtp().await,
    };
    Target {
        kind,
        url: fake.url.clone(),
        credentials: fake.credentials(),
        options: conformance::options(),
        org: Org::new(conformance::ORG, "barn-og-unge.example"),
        admin: Arc::new(Admin::Fake(fake)),
    }
}

macro_rules! on_every_provider {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            for kind in IdpKind::ALL {
                let t = target(kind).await;
                if let Err(e) = conformance::$name(&t).await {
                    panic!("{kind:?}: {e}");
                }
            }
        }
    )*};
}

every_scenario!(on_every_provider);

#[tokio::test]
async fn existing_slug() {
    let t = target(IdpKind::Authentik).await;
    conformance::existing_slug(&t).await.unwrap();
}

/// Keycloak only: its sign-in flows (the others keep no flow per app).
#[tokio::test]
async fn keycloak_flows_owned() {
    let t = target(IdpKind::Keycloak).await;
    conformance::keycloak_flows_owned(&t).await.unwrap();
}
