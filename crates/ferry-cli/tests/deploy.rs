//! `ferry-cli deploy submit|status|retry|cancel` against a real ferry-hostd with the fake abra.

mod common;

use std::path::Path;

use common::*;

const TOKEN: &str = "cli-test-token-51d";

async fn hostd(dir: &Path) -> ferry_hostd::Running {
    let config = ferry_hostd::testing::loopback_config(dir, &["swarm1.coop.example"], TOKEN);
    ferry_hostd::start(config).await.unwrap()
}

fn ferry_env(data: &Path, args: &[&str], token: &str) -> std::process::Output {
    command(data)
        .args(args)
        .env("FERRY_COOP_TOKEN", token)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_follow_and_status_through_the_hosting_api() {
    let dir = tempfile::tempdir().unwrap();
    let running = hostd(dir.path()).await;
    let url = format!("http://{}", running.addr);

    let mut plan = ferry_core::Plan::new("Pasientforeningen", ferry_core::Language::Nb).unwrap();
    plan.recipes.set(
        "notes",
        ferry_core::model::Decision::Recipe {
            name: "hedgedoc".into(),
        },
    );
    plan.deploy.base_domain = "pasient.example.no".into();
    let file = dir.path().join("plan.ferry.json");
    ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
    let file = file.to_str().unwrap().to_owned();

    let data = dir.path().join("data");
    let o = tokio::task::spawn_blocking({
        let (data, file, url) = (data.clone(), file.clone(), url.clone());
        move || {
            ferry_env(
                &data,
                &[
                    "deploy",
                    "submit",
                    &file,
                    "--api-url",
                    &url,
                    "--follow",
                    "--lang",
                    "en",
                ],
                TOKEN,
            )
        }
    })
    .await
    .unwrap();
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(
        has_line(&text, &["  Running ", " hedgedoc.pasient.example.no "]),
        "{text}"
    );

    let saved = ferry_core::exchange::read_plan_file(Path::new(&file)).unwrap();
    let order = saved.deploy.orders[0]
        .order_id
        .clone()
        .expect("the order id is in the file");
    assert!(saved.deploy.orders[0].status.as_ref().unwrap().is_final());

    let o = tokio::task::spawn_blocking({
        let (data, url, order) = (data.clone(), url.clone(), order.clone());
        move || {
            ferry_env(
                &data,
                &["deploy", "status", &order, "--api-url", &url],
                TOKEN,
            )
        }
    })
    .await
    .unwrap();
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("hedgedoc:"), "{}", out(&o));

    let o = tokio::task::spawn_blocking({
        let (data, url) = (data.clone(), url.clone());
        move || {
            ferry_env(
                &data,
                &["deploy", "status", &order, "--api-url", &url],
                "wrong",
            )
        }
    })
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("The co-op did not accept the access key."),
        "{}",
        out(&o)
    );
    running.stop();
}

#[test]
fn plain_http_to_another_machine_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = ferry_env(
        dir.path(),
        &[
            "deploy",
            "status",
            &uuid_str(),
            "--api-url",
            "http://api.coop.example",
        ],
        "t",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("does not start with https://"),
        "{}",
        out(&o)
    );
}

fn uuid_str() -> String {
    "6f1d3c2a-8b4e-4a51-9c77-2f0e5d9a1b33".into()
}

/// Runs `ferry-cli deploy …` off the async runtime (the server shares it).
async fn ferry_deploy(data: &Path, args: Vec<String>) -> std::process::Output {
    let data = data.to_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ferry_env(&data, &args, TOKEN)
    })
    .await
    .unwrap()
}

fn plan_file(dir: &Path, recipes: &[(&str, &str)]) -> String {
    let mut plan = ferry_core::Plan::new("Leieboerforeningen", ferry_core::Language::Nb).unwrap();
    for (need, recipe) in recipes {
        plan.recipes.set(
            need,
            ferry_core::model::Decision::Recipe {
                name: (*recipe).into(),
            },
        );
    }
    plan.deploy.base_domain = "leie.example.no".into();
    let file = dir.join(format!("plan-{}.ferry.json", recipes.len()));
    ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
    file.to_str().unwrap().to_owned()
}

