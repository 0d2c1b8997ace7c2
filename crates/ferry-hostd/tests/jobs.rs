//! What happens to a job after it is ordered: a retry passes the order's rules with
//! only the secrets the order declared, a cancel drops the secrets at once, a killed
//! server leaves no abra running, and credentials sent as `.env` values do not stay in
//! the database once abra's `.env` has them.

use std::time::Duration;

use serde_json::{Value, json};

mod common;

use common::*;

fn failing_order() -> Value {
    order_of(
        &[("hedgedoc", "failing.union.example")],
        json!({}),
        json!([{ "name": "oidc_client_secret", "version": "v1", "value": SECRET }]),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_passes_the_order_s_rules_with_only_its_declared_secrets() {
    let mut host = Host::start(&[("FAKE_ABRA_FAIL_DOMAIN", "failing.union.example")]).await;
    let id = host.order(WRITE, &failing_order()).await;
    assert_eq!(host.settled(READ, &id).await["apps"][0]["state"], "failed");
    host.restart(&[]).await;
    let retry = format!("/v1/orders/{id}/apps/0/retry");

    for secrets in [
        json!([{ "name": "--chaos", "version": "v1", "value": "x" }]),
        json!([{ "name": "../../../etc/passwd", "version": "v1", "value": "x" }]),
        json!([{ "name": "oidc_client_secret", "version": "$(id)", "value": "x" }]),
        json!([{ "name": "db_password", "version": "v1", "value": "undeclared" }]),
        json!([{ "name": "oidc_client_secret", "version": "v2", "value": "other version" }]),
        json!([]),
    ] {
        let r = host
            .post(WRITE, &retry, &json!({ "secrets": secrets }))
            .await;
        assert_eq!(r.status(), 422, "{secrets}");
    }
    assert_eq!(host.settled(READ, &id).await["apps"][0]["state"], "failed");

    // The declared secret again, even one that looks like a flag: queued, and it reaches
    // abra on standard input only.
    let value = "--server=evil.example";
    let r = host
        .post(
            WRITE,
            &retry,
            &json!({ "secrets": [{ "name": "oidc_client_secret", "version": "v1", "value": value }] }),
        )
        .await;
    assert_eq!(r.status(), 202);
    assert_eq!(
        host.settled(READ, &id).await["apps"][0]["state"],
        "deployed"
    );
    assert!(
        !host
            .calls()
            .iter()
            .flatten()
            .any(|a| a.contains("evil.example"))
    );
    assert!(host.inserted_secrets().contains(&format!(
        "failing.union.example oidc_client_secret v1 {}",
        sha256(value)
    )));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_app_s_secrets_are_dropped_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut config =
        ferry_hostd::testing::loopback_config(dir.path(), &["swarm1.coop.example"], WRITE);
    config.abra = ferry_hostd::testing::fake_abra(
        dir.path(),
        &[("FAKE_ABRA_HANG", "new"), ("FAKE_ABRA_HANG_SECS", "5")],
    );
    let running = ferry_hostd::start(config).await.unwrap();
    let base = format!("http://{}", running.addr);
    let body = order_of(
        &[
            ("hedgedoc", "first.union.example"),
            ("hedgedoc", "second.union.example"),
        ],
        json!({}),
        json!([{ "name": "oidc_client_secret", "version": "v1", "value": SECRET }]),
    );
    let r = client()
        .post(format!("{base}/v1/orders"))
        .bearer_auth(WRITE)
        .header("Idempotency-Key", "cancel")
        .json(&body)
        .send()
        .await
        .unwrap();
    let id: Value = r.json().await.unwrap();
    let id = id["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        running.shared.secrets.lock().unwrap().len(),
        1,
        "the second app waits with its secret"
    );
    let r = client()
        .post(format!("{base}/v1/orders/{id}/cancel"))
        .bearer_auth(WRITE)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        running.shared.secrets.lock().unwrap().is_empty(),
        "kept after cancel"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_server_leaves_no_abra_to_finish_a_deploy_behind_its_back() {
    let mut host = Host::start(&[("FAKE_ABRA_HANG", "deploy"), ("FAKE_ABRA_HANG_SECS", "2")]).await;
    let id = host
        .order(
            WRITE,
            &order_of(&[("hedgedoc", "pad.union.example")], json!({}), json!([])),
        )
        .await;
    for _ in 0..100 {
        if host.calls().iter().any(|c| c[1] == "deploy") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    host.crash().await;
    host.restart(&[]).await;
    let s = host.settled(READ, &id).await;
    assert_eq!(s["apps"][0]["state"], "failed");
    // The hang ends after 2 s; an abra still running would then write its version.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let env = host.env_file("pad.union.example");
    assert!(
        env.contains("\nTYPE=hedgedoc\n") || env.starts_with("TYPE=hedgedoc\n"),
        "{env}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_sent_as_env_values_leave_the_database_once_written() {
    let host = Host::start(&[]).await;
    let id = host
        .order(
            WRITE,
            &order_of(
                &[("hedgedoc", "pad.union.example")],
                json!({ "DATABASE_URL": "postgres://app:Pa55word-in-env@db/pad" }),
                json!([]),
            ),
        )
        .await;
    assert_eq!(
        host.settled(READ, &id).await["apps"][0]["state"],
        "deployed"
    );
    assert!(
        host.env_file("pad.union.example")
            .contains("Pa55word-in-env")
    );
    for file in ["orders.sqlite", "orders.sqlite-wal"] {
        let bytes = std::fs::read(host.dir.path().join(file)).unwrap_or_default();
        assert!(
            !bytes.windows(15).any(|w| w == b"Pa55word-in-env"),
            "the credential is still in {file}"
        );
    }
}
