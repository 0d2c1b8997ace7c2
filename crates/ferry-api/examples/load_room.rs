//! Load check of a workshop room (not a test; scripts/load-room runs it and prints
//! figures): PHONES phones join one room on loopback, each from an address of its own
//! (127.0.1.x, Linux), and each places DOTS dots at the same time. Prints dots acknowledged, lost (acknowledged but not in the library) and
//! double-counted (in the library more than acknowledged), and the p50/p95 time from a
//! dot's answer to the projector's first board that shows it. Target: 0 lost, 0 double.
//!
//! Then the kill check: the room runs in a child process, phones vote, the child gets
//! SIGKILL at a random moment; the library, reopened, must hold every dot answered 200.
//!
//!   cargo run --release -p ferry-api --example load_room -- [PHONES] [DOTS]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ferry_api::testing::TestHost;
use ferry_api::{Host, dispatch};
use ferry_core::model::{NeedEntry, Priority};
use serde_json::{Value, json};

const NEEDS: [&str; 5] = ["email", "files", "video_meetings", "calendar", "forms"];

fn plan_with_cards(host: &impl Host, name: &str) -> ferry_core::PlanId {
    host.with_library(|lib| {
        let mut plan = lib.create(name, ferry_core::Language::En)?;
        plan.needs.needs = NEEDS
            .iter()
            .map(|n| NeedEntry {
                need: (*n).into(),
                priority: Priority::Must,
                notes: String::new(),
                who: String::new(),
                votes: 0,
            })
            .collect();
        Ok(lib.save(&plan)?.id)
    })
    .expect("plan")
}

async fn open_room(host: &impl Host, plans: &[ferry_core::PlanId], dots: u32) -> (String, String) {
    let board = dispatch(
        host,
        "room_open",
        json!({"address": "127.0.0.1", "plans": plans, "dotsEach": dots}),
        &|_| {},
    )
    .await
    .expect("room");
    let url = board["url"].as_str().expect("url").to_owned();
    let token = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .expect("token")
        .to_owned();
    (url, token)
}

/// A phone's own connections, from an address of its own (127.0.1.x…, Linux), as
/// phones on a Wi-Fi each have one: the room caps what one address may do.
fn own_client(i: usize) -> reqwest::Client {
    let n = 256 + 1 + i as u32;
    let ip = std::net::Ipv4Addr::new(127, 0, (n >> 8) as u8, (n & 0xff) as u8);
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::V4(ip))
        .build()
        .expect("client")
}

