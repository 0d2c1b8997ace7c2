//! Runs the real `ferry-cli` binary against a library in a temporary folder.

mod common;

use std::path::Path;

use common::ferry;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn seed(data: &Path, name: &str) -> String {
    let mut lib = ferry_core::Library::open_in(data).unwrap();
    lib.create(name, ferry_core::Language::Nb)
        .unwrap()
        .id
        .to_string()
}

#[test]
fn list_export_import_validate_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let empty = ferry(&data, &["plan", "list"]);
    assert!(empty.status.success());
    assert_eq!(text(&empty.stdout).trim(), "No plans yet.");

    let id = seed(&data, "Tromsø fagforening");
    let list = ferry(&data, &["plan", "list"]);
    assert!(
        text(&list.stdout).contains("Tromsø fagforening"),
        "{}",
        text(&list.stdout)
    );
    assert!(text(&list.stdout).contains(&id));

    let file = dir.path().join("out.ferry.json");
    let export = ferry(
        &data,
        &["plan", "export", &id[..8], "-o", file.to_str().unwrap()],
    );
    assert!(export.status.success(), "{}", text(&export.stderr));

    // The plan is Norwegian: English only when asked for.
    let valid = ferry(&data, &["plan", "validate", file.to_str().unwrap()]);
    assert!(valid.status.success(), "{}", text(&valid.stderr));
    assert!(text(&valid.stdout).contains("en gyldig Ferry-plan"));
    let valid = ferry(
        &data,
        &["plan", "validate", file.to_str().unwrap(), "--lang", "en"],
    );
    assert!(text(&valid.stdout).contains("a valid Ferry plan"));

    let import = ferry(&data, &["plan", "import", file.to_str().unwrap()]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    let json = ferry(&data, &["plan", "list", "--json"]);
    let plans: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        plans.as_array().unwrap().len(),
        2,
        "import adds, never replaces"
    );
}

#[test]
fn bad_files_fail_with_a_human_message_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed(&data, "Existing");
    let cases: &[(&str, &str)] = &[
        ("{ not json", "malformed at line 1, column"),
        ("{\"hello\": 1}", "not a Ferry plan"),
        (
            "{\"format\":\"ferry-plan\",\"schema_version\":9,\"plan\":{}}",
            "made by a newer version of Ferry",
        ),
        (
            "{\"format\":\"ferry-plan\",\"schema_version\":1,\"generator\":\"x\",\"exported_at\":\"2026-01-01T00:00:00Z\",\"plan\":{\"id\":\"nope\"}}",
            "wrong value in “plan.id”",
        ),
    ];
    for (body, expected) in cases {
        let file = dir.path().join("bad.ferry.json");
        std::fs::write(&file, body).unwrap();
        for cmd in ["validate", "import"] {
            let out = ferry(&data, &["plan", cmd, file.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(1), "{cmd} {body}");
            let err = text(&out.stderr);
            assert!(
                err.starts_with("ferry-cli: ") && err.contains(expected),
                "{cmd} {body}: {err}"
            );
        }
    }
    let missing = ferry(&data, &["plan", "validate", "/nonexistent/plan.ferry.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("/nonexistent/plan.ferry.json"));
    let list = ferry(&data, &["plan", "list", "--json"]);
    let plans: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        plans.as_array().unwrap().len(),
        1,
        "failed imports add nothing"
    );
}

#[test]
fn invalid_rules_are_listed_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = seed(&data, "Rules");
    let file = dir.path().join("p.ferry.json");
    assert!(
        ferry(
            &data,
            &["plan", "export", &id, "-o", file.to_str().unwrap()]
        )
        .status
        .success()
    );
    let body = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"countries\": []", "\"countries\": [\"Narnia\"]");
    std::fs::write(&file, body).unwrap();
    let out = ferry(
        &data,
        &["plan", "validate", file.to_str().unwrap(), "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "  - Countries (plan.organisation.countries.0): “Narnia” is not a country Ferry knows."
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn unknown_ids_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed(&data, "A");
    let out = ferry(&data, &["plan", "export", "zzzzzzzz", "-o", "/tmp/x.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("No plan id starts with"),
        "{}",
        text(&out.stderr)
    );
}
