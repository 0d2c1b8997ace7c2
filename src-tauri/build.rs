// Every command the UI may call is declared once in crates/ferry-api; `make bindings`
// writes their names to commands.generated.txt (checked for staleness in make test).
// tauri-build turns each into an `allow-…` permission, and the generated
// capabilities/commands.json grants exactly those.
const COMMANDS_FILE: &str = "commands.generated.txt";

fn commands() -> &'static [&'static str] {
    let text =
        std::fs::read_to_string(COMMANDS_FILE).expect("commands.generated.txt (make bindings)");
    let names: Vec<&'static str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| &*Box::leak(l.to_owned().into_boxed_str()))
        .collect();
    Box::leak(names.into_boxed_slice())
}

fn main() {
    println!("cargo:rerun-if-changed={COMMANDS_FILE}");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands())),
    )
    .expect("tauri-build");
}
