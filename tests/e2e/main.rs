//! End-to-end tests of the real Ferry window (see harness.rs for how it is driven).

mod arrive;
mod board;
mod coop_request;
mod driver;
mod evening;
mod exit_and_deploy;
mod harness;
mod import;
mod keyboard;
mod kill_save;
mod lost_work;
mod moving;
mod open_files;
mod room;
mod sso;
mod tools;
mod tour;
mod vote;

use ferry_core::{Library, Shelf};
use harness::App;

/// Create a plan, fill the organisation form, quit, relaunch: everything is there.
#[tokio::test(flavor = "multi_thread")]
async fn a_plan_filled_in_survives_quitting_and_relaunching() {
    if !harness::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();

    let app = App::launch(data.path()).await;
    assert_eq!(app.client.title().await.unwrap(), "Ferry");
    app.find("[data-testid=library-empty]").await;
    app.screenshot("01-library-empty").await;

    app.click("[data-testid=new-plan]").await;
    app.type_into("[data-testid=new-plan-name]", "Helsefagarbeidere Bergen")
        .await;
    // The documents' language is asked once, on the Organisation step, not here too.
    let dialog = app.text("[data-testid=new-plan-dialog]").await;
    assert!(!dialog.contains("Language"), "{dialog}");
    app.click("[data-testid=create-plan]").await;
    assert_eq!(
        app.text("[data-testid=plan-title]").await,
        "Helsefagarbeidere Bergen"
    );

    app.type_into("[data-testid=org-members]", "2000").await;
    app.type_into("[data-testid=org-active]", "140").await;
    app.find("[data-testid=org-kind] option[value=union]")
        .await
        .click()
        .await
        .unwrap();
    app.find("[data-testid=org-countries] option[value=NO]")
        .await
        .click()
        .await
        .unwrap();
    app.type_into("[data-testid=contact-name]", "Kari Nordmann")
        .await;
    app.type_into("[data-testid=contact-email]", "kari@example.no")
        .await;
    // One question each: which GDPR categories is the follow-up of "special
    // categories" (not a second question beside it), and the law's country sits with
    // the countries.
    assert!(app.all("[data-testid=org-special]").await.is_empty());
    app.select("[data-testid=org-sensitivity]", "special_categories")
        .await;
    app.click("[data-testid=special-health]").await;
    let order = app
        .client
        .execute(
            "const at = (id) => document.querySelector(`[data-testid=${id}]`); \
             const after = (a, b) => !!(at(a).compareDocumentPosition(at(b)) & 4); \
             return [after('org-sensitivity', 'org-special'), \
                     after('org-countries', 'org-jurisdiction'), \
                     after('org-jurisdiction', 'org-languages')];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(order, serde_json::json!([true, true, true]));

    // A wrong value is shown at its field and not saved; fixing it saves.
    app.type_into("[data-testid=org-active]", "3000").await;
    app.leave("[data-testid=org-active]").await;
    app.find("[data-testid=org-active-problem]").await;
    app.wait_until("the invalid state", || async {
        app.attr("[data-testid=save-state]", "data-status")
            .await
            .as_deref()
            == Some("invalid")
    })
    .await;
    app.type_into("[data-testid=org-active]", "140").await;
    app.wait_saved().await;
    app.screenshot("02-organisation").await;
    app.quit().await;

    // What the app saved is in the library the CLI and the engine read.
    {
        let lib = Library::open_in(data.path()).unwrap();
        let plans = lib.list(Shelf::Active, "").unwrap();
        assert_eq!(plans.len(), 1);
        let plan = lib.get(plans[0].id).unwrap();
        assert_eq!(plan.organisation.members, Some(2000));
        assert_eq!(plan.organisation.contact.email, "kari@example.no");
        assert_eq!(
            plan.organisation.special_categories,
            [ferry_core::model::SpecialCategory::Health]
        );
    }

    let app = App::launch(data.path()).await;
    let rows = app.all("[data-testid=plan-row]").await;
    assert_eq!(rows.len(), 1);
    app.screenshot("03-library").await;
    app.click("[data-testid=open-plan]").await;
    assert_eq!(app.value("[data-testid=org-members]").await, "2000");
    assert_eq!(app.value("[data-testid=org-active]").await, "140");
    assert_eq!(app.value("[data-testid=org-kind]").await, "union");
    assert_eq!(
        app.value("[data-testid=contact-name]").await,
        "Kari Nordmann"
    );
    assert_eq!(
        app.value("[data-testid=contact-email]").await,
        "kari@example.no"
    );
    let countries = app.text("[data-testid=organisation-form]").await;
    assert!(
        countries.contains("Norway"),
        "country chip missing: {countries}"
    );
    app.quit().await;
}

/// Importing a corrupt file shows the error in plain words and changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn importing_a_corrupt_file_shows_the_error_and_leaves_the_library_unchanged() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Existing plan", |_| {});
    let corrupt = data.path().join("broken.ferry.json");
    std::fs::write(
        &corrupt,
        "{\"format\": \"ferry-plan\", \"schema_version\": 1, \"plan\": {\"name\": ",
    )
    .unwrap();

    let app = App::launch(data.path()).await;
    assert_eq!(app.all("[data-testid=plan-row]").await.len(), 1);
    app.answer_open_dialog_with(&corrupt).await;
    app.click("[data-testid=import-plan]").await;
    let notice = app.text("[data-testid=notice]").await;
    assert!(notice.contains("could not be imported"), "{notice}");
    assert!(
        notice.contains("line 1"),
        "the message should say where the file breaks: {notice}"
    );
    app.screenshot("04-import-error").await;
    assert_eq!(app.all("[data-testid=plan-row]").await.len(), 1);
    app.quit().await;

    let lib = Library::open_in(data.path()).unwrap();
    let names: Vec<_> = lib
        .list(Shelf::Active, "")
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Existing plan"]);
}

