//! Ferry's desktop shell. It holds app state, registers the commands (each a thin
//! call into the engine) and opens the window; everything else is in `crates/`.

mod commands;
mod state;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tauri::{Manager, Runtime};

pub use state::AppState;

/// Where the shell finds its library; tests pass a temporary folder.
#[derive(Debug, Clone, Default)]
pub struct ShellConfig {
    /// `None`: `$FERRY_DATA_DIR`, else the OS data folder (shared with the `ferry` CLI).
    pub data_dir: Option<PathBuf>,
}

/// The app as both `run()` and the tests build it: plugins, state and commands.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, config: ShellConfig) -> tauri::Builder<R> {
    let started = Instant::now();
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::open(
            config
                .data_dir
                .or_else(ferry_core::library::default_data_dir),
        ))
        .manage(state::StartedAt(started))
        .manage(state::SsoState::default())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_ready,
            commands::app::settings_get,
            commands::app::settings_set,
            commands::plans::plans_list,
            commands::plans::plan_create,
            commands::plans::plan_create_example,
            commands::plans::plan_get,
            commands::plans::plan_save,
            commands::plans::plan_rename,
            commands::plans::plan_duplicate,
            commands::plans::plan_trash,
            commands::plans::plan_restore,
            commands::plans::plan_purge,
            commands::plans::plan_export,
            commands::plans::plan_import,
            commands::catalogue::catalogue_get,
            commands::catalogue::catalogue_refresh,
            commands::catalogue::needs_taxonomy,
            commands::catalogue::tools_catalogue,
            commands::catalogue::tools_proposed_needs,
            commands::catalogue::plan_recommend,
            commands::workshop::workshop_view,
            commands::workshop::plan_set_consent,
            commands::workshop::workshop_export,
            commands::exit::exit_plan_suggest,
            commands::exit::exit_plan_gaps,
            commands::exit::exit_plan_defaults,
            commands::exit::plan_export_document,
            commands::exit::open_exported,
            commands::deploy::coops_list,
            commands::deploy::coop_save,
            commands::deploy::coop_delete,
            commands::deploy::deploy_preview,
            commands::deploy::deploy_submit,
            commands::deploy::deploy_follow,
            commands::deploy::deploy_retry,
            commands::deploy::deploy_cancel,
            commands::sso::sso_overview,
            commands::sso::sso_login,
            commands::sso::sso_forget,
            commands::sso::sso_plan,
            commands::sso::sso_apply,
            commands::sso::sso_verify,
            commands::sso::sso_app_settings,
            commands::sso::sso_members_read,
            commands::sso::sso_members_import,
        ])
        .setup(|app| {
            // The window starts hidden and is shown by `app_ready` once the UI has
            // drawn, so nobody sees a blank frame; this is the fallback if it never does.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(5));
                if let Some(w) = handle.get_webview_window("main")
                    && !w.is_visible().unwrap_or(true)
                {
                    tracing::warn!("the UI did not report ready in 5 s; showing the window anyway");
                    let _ = w.show();
                }
            });
            Ok(())
        })
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FERRY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    builder(tauri::Builder::default(), ShellConfig::default())
        .run(tauri::generate_context!())
        .expect("Ferry could not start its window");
}
