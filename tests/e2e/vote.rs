//! The dot vote's life in the real window (issue #26, 1): ending a vote leaves a plan
//! the engine accepts — no warning, the step done, no question when moving on — and a
//! workshop room opened from the library adds the phones' dots to those placed at
//! the desk, saying so before it saves.

use ferry_core::model::{NeedEntry, Priority, Vote};
use ferry_core::{Library, Shelf};
use serde_json::{Value, json};

use crate::harness::{self, App};

fn card(need: &str) -> NeedEntry {
    NeedEntry {
        need: need.into(),
        priority: Priority::Must,
        notes: String::new(),
        who: String::new(),
        votes: 0,
    }
}

/// A phone: a command to the room over its own HTTP server.
async fn phone(url: &str, command: &str, args: Value) -> Value {
    let answer = reqwest::Client::new()
        .post(format!("{url}api/{command}"))
        .json(&args)
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "{command}: {}",
        answer.status()
    );
    answer.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn ending_a_vote_leaves_a_valid_plan_and_the_rooms_dots_add_to_the_desks() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Fagforbundet Bergen", |plan| {
        plan.needs.needs = vec![card("email"), card("files"), card("video_meetings")];
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-needs]").await;
    app.click("[data-testid=view-board]").await;
    app.type_into("[data-testid=vote-participants]", "3").await;
    app.type_into("[data-testid=vote-dots]", "3").await;
    app.click("[data-testid=vote-start]").await;
    for n in 1..=3 {
        app.click("[data-testid=dot-add-email]").await;
        let want = n.to_string();
        app.wait_until("the dot on the card", || async {
            app.attr("[data-testid=votes-email]", "data-votes")
                .await
                .as_deref()
                == Some(want.as_str())
        })
        .await;
    }
    app.click("[data-testid=vote-end]").await;
    app.text_containing("[data-testid=vote-result]", "3 dots from 3 people")
        .await;
    app.wait_saved().await;
    assert!(
        app.all("[data-testid=vote-problem]").await.is_empty(),
        "no warning after ending a vote"
    );
    app.wait_until("the needs step to be done", || async {
        app.attr("[data-testid=step-needs]", "data-status")
            .await
            .as_deref()
            == Some("done")
    })
    .await;
    app.screenshot("vote-ended").await;
    // Moving on asks nothing: there is nothing to fix.
    app.click("[data-testid=step-next]").await;
    app.find("[data-testid=recipes-step]").await;
    assert!(app.all("[data-testid=leave-dialog]").await.is_empty());

    // A room from the library; one phone places two dots on e-mail.
    app.click("[data-testid=back-to-library]").await;
    app.click("[data-testid=open-room]").await;
    app.find("[data-testid=room-interface] option[value='127.0.0.1']")
        .await;
    app.select("[data-testid=room-interface]", "127.0.0.1")
        .await;
    app.click("[data-testid=room-open]").await;
    let url = app.text("[data-testid=room-url]").await;
    let room = url.trim_end_matches('/').rsplit('/').next().unwrap();
    let plan_id = {
        let lib = Library::open_in(data.path()).unwrap();
        lib.list(Shelf::Active, "").unwrap()[0].id
    };
    let joined = phone(
        &url,
        "room_join",
        json!({"room": room, "plan": plan_id, "name": "Ana"}),
    )
    .await;
    let me = joined["participant"].as_str().unwrap();
    for _ in 0..2 {
        phone(
            &url,
            "room_dot",
            json!({"room": room, "participant": me, "need": "email", "add": true}),
        )
        .await;
    }
    app.wait_until("the projector's tally", || async {
        app.attr("[data-testid=room-tally-email]", "data-dots")
            .await
            .as_deref()
            == Some("2")
    })
    .await;

    // Ending says what happens to the three dots placed at the desk: they stay.
    app.click("[data-testid=room-end]").await;
    let desk = app.text("[data-testid=room-end-desk]").await;
    assert!(desk.contains("Fagforbundet Bergen, 3 dots"), "{desk}");
    let add = app
        .find("[data-testid=room-merge-add]")
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(add.as_deref(), Some("true"), "adding is the default");
    app.screenshot("room-end-dialog").await;
    app.click("[data-testid=room-end-confirm]").await;
    app.find("[data-testid=room-saved]").await;
    app.quit().await;

    let lib = Library::open_in(data.path()).unwrap();
    let plan = lib.get(plan_id).unwrap();
    assert_eq!(plan.check(), Ok(()));
    let email = plan.needs.needs.iter().find(|n| n.need == "email").unwrap();
    assert_eq!(email.votes, 5, "3 from the desk and 2 from the phone");
    assert!(matches!(plan.needs.vote, Some(Vote::Ended { ref rounds }) if rounds.len() == 2));
}
