//! Preview, then apply: the plan is filled once, and a newer export updates it.

mod common;

use common::preview_of;
use ferry_core::model::{DataVolume, Language, Plan, Reach};
use ferry_import::{apply, members_csv};

const GOOGLE: [&str; 3] = [
    "google/users_en.csv",
    "google/group_members.csv",
    "google/user_usage_en.csv",
];

#[test]
fn a_preview_changes_nothing_until_applied() {
    let plan = Plan::new("Laget", Language::Nb).unwrap();
    let before = plan.clone();
    let _ = preview_of(&GOOGLE);
    assert_eq!(plan, before);
}

#[test]
fn apply_fills_tools_groups_storage_and_losses() {
    let mut plan = Plan::new("Laget", Language::Nb).unwrap();
    let preview = preview_of(&GOOGLE);
    let applied = apply(&mut plan, &preview);
    assert_eq!((applied.tools_added, applied.tools_updated), (5, 0));
    let ids: Vec<&str> = plan.tools.tools.iter().map(|t| t.tool.as_str()).collect();
    assert_eq!(
        ids,
        [
            "gmail",
            "google_docs",
            "google_drive",
            "google_groups",
            "google_meet"
        ]
    );
    let drive = &plan.tools.tools[2];
    assert_eq!(drive.reach, Some(Reach::Most));
    assert_eq!(drive.data_volume, Some(DataVolume::Medium));
    assert!(drive.power_users);
    // "styret" (Norwegian for the board) becomes the standard group `board`.
    assert_eq!(plan.sso.extra_groups, ["alle"]);
    // 3.84 GB of mail and 14.17 GB of Drive, plus half again.
    assert_eq!(plan.exit_plan.storage_needed_gb, Some(28));
    assert!(applied.proposed_needs.contains(&"email".to_owned()));
    assert!(plan.check().is_ok(), "{:?}", plan.check());
}

#[test]
fn a_newer_export_updates_and_never_duplicates() {
    let mut plan = Plan::new("Verein", Language::De).unwrap();
    let first = preview_of(&[
        "m365/active_users_en.csv",
        "m365/teams_user_activity_en.csv",
        "m365/sharepoint_site_usage_en.csv",
    ]);
    apply(&mut plan, &first);
    let team_chat = |plan: &Plan| {
        plan.exit_plan
            .services
            .iter()
            .find(|s| s.need == "team_chat")
            .map(|s| s.not_migrating.clone())
    };
    assert_eq!(
        team_chat(&plan).unwrap(),
        "Aus dem Import: 1945 Chat-Nachrichten in Teams kommen nicht mit."
    );
    let snapshot = plan.clone();
    let newer = preview_of(&[
        "m365/active_users_de_utf16.txt",
        "m365/teams_user_activity_en.csv",
        "m365/sharepoint_site_usage_en.csv",
        "m365/mailbox_usage_en.csv",
    ]);
    let applied = apply(&mut plan, &newer);
    assert_eq!((applied.tools_added, applied.tools_updated), (1, 2));
    assert_eq!(plan.tools.tools.len(), snapshot.tools.tools.len() + 1);
    assert_eq!(
        plan.exit_plan.services.len(),
        snapshot.exit_plan.services.len()
    );
    apply(&mut plan, &newer);
    assert_eq!(
        plan.tools.tools.len(),
        3,
        "teams, sharepoint, outlook once each"
    );
    assert!(plan.check().is_ok(), "{:?}", plan.check());
}

#[test]
fn a_persons_own_words_stay() {
    let mut plan = Plan::new("Verein", Language::En).unwrap();
    plan.exit_plan
        .services
        .push(ferry_core::model::ServiceExit {
            need: "team_chat".into(),
            not_migrating: "Our own note.".into(),
            ..Default::default()
        });
    apply(&mut plan, &preview_of(&["m365/teams_user_activity_en.csv"]));
    assert_eq!(plan.exit_plan.services[0].not_migrating, "Our own note.");
}

#[test]
fn the_member_list_is_what_the_sso_step_reads() {
    let mut plan = Plan::new("Laget", Language::Nb).unwrap();
    let preview = preview_of(&GOOGLE);
    apply(&mut plan, &preview);
    let members = preview.members();
    let csv = members_csv(&members);
    let mut known = vec!["members".to_owned(), "board".to_owned()];
    known.extend(plan.sso.extra_groups.iter().cloned());
    // Named as the plan names them: this plan has no provider yet.
    let known: Vec<_> = known
        .into_iter()
        .map(|g| ferry_sso::desired::DesiredGroup {
            name: g.clone(),
            local: g,
            legacy: false,
        })
        .collect();
    let list = ferry_sso::members::parse_csv(&csv, &known).unwrap();
    assert!(list.problems.is_empty(), "{:?}", list.problems);
    assert_eq!(list.members.len(), 4, "the suspended account stays out");
    let kari = list
        .members
        .iter()
        .find(|m| m.email == "kari@lag.example")
        .unwrap();
    assert_eq!(kari.groups, ["members", "alle", "board"]);
    // Counts only outside the plan: neither the serialised preview nor its Debug has names.
    let json = serde_json::to_string(&preview).unwrap();
    let debug = format!("{preview:?}");
    for s in [json, debug] {
        assert!(!s.contains("Kari") && !s.contains("kari@"), "{s}");
    }
}
