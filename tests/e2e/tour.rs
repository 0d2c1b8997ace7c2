//! Every step of an example plan in English and Norwegian at 1280×800, as a volunteer
//! sees it: nothing scrolls sideways, and the step opens at its top. With
//! FERRY_SCREENSHOTS set it leaves one picture per step and language (docs/images/steps).

use ferry_core::examples::{Example, build};
use ferry_core::{Language, Library};

use crate::harness::{self, App};

const STEPS: [&str; 7] = [
    "organisation",
    "tools",
    "needs",
    "recipes",
    "sso",
    "exit",
    "deploy",
];

#[tokio::test(flavor = "multi_thread")]
async fn every_step_fits_1280_wide_in_english_and_norwegian() {
    if !harness::available() {
        return;
    }
    for (lang, code) in [(Language::En, "en"), (Language::Nb, "nb")] {
        let data = tempfile::tempdir().unwrap();
        {
            let mut lib = Library::open_in(data.path()).unwrap();
            lib.set_app_settings(&ferry_core::settings::AppSettings {
                language: Some(lang),
            })
            .unwrap();
            let plan = build(Example::PatientGroup, lang);
            lib.import(plan).unwrap();
        }
        let app = App::launch(data.path()).await;
        app.client.set_window_size(1280, 800).await.unwrap();
        app.click("[data-testid=open-plan]").await;
        for (i, step) in STEPS.iter().enumerate() {
            app.click(&format!("[data-testid=step-{step}]")).await;
            app.wait_until("the step to open", || async {
                app.attr(&format!("[data-testid=step-{step}]"), "aria-current")
                    .await
                    .as_deref()
                    == Some("step")
            })
            .await;
            app.settled().await;
            let layout: serde_json::Value = app
                .client
                .execute(
                    "return { wide: document.documentElement.scrollWidth, seen: window.innerWidth, top: window.scrollY }",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                layout["wide"].as_f64() <= layout["seen"].as_f64(),
                "{code} step {step} scrolls sideways: {layout}"
            );
            assert_eq!(layout["top"], 0, "{code} step {step} opens at its top");
            app.screenshot(&format!("step-{code}-{}-{step}", i + 1))
                .await;
        }
        app.quit().await;
    }
}
