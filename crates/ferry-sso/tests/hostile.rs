//! Each provider client (through `ferry_sso::connect`) against a hostile server on
//! loopback: a clear error within the timeout, memory bounded, nothing kept.

mod common;
#[path = "../../ferry-hosting/tests/common/hostile.rs"]
mod hostile;

use std::time::{Duration, Instant};

use common::plan;
use ferry_core::model::IdpKind;
use ferry_sso::desired::from_plan;
use ferry_sso::provider::{Credentials, Provider, Secret};
use ferry_sso::{Options, SsoError, connect};
use hostile::{Hostile, serve};

const TIMEOUT: Duration = Duration::from_secs(2);

fn credentials(kind: IdpKind) -> Credentials {
    match kind {
        IdpKind::Keycloak => Credentials::Password {
            username: "admin".into(),
            password: Secret::new("pw"),
        },
        _ => Credentials::Token {
            token: Secret::new("name$token"),
        },
    }
}

/// The first thing an apply or a plan does: read what the provider has.
async fn read_error(kind: IdpKind, url: &str, options: Options) -> SsoError {
    let desired = from_plan(&plan(kind, url)).unwrap();
    let provider = connect(kind, url, &desired.realm, credentials(kind), options).unwrap();
    let started = Instant::now();
    let e = tokio::time::timeout(Duration::from_secs(15), provider.read(&desired))
        .await
        .expect("gave up within the timeout")
        .expect_err("a hostile answer is an error");
    assert!(started.elapsed() < Duration::from_secs(10), "{kind:?}: {e}");
    // Nothing written on the way.
    assert_eq!(provider.writes(), 0, "{kind:?}");
    e
}

fn options() -> Options {
    Options {
        timeout: TIMEOUT,
        retries: 0,
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2_gb_answer_is_refused_while_streaming() {
    for kind in IdpKind::ALL {
        let server = serve(Hostile::Huge).await;
        let e = read_error(kind, &server.url, options()).await;
        assert_eq!(e.code(), "sso.invalid_response", "{kind:?}: {e}");
        assert!(
            server.sent() < 64 * 1024 * 1024,
            "{kind:?} read {} bytes",
            server.sent()
        );
    }
    assert!(hostile::peak_memory() < 1024 * 1024 * 1024);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_that_never_ends_times_out() {
    for kind in IdpKind::ALL {
        let server = serve(Hostile::Endless).await;
        let e = read_error(kind, &server.url, options()).await;
        assert_eq!(e.code(), "sso.timeout", "{kind:?}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_and_deep_json_are_invalid_answers() {
    for kind in IdpKind::ALL {
        for hostile in [Hostile::NotUtf8, Hostile::Deep] {
            let server = serve(hostile).await;
            let e = read_error(kind, &server.url, options()).await;
            assert_eq!(
                e.code(),
                "sso.invalid_response",
                "{kind:?} {hostile:?}: {e}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_loop_is_given_up() {
    for kind in IdpKind::ALL {
        let server = serve(Hostile::RedirectLoop).await;
        let e = read_error(kind, &server.url, options()).await;
        assert!(!e.code().is_empty(), "{kind:?}: {e}");
        eprintln!("{kind:?} redirect loop: {} {e}", e.code());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_for_another_name_is_refused_even_from_a_trusted_authority() {
    let tls = tokio::task::spawn_blocking(hostile::wrong_name)
        .await
        .unwrap();
    for kind in IdpKind::ALL {
        let options = Options {
            ca_file: Some(tls.ca.clone()),
            ..options()
        };
        let e = read_error(kind, &tls.url, options).await;
        assert_eq!(e.code(), "sso.tls", "{kind:?}: {e}");
        assert!(
            e.to_string().contains("not valid for name")
                || e.to_string().contains("NotValidForName"),
            "{kind:?}: {e}"
        );
    }
}

/// The plan's own authority (`sso.ca_pem`, chosen in the window) is trusted like a CA
/// file: the issuer is known, only the name is wrong (issue #26, 2).
#[tokio::test(flavor = "multi_thread")]
async fn the_plans_own_authority_is_trusted_as_text() {
    let tls = tokio::task::spawn_blocking(hostile::wrong_name)
        .await
        .unwrap();
    let pem = std::fs::read_to_string(&tls.ca).unwrap();
    let untrusted = read_error(IdpKind::Rauthy, &tls.url, options()).await;
    assert!(
        untrusted.to_string().contains("UnknownIssuer"),
        "{untrusted}"
    );
    let options = Options {
        ca_pem: Some(pem),
        ..options()
    };
    let e = read_error(IdpKind::Rauthy, &tls.url, options).await;
    assert_eq!(e.code(), "sso.tls", "{e}");
    assert!(!e.to_string().contains("UnknownIssuer"), "{e}");
    assert!(
        e.to_string().contains("not valid for name") || e.to_string().contains("NotValidForName"),
        "{e}"
    );
}

/// OpenID discovery reads an address anybody can point Ferry at: a 2 GB "document"
/// is given up after a few hundred KB, with a clear problem for that app.
#[tokio::test(flavor = "multi_thread")]
async fn a_huge_discovery_document_is_refused_while_streaming() {
    let server = serve(Hostile::Huge).await;
    let http = reqwest::Client::builder()
        .timeout(TIMEOUT * 5)
        .build()
        .unwrap();
    let found = tokio::time::timeout(
        Duration::from_secs(15),
        ferry_sso::verify::discover(&http, &server.url),
    )
    .await
    .expect("gave up within the timeout");
    match found {
        Err(ferry_sso::verify::AppProblem::Discovery { detail }) => {
            assert!(detail.contains("larger than"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        server.sent() < 8 * 1024 * 1024,
        "read {} bytes",
        server.sent()
    );
}
