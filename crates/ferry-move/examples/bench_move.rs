//! The move's benchmark (not a timed test): a generated Takeout moved into Dovecot,
//! Radicale and Apache mod_dav on loopback (ferry_move::testing), with the time and
//! throughput per kind and the peak memory of the move (VmHWM, reset after the export
//! is written). Servers run with fsync off, as test servers.
//!
//! `cargo run --release -p ferry-move --example bench_move -- MAILS EVENTS CONTACTS FILE_MB`
//! (the full size: `10000 2000 1000 2048`; mails are ~100 KB each).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::Instant;

use ferry_move::plan::{Flavour, MoveSpec, PersonSpec, TargetSpec};
use ferry_move::run::{Options, Secrets, run};
use ferry_move::testing::{apache_dav, dovecot, radicale};
use ferry_move::{Kind, MoveMode, Progress, SourceSpec};

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// A part of the export written entry by entry (stored: generated text packs too well).
fn export(path: &std::path::Path, mails: usize, events: usize, contacts: usize, file_mb: usize) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("zip"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let filler: String = (0..1_000).map(|i| format!("{i:099}\n")).collect();
    zip.start_file("Takeout/Mail/All mail Including Spam and Trash.mbox", opts)
        .unwrap();
    for i in 0..mails {
        write!(
            zip,
            "From {i}@xxx Wed Jan 10 10:00:00 +0000 2024\nX-Gmail-Labels: Inbox,Opened\n\
             Date: Wed, 10 Jan 2024 11:00:00 +0100\nFrom: a@b.no\nSubject: Nr. {i}\n\
             Message-ID: <b{i}@b.no>\n\n{filler}\n"
        )
        .unwrap();
    }
    zip.start_file("Takeout/Calendar/Bench.ics", opts).unwrap();
    write!(
        zip,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Bench\r\n"
    )
    .unwrap();
    for i in 0..events {
        write!(
            zip,
            "BEGIN:VEVENT\r\nUID:b{i}@google.com\r\nDTSTAMP:20240101T000000Z\r\n\
             DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\nSUMMARY:Møte {i}\r\nEND:VEVENT\r\n"
        )
        .unwrap();
    }
    write!(zip, "END:VCALENDAR\r\n").unwrap();
    zip.start_file("Takeout/Contacts/All Contacts/All Contacts.vcf", opts)
        .unwrap();
    for i in 0..contacts {
        write!(
            zip,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n\
             EMAIL;TYPE=INTERNET:p{i}@lag.example.no\r\nEND:VCARD\r\n"
        )
        .unwrap();
    }
    // Files of 64 MB (the last one smaller), of bytes that do not repeat.
    let mut left = file_mb << 20;
    let mut n = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    while left > 0 {
        let size = left.min(64 << 20);
        zip.start_file(format!("Takeout/Drive/fil-{n}.bin"), opts)
            .unwrap();
        let mut buf = vec![0u8; 1 << 20];
        for _ in 0..size >> 20 {
            for chunk in buf.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes());
            }
            zip.write_all(&buf).unwrap();
        }
        left -= size;
        n += 1;
    }
    zip.finish().unwrap();
}

fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let (mails, events, contacts, file_mb) = (arg(1, 1000), arg(2, 200), arg(3, 100), arg(4, 128));
    let users = [("bench", "bench-password")];
    let (Some(imap), Some(dav), Some(files)) =
        (dovecot(&users), radicale(&users), apache_dav(&users))
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("takeout-20240115T101500Z-001.zip");
    export(&zip, mails, events, contacts, file_mb);
    let size = std::fs::metadata(&zip).unwrap().len();
    // Only the move's own peak counts: reset the high-water mark.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
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
            login: "bench".into(),
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
        secrets
            .own
            .insert((kind, "bench".into()), "bench-password".into());
    }
    // Per kind: when it was first and last seen moving, and its bytes.
    let seen: Mutex<HashMap<Kind, (Instant, Instant, u64, u64)>> = Mutex::default();
    let sink = |p: Progress| {
        if let Some(kind) = p.kind.filter(|_| {
            matches!(
                p.phase,
                ferry_move::Phase::Connecting | ferry_move::Phase::Moving
            )
        }) {
            let now = Instant::now();
            let mut s = seen.lock().unwrap();
            let e = s.entry(kind).or_insert((now, now, 0, 0));
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
    let started = Instant::now();
    let report = rt
        .block_on(run("bench", &spec, &secrets, tmp.path(), &options, &sink))
        .expect("the move");
    let all = started.elapsed().as_secs_f64();
    println!(
        "export {:.0} MB; move and read-back {all:.1} s; peak memory {} MB",
        size as f64 / 1e6,
        peak_kb() / 1024
    );
    for (kind, (from, to, bytes, items)) in seen.lock().unwrap().iter() {
        let s = (*to - *from).as_secs_f64().max(0.001);
        println!(
            "{kind:?}: {items} items, {:.2} MB in {s:.1} s = {:.1} MB/s, {:.0} items/s",
            *bytes as f64 / 1e6,
            *bytes as f64 / 1e6 / s,
            *items as f64 / s
        );
    }
    for p in &report.people {
        for k in &p.kinds {
            println!(
                "{:?}: moved {}, not moved {}, verified {:?}",
                k.kind,
                k.moved,
                k.not_moved,
                k.verified.as_ref().map(|v| (v.found, v.missing))
            );
        }
    }
}
