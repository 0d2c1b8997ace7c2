//! Each provider against a loopback server keeping its documented admin-API contract:
//! the exact requests, idempotence, convergence after failures, and errors.

mod common;

use common::{fake, options, plan, provider_for};
use ferry_core::model::IdpKind;
use ferry_sso::apply::apply;
use ferry_sso::desired::from_plan;
use ferry_sso::diff::{Change, diff};
use ferry_sso::provider::{Credentials, Provider, Secret};
use ferry_sso::secrets::{MemoryStore, SecretStore, client_secret_key};
use ferry_sso::testing::{FailMode, FakeIdp};
use ferry_sso::verify::{AppProblem, verify};
use ferry_sso::{SsoError, connect};
use serde_json::Value;

const PLAN_ID: &str = "plan-1";

async fn plan_and_apply(
    fake: &FakeIdp,
    store: &MemoryStore,
) -> (Vec<Change>, ferry_sso::apply::ApplyReport) {
    let plan = plan(fake.kind, &fake.url);
    let desired = from_plan(&plan).unwrap();
    let provider = provider_for(fake, &plan);
    let current = provider.read(&desired).await.unwrap();
    let changes = diff(&desired, &current);
    let report = apply(&provider, &desired, &changes, store, PLAN_ID, &|_| {}).await;
    (changes, report)
}

fn writes_to(fake: &FakeIdp, needle: &str) -> Vec<ferry_sso::testing::Recorded> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && r.path.contains(needle))
        .collect()
}

/// The plan's client ids on `kind`, sorted: bare on Keycloak (the realm is the
/// organisation's), with its short name on the shared others.
fn client_ids(kind: IdpKind) -> Vec<String> {
    ["bookstack", "nextcloud", "outline"]
        .map(|r| {
            if kind == IdpKind::Keycloak {
                r.to_owned()
            } else {
                format!("fagforeningen-ost-{r}")
            }
        })
        .to_vec()
}

#[tokio::test]
async fn every_provider_converges_and_a_second_apply_writes_nothing() {
    for kind in IdpKind::ALL {
        let fake = fake(kind).await;
        let store = MemoryStore::default();
        let (changes, report) = plan_and_apply(&fake, &store).await;
        assert!(report.all_ok(), "{kind:?}: {report:?}");
        // Jitsi needs an adapter: three clients, five groups (+ Keycloak's realm).
        let clients = changes
            .iter()
            .filter(|c| matches!(c, Change::CreateClient { .. }))
            .count();
        assert_eq!(clients, 3, "{kind:?}");
        assert_eq!(
            changes
                .iter()
                .filter(|c| matches!(c, Change::CreateRealm { .. }))
                .count(),
            usize::from(kind == IdpKind::Keycloak),
            "{kind:?}"
        );
        let mut ids = fake.client_ids();
        ids.sort();
        assert_eq!(ids, client_ids(kind), "{kind:?}");
        assert_eq!(report.secrets_kept.len(), 3, "{kind:?}");

        let writes = fake.writes();
        let (again, report) = plan_and_apply(&fake, &store).await;
        assert_eq!(again, vec![], "{kind:?} plans nothing the second time");
        assert_eq!(report.writes, 0, "{kind:?}");
        assert_eq!(fake.writes(), writes, "{kind:?}: the server saw no write");

        let plan = plan(kind, &fake.url);
        let desired = from_plan(&plan).unwrap();
        let checks = verify(&provider_for(&fake, &plan), &desired, &store, PLAN_ID).await;
        assert_eq!(checks.len(), 3);
        for c in &checks {
            assert!(c.works(), "{kind:?} {}: {:?}", c.client_id, c.problems);
            assert!(c.endpoints.is_some());
        }
    }
}

