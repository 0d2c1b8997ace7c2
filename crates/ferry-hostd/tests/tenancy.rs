//! Two client organisations of one co-op on the real binary: each sees and changes
//! only its own orders and apps, a domain is the first orderer's, `.env` keys that
//! steer abra or Traefik and recipes the co-op does not offer are refused, quotas
//! hold per organisation, and jobs take turns across organisations.

use std::time::Duration;

use serde_json::{Value, json};

mod common;

use common::*;

const SMTP: &str = "smtp://relay:hunter2@mail.union.example";

#[tokio::test(flavor = "multi_thread")]
async fn another_organisation_gets_404_for_every_order_path_and_the_export() {
    let host = Host::start(&[("FAKE_ABRA_FAIL_DOMAIN", "failing.union.example")]).await;
    let mut body = order_of(
        &[
            ("nextcloud", "cloud.union.example"),
            ("hedgedoc", "failing.union.example"),
        ],
        json!({ "SMTP_HOST": "mail.union.example", "DATABASE_URL": "postgres://u:pa55@db/x", "SMTP_DSN": SMTP }),
        json!([]),
    );
    // What the body calls itself is not what the order is kept under.
    body["organisation"] = json!("Another organisation");
    let id = host.order(WRITE, &body).await;
    let s = host.settled(READ, &id).await;
    assert_eq!(s["organisation"], "Fagforbundet Bergen");
    assert_eq!(s["apps"][1]["state"], "failed");

    for path in [
        format!("/v1/orders/{id}"),
        format!("/v1/orders/{id}/events"),
        "/v1/apps/cloud.union.example/export".to_owned(),
    ] {
        for token in [OTHER, OTHER_READ] {
            let r = host.get(token, &path).await;
            assert_eq!(r.status(), 404, "{path}");
        }
    }
    for path in [
        format!("/v1/orders/{id}/cancel"),
        format!("/v1/orders/{id}/apps/1/retry"),
    ] {
        let r = host.post(OTHER, &path, &json!({})).await;
        assert_eq!(r.status(), 404, "{path}");
    }
    assert_eq!(
        host.settled(READ, &id).await["apps"][1]["state"],
        "failed",
        "not retried"
    );

    // The owner's export keeps only values known to be safe.
    let export: Value = host
        .get(READ, "/v1/apps/cloud.union.example/export")
        .await
        .json()
        .await
        .unwrap();
    let env = export["env"].as_str().unwrap();
    assert!(env.contains("\nSMTP_HOST=mail.union.example\n"), "{env}");
    assert!(
        env.contains("\nDATABASE_URL=\n") && env.contains("\nSMTP_DSN=\n"),
        "{env}"
    );
    assert!(!env.contains("pa55") && !env.contains("hunter2"), "{env}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_domain_is_the_organisation_s_that_ordered_it_first() {
    let host = Host::start(&[]).await;
    let id = host
        .order(
            WRITE,
            &order_of(
                &[("nextcloud", "cloud.union.example")],
                json!({}),
                json!([]),
            ),
        )
        .await;
    host.settled(READ, &id).await;
    let before = host.env_file("cloud.union.example");

    // Another organisation, with its own settings and secret: refused, nothing run.
    let takeover = order_of(
        &[("nextcloud", "cloud.union.example")],
        json!({ "SMTP_HOST": "relay.other.example" }),
        json!([{ "name": "oidc_client_secret", "version": "v1", "value": "theirs" }]),
    );
    let r = host.post(OTHER, "/v1/orders", &takeover).await;
    assert_eq!(r.status(), 409);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["type"], "urn:ferry:problem:domain-taken");
    // The same domain on the other server would be a second app for it.
    let mut elsewhere = takeover.clone();
    elsewhere["server"] = json!("swarm2.coop.example");
    assert_eq!(
        host.post(OTHER, "/v1/orders", &elsewhere).await.status(),
        409
    );
    let mut own_elsewhere = order_of(
        &[("nextcloud", "cloud.union.example")],
        json!({}),
        json!([]),
    );
    own_elsewhere["server"] = json!("swarm2.coop.example");
    assert_eq!(
        host.post(WRITE, "/v1/orders", &own_elsewhere)
            .await
            .status(),
        409
    );

    // An app abra has that no order made (the operator's own) is nobody's to order.
    let unmanaged = host
        .dir
        .path()
        .join("abra-home/servers/swarm2.coop.example");
    std::fs::create_dir_all(&unmanaged).unwrap();
    std::fs::write(unmanaged.join("proxy.coop.example.env"), "TYPE=traefik\n").unwrap();
    let r = host
        .post(
            OTHER,
            "/v1/orders",
            &order_of(&[("nextcloud", "proxy.coop.example")], json!({}), json!([])),
        )
        .await;
    assert_eq!(r.status(), 409);

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        host.env_file("cloud.union.example"),
        before,
        "the app is untouched"
    );
    assert!(host.inserted_secrets().is_empty());
    let news = host.calls().iter().filter(|c| c[1] == "new").count();
    assert_eq!(news, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_that_steer_abra_or_traefik_and_recipes_not_offered_are_refused() {
    let host = Host::start(&[]).await;
    let env = json!({
        "DOMAIN": "cloud.union.example",
        "EXTRA_DOMAINS": ", `cloud.union.example`",
        "TYPE": "../../../../tmp/evil",
        "RECIPE": "traefik",
        "COMPOSE_FILE": "compose.yml:../../evil.yml",
        "LETS_ENCRYPT_ENV": "staging",
        "SECRET_DB_PASSWORD_VERSION": "v9",
        "NEXTCLOUD_DOMAIN": "cloud.union.example",
    });
    let r = host
        .post(
            OTHER,
            "/v1/orders",
            &order_of(&[("nextcloud", "mine.other.example")], env, json!([])),
        )
        .await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for k in [
        "DOMAIN",
        "EXTRA_DOMAINS",
        "TYPE",
        "RECIPE",
        "COMPOSE_FILE",
        "LETS_ENCRYPT_ENV",
        "SECRET_DB_PASSWORD_VERSION",
        "NEXTCLOUD_DOMAIN",
    ] {
        assert!(
            fields.contains(&format!("apps[0].env.{k}").as_str()),
            "{k}: {p}"
        );
    }
    for recipe in ["traefik", "backup-bot-two", "wordpress"] {
        let r = host
            .post(
                OTHER,
                "/v1/orders",
                &order_of(&[(recipe, "mine.other.example")], json!({}), json!([])),
            )
            .await;
        assert_eq!(r.status(), 422, "{recipe}");
    }
    assert!(host.calls().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn quotas_hold_per_organisation_with_their_own_problem_type() {
    let host = Host::start_with(
        &[("FAKE_ABRA_HANG", "deploy"), ("FAKE_ABRA_HANG_SECS", "20")],
        "[quotas]\nmax_queued_apps = 3\nmax_stored_bytes = 4000",
    )
    .await;
    let app = |n: usize| {
        order_of(
            &[("hedgedoc", &format!("pad{n}.union.example"))],
            json!({}),
            json!([]),
        )
    };
    for n in 0..3 {
        host.order(WRITE, &app(n)).await;
    }
    let r = host.post(WRITE, "/v1/orders", &app(3)).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["type"], "urn:ferry:problem:quota");
    // The other organisation has a quota of its own.
    host.order(
        OTHER,
        &order_of(&[("hedgedoc", "pad.other.example")], json!({}), json!([])),
    )
    .await;

    // Stored bytes: a large order fills the organisation's share.
    let big = order_of(
        &[("hedgedoc", "big.other.example")],
        json!({ "SMTP_HOST": "x".repeat(4000) }),
        json!([]),
    );
    let r = host.post(OTHER, "/v1/orders", &big).await;
    assert_eq!(r.status(), 403);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["type"], "urn:ferry:problem:quota");

    // Too many secrets for one app is an input error.
    let many: Vec<Value> = (0..33)
        .map(|i| json!({ "name": format!("s{i}"), "version": "v1", "value": "x" }))
        .collect();
    let r = host
        .post(
            OTHER,
            "/v1/orders",
            &order_of(
                &[("hedgedoc", "secrets.other.example")],
                json!({}),
                json!(many),
            ),
        )
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test(flavor = "multi_thread")]
async fn organisations_take_turns_on_a_server() {
    let host = Host::start(&[("FAKE_ABRA_DELAY", "0.05")]).await;
    let many: Vec<(String, String)> = (0..6)
        .map(|n| ("hedgedoc".to_owned(), format!("pad{n}.union.example")))
        .collect();
    let apps: Vec<(&str, &str)> = many.iter().map(|(r, d)| (r.as_str(), d.as_str())).collect();
    let first = host
        .order(WRITE, &order_of(&apps, json!({}), json!([])))
        .await;
    let other = host
        .order(
            OTHER,
            &order_of(&[("hedgedoc", "pad.other.example")], json!({}), json!([])),
        )
        .await;
    host.settled(READ, &first).await;
    host.settled(OTHER, &other).await;
    let news: Vec<String> = host
        .calls()
        .iter()
        .filter(|c| c[1] == "new")
        .filter_map(|c| {
            let at = c.iter().position(|a| a == "--domain")?;
            c.get(at + 1).cloned()
        })
        .collect();
    let position = news.iter().position(|d| d == "pad.other.example").unwrap();
    assert!(
        position <= 2,
        "the other organisation waited behind {position} apps: {news:?}"
    );
}
