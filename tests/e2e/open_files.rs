//! Plan files handed to a second `ferry` (a double-click, `ferry plan.ferry.json`) go to
//! the window already running: imported as a new plan and opened, and a broken file
//! shows the same error as the Import button. The second start exits at once.

use std::path::Path;

use ferry_core::{Library, Shelf};

use crate::harness::{self, App};

/// Starts the app binary a second time with `file`, as the desktop does, and waits for it.
async fn second_start(data: &Path, file: &Path) {
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_ferry-app"))
        .arg(file)
        .env("FERRY_DATA_DIR", data)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(harness::TIMEOUT, run)
        .await
        .expect("the second start did not hand over and exit")
        .unwrap();
    assert!(
        out.status.success(),
        "second start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_file_given_to_a_second_start_opens_in_the_running_window() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Existing plan", |_| {});
    let other = harness::library_with_plan("Handed over", |_| {});
    let file = other.path().join("Handed over.ferry.json");
    let lib = Library::open_in(other.path()).unwrap();
    lib.export_to(lib.list(Shelf::Active, "").unwrap()[0].id, &file)
        .unwrap();
    let broken = other.path().join("broken.ferry.json");
    std::fs::write(
        &broken,
        "{\"format\": \"ferry-plan\", \"plan\": {\"name\": ",
    )
    .unwrap();

    let app = App::launch(data.path()).await;
    assert_eq!(app.all("[data-testid=plan-row]").await.len(), 1);

    second_start(data.path(), &file).await;
    app.wait_until("the handed-over plan to open", || async {
        app.text("[data-testid=plan-title]").await == "Handed over"
    })
    .await;
    let notice = app.text("[data-testid=notice]").await;
    assert!(notice.contains("imported as a new plan"), "{notice}");
    app.screenshot("open-file-second-start").await;

    second_start(data.path(), &broken).await;
    app.wait_until("the error for the broken file", || async {
        let mut texts = Vec::new();
        for n in app.all("[data-testid=notice]").await {
            texts.push(n.text().await.unwrap_or_default());
        }
        texts
            .iter()
            .any(|t| t.contains("could not be imported") && t.contains("line 1"))
    })
    .await;
    app.quit().await;

    let mut names: Vec<_> = Library::open_in(data.path())
        .unwrap()
        .list(Shelf::Active, "")
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.sort();
    assert_eq!(names, ["Existing plan", "Handed over"]);
}
