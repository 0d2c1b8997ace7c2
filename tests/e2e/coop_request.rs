//! No identity provider and no co-op yet: the SSO step offers a way forward — a
//! request to hand to hosting co-ops (a real PDF, read back), a guide to finding one,
//! and skipping the step for now.

use ferry_core::model::Decision;

use crate::harness::{self, App};

#[tokio::test(flavor = "multi_thread")]
async fn without_a_provider_the_sso_step_saves_a_request_and_moves_on() {
    if !harness::available() {
        return;
    }
    let data = harness::library_with_plan("Pasientforeningen", |plan| {
        plan.organisation.name = "Pasientforeningen Vest".into();
        plan.recipes.set(
            "notes",
            Decision::Recipe {
                name: "hedgedoc".into(),
            },
        );
    });
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("request.pdf");

    let app = App::launch(data.path()).await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-sso]").await;
    app.find("[data-testid=coop-request]").await;

    app.click("[data-testid=request-guide]").await;
    app.find("[data-testid=request-guide-dialog]").await;
    app.screenshot("22-sso-find-a-coop").await;
    app.click("[data-testid=request-guide-dialog] button.primary")
        .await;

    app.answer_save_dialog_with(&pdf).await;
    app.click("[data-testid=request-save]").await;
    app.find("[data-testid=request-open]").await;
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF was written");
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if let Ok(text) = text {
        assert!(
            text.contains("Pasientforeningen Vest") && text.contains("hedgedoc"),
            "{text}"
        );
    }

    app.click("[data-testid=request-skip]").await;
    app.find("[data-testid=exit-step]").await;
    app.quit().await;
}
