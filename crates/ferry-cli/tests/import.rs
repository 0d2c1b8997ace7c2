//! `ferry-cli import`: a preview that changes nothing and prints no names, then --apply.

mod common;

use common::{ferry, out};
use ferry_core::{Language, Plan, exchange};

fn fixture(name: &str) -> String {
    format!(
        "{}/../ferry-import/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn preview_then_apply_to_a_plan_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("laget.ferry.json");
    exchange::write_plan_file(&plan_path, &Plan::new("Laget", Language::Nb).unwrap()).unwrap();
    let before = std::fs::read(&plan_path).unwrap();
    let (users, groups) = (
        fixture("google/users_en.csv"),
        fixture("google/group_members.csv"),
    );
    let plan = plan_path.to_str().unwrap();

    let o = ferry(
        dir.path(),
        &["import", &users, &groups, "--plan", plan, "--lang", "en"],
    );
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("People: 4 active, 1 suspended"), "{text}");
    assert!(
        !text.contains("Kari") && !text.contains("kari@"),
        "counts only: {text}"
    );
    assert_eq!(
        std::fs::read(&plan_path).unwrap(),
        before,
        "a preview changes nothing"
    );

    let members = dir.path().join("members.csv");
    let args = [
        "import",
        &users,
        &groups,
        "--plan",
        plan,
        "--apply",
        "--members-csv",
        members.to_str().unwrap(),
        "--people",
    ];
    for _ in 0..2 {
        let o = ferry(dir.path(), &args);
        assert!(o.status.success(), "{}", out(&o));
    }
    let filled = exchange::read_plan_file(&plan_path).unwrap();
    let ids: Vec<&str> = filled.tools.tools.iter().map(|t| t.tool.as_str()).collect();
    assert_eq!(
        ids,
        ["gmail", "google_drive", "google_groups"],
        "applied twice, listed once"
    );
    // "styret" is the board (a standard group), "alle" stays a group of its own.
    assert_eq!(filled.sso.extra_groups, ["alle"]);
    assert_eq!(filled.exit_plan.storage_needed_gb, Some(28));
    let csv = std::fs::read_to_string(&members).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
    // The plan's own member list holds the same people once, though applied twice.
    assert_eq!(filled.sso.members_list, csv.replace("\r\n", "\n"));
}

#[test]
fn a_bad_export_fails_with_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = ferry(
        dir.path(),
        &["import", &fixture("other/mailchimp_audience.csv")],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.contains("Ferry does not know this file"), "{text}");
    assert!(
        !text.contains("import.unknown_format"),
        "never a raw code: {text}"
    );
}

/// A bad file among good ones is named and left out, the rest still read — as the
/// window does (it once stopped the whole command at the first bad file).
#[test]
fn a_bad_export_among_good_ones_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let o = ferry(
        dir.path(),
        &[
            "import",
            &fixture("google/users_en.csv"),
            &fixture("other/mailchimp_audience.csv"),
        ],
    );
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("mailchimp_audience.csv: Ferry does not know this file")
            && text.contains("This file was left out."),
        "{text}"
    );
    assert!(text.contains("Google user list"), "{text}");
}