/// Trash with undo, then the app language switch, which persists.
#[tokio::test(flavor = "multi_thread")]
async fn trash_undo_and_language_choice() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Partilaget Tromsø", |_| {});
    let app = App::launch(data.path()).await;
    app.click("[data-testid=trash-plan]").await;
    app.find("[data-testid=library-empty]").await;
    app.click("[data-testid=notice] button.link").await; // Undo
    app.wait_until("the plan to come back", || async {
        app.all("[data-testid=plan-row]").await.len() == 1
    })
    .await;

    app.find("[data-testid=app-language] option[value=nb]")
        .await
        .click()
        .await
        .unwrap();
    app.wait_until("Norwegian text", || async {
        app.text("#library-title").await == "Planene dine"
    })
    .await;
    app.quit().await;

    let app = App::launch(data.path()).await;
    assert_eq!(app.text("#library-title").await, "Planene dine");
    app.screenshot("05-library-nb").await;
    app.quit().await;
}

/// Tick three needs, pick what to do for each, restart: the choices are there. With
/// the catalogue address unreachable, the app works on the bundled snapshot and
/// says how old it is.
#[tokio::test(flavor = "multi_thread")]
async fn choices_for_three_needs_survive_a_restart_and_a_failed_refresh_keeps_the_snapshot() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Pasientforeningen Vest", |plan| {
        plan.organisation.members = Some(15);
        plan.organisation.technical_capacity = Some(ferry_core::model::TechnicalCapacity::Nobody);
        plan.organisation.data_sensitivity =
            Some(ferry_core::model::DataSensitivity::SpecialCategories);
    });
    // Nothing listens on this port: every refresh fails at once.
    let dead = ferry_testkit::DeadPort::new();
    let url = format!("http://127.0.0.1:{}/recipes.json", dead.port());
    let env = [("FERRY_CATALOGUE_URL", url.as_str())];

    let app = App::launch_with(data.path(), &env).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-needs]").await;
    for need in ["notes", "scheduling_polls", "video_meetings"] {
        app.click(&format!("[data-testid=need-{need}]")).await;
    }
    app.find("[data-testid=priority-video_meetings] option[value=must]")
        .await
        .click()
        .await
        .unwrap();
    app.screenshot("06-needs").await;
    app.click("[data-testid=step-recipes]").await;
    app.find("[data-testid=need-card-video_meetings]").await;
    app.click("[data-testid=choose-notes-hedgedoc]").await;
    app.click("[data-testid=choose-scheduling_polls-rallly]")
        .await;
    app.click("[data-testid=keep-video_meetings]").await;
    let summary = app.text("[data-testid=stack-summary]").await;
    assert!(summary.contains("HedgeDoc, Rallly"), "{summary}");

    let origin = app.text("[data-testid=catalogue-origin]").await;
    assert!(origin.contains("shipped with Ferry"), "{origin}");
    app.click("[data-testid=catalogue-refresh]").await;
    app.wait_until("the refresh to fail", || async {
        app.text("[data-testid=catalogue-message]")
            .await
            .contains("Could not update the catalogue")
    })
    .await;
    let message = app.text("[data-testid=catalogue-message]").await;
    assert!(
        message.contains("Ferry keeps using the catalogue of"),
        "{message}"
    );
    app.wait_saved().await;
    app.screenshot("07-recipes").await;
    app.quit().await;

    let app = App::launch_with(data.path(), &env).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-recipes]").await;
    for radio in [
        "choose-notes-hedgedoc",
        "choose-scheduling_polls-rallly",
        "keep-video_meetings",
    ] {
        let checked = app
            .find(&format!("[data-testid={radio}]"))
            .await
            .prop("checked")
            .await
            .unwrap();
        assert_eq!(checked.as_deref(), Some("true"), "{radio} not kept");
    }
    app.quit().await;

    let lib = Library::open_in(data.path()).unwrap();
    let plan = lib.get(lib.list(Shelf::Active, "").unwrap()[0].id).unwrap();
    assert_eq!(plan.needs.needs.len(), 3);
    assert_eq!(plan.recipes.choices.len(), 3);
}

