//! One evening's work, as a volunteer would do it: from an empty library to a saved
//! exit-plan PDF with the keyboard alone and the Next buttons, with a mistake in a
//! field on the way (corrected after Ferry names it), single sign-on skipped for the
//! hosting co-op to do. The PDF is read back; the library holds every answer.

use fantoccini::key::Key;
use ferry_core::{Library, Shelf};

use crate::harness::{self, App, key};

impl App {
    /// Tabs to the Next button and presses it; waits for the step `next` to show.
    async fn next_step(&self, next: &str) {
        self.tab_to("step-next").await;
        self.press(&key(Key::Enter)).await;
        self.find(&format!("[data-testid={next}]")).await;
    }

    /// The `data-testid` of the first element whose testid starts with `prefix`.
    async fn first_testid(&self, prefix: &str) -> String {
        self.client
            .execute(
                "return document.querySelector(`[data-testid^='${arguments[0]}']`).dataset.testid",
                vec![serde_json::json!(prefix)],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evening_from_an_empty_library_to_the_exit_plan_pdf_by_keyboard() {
    if !harness::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("exit-plan.pdf");
    let app = App::launch(data.path()).await;

    // A new plan.
    app.tab_to("new-plan").await;
    app.press(&key(Key::Enter)).await;
    app.wait_until("the name field to take the focus", || async {
        app.focused().await == "new-plan-name"
    })
    .await;
    app.press("Helsefagarbeiderne").await;
    app.press(&key(Key::Enter)).await;
    app.find("[data-testid=organisation-form]").await;

    // Organisation, with a slip of the finger in the member count.
    app.tab_to("org-name").await;
    app.press("Helsefagarbeiderne Vest").await;
    app.tab_to("org-members").await;
    app.press("-60").await;
    app.press(&key(Key::Tab)).await;
    // Named once the field is left, in words that say what is wrong.
    let problem = app.text("[data-testid=org-members-problem]").await;
    let negative = ferry_core::messages::text(ferry_core::Language::En, "problem.negative", &[]);
    assert!(problem.contains(&negative), "{problem}");
    // Back to it with Shift+Tab, as a person would.
    app.press(&format!(
        "{}{}{}",
        key(Key::Shift),
        key(Key::Tab),
        key(Key::Null)
    ))
    .await;
    assert_eq!(app.focused().await, "org-members");
    app.press(&format!("{}60", key(Key::Backspace).repeat(3)))
        .await;
    app.press(&key(Key::Tab)).await;
    app.wait_until("the count to be accepted", || async {
        app.all("[data-testid=org-members-problem]")
            .await
            .is_empty()
    })
    .await;

    // Tools today: Gmail and Google Drive, ticked with the space bar.
    app.next_step("tools-step").await;
    for tool in ["tool-gmail", "tool-google_drive"] {
        app.tab_to(tool).await;
        app.press(" ").await;
    }

    // Needs: e-mail and files.
    app.next_step("needs-step").await;
    for need in ["need-email", "need-files"] {
        app.tab_to(need).await;
        app.press(" ").await;
    }

    // Apps: the first option offered for each need.
    app.next_step("need-card-email").await;
    for need in ["email", "files"] {
        let first = app.first_testid(&format!("choose-{need}-")).await;
        app.tab_to(&first).await;
        app.press(" ").await;
    }

    // Single sign-on: no provider yet; the co-op will do it.
    app.next_step("coop-request").await;
    app.tab_to("request-skip").await;
    app.press(&key(Key::Enter)).await;
    app.find("[data-testid=exit-step]").await;

    // Exit plan: Ferry's first answers, then the PDF.
    app.tab_to("exit-suggest").await;
    app.press(&key(Key::Enter)).await;
    app.wait_saved().await;
    app.answer_save_dialog_with(&pdf).await;
    app.tab_to("export-pdf").await;
    app.press(&key(Key::Enter)).await;
    app.find("[data-testid=open-exported]").await;
    app.quit().await;

    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(text.contains("Helsefagarbeiderne Vest"), "{text}");
    assert!(text.contains("Gmail"), "{text}");

    let lib = Library::open_in(data.path()).unwrap();
    let id = lib.list(Shelf::Active, "").unwrap()[0].id;
    let plan = lib.get(id).unwrap();
    assert_eq!(plan.organisation.members, Some(60));
    let tools: Vec<&str> = plan.tools.tools.iter().map(|t| t.tool.as_str()).collect();
    assert_eq!(tools, ["gmail", "google_drive"]);
    let needs: Vec<&str> = plan.needs.needs.iter().map(|n| n.need.as_str()).collect();
    assert_eq!(needs, ["email", "files"]);
    assert_eq!(ferry_core::exit::chosen_apps(&plan).len(), 2);
    assert!(
        !plan.exit_plan.triggers.is_empty(),
        "the exit plan has its first answers"
    );
}
