//! The whole path from a finished plan to apps that sign in, on real parts: a real
//! ferry-hostd on loopback whose (fake) abra "deploys" the keycloak recipe onto the
//! real Keycloak of the run (scripts/keycloak) with the admin credential the server
//! made; Ferry receives it sealed, sets up single sign-on on that Keycloak, orders the
//! apps with their client secrets and follows them to deployed.
//!
//! Then the same path stopped at every point where it keeps the plan — as a crash or
//! a closed window would stop it — and run again: nothing ordered twice, nothing lost.
//! One test function: every run gives the recipe's one administrator a new password,
//! so two paths at once on one Keycloak would take it from each other.

use std::sync::Mutex;

use ferry_api::arrive::{ArriveStep, arrive, next_step, seal_key_entry};
use ferry_api::deploy::Coop;
use ferry_api::testing::TestHost;
use ferry_api::{ApiError, Host, dispatch};
use ferry_core::Plan;
use ferry_core::model::{Decision, IdpKind, Language};
use ferry_hosting::client::Client;
use ferry_sso::secrets::SecretStore;
use serde_json::{Value, json};

const TOKEN: &str = "arrive-test-token-5d2";
const SERVER: &str = "swarm1.coop.example";

struct Coopd {
    dir: tempfile::TempDir,
    addr: String,
    _running: ferry_hostd::Running,
}

async fn coop_deploying_keycloak(keycloak_url: &str) -> Coopd {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ferry_hostd::testing::loopback_config(dir.path(), &[SERVER], TOKEN);
    ferry_hostd::testing::deploys_keycloak_to(&mut config, dir.path(), keycloak_url, &[]);
    let running = ferry_hostd::start(config).await.unwrap();
    Coopd {
        addr: format!("http://{}", running.addr),
        dir,
        _running: running,
    }
}

fn new_plan(host: &TestHost, org: &str) -> Plan {
    let mut plan = host
        .with_library(|lib| lib.create(org, Language::En))
        .unwrap();
    plan.recipes.set(
        "notes",
        Decision::Recipe {
            name: "hedgedoc".into(),
        },
    );
    plan.recipes.set(
        "files",
        Decision::Recipe {
            name: "nextcloud".into(),
        },
    );
    plan.deploy.base_domain = format!("{}.example.org", plan.id.to_string()[..8].to_owned());
    plan.sso.idp = Some(IdpKind::Keycloak);
    host.with_library(|lib| lib.save_edit(&plan)).unwrap().plan
}

