//! A live workshop room end to end: the real window opens a room on loopback, 30
//! phones (headless Chromium at 360×640, ui/a11y/phones.mjs) from two organisations
//! join by its address, propose and vote; the projector shows the tallies, the
//! facilitator accepts a proposal and ends the vote; every phone is told, and the
//! plans hold exactly the dots cast.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

use ferry_core::Library;
use ferry_core::model::{NeedEntry, Priority};
use serde_json::Value;

use crate::harness::{self, App};

const PHONES: usize = 30;

fn card(need: &str) -> NeedEntry {
    NeedEntry {
        need: need.into(),
        priority: Priority::Must,
        notes: String::new(),
        who: String::new(),
        votes: 0,
    }
}

fn chromium() -> bool {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .any(|p| std::path::Path::new(p).exists())
        || std::env::var_os("CHROMIUM").is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_phones_vote_and_the_plans_hold_exactly_their_dots() {
    if !harness::available() {
        return;
    }
    if !chromium() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have Chromium for the room test"
        );
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let (union, patients) = {
        let mut lib = Library::open_in(data.path()).unwrap();
        let mut a = lib
            .create("Fagforbundet Bergen", ferry_core::Language::Nb)
            .unwrap();
        a.needs.needs = vec![card("video_meetings"), card("files"), card("email")];
        let a = lib.save(&a).unwrap();
        let mut b = lib
            .create("Pasientforeningen Vest", ferry_core::Language::Nb)
            .unwrap();
        b.needs.needs = vec![card("email"), card("forms")];
        let b = lib.save(&b).unwrap();
        (a.id, b.id)
    };

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-cross]").await;
    app.click("[data-testid=room-open-screen]").await;
    app.find("[data-testid=room-setup]").await;
    // Networks as people know them, the one phones can reach first (not "eth0", "lo").
    let networks: Vec<String> = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=room-interface] option')].map((o) => o.textContent)",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        networks.last().map(String::as_str),
        Some("This computer only (127.0.0.1), for trying it out"),
        "{networks:?}"
    );
    assert!(
        networks
            .iter()
            .all(|n| !n.starts_with("lo ") && !n.starts_with("eth")),
        "{networks:?}"
    );
    app.select("[data-testid=room-interface]", "127.0.0.1")
        .await;
    app.click("[data-testid=room-open]").await;
    let url = app.text("[data-testid=room-url]").await;
    assert!(
        url.starts_with("http://127.0.0.1:") && url.contains("/r/"),
        "{url}"
    );
    assert_eq!(
        app.text("[data-testid=room-network]").await,
        "Network: This computer only (127.0.0.1), for trying it out"
    );

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/a11y/phones.mjs");
    let mut phones = Command::new("node")
        .arg(script)
        .arg(&url)
        .arg(PHONES.to_string())
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node");
    let mut lines = BufReader::new(phones.stdout.take().unwrap()).lines();
    let mut stdin = phones.stdin.take().unwrap();
    let line = tokio::time::timeout(Duration::from_secs(240), lines.next_line())
        .await
        .expect("the phones' report in 4 minutes")
        .unwrap()
        .expect("the phones' report");
    let voted: Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("the phones said {line:?}: {e}"));
    assert_eq!(
        voted["axe"],
        serde_json::json!([]),
        "serious or critical axe findings"
    );
    let dots = &voted["dots"];
    let union_votes = dots["Fagforbundet Bergen"].clone();
    let patient_votes = dots["Pasientforeningen Vest"].clone();
    let total: u64 = [&union_votes, &patient_votes]
        .iter()
        .flat_map(|o| o.as_object().unwrap().values())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, PHONES * 3, "every phone placed all 3 dots");

    // The projector shows the tallies within a moment of the last dot.
    let want = union_votes["video_meetings"].as_u64().unwrap().to_string();
    app.wait_until("the projector's tally", || async {
        app.attr(
            &format!("[data-testid=room-org-{union}] [data-testid=room-tally-video_meetings]"),
            "data-dots",
        )
        .await
        .as_deref()
            == Some(want.as_str())
    })
    .await;
    app.screenshot("30-room-projector").await;

    // The facilitator puts one proposal on the board as a card of its own (for the
    // organisation that proposed it).
    let waiting = voted["proposals"].as_u64().unwrap() as usize;
    app.wait_until("every proposal on the projector", || async {
        app.all("[data-testid=room-proposal]").await.len() == waiting
    })
    .await;
    app.select("[data-testid=room-proposal-need]", "team_chat")
        .await;
    app.click("[data-testid=room-accept]").await;
    app.wait_until("the proposal to leave the waiting list", || async {
        app.all("[data-testid=room-proposal]").await.len() == waiting - 1
    })
    .await;

    app.click("[data-testid=room-end]").await;
    app.click("[data-testid=room-end-confirm]").await;
    app.find("[data-testid=room-saved]").await;
    stdin.write_all(b"end\n").await.unwrap();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the phones' end report in a minute")
        .unwrap()
        .expect("the phones' end report");
    let ended: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        ended["ended"], PHONES,
        "every phone says the vote has ended"
    );
    let _ = phones.kill().await;
    app.quit().await;

    let lib = Library::open_in(data.path()).unwrap();
    for (id, votes) in [(union, union_votes), (patients, patient_votes)] {
        let plan = lib.get(id).unwrap();
        for n in &plan.needs.needs {
            let want = votes.get(&n.need).and_then(Value::as_u64).unwrap_or(0);
            assert_eq!(n.votes as u64, want, "{} {}", plan.name, n.need);
        }
        assert_eq!(plan.needs.participants() as usize, PHONES / 2);
    }
    let with_new_card = [union, patients]
        .iter()
        .filter(|id| {
            lib.get(**id)
                .unwrap()
                .needs
                .needs
                .iter()
                .any(|n| n.need == "team_chat")
        })
        .count();
    assert_eq!(
        with_new_card, 1,
        "the accepted proposal is a card on its organisation's board"
    );
}
