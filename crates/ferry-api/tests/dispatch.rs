//! The command surface as every client calls it: JSON in, JSON or an error payload
//! out, through `dispatch` with the test host (a real library in a temporary folder,
//! the Rauthy contract server and a real ferry-hostd on loopback).

use std::sync::Mutex;

use ferry_api::testing::TestHost;
use ferry_api::{COMMANDS, Host, dispatch};
use serde_json::{Value, json};

async fn call(host: &TestHost, command: &str, args: Value) -> Result<Value, Value> {
    dispatch(host, command, args, &|_| {})
        .await
        .map_err(|e| serde_json::to_value(e).unwrap())
}

/// Calls a command and collects the progress events it sends.
async fn call_with_events(
    host: &TestHost,
    command: &str,
    args: Value,
) -> (Result<Value, Value>, Vec<Value>) {
    let events = Mutex::new(Vec::new());
    let sink = |e: Value| events.lock().unwrap().push(e);
    let out = dispatch(host, command, args, &sink)
        .await
        .map_err(|e| serde_json::to_value(e).unwrap());
    (out, events.into_inner().unwrap())
}

#[tokio::test]
async fn plans_round_trip_with_camel_case_arguments_and_coded_errors() {
    let host = TestHost::new();
    let plan = call(
        &host,
        "plan_create",
        json!({"name": "Helsearbeiderforeningen", "language": "nb"}),
    )
    .await
    .unwrap();
    assert_eq!(plan["name"], "Helsearbeiderforeningen");

    let example = call(
        &host,
        "plan_create_example",
        json!({"example": "union_branch", "language": "de"}),
    )
    .await
    .unwrap();
    let listed = call(&host, "plans_list", json!({"trash": false, "query": ""}))
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // A value of the wrong type is refused whole, by code; an invalid one is named.
    let mut bad = plan.clone();
    bad["organisation"]["members"] = json!(-5);
    let err = call(&host, "plan_save", json!({"plan": bad}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "api.bad_request");
    let mut bad = plan.clone();
    bad["name"] = json!("");
    let problems = match call(&host, "plan_save", json!({"plan": bad})).await {
        Ok(outcome) => outcome["problems"].clone(),
        Err(e) => e["problems"].clone(),
    };
    assert_eq!(problems[0]["field"], "name", "{problems}");

    call(&host, "plan_trash", json!({"id": example["id"]}))
        .await
        .unwrap();
    let trash = call(&host, "plans_list", json!({"trash": true, "query": ""}))
        .await
        .unwrap();
    assert_eq!(trash[0]["id"], example["id"]);

    let err = call(
        &host,
        "plan_get",
        json!({"id": "00000000-0000-4000-8000-000000000000"}),
    )
    .await
    .unwrap_err();
    assert_eq!(err["code"], "plan.not_found");
}

#[tokio::test]
async fn wrong_arguments_and_unknown_commands_are_refused_with_a_code() {
    let host = TestHost::new();
    let err = call(&host, "plan_rename", json!({"id": "not-a-uuid"}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "api.bad_request");
    assert_eq!(err["params"]["command"], "plan_rename");

    let err = call(&host, "drop_all_plans", json!({})).await.unwrap_err();
    assert_eq!(err["code"], "api.unknown_command");

    // The window's `app_ready` has no meaning here, and opening files is refused.
    assert_eq!(
        call(&host, "app_ready", Value::Null).await.unwrap(),
        Value::Null
    );
    let err = call(&host, "open_exported", json!({"path": "/etc/passwd"}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "export.not_ours");
    // No package installed the licence list for the test host: said, not a blank.
    let err = call(&host, "licences_open", Value::Null).await.unwrap_err();
    assert_eq!(err["code"], "app.no_licences");
    // No file can be opened from outside here: waiting for one is refused, not endless.
    let err = call(&host, "opened_files_wait", Value::Null)
        .await
        .unwrap_err();
    assert_eq!(err["code"], "api.not_here");
}

/// A directory of hosting co-ops opens at the engine's address; the page names only
/// which list, and an address it sends instead is refused before anything opens.
#[tokio::test]
async fn a_coop_directory_opens_at_the_engines_address_only() {
    let host = TestHost::new();
    call(
        &host,
        "coop_directory_open",
        json!({"directory": "chatons"}),
    )
    .await
    .unwrap();
    let err = call(
        &host,
        "coop_directory_open",
        json!({"directory": "https://evil.example/"}),
    )
    .await
    .unwrap_err();
    assert_eq!(err["code"], "api.bad_request");
    // An address sent beside the name is not followed, whatever dispatch makes of it.
    let _ = call(
        &host,
        "coop_directory_open",
        json!({"directory": "chatons", "url": "https://evil.example/"}),
    )
    .await;
    let opened = host.opened_urls.lock().unwrap().clone();
    assert!(!opened.is_empty());
    assert!(
        opened.iter().all(|u| u == "https://www.chatons.org/"),
        "{opened:?}"
    );
}

#[tokio::test]
async fn every_declared_command_is_dispatched() {
    let host = TestHost::new();
    for spec in COMMANDS {
        if let Err(e) = call(&host, spec.name, json!({})).await {
            assert_ne!(e["code"], "api.unknown_command", "{}", spec.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn single_sign_on_applies_with_progress_then_has_nothing_left_to_do() {
    let host = TestHost::new();
    let idp = ferry_sso::testing::FakeIdp::rauthy().await;
    let mut plan = ferry_core::examples::build(
        ferry_core::examples::Example::UnionBranch,
        ferry_core::Language::En,
    );
    plan.sso.idp = Some(ferry_core::model::IdpKind::Rauthy);
    plan.sso.url = idp.url.clone();
    plan.deploy.base_domain = "pasient.example.org".into();
    let plan = host.with_library(|lib| lib.import(plan)).unwrap();
    let with_plan = json!({ "plan": plan });

    let err = call(&host, "sso_plan", with_plan.clone())
        .await
        .unwrap_err();
    assert_eq!(err["code"], "sso.not_signed_in");
    let overview = call(&host, "sso_overview", with_plan.clone())
        .await
        .unwrap();
    assert_eq!(overview["signed_in"], false);

    let login = json!({"plan": plan, "login": {"method": "token", "name": "", "secret": ferry_sso::testing::RAUTHY_API_KEY}});
    let overview = call(&host, "sso_login", login).await.unwrap();
    assert_eq!(overview["signed_in"], true);

    let preview = call(&host, "sso_plan", with_plan.clone()).await.unwrap();
    let planned = preview["changes"].as_array().unwrap().len();
    let changes = &preview["changes"];
    assert!(planned > 2, "{changes}");

    let (outcome, events) = call_with_events(&host, "sso_apply", with_plan.clone()).await;
    let outcome = outcome.unwrap();
    assert_eq!(events.len(), planned, "one progress event per change");
    assert_eq!(events.last().unwrap()["done"], planned);
    let checks = outcome["checks"].as_array().unwrap();
    assert!(!checks.is_empty());
    assert!(
        checks
            .iter()
            .all(|c| c["problems"].as_array().unwrap().is_empty()),
        "{outcome}"
    );

    let again = call(&host, "sso_plan", with_plan.clone()).await.unwrap();
    assert_eq!(again["changes"], json!([]));

    let overview = call(&host, "sso_forget", with_plan.clone()).await.unwrap();
    assert_eq!(overview["signed_in"], false);
    let err = call(&host, "sso_verify", with_plan).await.unwrap_err();
    assert_eq!(err["code"], "sso.not_signed_in");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_admin_key_is_not_kept() {
    let host = TestHost::new();
    let idp = ferry_sso::testing::FakeIdp::rauthy().await;
    let mut plan = ferry_core::examples::build(
        ferry_core::examples::Example::PatientGroup,
        ferry_core::Language::En,
    );
    plan.sso.idp = Some(ferry_core::model::IdpKind::Rauthy);
    plan.sso.url = idp.url.clone();
    plan.deploy.base_domain = "pasient.example.org".into();
    let login =
        json!({"plan": plan, "login": {"method": "token", "name": "", "secret": "ferry$wrong"}});
    // The window asks for the overview while the key is being checked (it refreshes as
    // the plan saves): a key still being tried is not a sign-in, then or after.
    idp.set_latency(std::time::Duration::from_millis(400));
    let (err, meanwhile) = tokio::join!(call(&host, "sso_login", login), async {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        call(&host, "sso_overview", json!({"plan": plan})).await
    });
    assert_eq!(err.unwrap_err()["code"], "sso.bad_credentials");
    assert_eq!(
        meanwhile.unwrap()["signed_in"],
        false,
        "a key being tried showed as signed in"
    );
    let overview = call(&host, "sso_overview", json!({"plan": plan}))
        .await
        .unwrap();
    assert_eq!(overview["signed_in"], false);
}

/// Issue #26, 3: the sign-in step asked for "Your domain", a field only Deploy has.
/// Signing in needs the provider's own fields alone; what Ferry will create waits for
/// the domain, and a wrong key is still refused without one.
#[tokio::test(flavor = "multi_thread")]
async fn the_admin_signs_in_before_the_apps_domain_is_known() {
    let host = TestHost::new();
    let idp = ferry_sso::testing::FakeIdp::rauthy().await;
    let mut plan = ferry_core::examples::build(
        ferry_core::examples::Example::UnionBranch,
        ferry_core::Language::En,
    );
    plan.sso.idp = Some(ferry_core::model::IdpKind::Rauthy);
    plan.sso.url = idp.url.clone();
    plan.deploy.base_domain.clear();
    let plan = host.with_library(|lib| lib.import(plan)).unwrap();
    let with_plan = json!({ "plan": plan });

    let overview = call(&host, "sso_overview", with_plan.clone())
        .await
        .unwrap();
    assert_eq!(overview["can_sign_in"], true, "{overview}");
    assert!(overview["desired"].is_null());
    let fields: Vec<&str> = overview["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["deploy.base_domain"]);

    let wrong =
        json!({"plan": plan, "login": {"method": "token", "name": "", "secret": "ferry$wrong"}});
    let err = call(&host, "sso_login", wrong).await.unwrap_err();
    assert_eq!(err["code"], "sso.bad_credentials");

    let login = json!({"plan": plan, "login": {"method": "token", "name": "", "secret": ferry_sso::testing::RAUTHY_API_KEY}});
    let overview = call(&host, "sso_login", login).await.unwrap();
    assert_eq!(overview["signed_in"], true, "{overview}");
    let err = call(&host, "sso_plan", with_plan).await.unwrap_err();
    assert_eq!(err["code"], "sso.not_ready");

    // Without an address there is nothing to sign in to.
    let mut no_url = plan.clone();
    no_url.sso.url.clear();
    let overview = call(&host, "sso_overview", json!({ "plan": no_url }))
        .await
        .unwrap();
    assert_eq!(overview["can_sign_in"], false);
}

/// Issue #26, 2: the window takes the provider's certificate authority as a file; the
/// plan keeps its text and the overview shows it by fingerprint, or names what is wrong.
#[tokio::test(flavor = "multi_thread")]
async fn a_ca_file_is_read_kept_in_the_plan_and_shown_by_fingerprint() {
    let host = TestHost::new();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("coop-ca.pem");
    std::fs::write(&good, include_str!("../../ferry-sso/tests/fixtures/ca.pem")).unwrap();
    let pem = call(&host, "sso_read_ca", json!({ "path": good }))
        .await
        .unwrap();
    assert!(
        pem.as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );

    let mut plan = ferry_core::Plan::new("Forening", ferry_core::Language::En).unwrap();
    plan.sso.idp = Some(ferry_core::model::IdpKind::Rauthy);
    plan.sso.url = "https://login.forening.example".into();
    plan.sso.ca_pem = pem.as_str().unwrap().to_owned();
    let overview = call(&host, "sso_overview", json!({ "plan": plan }))
        .await
        .unwrap();
    assert_eq!(
        overview["authorities"][0]["fingerprint"],
        include_str!("../../ferry-sso/tests/fixtures/ca.sha256").trim()
    );
    assert_eq!(overview["can_sign_in"], true);

    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "not a certificate").unwrap();
    let err = call(&host, "sso_read_ca", json!({ "path": bad }))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "sso.ca_file");
    plan.sso.ca_pem = "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n".into();
    let overview = call(&host, "sso_overview", json!({ "plan": plan }))
        .await
        .unwrap();
    assert_eq!(overview["can_sign_in"], false);
    assert_eq!(overview["problems"][0]["field"], "sso.ca_pem", "{overview}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_is_prepared_sent_and_followed_through_a_real_hosting_api() {
    const TOKEN: &str = "api-test-token-9c1";
    let host = TestHost::new();
    let hostd_dir = tempfile::tempdir().unwrap();
    let config =
        ferry_hostd::testing::loopback_config(hostd_dir.path(), &["swarm1.coop.example"], TOKEN);
    let running = ferry_hostd::start(config).await.unwrap();

    let profile =
        json!({"id": "", "name": "Sky Kollektiv", "api_url": format!("http://{}", running.addr)});
    let coops = call(
        &host,
        "coop_save",
        json!({"profile": profile, "token": TOKEN}),
    )
    .await
    .unwrap();
    let coop_id = coops[0]["id"].as_str().unwrap().to_owned();
    assert!(!coop_id.is_empty());

    let plan = call(
        &host,
        "plan_create",
        json!({"name": "Pasientforeningen", "language": "nb"}),
    )
    .await
    .unwrap();
    let mut plan: ferry_core::Plan = serde_json::from_value(plan).unwrap();
    let refused = call(
        &host,
        "deploy_submit",
        json!({"plan": plan, "coopId": coop_id}),
    )
    .await;
    assert_eq!(refused.unwrap_err()["code"], "deploy.not_ready");

    plan.recipes.set(
        "notes",
        ferry_core::model::Decision::Recipe {
            name: "hedgedoc".into(),
        },
    );
    plan.deploy.base_domain = "pasient.example.no".into();
    let done = call(
        &host,
        "deploy_submit",
        json!({"plan": plan, "coopId": coop_id}),
    )
    .await
    .unwrap();
    let record = &done["record"];
    assert_eq!(record["coop_name"], "Sky Kollektiv");
    let order_id = record["order_id"].as_str().unwrap().to_owned();
    // The engine kept the order with the plan in the library, as it answered it.
    let stored = host.with_library(|lib| lib.get(plan.id)).unwrap();
    assert_eq!(serde_json::to_value(&stored).unwrap(), done["plan"]);
    assert_eq!(stored.deploy.orders.len(), 1);

    // A crash after the record was kept and before the co-op's answer was: the record
    // has no order id yet. Submitting again sends it under its own key — the same
    // order, not a second one.
    let mut crashed: ferry_core::Plan = serde_json::from_value(done["plan"].clone()).unwrap();
    crashed.deploy.orders[0].order_id = None;
    crashed.deploy.orders[0].status = None;
    let again = call(
        &host,
        "deploy_submit",
        json!({"plan": crashed, "coopId": coop_id}),
    )
    .await
    .unwrap();
    assert_eq!(again["record"]["order_id"], order_id.as_str());
    assert_eq!(
        again["plan"]["deploy"]["orders"].as_array().unwrap().len(),
        1
    );

    // A refusal leaves no order behind; an answer that may have been lost leaves the
    // record, to be sent again under its key.
    let orders_kept = |host: &TestHost| {
        host.with_library(|lib| lib.get(plan.id))
            .unwrap()
            .deploy
            .orders
    };
    let mut cleared = host.with_library(|lib| lib.get(plan.id)).unwrap();
    cleared.deploy.orders.clear();
    host.with_library(|lib| lib.save_edit(&cleared)).unwrap();
    for (name, url, token, code, kept) in [
        (
            "Wrong token",
            format!("http://{}", running.addr),
            "not-the-token",
            "hosting.unauthorized",
            0,
        ),
        (
            "Gone",
            "http://127.0.0.1:9".to_owned(),
            TOKEN,
            "hosting.unreachable",
            1,
        ),
    ] {
        let coops = call(
            &host,
            "coop_save",
            json!({"profile": {"id": "", "name": name, "api_url": url}, "token": token}),
        )
        .await
        .unwrap();
        let id = coops
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["id"]
            .clone();
        let current = host.with_library(|lib| lib.get(plan.id)).unwrap();
        let err = call(
            &host,
            "deploy_submit",
            json!({"plan": current, "coopId": id}),
        )
        .await
        .unwrap_err();
        assert_eq!(err["code"], code, "{err}");
        let orders = orders_kept(&host);
        assert_eq!(orders.len(), kept, "{name}: {orders:?}");
        assert!(orders.iter().all(|o| o.order_id.is_none()));
    }

    let follow = json!({"coopId": coop_id, "orderId": order_id});
    let (status, events) = call_with_events(&host, "deploy_follow", follow).await;
    let status = status.unwrap();
    assert_eq!(status["apps"][0]["state"], "deployed", "{status}");
    assert!(!events.is_empty());
    assert_eq!(events.last().unwrap(), &status);

    let err = call(
        &host,
        "deploy_cancel",
        json!({"coopId": coop_id, "orderId": "42"}),
    )
    .await
    .unwrap_err();
    assert_eq!(err["code"], "deploy.not_an_order");
    let err = call(
        &host,
        "deploy_cancel",
        json!({"coopId": "nobody", "orderId": order_id}),
    )
    .await
    .unwrap_err();
    assert_eq!(err["code"], "deploy.no_coop");

    // The token is in the (test) keyring, never in the library.
    let coops = call(&host, "coops_list", json!({})).await.unwrap();
    assert!(!coops.to_string().contains(TOKEN));
    running.stop();
}
