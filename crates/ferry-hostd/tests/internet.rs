//! The real binary as the internet meets it: idle and slow connections are closed,
//! connections are capped per address and in total, wrong tokens are limited and
//! logged without the token, and `bearer` is read in any case.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

mod common;

use common::*;

const TIGHT: &str = "header_timeout_secs = 1\nrequest_timeout_secs = 3\nmax_connections = 40\nmax_connections_per_address = 10\nfailed_logins_per_minute = 5";

fn addr(host: &Host) -> SocketAddr {
    host.base.strip_prefix("http://").unwrap().parse().unwrap()
}

/// A connection from `from`, another loopback address than the honest client's.
async fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let s = socket.connect(to).await.unwrap().into_std().unwrap();
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    s
}

/// How long until the server closes `s` (reads until end of stream).
fn closed_after(mut s: TcpStream) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(started.elapsed());
            }
            Err(_) => return None,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_slow_and_surplus_connections_are_closed() {
    let host = Host::start_with(&[], TIGHT).await;
    let to = addr(&host);
    // Idle: nothing sent at all.
    let mut idle = Vec::new();
    for _ in 0..10 {
        idle.push(connect_from("127.0.0.2", to).await);
    }
    // Over the per-address cap: closed at once.
    let surplus = connect_from("127.0.0.2", to).await;
    // Headers that never end, and a body that stops.
    let mut slow_head = connect_from("127.0.0.3", to).await;
    slow_head
        .write_all(b"GET /v1/capabilities HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut slow_body = connect_from("127.0.0.3", to).await;
    slow_body
        .write_all(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"organ")
        .unwrap();
    let checks = tokio::task::spawn_blocking(move || {
        let surplus = closed_after(surplus);
        let idle: Vec<_> = idle.into_iter().map(closed_after).collect();
        (
            surplus,
            idle,
            closed_after(slow_head),
            closed_after(slow_body),
        )
    });
    // Meanwhile an honest client from another address is served.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = host.get(READ, "/v1/capabilities").await;
    assert_eq!(r.status(), 200);
    let (surplus, idle, slow_head, slow_body) = checks.await.unwrap();
    assert!(
        surplus.is_some_and(|d| d < Duration::from_millis(500)),
        "{surplus:?}"
    );
    for d in idle {
        assert!(
            d.is_some_and(|d| d < Duration::from_secs(3)),
            "idle kept: {d:?}"
        );
    }
    assert!(
        slow_head.is_some_and(|d| d < Duration::from_secs(3)),
        "{slow_head:?}"
    );
    assert!(
        slow_body.is_some_and(|d| d < Duration::from_secs(5)),
        "{slow_body:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_tokens_are_limited_per_address_and_logged_without_the_token() {
    let host = Host::start_with(&[], TIGHT).await;
    let guess = "guessed-token-5f2e";
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(host.get(guess, "/v1/capabilities").await.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    let log = host.log();
    assert_eq!(log.matches("failed login").count(), 6, "{log}");
    assert!(!log.contains(guess), "the token is in the log");
    // A valid token from the same address is not held back, and `bearer` in lower
    // case is the same scheme.
    let r = client()
        .get(host.url("/v1/capabilities"))
        .header("authorization", format!("bearer {READ}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
