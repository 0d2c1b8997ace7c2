//! Kill check (run by `scripts/kill-hostd [ORDERS] [KILLS]`): clients send ORDERS
//! orders (default 50), each with its own Idempotency-Key, retrying the same key until
//! the server accepts it, while the real ferry-hostd binary is SIGKILLed KILLS times
//! (default 20) at random moments and restarted. Then every app a kill interrupted is
//! retried on purpose, as an operator would. Prints orders accepted, duplicated, lost
//! and jobs rerun without being asked; the targets are ORDERS, 0, 0, 0, and the exit
//! code is 1 if any is missed.
//!
//! The binary comes from FERRY_HOSTD_BIN (the script builds it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TOKEN: &str = "kill-token";

fn config(dir: &Path, port: u16) -> std::path::PathBuf {
    // Every abra call takes a moment, so that kills land in the middle of jobs.
    let abra = ferry_hostd::testing::fake_abra(dir, &[("FAKE_ABRA_DELAY", "0.03")]);
    let text = format!(
        r#"listen = "127.0.0.1:{port}"
database = "{db}"
abra = "{abra}"
abra_dir = "{home}"
servers = ["swarm1.coop.example", "swarm2.coop.example"]
step_timeout_secs = 30
max_body_bytes = 65536
requests_per_minute = 100000
max_connections_per_address = 512
[quotas]
max_queued_apps = 100000
[[organisations]]
id = "kill"
name = "Kill check"
[[tokens]]
name = "kill"
organisation = "kill"
sha256 = "{hash}"
scope = "write"
[[offers]]
recipe = "hedgedoc"
"#,
        db = dir.join("orders.sqlite").display(),
        abra = abra.display(),
        home = dir.join("abra-home").display(),
        hash = ferry_hostd::config::hash_token(TOKEN),
    );
    let path = dir.join("ferry-hostd.toml");
    std::fs::write(&path, text).expect("write the configuration");
    path
}

fn start(bin: &str, config: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(bin)
        .args(["serve", "--config"])
        .arg(config)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start ferry-hostd")
}

