//! Handing client secrets on to the deploy order, and the provider suggestion.

mod common;

use common::{plan, provider_for};
use ferry_core::model::{IdpKind, TechnicalCapacity};
use ferry_sso::apply::apply;
use ferry_sso::desired::from_plan;
use ferry_sso::diff::diff;
use ferry_sso::provider::Provider;
use ferry_sso::secrets::{SecretStore, Vault, client_secret_key};
use ferry_sso::session::{hand_on, suggest};
use ferry_sso::testing::FakeIdp;
use ferry_sso::verify::{to_results, verify};

#[tokio::test]
async fn working_apps_get_their_client_secret_in_the_order_and_others_do_not() {
    let fake = FakeIdp::rauthy().await;
    let mut plan = plan(IdpKind::Rauthy, &fake.url);
    let plan_id = plan.id.to_string();
    let vault = Vault::memory_only();
    let desired = from_plan(&plan).unwrap();
    let provider = provider_for(&fake, &plan);
    let changes = diff(&desired, &provider.read(&desired).await.unwrap());
    apply(&provider, &desired, &changes, &vault, &plan_id, &|_| {}).await;
    let mut checks = verify(&provider, &desired, &vault, &plan_id).await;
    // Pretend Outline's check failed: it must not be wired.
    checks
        .iter_mut()
        .find(|c| c.recipe == "outline")
        .unwrap()
        .problems
        .push(ferry_sso::verify::AppProblem::SecretNotKept);
    plan.sso.results = to_results(&checks);

    let mut order = ferry_core::deploy::order_request(&plan).unwrap();
    let wired = hand_on(&mut order, &plan, &vault).unwrap();
    assert_eq!(wired, ["nextcloud", "bookstack"]);
    let app = |r: &str| order.apps.iter().find(|a| a.recipe == r).unwrap();
    let secret = vault
        .get(&client_secret_key(&plan_id, "fagforeningen-ost-bookstack"))
        .unwrap()
        .unwrap();
    let bookstack = app("bookstack");
    assert_eq!(bookstack.secrets[0].name, "oidc_client_secret");
    assert_eq!(bookstack.secrets[0].value, secret);
    assert_eq!(
        bookstack.env["OIDC_CLIENT_ID"],
        "fagforeningen-ost-bookstack"
    );
    assert_eq!(
        bookstack.env["OIDC_ISSUER"],
        format!("{}/auth/v1/", fake.url)
    );
    assert!(!bookstack.env.values().any(|v| v.contains(&secret)));
    assert!(app("outline").secrets.is_empty());
    assert!(app("jitsi").secrets.is_empty());
    // The secret never shows in the order's debug output.
    assert!(!format!("{order:?}").contains(&secret));
    assert_eq!(ferry_hosting::rules::check_order(&order), vec![]);
}

#[test]
fn the_suggestion_follows_size_and_technical_help() {
    let mut plan = plan(IdpKind::Keycloak, "https://login.example.org");
    plan.organisation.members = Some(40);
    plan.organisation.technical_capacity = Some(TechnicalCapacity::OneVolunteer);
    assert_eq!(suggest(&plan).idp, IdpKind::Rauthy);
    plan.organisation.technical_capacity = Some(TechnicalCapacity::SeveralVolunteers);
    assert_eq!(suggest(&plan).idp, IdpKind::Authentik);
    plan.organisation.technical_capacity = Some(TechnicalCapacity::PaidAdmin);
    assert_eq!(suggest(&plan).idp, IdpKind::Keycloak);
    plan.organisation.technical_capacity = None;
    plan.organisation.members = Some(5000);
    let s = suggest(&plan);
    assert_eq!(
        (s.idp, s.reason.as_str()),
        (IdpKind::Keycloak, "sso.why.large")
    );
}
