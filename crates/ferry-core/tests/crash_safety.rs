//! Kills a process that is saving plans with SIGKILL at random moments, 200 times,
//! and checks after each kill that the library is intact and that every plan is at
//! its last committed version (or at the one whose commit was under way).
//!
//! The writer is this same test binary, started again with `FERRY_CRASH_WRITER`
//! set: the test function then writes until it is killed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ferry_core::validate::COUNTRY_CODES;
use ferry_core::{Language, Library, Plan, PlanId, Shelf};

const WRITER_ENV: &str = "FERRY_CRASH_WRITER";
const KILLS: usize = 200;
const PLANS: usize = 3;
const TEST_NAME: &str = "sigkill_during_saves_never_corrupts_or_loses_committed_plans";

/// What revision `rev` of a plan contains: derived from the number alone, so the
/// checker knows the exact expected content of any revision it finds.
fn content_for(plan: &mut Plan, rev: u64) {
    plan.organisation.members = Some(rev as u32);
    plan.organisation.contact.name = format!("revision {rev}");
    // A body that grows and shrinks, so saves span several database pages.
    let n = (rev as usize * 37) % COUNTRY_CODES.len();
    plan.organisation.countries = COUNTRY_CODES[..n].iter().map(|c| c.to_string()).collect();
}

fn run_writer(dir: &Path) -> ! {
    let mut lib = Library::open_in(dir).expect("writer opens library");
    let mut out = std::io::stdout().lock();
    let mut ids: Vec<PlanId> = lib
        .list(Shelf::Active, "")
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    let mut i = 0usize;
    loop {
        if ids.len() < PLANS {
            let plan = lib
                .create(&format!("Plan {}", ids.len()), Language::En)
                .unwrap();
            ids.push(plan.id);
            writeln!(out, "{} {}", plan.id, plan.revision).unwrap();
        } else {
            let id = ids[i % ids.len()];
            let mut plan = lib.get(id).unwrap();
            let next = plan.revision + 1;
            content_for(&mut plan, next);
            let saved = lib.save(&plan).unwrap();
            writeln!(out, "{} {}", saved.id, saved.revision).unwrap();
        }
        out.flush().unwrap();
        i += 1;
    }
}

#[test]
fn sigkill_during_saves_never_corrupts_or_loses_committed_plans() {
    if let Some(dir) = std::env::var_os(WRITER_ENV) {
        run_writer(Path::new(&dir));
    }
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut committed: HashMap<PlanId, u64> = HashMap::new();
    let mut total_saves = 0usize;

    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait until the writer has opened the library and reported one to three saves,
        // then kill it a random moment later. (A random wall-clock delay alone let a busy
        // machine kill most writers before their first save: the test then checked little.)
        let started = Instant::now();
        let mut reported = Vec::new();
        let saves_first = fastrand::usize(1..=3);
        let mut ready = false;
        while reported.len() < saves_first {
            let line = lines.next().expect("writer exited early").unwrap();
            if line.ends_with("ready") {
                ready = true;
            } else if ready {
                reported.push(line);
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "writer never got ready or never saved"
            );
        }
        std::thread::sleep(Duration::from_micros(fastrand::u64(0..10_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        for line in reported.into_iter().chain(lines.map(Result::unwrap)) {
            let Some((id, rev)) = line.split_once(' ') else {
                continue;
            };
            committed.insert(id.parse().unwrap(), rev.parse().unwrap());
            total_saves += 1;
        }

        let lib = Library::open_in(dir.path()).unwrap();
        assert_eq!(lib.integrity_check().unwrap(), "ok", "round {round}");
        let stored = lib.list(Shelf::Active, "").unwrap();
        for summary in &stored {
            let plan = lib.get(summary.id).unwrap();
            match committed.get(&plan.id) {
                // A commit can land just before the kill and before the writer says so.
                Some(&last) => assert!(
                    plan.revision == last || plan.revision == last + 1,
                    "round {round}: plan {} at revision {} but last committed was {last}",
                    plan.id,
                    plan.revision
                ),
                None => assert_eq!(plan.revision, 1, "round {round}: unknown plan {}", plan.id),
            }
            if plan.revision > 1 {
                let mut expected = plan.clone();
                content_for(&mut expected, plan.revision);
                assert_eq!(
                    plan.organisation, expected.organisation,
                    "round {round}: torn plan"
                );
            }
            committed.insert(plan.id, plan.revision);
        }
        for id in committed.keys() {
            assert!(
                stored.iter().any(|s| s.id == *id),
                "round {round}: committed plan {id} lost"
            );
        }
    }
    assert!(
        total_saves > KILLS,
        "the writer should have committed many saves, got {total_saves}"
    );
    eprintln!("crash safety: {KILLS} kills, {total_saves} committed saves checked");
}
