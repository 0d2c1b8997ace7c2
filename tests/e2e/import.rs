//! Start from the admin console's exports, in the real window: choose the Google user
//! list, its usage report, the group members and a file from another product; the
//! preview names the bad file and counts the rest; names appear only on request;
//! confirming fills the Tools step, the member list for single sign-on and the exit
//! plan's storage; a restart keeps all of it.

use std::path::PathBuf;

use ferry_core::{Library, Shelf};

use crate::harness::{self, App};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/ferry-import/tests/fixtures")
        .join(rel)
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_preview_then_fill_the_plan_and_survive_a_restart() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Helsefagarbeiderne", |plan| {
        plan.organisation.name = "Helsefagarbeiderne Vest".into();
    });

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    app.click("[data-testid=import-open]").await;
    app.find("[data-testid=import-dialog]").await;
    // Where each file is downloaded, before anything is chosen.
    app.click("[data-testid=import-where] summary").await;
    let wherefrom = app.text("[data-testid=import-where]").await;
    assert!(
        wherefrom.contains("Admin console › Directory › Users › Download users")
            && wherefrom.contains("admin centre › Reports › Usage")
            && wherefrom.contains("takeout.google.com"),
        "{wherefrom}"
    );
    // Nothing read yet: confirming is not possible, and says why.
    assert!(
        !app.find("#import-why")
            .await
            .text()
            .await
            .unwrap()
            .is_empty()
    );

    app.answer_open_dialog_with_files(&[
        fixture("google/users_en.csv"),
        fixture("google/user_usage_en.csv"),
        fixture("google/group_members.csv"),
        fixture("other/mailchimp_audience.csv"),
    ])
    .await;
    app.click("[data-testid=import-choose]").await;
    app.find("[data-testid=import-preview]").await;

    let problem = app.text("[data-testid=import-problem]").await;
    assert!(problem.contains("mailchimp_audience.csv"), "{problem}");
    let tools = app.text("[data-testid=import-tools]").await;
    assert!(
        tools.contains("Gmail") && tools.contains("Google Drive"),
        "{tools}"
    );
    // Counts only, until the person asks for the names.
    let preview = app.text("[data-testid=import-preview]").await;
    assert!(!preview.contains("Nordmann"), "{preview}");
    app.screenshot("30-import-preview").await;
    app.click("[data-testid=import-show-names]").await;
    app.scroll_to("[data-testid=import-groups]").await;
    app.screenshot("30-import-groups").await;
    let names = app.text("[data-testid=import-names]").await;
    assert!(names.contains("Kari Nordmann"), "{names}");

    // Ferry takes "styret" for the board; "alle" (everyone) needs no group of its own.
    assert_eq!(
        app.value("[data-testid='import-group-styret@lag.example']")
            .await,
        "board"
    );
    app.select("[data-testid='import-group-alle@lag.example']", "members")
        .await;
    app.click("[data-testid=import-confirm]").await;
    let done = app.text("[data-testid=import-done]").await;
    grammatical_counts(&done);
    app.screenshot("31-import-done").await;
    app.click("[data-testid=import-close]").await;
    app.wait_saved().await;

    // The Tools step shows what the exports said.
    assert_ne!(app.value("[data-testid=reach-gmail]").await, "");
    app.click("[data-testid=step-sso]").await;
    app.find("[data-testid=sso-members-ready]").await;
    app.click("[data-testid=step-exit]").await;
    let storage = app.value("[data-testid=storage-gb]").await;
    assert!(storage.parse::<u32>().is_ok_and(|gb| gb > 0), "{storage:?}");
    app.quit().await;

    let stored = {
        let lib = Library::open_in(data.path()).unwrap();
        let id = lib.list(Shelf::Active, "").unwrap()[0].id;
        lib.get(id).unwrap()
    };
    assert!(
        stored
            .tools
            .tools
            .iter()
            .any(|t| t.tool == "gmail" && t.reach.is_some())
    );
    assert!(
        stored
            .sso
            .members_list
            .contains("Kari Nordmann,kari@lag.example,members;board\n"),
        "{}",
        stored.sso.members_list
    );
    assert!(
        stored.sso.extra_groups.is_empty(),
        "{:?}",
        stored.sso.extra_groups
    );
    assert_eq!(
        stored.exit_plan.storage_needed_gb.map(|gb| gb.to_string()),
        Some(storage.clone())
    );

    // After a restart the window shows the same facts.
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    assert_ne!(app.value("[data-testid=reach-gmail]").await, "");
    app.click("[data-testid=step-exit]").await;
    assert_eq!(app.value("[data-testid=storage-gb]").await, storage);
    app.quit().await;
}

/// A Microsoft report is named by its name, not its message key (the wire name of
/// four Microsoft reports and Takeout once differed from the key).
#[tokio::test(flavor = "multi_thread")]
async fn a_microsoft_report_is_named_in_words() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Verein Nord", |_| {});
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    app.click("[data-testid=import-open]").await;
    app.answer_open_dialog_with_files(&[fixture("m365/mailbox_usage_en.csv")])
        .await;
    app.click("[data-testid=import-choose]").await;
    let preview = app.text("[data-testid=import-preview]").await;
    assert!(
        preview.contains("Read: mailbox usage") && !preview.contains("import."),
        "{preview}"
    );
    app.quit().await;
}

/// "1 group", "2 groups", "1 person", "3 people": every count agrees with its word.
fn grammatical_counts(text: &str) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut counted = 0;
    for pair in words.windows(2) {
        let Ok(n) = pair[0].parse::<u64>() else {
            continue;
        };
        let word = pair[1].trim_end_matches([',', '.', ')']);
        let right = match word {
            "group" | "person" => n == 1,
            "groups" | "people" => n != 1,
            _ => continue,
        };
        counted += 1;
        assert!(right, "“{n} {word}” in {text:?}");
    }
    assert!(counted >= 2, "no counts of groups and people in {text:?}");
}
