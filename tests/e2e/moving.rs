//! Moving the data in, in the real window, into real servers on loopback (Dovecot for
//! mail, Radicale for calendars and contacts, from Debian): a Takeout archive chosen,
//! the addresses the plan gives replaced by the servers' (as a person whose co-op gave
//! other addresses would), the account and its passwords typed once, one button. The
//! report shows what moved and was read back; the passwords are in no file of Ferry's;
//! moving again copies nothing.

use ferry_core::{Library, Shelf};
use ferry_move::testing::{dovecot, fixture, radicale, write_zip};

use crate::harness::{self, App};

const LOGIN: &str = "kari";
const PASSWORD: &str = "app-password-e2e-4Tz";

/// (moved, already there) per kind in the plan's last move report.
fn figures(data: &std::path::Path) -> Vec<(String, u64, u64)> {
    let lib = Library::open_in(data).unwrap();
    let summary = lib.list(Shelf::Active, "").unwrap().remove(0);
    let plan = lib.get(summary.id).unwrap();
    let report = plan.deploy.moves.last().expect("a move report in the plan");
    report.people[0]
        .kinds
        .iter()
        .map(|k| (k.kind.key().to_owned(), k.moved, k.already_there))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_takeout_moves_in_from_the_window_and_again_copies_nothing() {
    if !harness::available() {
        return;
    }
    let users = [(LOGIN, PASSWORD)];
    let (Some(imap), Some(dav)) = (dovecot(&users), radicale(&users)) else {
        return; // SKIPPED (said by ferry-move's testing) where a server is missing off CI
    };
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("takeout-20241201T090000Z-001.zip");
    let read = |name: &str| std::fs::read(fixture(name)).unwrap();
    write_zip(
        &zip,
        &[
            (
                "Takeout/Mail/All mail Including Spam and Trash.mbox",
                &read("takeout-mail.mbox"),
            ),
            ("Takeout/Calendar/Styret.ics", &read("Styret.ics")),
            (
                "Takeout/Contacts/All Contacts/All Contacts.vcf",
                &read("All Contacts.vcf"),
            ),
        ],
    );
    let data = harness::library_with_plan("Velforeningen Sør", |plan| {
        use ferry_core::model::Decision;
        for (need, recipe) in [
            ("email", "mailu"),
            ("calendar", "radicale"),
            ("contacts", "radicale"),
        ] {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: recipe.into(),
                },
            );
        }
        plan.deploy.base_domain = "velforeningen.example.no".into();
    });

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-deploy]").await;
    app.wait_until("where each kind goes", || async {
        app.all("[data-testid^=move-address-]").await.len() == 3
    })
    .await;
    let proposed = app.value("[data-testid=move-address-mail]").await;
    assert!(
        proposed.starts_with("imaps://") && proposed.contains("velforeningen.example.no"),
        "{proposed}"
    );
    let mail = format!("imap://127.0.0.1:{}", imap.port);
    let cal = format!("http://127.0.0.1:{}/", dav.port);
    app.type_into("[data-testid=move-address-mail]", &mail)
        .await;
    app.type_into("[data-testid=move-address-calendar]", &cal)
        .await;
    app.type_into("[data-testid=move-address-contacts]", &cal)
        .await;
    app.answer_open_dialog_with_files(std::slice::from_ref(&zip))
        .await;
    app.click("[data-testid=move-choose]").await;
    app.wait_until("the archive to be listed", || async {
        app.text("[data-testid=move-data]")
            .await
            .contains("takeout-20241201T090000Z-001.zip")
    })
    .await;
    app.type_into("[data-testid=move-login]", LOGIN).await;
    // Two servers (Radicale takes calendars and contacts): one password each.
    assert_eq!(app.all("[data-testid^=move-password-]").await.len(), 2);
    app.type_into("[data-testid=move-password-0]", PASSWORD)
        .await;
    app.type_into("[data-testid=move-password-1]", PASSWORD)
        .await;
    app.screenshot("40-move-ready").await;
    app.click("[data-testid=move-run]").await;
    app.wait_until("the move's report", || async {
        app.all("[data-testid^=move-row-]").await.len() == 3
    })
    .await;
    app.screenshot("41-move-report").await;
    let text = app.text("[data-testid=move-report]").await;
    assert!(text.contains("What the last move did"), "{text}");
    assert!(text.contains("Mail → Mailu"), "{text}");
    let first = figures(data.path());
    assert!(
        first.iter().all(|(_, moved, _)| *moved > 0),
        "every kind moved something: {first:?}"
    );
    assert!(
        app.text("[data-testid=move-message]").await.is_empty(),
        "no error"
    );
    // The passwords went to the keyring, not into any file (nor stayed on screen).
    assert_eq!(app.value("[data-testid=move-password-0]").await, "");
    harness::assert_nowhere(&[PASSWORD.to_owned()], &harness::files_under(data.path()));

    // Again, the password fields left empty: the keyring has them. The report counts
    // the move, not the run, so it says the same; the servers hold what they held.
    let held = || {
        (
            count(&imap.dir.path().join("mail"), |p| {
                p.contains("/cur/") || p.contains("/new/")
            }),
            count(&dav.dir.path().join("collections"), |p| {
                p.ends_with(".ics") || p.ends_with(".vcf")
            }),
        )
    };
    let before = held();
    assert!(before.0 > 0 && before.1 > 0, "{before:?}");
    app.click("[data-testid=move-run]").await;
    app.wait_until("the second run's report in the plan", || async {
        moves(data.path()) == 2
    })
    .await;
    assert_eq!(figures(data.path()), first);
    assert_eq!(
        held(),
        before,
        "(mail, calendars and contacts) on the servers"
    );
    assert!(
        app.text("[data-testid=move-message]").await.is_empty(),
        "no error the second time"
    );
}

