//! Hand-built cases whose right answer a person can check without running code.

use ferry_core::model::{DataSensitivity, NeedEntry, Priority, TechnicalCapacity};
use ferry_core::needs::{Candidate, ExportFacts, Fit, NeedDef, NeedGroup, Replaces, Taxonomy};

use super::*;
use crate::recipe::parse_catalogue;

fn need(id: &str, candidates: &[(&str, Fit)]) -> NeedDef {
    NeedDef {
        id: id.into(),
        group: NeedGroup::Documents,
        replaces: Replaces {
            google: vec![],
            microsoft: vec![],
            other: vec![],
        },
        candidates: candidates
            .iter()
            .map(|(r, f)| Candidate {
                recipe: (*r).into(),
                fit: *f,
            })
            .collect(),
        friction: vec![format!("{id}_friction")],
        export: ExportFacts {
            google: "google_takeout".into(),
            microsoft: "ms_purview".into(),
            other: "manual_export".into(),
            formats: "CSV".into(),
        },
    }
}

fn taxonomy() -> Taxonomy {
    Taxonomy {
        version: 1,
        needs: vec![
            need(
                "files",
                &[
                    ("bigcloud", Fit::Full),
                    ("tinyshare", Fit::Full),
                    ("gone", Fit::Full),
                ],
            ),
            need(
                "calendar",
                &[("bigcloud", Fit::Full), ("tinycal", Fit::Full)],
            ),
            need(
                "notes",
                &[
                    ("pad", Fit::Full),
                    ("alphanotes", Fit::Full),
                    ("bigcloud", Fit::Partial),
                ],
            ),
            need("teleport", &[("gone", Fit::Full)]),
        ],
    }
}

/// bigcloud: mature, automatic SSO, backups, heavy (named like nextcloud in weights).
fn recipes() -> Recipes {
    parse_catalogue(
        r#"{
        "bigcloud":   {"features": {"status": 4, "sso": "3", "backups": "Yes"}},
        "tinyshare":  {"features": {"status": 3, "sso": "No", "backups": "Yes"}},
        "tinycal":    {"features": {"status": 3, "sso": "1", "backups": "Yes"}},
        "pad":        {"features": {"status": 3, "sso": "2", "backups": "Yes"}},
        "alphanotes": {"features": {"status": "1, alpha", "sso": "3", "backups": "No"}}
    }"#,
    )
    .unwrap()
    .recipes
}

fn wants(ids: &[(&str, Priority)]) -> Vec<NeedEntry> {
    ids.iter()
        .map(|(n, p)| NeedEntry {
            need: (*n).into(),
            priority: *p,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        })
        .collect()
}

fn ranking(r: &Recommendation, need: &str) -> Vec<String> {
    r.needs
        .iter()
        .find(|a| a.need == need)
        .unwrap()
        .options
        .iter()
        .map(|o| o.recipe.clone())
        .collect()
}

fn option<'a>(r: &'a Recommendation, need: &str, recipe: &str) -> &'a RecipeOption {
    r.needs
        .iter()
        .find(|a| a.need == need)
        .unwrap()
        .options
        .iter()
        .find(|o| o.recipe == recipe)
        .unwrap()
}

#[test]
fn a_mature_app_with_sso_and_backups_that_covers_two_needs_wins() {
    let r = recommend_needs(
        &wants(&[("files", Priority::Must), ("calendar", Priority::Must)]),
        Profile {
            people: Some(200),
            capacity: Some(TechnicalCapacity::SeveralVolunteers),
            sensitivity: None,
        },
        &recipes(),
        &taxonomy(),
    );
    assert_eq!(ranking(&r, "files"), ["bigcloud", "tinyshare"]);
    let big = option(&r, "files", "bigcloud");
    assert!(big.reasons.contains(&Reason::CoversOtherNeeds {
        needs: vec!["calendar".into()]
    }));
    assert!(big.reasons.contains(&Reason::SsoAutomatic { note: None }));
    assert!(
        option(&r, "files", "tinyshare")
            .warnings
            .contains(&Warning::NoSso)
    );
}

