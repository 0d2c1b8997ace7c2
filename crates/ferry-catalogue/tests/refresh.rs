//! Refresh against a real HTTP server on loopback serving good and bad answers.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ferry_catalogue::{OriginKind, RefreshConfig, RefreshError, RefreshOutcome, Store, refresh};

const GOOD: &str = r#"{
  "nextcloud": {"name": "nextcloud", "description": "Files", "features": {"status": 4, "sso": "2", "backups": "Yes"}},
  "hedgedoc": {"name": "hedgedoc", "description": "Notes", "features": {"status": "3, stable", "sso": "3"}}
}"#;

async fn catalogue(headers: HeaderMap) -> Response {
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v == "\"v1\"")
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::ETAG, "\"v1\""),
            (header::CONTENT_TYPE, "application/json"),
        ],
        GOOD,
    )
        .into_response()
}

/// A server that sends its headers and one byte, then nothing, for as long as it is asked.
async fn serve_stalling() -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                // Read the request first, as a server would.
                let mut buf = vec![0u8; 4096];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{";
                let _ = socket.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    addr
}

async fn serve() -> SocketAddr {
    let app = Router::new()
        .route("/recipes.json", get(catalogue))
        .route(
            "/error",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
        .route(
            "/truncated",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    &GOOD[..GOOD.len() / 2],
                )
            }),
        )
        .route(
            "/html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><body>Maintenance</body></html>",
                )
            }),
        )
        .route("/empty-object", get(|| async { "{}" }))
        .route(
            "/huge",
            get(|| async { format!("{{\"a\": \"{}\"}}", "x".repeat(200_000)) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn config(addr: SocketAddr, path: &str) -> RefreshConfig {
    RefreshConfig {
        url: format!("http://{addr}{path}"),
        timeout: Duration::from_secs(5),
        stall_timeout: Duration::from_millis(400),
        max_bytes: 64 * 1024,
    }
}

#[tokio::test]
async fn download_then_not_modified_then_every_failure_keeps_the_good_copy() {
    let addr = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    assert_eq!(store.load().origin.kind, OriginKind::Bundled);

    let mut progress = Vec::new();
    let outcome = refresh(&store, &config(addr, "/recipes.json"), |p| progress.push(p))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        RefreshOutcome::Updated {
            recipes: 2,
            skipped: 0
        }
    );
    assert_eq!(progress.last().unwrap().received, GOOD.len() as u64);
    let loaded = store.load();
    assert_eq!(loaded.origin.kind, OriginKind::Downloaded);
    assert_eq!(loaded.recipes.len(), 2);
    let good_file = std::fs::read(store.dir().join("recipes.json")).unwrap();

    // The second time the server says nothing changed (ETag / If-None-Match).
    let again = refresh(&store, &config(addr, "/recipes.json"), |_| {})
        .await
        .unwrap();
    assert_eq!(again, RefreshOutcome::NotModified);

    let cases: &[(&str, &str)] = &[
        ("/error", "catalogue.http_status"),
        ("/truncated", "catalogue.invalid"),
        ("/html", "catalogue.invalid"),
        ("/empty-object", "catalogue.invalid"),
        ("/huge", "catalogue.too_large"),
    ];
    for (path, code) in cases {
        let err = refresh(&store, &config(addr, path), |_| {})
            .await
            .unwrap_err();
        assert_eq!(err.code(), *code, "{path}: {err}");
        assert_eq!(
            std::fs::read(store.dir().join("recipes.json")).unwrap(),
            good_file,
            "{path} touched the good copy"
        );
        assert_eq!(store.load().recipes.len(), 2, "{path}");
    }

    let stalling = serve_stalling().await;
    let err = refresh(&store, &config(stalling, "/recipes.json"), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "catalogue.timed_out", "{err}");
    assert_eq!(
        std::fs::read(store.dir().join("recipes.json")).unwrap(),
        good_file
    );
}

#[tokio::test]
async fn nothing_listening_and_bad_addresses_are_explained() {
    // Nothing listens there, and nothing can start to while the test runs.
    let dead = ferry_testkit::DeadPort::new();
    let port = dead.port();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let cfg = RefreshConfig {
        url: format!("http://127.0.0.1:{port}/recipes.json"),
        ..config(([127, 0, 0, 1], port).into(), "")
    };
    let err = refresh(&store, &cfg, |_| {}).await.unwrap_err();
    assert!(matches!(err, RefreshError::Unreachable { .. }), "{err:?}");
    assert_eq!(store.load().origin.kind, OriginKind::Bundled);

    for url in [
        "not a url",
        "ftp://example.org/recipes.json",
        "file:///etc/passwd",
    ] {
        let cfg = RefreshConfig {
            url: url.into(),
            ..RefreshConfig::default()
        };
        assert_eq!(
            refresh(&store, &cfg, |_| {}).await.unwrap_err().code(),
            "catalogue.bad_url",
            "{url}"
        );
    }
}