/// One phone: joins, then places `dots` dots round the cards. Answers the dots that
/// were acknowledged, each with the moment of its answer and the room version it made.
async fn phone(
    url: String,
    room: String,
    plan: ferry_core::PlanId,
    dots: u32,
    i: usize,
) -> Vec<(String, Instant, u64)> {
    let http = own_client(i);
    let post =
        |command: &str, body: Value| http.post(format!("{url}api/{command}")).json(&body).send();
    let joined: Value = match post("room_join", json!({"room": room, "plan": plan})).await {
        Ok(r) if r.status().is_success() => r.json().await.unwrap_or(Value::Null),
        _ => return Vec::new(),
    };
    let Some(me) = joined["participant"].as_str().map(str::to_owned) else {
        return Vec::new();
    };
    let mut acked = Vec::new();
    for k in 0..dots as usize {
        let need = NEEDS[(i + k) % NEEDS.len()];
        let body = json!({"room": room, "participant": me, "need": need, "add": true});
        if let Ok(r) = post("room_dot", body).await
            && r.status().is_success()
        {
            let page: Value = r.json().await.unwrap_or(Value::Null);
            acked.push((
                need.to_owned(),
                Instant::now(),
                page["version"].as_u64().unwrap_or(0),
            ));
        }
    }
    acked
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn load(phones: usize, dots: u32) -> bool {
    let host = Arc::new(TestHost::new());
    let plans = [
        plan_with_cards(&*host, "Union"),
        plan_with_cards(&*host, "Patients"),
    ];
    let (url, room) = open_room(&*host, &plans, dots).await;
    // The projector: every board it is sent, with the moment it arrived.
    let boards: Arc<Mutex<Vec<(u64, Instant)>>> = Arc::default();
    let watcher = {
        let (host, boards) = (host.clone(), boards.clone());
        tokio::spawn(async move {
            let sink = move |b: Value| {
                let v = b["version"].as_u64().unwrap_or(0);
                boards.lock().expect("boards").push((v, Instant::now()));
            };
            let _ = dispatch(&*host, "room_watch", json!({}), &sink).await;
        })
    };
    let started = Instant::now();
    let tasks: Vec<_> = (0..phones)
        .map(|i| tokio::spawn(phone(url.clone(), room.clone(), plans[i % 2], dots, i)))
        .collect();
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.expect("phone"));
    }
    let took = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let tallies = ferry_api::room::tallies(&*host).expect("tallies");
    let stored: u64 = tallies
        .values()
        .flat_map(|t| t.values())
        .map(|d| u64::from(*d))
        .sum();
    let answered = acked.len() as u64;
    let lost = answered.saturating_sub(stored);
    let double = stored.saturating_sub(answered);

    let boards = boards.lock().expect("boards").clone();
    let mut lag: Vec<Duration> = acked
        .iter()
        .filter_map(|(_, at, version)| {
            boards
                .iter()
                .find(|(v, t)| v >= version && t >= at)
                .map(|(_, t)| *t - *at)
        })
        .collect();
    lag.sort();
    println!(
        "room load: {phones} phones x {dots} dots in {:.2} s: {answered} acknowledged, {stored} stored, lost {lost}, double-counted {double}; \
         dot to projector p50 {} ms, p95 {} ms ({} boards)",
        took.as_secs_f64(),
        percentile(&lag, 0.5).as_millis(),
        percentile(&lag, 0.95).as_millis(),
        boards.len()
    );
    dispatch(&*host, "room_end", json!({"merge": "add"}), &|_| {})
        .await
        .expect("end");
    watcher.abort();
    lost == 0 && double == 0 && answered == (phones as u64) * u64::from(dots)
}

/// The child of the kill check: serves a room on a library in `dir`, prints its
/// address, and waits to be killed.
async fn serve(dir: &str) {
    let host = ferry_api::testing::TestHost::in_dir(std::path::Path::new(dir));
    let plan = plan_with_cards(&host, "Union");
    let (url, token) = open_room(&host, &[plan], 20).await;
    println!("{url} {token} {plan}");
    std::future::pending::<()>().await;
}

async fn kill_check(phones: usize) -> bool {
    let dir = tempfile::tempdir().expect("dir");
    let exe = std::env::current_exe().expect("exe");
    let mut child = tokio::process::Command::new(exe)
        .args(["--serve", dir.path().to_str().expect("utf-8")])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("child");
    let mut out = tokio::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    tokio::io::AsyncBufReadExt::read_line(&mut out, &mut line)
        .await
        .expect("address");
    let parts: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let (url, room, plan) = (
        parts[0].clone(),
        parts[1].clone(),
        parts[2].parse().expect("plan id"),
    );
    let tasks: Vec<_> = (0..phones)
        .map(|i| {
            tokio::spawn(phone(
                url.clone(),
                room.clone(),
                ferry_core::PlanId(plan),
                20,
                i,
            ))
        })
        .collect();
    // SIGKILL while the phones are voting.
    tokio::time::sleep(Duration::from_millis(150 + fastrand::u64(0..250))).await;
    child.start_kill().expect("kill");
    let _ = child.wait().await;
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.expect("phone"));
    }
    let lib = ferry_core::Library::open_in(dir.path()).expect("library reopens");
    let record = lib
        .room_current()
        .expect("room")
        .expect("the room is still open");
    let stored: u64 = lib
        .room_tallies(&record.id)
        .expect("tallies")
        .values()
        .flat_map(|t| t.0.values())
        .map(|d| u64::from(*d))
        .sum();
    let lost = (acked.len() as u64).saturating_sub(stored);
    println!(
        "kill -9 while voting: {} dots acknowledged before the kill, {stored} in the library after it, lost {lost}",
        acked.len()
    );
    lost == 0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        serve(&args[1]).await;
        return;
    }
    let phones = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let dots = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let ok = load(phones, dots).await & kill_check(phones.min(50)).await;
    if !ok {
        eprintln!("room load: FAILED (see the figures above)");
        std::process::exit(1);
    }
}
