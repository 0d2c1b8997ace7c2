//! Floods of connections from one address: idle ones, ones that send their headers a
//! byte a second, and live-update streams held open; honest phones on other addresses
//! must go on being served.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::child::{At, Child};
use crate::phones::{Phone, join_all, keep_voting, loopback, ms, pct};
use crate::{Scale, Verdict};

/// Most streams a single address may keep, as the room allows it.
const EVENTS_PER_ADDRESS_AT_MOST: usize = ferry_api::room::STREAMS_PER_ADDRESS as usize;

/// Opens up to `count` connections from `from` to `to`, 256 at a time, each given
/// two seconds to connect. Answers the ones that connected.
async fn open_many(from: IpAddr, to: SocketAddr, count: usize) -> Vec<TcpStream> {
    let gate = Arc::new(tokio::sync::Semaphore::new(256));
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _turn = gate.acquire_owned().await.ok()?;
                let socket = TcpSocket::new_v4().ok()?;
                socket.bind(SocketAddr::new(from, 0)).ok()?;
                tokio::time::timeout(Duration::from_secs(2), socket.connect(to))
                    .await
                    .ok()?
                    .ok()
            })
        })
        .collect();
    let mut open = Vec::new();
    for t in tasks {
        if let Ok(Some(s)) = t.await {
            open.push(s);
        }
    }
    open
}

/// How many of `streams` the server still holds open (not closed or reset).
fn held(streams: &[TcpStream]) -> usize {
    let mut buf = [0u8; 512];
    streams
        .iter()
        .filter(|s| {
            loop {
                match s.try_read(&mut buf) {
                    Ok(0) => break false,
                    Ok(_) => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break true,
                    Err(_) => break false,
                }
            }
        })
        .count()
}

