//! The operating system's trust store counts as well as the built-in roots (issue #26,
//! 2): a sign-in service whose certificate authority the organisation installed on the
//! computer is trusted without a CA file. Each run is a child process of this test,
//! the store given by `SSL_CERT_FILE` (as on Linux), since a test may not change its
//! own environment. The server's certificate names another host, so once its authority
//! is trusted what is left wrong is the name.

#[path = "../../ferry-hosting/tests/common/hostile.rs"]
mod hostile;

use std::time::Duration;

use ferry_core::model::IdpKind;
use ferry_sso::desired::provider_of;
use ferry_sso::provider::{Credentials, Provider, Secret};
use ferry_sso::{Options, connect};

const CHILD_URL: &str = "FERRY_TEST_OS_TRUST_URL";
const NAME: &str = "an_authority_in_the_systems_trust_store_is_trusted";

/// In the child: the error reading from the server, on one line.
async fn child(url: &str) {
    let mut plan = ferry_core::Plan::new("Forening", ferry_core::Language::En).unwrap();
    plan.sso.idp = Some(IdpKind::Rauthy);
    plan.sso.url = url.to_owned();
    let desired = provider_of(&plan).unwrap();
    let options = Options {
        timeout: Duration::from_secs(5),
        retries: 0,
        ..Options::default()
    };
    let token = Credentials::Token {
        token: Secret::new("name$token"),
    };
    let provider = connect(IdpKind::Rauthy, url, &desired.realm, token, options).unwrap();
    let e = provider
        .read(&desired)
        .await
        .expect_err("no provider there");
    println!(
        "READ-ERROR {} {}",
        e.code(),
        e.to_string().replace('\n', " ")
    );
}

fn run(url: &str, store: &std::path::Path) -> String {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_URL, url)
        .env("SSL_CERT_FILE", store)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    stdout
        .lines()
        .find_map(|l| l.split_once("READ-ERROR ").map(|(_, said)| said))
        .unwrap_or_else(|| panic!("the child said nothing: {stdout}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_authority_in_the_systems_trust_store_is_trusted() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        return child(&url).await;
    }
    let tls = tokio::task::spawn_blocking(hostile::wrong_name)
        .await
        .unwrap();
    let empty = tempfile::NamedTempFile::new().unwrap();

    // Not in the store: the authority is unknown.
    let unknown = tokio::task::spawn_blocking({
        let (url, store) = (tls.url.clone(), empty.path().to_owned());
        move || run(&url, &store)
    })
    .await
    .unwrap();
    assert!(unknown.starts_with("sso.tls "), "{unknown}");
    assert!(unknown.contains("UnknownIssuer"), "{unknown}");

    // In the store: trusted, and only the name is wrong.
    let trusted = tokio::task::spawn_blocking({
        let (url, store) = (tls.url.clone(), tls.ca.clone());
        move || run(&url, &store)
    })
    .await
    .unwrap();
    assert!(trusted.starts_with("sso.tls "), "{trusted}");
    assert!(
        trusted.contains("NotValidForName") || trusted.contains("not valid for name"),
        "{trusted}"
    );
    assert!(!trusted.contains("UnknownIssuer"), "{trusted}");
}
