//! The single sign-on step against Rauthy's contract server on loopback: a wrong
//! key, then connect, review, apply with progress, per-app results, the settings
//! for an app's admin, members, the order to a hosting co-op carrying the client
//! secrets, and a restart. Afterwards every secret used is looked for in the data
//! folder, the app's log and an exported document.

use ferry_core::model::Decision;
use ferry_sso::testing::{FakeIdp, RAUTHY_API_KEY};

use crate::harness::{self, App};

#[tokio::test(flavor = "multi_thread")]
async fn single_sign_on_is_set_up_checked_and_its_secrets_stay_in_the_keyring() {
    if !harness::available() {
        return;
    }
    let idp = FakeIdp::rauthy().await;
    let data = harness::library_with_plan("Pasientforeningen Vest", |plan| {
        for (need, recipe) in [
            ("files", "nextcloud"),
            ("wiki", "outline"),
            ("video_meetings", "jitsi"),
        ] {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: recipe.into(),
                },
            );
        }
        plan.deploy.base_domain = "vest.example".into();
        plan.organisation.members = Some(60);
        plan.organisation.technical_capacity =
            Some(ferry_core::model::TechnicalCapacity::OneVolunteer);
    });
    let env = [("FERRY_LOG", "debug")];
    let app = App::launch_with(data.path(), &env).await;
    let log = app.log().to_path_buf();
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-sso]").await;
    let suggestion = app.text("[data-testid=sso-suggestion]").await;
    assert!(suggestion.contains("Rauthy"), "{suggestion}");
    app.click("[data-testid=idp-rauthy]").await;
    app.type_into("[data-testid=sso-url]", &idp.url).await;
    app.text_containing(
        "[data-testid=sso-clients]",
        "https://nextcloud.vest.example/apps/user_oidc/code",
    )
    .await;
    app.text_containing("[data-testid=sso-step]", "No single sign-on for jitsi")
        .await;
    app.screenshot("16-sso-choose").await;

    // A wrong key is refused in plain words and not kept.
    app.type_into("[data-testid=sso-secret]", "ferry$wrong")
        .await;
    app.click("[data-testid=sso-connect]").await;
    app.wait_until("the refusal", || async {
        app.text("[data-testid=sso-message]")
            .await
            .contains("did not accept the sign-in details")
    })
    .await;

    app.type_into("[data-testid=sso-secret]", RAUTHY_API_KEY)
        .await;
    app.click("[data-testid=sso-connect]").await;
    let changes = app.text("[data-testid=sso-changes]").await;
    assert!(
        changes.contains("Create sign-in for nextcloud"),
        "{changes}"
    );
    assert!(
        changes.contains("Create the group pasientforeningen-vest/app-outline"),
        "{changes}"
    );
    app.scroll_to("[data-testid=sso-changes]").await;
    app.screenshot("17-sso-review").await;
    app.click("[data-testid=sso-apply]").await;
    app.wait_until("both apps to sign in", || async {
        app.all("[data-testid^=sso-check-][data-works=true]")
            .await
            .len()
            == 2
    })
    .await;
    app.find("[data-testid=sso-nothing]").await;
    assert_eq!(idp.client_ids().len(), 2);

    // The settings for Nextcloud's admin: the secret only when asked for.
    app.click("[data-testid=sso-check-nextcloud] summary").await;
    let hidden = app.text("[data-testid=sso-settings-nextcloud]").await;
    assert!(
        hidden.contains("--clientid=pasientforeningen-vest-nextcloud"),
        "{hidden}"
    );
    assert!(hidden.contains("••••"), "{hidden}");
    let secrets: Vec<String> = idp.snapshot()["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[1].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(secrets.len(), 2);
    assert!(!secrets.iter().any(|s| hidden.contains(s.as_str())));
    app.scroll_to("[data-testid=sso-check-nextcloud]").await;
    app.screenshot("18-sso-done").await;
    app.click("[data-testid=sso-reveal-nextcloud]").await;
    app.wait_until("the secret on request", || async {
        let shown = app.text("[data-testid=sso-settings-nextcloud]").await;
        secrets.iter().any(|s| shown.contains(s.as_str()))
    })
    .await;

    // Members: a bad row is named, a try changes nothing, then they are added.
    // WebDriver types a line break as the Enter key (U+E007).
    let list = "name,email,groups\nKari Nordmann,kari@vest.example,board\nOla,ola@,\n";
    app.type_into(
        "[data-testid=sso-members-text]",
        &list.replace('\n', "\u{E007}"),
    )
    .await;
    app.click("[data-testid=sso-members-read]").await;
    app.text_containing(
        "[data-testid=sso-step]",
        "Line 3: “ola@” is not an e-mail address.",
    )
    .await;
    app.click("[data-testid=sso-members-import]").await;
    app.wait_until("the try", || async {
        app.text("[data-testid=sso-members-outcomes]")
            .await
            .contains("would be added")
    })
    .await;
    assert!(idp.snapshot()["users"].as_array().unwrap().is_empty());
    app.click("[data-testid=sso-members-dry]").await;
    app.click("[data-testid=sso-members-import]").await;
    app.wait_until("the member to be added", || async {
        app.text("[data-testid=sso-members-outcomes]")
            .await
            .contains("added, in pasientforeningen-vest/members, pasientforeningen-vest/board")
    })
    .await;
    app.wait_saved().await;

    // The order to the hosting co-op carries each working app's client secret: the co-op's
    // abra (the fake, which records its arguments) is asked to insert it.
    let host_dir = tempfile::tempdir().unwrap();
    let token = "e2e-sso-token-5e1";
    let config =
        ferry_hostd::testing::loopback_config(host_dir.path(), &["swarm1.coop.example"], token);
    let running = ferry_hostd::start(config).await.unwrap();
    app.click("[data-testid=step-deploy]").await;
    let preview = app.text("[data-testid=deploy-step] table").await;
    assert!(preview.contains("Wired"), "{preview}");
    app.add_coop("Fjordhost SA", &format!("http://{}", running.addr), token)
        .await;
    app.click("[data-testid=deploy-submit]").await;
    app.wait_until("every app to be deployed", || async {
        app.all("[data-testid^=order-app-][data-state=deployed]")
            .await
            .len()
            == 3
    })
    .await;
    app.wait_saved().await;
    running.stop();
    let secret_of = |client: &str| -> String {
        let settings = idp.snapshot();
        settings["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s[0] == client)
            .unwrap()[1]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Each secret reached abra on its standard input (never its command line).
    for (domain, client) in [
        ("nextcloud.vest.example", "pasientforeningen-vest-nextcloud"),
        ("outline.vest.example", "pasientforeningen-vest-outline"),
    ] {
        assert!(
            ferry_hostd::testing::secret_inserted(
                host_dir.path(),
                domain,
                "oidc_client_secret",
                "v1",
                &secret_of(client)
            ),
            "{domain}: {:?}",
            ferry_hostd::testing::recorded_calls(host_dir.path())
        );
    }
    let inserted: Vec<Vec<String>> = ferry_hostd::testing::recorded_calls(host_dir.path())
        .into_iter()
        .filter(|c| c.get(2).map(String::as_str) == Some("insert"))
        .collect();
    assert!(
        !inserted
            .iter()
            .any(|c| c.iter().any(|a| a == "jitsi.vest.example")),
        "Jitsi has no sign-on, so no secret"
    );

    // The exit-plan document, as a person would export it.
    let markdown = data
        .path()
        .join("..")
        .join(format!("ferry-e2e-sso-{}.md", std::process::id()));
    app.click("[data-testid=step-exit]").await;
    app.answer_save_dialog_with(&markdown).await;
    app.click("[data-testid=export-markdown]").await;
    app.wait_until("the document to be saved", || async {
        app.attr("[data-testid=export-status]", "data-state")
            .await
            .as_deref()
            == Some("done")
    })
    .await;
    app.quit().await;

    // After a restart the results are in the plan and the credentials in the keyring.
    let app = App::launch_with(data.path(), &env).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-sso]").await;
    app.find("[data-testid=sso-signed-in]").await;
    assert_eq!(
        app.attr("[data-testid=sso-works-nextcloud]", "data-works")
            .await
            .as_deref(),
        Some("true")
    );
    app.quit().await;

    let mut all = secrets.clone();
    all.push(RAUTHY_API_KEY.to_owned());
    // The API key's secret part alone, too.
    all.push(RAUTHY_API_KEY.split('$').nth(1).unwrap().to_owned());
    let mut files = harness::files_under(data.path());
    files.push(log.clone());
    files.push(markdown.clone());
    // The app's own debug log is in it (every command it ran), not only the drivers'.
    assert!(
        std::fs::read_to_string(&log).unwrap().contains("sso_login"),
        "the app's log was captured in {}",
        log.display()
    );
    harness::assert_nowhere(&all, &files);
    let _ = std::fs::remove_file(&markdown);
}

/// Keycloak through the window: its realm field and the administrator name and
/// password, Norwegian on screen, then every app signs in.
#[tokio::test(flavor = "multi_thread")]
async fn keycloak_is_set_up_from_the_window_with_an_administrator_password() {
    if !harness::available() {
        return;
    }
    let idp = FakeIdp::keycloak().await;
    let data = harness::library_with_plan("Fagforeningen Øst", |plan| {
        plan.recipes.set(
            "knowledge_base",
            Decision::Recipe {
                name: "bookstack".into(),
            },
        );
        plan.deploy.base_domain = "ost.example".into();
    });
    {
        let mut lib = ferry_core::Library::open_in(data.path()).unwrap();
        lib.set_app_settings(&ferry_core::settings::AppSettings {
            language: Some(ferry_core::Language::Nb),
        })
        .unwrap();
    }
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-sso]").await;
    app.click("[data-testid=idp-keycloak]").await;
    app.type_into("[data-testid=sso-url]", &idp.url).await;
    // The realm Ferry proposes is the organisation's short name (the engine's answer
    // comes a moment after the last keystroke).
    app.wait_until("the proposed realm", || async {
        app.attr("[data-testid=sso-realm]", "placeholder")
            .await
            .is_some_and(|p| !p.is_empty())
    })
    .await;
    assert_eq!(
        app.attr("[data-testid=sso-realm]", "placeholder")
            .await
            .as_deref(),
        Some("fagforeningen-ost")
    );
    app.type_into("[data-testid=sso-name]", ferry_sso::testing::KEYCLOAK_ADMIN)
        .await;
    app.type_into(
        "[data-testid=sso-secret]",
        ferry_sso::testing::KEYCLOAK_PASSWORD,
    )
    .await;
    app.click("[data-testid=sso-connect]").await;
    let changes = app.text("[data-testid=sso-changes]").await;
    assert!(
        changes.contains("Lage Keycloak-området fagforeningen-ost"),
        "{changes}"
    );
    app.click("[data-testid=sso-apply]").await;
    app.wait_until("BookStack to sign in", || async {
        !app.all("[data-testid=sso-check-bookstack][data-works=true]")
            .await
            .is_empty()
    })
    .await;
    app.wait_saved().await;
    app.scroll_to("[data-testid=sso-check-bookstack]").await;
    app.screenshot("21-sso-keycloak-nb").await;
    app.quit().await;
    let realm = &idp.snapshot()["realms"]["fagforeningen-ost"];
    assert_eq!(realm["clients"][0]["clientId"], "bookstack");
}

