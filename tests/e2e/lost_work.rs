//! Never lose an edit (#12): the secretary's evening as it went wrong before — members
//! corrected while a typo sat in another field, the window closed — and every typed
//! value is there after reopening.

use ferry_core::{Library, Shelf};

use crate::harness::{self, App};

#[tokio::test(flavor = "multi_thread")]
async fn every_typed_value_survives_an_invalid_field_and_a_restart() {
    if !harness::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.click("[data-testid=new-plan]").await;
    app.type_into("[data-testid=new-plan-name]", "Helsefagarbeiderne")
        .await;
    app.click("[data-testid=create-plan]").await;
    app.type_into("[data-testid=org-members]", "600000").await;
    app.wait_saved().await;
    // Nothing is said while the person is still typing in the field…
    assert!(
        app.all("[data-testid=org-members-notice]").await.is_empty(),
        "no remark while typing"
    );
    app.leave("[data-testid=org-members]").await;
    // …once they leave it: possible, so saved; unusual, so asked about at the field.
    assert!(
        app.text("[data-testid=org-members-notice]")
            .await
            .contains("600000"),
    );

    // The correction, the contact, and a typo in the e-mail address.
    app.type_into("[data-testid=org-members]", "60").await;
    // The next steps are a button away; the sidebar says how far each one is.
    app.find("[data-testid=step-next]").await;
    app.type_into("[data-testid=contact-name]", "Kari Nordmann")
        .await;
    app.type_into("[data-testid=contact-phone]", "+47 22 33 44 55")
        .await;
    app.type_into("[data-testid=contact-email]", "kari@@helse.example")
        .await;
    app.wait_until("the draft to be kept", || async {
        app.attr("[data-testid=save-state]", "data-status")
            .await
            .as_deref()
            == Some("invalid")
    })
    .await;
    // The engine has found the typo, but nothing is said while the person types…
    assert!(
        app.all("[data-testid=contact-email-problem]")
            .await
            .is_empty(),
        "no error while typing in the field"
    );
    // …it is named beside the field once they leave it.
    app.leave("[data-testid=contact-email]").await;
    app.find("[data-testid=contact-email-problem] .problem")
        .await;

    // Leaving the step asks first; staying keeps the person where they were.
    app.click("[data-testid=step-tools]").await;
    app.find("[data-testid=leave-dialog]").await;
    app.click("[data-testid=leave-stay]").await;
    app.find("[data-testid=organisation-form]").await;
    app.quit().await;

    // Every valid edit is in the plan itself, the rest in the draft.
    {
        let lib = Library::open_in(data.path()).unwrap();
        let id = lib.list(Shelf::Active, "").unwrap()[0].id;
        let plan = lib.get(id).unwrap();
        assert_eq!(plan.organisation.members, Some(60));
        assert_eq!(plan.organisation.contact.name, "Kari Nordmann");
        assert_eq!(plan.organisation.contact.phone, "+47 22 33 44 55");
        assert_eq!(plan.organisation.contact.email, "");
        let draft = lib.draft(id).unwrap().expect("the typed plan is kept");
        assert_eq!(draft.plan.organisation.contact.email, "kari@@helse.example");
    }

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    assert_eq!(app.value("[data-testid=org-members]").await, "60");
    assert_eq!(
        app.value("[data-testid=contact-name]").await,
        "Kari Nordmann"
    );
    assert_eq!(
        app.value("[data-testid=contact-email]").await,
        "kari@@helse.example"
    );
    assert_eq!(
        app.value("[data-testid=contact-phone]").await,
        "+47 22 33 44 55"
    );
    // Still marked, at its field.
    app.find("[data-testid=contact-email-problem] .problem")
        .await;
    assert_eq!(
        app.attr("[data-testid=save-state]", "data-status")
            .await
            .as_deref(),
        Some("invalid")
    );
    // Fixed: saved whole, and the draft is gone.
    app.type_into("[data-testid=contact-email]", "kari@helse.example")
        .await;
    app.wait_saved().await;
    app.quit().await;
    let lib = Library::open_in(data.path()).unwrap();
    let id = lib.list(Shelf::Active, "").unwrap()[0].id;
    assert_eq!(
        lib.get(id).unwrap().organisation.contact.email,
        "kari@helse.example"
    );
    assert_eq!(lib.draft(id).unwrap(), None);
}
