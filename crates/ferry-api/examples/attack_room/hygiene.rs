//! What a page on another site, or a prankster's text, can make the room do: text that
//! shows nothing or reverses what follows, stacked accents, a body that is not JSON, a
//! Host header that is not the room's, assets under a made-up room address.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::Verdict;
use crate::child::{At, Child};
use crate::phones::{client_at, loopback, post};

/// Most combining marks a stored text may keep on one letter (with some room).
const MARKS_AT_MOST: usize = 8;

/// A raw request, to send headers a client library would not.
async fn raw(at: &At, request: &str) -> String {
    let Ok(mut s) = tokio::net::TcpStream::connect(&at.host).await else {
        return String::new();
    };
    if s.write_all(request.as_bytes()).await.is_err() {
        return String::new();
    }
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(3), s.read(&mut buf))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn status(head: &str) -> u16 {
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The name of one script or style of the built page, if the UI was built.
fn some_asset() -> Option<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist/assets");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".js"))
}

pub async fn hygiene() -> Verdict {
    let mut v = Verdict::new("hygiene");
    let (_child, _dir) = Child::start(None).await;
    let at = _child.at.clone();
    let http = client_at(loopback(7));
    let join = |name: &str| json!({"room": at.room, "plan": at.plans[0], "name": name});
    let (s, _, joined) = post(&http, &at.url, "room_join", join("\u{202E}\u{200B}Bob")).await;
    let me = joined["participant"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let name = joined["page"]["me"]["name"].clone();
    v.check(
        s == 200 && name == json!("Bob"),
        format!("a name with a right-to-left override came back as {name}"),
    );
    let (_, _, invisible) = post(&http, &at.url, "room_join", join("\u{200B}\u{2060}")).await;
    let name = invisible["page"]["me"]["name"].clone();
    v.check(
        name.is_null(),
        format!("an invisible name was kept as {name}"),
    );

    let propose =
        |text: String| json!({"room": at.room, "participant": me, "kind": "note", "text": text});
    let mut refused = 0;
    for text in [
        "\u{200B}\u{200C}\u{2060}",
        "\u{E0041}\u{E0042}\u{E007F}",
        "\u{FEFF} \u{00AD}",
    ] {
        let (s, _, _) = post(&http, &at.url, "room_propose", propose(text.into())).await;
        refused += usize::from(s == 400);
    }
    println!("attack-room: hygiene: {refused} of 3 invisible-only proposals refused");
    v.check(
        refused == 3,
        format!("{} invisible-only proposals accepted", 3 - refused),
    );

    let (_, _, page) = post(
        &http,
        &at.url,
        "room_propose",
        propose("\u{202E}evil\u{202C} text".into()),
    )
    .await;
    let stored = last_text(&page);
    v.check(
        !stored.contains('\u{202E}'),
        format!("a right-to-left override was stored: {stored:?}"),
    );
    let zalgo = format!("a{}", "\u{0301}".repeat(279));
    let (s, _, page) = post(&http, &at.url, "room_propose", propose(zalgo)).await;
    let marks = last_text(&page).matches('\u{0301}').count();
    println!("attack-room: hygiene: 279 stacked accents: answered {s}, {marks} kept");
    v.check(
        s == 400 || marks <= MARKS_AT_MOST,
        format!("{marks} combining marks kept on one letter"),
    );

    // A page on another site can POST text/plain without asking first (no preflight).
    let r = http
        .post(format!("{}api/room_page", at.url))
        .header("content-type", "text/plain")
        .body(json!({"room": at.room}).to_string())
        .send()
        .await;
    let plain = r.map_or(0, |r| r.status().as_u16());
    v.check(plain == 415, format!("a text/plain body answered {plain}"));

    // DNS rebinding: another name pointing at the room's address.
    let head = raw(
        &at,
        &format!(
            "GET /r/{}/ HTTP/1.1\r\nHost: rebind.example:{}\r\nConnection: close\r\n\r\n",
            at.room, at.port
        ),
    )
    .await;
    v.check(
        status(&head) == 421,
        format!("a foreign Host header answered {}", status(&head)),
    );

    match some_asset() {
        None => println!("attack-room: hygiene: ui/dist is not built; assets not checked"),
        Some(asset) => {
            let wrong = at.url.replace(&at.room, &"0".repeat(64));
            let r = http.get(format!("{wrong}assets/{asset}")).send().await;
            let code = r.map_or(0, |r| r.status().as_u16());
            v.check(
                code == 404,
                format!("an asset under a wrong room address answered {code}"),
            );
            match http.get(format!("{}assets/{asset}", at.url)).send().await {
                Ok(r) => {
                    let h = r.headers();
                    v.check(
                        h.get("x-content-type-options").is_some()
                            && h.get("content-security-policy").is_some(),
                        "an asset without nosniff or a CSP",
                    );
                }
                Err(e) => v.check(false, format!("the asset: {e}")),
            }
        }
    }
    v
}

fn last_text(page: &Value) -> String {
    page["me"]["proposals"]
        .as_array()
        .and_then(|a| a.last())
        .and_then(|p| p["text"].as_str())
        .unwrap_or_default()
        .to_owned()
}
