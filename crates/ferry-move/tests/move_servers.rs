//! A small Takeout-like export (tests/fixtures: real Takeout formats) moved into real
//! servers on loopback — Dovecot (IMAP), Radicale (CalDAV, CardDAV), Apache mod_dav
//! (WebDAV) — then read back; a move killed with SIGKILL in the middle and started
//! again; a damaged calendar named in the report while everything else moves.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ferry_move::ledger::Ledger;
use ferry_move::plan::{Flavour, MoveSpec, PersonSpec, TargetSpec, imap_server};
use ferry_move::run::{Options, Secrets, run};
use ferry_move::target::imap::{Imap, ImapLogin, Stored};
use ferry_move::testing::{Server, apache_dav, dovecot, fixture, radicale, write_zip};
use ferry_move::{Kind, MoveMode, MoveReport, Progress, Reason, SourceSpec};

const LOGIN: &str = "kari";
const PASSWORD: &str = "s3cret-app-password";

/// Messages added to the fixture's six, so a kill lands in the middle of the move.
const EXTRA_MAIL: usize = 300;

/// The fixture's mbox, and as many generated messages after it as asked.
fn mbox(extra: usize) -> Vec<u8> {
    let mut out = std::fs::read(fixture("takeout-mail.mbox")).expect("fixture mbox");
    for i in 0..extra {
        write!(
            out,
            "\nFrom 17770000000{i:05}@xxx Wed Jan 10 10:00:00 +0000 2024\n\
             X-Gmail-Labels: Inbox,Opened\n\
             Date: Wed, 10 Jan 2024 11:00:00 +0100\n\
             From: Lag <post@lag.example.no>\n\
             To: Kari Nordmann <kari@lag.example.no>\n\
             Subject: Nyhetsbrev nr. {i}\n\
             Message-ID: <gen{i}@lag.example.no>\n\n\
             Hei! Dette er nyhetsbrev {i}.\n"
        )
        .unwrap();
    }
    out
}

/// A calendar whose download was cut off in the middle of its second event.
const CUT_OFF: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n\
X-WR-CALNAME:Dugnad\r\nBEGIN:VEVENT\r\nUID:dugnad-1@google.com\r\nDTSTAMP:20240101T000000Z\r\n\
DTSTART:20240420T080000Z\r\nDTEND:20240420T120000Z\r\nSUMMARY:Vårdugnad\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:dugnad-2@google.com\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:2024102";

/// The export as Google hands it: one zip part with Mail, Calendar, Contacts, Drive
/// and a product Ferry does not move (Keep).
fn takeout(dir: &Path, extra_mail: usize) -> PathBuf {
    let path = dir.join("takeout-20240115T101500Z-001.zip");
    let mail = mbox(extra_mail);
    let ics = std::fs::read(fixture("Styret.ics")).unwrap();
    let vcf = std::fs::read(fixture("All Contacts.vcf")).unwrap();
    let docx = std::fs::read(fixture("Vedtekter.docx")).unwrap();
    write_zip(
        &path,
        &[
            ("Takeout/Mail/All mail Including Spam and Trash.mbox", &mail),
            ("Takeout/Calendar/Styret.ics", &ics),
            ("Takeout/Calendar/Dugnad.ics", CUT_OFF.as_bytes()),
            ("Takeout/Contacts/All Contacts/All Contacts.vcf", &vcf),
            ("Takeout/Drive/Vedtekter.docx", &docx),
            (
                "Takeout/Drive/Styret/Referat 2024.txt",
                "Referat fra styremøtet.\n".as_bytes(),
            ),
            (
                "Takeout/Keep/Handleliste.json",
                b"{\"title\":\"Handleliste\"}",
            ),
        ],
    );
    path
}

struct Servers {
    imap: Server,
    dav: Server,
    files: Server,
}

/// All three, or None (SKIPPED) where a server is missing off CI.
fn servers() -> Option<Servers> {
    let users = [(LOGIN, PASSWORD)];
    Some(Servers {
        imap: dovecot(&users)?,
        dav: radicale(&users)?,
        files: apache_dav(&users)?,
    })
}

fn spec(zip: &Path, s: &Servers) -> MoveSpec {
    let target = |kind, app: &str, flavour, url: String| TargetSpec {
        kind,
        app: app.to_owned(),
        flavour,
        url,
    };
    let dav = format!("http://127.0.0.1:{}/", s.dav.port);
    MoveSpec {
        sources: vec![SourceSpec {
            path: zip.to_owned(),
            person: None,
        }],
        people: vec![PersonSpec {
            source: String::new(),
            login: LOGIN.to_owned(),
        }],
        targets: vec![
            target(
                Kind::Mail,
                "mailu",
                Flavour::Imap,
                format!("imap://127.0.0.1:{}", s.imap.port),
            ),
            target(Kind::Calendar, "radicale", Flavour::Radicale, dav.clone()),
            target(Kind::Contacts, "radicale", Flavour::Radicale, dav),
            target(
                Kind::Files,
                "custom",
                Flavour::Webdav,
                format!("http://127.0.0.1:{}/dav/{{user}}/", s.files.port),
            ),
        ],
        mode: MoveMode::Own,
        drive_folder: "Google Drive".to_owned(),
    }
}

