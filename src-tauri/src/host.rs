//! The desktop window as the engine's host: the library, the keyring and the
//! window itself. The commands are all in `ferry-api`; this only says where things are.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use ferry_api::{ApiError, Host, LibrarySlot, Session};
use ferry_sso::secrets::{OsKeyring, SecretStore, Vault};
use tauri::{Manager, Runtime, Webview};
use tauri_plugin_opener::OpenerExt;

use crate::open_files::OpenedFiles;

/// What lives as long as the app: shared by every command call.
pub struct Shared {
    library: LibrarySlot,
    /// Where the library and the downloaded catalogue live.
    data_dir: Option<PathBuf>,
    /// Found on first use: probing the keyring touches D-Bus, which start-up need not wait for.
    vault: OnceLock<Vault>,
    session: Session,
    pub opened: OpenedFiles,
    started: Instant,
}

impl Shared {
    pub fn new(data_dir: Option<PathBuf>, opened: Vec<PathBuf>, started: Instant) -> Arc<Self> {
        Arc::new(Shared {
            library: LibrarySlot::open(data_dir.as_deref()),
            data_dir,
            vault: OnceLock::new(),
            session: Session::default(),
            opened: OpenedFiles::new(opened),
            started,
        })
    }
}

/// The host for one call: the shared state and the window that asked.
pub struct WindowHost<R: Runtime> {
    pub shared: Arc<Shared>,
    pub webview: Webview<R>,
}

impl<R: Runtime> Host for WindowHost<R> {
    fn library(&self) -> &LibrarySlot {
        &self.shared.library
    }

    fn vault(&self) -> &Vault {
        self.shared.vault.get_or_init(Vault::detect)
    }

    fn keyring(&self) -> &dyn SecretStore {
        &OsKeyring
    }

    fn catalogue_store(&self) -> ferry_catalogue::Store {
        let dir = self
            .shared
            .data_dir
            .clone()
            .unwrap_or_else(std::env::temp_dir);
        ferry_catalogue::Store::new(&dir)
    }

    fn session(&self) -> &Session {
        &self.shared.session
    }

    fn window_ready(&self) {
        let ms = self.shared.started.elapsed().as_millis();
        // scripts/measure-startup reads this line.
        tracing::info!(ms, "ui ready");
        let window = self.webview.window();
        if let Err(e) = window.show().and_then(|()| window.set_focus()) {
            tracing::warn!(error = %e, "could not show the window");
        }
    }

    /// The bundle embedded in the app (the same files the window shows).
    fn assets(&self) -> Option<ferry_api::room::Assets> {
        let app = self.webview.app_handle().clone();
        Some(Arc::new(move |path: &str| {
            let asset = app.asset_resolver().get(path.to_owned())?;
            Some(ferry_api::room::Asset {
                bytes: asset.bytes,
                mime: asset.mime_type,
            })
        }))
    }

    fn take_opened_files(&self) -> Vec<PathBuf> {
        self.shared.opened.take()
    }

    fn opened_files_waiting(&self) -> impl Future<Output = Result<(), ApiError>> + Send {
        let shared = self.shared.clone();
        async move {
            shared.opened.waiting().await;
            Ok(())
        }
    }

    fn licences_file(&self) -> Option<PathBuf> {
        // Where the .deb and .rpm install it (scripts/package).
        let path = Path::new("/usr/share/doc/ferry/third-party-licenses.html");
        (cfg!(target_os = "linux") && path.is_file()).then(|| path.to_owned())
    }

    fn open_url(&self, url: &str) -> Result<(), ApiError> {
        self.webview
            .app_handle()
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|e| ApiError::LinkNotOpened {
                url: url.to_owned(),
                detail: e.to_string(),
            })
    }

    fn open_path(&self, path: &Path) -> Result<(), ApiError> {
        self.webview
            .app_handle()
            .opener()
            .open_path(path.to_string_lossy(), None::<&str>)
            .map_err(|e| ApiError::OpenFailed {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })
    }
}
