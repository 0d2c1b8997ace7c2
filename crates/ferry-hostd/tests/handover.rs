//! A sign-in service's first administrator credential on the real binary: made by the
//! server, inserted through abra's standard input as the next version of the recipe's
//! admin secret, answered only sealed to the order's key, never written unsealed to
//! the database or the log, forgotten once the organisation confirms receipt, and
//! none of another organisation's business.

use ferry_hosting::handover::SealKey;
use serde_json::{Value, json};

mod common;

use common::*;

const LOGIN: &str = "login.union.example";

/// Every file of the server's database (the main file and its write-ahead log).
fn database_bytes(host: &Host) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(host.dir.path()).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("orders.sqlite")
        {
            all.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_credential_comes_back_sealed_once_and_is_then_forgotten() {
    let host = Host::start(&[]).await;
    let key = SealKey::generate();
    let mut body = order_of(&[("keycloak", LOGIN)], json!({}), json!([]));
    body["seal_to"] = json!(key.public());
    let id = host.order(WRITE, &body).await;
    let s = host.settled(READ, &id).await;
    assert_eq!(s["apps"][0]["state"], "deployed", "{s:#}");

    let handover = &s["apps"][0]["handover"];
    assert_eq!(handover["login"], "password");
    assert_eq!(handover["username"], "admin");
    assert_eq!(handover["address"], format!("https://{LOGIN}"));
    let sealed = handover["sealed"]
        .as_str()
        .expect("sealed while not received");
    let password = key.open(sealed).unwrap();
    assert_eq!(password.len(), 64);

    // abra generated the recipe's secrets first; then the server's credential went in
    // as the next version of admin_password, on standard input, and the .env uses it.
    let calls = host.calls();
    let verbs: Vec<String> = calls
        .iter()
        .filter(|c| c.get(1).is_some_and(|v| v == "secret"))
        .map(|c| c[2].clone())
        .collect();
    assert_eq!(verbs, ["generate", "insert"], "{calls:?}");
    assert!(
        calls.iter().all(|c| !c.contains(&password)),
        "never an argument"
    );
    assert!(
        host.inserted_secrets().contains(&format!(
            "{LOGIN} admin_password v2 {}",
            sha256_hex(&password)
        )),
        "{:?}",
        host.inserted_secrets()
    );
    assert!(
        host.env_file(LOGIN)
            .contains("SECRET_ADMIN_PASSWORD_VERSION=v2")
    );

    // Nowhere in clear: not in the answer, the job's log, the server's log or its database.
    assert!(!s.to_string().contains(&password));
    assert!(!host.log().contains(&password));
    assert!(!contains(&database_bytes(&host), &password));
    let armour_body = sealed.lines().nth(1).unwrap();
    assert!(
        contains(&database_bytes(&host), armour_body),
        "kept sealed until received"
    );

    // Another organisation cannot confirm it (nor learn it exists); a reader cannot.
    let path = format!("/v1/orders/{id}/apps/0/handover/received");
    assert_eq!(host.post(OTHER, &path, &json!({})).await.status(), 404);
    assert_eq!(host.post(READ, &path, &json!({})).await.status(), 403);
    let after: Value = host
        .get(READ, &format!("/v1/orders/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["apps"][0]["handover"]["sealed"], sealed);

    let r = host.post(WRITE, &path, &json!({})).await;
    assert_eq!(r.status(), 200);
    let received: Value = r.json().await.unwrap();
    assert_eq!(received["apps"][0]["handover"]["sealed"], Value::Null);
    assert_eq!(received["apps"][0]["handover"]["username"], "admin");
    assert!(
        !contains(&database_bytes(&host), armour_body),
        "the sealed copy is gone"
    );
    // Confirming again changes nothing; an app that is not a sign-in service has none.
    assert_eq!(host.post(WRITE, &path, &json!({})).await.status(), 200);
    let plain = host
        .order(
            WRITE,
            &order_of(
                &[("nextcloud", "cloud.union.example")],
                json!({}),
                json!([]),
            ),
        )
        .await;
    host.settled(READ, &plain).await;
    let r = host
        .post(
            WRITE,
            &format!("/v1/orders/{plain}/apps/0/handover/received"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_key_nothing_is_made_and_a_key_needs_a_sign_in_service() {
    let host = Host::start(&[]).await;
    let id = host
        .order(
            WRITE,
            &order_of(&[("keycloak", LOGIN)], json!({}), json!([])),
        )
        .await;
    let s = host.settled(READ, &id).await;
    assert_eq!(s["apps"][0]["state"], "deployed");
    assert_eq!(s["apps"][0]["handover"], Value::Null);
    assert!(
        host.inserted_secrets().is_empty(),
        "abra generated them all"
    );

    let key = SealKey::generate();
    let mut body = order_of(
        &[("nextcloud", "cloud.union.example")],
        json!({}),
        json!([]),
    );
    body["seal_to"] = json!(key.public());
    let r = host.post(WRITE, "/v1/orders", &body).await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "seal_to", "{problem:#}");
    body["apps"][0]["recipe"] = json!("keycloak");
    body["seal_to"] = json!("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p");
    assert_eq!(host.post(WRITE, "/v1/orders", &body).await.status(), 422);
    // A key of the right shape that is no key: refused, or the credential would be lost.
    body["seal_to"] = json!(format!("age1pq1{}", "q".repeat(1952)));
    let r = host.post(WRITE, "/v1/orders", &body).await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "seal_to", "{problem:#}");
    let refused_domain = "cloud.union.example";
    assert!(
        host.calls()
            .iter()
            .all(|c| !c.iter().any(|a| a == refused_domain)),
        "{:?}",
        host.calls()
    );
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
