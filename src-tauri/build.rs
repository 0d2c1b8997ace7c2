// Every command the UI may call is named here; tauri-build turns each into an
// `allow-…` permission, and capabilities/default.json grants exactly those.
const COMMANDS: &[&str] = &[
    "app_ready",
    "settings_get",
    "settings_set",
    "plans_list",
    "plan_create",
    "plan_create_example",
    "plan_get",
    "plan_save",
    "plan_rename",
    "plan_duplicate",
    "plan_trash",
    "plan_restore",
    "plan_purge",
    "plan_export",
    "plan_import",
    "catalogue_get",
    "catalogue_refresh",
    "needs_taxonomy",
    "tools_catalogue",
    "tools_proposed_needs",
    "plan_recommend",
    "workshop_view",
    "plan_set_consent",
    "workshop_export",
    "exit_plan_suggest",
    "exit_plan_gaps",
    "exit_plan_defaults",
    "plan_export_document",
    "open_exported",
    "coops_list",
    "coop_save",
    "coop_delete",
    "deploy_preview",
    "deploy_submit",
    "deploy_follow",
    "deploy_retry",
    "deploy_cancel",
    "sso_overview",
    "sso_login",
    "sso_forget",
    "sso_plan",
    "sso_apply",
    "sso_verify",
    "sso_app_settings",
    "sso_members_read",
    "sso_members_import",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build");
}
