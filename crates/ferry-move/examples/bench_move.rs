//! The move's benchmark (not a timed test): a generated Takeout moved into Dovecot,
//! Radicale and Apache mod_dav on loopback (ferry_move::testing), with the time and
//! throughput per kind, the CPU time of Ferry and of the server meanwhile, and the peak
//! memory of the move (VmHWM, reset after the export is written). Servers run with
//! fsync off, as test servers.
//!
//! Then, for comparison, the same items go into fresh servers of the same kinds with
//! plain clients, timed per kind (bench_move/plain.rs): python3's imaplib and a bare
//! APPEND loop over TCP appending each message (the same bytes, flags and date) into
//! INBOX, and one `curl` per kind PUTting every event, card or file after MKCALENDAR or
//! MKCOL, as a client would. The plain clients get the items already split into files,
//! so they read no export: what is left is the servers' own pace. Ferry/plain above 1:
//! Ferry is slower.
//!
//! `cargo run --release -p ferry-move --features test-support --example bench_move --
//! MAILS EVENTS CONTACTS FILE_MB` (the full size: `10000 2000 1000 2048`; mails
//! are ~100 KB each); `scripts/bench-move` runs it. Exits non-zero when anything was
//! not moved, not read back, or not uploaded by the plain clients.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use ferry_move::plan::{Flavour, MoveSpec, PersonSpec, TargetSpec};
use ferry_move::run::{Options, Secrets, run};
use ferry_move::testing::{Server, apache_dav, dovecot, radicale};
use ferry_move::{Kind, MoveMode, Progress, SourceSpec};

#[path = "bench_move/plain.rs"]
mod plain;

const USER: &str = "bench";
const PASSWORD: &str = "bench-password";
/// The date on every message's `From_` line, as IMAP's INTERNALDATE.
const RECEIVED: &str = "10-Jan-2024 10:00:00 +0000";

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn fail(why: &str) -> ! {
    eprintln!("bench_move: {why}");
    std::process::exit(1)
}

/// One message as Takeout writes it after its `From_` line (LF line ends).
fn message(i: usize, filler: &str) -> String {
    format!(
        "X-Gmail-Labels: Inbox,Opened\nDate: Wed, 10 Jan 2024 11:00:00 +0100\nFrom: a@b.no\n\
         Subject: Nr. {i}\nMessage-ID: <b{i}@b.no>\n\n{filler}"
    )
}

fn event(i: usize) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:b{i}@google.com\r\nDTSTAMP:20240101T000000Z\r\n\
         DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\nSUMMARY:Møte {i}\r\nEND:VEVENT\r\n"
    )
}

/// A card as Google writes it (no UID); `uid` adds one, as a client's own card has.
fn card(i: usize, uid: bool) -> String {
    let uid = if uid {
        format!("UID:p{i}\r\n")
    } else {
        String::new()
    };
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n\
         EMAIL;TYPE=INTERNET:p{i}@lag.example.no\r\n{uid}END:VCARD\r\n"
    )
}

/// A part of the export written entry by entry (stored: generated text packs too well),
/// and the same items split into files under `plain` (mail/, events/, contacts/,
/// files/) for the plain clients: each message with CRLF line ends as IMAP takes it,
/// each event in its own calendar object, each card with a UID.
fn export(path: &Path, plain: &Path, n: Counts) {
    for sub in ["mail", "events", "contacts", "files"] {
        std::fs::create_dir_all(plain.join(sub)).unwrap();
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("zip"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let filler: String = (0..1_000).map(|i| format!("{i:099}\n")).collect();
    zip.start_file("Takeout/Mail/All mail Including Spam and Trash.mbox", opts)
        .unwrap();
    for i in 0..n.mails {
        let m = message(i, &filler);
        write!(zip, "From {i}@xxx Wed Jan 10 10:00:00 +0000 2024\n{m}\n").unwrap();
        std::fs::write(plain.join(format!("mail/{i}.eml")), m.replace('\n', "\r\n")).unwrap();
    }
    zip.start_file("Takeout/Calendar/Bench.ics", opts).unwrap();
    write!(
        zip,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Bench\r\n"
    )
    .unwrap();
    for i in 0..n.events {
        let e = event(i);
        zip.write_all(e.as_bytes()).unwrap();
        std::fs::write(
            plain.join(format!("events/b{i}@google.com.ics")),
            format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{e}END:VCALENDAR\r\n"),
        )
        .unwrap();
    }
    write!(zip, "END:VCALENDAR\r\n").unwrap();
    zip.start_file("Takeout/Contacts/All Contacts/All Contacts.vcf", opts)
        .unwrap();
    for i in 0..n.contacts {
        zip.write_all(card(i, false).as_bytes()).unwrap();
        std::fs::write(plain.join(format!("contacts/p{i}.vcf")), card(i, true)).unwrap();
    }
    // Files of 64 MB (the last one smaller), of bytes that do not repeat.
    let mut left = n.file_mb << 20;
    let mut k = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    while left > 0 {
        let size = left.min(64 << 20);
        zip.start_file(format!("Takeout/Drive/fil-{k}.bin"), opts)
            .unwrap();
        let mut out = std::fs::File::create(plain.join(format!("files/fil-{k}.bin"))).unwrap();
        let mut buf = vec![0u8; 1 << 20];
        for _ in 0..size >> 20 {
            for chunk in buf.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes());
            }
            zip.write_all(&buf).unwrap();
            out.write_all(&buf).unwrap();
        }
        left -= size;
        k += 1;
    }
    zip.finish().unwrap();
}

