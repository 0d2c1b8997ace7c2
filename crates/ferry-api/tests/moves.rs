//! The data move's commands as the window calls them: which kinds an administrator
//! can move for everyone (the engine says; the window never decides), whose data an
//! admin export holds, and the administrator's sign-in kept in the keyring only.

use ferry_api::testing::TestHost;
use ferry_api::{Host, dispatch};
use ferry_move::testing::{fixture, write_zip};
use serde_json::{Value, json};

async fn call(host: &TestHost, command: &str, args: Value) -> Result<Value, Value> {
    dispatch(host, command, args, &|_| {})
        .await
        .map_err(|e| serde_json::to_value(e).unwrap())
}

#[tokio::test]
async fn only_mail_takes_an_administrators_sign_in() {
    let host = TestHost::new();
    let mut plan = call(
        &host,
        "plan_create",
        json!({"name": "Lag Nord", "language": "nb"}),
    )
    .await
    .unwrap();
    plan["recipes"]["choices"] = json!([
        {"need": "email", "decision": {"kind": "recipe", "name": "mailu"}},
        {"need": "calendar", "decision": {"kind": "recipe", "name": "nextcloud"}},
        {"need": "files", "decision": {"kind": "recipe", "name": "nextcloud"}},
    ]);
    plan["deploy"]["base_domain"] = json!("lag.example.no");
    let targets = call(&host, "move_targets", json!({"plan": plan}))
        .await
        .unwrap();
    let kinds: Vec<&str> = targets["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"mail") && kinds.contains(&"files"),
        "{targets}"
    );
    assert_eq!(targets["admin"], json!(["mail"]), "{targets}");
}

#[tokio::test]
async fn an_admin_exports_people_are_read_from_its_folders() {
    let host = TestHost::new();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let mail = std::fs::read(fixture("takeout-mail.mbox")).unwrap();
    let ics = std::fs::read(fixture("Styret.ics")).unwrap();
    for (address, with_calendar) in [("kari@lag.example.no", true), ("ola@lag.example.no", false)] {
        let folder = export.join(address);
        std::fs::create_dir_all(&folder).unwrap();
        let mut entries: Vec<(&str, &[u8])> =
            vec![("Takeout/Mail/All mail Including Spam and Trash.mbox", &mail)];
        if with_calendar {
            entries.push(("Takeout/Calendar/Styret.ics", &ics));
        }
        write_zip(&folder.join("takeout-20240115T101500Z-001.zip"), &entries);
    }
    let people = call(
        &host,
        "move_people",
        json!({"sources": [{"path": export, "person": null}]}),
    )
    .await
    .unwrap();
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 2, "{people:?}");
    assert_eq!(people[0]["source"], "kari@lag.example.no");
    assert_eq!(people[0]["files"], 2);
    assert_eq!(people[1]["files"], 1);
    let bytes = |p: &Value| p["bytes"].as_u64().unwrap();
    assert_eq!(bytes(&people[1]), mail.len() as u64);
    assert_eq!(bytes(&people[0]), (mail.len() + ics.len()) as u64);

    // A folder that is not there: the engine's error, in words the window translates.
    let missing = call(
        &host,
        "move_people",
        json!({"sources": [{"path": dir.path().join("nowhere"), "person": null}]}),
    )
    .await
    .unwrap_err();
    assert_eq!(missing["code"], "move.read", "{missing}");
}

#[tokio::test]
async fn the_administrators_sign_in_goes_to_the_keyring() {
    let host = TestHost::new();
    call(
        &host,
        "move_admin_save",
        json!({"url": "imaps://mail.lag.example.no/", "login": "admin", "password": "s3cret-master"}),
    )
    .await
    .unwrap();
    let kept = host
        .keyring()
        .get(&ferry_api::moves::admin_entry(
            "imaps://mail.lag.example.no",
        ))
        .unwrap()
        .expect("in the keyring");
    assert!(kept.contains("s3cret-master") && kept.contains("admin"));
    let on_disk: Vec<u8> = walk(host.dir.path());
    assert!(
        !on_disk.windows(13).any(|w| w == b"s3cret-master"),
        "the password is in a file"
    );
}

fn walk(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.extend(std::fs::read(&path).unwrap_or_default());
        }
    }
    out
}