#[tokio::test]
async fn keycloak_gets_a_realm_groups_and_confidential_clients_with_a_groups_mapper() {
    let fake = FakeIdp::keycloak().await;
    let store = MemoryStore::default();
    plan_and_apply(&fake, &store).await;
    let realm = writes_to(&fake, "/admin/realms");
    assert_eq!(realm[0].path, "/admin/realms");
    assert_eq!(
        realm[0].body.as_ref().unwrap()["realm"],
        "fagforeningen-ost"
    );
    let groups: Vec<String> = writes_to(&fake, "/groups")
        .iter()
        // Not the role each app's group is given (`/groups/{id}/role-mappings/…`).
        .filter(|r| r.path.ends_with("/groups"))
        .map(|r| {
            r.body.as_ref().unwrap()["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut groups = groups;
    groups.sort();
    // Made a few at a time, so in any order.
    assert_eq!(
        groups,
        [
            "app-bookstack",
            "app-nextcloud",
            "app-outline",
            "board",
            "members"
        ]
    );
    let posts = writes_to(&fake, "/admin/realms/fagforeningen-ost/clients");
    let nc = posts
        .iter()
        .find(|r| r.body.as_ref().unwrap()["clientId"] == "nextcloud")
        .unwrap();
    let body = nc.body.as_ref().unwrap();
    assert_eq!(body["publicClient"], false);
    // The app's own address too: where an invitation e-mail leads back to.
    assert_eq!(
        body["redirectUris"],
        serde_json::json!([
            "https://nextcloud.fagforeningen.example/",
            "https://nextcloud.fagforeningen.example/apps/user_oidc/code"
        ])
    );
    assert_eq!(body["attributes"]["pkce.code.challenge.method"], "S256");
    // Made bound to its own sign-in flow, which lets in only its group (access.rs).
    assert!(
        body["authenticationFlowBindingOverrides"]["browser"].is_string(),
        "{body}"
    );
    assert_eq!(
        body["protocolMappers"][0]["protocolMapper"],
        "oidc-group-membership-mapper"
    );
    let outline = posts
        .iter()
        .find(|r| r.body.as_ref().unwrap()["clientId"] == "outline")
        .unwrap();
    // Outline sends no PKCE, so Keycloak must not demand it.
    assert_eq!(
        outline.body.as_ref().unwrap()["attributes"]["pkce.code.challenge.method"],
        ""
    );
    // Every admin call carried the token from the master realm's admin-cli grant.
    let snapshot = fake.snapshot();
    let secret = snapshot["realms"]["fagforeningen-ost"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clientId"] == "nextcloud")
        .unwrap()["secret"]
        .clone();
    assert_eq!(
        store
            .get(&client_secret_key(PLAN_ID, "nextcloud"))
            .unwrap()
            .as_deref(),
        secret.as_str()
    );
}

#[tokio::test]
async fn authentik_gets_providers_and_applications_in_the_form_its_version_wants() {
    for (version, list_form, scope_path, invalidation) in [
        (
            "2026.8.1",
            true,
            "/api/v3/propertymappings/provider/scope/",
            true,
        ),
        (
            "2024.10.3",
            true,
            "/api/v3/propertymappings/provider/scope/",
            true,
        ),
        ("2024.6.3", false, "/api/v3/propertymappings/scope/", false),
    ] {
        let fake = FakeIdp::authentik(version).await;
        let store = MemoryStore::default();
        let (_, report) = plan_and_apply(&fake, &store).await;
        assert!(report.all_ok(), "{version}: {report:?}");
        let gets: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
        assert!(
            gets.iter().any(|p| p.starts_with(scope_path)),
            "{version}: {gets:?}"
        );
        let post = writes_to(&fake, "/api/v3/providers/oauth2/")
            .into_iter()
            .find(|r| r.body.as_ref().unwrap()["client_id"] == "fagforeningen-ost-bookstack")
            .unwrap();
        let body = post.body.unwrap();
        if list_form {
            let entry = &body["redirect_uris"][0];
            assert_eq!(entry["matching_mode"], "strict", "{version}");
            assert_eq!(
                entry["url"],
                "https://bookstack.fagforeningen.example/oidc/callback"
            );
            // Logout entries exist from 2026.5; older servers refuse the field.
            let typed = version.starts_with("2026");
            assert_eq!(entry.get("redirect_uri_type").is_some(), typed, "{version}");
            if typed {
                let logout: Vec<&Value> = body["redirect_uris"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["redirect_uri_type"] == "logout")
                    .collect();
                assert_eq!(logout[0]["url"], "https://bookstack.fagforeningen.example/");
            }
        } else {
            assert_eq!(
                body["redirect_uris"],
                "^https://bookstack\\.fagforeningen\\.example/oidc/callback$"
            );
        }
        assert_eq!(
            !body["invalidation_flow"].is_null(),
            invalidation,
            "{version}"
        );
        assert_eq!(body["client_type"], "confidential");
        assert_eq!(body["property_mappings"].as_array().unwrap().len(), 3);
        assert!(!body["signing_key"].is_null(), "RS256 needs a signing key");
        let apps = writes_to(&fake, "/api/v3/core/applications/");
        assert_eq!(apps.len(), 3, "{version}");
        assert!(
            apps[0].body.as_ref().unwrap()["provider"]
                .as_i64()
                .is_some()
        );
    }
}

#[tokio::test]
async fn rauthy_clients_are_posted_then_put_with_rs256_and_each_apps_pkce_mode() {
    let fake = FakeIdp::rauthy().await;
    let store = MemoryStore::default();
    plan_and_apply(&fake, &store).await;
    let puts: Vec<Value> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.body.unwrap())
        .collect();
    assert_eq!(puts.len(), 3);
    for body in &puts {
        assert_eq!(body["id_token_alg"], "RS256");
        assert_eq!(body["access_token_alg"], "RS256");
        assert!(
            body["default_scopes"]
                .as_array()
                .unwrap()
                .contains(&"groups".into())
        );
        let pkce_app = ["fagforeningen-ost-nextcloud", "fagforeningen-ost-bookstack"]
            .contains(&body["id"].as_str().unwrap());
        assert_eq!(
            body["challenges"],
            if pkce_app {
                serde_json::json!(["S256"])
            } else {
                Value::Null
            },
            "{}",
            body["id"]
        );
    }
    let posts: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path)
        .collect();
    assert!(posts.contains(&"/auth/v1/clients".to_owned()));
    assert!(posts.contains(&"/auth/v1/clients/fagforeningen-ost-outline/secret".to_owned()));
}

#[tokio::test]
async fn a_500_in_the_middle_then_a_rerun_converges_without_duplicates_or_lost_secrets() {
    for kind in IdpKind::ALL {
        for mode in [FailMode::Before, FailMode::AfterCommit] {
            let fake = fake(kind).await;
            let store = MemoryStore::default();
            // Five writes go through, then the provider fails for a while.
            fake.fail_writes(5, 1000, mode);
            let (_, first) = plan_and_apply(&fake, &store).await;
            assert!(!first.all_ok(), "{kind:?} {mode:?}: the failure shows");
            let failed = first.steps.iter().find(|s| s.error.is_some()).unwrap();
            assert_eq!(failed.error.as_ref().unwrap().code, "sso.server");

            fake.stop_failing();
            let (_, second) = plan_and_apply(&fake, &store).await;
            assert!(second.all_ok(), "{kind:?} {mode:?}: {second:?}");
            let mut ids = fake.client_ids();
            ids.sort();
            assert_eq!(ids, client_ids(kind), "{kind:?} {mode:?}");

            let (again, third) = plan_and_apply(&fake, &store).await;
            assert_eq!((again.len(), third.writes), (0, 0), "{kind:?} {mode:?}");
            let plan = plan(kind, &fake.url);
            let desired = from_plan(&plan).unwrap();
            let checks = verify(&provider_for(&fake, &plan), &desired, &store, PLAN_ID).await;
            assert!(
                checks.iter().all(|c| c.works()),
                "{kind:?} {mode:?}: {checks:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_lost_answer_is_retried_and_the_duplicate_is_recognised() {
    for kind in IdpKind::ALL {
        let fake = fake(kind).await;
        let store = MemoryStore::default();
        // Each of the next three writes is made, but its answer is lost once.
        fake.fail_writes(2, 1, FailMode::AfterCommit);
        let (_, report) = plan_and_apply(&fake, &store).await;
        assert!(report.all_ok(), "{kind:?}: retried to success: {report:?}");
        let mut ids = fake.client_ids();
        ids.sort();
        assert_eq!(ids, client_ids(kind), "{kind:?}");
    }
}

async fn error_of(kind: IdpKind, url: &str, credentials: Credentials) -> SsoError {
    let plan = plan(kind, url);
    let desired = from_plan(&plan).unwrap();
    let provider = connect(kind, url, &desired.realm, credentials, options()).unwrap();
    provider.read(&desired).await.unwrap_err()
}

#[tokio::test]
async fn wrong_credentials_name_what_to_check() {
    for kind in IdpKind::ALL {
        let fake = fake(kind).await;
        let wrong = match kind {
            IdpKind::Keycloak => Credentials::Password {
                username: "admin".into(),
                password: Secret::new("wrong"),
            },
            _ => Credentials::Token {
                token: Secret::new("wrong$token"),
            },
        };
        let e = error_of(kind, &fake.url, wrong).await;
        assert_eq!(e.code(), "sso.bad_credentials", "{kind:?}: {e}");
        assert!(!e.to_string().contains("wrong"), "no secret in {e}");
    }
}

#[tokio::test]
async fn wrong_address_wrong_product_and_a_dead_port_are_told_apart() {
    // Nothing listens there, and nothing can start to while the test runs.
    let dead_port = ferry_testkit::DeadPort::new();
    let port = dead_port.port();
    let dead = format!("http://127.0.0.1:{port}");
    let e = error_of(
        IdpKind::Rauthy,
        &dead,
        Credentials::Token {
            token: Secret::new("x"),
        },
    )
    .await;
    assert_eq!(e.code(), "sso.unreachable", "{e}");

    // Rauthy's address given to the Keycloak provider.
    let rauthy = FakeIdp::rauthy().await;
    let e = error_of(
        IdpKind::Keycloak,
        &rauthy.url,
        Credentials::Password {
            username: "admin".into(),
            password: Secret::new("x"),
        },
    )
    .await;
    assert_eq!(e.code(), "sso.not_this_provider", "{e}");

    // https to a server that only speaks http: the secure connection fails.
    let https = rauthy.url.replace("http://", "https://");
    let e = error_of(
        IdpKind::Rauthy,
        &https,
        Credentials::Token {
            token: Secret::new("x"),
        },
    )
    .await;
    assert_eq!(e.code(), "sso.tls", "{e}");

    // Plain http to another computer is refused before anything is sent.
    let e = connect(
        IdpKind::Rauthy,
        "http://login.example.org",
        "",
        Credentials::Token {
            token: Secret::new("x"),
        },
        options(),
    )
    .err()
    .unwrap();
    assert_eq!(e.code(), "sso.bad_url");
}

#[tokio::test]
async fn a_provider_that_keeps_failing_or_hangs_gives_up_with_a_clear_error() {
    let fake = FakeIdp::rauthy().await;
    let plan = plan(IdpKind::Rauthy, &fake.url);
    let desired = from_plan(&plan).unwrap();
    let provider = provider_for(&fake, &plan);
    fake.fail_writes(0, 1000, FailMode::Before);
    let err = provider
        .apply_change(
            &Change::CreateGroup {
                name: "board".into(),
            },
            &Default::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso.server");
    // The first try and two retries.
    assert_eq!(fake.writes(), 3);

    fake.stop_failing();
    fake.set_latency(std::time::Duration::from_secs(3));
    let quick = connect(
        IdpKind::Rauthy,
        &fake.url,
        "",
        fake.credentials(),
        ferry_sso::Options {
            timeout: std::time::Duration::from_millis(300),
            retries: 1,
            backoff: std::time::Duration::from_millis(10),
            ..Default::default()
        },
    )
    .unwrap();
    let err = quick.read(&desired).await.unwrap_err();
    assert_eq!(err.code(), "sso.timeout", "{err}");
}

#[tokio::test]
async fn verify_names_what_is_wrong_app_by_app() {
    let fake = FakeIdp::keycloak().await;
    let store = MemoryStore::default();
    let plan = plan(IdpKind::Keycloak, &fake.url);
    let desired = from_plan(&plan).unwrap();
    let provider = provider_for(&fake, &plan);
    let before = verify(&provider, &desired, &store, PLAN_ID).await;
    assert!(
        before[0].problems.contains(&AppProblem::ClientMissing),
        "{before:?}"
    );
    plan_and_apply(&fake, &store).await;

    // A secret rotated behind Ferry's back.
    store
        .put(&client_secret_key(PLAN_ID, "outline"), "old-secret")
        .unwrap();
    // The provider's address written differently than it calls itself: apps
    // using `localhost` would get an issuer they reject.
    let other_name = fake.url.replace("127.0.0.1", "localhost");
    let elsewhere = connect(
        IdpKind::Keycloak,
        &other_name,
        &desired.realm,
        fake.credentials(),
        options(),
    )
    .unwrap();
    let checks = verify(&elsewhere, &desired, &store, PLAN_ID).await;
    let outline = checks.iter().find(|c| c.client_id == "outline").unwrap();
    assert!(
        outline.problems.contains(&AppProblem::SecretChanged),
        "{outline:?}"
    );
    assert!(
        outline
            .problems
            .iter()
            .any(|p| matches!(p, AppProblem::IssuerMismatch { .. })),
        "{outline:?}"
    );
    let nextcloud = checks.iter().find(|c| c.client_id == "nextcloud").unwrap();
    assert!(!nextcloud.problems.contains(&AppProblem::SecretChanged));
}

#[tokio::test]
async fn a_refusal_shows_the_providers_own_words_and_is_never_taken_for_a_duplicate() {
    for kind in IdpKind::ALL {
        let fake = fake(kind).await;
        let store = MemoryStore::default();
        // The groups go through; the first client is refused.
        let groups = if kind == IdpKind::Keycloak { 6 } else { 5 };
        fake.fail_writes(groups, 1, FailMode::Refuse("redirect_uris: invalid scheme"));
        let (_, report) = plan_and_apply(&fake, &store).await;
        let failed: Vec<_> = report.steps.iter().filter(|s| s.error.is_some()).collect();
        assert_eq!(failed.len(), 1, "{kind:?}: {report:?}");
        let error = failed[0].error.as_ref().unwrap();
        assert_eq!(error.code, "sso.refused", "{kind:?}: {error:?}");
        assert_eq!(
            error.params["reason"], "redirect_uris: invalid scheme",
            "{kind:?}"
        );
        assert!(
            error.message.contains("redirect_uris: invalid scheme"),
            "{kind:?}"
        );
        // Not mistaken for "already there": the refused client is not there and
        // the next apply makes it.
        fake.stop_failing();
        let (again, report) = plan_and_apply(&fake, &store).await;
        assert!(report.all_ok(), "{kind:?}: {report:?}");
        assert_eq!(again.len(), 1, "{kind:?}: {again:?}");
    }
}
