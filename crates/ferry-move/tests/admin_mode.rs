//! The administrator's move: a Workspace admin export (one folder per person, named by
//! their address) carried into each person's own mailbox on a real Dovecot, signed in
//! once as its master user — no person's password needed. A wrong master password
//! is refused in words and moves nothing; a server kind with no admin sign-in
//! (CalDAV on Radicale) is named, not attempted with someone else's account.

use std::path::Path;

use ferry_move::plan::{Flavour, MoveSpec, PersonSpec, TargetSpec, imap_server};
use ferry_move::run::{Options, Secrets, run};
use ferry_move::target::imap::{Imap, ImapLogin};
use ferry_move::testing::{dovecot, fixture, radicale, write_zip};
use ferry_move::{Kind, MoveError, MoveMode, Progress, SourceSpec};

const PEOPLE: [(&str, &str, &str); 2] = [
    ("kari@lag.example.no", "kari", "kari-app-pass-1"),
    ("ola@lag.example.no", "ola", "ola-app-pass-2"),
];
/// Dovecot's master user in ferry_move::testing.
const MASTER: (&str, &str) = ("admin", "master");

/// The admin export: a folder per person, each holding that person's Takeout part.
fn admin_export(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("export");
    let mail = std::fs::read(fixture("takeout-mail.mbox")).unwrap();
    for (address, _, _) in PEOPLE {
        let folder = root.join(address);
        std::fs::create_dir_all(&folder).unwrap();
        write_zip(
            &folder.join("takeout-20240115T101500Z-001.zip"),
            &[("Takeout/Mail/All mail Including Spam and Trash.mbox", &mail)],
        );
    }
    root
}

fn spec(export: &Path, kind: Kind, flavour: Flavour, url: String) -> MoveSpec {
    MoveSpec {
        sources: vec![SourceSpec {
            path: export.to_owned(),
            person: None,
        }],
        people: PEOPLE
            .iter()
            .map(|(address, login, _)| PersonSpec {
                source: (*address).to_owned(),
                login: (*login).to_owned(),
            })
            .collect(),
        targets: vec![TargetSpec {
            kind,
            app: "custom".to_owned(),
            flavour,
            url,
        }],
        mode: MoveMode::Admin,
        drive_folder: "Google Drive".to_owned(),
    }
}

fn admin_secrets(kind: Kind, password: &str) -> Secrets {
    let mut s = Secrets::default();
    s.admin
        .insert(kind, (MASTER.0.to_owned(), password.to_owned()));
    s
}

/// Messages in every folder of `login`'s own mailbox, signed in as that person.
async fn messages_of(port: u16, login: &str, password: &str) -> usize {
    let server = imap_server(&format!("imap://127.0.0.1:{port}")).unwrap();
    let who = ImapLogin {
        user: login.to_owned(),
        password: password.to_owned(),
        admin: None,
    };
    let mut imap = Imap::connect(&server, &who).await.expect("IMAP sign-in");
    let mut n = 0;
    for name in imap.folder_names() {
        let server_name = imap.server_name(&name);
        n += imap.contents(&server_name).await.unwrap().len();
    }
    imap.logout().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_moves_everyones_mail_with_the_master_user() {
    let users: Vec<(&str, &str)> = PEOPLE.iter().map(|(_, l, p)| (*l, *p)).collect();
    let Some(imap) = dovecot(&users) else {
        return; // SKIPPED (said by ferry_move::testing) where Dovecot is missing off CI
    };
    let dir = tempfile::tempdir().unwrap();
    let export = admin_export(dir.path());
    let url = format!("imap://127.0.0.1:{}", imap.port);
    let spec = spec(&export, Kind::Mail, Flavour::Imap, url);
    let sink = |_: Progress| {};

    // No administrator's sign-in kept at all: named as that (not as a person's
    // missing password), nothing tried.
    let none = run(
        "plan-admin",
        &spec,
        &Secrets::default(),
        &dir.path().join("ledger-none"),
        &Options::default(),
        &sink,
    )
    .await;
    assert!(
        matches!(none, Err(MoveError::NoAdminCredentials { .. })),
        "{none:?}"
    );

    // A wrong master password: refused in words, nothing lands in anyone's mailbox.
    let wrong = run(
        "plan-admin",
        &spec,
        &admin_secrets(Kind::Mail, "not-the-master"),
        &dir.path().join("ledger-wrong"),
        &Options::default(),
        &sink,
    )
    .await;
    assert!(matches!(wrong, Err(MoveError::SignIn { .. })), "{wrong:?}");
    for (_, login, password) in PEOPLE {
        assert_eq!(messages_of(imap.port, login, password).await, 0, "{login}");
    }

    let ledger = dir.path().join("ledger");
    let report = run(
        "plan-admin",
        &spec,
        &admin_secrets(Kind::Mail, MASTER.1),
        &ledger,
        &Options::default(),
        &sink,
    )
    .await
    .unwrap_or_else(|e| panic!("the admin move failed: {e}\n{}", imap.log()));
    assert_eq!(report.mode, MoveMode::Admin);
    assert_eq!(report.people.len(), 2, "{report:#?}");
    for (_, login, password) in PEOPLE {
        let person = report
            .people
            .iter()
            .find(|p| p.login == login)
            .unwrap_or_else(|| panic!("{login} not in {report:#?}"));
        let mail = &person.kinds[0];
        assert!(mail.moved > 0, "{login}: {mail:?}");
        let read_back = mail.verified.as_ref().expect("read back");
        assert_eq!(read_back.missing, 0, "{login}: {mail:?}");
        // In the person's own mailbox, as they see it when they sign in themselves.
        let held = messages_of(imap.port, login, password).await;
        assert_eq!(held as u64, mail.moved + mail.already_there, "{login}");
    }

    // Again: everything is already there, nothing is sent twice.
    let again = run(
        "plan-admin",
        &spec,
        &admin_secrets(Kind::Mail, MASTER.1),
        &ledger,
        &Options::default(),
        &sink,
    )
    .await
    .unwrap();
    for (_, login, password) in PEOPLE {
        let first = report.people.iter().find(|p| p.login == login).unwrap();
        let second = again.people.iter().find(|p| p.login == login).unwrap();
        assert_eq!(
            first.kinds[0].moved + first.kinds[0].already_there,
            second.kinds[0].moved + second.kinds[0].already_there,
            "{login}"
        );
        let held = messages_of(imap.port, login, password).await as u64;
        assert_eq!(held, first.kinds[0].moved + first.kinds[0].already_there);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_an_admin_sign_in_is_named_not_tried() {
    let users: Vec<(&str, &str)> = PEOPLE.iter().map(|(_, l, p)| (*l, *p)).collect();
    let Some(dav) = radicale(&users) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let ics = std::fs::read(fixture("Styret.ics")).unwrap();
    for (address, _, _) in PEOPLE {
        let folder = export.join(address);
        std::fs::create_dir_all(&folder).unwrap();
        write_zip(
            &folder.join("takeout-20240115T101500Z-001.zip"),
            &[("Takeout/Calendar/Styret.ics", &ics)],
        );
    }
    let url = format!("http://127.0.0.1:{}/", dav.port);
    let spec = spec(&export, Kind::Calendar, Flavour::Radicale, url);
    let got = run(
        "plan-admin-dav",
        &spec,
        &admin_secrets(Kind::Calendar, "whatever"),
        &dir.path().join("ledger"),
        &Options::default(),
        &|_: Progress| {},
    )
    .await;
    assert!(matches!(got, Err(MoveError::NoAdminMode { .. })), "{got:?}");
}
