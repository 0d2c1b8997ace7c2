//! Starting tauri-driver + WebKitWebDriver + the app, robustly on a busy machine.
//!
//! What went wrong before (docs/reliability.md, "A busy machine"):
//! - ports were found by binding port 0 and dropping the socket; anything else on the
//!   machine asking for an ephemeral port could take the number before the driver did;
//! - tauri-driver listens at once but starts WebKitWebDriver beside it; a session asked
//!   for before WebKitWebDriver listened was dropped ("SendRequest");
//! - a failed attempt could leave its app running, and the next attempt's app then
//!   handed over to it (one Ferry per library) and exited.
//!
//! Now: ports come from below the kernel's ephemeral range (which bind(0) and outgoing
//! connections never use), are checked free and never handed out twice in a run
//! (`ferry_testkit::reserve_port`); both
//! drivers are awaited; an attempt that fails is cleaned up before the next; attempts
//! back off within a budget measured on a loaded machine. Everything the drivers and the
//! app print goes to one log per test (`log_for_this_test`), named in any failure.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tokio::process::{Child, Command};

/// How long one session may take to start: the app's launch included. Measured with
/// `scripts/test-under-load` (two busy processes on two cores): sessions took 1–9 s,
/// up to 14 s right after a build; idle, about 1 s.
const SESSION_ATTEMPT: Duration = Duration::from_secs(60);
/// All attempts together; then the test fails, naming its log.
const SESSION_BUDGET: Duration = Duration::from_secs(180);
/// How long the drivers may take to listen.
const DRIVER_LISTEN: Duration = Duration::from_secs(30);

/// Where this test's drivers and app write: `target/tmp/e2e-logs/<test name>.log`.
/// Tests run on a thread named after the test (libtest), so the name is the thread's.
pub fn log_for_this_test() -> PathBuf {
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("e2e").replace("::", "-");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-logs");
    std::fs::create_dir_all(&dir).expect("target/tmp/e2e-logs");
    dir.join(format!("{name}.log"))
}

/// Installs (once) a panic hook that prints, after the panic's own message, the test's log
/// path and its last lines: a CI failure can then be read from the tail of CI's output.
pub fn name_log_on_failure() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            default(info);
            let log = log_for_this_test();
            if let Ok(text) = std::fs::read_to_string(&log) {
                let lines: Vec<&str> = text.lines().collect();
                let tail = &lines[lines.len().saturating_sub(40)..];
                eprintln!(
                    "--- the last {} lines of {} (drivers and app) ---\n{}\n--- end of log ---",
                    tail.len(),
                    log.display(),
                    tail.join("\n")
                );
            }
        }));
    });
}

/// Appends one line of the harness's own to the test's log.
pub fn note(log: &Path, line: &str) {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        let _ = writeln!(f, "[e2e harness] {line}");
    }
}

/// Opens a session (which launches the app), retrying with fresh drivers and ports
/// within `SESSION_BUDGET`. `cleanup` is awaited after a failed attempt: it must make
/// sure no app of that attempt still runs.
pub async fn start_session<F, Fut>(
    data_dir: &Path,
    env: &[(&str, &str)],
    log: &Path,
    mut cleanup: F,
) -> (Client, Child)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let began = Instant::now();
    let mut failures = Vec::new();
    let mut backoff = Duration::from_millis(500);
    for attempt in 1.. {
        let tried = Instant::now();
        match attempt_session(data_dir, env, log).await {
            Ok(started) => {
                note(
                    log,
                    &format!(
                        "session started in {} ms (attempt {attempt}, {} ms since the first)",
                        tried.elapsed().as_millis(),
                        began.elapsed().as_millis()
                    ),
                );
                return started;
            }
            Err(e) => {
                note(log, &format!("attempt {attempt} failed: {e}"));
                failures.push(format!("attempt {attempt}: {e}"));
                cleanup().await;
            }
        }
        if began.elapsed() + backoff > SESSION_BUDGET {
            break;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(8));
    }
    panic!(
        "WebDriver session did not start within {:?}: {}. Drivers' and app's output: {}",
        SESSION_BUDGET,
        failures.join("; "),
        log.display()
    );
}

async fn attempt_session(
    data_dir: &Path,
    env: &[(&str, &str)],
    log: &Path,
) -> Result<(Client, Child), String> {
    let stderr = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("log file {}: {e}", log.display()))?;
    let (port, native) = (ferry_testkit::reserve_port(), ferry_testkit::reserve_port());
    note(
        log,
        &format!("tauri-driver on {port}, WebKitWebDriver on {native}"),
    );
    let mut driver = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("FERRY_DATA_DIR", data_dir)
        .env("FERRY_LOG", "info")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::from(stderr))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("tauri-driver does not start: {e}"))?;

    // Both must listen: tauri-driver forwards the session request to WebKitWebDriver
    // and drops the connection if that one is not up yet.
    for (what, p) in [("tauri-driver", port), ("WebKitWebDriver", native)] {
        if let Err(e) = wait_listening(&mut driver, p).await {
            stop(&mut driver).await;
            return Err(format!("{what}: {e}"));
        }
    }

    // FERRY_E2E_APP runs the tests against another build of the app, e.g. one made
    // before a fix, to see a new test fail there.
    let app = std::env::var("FERRY_E2E_APP")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_ferry-app").to_owned());
    let caps = json!({
        "browserName": "wry",
        "tauri:options": { "application": app }
    });
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let session = tokio::time::timeout(
        SESSION_ATTEMPT,
        ClientBuilder::new(connector)
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{port}")),
    )
    .await;
    let error = match session {
        Ok(Ok(client)) => return Ok((client, driver)),
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no session within {SESSION_ATTEMPT:?}"),
    };
    stop(&mut driver).await;
    Err(error)
}

/// Waits until `port` accepts a connection, or the driver has exited.
async fn wait_listening(driver: &mut Child, port: u16) -> Result<(), String> {
    let started = Instant::now();
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = driver.try_wait() {
            return Err(format!("exited ({status}) before listening on {port}"));
        }
        if started.elapsed() > DRIVER_LISTEN {
            return Err(format!("did not listen on {port} within {DRIVER_LISTEN:?}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asks tauri-driver to stop (SIGTERM; it stops WebKitWebDriver itself) and waits a
/// little; kills it if it does not. Exactly one process is signalled, by pid, through
/// kill(2): never a process group and never a `kill` command line, where a negative
/// number can be read as "every process".
pub async fn stop(driver: &mut Child) {
    signal_stop(driver);
    if tokio::time::timeout(Duration::from_secs(5), driver.wait())
        .await
        .is_err()
    {
        let _ = driver.kill().await;
    }
}

pub fn signal_stop(driver: &Child) {
    if let Some(pid) = driver
        .id()
        .and_then(|p| i32::try_from(p).ok())
        .filter(|p| *p > 1)
    {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGTERM,
        );
    }
}