fn secrets() -> Secrets {
    let mut s = Secrets::default();
    for kind in Kind::ALL {
        s.own.insert((kind, LOGIN.to_owned()), PASSWORD.to_owned());
    }
    s
}

async fn move_all(plan: &str, spec: &MoveSpec, ledger: &Path) -> MoveReport {
    let sink = |_: Progress| {};
    run(plan, spec, &secrets(), ledger, &Options::default(), &sink)
        .await
        .unwrap_or_else(|e| panic!("the move failed: {e}"))
}

/// (moved, already there, not moved, verified found, verified missing) of a kind.
fn figures(report: &MoveReport, kind: Kind) -> (u64, u64, u64, u64, u64) {
    let k = report.people[0]
        .kinds
        .iter()
        .find(|k| k.kind == kind)
        .unwrap_or_else(|| panic!("{kind:?} is not in the report: {report:#?}"));
    let v = k.verified.as_ref().expect("read back");
    (k.moved, k.already_there, k.not_moved, v.found, v.missing)
}

/// Every folder's messages on the server, as content hashes (duplicates kept).
async fn mailbox(s: &Servers) -> HashMap<String, Vec<[u8; 32]>> {
    let server = imap_server(&format!("imap://127.0.0.1:{}", s.imap.port)).unwrap();
    let login = ImapLogin {
        user: LOGIN.to_owned(),
        password: PASSWORD.to_owned(),
        admin: None,
    };
    let mut imap = Imap::connect(&server, &login).await.expect("IMAP sign-in");
    let mut out = HashMap::new();
    for name in imap.folder_names() {
        let server_name = imap.server_name(&name);
        let hashes = imap.contents(&server_name).await.unwrap();
        out.insert(name, hashes.into_iter().map(|(h, _)| h).collect());
    }
    imap.logout().await;
    out
}

async fn inbox_flags_and_dates(s: &Servers) -> Vec<Stored> {
    let server = imap_server(&format!("imap://127.0.0.1:{}", s.imap.port)).unwrap();
    let login = ImapLogin {
        user: LOGIN.to_owned(),
        password: PASSWORD.to_owned(),
        admin: None,
    };
    let mut imap = Imap::connect(&server, &login).await.expect("IMAP sign-in");
    let out = imap.flags_and_dates("INBOX").await.unwrap();
    imap.logout().await;
    out
}

