//! Prints, as JSON, what the engine answers to each command the UI calls on its
//! screens, for the three example organisations. The accessibility check
//! (`ui/a11y/check.mjs`) serves these answers to the web build in a browser, so the
//! screens it checks show real engine data, not hand-made stand-ins. Every answer
//! comes from the command surface itself (`ferry_api::dispatch`); single sign-on is
//! planned, applied and verified against Rauthy's contract server on loopback.

use ferry_api::Host;
use ferry_api::testing::TestHost;
use ferry_core::model::IdpKind;
use serde_json::{Map, Value, json};

async fn ask(host: &TestHost, command: &str, args: Value) -> Value {
    ferry_api::dispatch(host, command, args, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{command}: {e}"))
}

#[tokio::main]
async fn main() {
    let host = TestHost::new();
    let idp = ferry_sso::testing::FakeIdp::rauthy().await;
    for e in ferry_core::examples::Example::ALL {
        let mut plan = ferry_core::examples::build(e, ferry_core::Language::En);
        plan.organisation.consent_to_share = e != ferry_core::examples::Example::PartyChapter;
        plan.sso.idp = Some(IdpKind::Rauthy);
        plan.sso.url = idp.url.clone();
        if plan.deploy.base_domain.is_empty() {
            plan.deploy.base_domain = "example.org".into();
        }
        let plan = host.with_library(|lib| lib.import(plan)).expect("import");
        host.vault()
            .save_admin(&plan.id.to_string(), &idp.credentials())
            .expect("vault");
    }
    let summaries = ask(&host, "plans_list", json!({"trash": false, "query": ""})).await;

    let mut per_plan = Map::new();
    for s in summaries.as_array().expect("list") {
        let plan = ask(&host, "plan_get", json!({"id": s["id"]})).await;
        let with_plan = json!({ "plan": plan });
        let mut answers = Map::new();
        answers.insert("plan_get".into(), plan.clone());
        for command in [
            "plan_progress",
            "needs_vote_status",
            "tools_proposed_needs",
            "tools_suites",
            "exit_plan_gaps",
            "exit_plan_defaults",
            "exit_plan_suggest",
            "deploy_preview",
            "sso_overview",
            "sso_plan",
            "sso_apply",
            "deploy_arrive_outlook",
            "move_targets",
        ] {
            answers.insert(command.into(), ask(&host, command, with_plan.clone()).await);
        }
        answers.insert(
            "plan_recommend".into(),
            ask(&host, "plan_recommend", json!({"id": s["id"]})).await,
        );
        // After the apply: every app verified, as the screen shows it then.
        let verified = ask(&host, "sso_verify", with_plan.clone()).await;
        let mut settings = Map::new();
        for check in verified["checks"].as_array().expect("checks") {
            let args = json!({"plan": plan, "clientId": check["client_id"], "endpoints": check["endpoints"], "reveal": false});
            settings.insert(
                check["client_id"].as_str().expect("id").to_owned(),
                ask(&host, "sso_app_settings", args).await,
            );
        }
        answers.insert("sso_verify".into(), verified);
        answers.insert("sso_app_settings".into(), Value::Object(settings));
        per_plan.insert(
            s["id"].as_str().expect("id").to_owned(),
            Value::Object(answers),
        );
    }
    let mut out = Map::new();
    for command in [
        "settings_get",
        "plans_list",
        "needs_taxonomy",
        "tools_catalogue",
        "catalogue_get",
        "workshop_view",
        "coops_list",
    ] {
        let args = if command == "plans_list" {
            json!({"trash": false, "query": ""})
        } else {
            json!({})
        };
        out.insert(command.into(), ask(&host, command, args).await);
    }
    out.insert("per_plan".into(), Value::Object(per_plan));

    // A workshop room with the three organisations, two phones, dots and a proposal:
    // the projector as the facilitator sees it (room_open answers with this board).
    out.insert(
        "room_interfaces".into(),
        ask(&host, "room_interfaces", json!({})).await,
    );
    out.insert("room_board".into(), Value::Null);
    let plans: Vec<Value> = summaries
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    let board = ask(
        &host,
        "room_open",
        json!({"address": "127.0.0.1", "plans": plans, "dotsEach": 3}),
    )
    .await;
    let url = board["url"].as_str().expect("url");
    let room = url.trim_end_matches('/').rsplit('/').next().expect("token");
    for (i, plan) in plans.iter().enumerate().take(2) {
        let joined = ask(
            &host,
            "room_join",
            json!({"room": room, "plan": plan, "name": "Ana"}),
        )
        .await;
        let me = joined["participant"].clone();
        let need = joined["page"]["me"]["cards"][0]["need"].clone();
        ask(
            &host,
            "room_dot",
            json!({"room": room, "participant": me, "need": need, "add": true}),
        )
        .await;
        if i == 0 {
            ask(&host, "room_propose", json!({"room": room, "participant": me, "kind": "note", "text": "We use WhatsApp for the board"})).await;
        }
    }
    out.insert(
        "room_open".into(),
        ask(&host, "room_board", json!({})).await,
    );
    out.insert(
        "room_people".into(),
        ask(&host, "room_people", json!({"offset": 0})).await,
    );
    ask(&host, "room_end", json!({ "merge": "add" })).await;
    println!(
        "{}",
        serde_json::to_string(&Value::Object(out)).expect("json")
    );
}
