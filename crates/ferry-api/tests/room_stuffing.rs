//! Stuffing the vote from one laptop (issue #25), and what the facilitator can do
//! about it: a made-up participant field buys no new allowance, one address holds at
//! most its share of participants, a pause stops joining and proposing, joining can
//! be locked, a prankster removed with their dots, proposals set aside in bulk.

mod common;

use common::{client_from, loopback, setup};
use ferry_core::room::MAX_PARTICIPANTS_PER_ADDRESS;
use serde_json::{Value, json};

fn made_up_token() -> String {
    (0..32)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs loopback addresses beyond 127.0.0.1"
)]
async fn a_made_up_participant_field_buys_no_new_allowance() {
    let s = setup(3).await;
    let prankster = client_from(loopback(4));
    let tries = MAX_PARTICIPANTS_PER_ADDRESS + 60;
    let mut joined = 0;
    let mut codes = std::collections::BTreeMap::new();
    for _ in 0..tries {
        let body = json!({"room": s.room, "plan": s.union, "participant": made_up_token()});
        let (status, answer) = s.post_with(&prankster, "room_join", body).await;
        joined += u32::from(status == 200);
        *codes
            .entry(answer["code"].as_str().unwrap_or("ok").to_owned())
            .or_insert(0) += 1;
    }
    assert_eq!(joined, MAX_PARTICIPANTS_PER_ADDRESS, "{codes:?}");
    assert_eq!(codes.get("room.address_full"), Some(&60), "{codes:?}");
    // A made-up token on any other command is not a phone in the room.
    let body = json!({"room": s.room, "participant": made_up_token()});
    let (status, answer) = s.post_with(&prankster, "room_page", body).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("room.not_joined"))
    );
    // Someone else still joins.
    let (status, _) = s
        .post_with(
            &client_from(loopback(5)),
            "room_join",
            json!({"room": s.room, "plan": s.union}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pause_stops_joining_and_proposing_and_joining_can_be_locked() {
    let s = setup(3).await;
    let ana = s.join(s.union, None).await;
    s.facilitator("room_control", json!({"action": "pause"}))
        .await;
    let (status, err) = s
        .post("room_join", json!({"room": s.room, "plan": s.union}))
        .await;
    assert_eq!((status, err["code"].as_str()), (409, Some("room.paused")));
    let propose = json!({"room": s.room, "participant": ana, "kind": "need", "text": "a rota"});
    let (status, err) = s.post("room_propose", propose.clone()).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("room.paused")));
    s.facilitator("room_control", json!({"action": "resume"}))
        .await;

    let board = s
        .facilitator("room_control", json!({"action": "lock_joining"}))
        .await;
    assert_eq!(board["joining_locked"], true);
    assert!(
        board["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("unlock_joining"))
    );
    let (status, err) = s
        .post("room_join", json!({"room": s.room, "plan": s.union}))
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("room.joining_locked"))
    );
    let (_, page) = s.post("room_page", json!({"room": s.room})).await;
    assert_eq!(page["joining_locked"], true);
    // Those in the room go on.
    assert_eq!(s.post("room_propose", propose).await.0, 200);
    assert_eq!(s.dot(&ana, "files", true).await.0, 200);
}

fn dots_on(board: &Value, org: usize, need: &str) -> u64 {
    board["organisations"][org]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["need"] == need)
        .unwrap()["dots"]
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs loopback addresses beyond 127.0.0.1"
)]
async fn the_facilitator_removes_a_prankster_with_their_dots_and_sets_proposals_aside() {
    let s = setup(3).await;
    let ana = s.join(s.union, Some("Ana")).await;
    s.dot(&ana, "files", true).await;
    let prankster = client_from(loopback(6));
    let mut fakes = Vec::new();
    for _ in 0..5 {
        let (_, joined) = s
            .post_with(
                &prankster,
                "room_join",
                json!({"room": s.room, "plan": s.union, "name": "x"}),
            )
            .await;
        let me = joined["participant"].as_str().unwrap().to_owned();
        for _ in 0..3 {
            let dot = json!({"room": s.room, "participant": me, "need": "files", "add": true});
            assert_eq!(s.post_with(&prankster, "room_dot", dot).await.0, 200);
        }
        let spam = json!({"room": s.room, "participant": me, "kind": "note", "text": "spam"});
        assert_eq!(s.post_with(&prankster, "room_propose", spam).await.0, 200);
        fakes.push(me);
    }
    let honest = json!({"room": s.room, "participant": ana, "kind": "need", "text": "a rota"});
    s.post("room_propose", honest).await;
    let board = s.facilitator("room_board", json!({})).await;
    assert_eq!(dots_on(&board, 0, "files"), 16);
    assert_eq!(board["organisations"][0]["participants"], 6);

    // The people list says who joined from one address, never the address itself.
    let people = s.facilitator("room_people", json!({"offset": 0})).await;
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 6);
    assert_eq!(people[0]["same_address"], 4);
    assert!(!people[0].to_string().contains("127.0.0"));
    let one = people[0]["id"].as_str().unwrap();
    let board = s
        .facilitator(
            "room_remove",
            json!({"participant": one, "sameAddress": true}),
        )
        .await;
    assert_eq!(board["removed"], json!({"people": 5, "dots": 15}));
    assert_eq!(dots_on(&board, 0, "files"), 1);
    assert_eq!(board["organisations"][0]["participants"], 1);
    assert_eq!(board["organisations"][0]["dots_used"], 1);
    assert_eq!(
        board["proposal_counts"]["waiting"], 1,
        "their proposals went too"
    );
    let page = json!({"room": s.room, "participant": fakes[0]});
    let (status, err) = s.post_with(&prankster, "room_page", page).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (403, Some("room.not_joined"))
    );
    // What is saved at the end is what the board says.
    assert_eq!(s.tallies().await[s.union.to_string()]["files"], 1);

    // Many proposals set aside at once.
    let ids: Vec<Value> = board["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    let board = s
        .facilitator("room_dismiss", json!({"proposals": ids}))
        .await;
    assert_eq!(board["proposal_counts"]["waiting"], 0);
    assert_eq!(board["proposal_counts"]["dismissed"], 6);
}
