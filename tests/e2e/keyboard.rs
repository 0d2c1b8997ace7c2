//! A workshop done with the keyboard alone, in German: Tab to move, Enter and Space
//! to act, arrow keys on the needs board. Two organisations with their tools and the
//! needs those propose, a move and a dot vote on the board, a quick switch between
//! them at the same step, projector mode, the cross-organisation view, then a
//! restart: everything is still there.

use fantoccini::key::Key;

use crate::harness::{self, App, key};

#[tokio::test(flavor = "multi_thread")]
async fn a_two_organisation_workshop_by_keyboard_alone_survives_a_restart() {
    if !harness::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    {
        let mut lib = ferry_core::Library::open_in(data.path()).unwrap();
        lib.set_app_settings(&ferry_core::settings::AppSettings {
            language: Some(ferry_core::Language::De),
        })
        .unwrap();
    }
    let app = App::launch(data.path()).await;
    assert_eq!(
        app.text("[data-testid=new-plan]").await,
        "Neuer Plan",
        "the app speaks German"
    );

    for name in ["Mieterverein Nord", "Gewerkschaft Süd"] {
        app.tab_to("new-plan").await;
        app.press(&key(Key::Enter)).await;
        app.wait_until("the name field to take the focus", || async {
            app.focused().await == "new-plan-name"
        })
        .await;
        app.press(name).await;
        app.press(&key(Key::Enter)).await;
        assert_eq!(app.text("[data-testid=plan-title]").await, name);

        // Tools today: tick Outlook with the space bar, take the proposed needs.
        app.tab_to("step-tools").await;
        app.press(&key(Key::Enter)).await;
        app.tab_to("tool-outlook").await;
        app.press(" ").await;
        app.tab_to("add-proposed").await;
        app.press(&key(Key::Enter)).await;
        app.wait_until("the proposals to be taken", || async {
            app.all("[data-testid=proposed-needs]").await.is_empty()
        })
        .await;
        app.wait_saved().await;
        app.tab_to("back-to-library").await;
        app.press(&key(Key::Enter)).await;
        app.wait_until("the library with the plan", || async {
            app.client.source().await.unwrap().contains(name)
        })
        .await;
    }

    // Open the first organisation at the board and move e-mail to Must with an arrow key.
    app.tab_to("open-plan").await;
    app.press(&key(Key::Enter)).await;
    let first = app.text("[data-testid=plan-title]").await;
    app.tab_to("step-needs").await;
    app.press(&key(Key::Enter)).await;
    app.tab_to("view-board").await;
    app.press(&key(Key::Enter)).await;
    app.tab_to("handle-email").await;
    let before = app.attr("[data-testid=card-email]", "data-testid").await;
    assert!(before.is_some());
    app.press(&key(Key::Left)).await;
    app.find("[data-testid=column-must] [data-testid=card-email]")
        .await;
    // A dot vote: start it and give e-mail two dots, all from the keyboard.
    app.tab_to("vote-start").await;
    app.press(&key(Key::Enter)).await;
    for _ in 0..2 {
        app.tab_to("dot-add-email").await;
        app.press(&key(Key::Enter)).await;
    }
    assert_eq!(
        app.attr("[data-testid=votes-email]", "data-votes")
            .await
            .as_deref(),
        Some("2")
    );
    app.wait_saved().await;

    // Quick switch to the other organisation: same step, no trip to the library.
    app.tab_to("plan-switch").await;
    app.press(&key(Key::Down)).await;
    app.wait_until("the other organisation", || async {
        let title = app.text("[data-testid=plan-title]").await;
        !title.is_empty() && title != first
    })
    .await;
    app.find("[data-testid=needs-step]").await;

    // Projector mode from the keyboard.
    app.tab_to("projector-toggle").await;
    app.press(&key(Key::Enter)).await;
    let projector = app
        .client
        .execute(
            "return document.documentElement.classList.contains('projector')",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(projector, serde_json::json!(true));
    app.screenshot("19-keyboard-projector-de").await;

    // The cross-organisation view, reached from the library.
    app.tab_to("back-to-library").await;
    app.press(&key(Key::Enter)).await;
    app.tab_to("open-cross").await;
    app.press(&key(Key::Enter)).await;
    // The view asks the engine for the organisations after it is drawn.
    app.wait_until("both organisations in the cross view", || async {
        let cross = app.text("[data-testid=cross-view]").await;
        ["Mieterverein Nord", "Gewerkschaft Süd"]
            .iter()
            .all(|name| cross.contains(name))
    })
    .await;
    app.screenshot("20-keyboard-cross-view-de").await;
    app.quit().await;

    // After a restart both organisations, their tools and the move are there.
    let lib = ferry_core::Library::open_in(data.path()).unwrap();
    let plans = lib.list(ferry_core::Shelf::Active, "").unwrap();
    assert_eq!(plans.len(), 2);
    for summary in &plans {
        let plan = lib.get(summary.id).unwrap();
        assert!(
            plan.tools.tools.iter().any(|t| t.tool == "outlook"),
            "{}",
            plan.name
        );
        let email = plan.needs.needs.iter().find(|n| n.need == "email").unwrap();
        let expected = if plan.name == first {
            ferry_core::model::Priority::Must
        } else {
            ferry_core::model::Priority::Should
        };
        assert_eq!(email.priority, expected, "{}", plan.name);
        let votes = if plan.name == first { 2 } else { 0 };
        assert_eq!(email.votes, votes, "{}", plan.name);
    }
    let app = App::launch(data.path()).await;
    assert_eq!(app.all("[data-testid=open-plan]").await.len(), 2);
    app.quit().await;
}