/// Ticking the tools in use proposes needs; accepting them puts them on the needs
/// list, and the tools' details survive a restart.
#[tokio::test(flavor = "multi_thread")]
async fn tools_in_use_propose_needs_that_can_be_accepted() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Partilaget Vest", |_| {});
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    for tool in ["outlook", "teams", "facebook_groups"] {
        app.click(&format!("[data-testid=tool-{tool}]")).await;
    }
    app.find("[data-testid=reach-teams] option[value=everyone]")
        .await
        .click()
        .await
        .unwrap();
    app.wait_until("the proposals", || async {
        let text = app.text("[data-testid=proposed-needs]").await;
        text.contains("E-mail") && text.contains("Team chat") && text.contains("Forum")
    })
    .await;
    app.screenshot("12-tools").await;
    app.click("[data-testid=add-proposed]").await;
    app.wait_until("the proposals to be taken", || async {
        app.all("[data-testid=proposed-needs]").await.is_empty()
    })
    .await;
    app.click("[data-testid=step-needs]").await;
    for need in [
        "email",
        "team_chat",
        "video_meetings",
        "forum",
        "public_events",
    ] {
        let ticked = app
            .find(&format!("[data-testid=need-{need}]"))
            .await
            .prop("checked")
            .await
            .unwrap();
        assert_eq!(ticked.as_deref(), Some("true"), "{need}");
    }
    app.wait_saved().await;
    app.quit().await;

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-tools]").await;
    assert_eq!(app.value("[data-testid=reach-teams]").await, "everyone");
    app.quit().await;
}

/// One click on an example gives a filled, ordinary plan.
#[tokio::test(flavor = "multi_thread")]
async fn an_example_organisation_starts_a_filled_plan() {
    if !harness::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.click("[data-testid=example-party_chapter]").await;
    assert_eq!(
        app.text("[data-testid=plan-title]").await,
        "Example: a party chapter"
    );
    app.click("[data-testid=step-tools]").await;
    let ticked = app
        .find("[data-testid=tool-teams]")
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(ticked.as_deref(), Some("true"));
    app.click("[data-testid=back-to-library]").await;
    // The library reloads its list after the plan view closes.
    app.wait_until("the library to list the example", || async {
        app.all("[data-testid=plan-row]").await.len() == 1
    })
    .await;
    // The plan is one's own now: under the count of plans, with the examples folded below
    // it (above it, folded, they once made the plan look like another example).
    let order = app
        .client
        .execute(
            "const list = document.querySelector('ul.plans'); \
             const ex = document.querySelector('[data-testid=examples]'); \
             const yours = document.querySelector('[data-testid=your-plans]'); \
             return [!!yours && !!(yours.compareDocumentPosition(list) & 4), \
                     !!(list.compareDocumentPosition(ex) & 4), ex.open];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        order,
        serde_json::json!([true, true, false]),
        "heading before the list, examples after, folded"
    );
    app.quit().await;
    let lib = Library::open_in(data.path()).unwrap();
    let plans = lib.list(Shelf::Active, "").unwrap();
    let plan = lib.get(plans[0].id).unwrap();
    assert_eq!(plan.organisation.kind, ferry_core::OrganisationKind::Party);
    assert!(plan.check().is_ok());
}

