//! Ferry's hosting client against the real ferry-hostd and against a server that fails.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use ferry_hosting::client::{Client, ClientError};
use ferry_hosting::{AppRequest, AppState, OrderRequest};

fn order(domain: &str) -> OrderRequest {
    OrderRequest {
        organisation: "Pasientforeningen".into(),
        server: None,
        storage_gb: Some(28),
        seal_to: None,
        apps: vec![AppRequest {
            recipe: "hedgedoc".into(),
            version: None,
            domain: domain.into(),
            env: Default::default(),
            overlays: vec![],
            generate_secrets: true,
            secrets: vec![],
        }],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_and_follow_an_order_to_the_end() {
    let host = common::Host::start(&[]).await;
    let client = Client::new(&host.base, common::WRITE).unwrap();
    let accepted = client
        .submit("k-1", &order("pad.example.org"))
        .await
        .unwrap();
    let mut seen = Vec::new();
    let last = client
        .follow(accepted.id, |s| seen.push(s.apps[0].state))
        .await
        .unwrap();
    assert_eq!(last.apps[0].state, AppState::Deployed);
    assert_eq!(seen.last(), Some(&AppState::Deployed));

    let wrong = Client::new(&host.base, "not-a-token").unwrap();
    assert!(matches!(
        wrong.status(accepted.id).await,
        Err(ClientError::Unauthorized)
    ));
    let reader = Client::new(&host.base, common::READ).unwrap();
    let e = reader
        .submit("k-2", &order("x.example.org"))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Forbidden), "{e}");
    let e = client
        .submit("k-3", &order("no spaces.example.org"))
        .await
        .unwrap_err();
    match &e {
        ClientError::Invalid { errors } => assert_eq!(errors[0].0, "apps[0].domain"),
        other => panic!("{other:?}"),
    }
    assert_eq!(e.code(), "hosting.invalid");
    let e = client.status(uuid::Uuid::new_v4()).await.unwrap_err();
    assert!(matches!(e, ClientError::NotFound));
}

/// Serves `app` on loopback; its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn flaky_server(failures: usize) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new().route(
        "/v1/orders",
        post(move || {
            let counter = counter.clone();
            async move {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                if n < failures {
                    (StatusCode::INTERNAL_SERVER_ERROR, String::from("{}"))
                } else {
                    (
                        StatusCode::ACCEPTED,
                        format!(
                            r#"{{"id":"{}","status_url":"/v1/orders/x"}}"#,
                            uuid::Uuid::nil()
                        ),
                    )
                }
            }
        }),
    );
    (serve(app).await, calls)
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_with_the_same_key_then_reported() {
    let (url, calls) = flaky_server(2).await;
    let mut client = Client::new(&url, "t").unwrap();
    client.backoff = vec![Duration::from_millis(10); 3];
    client
        .submit("same-key", &order("a.example.org"))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    let (url, calls) = flaky_server(usize::MAX).await;
    let mut client = Client::new(&url, "t").unwrap();
    client.backoff = vec![Duration::from_millis(10); 3];
    let e = client
        .submit("k", &order("a.example.org"))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Server { status: 500 }), "{e}");
    assert_eq!(calls.load(Ordering::SeqCst), 4, "one try and three retries");

    // Nothing listens here: unreachable, after the retries.
    let dead = ferry_testkit::DeadPort::new();
    let mut client = Client::new(&format!("http://{}", dead.addr()), "t").unwrap();
    client.backoff = vec![Duration::from_millis(10)];
    let e = client
        .submit("k", &order("a.example.org"))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Unreachable { .. }), "{e}");
}

fn status_json(state: &str, progress: u8) -> String {
    serde_json::json!({
        "id": uuid::Uuid::nil(),
        "organisation": "Pasientforeningen",
        "created_at": "2026-11-21T10:00:00Z",
        "apps": [{
            "recipe": "hedgedoc",
            "domain": "pad.example.org",
            "state": state,
            "progress": progress,
            "steps": 4,
            "message": "",
            "deployed": null,
            "log_excerpt": ""
        }]
    })
    .to_string()
}

/// A server whose status endpoint always fails; `events` decides whether its event
/// stream works (then `follow` must not need the status endpoint at all).
async fn events_server(events: bool) -> (String, Arc<AtomicUsize>) {
    use axum::routing::get;
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    let mut app = Router::new().route(
        "/v1/orders/{id}",
        get(move || {
            let counter = counter.clone();
            async move {
                // The first poll says running, the next ones deployed.
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let body = if n == 0 {
                    status_json("running", 1)
                } else {
                    status_json("deployed", 4)
                };
                if events {
                    (StatusCode::INTERNAL_SERVER_ERROR, String::from("{}"))
                } else {
                    (StatusCode::OK, body)
                }
            }
        }),
    );
    if events {
        app = app.route(
            "/v1/orders/{id}/events",
            get(|| async {
                // A keep-alive comment, CRLF line ends, then two status events.
                let body = format!(
                    ": keep-alive\r\n\r\nevent: status\r\ndata: {}\r\n\r\nevent: status\ndata: {}\n\n",
                    status_json("running", 2),
                    status_json("deployed", 4)
                );
                ([("content-type", "text/event-stream")], body)
            }),
        );
    }
    (serve(app).await, polls)
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_listens_to_the_event_stream_and_polls_only_without_one() {
    let (base, polls) = events_server(true).await;
    let client = Client::new(&base, "t").unwrap();
    let mut seen = Vec::new();
    let last = client
        .follow(uuid::Uuid::nil(), |s| seen.push(s.apps[0].progress))
        .await
        .unwrap();
    assert_eq!(last.apps[0].state, AppState::Deployed);
    assert_eq!(seen, [2, 4], "both events, in order");
    assert_eq!(polls.load(Ordering::SeqCst), 0, "no polling needed");

    // No event stream (an older server): polling gets there.
    let (base, polls) = events_server(false).await;
    let client = Client::new(&base, "t").unwrap();
    let mut seen = Vec::new();
    let last = client
        .follow(uuid::Uuid::nil(), |s| seen.push(s.apps[0].progress))
        .await
        .unwrap();
    assert_eq!(last.apps[0].state, AppState::Deployed);
    assert_eq!(seen, [1, 4]);
    assert!(polls.load(Ordering::SeqCst) >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn quotas_and_taken_domains_reach_ferry_as_their_own_clear_errors() {
    let host = common::Host::start_with(
        &[("FAKE_ABRA_HANG", "new"), ("FAKE_ABRA_HANG_SECS", "10")],
        "[quotas]\nmax_queued_apps = 1",
    )
    .await;
    let client = Client::new(&host.base, common::WRITE).unwrap();
    client
        .submit("q-1", &order("pad.example.org"))
        .await
        .unwrap();
    let e = client
        .submit("q-2", &order("notes.example.org"))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Quota { .. }), "{e:?}");
    assert_eq!(e.code(), "hosting.quota");
    assert!(e.to_string().contains("1 apps queued or running"), "{e}");

    let other = Client::new(&host.base, common::OTHER).unwrap();
    let e = other
        .submit("q-3", &order("pad.example.org"))
        .await
        .unwrap_err();
    match &e {
        ClientError::Conflict { detail } => {
            assert!(detail.contains("another organisation's"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}