fn assert_no_duplicates(mail: &HashMap<String, Vec<[u8; 32]>>) {
    for (folder, hashes) in mail {
        let mut unique = hashes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), hashes.len(), "a message twice in {folder}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn takeout_moves_into_real_servers_and_reads_back() {
    let Some(s) = servers() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let zip = takeout(tmp.path(), 0);
    let spec = spec(&zip, &s);
    let report = move_all("plan-a", &spec, tmp.path()).await;

    // Six messages; labels become folders, so the first lands in three (Inbox, Styret,
    // "Styret, gammelt") and the second in two (Sent, Styret/2024): nine copies.
    let (moved, there, not_moved, found, missing) = figures(&report, Kind::Mail);
    assert_eq!(
        (moved, there, not_moved, found, missing),
        (9, 0, 0, 9, 0),
        "{report:#?}"
    );
    let mail = mailbox(&s).await;
    for folder in [
        "INBOX",
        "Sent",
        "Styret",
        "Styret, gammelt",
        "Styret/2024",
        "Archive",
    ] {
        assert!(
            mail.get(folder).is_some_and(|m| !m.is_empty()),
            "{folder}: {mail:?}"
        );
    }
    assert_no_duplicates(&mail);
    let on_server: usize = mail.values().map(Vec::len).sum();
    assert_eq!(on_server as u64, moved, "{mail:?}");

    // APPEND kept Google's dates and read state: every message of 2024, the opened seen.
    let stored = inbox_flags_and_dates(&s).await;
    assert!(!stored.is_empty());
    for m in &stored {
        let year = m.date.map(|d| chrono::Datelike::year(&d));
        assert_eq!(year, Some(2024), "{stored:?}");
    }
    assert!(
        stored.iter().any(|m| m.flags.iter().any(|f| f == "Seen")),
        "{stored:?}"
    );

    // Styret's four VEVENTs are three objects (a moved meeting shares its series' UID),
    // and Dugnad's first; Dugnad's second was cut off.
    assert_eq!(
        figures(&report, Kind::Calendar),
        (4, 0, 1, 4, 0),
        "{report:#?}"
    );
    assert_eq!(
        figures(&report, Kind::Contacts),
        (3, 0, 0, 3, 0),
        "{report:#?}"
    );
    assert_eq!(
        figures(&report, Kind::Files),
        (2, 0, 0, 2, 0),
        "{report:#?}"
    );
    let files = s
        .files
        .dir
        .path()
        .join("dav")
        .join(LOGIN)
        .join("Google Drive");
    assert_eq!(
        std::fs::read(files.join("Vedtekter.docx")).unwrap(),
        std::fs::read(fixture("Vedtekter.docx")).unwrap()
    );
    assert!(files.join("Styret/Referat 2024.txt").is_file());

    // The damaged calendar is named, with its reason, and nothing else is missing.
    let ledger = Ledger::open_in(tmp.path()).unwrap();
    let listed = ledger.not_moved_items("plan-a", 0, 100).unwrap();
    let cut: Vec<_> = listed
        .iter()
        .filter(|i| i.reason == Reason::CutOff)
        .collect();
    assert_eq!(cut.len(), 1, "{listed:#?}");
    assert_eq!(cut[0].kind, Kind::Calendar);
    assert_eq!(cut[0].label, "(untitled, in Dugnad.ics)", "{listed:#?}");
    assert!(
        report
            .left_in_export
            .iter()
            .any(|l| l.product == "Keep" && l.files == 1)
    );

    // A second run moves nothing again and still reads everything back.
    let again = move_all("plan-a", &spec, tmp.path()).await;
    for kind in Kind::ALL {
        let (m, t, n, f, x) = figures(&again, kind);
        let (m0, _, n0, f0, _) = figures(&report, kind);
        assert_eq!((m, t, n, f, x), (m0, 0, n0, f0, 0), "{kind:?}: {again:#?}");
    }
    assert_eq!(mailbox(&s).await, mail);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_killed_midway_resumes_and_moves_nothing_twice() {
    let Some(s) = servers() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let zip = takeout(tmp.path(), EXTRA_MAIL);
    let spec = spec(&zip, &s);
    let spec_file = tmp.path().join("spec.json");
    std::fs::write(&spec_file, serde_json::to_vec(&spec).unwrap()).unwrap();

    // The example sits beside this test's binary (cargo test builds examples).
    let exe = std::env::current_exe().unwrap();
    let child_bin = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/kill_child");
    assert!(child_bin.is_file(), "{} is not built", child_bin.display());
    let mut child = Command::new(&child_bin)
        .arg(&spec_file)
        .arg(tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        // Passwords through a pipe, never a file.
        let mut stdin = child.stdin.take().unwrap();
        for kind in Kind::ALL {
            writeln!(stdin, "{}\t{LOGIN}\t{PASSWORD}", kind.key()).unwrap();
        }
    }
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut killed = false;
    for line in lines {
        let line = line.unwrap();
        assert_ne!(line, "finished", "the move ended before it could be killed");
        let moved: u64 = line
            .strip_prefix("moved ")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if moved >= 40 {
            child.kill().unwrap(); // SIGKILL: no chance to tidy up
            killed = true;
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        killed && !status.success(),
        "the child was not killed: {status}"
    );
    let ledger = Ledger::open_in(tmp.path()).unwrap();
    let before = ledger.rows("kill", LOGIN, Kind::Mail).unwrap().len();
    assert!(
        (40..EXTRA_MAIL).contains(&before),
        "{before} messages in the ledger at the kill"
    );

    let report = move_all("kill", &spec, tmp.path()).await;
    let (moved, there, not_moved, found, missing) = figures(&report, Kind::Mail);
    assert_eq!((not_moved, missing), (0, 0), "{report:#?}");
    // Each message once: the kill may have come between APPEND and the ledger's
    // record; the server's copy is then found there, not appended again.
    let mail = mailbox(&s).await;
    assert_no_duplicates(&mail);
    let on_server: u64 = mail.values().map(|v| v.len() as u64).sum();
    assert_eq!(on_server, moved + there, "{report:#?}");
    assert_eq!(found, on_server);
    assert!(mail["INBOX"].len() > EXTRA_MAIL, "{:?}", mail.keys());
    eprintln!("killed after {before} rows; resumed: {moved} moved, {there} found there");

    // The worst case of a kill between APPEND and the ledger's record, for every item:
    // the ledger lost whole. The server's copies are recognised, none is sent again.
    let path = ledger.path().to_owned();
    drop(ledger);
    for end in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{end}", path.display()));
    }
    let fresh = move_all("kill", &spec, tmp.path()).await;
    let (moved, there, not_moved, found, missing) = figures(&fresh, Kind::Mail);
    assert_eq!((moved, not_moved, missing), (0, 0, 0), "{fresh:#?}");
    assert_eq!((there, found), (on_server, on_server), "{fresh:#?}");
    assert_eq!(mailbox(&s).await, mail);
    for kind in [Kind::Calendar, Kind::Contacts, Kind::Files] {
        let (m, _, _, _, x) = figures(&fresh, kind);
        assert_eq!((m, x), (0, 0), "{kind:?} sent again: {fresh:#?}");
    }
}