/// Issue #26, 3: with no domain yet (it is asked on Deploy, step 7), the sign-in step
/// said "Your domain: Please fill this in" with no such field on the page, and the key
/// field appeared only once it was filled in there. The admin now connects first, and
/// the domain is asked right here.
#[tokio::test(flavor = "multi_thread")]
async fn the_sign_in_step_connects_and_asks_the_domain_itself() {
    if !harness::available() {
        return;
    }
    let idp = FakeIdp::rauthy().await;
    let data = harness::library_with_plan("Pasientforeningen Vest", |plan| {
        plan.recipes.set(
            "files",
            Decision::Recipe {
                name: "nextcloud".into(),
            },
        );
        plan.deploy.base_domain.clear();
    });
    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-sso]").await;
    app.click("[data-testid=idp-rauthy]").await;
    app.type_into("[data-testid=sso-url]", &idp.url).await;
    app.text_containing("[data-testid=sso-problems]", "Your domain")
        .await;
    app.type_into("[data-testid=sso-secret]", RAUTHY_API_KEY)
        .await;
    app.click("[data-testid=sso-connect]").await;
    app.find("[data-testid=sso-signed-in]").await;

    app.type_into("[data-testid=sso-base-domain]", "vest.example")
        .await;
    app.text_containing(
        "[data-testid=sso-clients]",
        "https://nextcloud.vest.example/apps/user_oidc/code",
    )
    .await;
    app.click("[data-testid=sso-review]").await;
    let changes = app.text("[data-testid=sso-changes]").await;
    assert!(
        changes.contains("Create sign-in for nextcloud"),
        "{changes}"
    );
    app.wait_saved().await;
    app.click("[data-testid=step-deploy]").await;
    assert_eq!(app.value("[data-testid=base-domain]").await, "vest.example");
    app.quit().await;
}