#[test]
fn a_group_with_nobody_to_run_things_is_warned_off_heavy_apps() {
    let mut recipes = recipes();
    // The same heavy app under a name the weights file knows as heavy.
    let mut heavy = recipes.get("bigcloud").unwrap().clone();
    heavy.name = "nextcloud".into();
    recipes.0.insert("nextcloud".into(), heavy);
    let mut tax = taxonomy();
    tax.needs[0].candidates.push(Candidate {
        recipe: "nextcloud".into(),
        fit: Fit::Full,
    });

    let profile = Profile {
        people: Some(15),
        capacity: Some(TechnicalCapacity::Nobody),
        sensitivity: None,
    };
    let r = recommend_needs(
        &wants(&[("files", Priority::Must)]),
        profile,
        &recipes,
        &tax,
    );
    let nc = option(&r, "files", "nextcloud");
    assert_eq!(nc.weight, Weight::Heavy);
    assert!(nc.warnings.contains(&Warning::HeavyForCapacity));
    // Identical scores otherwise, so the heavy one must rank below its twin.
    assert!(option(&r, "files", "bigcloud").points > nc.points);

    let staffed = Profile {
        capacity: Some(TechnicalCapacity::PaidAdmin),
        ..profile
    };
    let r = recommend_needs(
        &wants(&[("files", Priority::Must)]),
        staffed,
        &recipes,
        &tax,
    );
    assert!(
        !option(&r, "files", "nextcloud")
            .warnings
            .contains(&Warning::HeavyForCapacity)
    );
}

#[test]
fn sensitive_data_pushes_young_recipes_down_and_says_why() {
    let profile = Profile {
        people: Some(15),
        capacity: Some(TechnicalCapacity::Nobody),
        sensitivity: Some(DataSensitivity::SpecialCategories),
    };
    let r = recommend_needs(
        &wants(&[("notes", Priority::Must)]),
        profile,
        &recipes(),
        &taxonomy(),
    );
    assert_eq!(ranking(&r, "notes"), ["pad", "bigcloud", "alphanotes"]);
    let alpha = option(&r, "notes", "alphanotes");
    assert!(alpha.warnings.contains(&Warning::Experimental { level: 1 }));
    assert!(
        alpha
            .warnings
            .contains(&Warning::SensitiveDataOnYoungRecipe)
    );
    assert!(alpha.warnings.contains(&Warning::NoBackups));
    assert!(
        option(&r, "notes", "bigcloud")
            .reasons
            .contains(&Reason::CoversPartly)
    );
}

