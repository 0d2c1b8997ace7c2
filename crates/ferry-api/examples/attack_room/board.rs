//! A full room: thousands of participants from hundreds of addresses, two proposals
//! each; then the projector's board and one phone's page, timed in the room's process.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::child::Child;
use crate::phones::{client_at, loopback, post};
use crate::{Scale, Verdict};

const ADDRESSES: u32 = 250;

pub async fn board(scale: Scale) -> Verdict {
    let mut v = Verdict::new("board");
    // Filling the room is not what is measured: on tmpfs its fsyncs cost nothing.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("folder");
    let (mut child, _) = Child::start(Some(dir.path())).await;
    let at = child.at.clone();
    let per_address: u32 = scale.pick(20, 2);
    let started = Instant::now();
    let tasks: Vec<_> = (0..ADDRESSES)
        .map(|a| {
            let at = at.clone();
            tokio::spawn(async move {
                let http = client_at(loopback(256 + 1 + a));
                let (mut joined, mut proposed, mut token) = (0, 0, None);
                for k in 0..per_address {
                    let plan = &at.plans[(a + k) as usize % at.plans.len()];
                    let body = json!({"room": at.room, "plan": plan, "name": format!("P{a}-{k}")});
                    let (s, _, b) = post(&http, &at.url, "room_join", body).await;
                    let Some(me) = b["participant"].as_str().filter(|_| s == 200) else {
                        continue;
                    };
                    joined += 1;
                    for p in 0..2 {
                        let text = format!("we also use a shared spreadsheet for the rota ({a}/{k}/{p})");
                        let body = json!({"room": at.room, "participant": me, "kind": "need", "text": text});
                        proposed += usize::from(post(&http, &at.url, "room_propose", body).await.0 == 200);
                    }
                    token = Some(me.to_owned());
                }
                (joined, proposed, token)
            })
        })
        .collect();
    let (mut joined, mut proposed, mut token) = (0, 0, None);
    for t in tasks {
        let (j, p, tok) = t.await.expect("filler");
        joined += j;
        proposed += p;
        token = token.or(tok);
    }
    println!(
        "attack-room: board: {joined} participants and {proposed} proposals from {ADDRESSES} addresses in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let want = (ADDRESSES * per_address) as usize;
    v.check(joined == want, format!("{joined} of {want} joined"));
    v.check(
        proposed == 2 * want,
        format!("{proposed} of {} proposals taken", 2 * want),
    );
    let board = child.ask("board 20").await;
    let page = match &token {
        Some(t) => child.ask(&format!("page {t} 20")).await,
        None => json!({}),
    };
    let board_ms = board["median_ms"].as_f64().unwrap_or(f64::MAX);
    let board_bytes = board["bytes"].as_u64().unwrap_or(u64::MAX);
    println!(
        "attack-room: board: room_board {board_ms:.1} ms and {} kB; a phone's room_page {:.2} ms and {} kB (medians of 20)",
        board_bytes / 1000,
        page["median_ms"].as_f64().unwrap_or(0.0),
        page["bytes"].as_u64().unwrap_or(0) / 1000
    );
    v.check(
        board_bytes <= 100_000,
        format!("the board is {board_bytes} bytes"),
    );
    if !scale.quick {
        let limit = Duration::from_millis(30).as_secs_f64() * 1000.0;
        v.check(
            board_ms <= limit,
            format!("the board takes {board_ms:.1} ms"),
        );
    }
    v
}
