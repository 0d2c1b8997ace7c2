#![allow(dead_code)]

use std::time::Duration;

use ferry_core::Plan;
use ferry_core::model::{Decision, IdpKind};
use ferry_sso::testing::FakeIdp;
use ferry_sso::{AnyProvider, Options, connect};

/// A union branch moving to Nextcloud, Outline, BookStack and Jitsi.
pub fn plan(idp: IdpKind, url: &str) -> Plan {
    let mut plan = Plan::new("Fagforeningen Øst", ferry_core::Language::Nb).unwrap();
    // The same organisation every time: its marks on the provider are its plan's id.
    plan.id = ferry_core::model::PlanId(uuid::Uuid::from_u128(0xfe22));
    for (need, recipe) in [
        ("files", "nextcloud"),
        ("wiki", "outline"),
        ("knowledge_base", "bookstack"),
        ("video_meetings", "jitsi"),
    ] {
        plan.recipes.set(
            need,
            Decision::Recipe {
                name: recipe.into(),
            },
        );
    }
    plan.sso.idp = Some(idp);
    plan.sso.url = url.to_owned();
    plan.deploy.base_domain = "fagforeningen.example".into();
    plan
}

/// Quick retries, so failure tests do not wait.
pub fn options() -> Options {
    Options {
        retries: 2,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        ..Options::default()
    }
}

pub fn provider_for(fake: &FakeIdp, plan: &Plan) -> AnyProvider {
    let desired = ferry_sso::desired::from_plan(plan).unwrap();
    connect(
        fake.kind,
        &fake.url,
        &desired.realm,
        fake.credentials(),
        options(),
    )
    .unwrap()
}

pub async fn fake(kind: IdpKind) -> FakeIdp {
    match kind {
        IdpKind::Keycloak => FakeIdp::keycloak().await,
        IdpKind::Authentik => FakeIdp::authentik("2026.8.1").await,
        IdpKind::Rauthy => FakeIdp::rauthy().await,
    }
}
