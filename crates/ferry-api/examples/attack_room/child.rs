//! The room under attack runs in a process of its own (its own open-file limit, its
//! own memory): it opens a room on loopback, follows it as the projector does, and
//! answers questions about itself on stdin, one JSON line each.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ferry_api::testing::TestHost;
use ferry_api::{Host, dispatch};
use ferry_core::model::{NeedEntry, Priority};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

pub const NEEDS: [&str; 5] = ["email", "files", "video_meetings", "calendar", "forms"];
pub const DOTS_EACH: u32 = 3;

/// Where the room is: its address, token and organisations.
#[derive(Clone)]
pub struct At {
    pub url: String,
    pub room: String,
    pub plans: Vec<String>,
    /// host:port, as a phone's Host header carries it.
    pub host: String,
    pub port: u16,
}

/// The parent's handle on the room's process.
pub struct Child {
    /// Killed when dropped.
    _process: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    stdout: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    pub at: At,
}

impl Child {
    /// Starts a room's process with the open-file limit at 1,024; its library in `dir`
    /// (a fresh temporary folder when `None`).
    pub async fn start(dir: Option<&std::path::Path>) -> (Child, Option<tempfile::TempDir>) {
        let (owned, path) = match dir {
            Some(d) => (None, d.to_path_buf()),
            None => {
                let t = tempfile::tempdir().expect("temporary folder");
                let p = t.path().to_path_buf();
                (Some(t), p)
            }
        };
        let exe = std::env::current_exe().expect("exe");
        let mut process = tokio::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -Sn 1024 && exec \"$0\" --serve \"$1\"")
            .arg(exe)
            .arg(&path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the room's process");
        let stdin = process.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(process.stdout.take().expect("stdout")).lines();
        let line = stdout
            .next_line()
            .await
            .expect("the room's address")
            .expect("the room's address");
        let v: Value = serde_json::from_str(&line).expect("JSON");
        let url = v["url"].as_str().expect("url").to_owned();
        let host = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .expect("host")
            .to_owned();
        let port = host
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        let child = Child {
            _process: process,
            stdin,
            stdout,
            at: At {
                room: v["token"].as_str().expect("token").to_owned(),
                plans: v["plans"]
                    .as_array()
                    .expect("plans")
                    .iter()
                    .map(|p| p.as_str().expect("plan").to_owned())
                    .collect(),
                url,
                host,
                port,
            },
        };
        (child, owned)
    }

    /// One question, one JSON answer; `stats` adds the process's open files and memory.
    pub async fn ask(&mut self, question: &str) -> Value {
        let mut answer = self.ask_child(question).await;
        if question == "stats" {
            let (fds, rss_kb) = self._process.id().map_or((0, 0), use_of);
            answer["fds"] = fds.into();
            answer["rss_kb"] = rss_kb.into();
        }
        answer
    }

    async fn ask_child(&mut self, question: &str) -> Value {
        self.stdin
            .write_all(format!("{question}\n").as_bytes())
            .await
            .expect("ask");
        let line = self
            .stdout
            .next_line()
            .await
            .expect("answer")
            .expect("answer");
        serde_json::from_str(&line).expect("JSON answer")
    }
}

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

/// Open files and resident memory of process `pid` (Linux; zero elsewhere). Read from
/// outside: a process out of file descriptors cannot list its own.
fn use_of(pid: u32) -> (u64, u64) {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count() as u64);
    let rss_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    (fds, rss_kb)
}

fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times
        .get(times.len() / 2)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The room's process: serves until killed, answering the parent's questions.
pub async fn serve(dir: &str) {
    let host = Arc::new(TestHost::in_dir(std::path::Path::new(dir)));
    let plans = [
        plan_with_cards(&*host, "Union"),
        plan_with_cards(&*host, "Patients"),
    ];
    let board = dispatch(
        &*host,
        "room_open",
        json!({"address": "127.0.0.1", "plans": plans, "dotsEach": DOTS_EACH}),
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
    // The projector: how many boards it is sent and how large they are.
    let boards = Arc::new((AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)));
    {
        let (host, boards) = (host.clone(), boards.clone());
        tokio::spawn(async move {
            let sink = move |b: Value| {
                let size = b.to_string().len() as u64;
                boards.0.fetch_add(1, Ordering::Relaxed);
                boards.1.fetch_add(size, Ordering::Relaxed);
                boards.2.fetch_max(size, Ordering::Relaxed);
            };
            let _ = dispatch(&*host, "room_watch", json!({}), &sink).await;
        });
    }
    println!("{}", json!({"url": url, "token": token, "plans": plans}));
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        let answer = match words.as_slice() {
            ["stats"] => json!({
                "boards": boards.0.load(Ordering::Relaxed),
                "board_bytes": boards.1.load(Ordering::Relaxed),
                "max_board_bytes": boards.2.load(Ordering::Relaxed),
            }),
            ["tallies"] => serde_json::to_value(ferry_api::room::tallies(&*host).expect("tallies"))
                .expect("JSON"),
            ["board", n] => {
                let n: usize = n.parse().unwrap_or(10);
                let mut times = Vec::new();
                let mut bytes = 0;
                for _ in 0..n {
                    let t = Instant::now();
                    let b = dispatch(&*host, "room_board", json!({}), &|_| {})
                        .await
                        .expect("board");
                    times.push(t.elapsed());
                    bytes = b.to_string().len();
                }
                json!({"median_ms": median_ms(times), "bytes": bytes})
            }
            ["page", participant, n] => {
                let n: usize = n.parse().unwrap_or(10);
                let mut times = Vec::new();
                let mut bytes = 0;
                for _ in 0..n {
                    let t = Instant::now();
                    let p = dispatch(
                        &*host,
                        "room_page",
                        json!({"room": token, "participant": participant}),
                        &|_| {},
                    )
                    .await
                    .expect("page");
                    times.push(t.elapsed());
                    bytes = p.to_string().len();
                }
                json!({"median_ms": median_ms(times), "bytes": bytes})
            }
            _ => json!({"error": format!("unknown question {line:?}")}),
        };
        println!("{answer}");
    }
}
