//! Starts the real Ferry binary under tauri-driver + WebKitWebDriver and drives it.
//!
//! Needs a display (Xvfb in `make test`), `tauri-driver` and `WebKitWebDriver` on
//! PATH. With `CI=true` a missing piece fails the test; on a developer machine
//! without a display the tests say so and pass without running.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::json;
use tokio::process::Child;

use crate::driver;

/// One app at a time: WebKit under one Xvfb is heavy on two cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Whether the end-to-end tests can run here; panics in CI when they cannot.
pub fn available() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let mut missing = Vec::new();
    if std::env::var_os("DISPLAY").is_none() {
        missing.push("a display (run under xvfb-run, as `make test` does)".to_owned());
    }
    for tool in ["tauri-driver", "WebKitWebDriver"] {
        if which(tool).is_none() {
            missing.push(format!("`{tool}` on PATH"));
        }
    }
    if missing.is_empty() {
        return true;
    }
    let msg = format!("end-to-end tests need {}", missing.join(", "));
    assert!(!ci, "{msg}: in CI they must run, not be skipped");
    eprintln!("SKIPPED: {msg}");
    false
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(tool))
        .find(|p| p.is_file())
}

/// A fresh library folder holding one plan, changed by `edit` before the app starts.
pub fn library_with_plan(
    name: &str,
    edit: impl FnOnce(&mut ferry_core::Plan),
) -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let mut lib = ferry_core::Library::open_in(data.path()).unwrap();
    let mut plan = lib.create(name, ferry_core::Language::En).unwrap();
    edit(&mut plan);
    lib.save(&plan).unwrap();
    data
}

/// A running app and the WebDriver session that drives it.
pub struct App {
    pub client: Client,
    driver: Child,
    data_dir: PathBuf,
    log: PathBuf,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl App {
    /// Launches Ferry with its plan library in `data_dir` and waits for the first screen.
    pub async fn launch(data_dir: &Path) -> App {
        Self::launch_with(data_dir, &[]).await
    }

    /// Launches with extra environment for the app (e.g. `FERRY_CATALOGUE_URL`). The
    /// drivers' and the app's output go to this test's log (`App::log`).
    pub async fn launch_with(data_dir: &Path, env: &[(&str, &str)]) -> App {
        let serial = ONE_AT_A_TIME.lock().await;
        driver::name_log_on_failure();
        let log = driver::log_for_this_test();
        let (client, driver) = driver::start_session(data_dir, env, &log, || gone(data_dir)).await;
        let app = App {
            client,
            driver,
            data_dir: data_dir.to_path_buf(),
            log,
            _serial: serial,
        };
        // The plan list has loaded (or the library could not be opened).
        app.find("[data-testid=library][data-loaded=true], [data-testid=fatal-error]")
            .await;
        app.count_engine_calls().await;
        app
    }

    /// Counts the window's calls to the engine still waiting for an answer (Tauri's IPC
    /// goes through fetch), for `settled`.
    async fn count_engine_calls(&self) {
        let script = r#"
            if (!window.__ferryCalls) {
                window.__ferryCalls = { waiting: 0, names: [] };
                const real = window.fetch;
                window.fetch = (...args) => {
                    const c = window.__ferryCalls;
                    const name = String(args[0]).split('/').pop();
                    // Held open by design: until files are opened from outside, and the
                    // projector's long poll for the room's next change.
                    if (name === 'opened_files_wait' || name === 'room_watch') return real(...args);
                    c.waiting++;
                    c.names.push(name);
                    return real(...args).finally(() => {
                        c.waiting--;
                        c.names.splice(c.names.indexOf(name), 1);
                    });
                };
            }
            return true;
        "#;
        self.client.execute(script, vec![]).await.unwrap();
    }

    /// Waits until the window is still: no call to the engine waiting for its answer,
    /// fonts loaded, and the page's size and number of elements unchanged over three
    /// frames in a row. What a person sees once a step has finished drawing.
    pub async fn settled(&self) {
        let script = r#"
            const done = arguments[arguments.length - 1];
            document.fonts.ready.then(() => {
                let last = '', same = 0;
                const tick = () => {
                    const d = document.documentElement;
                    const now = `${d.scrollWidth}x${d.scrollHeight}/${document.getElementsByTagName('*').length}`;
                    const calls = window.__ferryCalls ? window.__ferryCalls.waiting : 0;
                    same = now === last && calls === 0 ? same + 1 : 0;
                    last = now;
                    window.__ferrySettle = { layout: now, calls: window.__ferryCalls?.names };
                    if (same >= 3) done(true); else requestAnimationFrame(tick);
                };
                requestAnimationFrame(tick);
            });
        "#;
        let still = tokio::time::timeout(TIMEOUT, self.client.execute_async(script, vec![])).await;
        if !matches!(still, Ok(Ok(_))) {
            // What kept it moving: calls still waiting, or a layout that keeps changing.
            let last = self
                .client
                .execute("return JSON.stringify(window.__ferrySettle)", vec![])
                .await;
            panic!("the window did not settle within {TIMEOUT:?}: {still:?}; last seen {last:?}");
        }
    }

    /// This test's log: the drivers' and the app's output, and the harness's notes.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Ends the session, which closes the app like a user closing its window.
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        driver::stop(&mut self.driver).await;
        gone(&self.data_dir).await;
    }

