//! End-to-end tests of the real Ferry window (see harness.rs for how it is driven).

mod harness;

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

    // A wrong value is shown at its field and not saved; fixing it saves.
    app.type_into("[data-testid=org-active]", "3000").await;
    app.find("[data-testid=org-active-problem]").await;
    app.wait_until("the invalid state", || async {
        app.attr("[data-testid=save-state]", "data-status")
            .await
            .as_deref()
            == Some("invalid")
    })
    .await;
    app.type_into("[data-testid=org-active]", "140").await;
    app.wait_until("autosave", || async {
        app.attr("[data-testid=save-state]", "data-status")
            .await
            .as_deref()
            == Some("saved")
    })
    .await;
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
    let data = tempfile::tempdir().unwrap();
    {
        let mut lib = Library::open_in(data.path()).unwrap();
        lib.create("Existing plan", ferry_core::Language::En)
            .unwrap();
    }
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
    let data = tempfile::tempdir().unwrap();
    {
        let mut lib = Library::open_in(data.path()).unwrap();
        lib.create("Partilaget Tromsø", ferry_core::Language::Nb)
            .unwrap();
    }
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
