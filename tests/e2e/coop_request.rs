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

    // The system's browser, as xdg-open finds it: the default handler of https
    // addresses in the person's own settings (mimeapps.list), here a script that
    // writes down the address it was given.
    let browser = out.path().join("browser");
    let opened = out.path().join("opened.txt");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = out.path().join("config");
    let apps = out.path().join("data/applications");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        config.join("mimeapps.list"),
        "[Default Applications]\nx-scheme-handler/https=ferry-test-browser.desktop\n",
    )
    .unwrap();
    std::fs::write(
        apps.join("ferry-test-browser.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=Test browser\nExec={} %u\nMimeType=x-scheme-handler/https;\n",
            browser.display()
        ),
    )
    .unwrap();
    let config_env = config.display().to_string();
    let data_env = out.path().join("data").display().to_string();
    let app = App::launch_with(
        data.path(),
        &[
            ("XDG_CONFIG_HOME", &config_env),
            ("XDG_DATA_HOME", &data_env),
            ("XDG_CURRENT_DESKTOP", ""),
        ],
    )
    .await;
    app.click("[data-testid=open-plan]").await;
    app.click("[data-testid=step-sso]").await;
    app.find("[data-testid=coop-request]").await;

    app.click("[data-testid=request-guide]").await;
    app.find("[data-testid=request-guide-dialog]").await;
    // Where to start looking: public directories, each opened in the browser at the
    // engine's address.
    let lists = app.text("[data-testid=coop-directories]").await;
    for name in ["Co-op Cloud Federation", "Librehosters", "CHATONS"] {
        assert!(lists.contains(name), "{lists}");
    }
    app.screenshot("22-sso-find-a-coop").await;
    app.click("[data-testid=directory-librehosters]").await;
    app.wait_until(
        "the browser to be given the directory's address",
        || async {
            std::fs::read_to_string(&opened).is_ok_and(|s| s.trim() == "https://libreho.st/")
        },
    )
    .await;
    assert!(app.all("[data-testid=directory-problem]").await.is_empty());
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
