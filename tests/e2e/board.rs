//! The needs board for a room: cards moved by keyboard, dot votes whose clearing and
//! ending can be taken back, and a projector view that shows a long column at once.

use ferry_core::model::{NeedEntry, Priority};
use ferry_core::{Library, Shelf};

use crate::harness::{self, App};

/// The needs board: a card moved by keyboard, a dot vote, and both survive a restart.
#[tokio::test(flavor = "multi_thread")]
async fn needs_are_prioritised_on_the_board_by_keyboard_and_dot_vote() {
    if !harness::available() {
        return;
    }
    use fantoccini::key::Key;
    let data = harness::library_with_plan("Helsefagarbeidere Vest", |plan| {
        for need in ["email", "files", "video_meetings"] {
            plan.needs.needs.push(NeedEntry {
                need: need.into(),
                priority: Priority::Should,
                notes: String::new(),
                who: String::new(),
                votes: 0,
            });
        }
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-needs]").await;
    app.click("[data-testid=view-board]").await;
    app.find("[data-testid=column-should] [data-testid=card-files]")
        .await;
    // Keyboard only: files to Must, then video meetings up above e-mail.
    app.find("[data-testid=handle-files]")
        .await
        .send_keys(&String::from(char::from(Key::Left)))
        .await
        .unwrap();
    app.find("[data-testid=column-must] [data-testid=card-files]")
        .await;
    app.find("[data-testid=handle-video_meetings]")
        .await
        .send_keys(&String::from(char::from(Key::Up)))
        .await
        .unwrap();
    // The move is announced to screen readers (the region is visually hidden).
    let announcement = app
        .find("[data-testid=board-announcement]")
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(announcement.contains("Video meetings"), "{announcement:?}");

    // 999 dots each is more than a vote can take: the engine refuses it beside the
    // vote, and nothing starts.
    app.type_into("[data-testid=vote-dots]", "999").await;
    app.click("[data-testid=vote-start]").await;
    let problem = app.text("[data-testid=vote-problem]").await;
    assert!(
        problem.contains("1 to 500 people with 1 to 20 dots"),
        "{problem}"
    );
    assert!(app.all("[data-testid=dots-left]").await.is_empty());
    app.type_into("[data-testid=vote-dots]", "3").await;
    app.click("[data-testid=vote-start]").await;
    app.wait_until("the vote to be accepted", || async {
        app.all("[data-testid=vote-problem]").await.is_empty()
    })
    .await;
    for _ in 0..3 {
        app.click("[data-testid=dot-add-email]").await;
    }
    app.text_containing("[data-testid=dots-left]", "21 dots left of 24")
        .await;
    let votes = || async { app.attr("[data-testid=votes-email]", "data-votes").await };

    // Clearing every dot, and ending the vote, can each be taken back.
    app.click("[data-testid=vote-reset]").await;
    wait_votes(&app, "0").await;
    app.click("[data-testid=vote-undo]").await;
    wait_votes(&app, "3").await;
    app.click("[data-testid=vote-end]").await;
    app.find("[data-testid=vote-result]").await;
    assert!(
        app.all("[data-testid=dots-left]").await.is_empty(),
        "voting stopped"
    );
    assert_eq!(
        votes().await.as_deref(),
        Some("3"),
        "the result stays on the card"
    );
    app.click("[data-testid=vote-undo]").await;
    app.text_containing("[data-testid=dots-left]", "21 dots left of 24")
        .await;
    app.wait_saved().await;
    app.screenshot("13-needs-board").await;

    // Projector mode: large type, admin controls hidden, and back.
    app.click("[data-testid=projector-toggle]").await;
    let size = app
        .client
        .execute(
            "return getComputedStyle(document.documentElement).fontSize",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(size, serde_json::json!("24px"));
    let shown = app
        .client
        .execute(
            "return getComputedStyle(document.querySelector('[data-testid=save-state]')).display",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown,
        serde_json::json!("none"),
        "the save indicator is admin chrome"
    );
    app.screenshot("14-projector").await;
    app.click("[data-testid=projector-toggle]").await;
    app.quit().await;

    let lib = Library::open_in(data.path()).unwrap();
    let id = lib.list(Shelf::Active, "").unwrap()[0].id;
    let plan = lib.get(id).unwrap();
    let order: Vec<(&str, Priority, u32)> = plan
        .needs
        .needs
        .iter()
        .map(|n| (n.need.as_str(), n.priority, n.votes))
        .collect();
    use Priority::{Must, Should};
    assert_eq!(
        order,
        [
            ("video_meetings", Should, 0),
            ("email", Should, 3),
            ("files", Must, 0)
        ]
    );
    assert_eq!(plan.needs.vote_total(), Some(24));
}

/// Nine needs in one column, on a 1280×720 projector: the board comes first and every
/// card of the column is in view at once; no need's name is broken inside a word.
#[tokio::test(flavor = "multi_thread")]
async fn a_long_column_fits_a_projector() {
    if !harness::available() {
        return;
    }
    let needs = [
        "email",
        "files",
        "video_meetings",
        "calendar",
        "team_chat",
        "documents",
        "forms",
        "scheduling_polls",
        "mailing_lists",
    ];
    let data = harness::library_with_plan("Pasientforeningen", |plan| {
        for need in needs {
            plan.needs.needs.push(NeedEntry {
                need: need.into(),
                priority: Priority::Must,
                notes: String::new(),
                who: String::new(),
                votes: 2,
            });
        }
        plan.needs.vote = Some(ferry_core::model::Vote::Open {
            participants: 12,
            dots_each: 3,
        });
    });
    let app = App::launch(data.path()).await;
    app.client.set_window_size(1280, 720).await.unwrap();
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-needs]").await;
    app.click("[data-testid=view-board]").await;
    app.click("[data-testid=projector-toggle]").await;
    app.scroll_to_top("[data-testid=column-must]").await;
    app.screenshot("15-board-projector").await;
    let fit: serde_json::Value = app
        .client
        .execute(
            r#"
            const col = document.querySelector('[data-testid=column-must]');
            const cards = [...col.querySelectorAll('.card')];
            const board = document.querySelector('.board').getBoundingClientRect();
            const vote = document.querySelector('.vote').getBoundingClientRect();
            const names = cards.map((c) => c.querySelector('strong'));
            // A name broken inside a word wraps to more lines than it has words.
            const broken = names.filter((n) => {
                const lines = Math.round(n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight));
                return lines > n.textContent.trim().split(/[\s-]+/).length;
            }).map((n) => n.textContent);
            return {
                cards: cards.length,
                last_bottom: cards[cards.length - 1].getBoundingClientRect().bottom,
                height: window.innerHeight,
                board_first: board.top < vote.top,
                broken,
            };
            "#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fit["cards"], 9, "{fit}");
    assert!(
        fit["last_bottom"].as_f64().unwrap() <= fit["height"].as_f64().unwrap(),
        "the ninth card is below the screen: {fit}"
    );
    assert_eq!(fit["board_first"], true, "{fit}");
    assert_eq!(fit["broken"], serde_json::json!([]), "{fit}");
    app.quit().await;
}

/// Waits until the e-mail card shows `want` dots.
async fn wait_votes(app: &App, want: &str) {
    app.wait_until("the dots on the card", || async {
        app.attr("[data-testid=votes-email]", "data-votes")
            .await
            .as_deref()
            == Some(want)
    })
    .await;
}
