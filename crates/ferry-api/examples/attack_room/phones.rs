//! Honest phones, each on its own loopback address, and what they measure: how long
//! their page and their dots take while the room is under attack.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::child::{At, NEEDS};

/// Loopback address number `n` (127.0.x.y); Linux answers on all of 127/8.
pub fn loopback(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, (n >> 8) as u8, (n & 0xff) as u8))
}

/// An HTTP client whose connections come from `address`; a new connection for each
/// request, as a phone arriving or waking up makes (the worst case for the room).
pub fn client_at(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address)
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

/// A request's outcome: its status (0 when it got no answer), how long it took, the body.
pub async fn post(
    http: &reqwest::Client,
    url: &str,
    command: &str,
    body: Value,
) -> (u16, Duration, Value) {
    let started = Instant::now();
    match http
        .post(format!("{url}api/{command}"))
        .json(&body)
        .send()
        .await
    {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r.json().await.unwrap_or(Value::Null);
            (status, started.elapsed(), body)
        }
        Err(_) => (0, started.elapsed(), Value::Null),
    }
}

#[derive(Clone)]
pub struct Phone {
    pub http: reqwest::Client,
    pub at: At,
    pub me: String,
}

impl Phone {
    /// Joins one of the room's organisations from loopback address `n`.
    pub async fn join(at: &At, n: u32) -> Option<Phone> {
        let http = client_at(loopback(n));
        let plan = &at.plans[n as usize % at.plans.len()];
        let (status, _, body) = post(
            &http,
            &at.url,
            "room_join",
            json!({"room": at.room, "plan": plan}),
        )
        .await;
        let me = body["participant"].as_str().filter(|_| status == 200)?;
        Some(Phone {
            me: me.to_owned(),
            http,
            at: at.clone(),
        })
    }

    pub async fn page(&self) -> (u16, Duration) {
        let body = json!({"room": self.at.room, "participant": self.me});
        let (s, d, _) = post(&self.http, &self.at.url, "room_page", body).await;
        (s, d)
    }

    pub async fn dot(&self, need: &str, add: bool) -> (u16, Duration) {
        let body = json!({"room": self.at.room, "participant": self.me, "need": need, "add": add});
        let (s, d, _) = post(&self.http, &self.at.url, "room_dot", body).await;
        (s, d)
    }
}

/// `count` phones join at once from addresses `first..first + count`.
pub async fn join_all(at: &At, first: u32, count: u32) -> Vec<Phone> {
    let tasks: Vec<_> = (first..first + count)
        .map(|n| {
            let at = at.clone();
            tokio::spawn(async move { Phone::join(&at, n).await })
        })
        .collect();
    let mut phones = Vec::new();
    for t in tasks {
        if let Some(p) = t.await.expect("phone") {
            phones.push(p);
        }
    }
    phones
}

/// Times of the honest phones' requests, and how many failed.
#[derive(Default)]
pub struct Timings {
    pub page: Vec<Duration>,
    pub dot: Vec<Duration>,
    pub failed: usize,
    pub statuses: BTreeMap<u16, usize>,
}

impl Timings {
    fn add(&mut self, other: Timings) {
        self.page.extend(other.page);
        self.dot.extend(other.dot);
        self.failed += other.failed;
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
    }

    fn record(&mut self, status: u16, took: Duration, page: bool) -> bool {
        *self.statuses.entry(status).or_default() += 1;
        if status != 200 {
            self.failed += 1;
            return false;
        }
        if page {
            self.page.push(took);
        } else {
            self.dot.push(took);
        }
        true
    }

    /// Sorts the times and says them in one line.
    pub fn summary(&mut self) -> String {
        self.page.sort();
        self.dot.sort();
        format!(
            "{} page loads p50 {} / p95 {} ms, {} dots p50 {} / p95 {} ms, {} failed (statuses {:?})",
            self.page.len(),
            ms(pct(&self.page, 0.5)),
            ms(pct(&self.page, 0.95)),
            self.dot.len(),
            ms(pct(&self.dot, 0.5)),
            ms(pct(&self.dot, 0.95)),
            self.failed,
            self.statuses
        )
    }

    /// The slower p95 of page loads and dots (after `summary` sorted them).
    pub fn p95(&self) -> Duration {
        pct(&self.page, 0.95).max(pct(&self.dot, 0.95))
    }
}

pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Every phone, until `until`: its page, a dot on (or off again), half a second's pause
/// (a brisk phone: people read and think between dots).
pub async fn keep_voting(phones: &[Phone], until: Instant) -> Timings {
    let tasks: Vec<_> = phones
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, phone)| {
            tokio::spawn(async move {
                let mut t = Timings::default();
                let need = NEEDS[i % NEEDS.len()];
                let mut add = true;
                while Instant::now() < until {
                    let (s, d) = phone.page().await;
                    t.record(s, d, true);
                    let (s, d) = phone.dot(need, add).await;
                    if t.record(s, d, false) {
                        add = !add;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                t
            })
        })
        .collect();
    let mut all = Timings::default();
    for task in tasks {
        all.add(task.await.expect("phone"));
    }
    all
}
