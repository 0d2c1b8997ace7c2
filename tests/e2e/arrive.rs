//! The main path in the real window, on real parts: a hosting co-op (ferry-hostd on
//! loopback) whose abra "deploys" the keycloak recipe onto the real Keycloak of the run
//! with the admin credential the server made. The volunteer adds the co-op, types the
//! domain and presses one button; the window is killed while the co-op sets up the
//! sign-in service (as a power cut would), before its sealed key has come,
//! started again, and "Continue" takes it to the end: single sign-on works for both
//! apps on that Keycloak, each app was deployed once, and the admin credential is in
//! no file of Ferry's.

use ferry_core::{Library, Shelf};

use crate::harness::{self, App};

#[tokio::test(flavor = "multi_thread")]
async fn one_button_takes_a_plan_to_apps_that_sign_in_even_after_a_power_cut() {
    if !harness::available() {
        return;
    }
    let Some(kc) = ferry_testkit::keycloak::keycloak().await else {
        return;
    };
    let host_dir = tempfile::tempdir().unwrap();
    let token = "e2e-arrive-token-3f1";
    let mut config =
        ferry_hostd::testing::loopback_config(host_dir.path(), &["swarm1.coop.example"], token);
    // A pause in each abra call, so the window can be stopped while the co-op works.
    ferry_hostd::testing::deploys_keycloak_to(
        &mut config,
        host_dir.path(),
        &kc.url,
        &[("FAKE_ABRA_DELAY", "1.5")],
    );
    let running = ferry_hostd::start(config).await.unwrap();

    let data = harness::library_with_plan("Lærerlaget Vest", |plan| {
        use ferry_core::model::{Decision, IdpKind};
        for (need, recipe) in [("notes", "hedgedoc"), ("files", "nextcloud")] {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: recipe.into(),
                },
            );
        }
        plan.sso.idp = Some(IdpKind::Keycloak);
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-deploy]").await;
    app.add_coop("Fjordhost SA", &format!("http://{}", running.addr), token)
        .await;
    app.type_into("[data-testid=base-domain]", "laerarlag.example.no")
        .await;
    app.wait_until("the sign-in service's address", || async {
        app.text("[data-testid=arrive]")
            .await
            .contains("login.laerarlag.example.no")
    })
    .await;
    app.screenshot("30-arrive-ready").await;
    app.click("[data-testid=arrive-run]").await;
    // The sign-in service is ordered and the co-op is setting it up (its sealed key
    // not yet here): then the window goes, as in a power cut.
    app.wait_until("the co-op to be setting up the sign-in service", || async {
        app.attr("[data-testid=arrive-step-deploy_sign_in]", "data-state")
            .await
            .as_deref()
            == Some("now")
    })
    .await;
    app.kill_app().await;

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-deploy]").await;
    app.wait_until("the path to say where it continues", || async {
        app.attr("[data-testid=arrive]", "data-next")
            .await
            .as_deref()
            == Some("deploy_sign_in")
    })
    .await;
    let steps = app
        .all("[data-testid^=arrive-step-][data-state=done]")
        .await;
    assert_eq!(steps.len(), 1, "only the order is done");
    app.screenshot("31-arrive-to-continue").await;
    let button = app.text("[data-testid=arrive-run]").await;
    assert!(button.contains("Continue"), "{button}");
    app.click("[data-testid=arrive-run]").await;
    app.wait_until("the whole path to be done", || async {
        !app.all("[data-testid=arrive-done]").await.is_empty()
    })
    .await;
    app.wait_until("both apps deployed", || async {
        app.all("[data-testid^=order-app-][data-state=deployed]")
            .await
            .len()
            == 2
    })
    .await;
    app.wait_saved().await;
    app.screenshot("32-arrive-done").await;
    app.quit().await;
    running.stop();

    let lib = Library::open_in(data.path()).unwrap();
    let summary = lib.list(Shelf::Active, "").unwrap().remove(0);
    let plan = lib.get(summary.id).unwrap();
    let sign_in = plan.deploy.sign_in.clone().unwrap();
    assert!(sign_in.received_at.is_some());
    assert_eq!(plan.sso.url, kc.url.trim_end_matches('/'));
    assert_eq!(
        plan.sso.results.iter().filter(|r| r.works).count(),
        2,
        "{:?}",
        plan.sso.results
    );
    let mut domains = vec![sign_in.domain.clone()];
    domains.extend(
        ferry_core::deploy::preview(&plan)
            .into_iter()
            .filter_map(|a| a.domain),
    );
    for d in &domains {
        assert_eq!(
            ferry_hostd::testing::deploys_of(host_dir.path(), d),
            1,
            "{d}"
        );
    }
    // The admin credential the co-op made (as the swarm holds it) is in no file of
    // Ferry's; nor is the co-op's token.
    let swarm = host_dir
        .path()
        .join("abra-home/swarm")
        .join(&sign_in.domain)
        .join("admin_password_v2");
    let admin = std::fs::read_to_string(&swarm).unwrap();
    harness::assert_nowhere(
        &[admin, token.to_owned()],
        &harness::files_under(data.path()),
    );
}
