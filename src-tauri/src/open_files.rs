//! Plan files handed to Ferry from outside: on its command line (`ferry plan.ferry.json`,
//! the desktop entry's `%F` when someone double-clicks a file), or forwarded by a second
//! start to the window already running. The shell only queues the paths and answers
//! the window's waiting `opened_files_wait` call; the UI imports each with the same
//! command as its Import button, so the rules
//! (always a new plan, never overwriting) and the error for a broken file are the same.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Manager, Runtime, plugin::TauriPlugin};
use tokio::sync::Notify;

/// Files waiting for the UI to import them.
#[derive(Default)]
pub struct OpenedFiles {
    queue: Mutex<Vec<PathBuf>>,
    arrived: Notify,
}

impl OpenedFiles {
    pub fn new(files: Vec<PathBuf>) -> Self {
        OpenedFiles {
            queue: Mutex::new(files),
            arrived: Notify::new(),
        }
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<PathBuf>> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn push(&self, files: Vec<PathBuf>) {
        self.queue().extend(files);
        // Every waiter: one left by a page that was reloaded must not be the only one woken.
        self.arrived.notify_waiters();
    }

    /// Everything queued so far; each file is handed out once.
    pub fn take(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.queue())
    }

    /// Resolves once the queue is not empty (at once if it is not now).
    pub async fn waiting(&self) {
        loop {
            // Registered before the queue is looked at, so a push in between still wakes it.
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if !self.queue().is_empty() {
                return;
            }
            arrived.await;
        }
    }
}

/// The files among command-line arguments (program name already removed), made
/// absolute against `cwd`. Options (`-…`) are not files; `file://` URIs are.
pub fn from_args(args: impl IntoIterator<Item = String>, cwd: &Path) -> Vec<PathBuf> {
    args.into_iter()
        .filter(|a| !a.is_empty() && !a.starts_with('-'))
        .map(|a| match a.strip_prefix("file://") {
            Some(uri) => PathBuf::from(percent_decode(uri)),
            None => PathBuf::from(a),
        })
        .map(|p| if p.is_absolute() { p } else { cwd.join(p) })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One Ferry per plan library: a second start with the same library hands its files
/// to the running window and exits. Another library (`other_library`, from
/// `FERRY_DATA_DIR` as the tests use) is another instance, so test apps never meet.
pub fn single_instance<R: Runtime>(
    identifier: &str,
    other_library: Option<&Path>,
) -> TauriPlugin<R> {
    let mut id = identifier.to_owned();
    if let Some(dir) = other_library {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        dir.hash(&mut h);
        id.push_str(&format!(".lib{:016x}", h.finish()));
    }
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(id)
        .callback(|app: &AppHandle<R>, argv: Vec<String>, cwd: String| {
            let files = from_args(argv.into_iter().skip(1), Path::new(&cwd));
            tracing::info!(files = files.len(), "another start handed over its files");
            if let Some(shared) = app.try_state::<std::sync::Arc<crate::host::Shared>>() {
                shared.opened.push(files);
            }
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)] // Windows paths need a drive to be absolute
    #[test]
    fn files_are_made_absolute_and_options_skipped() {
        let cwd = Path::new("/home/a");
        let got = from_args(
            [
                "plan.ferry.json",
                "--flag",
                "/tmp/x.ferry.json",
                "file:///tmp/B%C3%A5t%20plan.ferry.json",
            ]
            .map(String::from),
            cwd,
        );
        assert_eq!(
            got,
            [
                PathBuf::from("/home/a/plan.ferry.json"),
                PathBuf::from("/tmp/x.ferry.json"),
                PathBuf::from("/tmp/Båt plan.ferry.json"),
            ]
        );
    }

    #[test]
    fn a_waiter_wakes_when_files_arrive_and_not_before() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let q = std::sync::Arc::new(OpenedFiles::default());
            let quiet =
                tokio::time::timeout(std::time::Duration::from_millis(50), q.waiting()).await;
            assert!(
                quiet.is_err(),
                "an empty queue must keep the caller waiting"
            );
            let waiter = tokio::spawn({
                let q = q.clone();
                async move { q.waiting().await }
            });
            let second = tokio::spawn({
                let q = q.clone();
                async move { q.waiting().await }
            });
            tokio::task::yield_now().await;
            q.push(vec![PathBuf::from("/a")]);
            for w in [waiter, second] {
                tokio::time::timeout(std::time::Duration::from_secs(5), w)
                    .await
                    .expect("every waiter woke")
                    .unwrap();
            }
            // Files already queued answer at once.
            tokio::time::timeout(std::time::Duration::from_millis(50), q.waiting())
                .await
                .expect("queued files answer at once");
            assert_eq!(q.take(), [PathBuf::from("/a")]);
        });
    }

    #[test]
    fn the_queue_hands_each_file_out_once() {
        let q = OpenedFiles::new(vec![PathBuf::from("/a")]);
        q.push(vec![PathBuf::from("/b")]);
        assert_eq!(q.take(), [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert!(q.take().is_empty());
    }
}