    /// SIGKILLs the app process itself, as a power cut would (no close, no flush),
    /// then ends the drivers and waits until nothing runs on the library. The app is
    /// found by its name and library, not as the drivers' child: WebKitWebDriver may
    /// start it from a thread whose children the main thread's list does not show (an
    /// app left running took over the next launch, one Ferry per library).
    pub async fn kill_app(mut self) {
        let needle = format!("FERRY_DATA_DIR={}", self.data_dir.display()).into_bytes();
        let mut pids = self.driver.id().map(descendants).unwrap_or_default();
        for p in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            if std::fs::read(p.path().join("environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == needle))
                && let Some(pid) = p.file_name().to_str().and_then(|n| n.parse().ok())
            {
                pids.push(pid);
            }
        }
        for pid in pids {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == "ferry-app" {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        driver::stop(&mut self.driver).await;
        gone(&self.data_dir).await;
    }

    /// Adds a hosting co-op on the Deploy step (open) as a person types it, and waits
    /// until it is the one orders go to.
    pub async fn add_coop(&self, name: &str, url: &str, token: &str) {
        self.click("[data-testid=coop-add]").await;
        self.type_into("[data-testid=coop-name]", name).await;
        self.type_into("[data-testid=coop-url]", url).await;
        self.type_into("[data-testid=coop-token]", token).await;
        self.click("[data-testid=coop-save]").await;
        self.find("[data-testid=coop-select]").await;
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// Leaves the field `css` with the Tab key, as a person moving on would.
    pub async fn leave(&self, css: &str) {
        let el = self.find(css).await;
        el.send_keys("\u{E004}").await.unwrap();
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Waits until `check` holds, polling the page; panics with `what` after the timeout.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while !check().await {
            assert!(started.elapsed() < TIMEOUT, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the plan's autosave reports everything saved.
    pub async fn wait_saved(&self) {
        self.wait_until("autosave", || async {
            self.attr("[data-testid=save-state]", "data-status")
                .await
                .as_deref()
                == Some("saved")
        })
        .await;
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Waits until the text of `css` contains `needle` (an answer the window shows after
    /// the engine replies), and returns that text; panics with the last text seen.
    pub async fn text_containing(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.text(css).await;
            if text.contains(needle) {
                return text;
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {needle:?} in {css}; it shows: {text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.unwrap()
    }

    /// Answers the next native open-file dialog with `path`. A native dialog is the
    /// one part of the window WebDriver cannot operate, so only its answer is
    /// supplied; the command, the engine and the error display stay real.
    pub async fn answer_open_dialog_with(&self, path: &Path) {
        self.answer_dialog_with("plugin:dialog|open", json!(path))
            .await;
    }

    /// Answers the next open-file dialog that allows several files with `paths`.
    pub async fn answer_open_dialog_with_files(&self, paths: &[PathBuf]) {
        self.answer_dialog_with("plugin:dialog|open", json!(paths))
            .await;
    }

    pub async fn answer_save_dialog_with(&self, path: &Path) {
        self.answer_dialog_with("plugin:dialog|save", json!(path))
            .await;
    }

    /// Chooses `value` in a `<select>` as a person would (the change event included).
    pub async fn select(&self, css: &str, value: &str) {
        let script = r#"
            const [css, value] = arguments;
            const el = document.querySelector(css);
            if (!el || ![...el.options].some((o) => o.value === value)) return false;
            el.value = value;
            el.dispatchEvent(new Event('change', { bubbles: true }));
            return true;
        "#;
        let ok = self
            .client
            .execute(script, vec![json!(css), json!(value)])
            .await
            .unwrap();
        assert_eq!(ok, json!(true), "no option {value} in {css}");
    }

    async fn answer_dialog_with(&self, command: &str, answer: serde_json::Value) {
        // Tauri's IPC goes through fetch() to its custom protocol; the one request
        // for the dialog gets the chosen path as its answer, everything else is real.
        let script = r#"
            const [answer, command] = arguments;
            const realFetch = window.fetch;
            window.fetch = (input, init) => {
                const url = decodeURIComponent(String(input instanceof Request ? input.url : input));
                if (url.includes(command)) {
                    window.fetch = realFetch;
                    return Promise.resolve(new Response(JSON.stringify(answer), {
                        headers: { 'Content-Type': 'application/json', 'Tauri-Response': 'ok' },
                    }));
                }
                return realFetch(input, init);
            };
            return typeof window.fetch === 'function' && window.fetch !== realFetch;
        "#;
        let ok = self
            .client
            .execute(script, vec![json!(answer), json!(command)])
            .await
            .unwrap();
        assert_eq!(ok, json!(true), "could not answer {command}");
    }

    /// Scrolls the element into view (for screenshots of what is below the fold).
    pub async fn scroll_to(&self, css: &str) {
        let el = self.find(css).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); return true;",
                vec![serde_json::to_value(&el).unwrap()],
            )
            .await
            .unwrap();
    }

    /// Scrolls so that the element's top is at the top of the window (a facilitator
    /// scrolling the board into view).
    pub async fn scroll_to_top(&self, css: &str) {
        let el = self.find(css).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'start'}); return true;",
                vec![serde_json::to_value(&el).unwrap()],
            )
            .await
            .unwrap();
    }

    /// A screenshot for people to look at (not for assertions), when FERRY_SCREENSHOTS is set.
    pub async fn screenshot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("FERRY_SCREENSHOTS") {
            self.settled().await;
            let png = self.client.screenshot().await.unwrap();
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }
}

/// Every file under `dir`, in all its folders.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Fails if any of `secrets` appears, as bytes, in any of `files`.
pub fn assert_nowhere(secrets: &[String], files: &[PathBuf]) {
    for file in files {
        let bytes = std::fs::read(file).unwrap();
        for secret in secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "a secret is in {}",
                file.display()
            );
        }
    }
}

/// Every process below `pid` (Linux /proc).
fn descendants(pid: u32) -> Vec<i32> {
    let mut out = Vec::new();
    let mut todo = vec![pid.to_string()];
    while let Some(p) = todo.pop() {
        let children =
            std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
        for c in children.split_whitespace() {
            if let Ok(n) = c.parse() {
                out.push(n);
            }
            todo.push(c.to_owned());
        }
    }
    out
}

/// Waits until nothing runs with this library any more (the app and its drivers carry
/// FERRY_DATA_DIR): an app started again while the old one is still closing would hand
/// over to it, as there is one Ferry per library, and exit. What is still there after
/// a few seconds (WebKitWebDriver sometimes outlives tauri-driver) is killed.
async fn gone(data_dir: &Path) {
    let needle = format!("FERRY_DATA_DIR={}", data_dir.display()).into_bytes();
    let using_library = || -> Vec<i32> {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|p| {
                std::fs::read(p.path().join("environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == needle))
            })
            .filter_map(|p| p.file_name().to_str()?.parse().ok())
            .collect()
    };
    let started = Instant::now();
    loop {
        let pids = using_library();
        if pids.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "processes {pids:?} still run {TIMEOUT:?} after quitting"
        );
        if started.elapsed() > Duration::from_secs(3) {
            for pid in pids {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Drop for App {
    /// A test that fails leaves no app behind: the drivers' children (WebKitWebDriver,
    /// the app and its web processes) are killed, not left to run to the end of the
    /// suite, eating the CPU the next tests need. After `quit` there are none.
    fn drop(&mut self) {
        for pid in self.driver.id().map(descendants).unwrap_or_default() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        driver::signal_stop(&self.driver);
    }
}

// Keyboard use, as a person without a mouse works the window.

/// A special key (Tab, Enter, arrows) as text for `send_keys`.
pub fn key(k: Key) -> String {
    String::from(char::from(k))
}

impl App {
    /// The `data-testid` of the focused element ("" if it has none).
    pub async fn focused(&self) -> String {
        self.client
            .execute(
                "return document.activeElement?.dataset?.testid ?? ''",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Presses `keys` one after the other on the keyboard: they go to whatever has the
    /// focus when each arrives. (Sending them to "the active element" instead raced with
    /// the window: an element replaced between finding it and typing into it is stale.)
    pub async fn press(&self, keys: &str) {
        // Shift, Control and Alt stay down until Key::Null or the end, as with send_keys.
        let modifiers = [Key::Shift, Key::Control, Key::Alt, Key::Meta].map(char::from);
        let mut typing = KeyActions::new("keyboard".to_owned());
        let mut held = Vec::new();
        for value in keys.chars().chain([char::from(Key::Null)]) {
            if value == char::from(Key::Null) {
                for value in held.drain(..) {
                    typing = typing.then(KeyAction::Up { value });
                }
            } else if modifiers.contains(&value) {
                held.push(value);
                typing = typing.then(KeyAction::Down { value });
            } else {
                typing = typing
                    .then(KeyAction::Down { value })
                    .then(KeyAction::Up { value });
            }
        }
        self.client
            .perform_actions(typing)
            .await
            .unwrap_or_else(|e| panic!("pressing {keys:?}: {e}"));
    }

    /// Presses Tab until the element `testid` has the focus (at most 150 times).
    pub async fn tab_to(&self, testid: &str) {
        for _ in 0..150 {
            if self.focused().await == testid {
                return;
            }
            self.press(&key(Key::Tab)).await;
        }
        let here: serde_json::Value = self
            .client
            .execute(
                "const a = document.activeElement; return `${a?.tagName} ${a?.id} ${a?.getAttribute('aria-label') ?? ''} ${a?.textContent?.slice(0, 40) ?? ''}`",
                vec![],
            )
            .await
            .unwrap_or_default();
        panic!("Tab never reached {testid} (the focus is on {here})");
    }
}
