// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // One binary, two programs: started as `ferry-cli` (the packages' launcher does
    // `exec -a ferry-cli ferry`) it is the command line, otherwise the app. One copy of
    // the engine keeps the .deb small.
    let argv0 = std::env::args_os().next().unwrap_or_default();
    if Path::new(&argv0)
        .file_name()
        .is_some_and(|n| n == "ferry-cli")
    {
        return ferry_cli::run();
    }
    // Answered without opening a window (the man page says the same).
    match std::env::args().nth(1).as_deref() {
        Some("--help" | "-h") => print!("{}", ferry_app::HELP),
        Some("--version" | "-V") => println!("ferry {}", env!("CARGO_PKG_VERSION")),
        _ => ferry_app::run(),
    }
    ExitCode::SUCCESS
}
