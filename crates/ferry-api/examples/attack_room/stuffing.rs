//! Stuffing the vote from one laptop: joins that dodge the address's rate limit by
//! carrying a made-up participant token, every fake phone's dots on one card, and a
//! flood of proposals; then a flood of random tokens aimed at the rate limiter itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::child::{Child, DOTS_EACH};
use crate::phones::{Phone, client_at, loopback, ms, pct, post};
use crate::{Scale, Verdict};

/// What one address may have in a room at most (the room's caps).
const PARTICIPANTS_PER_ADDRESS: usize = ferry_core::room::MAX_PARTICIPANTS_PER_ADDRESS as usize;
const PROPOSALS_PER_ADDRESS: usize = ferry_core::room::MAX_PROPOSALS_PER_ADDRESS as usize;

fn random_token() -> String {
    (0..32)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}

/// Runs `jobs` with at most `width` at a time; answers their results in order.
async fn in_parallel<T: Send + 'static>(
    width: usize,
    jobs: Vec<std::pin::Pin<Box<dyn Future<Output = T> + Send>>>,
) -> Vec<T> {
    let gate = Arc::new(tokio::sync::Semaphore::new(width));
    let tasks: Vec<_> = jobs
        .into_iter()
        .map(|job| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _turn = gate.acquire_owned().await;
                job.await
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("job"));
    }
    out
}

pub async fn stuffing(scale: Scale) -> Verdict {
    let mut v = Verdict::new("stuffing");
    let (mut child, _dir) = Child::start(None).await;
    let at = child.at.clone();
    let http = client_at(loopback(4));
    let joins = scale.pick(3000, 1000);
    let started = Instant::now();
    let jobs = (0..joins)
        .map(|_| {
            let (http, at) = (http.clone(), at.clone());
            Box::pin(async move {
                let body =
                    json!({"room": at.room, "plan": at.plans[0], "participant": random_token()});
                let (s, _, b) = post(&http, &at.url, "room_join", body).await;
                (s == 200)
                    .then(|| b["participant"].as_str().map(str::to_owned))
                    .flatten()
            }) as std::pin::Pin<Box<dyn Future<Output = _> + Send>>
        })
        .collect();
    let fakes: Vec<String> = in_parallel(32, jobs).await.into_iter().flatten().collect();
    println!(
        "attack-room: stuffing: {} of {joins} joins with a made-up participant field answered 200 in {:.1} s",
        fakes.len(),
        started.elapsed().as_secs_f64()
    );
    v.check(
        fakes.len() <= PARTICIPANTS_PER_ADDRESS,
        format!("{} participants from one address", fakes.len()),
    );

    // Every fake phone's dots on one card.
    let jobs = fakes
        .iter()
        .flat_map(|me| std::iter::repeat_n(me.clone(), DOTS_EACH as usize))
        .map(|me| {
            let (http, at) = (http.clone(), at.clone());
            Box::pin(async move {
                let body =
                    json!({"room": at.room, "participant": me, "need": "email", "add": true});
                post(&http, &at.url, "room_dot", body).await.0 == 200
            }) as std::pin::Pin<Box<dyn Future<Output = bool> + Send>>
        })
        .collect();
    let dots = in_parallel(32, jobs)
        .await
        .into_iter()
        .filter(|d| *d)
        .count();
    let tallies: Value = child.ask("tallies").await;
    let on_card = tallies[&at.plans[0]]["email"].as_u64().unwrap_or(0);

    // As many proposals as each fake phone is let send (up to a total).
    let attempts: usize = scale.pick(6000, 1000);
    let each = attempts.div_ceil(fakes.len().max(1));
    let started = Instant::now();
    let jobs = fakes
        .iter()
        .map(|me| {
            let (http, at, me) = (http.clone(), at.clone(), me.clone());
            Box::pin(async move {
                let mut sent = 0usize;
                for k in 0..each {
                    let body = json!({"room": at.room, "participant": me, "kind": "note", "text": format!("spam {k}")});
                    if post(&http, &at.url, "room_propose", body).await.0 != 200 {
                        break;
                    }
                    sent += 1;
                }
                sent
            }) as std::pin::Pin<Box<dyn Future<Output = usize> + Send>>
        })
        .collect();
    let proposals: usize = in_parallel(32, jobs).await.into_iter().sum();
    let stats = child.ask("stats").await;
    println!(
        "attack-room: stuffing: {dots} dots placed, {on_card} on one card; {proposals} proposals in {:.1} s; \
         the projector was sent {} boards, {} MB in all, the largest {} kB",
        started.elapsed().as_secs_f64(),
        stats["boards"],
        stats["board_bytes"].as_u64().unwrap_or(0) / 1_000_000,
        stats["max_board_bytes"].as_u64().unwrap_or(0) / 1000
    );
    v.check(
        proposals <= PROPOSALS_PER_ADDRESS,
        format!("{proposals} proposals from one address"),
    );
    v.check(
        on_card as usize <= PARTICIPANTS_PER_ADDRESS * DOTS_EACH as usize,
        format!("{on_card} dots on one card from one address"),
    );
    v
}