/// A small deterministic generator (xorshift): the kill moments, printed seed to replay.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let orders: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let kills: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let bin = std::env::var("FERRY_HOSTD_BIN").expect("FERRY_HOSTD_BIN names the binary");
    let seed = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    // The server is killed and started again on the same port: one no other program
    // can be handed meanwhile (below the ephemeral range).
    let port = ferry_testkit::reserve_port();
    let config = config(dir.path(), port);
    let log = dir.path().join("stderr.log");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let server = Arc::new(Mutex::new(start(&bin, &config, &log)));

    // Clients: each order's key is sent until it is accepted; every id seen is kept.
    let ids: Arc<Mutex<BTreeMap<usize, BTreeSet<String>>>> = Arc::default();
    let mut clients = Vec::new();
    for n in 0..orders {
        let (http, base, ids) = (http.clone(), base.clone(), ids.clone());
        clients.push(tokio::spawn(async move {
            // Spread the orders over the kills.
            tokio::time::sleep(Duration::from_millis(40 * n as u64)).await;
            let body = json!({
                "organisation": format!("Organisation {n}"),
                "server": if n % 2 == 0 { "swarm1.coop.example" } else { "swarm2.coop.example" },
                "apps": [{ "recipe": "hedgedoc", "domain": format!("pad{n}.example.org") }]
            });
            let mut attempts = 0;
            loop {
                attempts += 1;
                let sent = http
                    .post(format!("{base}/v1/orders"))
                    .bearer_auth(TOKEN)
                    .header("Idempotency-Key", format!("kill-{n}"))
                    .json(&body)
                    .send()
                    .await;
                if let Ok(r) = sent
                    && r.status() == 202
                    && let Ok(v) = r.json::<Value>().await
                    && let Some(id) = v["id"].as_str()
                {
                    ids.lock()
                        .unwrap()
                        .entry(n)
                        .or_default()
                        .insert(id.to_owned());
                    // A client that lost the answer sends again: half of them do.
                    if attempts > 1 || n % 2 == 0 {
                        return;
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }

    // The killer: SIGKILL at random moments, restart at once.
    for _ in 0..kills {
        tokio::time::sleep(Duration::from_millis(50 + rng.below(300))).await;
        let mut child = server.lock().unwrap();
        child.kill().expect("SIGKILL ferry-hostd");
        child.wait().unwrap();
        *child = start(&bin, &config, &log);
    }
    for c in clients {
        tokio::time::timeout(Duration::from_secs(120), c)
            .await
            .expect("every order accepted")
            .unwrap();
    }

    // Wait for every order to be final, then count what abra was asked to do.
    let ids = ids.lock().unwrap().clone();
    let distinct: BTreeSet<String> = ids.values().flatten().cloned().collect();
    let states = wait_final(&http, &base, &distinct).await;
    let calls = |verb: &str| {
        let mut per_domain = BTreeMap::<String, usize>::new();
        for c in ferry_hostd::testing::recorded_calls(dir.path()) {
            if c.get(1).map(String::as_str) == Some(verb)
                && let Some(d) = c.iter().find(|a| a.ends_with(".example.org"))
            {
                *per_domain.entry(d.clone()).or_default() += 1;
            }
        }
        per_domain
    };
    // A job run again by itself shows as a second `app new` (or deploy) for a domain.
    let rerun = calls("new").values().filter(|n| **n > 1).count()
        + calls("deploy").values().filter(|n| **n > 1).count();

    // Apps a kill interrupted are failed on purpose; an operator retries them.
    let interrupted: Vec<&String> = states
        .iter()
        .filter(|(_, s)| *s == "failed")
        .map(|(id, _)| id)
        .collect();
    for id in &interrupted {
        let r = http
            .post(format!("{base}/v1/orders/{id}/apps/0/retry"))
            .bearer_auth(TOKEN)
            .json(&json!({ "secrets": [] }))
            .send()
            .await
            .expect("retry");
        assert_eq!(r.status(), 202, "retry of {id}");
    }
    let states = wait_final(&http, &base, &distinct).await;
    let deployed = states.values().filter(|s| *s == "deployed").count();

    let duplicated: usize = ids.values().map(|s| s.len() - 1).sum();
    let accepted = distinct.len();
    let lost = orders - deployed.min(orders);
    server.lock().unwrap().kill().ok();
    println!("seed {seed}: {orders} orders, {kills} kills");
    println!("orders accepted:                {accepted}");
    println!("duplicated:                     {duplicated}");
    println!("lost:                           {lost}");
    println!("jobs rerun without being asked: {rerun}");
    println!("interrupted, retried on purpose: {}", interrupted.len());
    if accepted != orders || duplicated != 0 || lost != 0 || rerun != 0 {
        eprintln!(
            "targets missed; server log: {}",
            std::fs::read_to_string(&log)
                .unwrap_or_default()
                .lines()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n")
        );
        std::process::exit(1);
    }
}

/// Each order's app state once every order is final (deployed, failed, cancelled).
async fn wait_final(
    http: &reqwest::Client,
    base: &str,
    ids: &BTreeSet<String>,
) -> BTreeMap<String, String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut states = BTreeMap::new();
        for id in ids {
            let s = async {
                let r = http
                    .get(format!("{base}/v1/orders/{id}"))
                    .bearer_auth(TOKEN)
                    .send()
                    .await
                    .ok()?;
                let v: Value = r.json().await.ok()?;
                v["apps"][0]["state"].as_str().map(str::to_owned)
            }
            .await
            .unwrap_or_default();
            states.insert(id.clone(), s);
        }
        if states
            .values()
            .all(|s| ["deployed", "failed", "cancelled"].contains(&s.as_str()))
        {
            return states;
        }
        assert!(Instant::now() < deadline, "orders not final: {states:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
