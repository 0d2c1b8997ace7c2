//! Importing the admin console's exports through the command surface, as the window
//! calls it: read (a bad file is named and skipped), see names only on request,
//! confirm into the plan, and a second import that brings nothing twice.

use std::path::PathBuf;

use ferry_api::dispatch;
use ferry_api::testing::TestHost;
use serde_json::{Value, json};

async fn call(host: &TestHost, command: &str, args: Value) -> Result<Value, Value> {
    dispatch(host, command, args, &|_| {})
        .await
        .map_err(|e| serde_json::to_value(e).unwrap())
}

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../ferry-import/tests/fixtures")
        .join(rel)
}

#[tokio::test]
async fn read_preview_then_confirm_fills_the_plan_once() {
    let host = TestHost::new();
    let plan = call(
        &host,
        "plan_create",
        json!({"name": "Lag", "language": "nb"}),
    )
    .await
    .unwrap();

    // Nothing read yet: confirming says so instead of changing anything.
    let early = call(
        &host,
        "import_apply",
        json!({"plan": plan, "choices": {"people": true, "groups": []}}),
    )
    .await
    .unwrap_err();
    assert_eq!(early["code"], "import.nothing_read");

    let files = [
        fixture("google/users_en.csv"),
        fixture("google/user_usage_en.csv"),
        fixture("google/group_members.csv"),
        fixture("other/mailchimp_audience.csv"),
    ];
    let read = call(&host, "import_read", json!({"paths": files}))
        .await
        .unwrap();
    let problems = read["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{read}");
    assert_eq!(problems[0]["file"], "mailchimp_audience.csv");
    assert_eq!(problems[0]["error"]["code"], "import.unknown_format");
    let preview = &read["preview"];
    assert_eq!(preview["files"].as_array().unwrap().len(), 3);
    assert!(preview["people"].as_u64().unwrap() >= 4, "{preview}");
    // The preview carries counts, never a name or an address.
    let text = preview.to_string();
    assert!(
        !text.contains("Nordmann") && !text.contains("kari@lag.example"),
        "{text}"
    );

    let people = call(&host, "import_people", json!({})).await.unwrap();
    let kari = people
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "kari@lag.example")
        .expect("Kari is named on request");
    assert_eq!(kari["name"], "Kari Nordmann");

    let done = call(
        &host,
        "import_apply",
        json!({"plan": plan, "choices": {"people": true, "groups": []}}),
    )
    .await
    .unwrap();
    let filled = &done["plan"];
    let tools: Vec<&str> = filled["tools"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tool"].as_str().unwrap())
        .collect();
    assert!(
        tools.contains(&"gmail") && tools.contains(&"google_drive"),
        "{tools:?}"
    );
    let list = filled["sso"]["members_list"].as_str().unwrap();
    assert!(list.starts_with("name,email,groups\n"), "{list}");
    assert!(
        list.contains("Kari Nordmann,kari@lag.example,members;"),
        "{list}"
    );
    assert_eq!(
        done["people_added"].as_u64().unwrap(),
        list.lines().count() as u64 - 1
    );
    assert!(filled["exit_plan"]["storage_needed_gb"].as_u64().unwrap() > 0);

    // The window saves what it got back; the engine accepts it as a valid plan.
    let saved = call(&host, "plan_save", json!({"plan": filled}))
        .await
        .unwrap();
    assert_eq!(saved["problems"], json!([]), "{saved}");
    // A plan file written for someone else says it carries the member list.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lag.ferry.json");
    let personal = call(
        &host,
        "plan_export",
        json!({"id": filled["id"], "path": file}),
    )
    .await
    .unwrap();
    assert_eq!(personal, json!(["member_list"]));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("kari@lag.example")
    );

    // A second import of the same exports adds no tool, group or person again.
    let again = call(
        &host,
        "import_apply",
        json!({"plan": filled, "choices": {"people": true, "groups": []}}),
    )
    .await
    .unwrap();
    assert_eq!(again["applied"]["tools_added"], 0);
    assert_eq!(again["applied"]["groups_added"], 0);
    assert_eq!(again["people_added"], 0);
    assert_eq!(
        again["plan"]["sso"]["members_list"],
        filled["sso"]["members_list"]
    );
}

#[tokio::test]
async fn a_file_that_reads_as_nothing_gives_no_preview() {
    let host = TestHost::new();
    let empty = tempfile::NamedTempFile::new().unwrap();
    let read = call(&host, "import_read", json!({"paths": [empty.path()]}))
        .await
        .unwrap();
    assert!(read["preview"].is_null());
    assert_eq!(read["problems"][0]["error"]["code"], "import.empty");
    let err = call(&host, "import_people", json!({})).await.unwrap_err();
    assert_eq!(err["code"], "import.nothing_read");
}

#[tokio::test]
async fn groups_become_what_the_person_chose_and_nothing_else() {
    let host = TestHost::new();
    let plan = call(
        &host,
        "plan_create",
        json!({"name": "Lag", "language": "nb"}),
    )
    .await
    .unwrap();
    let files = [
        fixture("google/users_en.csv"),
        fixture("google/group_members.csv"),
    ];
    let read = call(&host, "import_read", json!({"paths": files}))
        .await
        .unwrap();
    let groups = read["preview"]["groups"].as_array().unwrap();
    let styret = groups
        .iter()
        .find(|g| g["group"] == "styret@lag.example")
        .unwrap();
    assert_eq!(
        styret["proposed"], "board",
        "the board is recognised in Norwegian"
    );
    let alle = groups
        .iter()
        .find(|g| g["group"] == "alle@lag.example")
        .unwrap();
    assert_eq!(alle["options"], json!(["alle", "board", "members"]));

    // "alle" is everyone: the person says it needs no group of its own.
    let choices =
        json!({"people": true, "groups": [{"group": "alle@lag.example", "into": "members"}]});
    let done = call(
        &host,
        "import_apply",
        json!({"plan": plan, "choices": choices}),
    )
    .await
    .unwrap();
    assert_eq!(done["plan"]["sso"]["extra_groups"], json!([]));
    let list = done["plan"]["sso"]["members_list"].as_str().unwrap();
    assert!(list.contains("kari@lag.example,members;board\n"), "{list}");
    assert!(!list.contains("alle"), "{list}");

    // A choice the preview did not offer is refused, and the plan is not filled.
    let bad =
        json!({"people": true, "groups": [{"group": "alle@lag.example", "into": "app-nextcloud"}]});
    let err = call(&host, "import_apply", json!({"plan": plan, "choices": bad}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "import.group_choice");
    assert_eq!(err["params"]["group"], "alle@lag.example");
}
