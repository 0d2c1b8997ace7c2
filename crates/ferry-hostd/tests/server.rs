//! The real `ferry-hostd` binary on loopback, carrying out orders through the fake
//! abra in this folder: the exact commands, idempotency, tokens, hostile input, a
//! crash in the middle of an order, and no supplied secret anywhere on disk or in logs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

mod common;

use common::*;

fn order(domains: &[&str]) -> Value {
    json!({
        "organisation": "Fagforbundet Bergen",
        "apps": domains.iter().map(|d| json!({
            "recipe": "nextcloud",
            "version": "7.0.2+29.0.4",
            "domain": d,
            "env": { "SMTP_HOST": "mail.union.example" },
            "overlays": ["compose.smtp.yml"],
            "secrets": [{ "name": "oidc_client_secret", "version": "v1", "value": SECRET }]
        })).collect::<Vec<_>>()
    })
}

async fn submit(host: &Host, key: &str, body: &Value) -> reqwest::Response {
    client()
        .post(host.url("/v1/orders"))
        .bearer_auth(WRITE)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn status(host: &Host, id: &str) -> Value {
    client()
        .get(host.url(&format!("/v1/orders/{id}")))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn wait_for(host: &Host, id: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        let s = status(host, id).await;
        if check(&s) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}: {}", status(host, id).await);
}

fn states(s: &Value) -> Vec<String> {
    s["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["state"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_secret_nowhere(host: &Host) {
    for entry in walk(host.dir.path()) {
        if entry.ends_with("calls") {
            continue; // the fake abra's own record of its arguments
        }
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "the supplied secret is in {}",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_is_carried_out_with_the_documented_abra_commands() {
    let host = Host::start(&[]).await;
    let r = submit(&host, "order-1", &order(&["cloud.union.example"])).await;
    assert_eq!(r.status(), 202);
    let accepted: Value = r.json().await.unwrap();
    let id = accepted["id"].as_str().unwrap().to_owned();
    let s = wait_for(&host, &id, "the deploy", |s| states(s) == ["deployed"]).await;
    assert_eq!(s["apps"][0]["deployed"], "nextcloud:7.0.2+29.0.4");
    assert_eq!(s["apps"][0]["progress"], 4);
    assert!(!s.to_string().contains(SECRET));

    let want: Vec<Vec<&str>> = vec![
        vec![
            "app",
            "new",
            "--server",
            "swarm1.coop.example",
            "--domain",
            "cloud.union.example",
            "--no-input",
            "--",
            "nextcloud",
            "7.0.2+29.0.4",
        ],
        vec![
            "app",
            "secret",
            "generate",
            "--all",
            "--no-input",
            "--",
            "cloud.union.example",
        ],
        vec![
            "app",
            "secret",
            "insert",
            "--file",
            "--no-input",
            "--",
            "cloud.union.example",
            "oidc_client_secret",
            "v1",
            "/dev/stdin",
        ],
        vec!["app", "deploy", "--no-input", "--", "cloud.union.example"],
    ];
    assert_eq!(host.calls(), want);
    // The secret reached abra through its standard input, exactly.
    assert_eq!(
        host.inserted_secrets(),
        [format!(
            "cloud.union.example oidc_client_secret v1 {}",
            sha256(SECRET)
        )]
    );

    // The same request again with the same key: the same order, nothing run twice.
    let again: Value = submit(&host, "order-1", &order(&["cloud.union.example"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], accepted["id"]);
    let other = submit(&host, "order-1", &order(&["files.union.example"])).await;
    assert_eq!(other.status(), 409);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(host.calls().len(), 4);

    // What a client needs to move to another co-op.
    let export: Value = client()
        .get(host.url("/v1/apps/cloud.union.example/export"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(export["recipe_version"], "nextcloud:7.0.2+29.0.4");
    let env = export["env"].as_str().unwrap();
    assert!(env.contains("\nSMTP_HOST=mail.union.example\n"), "{env}");
    assert!(
        env.contains("COMPOSE_FILE=\"$COMPOSE_FILE:compose.smtp.yml\""),
        "{env}"
    );
    assert!(env.contains("SECRET_DB_PASSWORD_VERSION=v1"), "{env}");

    // Events: the final status arrives and the stream ends.
    let events = client()
        .get(host.url(&format!("/v1/orders/{id}/events")))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let text = events.text().await.unwrap();
    assert!(
        text.contains("event: status") && text.contains("\"deployed\""),
        "{text}"
    );

    assert_secret_nowhere(&host);
    let log = std::fs::read_to_string(&host.stderr).unwrap();
    assert!(log.contains("job deployed"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_checked_and_hostile_input_is_refused_with_problems() {
    let host = Host::start(&[]).await;
    let c = client();
    let r = c
        .post(host.url("/v1/orders"))
        .json(&order(&["a.example.org"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = c
        .get(host.url("/v1/capabilities"))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .post(host.url("/v1/orders"))
        .bearer_auth(READ)
        .header("Idempotency-Key", "k")
        .json(&order(&["a.example.org"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = c
        .post(host.url("/v1/orders"))
        .bearer_auth(WRITE)
        .json(&order(&["a.example.org"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "an Idempotency-Key is required");

    let mut hostile = order(&["x.org; rm -rf /"]);
    hostile["apps"][0]["recipe"] = json!("../../etc/passwd");
    hostile["apps"][0]["env"] = json!({ "PATH=/tmp": "x", "OK_KEY": "line\nINJECTED=1" });
    hostile["apps"][0]["overlays"] = json!(["compose.../../x.yml"]);
    let r = submit(&host, "hostile", &hostile).await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "apps[0].recipe",
        "apps[0].domain",
        "apps[0].env.PATH=/tmp",
        "apps[0].env.OK_KEY",
        "apps[0].overlays[0]",
    ] {
        assert!(fields.contains(&f), "{f} not reported: {p}");
    }
    assert!(!p.to_string().contains(SECRET));

    let huge = vec![b'x'; 50 * 1024 * 1024];
    let r = c
        .post(host.url("/v1/orders"))
        .bearer_auth(WRITE)
        .header("Idempotency-Key", "huge")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await;
    // The server answers 413 as soon as the limit is passed (it may close the
    // connection while the client is still sending).
    if let Ok(r) = r {
        assert_eq!(r.status(), 413);
    }
    let r = c
        .get(host.url("/v1/capabilities"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let caps: Value = r.json().await.unwrap();
    assert_eq!(
        caps["servers"],
        json!(["swarm1.coop.example", "swarm2.coop.example"])
    );
    let cat: Value = c
        .get(host.url("/v1/catalogue"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cat["recipes"][0]["recipe"], "nextcloud");
    assert!(host.calls().is_empty(), "nothing refused reached abra");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_mid_order_never_runs_a_job_twice_and_a_retry_finishes_it() {
    let mut host = Host::start(&[("FAKE_ABRA_HANG", "deploy"), ("FAKE_ABRA_HANG_SECS", "3")]).await;
    let mut body = order(&["one.union.example", "two.union.example"]);
    body["apps"][1]["secrets"] = json!([]);
    let accepted: Value = submit(&host, "crash", &body).await.json().await.unwrap();
    let id = accepted["id"].as_str().unwrap().to_owned();
    wait_for(&host, &id, "the first deploy to start", |s| {
        s["apps"][0]["state"] == "running" && s["apps"][0]["progress"] == 3
    })
    .await;
    host.crash().await;

    host.restart(&[]).await;
    let s = wait_for(&host, &id, "recovery", |s| {
        states(s) == ["failed", "deployed"]
    })
    .await;
    let message = s["apps"][0]["message"].as_str().unwrap();
    assert!(message.contains("Interrupted"), "{message}");
    let news = |calls: &[Vec<String>], domain: &str| {
        calls
            .iter()
            .filter(|c| c[1] == "new" && c.contains(&domain.to_owned()))
            .count()
    };
    assert_eq!(
        news(&host.calls(), "one.union.example"),
        1,
        "not run again by itself"
    );
    assert_eq!(news(&host.calls(), "two.union.example"), 1);

    // A retry with the secret supplied again carries it out.
    let r = client()
        .post(host.url(&format!("/v1/orders/{id}/apps/0/retry")))
        .bearer_auth(WRITE)
        .json(&json!({ "secrets": [{ "name": "oidc_client_secret", "version": "v1", "value": SECRET }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    wait_for(&host, &id, "the retry", |s| {
        states(s) == ["deployed", "deployed"]
    })
    .await;
    let calls = host.calls();
    assert_eq!(
        news(&calls, "one.union.example"),
        1,
        "the app exists; it is not created again"
    );
    let deploys = calls
        .iter()
        .filter(|c| c[1] == "deploy" && c.contains(&"one.union.example".to_owned()))
        .count();
    assert_eq!(deploys, 2);
    assert_secret_nowhere(&host);
}