fn order_of(file: &str) -> String {
    ferry_core::exchange::read_plan_file(Path::new(file))
        .unwrap()
        .deploy
        .orders[0]
        .order_id
        .clone()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_app_is_retried_and_waiting_apps_are_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("host");
    std::fs::create_dir_all(&host).unwrap();
    let mut config = ferry_hostd::testing::loopback_config(&host, &["swarm1.coop.example"], TOKEN);
    // The server's `abra app deploy` fails at first.
    config.abra = ferry_hostd::testing::fake_abra(&host, &[("FAKE_ABRA_FAIL", "deploy")]);
    let running = ferry_hostd::start(config).await.unwrap();
    let url = format!("http://{}", running.addr);
    let data = dir.path().join("data");
    let s = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();

    let file = plan_file(dir.path(), &[("notes", "hedgedoc")]);
    let o = ferry_deploy(
        &data,
        s(&[
            "deploy",
            "submit",
            &file,
            "--api-url",
            &url,
            "--follow",
            "--lang",
            "en",
        ]),
    )
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("Apps that failed: 1."), "{}", out(&o));
    let order = order_of(&file);

    let o = ferry_deploy(
        &data,
        s(&[
            "deploy",
            "retry",
            &order,
            "nowhere.example",
            "--api-url",
            &url,
        ]),
    )
    .await;
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("its apps are: hedgedoc.leie.example.no"),
        "{}",
        out(&o)
    );

    // The server is mended (same abra path, no failure), then the app is retried.
    ferry_hostd::testing::fake_abra(&host, &[]);
    let o = ferry_deploy(
        &data,
        s(&[
            "deploy",
            "retry",
            &order,
            "hedgedoc.leie.example.no",
            "--api-url",
            &url,
            "--follow",
        ]),
    )
    .await;
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        has_line(&out(&o), &["  Running ", " hedgedoc.leie.example.no "]),
        "{}",
        out(&o)
    );
    let news = ferry_hostd::testing::recorded_calls(&host)
        .iter()
        .filter(|c| c.get(1).map(String::as_str) == Some("new"))
        .count();
    assert_eq!(news, 1, "the retry did not create the app a second time");

    // Two apps on one server: the first hangs in deploy, the second waits; cancel it.
    ferry_hostd::testing::fake_abra(
        &host,
        &[("FAKE_ABRA_HANG", "deploy"), ("FAKE_ABRA_HANG_SECS", "4")],
    );
    let file = plan_file(dir.path(), &[("notes", "outline"), ("forum", "discourse")]);
    let o = ferry_deploy(&data, s(&["deploy", "submit", &file, "--api-url", &url])).await;
    assert!(o.status.success(), "{}", out(&o));
    let order = order_of(&file);
    let o = ferry_deploy(&data, s(&["deploy", "cancel", &order, "--api-url", &url])).await;
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        has_line(&out(&o), &["  Cancelled ", " discourse.leie.example.no "]),
        "{}",
        out(&o)
    );
    running.stop();
}