fn moves(data: &std::path::Path) -> usize {
    let lib = Library::open_in(data).unwrap();
    let summary = lib.list(Shelf::Active, "").unwrap().remove(0);
    lib.get(summary.id).unwrap().deploy.moves.len()
}

/// Files under `dir` whose path passes `keep` (messages, events and contacts, not
/// the servers' own index files, which change when read).
fn count(dir: &std::path::Path, keep: impl Fn(&str) -> bool) -> usize {
    harness::files_under(dir)
        .iter()
        .filter(|p| keep(&p.to_string_lossy()))
        .count()
}

/// The administrator's move from the window: a Workspace admin export (a folder per
/// person, named by their address) into each person's own mailbox on a real Dovecot,
/// signed in once as its master user. The calendar's server (Radicale) has no
/// administrator's sign-in: the card says so and leaves it out, rather than failing.
#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_moves_everyones_mail_from_the_window() {
    if !harness::available() {
        return;
    }
    const PEOPLE: [(&str, &str, &str); 2] = [
        ("kari@lag.example.no", "kari", "kari-app-pass-1"),
        ("ola@lag.example.no", "ola", "ola-app-pass-2"),
    ];
    let users: Vec<(&str, &str)> = PEOPLE.iter().map(|(_, l, p)| (*l, *p)).collect();
    let Some(imap) = dovecot(&users) else {
        return; // SKIPPED (said by ferry-move's testing) where Dovecot is missing off CI
    };
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let read = |name: &str| std::fs::read(fixture(name)).unwrap();
    for (address, _, _) in PEOPLE {
        let folder = export.join(address);
        std::fs::create_dir_all(&folder).unwrap();
        write_zip(
            &folder.join("takeout-20240115T101500Z-001.zip"),
            &[
                (
                    "Takeout/Mail/All mail Including Spam and Trash.mbox",
                    &read("takeout-mail.mbox"),
                ),
                ("Takeout/Calendar/Styret.ics", &read("Styret.ics")),
            ],
        );
    }
    let data = harness::library_with_plan("Lag Nord", |plan| {
        use ferry_core::model::Decision;
        for (need, recipe) in [("email", "mailu"), ("calendar", "radicale")] {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: recipe.into(),
                },
            );
        }
        plan.deploy.base_domain = "lag.example.no".into();
    });

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-deploy]").await;
    app.wait_until("where each kind goes", || async {
        app.all("[data-testid^=move-address-]").await.len() == 2
    })
    .await;
    app.click("[data-testid=move-mode-admin]").await;
    let note = app.text("[data-testid=move-not-admin-calendar]").await;
    assert!(note.contains("no administrator's sign-in"), "{note}");
    let mail = format!("imap://127.0.0.1:{}", imap.port);
    app.type_into("[data-testid=move-address-mail]", &mail)
        .await;
    app.answer_open_dialog_with(&export).await;
    app.click("[data-testid=move-choose-folder]").await;
    // The engine reads the export: one account per folder, the folder's name first.
    app.wait_until("the export's people", || async {
        app.all("[data-testid^=move-account-]").await.len() == 2
    })
    .await;
    for (address, login, _) in PEOPLE {
        let css = format!("[data-testid='move-account-{address}']");
        assert_eq!(app.value(&css).await, address);
        app.type_into(&css, login).await;
    }
    // One server takes the administrator's sign-in: mail.
    assert_eq!(app.all("[data-testid^=move-password-]").await.len(), 1);
    app.type_into("[data-testid=move-admin-0]", "admin").await;
    app.type_into("[data-testid=move-password-0]", "master")
        .await;
    app.screenshot("42-move-everyone").await;
    app.click("[data-testid=move-run]").await;
    app.wait_until("the move's report, a row per person", || async {
        app.all("[data-testid=move-row-mail]").await.len() == 2
    })
    .await;
    assert!(
        app.text("[data-testid=move-message]").await.is_empty(),
        "no error"
    );
    let lib = Library::open_in(data.path()).unwrap();
    let summary = lib.list(Shelf::Active, "").unwrap().remove(0);
    let plan = lib.get(summary.id).unwrap();
    let report = plan.deploy.moves.last().expect("a move report in the plan");
    assert_eq!(report.mode, ferry_core::moves::MoveMode::Admin);
    for (_, login, _) in PEOPLE {
        let person = report.people.iter().find(|p| p.login == login).unwrap();
        assert_eq!(person.kinds.len(), 1, "mail only: {person:?}");
        let moved = person.kinds[0].moved;
        assert!(moved > 0, "{login}: {person:?}");
        // In that person's own mailbox (Dovecot keeps each user's Maildir apart).
        let held = count(&imap.dir.path().join("mail").join(login), |p| {
            p.contains("/cur/") || p.contains("/new/")
        });
        assert_eq!(held as u64, moved, "{login}");
    }
}