/// 1,100 idle connections and 2,000 slow ones from one address, while 30 phones vote.
pub async fn connections(scale: Scale) -> Verdict {
    let mut v = Verdict::new("connections");
    let (mut child, _dir) = Child::start(None).await;
    let at = child.at.clone();
    let phones = join_all(&at, 10, 30).await;
    v.check(
        phones.len() == 30,
        format!("{} of 30 phones joined", phones.len()),
    );
    let mut calm = keep_voting(&phones, Instant::now() + Duration::from_secs(2)).await;
    println!(
        "attack-room: connections: 30 phones, no attack: {}",
        calm.summary()
    );

    let target: SocketAddr = at.host.parse().expect("address");
    let started = Instant::now();
    let idle = open_many(loopback(2), target, 1100).await;
    let slow = Arc::new(open_many(loopback(2), target, 2000).await);
    println!(
        "attack-room: connections: from one address, {} idle and {} slow connections opened in {:.2} s",
        idle.len(),
        slow.len(),
        started.elapsed().as_secs_f64()
    );
    // A request line that never ends, a byte a second.
    let drip = {
        let slow = slow.clone();
        let line = format!("GET /r/{}/ HTTP/1.1\r\nX-Slow: ", at.room).into_bytes();
        tokio::spawn(async move {
            for k in 0.. {
                for s in slow.iter() {
                    let _ = s.try_write(&line[k % line.len()..k % line.len() + 1]);
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };
    let voting = tokio::spawn({
        let phones = phones.clone();
        let secs = scale.pick(15, 12);
        async move { keep_voting(&phones, Instant::now() + Duration::from_secs(secs)).await }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    let peak = child.ask("stats").await;
    let (idle_1s, slow_1s) = (held(&idle), held(&slow));
    let mut under = voting.await.expect("voting");
    let (idle_end, slow_end) = (held(&idle), held(&slow));
    drip.abort();
    let elapsed = started.elapsed().as_secs();
    println!(
        "attack-room: connections: the server held {idle_1s} idle and {slow_1s} slow after 1 s \
         ({} open files), {idle_end} and {slow_end} after {elapsed} s",
        peak["fds"]
    );
    println!(
        "attack-room: connections: 30 phones under attack: {}",
        under.summary()
    );
    v.check(
        under.failed == 0,
        format!("{} honest requests failed", under.failed),
    );
    v.check(
        under.p95() <= scale.p95_bound(),
        format!(
            "honest p95 {} ms over {} ms",
            ms(under.p95()),
            scale.p95_bound().as_millis()
        ),
    );
    v
}

/// Opens a live-update stream from `from` and says whether the room answered 200.
async fn raw_events(from: IpAddr, at: &At) -> Option<(TcpStream, bool)> {
    let mut s = open_many(from, at.host.parse().ok()?, 1).await.pop()?;
    let request = format!(
        "GET /r/{}/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        at.room, at.host
    );
    s.write_all(request.as_bytes()).await.ok()?;
    let mut head = [0u8; 16];
    let n = tokio::time::timeout(Duration::from_secs(3), s.read(&mut head))
        .await
        .ok()?
        .ok()?;
    let ok = head[..n].starts_with(b"HTTP/1.1 200");
    Some((s, ok))
}

/// A stream client without the request timeout (streams last).
fn stream_client(from: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(from)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

/// 2,000 streams from one address; phones that come after must still get theirs.
pub async fn events(scale: Scale) -> Verdict {
    let mut v = Verdict::new("events");
    let (mut child, _dir) = Child::start(None).await;
    let at = child.at.clone();
    let before = child.ask("stats").await;
    let count = scale.pick(2000, 2000);
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let at = at.clone();
            tokio::spawn(async move { raw_events(loopback(3), &at).await })
        })
        .collect();
    let mut flood = Vec::new();
    let mut answered = 0;
    for t in tasks {
        if let Some((s, ok)) = t.await.expect("stream") {
            answered += usize::from(ok);
            flood.push(s);
        }
    }
    let held_connections = held(&flood);
    let peak = child.ask("stats").await;
    println!(
        "attack-room: events: {count} streams asked from one address: {answered} answered, {held_connections} connections held; \
         the room's process has {} open files and {} MB (was {} MB)",
        peak["fds"],
        peak["rss_kb"].as_u64().unwrap_or(0) / 1024,
        before["rss_kb"].as_u64().unwrap_or(0) / 1024
    );
    v.check(
        answered <= EVENTS_PER_ADDRESS_AT_MOST,
        format!("one address holds {answered} streams"),
    );

    // Phones that come now: each opens its stream, then a dot must reach every one.
    let phones = join_all(&at, 10, 30).await;
    v.check(
        phones.len() == 30,
        format!("{} of 30 phones joined", phones.len()),
    );
    let seen: Arc<Mutex<Vec<Vec<Instant>>>> = Arc::new(Mutex::new(vec![Vec::new(); phones.len()]));
    let mut streams_ok = 0;
    let mut readers = Vec::new();
    for i in 0..phones.len() {
        let http = stream_client(loopback(10 + i as u32));
        match http.get(format!("{}events", at.url)).send().await {
            Ok(mut r) if r.status().is_success() => {
                streams_ok += 1;
                let seen = seen.clone();
                readers.push(tokio::spawn(async move {
                    while let Ok(Some(chunk)) = r.chunk().await {
                        if String::from_utf8_lossy(&chunk).contains("event: pulse") {
                            seen.lock().expect("seen")[i].push(Instant::now());
                        }
                    }
                }));
            }
            _ => {}
        }
    }
    v.check(
        streams_ok == phones.len(),
        format!("{streams_ok} of {} phones got their stream", phones.len()),
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut lags = Vec::new();
    let mut failed = 0;
    for round in 0..if phones.is_empty() { 0 } else { 5 } {
        let phone: &Phone = &phones[round % phones.len()];
        let sent = Instant::now();
        let (s, _) = phone.dot(crate::child::NEEDS[round % 5], true).await;
        failed += usize::from(s != 200);
        let deadline = sent + Duration::from_secs(3);
        loop {
            let firsts: Vec<Option<Instant>> = seen
                .lock()
                .expect("seen")
                .iter()
                .map(|times| times.iter().copied().find(|t| *t >= sent))
                .collect();
            if firsts.iter().all(Option::is_some) || Instant::now() > deadline {
                lags.extend(
                    firsts
                        .into_iter()
                        .map(|f| f.map_or(Duration::from_secs(3), |t| t - sent)),
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    lags.sort();
    println!(
        "attack-room: events: a dot reaches the 30 phones' streams in p50 {} / p95 {} ms",
        ms(pct(&lags, 0.5)),
        ms(pct(&lags, 0.95))
    );
    v.check(failed == 0, format!("{failed} of the phones' dots failed"));
    v.check(
        pct(&lags, 0.95) <= Duration::from_secs(1),
        format!("updates p95 {} ms", ms(pct(&lags, 0.95))),
    );
    drop(flood);
    for r in readers {
        r.abort();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = child.ask("stats").await;
    println!(
        "attack-room: events: streams closed: {} open files, {} MB",
        after["fds"],
        after["rss_kb"].as_u64().unwrap_or(0) / 1024
    );
    v
}
