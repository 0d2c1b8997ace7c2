//! A prankster on the workshop room's Wi-Fi (issue #25), played against a real room
//! server in a child process on loopback, with 30 honest phones voting at the same
//! time. Not a test of features but of defences: each phase prints its figures and
//! whether the defence held; the program exits 1 when one did not.
//!
//! Phases (each against a fresh room; `--only NAME` runs one):
//! - `connections`: 1,100 idle connections and 2,000 sending headers a byte a second,
//!   from one address, while the honest phones load their page and place dots;
//! - `events`: 2,000 live-update streams from one address beside the phones' own;
//! - `stuffing`: joins with a random `participant` field (the rate-limit bypass), then
//!   every fake phone's dots on one card and as many proposals as it can;
//! - `keys`: a flood of requests with random participant tokens (new rate-limit keys)
//!   while one honest phone reads its page;
//! - `hygiene`: invisible or bidi-override text, stacked combining marks, a text/plain
//!   body, a foreign Host header, assets under a wrong room address;
//! - `board`: a room filled to thousands of participants and proposals, then the
//!   projector's board and a phone's page timed in the room's own process.
//!
//! Every participant sits on its own loopback address (127.0.0.x, Linux), as phones on
//! a Wi-Fi each have their own. The room's process starts with the open-file limit at
//! 1,024, a common desktop default.
//!
//!   cargo run --release -p ferry-api --example attack_room -- [--quick] [--only PHASE]

mod board;
mod child;
mod flood;
mod hygiene;
mod phones;
mod stuffing;

use std::time::Duration;

/// How large and how long: the full run, or bounded counts for `make test`.
#[derive(Clone, Copy)]
pub struct Scale {
    pub quick: bool,
}

impl Scale {
    /// Full count, or the quick one.
    pub fn pick<T>(self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }

    /// The slowest an honest phone's p95 may be: the target, or a looser bound for a
    /// debug build on a machine that is also compiling.
    pub fn p95_bound(self) -> Duration {
        Duration::from_millis(self.pick(200, 1000))
    }
}

/// One phase's verdict: its figures are printed as it runs.
pub struct Verdict {
    pub phase: &'static str,
    pub failures: Vec<String>,
}

impl Verdict {
    pub fn new(phase: &'static str) -> Self {
        Verdict {
            phase,
            failures: Vec::new(),
        }
    }

    /// Records a defence that did not hold when `held` is false.
    pub fn check(&mut self, held: bool, what: impl Into<String>) {
        if !held {
            self.failures.push(what.into());
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        child::serve(&args[1]).await;
        return;
    }
    // The prankster needs files for its thousands of connections too.
    ferry_api::room::raise_open_file_limit();
    let scale = Scale {
        quick: args.iter().any(|a| a == "--quick"),
    };
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut verdicts = Vec::new();
    if wanted("connections") {
        verdicts.push(flood::connections(scale).await);
    }
    if wanted("events") {
        verdicts.push(flood::events(scale).await);
    }
    if wanted("stuffing") {
        verdicts.push(stuffing::stuffing(scale).await);
    }
    if wanted("keys") {
        verdicts.push(stuffing::key_flood(scale).await);
    }
    if wanted("hygiene") {
        verdicts.push(hygiene::hygiene().await);
    }
    if wanted("board") {
        verdicts.push(board::board(scale).await);
    }
    let mut failed = false;
    for v in &verdicts {
        if v.failures.is_empty() {
            println!("attack-room: {}: held", v.phase);
        } else {
            failed = true;
            for f in &v.failures {
                println!("attack-room: {}: FAILED: {f}", v.phase);
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
