//! Ferry's desktop shell. It holds app state, registers the commands (each a thin
//! call into the engine) and opens the window; everything else is in `crates/`.

mod commands;
mod open_files;
mod state;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tauri::{Manager, Runtime};

pub use state::AppState;

/// Where the shell finds its library; tests pass a temporary folder.
#[derive(Debug, Clone, Default)]
pub struct ShellConfig {
    /// `None`: `$FERRY_DATA_DIR`, else the OS data folder (shared with `ferry-cli`).
    pub data_dir: Option<PathBuf>,
    /// Plan files given on the command line, imported once the window is up.
    pub open_files: Vec<PathBuf>,
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
        .manage(open_files::OpenedFiles::new(config.open_files))
        .manage(state::SsoState::default())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_ready,
            commands::app::opened_files_take,
            commands::app::settings_get,
            commands::app::settings_set,
            commands::plans::plans_list,
            commands::plans::plan_create,
            commands::plans::plan_create_example,
            commands::plans::plan_get,
            commands::plans::plan_save,
            commands::plans::plan_draft,
            commands::plans::plan_progress,
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

/// `ferry --help`; the desktop entry, the man page (packaging/linux/ferry.1) and the
/// README describe the same.
pub const HELP: &str = "\
Ferry: plan an organisation's move off Google Workspace or Microsoft 365 onto
cooperative hosting.

Usage: ferry [FILE.ferry.json]...

Opens Ferry's window. Each FILE is imported as a new plan, as Import does, and
opened. If Ferry is already running, the files go to its window instead.

Environment:
  FERRY_DATA_DIR  folder of the plan library (default: ~/.local/share/ferry)
  FERRY_LOG       how much to log on stderr: error, warn, info (default), debug

The same library on the command line: ferry-cli (see ferry-cli --help).
";

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FERRY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cwd = std::env::current_dir().unwrap_or_default();
    let config = ShellConfig {
        data_dir: None,
        open_files: open_files::from_args(
            std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned()),
            &cwd,
        ),
    };
    let context = tauri::generate_context!();
    let other_library = std::env::var_os(ferry_core::library::DATA_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    // First among the plugins: a second start hands over before any window opens.
    let single =
        open_files::single_instance(&context.config().identifier, other_library.as_deref());
    builder(tauri::Builder::default().plugin(single), config)
        .run(context)
        .expect("Ferry could not start its window");
}
