//! The last two steps on a real plan: the exit plan (a missing credential holder
//! named, the PDF saved and read back) and an order to a hosting co-op followed live.

use ferry_core::{Library, Shelf};

use crate::harness::{self, App};

/// The exit-plan step of a filled-in plan: remove a credential holder and the plan
/// says it is missing one, add her back, save the PDF through the save dialog, and
/// find her in the file; after a restart she is still there.
#[tokio::test(flavor = "multi_thread")]
async fn exit_plan_warns_about_one_credential_holder_and_exports_a_pdf() {
    if !harness::available() {
        return;
    }
    let fixture = ferry_core::exchange::parse_file_text(include_str!(
        "../../crates/ferry-report/tests/fixtures/union-branch-nb.ferry.json"
    ))
    .unwrap();
    let data = harness::library_with_plan("Fagforbundet Bergen og omland", |plan| {
        plan.language = fixture.language;
        plan.organisation = fixture.organisation.clone();
        plan.needs = fixture.needs.clone();
        plan.recipes = fixture.recipes.clone();
        plan.exit_plan = fixture.exit_plan.clone();
    });
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("exitplan.pdf");

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-exit]").await;
    app.find("[data-testid=exit-gaps-none]").await;
    assert_eq!(app.value("[data-testid=holder-name-1]").await, "Åse Lærum");

    // Remove the second holder: the warning and the gap appear.
    app.click("[aria-label='Remove Åse Lærum']").await;
    app.find("[data-testid=holders-warning]").await;
    app.find("[data-gap=too_few_credential_holders]").await;
    app.click("[data-testid=add-holder]").await;
    app.type_into("[data-testid=holder-name-1]", "Åse Lærum")
        .await;
    app.wait_until("the warning to go", || async {
        app.all("[data-testid=holders-warning]").await.is_empty()
            && !app.all("[data-testid=exit-gaps-none]").await.is_empty()
    })
    .await;
    app.wait_saved().await;
    app.screenshot("08-exit-plan").await;

    app.answer_save_dialog_with(&pdf).await;
    app.click("[data-testid=export-pdf]").await;
    app.wait_until("the PDF to be saved", || async {
        app.attr("[data-testid=export-status]", "data-state")
            .await
            .as_deref()
            == Some("done")
    })
    .await;
    app.find("[data-testid=open-exported]").await;
    app.screenshot("09-exit-plan-exported").await;
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Åse Lærum"), "{text}");
    assert!(
        text.contains("Exit-plan"),
        "the plan's document language is Norwegian"
    );
    app.quit().await;

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-exit]").await;
    assert_eq!(app.value("[data-testid=holder-name-1]").await, "Åse Lærum");
    app.quit().await;
}

/// An order made in the window is carried out by ferry-hostd through the fake abra,
/// and each app's progress shows live; the outcome is kept in the plan.
#[tokio::test(flavor = "multi_thread")]
async fn an_order_goes_to_the_hosting_coop_and_its_progress_shows_live() {
    if !harness::available() {
        return;
    }
    let host_dir = tempfile::tempdir().unwrap();
    let token = "e2e-token-0b7c";
    let mut config =
        ferry_hostd::testing::loopback_config(host_dir.path(), &["swarm1.coop.example"], token);
    // A pause in each abra call, so that progress can be seen while it happens.
    config.abra = ferry_hostd::testing::fake_abra(host_dir.path(), &[("FAKE_ABRA_DELAY", "0.3")]);
    let running = ferry_hostd::start(config).await.unwrap();

    let data = harness::library_with_plan("Fagforbundet Bergen og omland", |plan| {
        use ferry_core::model::Decision;
        for (need, recipe) in [
            ("email", "mailu"),
            ("files", "nextcloud"),
            ("video_meetings", "jitsi"),
        ] {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: recipe.into(),
                },
            );
        }
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-deploy]").await;
    app.add_coop("Fjordhost SA", &format!("http://{}", running.addr), token)
        .await;
    app.type_into("[data-testid=base-domain]", "bergen-fag.example.no")
        .await;
    app.wait_until("the preview to show the addresses", || async {
        app.value("[data-testid=domain-files]").await == "nextcloud.bergen-fag.example.no"
    })
    .await;
    app.click("[data-testid=deploy-submit]").await;
    // Live: an app is seen being set up before all are running.
    app.wait_until("an app being set up", || async {
        !app.all("[data-state=running]").await.is_empty()
    })
    .await;
    app.screenshot("10-deploy-running").await;
    app.wait_until("every app to be deployed", || async {
        app.all("[data-testid^=order-app-][data-state=deployed]")
            .await
            .len()
            == 3
    })
    .await;
    app.wait_saved().await;
    app.screenshot("11-deploy-done").await;
    app.quit().await;
    running.stop();

    let lib = Library::open_in(data.path()).unwrap();
    let summary = lib.list(Shelf::Active, "").unwrap().remove(0);
    let plan = lib.get(summary.id).unwrap();
    let order = &plan.deploy.orders[0];
    let status = order.status.as_ref().expect("the outcome is in the plan");
    let deployed: Vec<_> = status
        .apps
        .iter()
        .map(|a| a.deployed.clone().unwrap())
        .collect();
    assert_eq!(deployed.len(), 3);
    assert!(deployed.iter().all(|d| d.contains(':')), "{deployed:?}");
    // The token is in the keyring, not in any file of the app's data folder.
    harness::assert_nowhere(&[token.to_owned()], &harness::files_under(data.path()));
}