#[derive(Clone, Copy)]
struct Counts {
    mails: usize,
    events: usize,
    contacts: usize,
    file_mb: usize,
}

impl Counts {
    fn of(&self, kind: Kind) -> usize {
        match kind {
            Kind::Mail => self.mails,
            Kind::Calendar => self.events,
            Kind::Contacts => self.contacts,
            Kind::Files => self.file_mb.div_ceil(64),
        }
    }
}

const SERVERS: [&str; 3] = ["Dovecot", "Radicale", "Apache"];

/// Which of the three servers takes a kind (an index into [`SERVERS`]).
fn server_of(kind: Kind) -> usize {
    match kind {
        Kind::Mail => 0,
        Kind::Calendar | Kind::Contacts => 1,
        Kind::Files => 2,
    }
}

fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The three servers, fresh; `None` when one is not installed (testing says SKIPPED).
fn servers() -> Option<(Server, Server, Server)> {
    let users = [(USER, PASSWORD)];
    Some((dovecot(&users)?, radicale(&users)?, apache_dav(&users)?))
}

/// Ferry's move and read-back; per kind, the seconds and bytes of its moving phase.
fn ferry(
    zip: PathBuf,
    ledger: &Path,
    (imap, dav, files): &(Server, Server, Server),
    n: Counts,
) -> HashMap<Kind, (f64, u64)> {
    let target = |kind, app: &str, flavour, url: String| TargetSpec {
        kind,
        app: app.to_owned(),
        flavour,
        url,
    };
    let dav_url = format!("http://127.0.0.1:{}/", dav.port);
    let spec = MoveSpec {
        sources: vec![SourceSpec {
            path: zip,
            person: None,
        }],
        people: vec![PersonSpec {
            source: String::new(),
            login: USER.into(),
        }],
        targets: vec![
            target(
                Kind::Mail,
                "mailu",
                Flavour::Imap,
                format!("imap://127.0.0.1:{}", imap.port),
            ),
            target(
                Kind::Calendar,
                "radicale",
                Flavour::Radicale,
                dav_url.clone(),
            ),
            target(Kind::Contacts, "radicale", Flavour::Radicale, dav_url),
            target(
                Kind::Files,
                "custom",
                Flavour::Webdav,
                format!("http://127.0.0.1:{}/dav/{{user}}/", files.port),
            ),
        ],
        mode: MoveMode::Own,
        drive_folder: "Google Drive".into(),
    };
    let mut secrets = Secrets::default();
    for kind in Kind::ALL {
        secrets.own.insert((kind, USER.into()), PASSWORD.into());
    }
    // Per kind: when it was first and last seen moving, and its bytes and items.
    let seen: Mutex<HashMap<Kind, (Instant, Instant, u64, u64)>> = Mutex::default();
    // CPU seconds of Ferry and of each server when a kind starts and when all end.
    let pids = [imap.pid(), dav.pid(), files.pid()];
    let cpu = || {
        [
            plain::cpu_self(),
            plain::cpu_tree(pids[0]),
            plain::cpu_tree(pids[1]),
            plain::cpu_tree(pids[2]),
        ]
    };
    let marks: Mutex<Vec<(Option<Kind>, [f64; 4])>> = Mutex::default();
    let sink = |p: Progress| {
        if p.phase == ferry_move::Phase::Verifying {
            marks.lock().unwrap().push((None, cpu()));
        }
        if let Some(kind) = p.kind.filter(|_| {
            matches!(
                p.phase,
                ferry_move::Phase::Connecting | ferry_move::Phase::Moving
            )
        }) {
            let now = Instant::now();
            let mut s = seen.lock().unwrap();
            let e = s.entry(kind).or_insert_with(|| {
                marks.lock().unwrap().push((Some(kind), cpu()));
                (now, now, 0, 0)
            });
            e.1 = now;
            e.2 = p.bytes_done;
            e.3 = p.items_done;
        }
    };
    let options = Options {
        verify: true,
        every: std::time::Duration::from_millis(50),
        ..Options::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Only the move's own peak counts: reset the high-water mark.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let started = Instant::now();
    let report = rt
        .block_on(run("bench", &spec, &secrets, ledger, &options, &sink))
        .unwrap_or_else(|e| fail(&format!("the move failed: {e}")));
    let all = started.elapsed().as_secs_f64();
    println!(
        "Ferry: moved and read back in {all:.1} s; peak memory of the move {} MB",
        peak_kb() / 1024
    );
    let mut out = HashMap::new();
    let seen = seen.into_inner().unwrap();
    let marks = marks.into_inner().unwrap();
    let mut bad = Vec::new();
    for kind in Kind::ALL {
        let Some((from, to, bytes, items)) = seen.get(&kind) else {
            continue;
        };
        let s = (*to - *from).as_secs_f64().max(0.001);
        let at = marks.iter().position(|m| m.0 == Some(kind));
        let (a, b) = at
            .and_then(|i| Some((marks[i].1, marks.get(i + 1)?.1)))
            .unwrap_or_default();
        let server = server_of(kind);
        println!(
            "  {kind:?}: {items} items, {:.2} MB in {s:.1} s = {:.1} MB/s, {:.0} items/s; \
             CPU: Ferry {:.1} s, {} {:.1} s ({:.0}% of the time)",
            *bytes as f64 / 1e6,
            *bytes as f64 / 1e6 / s,
            *items as f64 / s,
            b[0] - a[0],
            SERVERS[server],
            b[server + 1] - a[server + 1],
            (b[server + 1] - a[server + 1]) / s * 100.0
        );
        out.insert(kind, (s, *bytes));
    }
    for p in &report.people {
        for k in &p.kinds {
            let v = k.verified.as_ref().map(|v| (v.found, v.missing));
            println!(
                "  {:?}: moved {}, not moved {}, read back (found, missing) {v:?}",
                k.kind, k.moved, k.not_moved
            );
            let want = n.of(k.kind) as u64;
            if k.moved != want || k.not_moved > 0 || v != Some((want, 0)) {
                bad.push(format!("{:?}", k.kind));
            }
        }
    }
    let kinds = report.people.iter().map(|p| p.kinds.len()).sum::<usize>();
    let want = Kind::ALL.iter().filter(|k| n.of(**k) > 0).count();
    if !bad.is_empty() || kinds != want {
        fail(&format!(
            "the move or its read-back is short ({} of {want} kinds reported; wrong: {})",
            kinds,
            bad.join(", ")
        ));
    }
    out
}

fn main() {
    let n = Counts {
        mails: arg(1, 1000),
        events: arg(2, 200),
        contacts: arg(3, 100),
        file_mb: arg(4, 128),
    };
    let Some(first) = servers() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("takeout-20240115T101500Z-001.zip");
    let split = tmp.path().join("plain");
    export(&zip, &split, n);
    let size = std::fs::metadata(&zip).unwrap().len();
    println!(
        "export {:.0} MB: {} mails, {} events, {} contacts, {} MB of files",
        size as f64 / 1e6,
        n.mails,
        n.events,
        n.contacts,
        n.file_mb
    );
    let ferry = ferry(zip, tmp.path(), &first, n);
    drop(first);
    let Some(fresh) = servers() else {
        return;
    };
    let plain = plain::run(&split, &fresh);
    println!("Plain clients into fresh servers:");
    let mut short = Vec::new();
    for r in plain {
        let Some((f, _)) = ferry.get(&r.kind) else {
            continue;
        };
        let sub = match r.kind {
            Kind::Mail => "mail",
            Kind::Calendar => "events",
            Kind::Contacts => "contacts",
            Kind::Files => "files",
        };
        let bytes: u64 = std::fs::read_dir(split.join(sub))
            .unwrap()
            .flatten()
            .map(|e| e.metadata().map_or(0, |m| m.len()))
            .sum();
        let want = n.of(r.kind) as u64;
        let p = r.secs.max(0.001);
        println!(
            "  {:?} by {}: {} of {want} items in {p:.1} s = {:.1} MB/s, {:.0} items/s; \
             CPU: client {:.1} s, {} {:.1} s ({:.0}%); Ferry {f:.1} s, Ferry/plain {:.2}",
            r.kind,
            r.client,
            r.held,
            bytes as f64 / 1e6 / p,
            want as f64 / p,
            r.client_cpu,
            SERVERS[server_of(r.kind)],
            r.server_cpu,
            r.server_cpu / p * 100.0,
            f / p
        );
        if r.held != want {
            short.push(format!("{:?} by {}", r.kind, r.client));
        }
    }
    if !short.is_empty() {
        fail(&format!(
            "the plain clients left items out: {}",
            short.join(", ")
        ));
    }
}
