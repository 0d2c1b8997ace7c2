//! The workshop room over real HTTP on loopback: phones join by the room's address,
//! propose and vote; bad input of every kind is refused with a code and stores nothing.

mod common;

use common::setup;
use ferry_api::{Host, dispatch};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread")]
async fn phones_join_vote_and_propose_and_see_only_their_own_organisation() {
    let s = setup(3).await;
    let ana = s.join(s.union, Some("Ana")).await;
    let cy = s.join(s.patients, None).await;

    let (status, page) = s.dot(&ana, "video_meetings", true).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["me"]["dots_left"], 2);
    s.dot(&ana, "video_meetings", true).await;
    s.dot(&ana, "files", true).await;
    let (status, err) = s.dot(&ana, "files", true).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("room.no_dots_left"))
    );
    s.dot(&cy, "email", true).await;

    let (status, page) = s
        .post("room_propose", json!({"room": s.room, "participant": ana, "kind": "note", "text": "we use WhatsApp for the board"}))
        .await;
    assert_eq!(status, 200, "{page}");
    // Ana sees her organisation's cards and her proposal; nothing of the patient group.
    let text = page.to_string();
    assert!(text.contains("video_meetings") && text.contains("WhatsApp"));
    assert!(!text.contains("\"email\""), "{text}");
    let (_, cy_page) = s
        .post("room_page", json!({"room": s.room, "participant": cy}))
        .await;
    let cy_text = cy_page.to_string();
    assert!(
        !cy_text.contains("WhatsApp") && !cy_text.contains("video_meetings"),
        "{cy_text}"
    );
    assert_eq!(cy_page["me"]["cards"][0]["total"], 1);

    let board = dispatch(&s.host, "room_board", json!({}), &|_| {})
        .await
        .unwrap();
    assert_eq!(board["organisations"][0]["dots_used"], 3);
    assert_eq!(board["organisations"][0]["participants"], 1);
    assert_eq!(board["proposals"][0]["by"], "Ana");
    assert!(board["qr_svg"].as_str().unwrap().starts_with("<?xml"));

    // Hidden tallies are hidden from phones too.
    dispatch(
        &s.host,
        "room_control",
        json!({"action": "hide_tallies"}),
        &|_| {},
    )
    .await
    .unwrap();
    let (_, page) = s
        .post("room_page", json!({"room": s.room, "participant": cy}))
        .await;
    assert!(page["me"]["cards"][0]["total"].is_null());
    dispatch(&s.host, "room_control", json!({"action": "pause"}), &|_| {})
        .await
        .unwrap();
    let (status, err) = s.dot(&cy, "email", true).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("room.paused")));

    let ended = dispatch(&s.host, "room_end", json!({"merge": "add"}), &|_| {})
        .await
        .unwrap();
    assert_eq!(ended["phase"], "ended");
    let union = s.host.with_library(|lib| lib.get(s.union)).unwrap();
    let votes: Vec<u32> = union.needs.needs.iter().map(|n| n.votes).collect();
    assert_eq!(votes, [2, 1]);
    assert_eq!(union.needs.participants(), 1);
    // Every phone that asks now hears that the vote has ended; nothing more is taken.
    let (status, err) = s
        .post("room_page", json!({"room": s.room, "participant": cy}))
        .await;
    assert_eq!((status, err["code"].as_str()), (409, Some("room.ended")));
    let (status, _) = s.dot(&cy, "email", true).await;
    assert_eq!(status, 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_a_code_and_stores_nothing() {
    let s = setup(2).await;
    let ana = s.join(s.union, None).await;
    s.dot(&ana, "video_meetings", true).await;
    let before = s.tallies().await;

    // A wrong room token.
    let wrong = s.url.replace(&s.room, &"0".repeat(64));
    let r = s
        .http
        .post(format!("{wrong}api/room_page"))
        .json(&json!({"room": "0"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "room.no_room");
    // A forged participant token.
    let (status, err) = s.dot(&"f".repeat(64), "video_meetings", true).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (403, Some("room.not_joined"))
    );
    // A dot over the budget.
    s.dot(&ana, "files", true).await;
    let (status, err) = s.dot(&ana, "files", true).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("room.no_dots_left"))
    );
    s.dot(&ana, "files", false).await;
    // An unknown organisation, and a need not on the board.
    let (status, err) = s
        .post(
            "room_join",
            json!({"room": s.room, "plan": "00000000-0000-4000-8000-000000000000"}),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (400, Some("room.not_in_room"))
    );
    let (status, err) = s.dot(&ana, "email", true).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (400, Some("room.unknown_need"))
    );
    // A 1 MB proposal, and one just too long.
    let big = "x".repeat(1 << 20);
    let (status, err) = s
        .post(
            "room_propose",
            json!({"room": s.room, "participant": ana, "kind": "need", "text": big}),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (413, Some("room.too_large"))
    );
    let (status, err) = s
        .post(
            "room_propose",
            json!({"room": s.room, "participant": ana, "kind": "need", "text": "y".repeat(281)}),
        )
        .await;
    assert_eq!((status, err["code"].as_str()), (400, Some("room.too_long")));
    // The window's commands are not served to phones.
    let (status, err) = s
        .post("plans_list", json!({"trash": false, "query": ""}))
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (404, Some("api.unknown_command"))
    );
    // Not JSON (and not said to be).
    let r = s
        .http
        .post(format!("{}api/room_page", s.url))
        .body("room=1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    // Said to be JSON, but not an object.
    let r = s
        .http
        .post(format!("{}api/room_page", s.url))
        .header("content-type", "application/json")
        .body("[1]")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);

    assert_eq!(
        s.tallies().await,
        before,
        "nothing stored by the refused requests"
    );
    let proposals = ferry_api::dispatch(&s.host, "room_board", json!({}), &|_| {})
        .await
        .unwrap()["proposals"]
        .clone();
    assert_eq!(proposals, json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_phone_sending_a_thousand_requests_a_second_is_slowed_alone() {
    let s = setup(3).await;
    let flood = s.join(s.union, None).await;
    let calm = s.join(s.union, None).await;
    let mut codes = std::collections::BTreeMap::new();
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let (http, url, room, p) = (s.http.clone(), s.url.clone(), s.room.clone(), flood.clone());
        tasks.push(tokio::spawn(async move {
            http.post(format!("{url}api/room_page"))
                .json(&json!({"room": room, "participant": p}))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }));
    }
    for t in tasks {
        *codes.entry(t.await.unwrap()).or_insert(0) += 1;
    }
    let took = started.elapsed().as_secs_f64();
    assert!(took < 5.0);
    // Its burst and what refilled meanwhile; the rest refused (429), or never
    // let in (0: a connection past the address's cap is closed at once).
    let answered = codes.get(&200).copied().unwrap_or(0);
    let refused = codes.get(&429).copied().unwrap_or(0) + codes.get(&0).copied().unwrap_or(0);
    assert!(answered as f64 <= 31.0 + 10.0 * took, "{codes:?}");
    assert_eq!(answered + refused, 1000, "{codes:?}");
    // Another phone is not held back.
    let (status, _) = s.dot(&calm, "files", true).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn phones_follow_changes_as_server_sent_events_until_the_room_ends() {
    let s = setup(3).await;
    let ana = s.join(s.union, None).await;
    let mut events = s.http.get(format!("{}events", s.url)).send().await.unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let first = events.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("\"phase\":\"open\""));
    s.dot(&ana, "files", true).await;
    let next = events.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&next).contains("event: pulse"));
    let read = async {
        let mut seen = String::new();
        while let Ok(Some(chunk)) = events.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("\"phase\":\"ended\"") {
                break;
            }
        }
        seen
    };
    let (ended, seen) = tokio::join!(
        dispatch(&s.host, "room_end", json!({"merge": "add"}), &|_| {}),
        read
    );
    ended.unwrap();
    assert!(seen.contains("\"phase\":\"ended\""), "{seen}");
}

