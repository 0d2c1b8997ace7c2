//! The hosting client against a hostile server on loopback: each answer ends in a
//! clear error within the client's timeout and memory stays bounded.

#[path = "common/hostile.rs"]
mod hostile;

use std::time::{Duration, Instant};

use ferry_hosting::client::{Client, ClientError};
use hostile::{Hostile, serve};
use uuid::Uuid;

fn client(url: &str) -> Client {
    let mut c = Client::new(url, "token").unwrap();
    c.backoff = vec![]; // one attempt: the retries are tested elsewhere
    c
}

/// The client's own 30 s limit, and a little.
const LIMIT: Duration = Duration::from_secs(40);

async fn status_error(url: &str) -> ClientError {
    tokio::time::timeout(LIMIT, client(url).status(Uuid::nil()))
        .await
        .expect("the client gave up within its timeout")
        .expect_err("a hostile answer is an error")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2_gb_answer_is_refused_without_reading_it() {
    let server = serve(Hostile::Huge).await;
    let e = status_error(&server.url).await;
    assert!(matches!(e, ClientError::BadAnswer { .. }), "{e}");
    assert!(e.to_string().contains("larger than"), "{e}");
    assert!(
        server.sent() < 64 * 1024 * 1024,
        "read {} bytes",
        server.sent()
    );

    // Following the order: the event stream is refused after one event's limit and
    // the client falls back to polling, which is refused the same way.
    let server = serve(Hostile::Huge).await;
    let e = tokio::time::timeout(LIMIT, client(&server.url).follow(Uuid::nil(), |_| {}))
        .await
        .expect("in time")
        .unwrap_err();
    assert!(matches!(e, ClientError::BadAnswer { .. }), "{e}");
    assert!(
        server.sent() < 128 * 1024 * 1024,
        "read {} bytes",
        server.sent()
    );
    assert!(hostile::peak_memory() < 1024 * 1024 * 1024);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_that_never_ends_times_out() {
    let server = serve(Hostile::Endless).await;
    let started = Instant::now();
    let e = status_error(&server.url).await;
    assert!(matches!(e, ClientError::TimedOut { .. }), "{e}");
    assert!(started.elapsed() < LIMIT);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_and_deep_json_are_bad_answers() {
    for kind in [Hostile::NotUtf8, Hostile::Deep] {
        let server = serve(kind).await;
        let e = status_error(&server.url).await;
        assert!(matches!(e, ClientError::BadAnswer { .. }), "{kind:?}: {e}");
        assert_eq!(e.code(), "hosting.bad_answer");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_loop_is_given_up() {
    let server = serve(Hostile::RedirectLoop).await;
    let e = status_error(&server.url).await;
    assert!(matches!(e, ClientError::Unreachable { .. }), "{e}");
    assert!(e.to_string().contains("redirect"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_for_another_name_is_refused() {
    let tls = tokio::task::spawn_blocking(hostile::wrong_name)
        .await
        .unwrap();
    let e = status_error(&tls.url).await;
    assert!(matches!(e, ClientError::Unreachable { .. }), "{e}");
    assert!(e.to_string().contains("certificate"), "{e}");
}