/// Three organisations in one workshop: their needs side by side, consent recorded,
/// and the CSV names only the organisation that agreed.
#[tokio::test(flavor = "multi_thread")]
async fn the_cross_organisation_view_names_only_those_who_consent() {
    if !harness::available() {
        return;
    }
    use ferry_core::model::{NeedEntry, Priority};
    let data = tempfile::tempdir().unwrap();
    {
        let mut lib = Library::open_in(data.path()).unwrap();
        for (name, needs) in [
            (
                "Fagforbundet Bergen",
                &[("email", Priority::Must), ("files", Priority::Should)][..],
            ),
            (
                "Pasientforeningen Vest",
                &[("email", Priority::Should), ("forms", Priority::Could)][..],
            ),
            (
                "Partilaget Sentrum",
                &[("email", Priority::Must), ("files", Priority::Must)][..],
            ),
        ] {
            let mut plan = lib.create(name, ferry_core::Language::En).unwrap();
            for (need, priority) in needs {
                plan.needs.needs.push(NeedEntry {
                    need: (*need).into(),
                    priority: *priority,
                    notes: String::new(),
                    who: String::new(),
                    votes: 0,
                });
            }
            lib.save(&plan).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("workshop.csv");

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-cross]").await;
    assert_eq!(
        app.attr("[data-testid=row-email]", "data-shared")
            .await
            .as_deref(),
        Some("3")
    );
    app.click("[data-testid=consent-0]").await;
    app.click("[data-testid=only-shared]").await;
    app.wait_until("unshared needs to be filtered out", || async {
        app.all("[data-testid=row-forms]").await.is_empty()
    })
    .await;
    app.screenshot("15-cross-view").await;
    app.answer_save_dialog_with(&csv).await;
    app.click("[data-testid=export-csv]").await;
    app.find("[data-testid=cross-saved]").await;
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with(
            "Need,Organisations,Fagforbundet Bergen,Organisation 1,Organisation 2\r\n"
        ),
        "{text}"
    );
    assert!(
        !text.contains("Pasientforeningen") && !text.contains("Partilaget"),
        "{text}"
    );
    assert!(
        text.contains("E-mail,3,Must have,Should have,Must have"),
        "{text}"
    );
    app.quit().await;

    let lib = Library::open_in(data.path()).unwrap();
    let consents: Vec<bool> = lib
        .list(Shelf::Active, "")
        .unwrap()
        .iter()
        .map(|s| lib.get(s.id).unwrap())
        .filter(|p| p.organisation.consent_to_share)
        .map(|p| p.organisation.name == "Fagforbundet Bergen")
        .collect();
    assert_eq!(
        consents,
        [true],
        "only the first organisation consented, and it is saved"
    );
}

/// "Decide later" is called a good answer on the Apps step: choosing it for every need
/// that must or should be met finishes the step, as any other decision does.
#[tokio::test(flavor = "multi_thread")]
async fn deciding_later_finishes_the_apps_step() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Pasientforeningen Vest", |plan| {
        for (need, priority) in [
            ("email", ferry_core::model::Priority::Must),
            ("files", ferry_core::model::Priority::Should),
        ] {
            plan.needs.needs.push(ferry_core::model::NeedEntry {
                need: need.into(),
                priority,
                notes: String::new(),
                who: String::new(),
                votes: 0,
            });
        }
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-recipes]").await;
    app.click("[data-testid=later-email]").await;
    app.wait_saved().await;
    // One of two decided: still open.
    app.wait_until("the Apps step to have open points", || async {
        app.attr("[data-testid=step-recipes]", "data-status")
            .await
            .as_deref()
            == Some("open")
    })
    .await;
    app.click("[data-testid=later-files]").await;
    app.wait_saved().await;
    app.wait_until("the Apps step to be done", || async {
        app.attr("[data-testid=step-recipes]", "data-status")
            .await
            .as_deref()
            == Some("done")
    })
    .await;
    app.quit().await;
}