fn domains(plan: &Plan) -> Vec<String> {
    let mut all = vec![ferry_core::deploy::sign_in_domain(plan).unwrap()];
    all.extend(
        ferry_core::deploy::preview(plan)
            .into_iter()
            .filter_map(|a| a.domain),
    );
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_arrives_at_apps_that_sign_in_and_a_stop_anywhere_continues() {
    let Some(kc) = ferry_testkit::keycloak::keycloak().await else {
        return;
    };

    // The whole path through the command surface, as the window calls it.
    let host = TestHost::new();
    let coop = coop_deploying_keycloak(&kc.url).await;
    let saved = dispatch(
        &host,
        "coop_save",
        json!({"profile": {"id": "", "name": "Sky Kollektiv", "api_url": coop.addr}, "token": TOKEN}),
        &|_| {},
    )
    .await
    .unwrap();
    let coop_id = saved[0]["id"].as_str().unwrap().to_owned();
    let plan = new_plan(&host, "Fagforeningen Nord");
    assert_eq!(next_step(&plan), ArriveStep::OrderSignIn);
    let events = Mutex::new(Vec::<Value>::new());
    let arrived = dispatch(
        &host,
        "deploy_arrive",
        json!({"plan": plan, "coopId": coop_id}),
        &|e| events.lock().unwrap().push(e),
    )
    .await
    .map_err(|e| serde_json::to_value(e).unwrap())
    .unwrap();
    assert_eq!(arrived["step"], "done", "{arrived:#}");
    let kept = host.with_library(|lib| lib.get(plan.id)).unwrap();
    assert_eq!(serde_json::to_value(&kept).unwrap(), arrived["plan"]);
    assert_eq!(next_step(&kept), ArriveStep::Done);

    // The sign-in service: ordered first, deployed, its credential received and kept.
    let sign_in = kept.deploy.sign_in.clone().unwrap();
    assert_eq!(sign_in.idp, IdpKind::Keycloak);
    assert!(sign_in.domain.starts_with("login."));
    assert!(sign_in.received_at.is_some());
    assert_eq!(
        kept.sso.url,
        kc.url.trim_end_matches('/'),
        "the co-op's loopback address"
    );
    assert!(
        host.vault().admin(&plan.id.to_string()).is_some(),
        "the admin credential is in the keyring"
    );
    assert_eq!(
        host.vault()
            .get(&seal_key_entry(
                &plan.id.to_string(),
                &sign_in.order.idempotency_key
            ))
            .unwrap(),
        None,
        "the order's private key is gone once the co-op was told"
    );
    // The co-op's server forgot its sealed copy.
    let client = Client::new(&coop.addr, TOKEN).unwrap();
    let first = sign_in.order.order_id.as_deref().unwrap().parse().unwrap();
    let status = client.status(first).await.unwrap();
    let handover = status.apps[0].handover.clone().unwrap();
    assert_eq!(handover.sealed, None);

    // Single sign-on works on the real Keycloak for both apps, and they were ordered
    // with their client secrets, after it.
    let verified: Vec<String> = serde_json::from_value(arrived["verified"].clone()).unwrap();
    assert_eq!(verified.len(), 2, "{:#}", arrived["plan"]["sso"]["results"]);
    assert_eq!(kept.deploy.orders.len(), 1);
    let apps = kept.deploy.orders[0].status.clone().unwrap();
    assert!(apps.is_final());
    assert!(
        apps.apps
            .iter()
            .all(|a| a.state == ferry_hosting::AppState::Deployed)
    );
    for r in kept.sso.results.iter() {
        let secret = host
            .vault()
            .get(&ferry_sso::secrets::client_secret_key(
                &plan.id.to_string(),
                &r.client_id,
            ))
            .unwrap()
            .unwrap();
        let app = ferry_core::deploy::preview(&kept)
            .into_iter()
            .find(|a| a.recipe == r.recipe)
            .unwrap();
        let domain = app.domain.unwrap();
        assert!(
            ferry_hostd::testing::secret_inserted(
                coop.dir.path(),
                &domain,
                "oidc_client_secret",
                "v1",
                &secret
            ),
            "{} got its client secret",
            r.recipe
        );
    }
    for d in domains(&kept) {
        assert_eq!(
            ferry_hostd::testing::deploys_of(coop.dir.path(), &d),
            1,
            "{d}"
        );
    }
    // The person watched each step, in order.
    let steps: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap().to_owned())
        .collect();
    let mut seen: Vec<String> = steps.clone();
    seen.dedup();
    let all: Vec<String> = ArriveStep::ALL
        .iter()
        .map(|s| {
            serde_json::to_value(s)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(seen, all, "{steps:?}");

    // Run again: everything is done already; nothing is ordered again.
    let again = dispatch(
        &host,
        "deploy_arrive",
        json!({"plan": kept, "coopId": coop_id}),
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(again["step"], "done");
    for d in domains(&kept) {
        assert_eq!(
            ferry_hostd::testing::deploys_of(coop.dir.path(), &d),
            1,
            "{d}"
        );
    }

    // Another plan of an organisation with the same name: its realm is the first
    // plan's, which Ferry never touches, so sign-in cannot be set up — the path stops
    // there, says so, and orders no app without a working sign-in.
    {
        let host = TestHost::new();
        let coopd = coop_deploying_keycloak(&kc.url).await;
        let coop = Coop::new("Sky".into(), coopd.addr.clone(), TOKEN).unwrap();
        let plan = new_plan(&host, "Fagforeningen Nord");
        let stopped = arrive(
            &host,
            plan.clone(),
            &coop,
            |p| host.with_library(|lib| lib.save_edit(p)).map(|s| s.plan),
            &|_| {},
        )
        .await
        .unwrap_err();
        assert_eq!(
            stopped.to_payload().code,
            "deploy.sign_on_failed",
            "{stopped}"
        );
        let kept = host.with_library(|lib| lib.get(plan.id)).unwrap();
        assert_eq!(next_step(&kept), ArriveStep::SetUpSignOn);
        assert!(kept.deploy.orders.is_empty(), "no app ordered");
        for d in domains(&kept).iter().skip(1) {
            assert_eq!(
                ferry_hostd::testing::deploys_of(coopd.dir.path(), d),
                0,
                "{d}"
            );
        }
    }

    // Stopped after each save in turn (the k-th keep fails, as a crash there would
    // leave it), then run to the end: each piece of work done exactly once.
    let mut stops = 0;
    for k in 1.. {
        let host = TestHost::new();
        let coopd = coop_deploying_keycloak(&kc.url).await;
        let coop = Coop::new("Sky".into(), coopd.addr.clone(), TOKEN).unwrap();
        let plan = new_plan(&host, &format!("Lag {k}"));
        let keeps = std::sync::atomic::AtomicUsize::new(0);
        let stopped = arrive(
            &host,
            plan.clone(),
            &coop,
            |p| {
                if keeps.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == k {
                    return Err(ApiError::internal("stopped here"));
                }
                host.with_library(|lib| lib.save_edit(p)).map(|s| s.plan)
            },
            &|_| {},
        )
        .await;
        let Err(e) = stopped else {
            break; // fewer than k saves: every stop point was tried
        };
        assert!(e.to_string().contains("stopped here"), "{e}");
        stops += 1;
        let resumed = host.with_library(|lib| lib.get(plan.id)).unwrap();
        let continues_at = next_step(&resumed);
        let first = Mutex::new(None);
        let done = arrive(
            &host,
            resumed,
            &coop,
            |p| host.with_library(|lib| lib.save_edit(p)).map(|s| s.plan),
            &|e| {
                first.lock().unwrap().get_or_insert(e.step);
            },
        )
        .await
        .unwrap_or_else(|e| panic!("after a stop at save {k}: {e}"));
        assert_eq!(done.step, ArriveStep::Done);
        assert_eq!(
            *first.lock().unwrap(),
            Some(continues_at),
            "the window's outlook names the step the path continues with"
        );
        assert_eq!(done.verified.len(), 2, "stop at save {k}");
        assert_eq!(done.plan.deploy.orders.len(), 1, "stop at save {k}");
        for d in domains(&done.plan) {
            assert_eq!(
                ferry_hostd::testing::deploys_of(coopd.dir.path(), &d),
                1,
                "{d} after a stop at save {k}"
            );
        }
    }
    assert!(
        stops >= 6,
        "the path keeps the plan at least six times ({stops})"
    );
}
