//! The shell's commands through Tauri's real IPC and ACL, on the display-less mock
//! runtime: wiring, permissions and the error shape the UI receives.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

fn app(
    data: &Path,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    WebviewWindow<tauri::test::MockRuntime>,
) {
    app_opening(data, Vec::new())
}

/// The app as started with plan files on its command line.
fn app_opening(
    data: &Path,
    open_files: Vec<std::path::PathBuf>,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    WebviewWindow<tauri::test::MockRuntime>,
) {
    let config = ferry_app::ShellConfig {
        data_dir: Some(data.to_path_buf()),
        open_files,
    };
    let app = ferry_app::builder(mock_builder(), config)
        .build(tauri::generate_context!())
        .expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    (app, window)
}

fn invoke(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn create_save_list_and_errors_round_trip_through_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());

    let plan = invoke(
        &w,
        "plan_create",
        json!({"name": "Sykehusaksjonen", "language": "nb"}),
    )
    .unwrap();
    assert_eq!(plan["name"], "Sykehusaksjonen");
    assert_eq!(plan["revision"], 1);

    let mut edited = plan.clone();
    edited["organisation"]["members"] = json!(15);
    let outcome = invoke(&w, "plan_save", json!({ "plan": edited })).unwrap();
    assert_eq!(outcome["problems"], json!([]));
    let saved = outcome["plan"].clone();
    assert_eq!(saved["revision"], 2);

    let list = invoke(
        &w,
        "plans_list",
        json!({"trash": false, "query": "sykehus"}),
    )
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    // An edit with an invalid field is saved in part and kept whole as a draft.
    let mut bad = saved.clone();
    bad["organisation"]["contact"]["email"] = json!("not-an-email");
    let outcome = invoke(&w, "plan_save", json!({ "plan": bad })).unwrap();
    assert_eq!(
        outcome["problems"][0]["field"],
        "organisation.contact.email"
    );
    let draft = invoke(&w, "plan_draft", json!({ "id": saved["id"] })).unwrap();
    assert_eq!(
        draft["plan"]["organisation"]["contact"]["email"],
        "not-an-email"
    );

    // Engine errors reach the UI as a payload with a stable code and field problems.
    let err = invoke(
        &w,
        "plan_rename",
        json!({ "id": saved["id"], "name": "  " }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "plan.invalid");
    assert_eq!(err["problems"][0]["field"], "name");

    // Saving with the old revision is refused rather than overwriting.
    let err = invoke(&w, "plan_save", json!({ "plan": edited })).unwrap_err();
    assert_eq!(err["code"], "plan.conflict");

    let err = invoke(
        &w,
        "plan_import",
        json!({"path": dir.path().join("missing.ferry.json")}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "io.failed");

    invoke(&w, "settings_set", json!({"settings": {"language": "nb"}})).unwrap();
    assert_eq!(
        invoke(&w, "settings_get", json!({})).unwrap(),
        json!({"language": "nb"})
    );
}

#[test]
fn a_damaged_library_is_reported_by_every_command_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(ferry_core::library::FILE_NAME);
    std::fs::write(&file, b"not a database at all, just text".repeat(100)).unwrap();
    let (_app, w) = app(dir.path());
    let err = invoke(&w, "settings_get", json!({})).unwrap_err();
    assert_eq!(err["code"], "library.damaged");
    assert!(
        err["params"]["path"]
            .as_str()
            .unwrap()
            .ends_with(ferry_core::library::FILE_NAME)
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"not a database at all, just text".repeat(100)
    );
}

/// The commands declared in ferry-api, the generated UI client, the generated
/// permission list and capability must name the same commands, and every one of
/// them must pass the ACL (anything else must not).
#[test]
fn ui_permissions_and_commands_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let declared: BTreeSet<String> = ferry_api::COMMANDS
        .iter()
        .map(|c| c.name.to_owned())
        .collect();
    let for_window: BTreeSet<String> = ferry_api::COMMANDS
        .iter()
        .filter(|c| c.scope == ferry_api::Scope::Window)
        .map(|c| c.name.to_owned())
        .collect();

    let client = std::fs::read_to_string(root.join("../ui/src/lib/commands.ts")).unwrap();
    let from_ui: BTreeSet<String> = client
        .split("t.call<")
        .skip(1)
        .filter_map(|s| s.split('\'').nth(1).map(str::to_owned))
        .collect();

    let list = std::fs::read_to_string(root.join("commands.generated.txt")).unwrap();
    let from_build: BTreeSet<String> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect();

    let mut from_cap = BTreeSet::new();
    for file in ["capabilities/commands.json", "capabilities/default.json"] {
        let cap: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(file)).unwrap()).unwrap();
        from_cap.extend(
            cap["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| {
                    p.as_str()?
                        .strip_prefix("allow-")
                        .map(|c| c.replace('-', "_"))
                }),
        );
    }

    assert!(declared.len() >= 40, "parsed {declared:?}");
    assert_eq!(declared, from_ui, "ferry-api vs ui/src/lib/commands.ts");
    assert_eq!(
        for_window, from_build,
        "ferry-api vs commands.generated.txt"
    );
    assert_eq!(for_window, from_cap, "ferry-api vs the capabilities");
    assert!(
        for_window.len() < declared.len(),
        "the phones' commands are not the window's"
    );

    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());
    // Waits until a file is opened from outside: see the test below.
    for cmd in for_window.iter().filter(|c| *c != "opened_files_wait") {
        if let Err(e) = invoke(&w, cmd, json!({})) {
            let text = e.to_string();
            assert!(
                !text.contains("not allowed") && !text.contains("not found"),
                "{cmd}: {text}"
            );
        }
    }
    // The phones' commands exist, but Tauri's ACL refuses them in the window.
    for cmd in declared.difference(&for_window) {
        let text = invoke(&w, cmd, json!({})).unwrap_err().to_string();
        assert!(text.contains("not allowed"), "{cmd}: {text}");
    }
    let denied = invoke(&w, "no_such_command", json!({}))
        .unwrap_err()
        .to_string();
    assert!(
        denied.contains("not found") || denied.contains("not allowed"),
        "{denied}"
    );
}

#[test]
fn files_from_the_command_line_answer_the_waiting_window_and_are_handed_out_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Union branch.ferry.json");
    let (_app, w) = app_opening(dir.path(), vec![file.clone()]);
    // Queued before the window asked: the wait answers at once.
    assert_eq!(
        invoke(&w, "opened_files_wait", json!({})).unwrap(),
        Value::Null
    );
    assert_eq!(
        invoke(&w, "opened_files_take", json!({})).unwrap(),
        json!([file.to_string_lossy()])
    );
    assert_eq!(
        invoke(&w, "opened_files_take", json!({})).unwrap(),
        json!([])
    );
}