#[test]
fn unknown_scores_are_warned_about_not_guessed() {
    let recipes = parse_catalogue(r#"{"pad": {}, "bigcloud": {}}"#)
        .unwrap()
        .recipes;
    let r = recommend_needs(
        &wants(&[("notes", Priority::Must)]),
        Profile::default(),
        &recipes,
        &taxonomy(),
    );
    let pad = option(&r, "notes", "pad");
    for w in [
        Warning::StatusUnknown,
        Warning::SsoUnknown,
        Warning::BackupsUnknown,
    ] {
        assert!(pad.warnings.contains(&w), "{w:?}");
    }
    assert!(
        !pad.reasons
            .iter()
            .any(|r| matches!(r, Reason::Mature { .. } | Reason::Backups))
    );
}

#[test]
fn missing_recipes_are_not_offered_and_uncovered_needs_are_named() {
    let r = recommend_needs(
        &wants(&[
            ("teleport", Priority::Must),
            ("time_travel", Priority::Should),
            ("files", Priority::Could),
        ]),
        Profile::default(),
        &recipes(),
        &taxonomy(),
    );
    assert!(!ranking(&r, "files").contains(&"gone".to_owned()));
    assert_eq!(r.uncovered, ["teleport", "time_travel"]);
    assert_eq!(
        r.needs
            .iter()
            .find(|a| a.need == "teleport")
            .unwrap()
            .friction,
        ["teleport_friction"]
    );
}

#[test]
fn must_comes_first_not_now_is_left_out_and_results_are_stable() {
    let needs = wants(&[
        ("notes", Priority::Could),
        ("calendar", Priority::NotNow),
        ("files", Priority::Must),
    ]);
    let a = recommend_needs(&needs, Profile::default(), &recipes(), &taxonomy());
    let order: Vec<_> = a.needs.iter().map(|n| n.need.as_str()).collect();
    assert_eq!(order, ["files", "notes"]);
    let b = recommend_needs(&needs, Profile::default(), &recipes(), &taxonomy());
    assert_eq!(a, b);
}

#[test]
fn every_taxonomy_candidate_is_in_the_bundled_catalogue_or_known_missing() {
    let snapshot = crate::snapshot::bundled();
    let taxonomy = ferry_core::needs::taxonomy();
    let missing: Vec<_> = taxonomy
        .needs
        .iter()
        .flat_map(|n| n.candidates.iter().map(|c| c.recipe.as_str()))
        .filter(|r| snapshot.recipes.get(r).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "candidates not in the bundled catalogue: {missing:?}"
    );
}

#[test]
fn a_card_shows_at_most_two_warnings_the_most_serious_for_this_organisation_first() {
    let profile = Profile {
        people: Some(60),
        capacity: Some(TechnicalCapacity::Nobody),
        sensitivity: Some(DataSensitivity::SpecialCategories),
    };
    let r = recommend_needs(
        &wants(&[("notes", Priority::Must)]),
        profile,
        &recipes(),
        &taxonomy(),
    );
    // alphanotes: alpha (young), sensitive data on a young recipe, no backups.
    let alpha = option(&r, "notes", "alphanotes");
    assert!(
        alpha.warnings.len() > NOTABLE_WARNINGS,
        "{:?}",
        alpha.warnings
    );
    assert_eq!(
        alpha.notable,
        [Warning::SensitiveDataOnYoungRecipe, Warning::NoBackups]
    );
    // pad is fine: nothing on its card; not every option for notes is warned.
    assert!(option(&r, "notes", "pad").notable.is_empty());
    assert!(!r.needs[0].all_warned);
    assert!(!r.unknown_scores);
}

#[test]
fn unknown_scores_are_said_once_and_a_need_with_only_warned_options_is_flagged() {
    let recipes = parse_catalogue(
        r#"{"pad": {}, "alphanotes": {"features": {"status": "1, alpha", "sso": "No", "backups": "No"}}}"#,
    )
    .unwrap()
    .recipes;
    let r = recommend_needs(
        &wants(&[("notes", Priority::Must)]),
        Profile::default(),
        &recipes,
        &taxonomy(),
    );
    assert!(r.unknown_scores);
    let pad = option(&r, "notes", "pad");
    assert!(
        pad.notable.is_empty(),
        "unknowns are not on the card: {:?}",
        pad.notable
    );
    // pad has no serious warning, so the need is not all warned…
    assert!(!r.needs[0].all_warned);
    // …but with only alphanotes it is.
    let only_alpha = parse_catalogue(
        r#"{"alphanotes": {"features": {"status": "1, alpha", "sso": "No", "backups": "No"}}}"#,
    )
    .unwrap()
    .recipes;
    let r = recommend_needs(
        &wants(&[("notes", Priority::Must)]),
        Profile::default(),
        &only_alpha,
        &taxonomy(),
    );
    assert!(r.needs[0].all_warned);
}

/// Issue #26, 5: the forum's warning about Facebook groups is for those who tick them.
#[test]
fn a_tools_own_problem_is_shown_only_to_those_who_use_it() {
    let recipes = crate::snapshot::bundled().recipes;
    let mut plan = ferry_core::Plan::new("Forening", ferry_core::Language::En).unwrap();
    plan.needs.needs = wants(&[("forum", Priority::Must)]);
    let friction = |plan: &ferry_core::Plan| {
        recommend(plan, &recipes, ferry_core::needs::taxonomy()).needs[0]
            .friction
            .clone()
    };
    assert!(friction(&plan).is_empty());
    plan.tools.tools.push(ferry_core::model::ToolUse {
        tool: "facebook_groups".into(),
        reach: None,
        power_users: false,
        data_volume: None,
        sensitivity: None,
        notes: String::new(),
    });
    assert_eq!(friction(&plan), ["facebook_groups"]);
}

#[test]
fn young_apps_alone_do_not_make_a_need_all_warned() {
    // Both options are only young (alpha, SSO and backups fine): no "serious drawback".
    let young = parse_catalogue(
        r#"{"pad": {"features": {"status": "1, alpha", "sso": "3", "backups": "Yes"}},
            "alphanotes": {"features": {"status": "1, alpha", "sso": "3", "backups": "Yes"}}}"#,
    )
    .unwrap()
    .recipes;
    let r = recommend_needs(
        &wants(&[("notes", Priority::Must)]),
        Profile::default(),
        &young,
        &taxonomy(),
    );
    let pad = option(&r, "notes", "pad");
    assert!(
        pad.notable
            .iter()
            .any(|w| matches!(w, Warning::Experimental { .. })),
        "the card still says it is young: {:?}",
        pad.notable
    );
    assert!(!r.needs[0].all_warned);
    assert!(Warning::NoSso.is_serious() && !Warning::SsoUnknown.is_serious());
}