/// Random participant tokens as fast as they go, while one phone reads its page.
pub async fn key_flood(scale: Scale) -> Verdict {
    let mut v = Verdict::new("keys");
    let (mut child, _dir) = Child::start(None).await;
    let at = child.at.clone();
    let Some(phone) = Phone::join(&at, 6).await else {
        v.check(false, "the honest phone could not join");
        return v;
    };
    // The phone runs on a thread and runtime of its own, as a phone is a device of its
    // own: what it measures is the room, not a queue behind the flood's tasks here.
    let read_pages = |until: Instant| {
        let (at, me) = (phone.at.clone(), phone.me.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let phone = Phone {
                    http: client_at(loopback(6)),
                    at,
                    me,
                };
                let mut times = Vec::new();
                while Instant::now() < until {
                    let (s, d) = phone.page().await;
                    if s == 200 {
                        times.push(d);
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                times.sort();
                times
            })
        });
        async move {
            tokio::task::spawn_blocking(move || thread.join().expect("phone"))
                .await
                .expect("phone")
        }
    };
    let calm = read_pages(Instant::now() + Duration::from_secs(2)).await;
    let before = child.ask("stats").await;

    let secs = scale.pick(20, 6);
    let until = Instant::now() + Duration::from_secs(secs);
    let answered = Arc::new(AtomicUsize::new(0));
    let flood: Vec<_> = (0..16)
        .map(|_| {
            let (http, at, answered) = (client_at(loopback(5)), at.clone(), answered.clone());
            tokio::spawn(async move {
                while Instant::now() < until {
                    let body = json!({"room": at.room, "participant": random_token()});
                    if post(&http, &at.url, "room_page", body).await.0 != 0 {
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let under = read_pages(until).await;
    for f in flood {
        let _ = f.await;
    }
    let during = child.ask("stats").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = child.ask("stats").await;
    let rate = answered.load(Ordering::Relaxed) as f64 / secs as f64;
    println!(
        "attack-room: keys: {:.0} requests/s with random tokens; one phone's page p50 {} ms before, \
         p50 {} / p95 {} ms during; the room's memory {} → {} MB, {} MB 3 s after",
        rate,
        ms(pct(&calm, 0.5)),
        ms(pct(&under, 0.5)),
        ms(pct(&under, 0.95)),
        before["rss_kb"].as_u64().unwrap_or(0) / 1024,
        during["rss_kb"].as_u64().unwrap_or(0) / 1024,
        after["rss_kb"].as_u64().unwrap_or(0) / 1024
    );
    // Made-up tokens must not become the room's to remember.
    let (kb_before, kb_after) = (
        before["rss_kb"].as_u64().unwrap_or(0),
        after["rss_kb"].as_u64().unwrap_or(0),
    );
    v.check(
        kb_after <= kb_before + 2048,
        format!(
            "the room kept {} kB more after the flood",
            kb_after.saturating_sub(kb_before)
        ),
    );
    // The flood may cost the phone some CPU on a shared machine, not a queue behind it.
    let bound = pct(&calm, 0.5) * 4 + Duration::from_millis(5);
    v.check(
        pct(&under, 0.5) <= bound,
        format!(
            "the phone's p50 {} ms over {} ms",
            ms(pct(&under, 0.5)),
            ms(bound)
        ),
    );
    v
}
