//! What another web page, another host name or a prankster's text can make the
//! room do (issue #25): a Host that is not the room's is refused (DNS rebinding);
//! only JSON bodies are taken (a page elsewhere can post text/plain without asking);
//! the page and its assets are served under the room's address only, with the same
//! security headers; text that shows nothing is refused, overrides are taken out.

mod common;

use std::sync::Arc;

use common::{setup, setup_on};
use ferry_api::Host;
use ferry_api::room::{Asset, Assets};
use ferry_api::testing::TestHost;
use ferry_core::room::MAX_MARKS;
use ferry_sso::secrets::{SecretStore, Vault};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The test host with a small web bundle of its own.
struct WithBundle(TestHost);

impl Host for WithBundle {
    fn library(&self) -> &ferry_api::LibrarySlot {
        self.0.library()
    }
    fn vault(&self) -> &Vault {
        self.0.vault()
    }
    fn keyring(&self) -> &dyn SecretStore {
        self.0.keyring()
    }
    fn catalogue_store(&self) -> ferry_catalogue::Store {
        self.0.catalogue_store()
    }
    fn session(&self) -> &ferry_api::Session {
        self.0.session()
    }
    fn assets(&self) -> Option<Assets> {
        Some(Arc::new(|path: &str| {
            let (bytes, mime) = match path {
                "room.html" => ("<!doctype html><title>Ferry</title>", "text/html"),
                "assets/room.js" => ("console.log(1)", "text/javascript"),
                _ => return None,
            };
            Some(Asset {
                bytes: bytes.as_bytes().to_vec(),
                mime: mime.into(),
            })
        }))
    }
}

/// Sends `request` as it is and answers the status line and headers.
async fn raw(to: &str, request: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(to).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 8192];
    let n = s.read(&mut buf).await.unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_is_not_the_rooms_is_refused() {
    let s = setup_on(WithBundle(TestHost::new()), 3).await;
    let to = s.authority();
    let port = to.rsplit(':').next().unwrap();
    for host in [
        format!("rebind.example:{port}"),
        "127.0.0.1".into(),
        String::new(),
    ] {
        let answer = raw(
            &to,
            &format!(
                "GET /r/{}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
                s.room
            ),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 421"), "{host}: {answer}");
        assert!(answer.contains("room.wrong_host"), "{answer}");
    }
    for host in [to.clone(), format!("LOCALHOST:{port}")] {
        let answer = raw(
            &to,
            &format!(
                "GET /r/{}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
                s.room
            ),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn only_json_bodies_are_taken() {
    let s = setup(3).await;
    let body = json!({"room": s.room, "plan": s.union}).to_string();
    for kind in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let r = s
            .http
            .post(format!("{}api/room_join", s.url))
            .header("content-type", kind)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 415, "{kind}");
    }
    let r = s
        .http
        .post(format!("{}api/room_join", s.url))
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let board = s.facilitator("room_board", json!({})).await;
    assert_eq!(
        board["organisations"][0]["participants"], 1,
        "one join only"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_and_its_assets_are_served_under_the_rooms_address_only() {
    let s = setup_on(WithBundle(TestHost::new()), 3).await;
    let wrong = s.url.replace(&s.room, &"0".repeat(64));
    let r = s
        .http
        .get(format!("{wrong}assets/room.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    // A wrong address gets a page of its own, in the phone's language.
    let r = s
        .http
        .get(&wrong)
        .header("accept-language", "nb-NO,nb;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("lang=\"nb\"") && text.contains("adressen"),
        "{text}"
    );

    for path in ["", "assets/room.js"] {
        let r = s.http.get(format!("{}{path}", s.url)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn text_that_shows_nothing_is_refused_and_overrides_are_taken_out() {
    let s = setup(3).await;
    let (status, joined) = s
        .post(
            "room_join",
            json!({"room": s.room, "plan": s.union, "name": "\u{202E}\u{200B}Bob"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(joined["page"]["me"]["name"], "Bob");
    let me = joined["participant"].as_str().unwrap().to_owned();
    let (_, invisible) = s
        .post(
            "room_join",
            json!({"room": s.room, "plan": s.union, "name": "\u{200B}\u{2060}"}),
        )
        .await;
    assert!(invisible["page"]["me"]["name"].is_null(), "{invisible}");

    let propose =
        |text: &str| json!({"room": s.room, "participant": me, "kind": "note", "text": text});
    for text in [
        "\u{200B}\u{200C}\u{2060}",
        "\u{E0041}\u{E0042}",
        "\u{FEFF} \u{3164}",
    ] {
        let (status, err) = s.post("room_propose", propose(text)).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (400, Some("room.empty")),
            "{text:?}"
        );
    }
    let (_, page) = s
        .post("room_propose", propose("\u{202E}evil\u{202C} text"))
        .await;
    assert_eq!(page["me"]["proposals"][0]["text"], "evil text");
    let zalgo = format!("a{}", "\u{0301}".repeat(279));
    let (_, page) = s.post("room_propose", propose(&zalgo)).await;
    let kept = page["me"]["proposals"][1]["text"].as_str().unwrap();
    assert_eq!(kept.chars().count(), 1 + MAX_MARKS);
}
