//! Load check (not a test): 50 concurrent orders against ferry-hostd on loopback with
//! the fake abra, each also sent a second time with the same Idempotency-Key as a
//! client retrying would. Prints orders accepted, duplicates, lost, and p50/p95 of
//! `POST /v1/orders`. Run with `scripts/load-hostd`.

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    // Orders to send: 50, or the first argument (the quick mode in make test sends 10).
    let orders: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let mut config = ferry_hostd::testing::loopback_config(
        dir.path(),
        &["swarm1.coop.example", "swarm2.coop.example"],
        "load-token",
    );
    config.requests_per_minute = 100_000;
    let running = ferry_hostd::start(config).await.unwrap();
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::new();

    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..orders * 2 {
        let (http, base) = (http.clone(), base.clone());
        let n = i % orders; // the second half repeats the first half's keys
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({
                "organisation": format!("Organisation {n}"),
                "server": if n.is_multiple_of(2) { "swarm1.coop.example" } else { "swarm2.coop.example" },
                "apps": [{ "recipe": "hedgedoc", "domain": format!("pad{n}.example.org") }]
            });
            let t = Instant::now();
            let r = http
                .post(format!("{base}/v1/orders"))
                .bearer_auth("load-token")
                .header("Idempotency-Key", format!("load-{n}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let latency = t.elapsed();
            let status = r.status().as_u16();
            let v: serde_json::Value = r.json().await.unwrap();
            (n, status, v["id"].as_str().map(str::to_owned), latency)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let submit_time = started.elapsed();

    let mut ids = std::collections::BTreeMap::<usize, std::collections::BTreeSet<String>>::new();
    for (n, status, id, _) in &results {
        assert_eq!(*status, 202, "order {n} was refused");
        ids.entry(*n).or_default().insert(id.clone().unwrap());
    }
    let duplicates: usize = ids.values().map(|s| s.len() - 1).sum();
    let distinct: std::collections::BTreeSet<&String> = ids.values().flatten().collect();

    // Wait until every order is final, then count what was deployed.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut deployed;
    loop {
        deployed = 0;
        let mut all_final = true;
        for id in &distinct {
            let s: serde_json::Value = http
                .get(format!("{base}/v1/orders/{id}"))
                .bearer_auth("load-token")
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let state = s["apps"][0]["state"].as_str().unwrap_or("");
            all_final &= ["deployed", "failed", "cancelled"].contains(&state);
            deployed += usize::from(state == "deployed");
        }
        if all_final || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let abra_news = ferry_hostd::testing::recorded_calls(dir.path())
        .iter()
        // `starts_with`, not `c[..2]`: a call with fewer arguments must not panic.
        .filter(|c| c.starts_with(&["app".to_owned(), "new".to_owned()]))
        .count();

    let mut lat: Vec<Duration> = results.iter().map(|r| r.3).collect();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "requests sent:       {} ({} orders, each sent twice with the same key)",
        results.len(),
        orders
    );
    println!("orders accepted:     {}", distinct.len());
    println!(
        "duplicates:          {duplicates} (orders created twice for one key); abra `app new` calls: {abra_news}"
    );
    println!(
        "lost:                {} (orders not deployed)",
        orders - deployed
    );
    println!(
        "POST /v1/orders:     p50 {:.1} ms, p95 {:.1} ms; all {} requests in {:.0} ms",
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.95).as_secs_f64() * 1000.0,
        results.len(),
        submit_time.as_secs_f64() * 1000.0
    );
    running.stop();
}
