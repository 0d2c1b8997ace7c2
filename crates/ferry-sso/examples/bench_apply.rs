//! Benchmark (scripts/bench-sso): plan and apply 15 OIDC clients on each provider's
//! contract server with 50 ms added to every request, then apply again.
//! Prints the time of the first apply and the writes made by the second.
//! Target: ≤ 2 s and 0 writes. Run under `scripts/keycloak run --`, it does the same
//! on the real Keycloak too (no latency added: its own pace on loopback).

use std::time::{Duration, Instant};

use ferry_core::model::{Decision, IdpKind};
use ferry_sso::apply::apply;
use ferry_sso::desired::from_plan;
use ferry_sso::diff::diff;
use ferry_sso::provider::Provider;
use ferry_sso::secrets::MemoryStore;
use ferry_sso::testing::FakeIdp;
use ferry_sso::{Options, connect};

const APPS: [&str; 15] = [
    "nextcloud",
    "hedgedoc",
    "outline",
    "mastodon",
    "discourse",
    "matrix-synapse",
    "gitea",
    "wordpress",
    "mediawiki",
    "bookstack",
    "loomio",
    "rallly",
    "vaultwarden",
    "zulip",
    "rocketchat",
];

fn plan(kind: IdpKind, url: &str) -> ferry_core::Plan {
    let mut plan = ferry_core::Plan::new("Benchmark", ferry_core::Language::En).unwrap();
    for (i, app) in APPS.iter().enumerate() {
        plan.recipes.set(
            &format!("need_{i}"),
            Decision::Recipe {
                name: (*app).into(),
            },
        );
    }
    plan.sso.idp = Some(kind);
    plan.sso.url = url.to_owned();
    plan.deploy.base_domain = "bench.example".into();
    plan
}

/// The real Keycloak that `scripts/keycloak run` started, once it answers.
async fn real_keycloak() -> Option<(String, ferry_sso::Credentials)> {
    let state = std::path::PathBuf::from(std::env::var_os("FERRY_KEYCLOAK_STATE")?);
    for _ in 0..1920 {
        if let Ok(ready) = std::fs::read_to_string(state.join("ready")) {
            let url = ready
                .lines()
                .find_map(|l| l.strip_prefix("url="))?
                .to_owned();
            let credentials = ferry_sso::Credentials::Password {
                username: std::env::var("FERRY_KEYCLOAK_ADMIN").ok()?,
                password: ferry_sso::provider::Secret::new(
                    std::env::var("FERRY_KEYCLOAK_PASSWORD").ok()?,
                ),
            };
            return Some((url, credentials));
        }
        assert!(!state.join("failed").exists(), "Keycloak did not start");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("Keycloak was not ready after 8 minutes")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if let Some((url, credentials)) = real_keycloak().await {
        let desired = from_plan(&plan(IdpKind::Keycloak, &url)).unwrap();
        let store = MemoryStore::default();
        let provider = connect(
            IdpKind::Keycloak,
            &url,
            &desired.realm,
            credentials,
            Options::default(),
        )
        .unwrap();
        let started = Instant::now();
        let current = provider.read(&desired).await.unwrap();
        let changes = diff(&desired, &current);
        let first = apply(&provider, &desired, &changes, &store, "bench", &|_| {}).await;
        let took = started.elapsed();
        assert!(first.all_ok(), "{first:?}");
        let current = provider.read(&desired).await.unwrap();
        let again = diff(&desired, &current);
        let second = apply(&provider, &desired, &again, &store, "bench", &|_| {}).await;
        println!(
            "real Keycloak 26.7.3 on loopback: first apply {} ms ({} changes, {} writes)   second apply: {} changes, {} writes",
            took.as_millis(),
            changes.len(),
            first.writes,
            again.len(),
            second.writes
        );
    }
    let latency = Duration::from_millis(50);
    println!("15 clients, {} ms per request", latency.as_millis());
    for kind in IdpKind::ALL {
        let fake = match kind {
            IdpKind::Keycloak => FakeIdp::keycloak().await,
            IdpKind::Authentik => FakeIdp::authentik("2026.8.1").await,
            IdpKind::Rauthy => FakeIdp::rauthy().await,
        };
        fake.set_latency(latency);
        let desired = from_plan(&plan(kind, &fake.url)).unwrap();
        assert_eq!(desired.clients.len(), 15);
        let store = MemoryStore::default();
        let provider = connect(
            kind,
            &fake.url,
            &desired.realm,
            fake.credentials(),
            Options::default(),
        )
        .unwrap();

        let started = Instant::now();
        let current = provider.read(&desired).await.unwrap();
        let changes = diff(&desired, &current);
        let first = apply(&provider, &desired, &changes, &store, "bench", &|_| {}).await;
        let took = started.elapsed();
        assert!(first.all_ok(), "{first:?}");

        let writes_before = fake.writes();
        let current = provider.read(&desired).await.unwrap();
        let again = diff(&desired, &current);
        let second = apply(&provider, &desired, &again, &store, "bench", &|_| {}).await;
        let server_writes = fake.writes() - writes_before;
        println!(
            "{:<10} first apply {:>6} ms ({} changes, {} requests)   second apply: {} writes (server saw {})   {}",
            ferry_sso::error::idp_name(kind),
            took.as_millis(),
            changes.len(),
            fake.requests().len(),
            second.writes,
            server_writes,
            if took <= Duration::from_secs(2) && server_writes == 0 {
                "ok"
            } else {
                "MISSED TARGET"
            }
        );
    }
}
