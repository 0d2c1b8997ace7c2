//! The projector's board stays the same size however full the room gets (issue
//! #25): counts and the first page of waiting proposals; the facilitator pages
//! through the rest and through the people.

mod common;

use std::collections::BTreeSet;

use common::setup;
use ferry_api::Host;
use ferry_core::room::{PEOPLE_SHOWN, PROPOSALS_SHOWN, ProposalKind};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_board_shows_counts_and_a_page_of_proposals_and_the_rest_is_paged() {
    let s = setup(3).await;
    let (people, each) = (120u32, 2u32);
    s.host
        .with_library(|lib| {
            let room = lib.room_current().unwrap().unwrap().id;
            for i in 0..people {
                let plan = if i % 3 == 0 { s.patients } else { s.union };
                let address = format!("192.0.2.{}", i % 4);
                let who = lib
                    .room_join(&room, &format!("t{i}"), plan, Some("P"), &address)
                    .unwrap();
                for k in 0..each {
                    lib.room_propose(&who, ProposalKind::Need, &format!("need {i}/{k}"))
                        .unwrap();
                }
            }
            Ok(())
        })
        .unwrap();
    let board = s.facilitator("room_board", json!({})).await;
    let shown = board["proposals"].as_array().unwrap();
    assert_eq!(shown.len() as u32, PROPOSALS_SHOWN);
    assert_eq!(shown[0]["text"], "need 0/0", "oldest first");
    assert_eq!(board["proposal_counts"]["waiting"], people * each);
    assert_eq!(board["organisations"][0]["participants"], 80);
    assert_eq!(board["organisations"][1]["participants"], 40);
    assert!(board.to_string().len() < 100_000);

    let mut seen = BTreeSet::new();
    for offset in (0..people * each).step_by(PROPOSALS_SHOWN as usize) {
        let page = s
            .facilitator("room_proposals", json!({"offset": offset}))
            .await;
        for p in page.as_array().unwrap() {
            assert!(seen.insert(p["id"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(seen.len() as u32, people * each);

    let first = s.facilitator("room_people", json!({"offset": 0})).await;
    assert_eq!(first.as_array().unwrap().len() as u32, PEOPLE_SHOWN);
    assert_eq!(first[0]["proposals"], each);
    assert_eq!(first[0]["same_address"], people / 4 - 1);
    let last = s
        .facilitator("room_people", json!({"offset": people - 10}))
        .await;
    assert_eq!(last.as_array().unwrap().len(), 10);
}
