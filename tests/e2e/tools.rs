//! The Tools step for an organisation on Google: Google's tools first, the common
//! others next, Microsoft's folded (it once listed every Microsoft tool for a Google
//! organisation). A Microsoft tool ticked anyway stays in view, then and after a
//! restart.

use ferry_core::model::CurrentProvider;

use crate::harness::{self, App};

/// The suites' order as the window shows them, and which are folded.
async fn suites(app: &App) -> serde_json::Value {
    app.client
        .execute(
            "return [...document.querySelectorAll('[data-testid^=suite-], [data-testid^=folded-]')] \
             .map((e) => e.dataset.testid + (e.tagName === 'DETAILS' && !e.open ? ':folded' : ''))",
            vec![],
        )
        .await
        .unwrap()
}

/// Whether a person can see the element (WebKit's WebDriver calls a box inside a
/// closed `<details>` displayed, and gives it client rects: the content is only
/// `content-visibility: hidden`, which `checkVisibility` knows).
async fn shown(app: &App, testid: &str) -> bool {
    app.client
        .execute(
            "const e = document.querySelector(`[data-testid=${arguments[0]}]`); \
             return e.checkVisibility ? e.checkVisibility() : !e.closest('details:not([open]) > :not(summary)')",
            vec![serde_json::json!(testid)],
        )
        .await
        .unwrap()
        == serde_json::json!(true)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tools_step_leads_with_the_organisations_own_provider() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Lag Vest", |plan| {
        plan.organisation.current_provider = Some(CurrentProvider::GoogleWorkspace);
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    app.find("[data-testid=tool-gmail]").await;
    app.screenshot("40-tools-google").await;
    app.wait_until("the suites in the engine's order", || async {
        suites(&app).await
            == serde_json::json!(["suite-google", "suite-other", "folded-microsoft:folded"])
    })
    .await;
    assert!(!shown(&app, "tool-teams").await, "Teams shows while folded");
    let summary = app.text("[data-testid=folded-microsoft] summary").await;
    assert!(
        summary.starts_with("Microsoft 365: not the suite"),
        "{summary}"
    );

    // Opened and ticked: the box stays where it was, with the focus.
    app.click("[data-testid=folded-microsoft] summary").await;
    app.click("[data-testid=tool-teams]").await;
    app.find("[data-testid=reach-teams]").await;
    app.wait_saved().await;
    assert_eq!(app.focused().await, "tool-teams");
    assert_eq!(
        suites(&app).await,
        serde_json::json!(["suite-google", "suite-other", "folded-microsoft"])
    );
    app.quit().await;

    // After a restart the ticked suite is open, as a suite of its own.
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    app.wait_until("Microsoft open, since Teams is ticked", || async {
        suites(&app).await == serde_json::json!(["suite-google", "suite-other", "suite-microsoft"])
    })
    .await;
    assert!(shown(&app, "tool-teams").await);
    app.quit().await;
}
