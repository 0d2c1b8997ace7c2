use super::*;
use crate::model::{CredentialHolder, Language, NeedEntry, RestoreDrill};

fn plan_with_apps() -> Plan {
    let mut plan = Plan::new("Pasientforeningen", Language::Nb).unwrap();
    for (need, priority, recipe) in [
        ("email", Priority::Must, "mailu"),
        ("files", Priority::Should, "nextcloud"),
        ("video_meetings", Priority::Could, "jitsi"),
    ] {
        plan.needs.needs.push(NeedEntry {
            need: need.into(),
            priority,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        plan.recipes.set(
            need,
            Decision::Recipe {
                name: recipe.into(),
            },
        );
    }
    plan
}

#[test]
fn an_empty_exit_plan_lists_what_a_board_would_ask_for() {
    let plan = Plan::new("A", Language::En).unwrap();
    let g = gaps(&plan);
    assert_eq!(g[0], Gap::NoAppsChosen);
    assert!(g.contains(&Gap::TooFewCredentialHolders { count: 0, min: 2 }));
    assert!(g.contains(&Gap::NoRestoreDrill));
    assert_eq!(
        Gap::credential_holders(1).unwrap().describe(Language::En),
        "People named who hold the admin access and recovery codes: 1. Name at least 2, so that one person's absence does not lock everyone out."
    );
}

#[test]
fn one_credential_holder_is_a_gap_and_two_are_not() {
    let mut plan = plan_with_apps();
    let holder = |name: &str| CredentialHolder {
        name: name.into(),
        ..Default::default()
    };
    plan.exit_plan.credential_holders = vec![holder("Kari")];
    assert!(gaps(&plan).contains(&Gap::TooFewCredentialHolders { count: 1, min: 2 }));
    plan.exit_plan.credential_holders.push(holder("Ola"));
    assert!(
        !gaps(&plan)
            .iter()
            .any(|g| matches!(g, Gap::TooFewCredentialHolders { .. }))
    );
}

#[test]
fn the_latest_failed_drill_is_a_gap_until_a_later_one_succeeds() {
    let mut plan = plan_with_apps();
    let drill = |day: u32, result| RestoreDrill {
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, day),
        who: "Kari".into(),
        what: "nextcloud".into(),
        result,
        notes: String::new(),
    };
    plan.exit_plan.restore_drills = vec![
        drill(1, DrillResult::Restored),
        drill(9, DrillResult::Failed),
    ];
    assert!(gaps(&plan).contains(&Gap::LastDrillFailed));
    plan.exit_plan
        .restore_drills
        .push(drill(20, DrillResult::Restored));
    assert!(!gaps(&plan).contains(&Gap::LastDrillFailed));
}

#[test]
fn a_deadline_puts_the_phases_and_the_domain_move_on_the_timeline() {
    let mut plan = plan_with_apps();
    let deadline = chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    plan.organisation.deadline = Some(deadline);
    let e = suggest(&plan);
    assert!(e.phases.len() >= 2, "{:?}", e.phases);
    assert_eq!(e.phases[0].end, Some(deadline));
    let last = e.phases.last().unwrap();
    assert_eq!(last.start, Some(deadline));
    assert_eq!(last.end, chrono::NaiveDate::from_ymd_opt(2027, 9, 28));
    assert_eq!(e.cutover_date, Some(deadline));
}

#[test]
fn the_budget_is_in_the_currency_of_the_organisations_country() {
    let mut plan = plan_with_apps();
    plan.organisation.jurisdiction = Some("NO".into());
    assert_eq!(suggest(&plan).budget.currency, "NOK");
    plan.exit_plan.budget.currency = "EUR".into();
    assert_eq!(
        suggest(&plan).budget.currency,
        "EUR",
        "a person's choice stays"
    );
}

#[test]
fn suggestions_fill_only_what_is_empty_and_in_the_plan_language() {
    let mut plan = plan_with_apps();
    plan.exit_plan.recovery_time_hours = Some(24);
    let e = suggest(&plan);
    assert_eq!(e.triggers.len(), Trigger::ALL.len());
    assert_eq!(e.recovery_time_hours, Some(24), "a user's answer stays");
    let needs: Vec<_> = e
        .services
        .iter()
        .map(|s| (s.need.as_str(), s.impact))
        .collect();
    assert_eq!(
        needs,
        [
            ("email", Some(Impact::Critical)),
            ("files", Some(Impact::Serious)),
            ("video_meetings", Some(Impact::Minor))
        ]
    );
    assert_eq!(e.phases.len(), 2);
    assert_eq!(e.phases[0].needs, ["email"]);
    assert_eq!(e.phases[1].needs, ["files", "video_meetings"]);
    assert_eq!(e.sign_off_by, "Styret");
    assert_eq!(e.success_criteria.len(), 4);
    plan.exit_plan = e.clone();
    assert_eq!(suggest(&plan), e, "suggesting twice changes nothing");
    let mut p = crate::validate::Problems::default();
    e.check("exit_plan", &mut p);
    assert_eq!(p.into_result(), Ok(()));
}

#[test]
fn export_facts_follow_the_current_provider_and_the_users_own_words_win() {
    let mut plan = plan_with_apps();
    plan.language = Language::En;
    let email = need_def("email").unwrap();
    plan.organisation.current_provider = Some(CurrentProvider::Microsoft365);
    let ms = export_plan(&plan, email);
    assert!(ms.method.contains("Purview"), "{}", ms.method);
    assert!(ms.from_ferry);
    assert!(!ms.not_migrating.is_empty());
    plan.organisation.current_provider = Some(CurrentProvider::GoogleWorkspace);
    assert!(export_plan(&plan, email).method.contains("Data Export"));
    plan.exit_plan.services.push(ServiceExit {
        need: "email".into(),
        not_migrating: "Filters\n\nLabels".into(),
        ..Default::default()
    });
    let own = export_plan(&plan, email);
    assert_eq!(own.not_migrating, ["Filters", "Labels"]);
    assert!(!own.from_ferry);
}

#[test]
fn defaults_give_each_triggers_usual_path_and_ferrys_facts_per_chosen_app() {
    let mut plan = plan_with_apps();
    plan.language = Language::En;
    plan.organisation.current_provider = Some(CurrentProvider::Mixed);
    // Chosen in another order than the board's: the board's order wins.
    plan.recipes.choices.reverse();
    plan.exit_plan.services.push(ServiceExit {
        need: "email".into(),
        export_method: "Our own IMAP copy".into(),
        ..Default::default()
    });
    let d = defaults(&plan);
    let emergency: Vec<Trigger> = d
        .triggers
        .iter()
        .filter(|t| t.path == ExitPath::Emergency)
        .map(|t| t.trigger)
        .collect();
    assert_eq!(
        emergency,
        [
            Trigger::AccountSuspension,
            Trigger::ProviderFailure,
            Trigger::NewHostCloses
        ]
    );
    let needs: Vec<&str> = d.services.iter().map(|s| s.need.as_str()).collect();
    assert_eq!(needs, ["email", "files", "video_meetings"]);
    let apps: Vec<(&str, &str)> = d
        .apps
        .iter()
        .map(|a| (a.need.as_str(), a.recipe.as_str()))
        .collect();
    assert_eq!(
        apps,
        [
            ("email", "mailu"),
            ("files", "nextcloud"),
            ("video_meetings", "jitsi")
        ]
    );
    let email = &d.services[0].export;
    assert!(email.from_ferry, "defaults ignore the user's own words");
    assert!(
        email.method.contains("Data Export") && email.method.contains("Purview"),
        "{}",
        email.method
    );
}

#[test]
fn every_exit_word_is_in_every_catalogue() {
    let mut keys: Vec<String> = Vec::new();
    for need in &taxonomy().needs {
        for m in [
            &need.export.google,
            &need.export.microsoft,
            &need.export.other,
        ] {
            keys.push(format!("export_method.{m}.name"));
            keys.push(format!("export_method.{m}.preconditions"));
        }
    }
    keys.extend(Trigger::ALL.iter().map(|t| format!("trigger.{}", t.key())));
    let empty = Plan::new("A", Language::En).unwrap();
    keys.extend(gaps(&empty).iter().map(|g| g.key().to_owned()));
    keys.extend((1..=4).map(|i| format!("exit.suggest.criterion_{i}")));
    for lang in Language::ALL {
        for key in &keys {
            let t = text(lang, key, &[]);
            assert_ne!(&t, key, "{key} is missing in {lang:?}");
        }
    }
}
