//! What the shell keeps between commands.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use ferry_core::{CoreError, ErrorPayload, Library};

/// When the process started, for the start-up figure logged by `app_ready`.
pub struct StartedAt(pub Instant);

/// The plan library, or why it could not be opened (shown to the user as is).
pub struct AppState {
    library: Mutex<Result<Library, ErrorPayload>>,
    /// Where the library and the downloaded catalogue live.
    pub data_dir: Option<PathBuf>,
    /// Documents exported in this session: the only files `open_exported` opens.
    exported: Mutex<Vec<PathBuf>>,
}

impl AppState {
    pub fn open(data_dir: Option<PathBuf>) -> Self {
        let library = match &data_dir {
            Some(dir) => Library::open_in(dir).map_err(|e| {
                tracing::error!(error = %e, "plan library could not be opened");
                e.to_payload()
            }),
            None => Err(CoreError::Io {
                path: PathBuf::from("~"),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no home folder"),
            }
            .to_payload()),
        };
        if let Ok(lib) = &library {
            tracing::info!(path = %lib.path().display(), "plan library open");
        }
        AppState {
            library: Mutex::new(library),
            data_dir,
            exported: Mutex::new(Vec::new()),
        }
    }

    pub fn remember_export(&self, path: PathBuf) {
        let mut list = self.exported.lock().unwrap_or_else(|p| p.into_inner());
        if !list.contains(&path) {
            list.push(path);
        }
    }

    pub fn was_exported(&self, path: &std::path::Path) -> bool {
        let list = self.exported.lock().unwrap_or_else(|p| p.into_inner());
        list.iter().any(|p| p == path)
    }

    /// The downloaded catalogue's folder, or the bundled snapshot only.
    pub fn catalogue_store(&self) -> ferry_catalogue::Store {
        let dir = self.data_dir.clone().unwrap_or_else(std::env::temp_dir);
        ferry_catalogue::Store::new(&dir)
    }

    /// Runs `f` with the library, turning engine errors into what the UI receives.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Library) -> ferry_core::Result<T>,
    ) -> Result<T, ErrorPayload> {
        // A panic in an earlier command must not lock the user out of their plans.
        let mut guard = self.library.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Ok(lib) => f(lib).map_err(|e| {
                tracing::warn!(code = e.code(), error = %e, "command failed");
                e.to_payload()
            }),
            Err(e) => Err(e.clone()),
        }
    }
}

/// The single sign-on step's secret store, found on first use (probing the keyring
/// touches D-Bus, which start-up need not wait for).
#[derive(Default)]
pub struct SsoState(std::sync::OnceLock<ferry_sso::secrets::Vault>);

impl SsoState {
    pub fn vault(&self) -> &ferry_sso::secrets::Vault {
        self.0.get_or_init(ferry_sso::secrets::Vault::detect)
    }
}
