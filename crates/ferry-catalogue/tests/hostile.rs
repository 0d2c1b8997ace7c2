//! The catalogue refresh against a hostile server on loopback: each answer ends in
//! a clear error within the timeout, memory stays bounded, and the copy already
//! stored is left byte for byte as it was.

#[path = "../../ferry-hosting/tests/common/hostile.rs"]
mod hostile;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use ferry_catalogue::store::DownloadMeta;
use ferry_catalogue::{RefreshConfig, RefreshError, Store, refresh};
use hostile::{Hostile, serve};

const GOOD: &str =
    r#"{"hedgedoc": {"name": "hedgedoc", "description": "Notes", "features": {"status": 3}}}"#;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.insert(path.display().to_string(), std::fs::read(&path).unwrap());
        }
    }
    out
}

/// Refreshes a store holding a good copy from `url`; returns the error and checks
/// that nothing stored changed.
async fn refresh_error(url: &str) -> RefreshError {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let meta = DownloadMeta {
        url: "https://recipes.example/recipes.json".into(),
        ..Default::default()
    };
    store.save(GOOD.as_bytes(), &meta).unwrap();
    let before = files(dir.path());
    let config = RefreshConfig {
        url: url.to_owned(),
        timeout: Duration::from_secs(3),
        stall_timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let started = Instant::now();
    let e = tokio::time::timeout(Duration::from_secs(10), refresh(&store, &config, |_| {}))
        .await
        .expect("gave up within the timeout")
        .expect_err("a hostile answer is an error");
    assert!(started.elapsed() < Duration::from_secs(5), "{e}");
    assert_eq!(
        files(dir.path()),
        before,
        "the stored copy changed after {e}"
    );
    e
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2_gb_answer_is_refused_while_streaming() {
    let server = serve(Hostile::Huge).await;
    let e = refresh_error(&server.url).await;
    assert!(matches!(e, RefreshError::TooLarge { .. }), "{e}");
    assert!(
        server.sent() < 64 * 1024 * 1024,
        "read {} bytes",
        server.sent()
    );
    assert!(hostile::peak_memory() < 1024 * 1024 * 1024);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_that_never_ends_times_out() {
    let server = serve(Hostile::Endless).await;
    let e = refresh_error(&server.url).await;
    assert!(matches!(e, RefreshError::TimedOut { .. }), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_and_deep_json_are_not_a_catalogue() {
    for kind in [Hostile::NotUtf8, Hostile::Deep] {
        let server = serve(kind).await;
        let e = refresh_error(&server.url).await;
        assert!(matches!(e, RefreshError::Invalid { .. }), "{kind:?}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_loop_is_given_up() {
    let server = serve(Hostile::RedirectLoop).await;
    let e = refresh_error(&server.url).await;
    assert!(matches!(e, RefreshError::Unreachable { .. }), "{e}");
    assert!(e.to_string().contains("redirect"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_for_another_name_is_refused() {
    let tls = tokio::task::spawn_blocking(hostile::wrong_name)
        .await
        .unwrap();
    let e = refresh_error(&tls.url).await;
    assert!(matches!(e, RefreshError::Unreachable { .. }), "{e}");
    assert!(e.to_string().contains("certificate"), "{e}");
}
