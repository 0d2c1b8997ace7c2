//! Ferry's desktop shell: it implements the engine's host for the window, hands
//! every command to `ferry-api` and opens the window; everything else is in `crates/`.

mod host;
mod invoke;
mod open_files;
#[cfg(target_os = "linux")] // WebKitGTK only
mod rendering;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tauri::{Manager, Runtime};

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
    let data_dir = config
        .data_dir
        .or_else(ferry_core::library::default_data_dir);
    let shared = host::Shared::new(data_dir, config.open_files, started);
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(invoke::handler(shared.clone()))
        .manage(shared)
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
    // Still before any thread: setting up the log starts none.
    #[cfg(target_os = "linux")]
    rendering::choose_painter();
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