/// A join sent again after its answer was lost, with the phone's own secret, is the
/// same join: one person in the room, with what they did since. A secret of another
/// shape, or one whose person the facilitator removed, joins no one.
#[tokio::test(flavor = "multi_thread")]
async fn a_join_sent_again_is_one_person_and_a_removed_secret_joins_no_one() {
    let s = setup(3).await;
    let mine = "ab".repeat(32);
    let join = json!({"room": s.room, "plan": s.union, "name": "Ana", "participant": mine});
    let (status, first) = s.post("room_join", join.clone()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["participant"], mine.as_str());
    let (status, page) = s.dot(&mine, "files", true).await;
    assert_eq!(status, 200, "{page}");

    let (status, again) = s.post("room_join", join.clone()).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["participant"], mine.as_str());
    assert_eq!(again["page"]["me"]["dots_left"], 2, "{again}");
    let board = s.facilitator("room_board", json!({})).await;
    assert_eq!(board["organisations"][0]["participants"], 1, "{board}");

    for bad in [
        "short".to_owned(),
        "AB".repeat(32),
        "g".repeat(64),
        format!("{mine}0"),
    ] {
        let (status, err) = s
            .post(
                "room_join",
                json!({"room": s.room, "plan": s.union, "participant": bad}),
            )
            .await;
        assert_eq!(err["code"], "room.not_joined", "{bad}: {status} {err}");
    }

    let people = s.facilitator("room_people", json!({"offset": 0})).await;
    let id = people[0]["id"].as_str().unwrap().to_owned();
    s.facilitator(
        "room_remove",
        json!({"participant": id, "sameAddress": false}),
    )
    .await;
    let (status, err) = s.post("room_join", join).await;
    assert_eq!(err["code"], "room.not_joined", "{status} {err}");
    let board = s.facilitator("room_board", json!({})).await;
    assert_eq!(board["organisations"][0]["participants"], 0, "{board}");
    assert_eq!(board["organisations"][0]["dots_used"], 0, "{board}");
}