/// The window and the CLI order through one engine flow (`ferry_api::deploy::order`):
/// the same plan ordered through `dispatch` (kept in the library) and through
/// `ferry-cli deploy submit` (kept in the file) ends up the same, but for what only the
/// co-op or the moment decide (the order's id and key, its time and progress).
#[tokio::test(flavor = "multi_thread")]
async fn the_window_and_the_cli_keep_the_same_order_in_the_plan() {
    use ferry_api::Host;
    use serde_json::{Value, json};
    let dir = tempfile::tempdir().unwrap();
    let running = hostd(dir.path()).await;
    let url = format!("http://{}", running.addr);

    // Through the command surface, as the window calls it.
    let host = ferry_api::testing::TestHost::new();
    let ask = |command: &'static str, args: Value| {
        let host = &host;
        async move {
            ferry_api::dispatch(host, command, args, &|_| {})
                .await
                .unwrap_or_else(|e| panic!("{command}: {e:?}"))
        }
    };
    let coops = ask(
        "coop_save",
        json!({"profile": {"id": "", "name": url, "api_url": url}, "token": TOKEN}),
    )
    .await;
    let created = ask(
        "plan_create",
        json!({"name": "Leieboerforeningen", "language": "nb"}),
    )
    .await;
    let mut plan: ferry_core::Plan = serde_json::from_value(created).unwrap();
    plan.recipes.set(
        "notes",
        ferry_core::model::Decision::Recipe {
            name: "hedgedoc".into(),
        },
    );
    plan.deploy.base_domain = "leie.example.no".into();
    ask(
        "deploy_submit",
        json!({"plan": plan, "coopId": coops[0]["id"]}),
    )
    .await;
    let by_window = host.with_library(|lib| lib.get(plan.id)).unwrap();

    // Through the CLI, on a file of the same plan.
    let file = dir.path().join("plan.ferry.json");
    ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
    let o = ferry_deploy(
        &dir.path().join("data"),
        vec![
            "deploy".into(),
            "submit".into(),
            file.to_str().unwrap().into(),
            "--api-url".into(),
            url.clone(),
        ],
    )
    .await;
    assert!(o.status.success(), "{}", out(&o));
    let by_cli = ferry_core::exchange::read_plan_file(&file).unwrap();

    // What the co-op, the clock or the storage decide, set aside; everything else the same.
    let settled = |plan: &ferry_core::Plan| {
        let mut v = serde_json::to_value(plan).unwrap();
        for order in v["deploy"]["orders"].as_array_mut().unwrap() {
            assert!(order["order_id"].is_string(), "{order}");
            assert!(order["status"].is_object(), "{order}");
            for field in ["idempotency_key", "order_id", "submitted_at", "status"] {
                order[field] = Value::Null;
            }
        }
        // The library counts its saves (two here); a file does not.
        v["updated_at"] = Value::Null;
        v["revision"] = Value::Null;
        v
    };
    assert_eq!(by_window.deploy.orders.len(), 1);
    let (window, cli) = (settled(&by_window), settled(&by_cli));
    let differ: Vec<String> = window
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| cli.get(k.as_str()) != Some(v))
        .map(|(k, v)| format!("{k}: window {v} / cli {}", cli[k.as_str()]))
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
    running.stop();
}

/// `--coop NAME` finds the co-op the app saved, as the window does (`Coop::saved`),
/// by name in any case, its token from the environment; an unknown name is said so.
#[tokio::test(flavor = "multi_thread")]
async fn a_coop_saved_in_the_app_is_found_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let running = hostd(dir.path()).await;
    let data = dir.path().join("data");
    {
        let mut lib = ferry_core::Library::open_in(&data).unwrap();
        lib.save_coop_profile(&ferry_core::settings::CoopProfile {
            id: "c0ffee".into(),
            name: "Sky Kollektiv".into(),
            api_url: format!("http://{}", running.addr),
        })
        .unwrap();
    }
    // "sky kollektiv" reaches the co-op with the token (it does not know this order);
    // "Nobody" is no saved co-op.
    for (which, said) in [
        ("sky kollektiv", "The co-op does not know this order."),
        ("Nobody", "No hosting co-op called “Nobody”"),
    ] {
        let args = ["deploy", "status", &uuid_str(), "--coop", which];
        let o = ferry_deploy(&data, args.iter().map(|a| a.to_string()).collect()).await;
        assert_eq!(o.status.code(), Some(1));
        assert!(out(&o).contains(said), "{which}: {}", out(&o));
    }
    running.stop();
}
