//! What a client provides to the commands: the narrow set of things that differ
//! between the desktop window, the command line and a test.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use ferry_core::{CoreError, ErrorPayload, Library, Plan};
use ferry_sso::provider::Credentials;
use ferry_sso::secrets::{SecretStore, Vault};

use crate::ApiError;

/// The client side of the command surface. Only `library`, `vault`, `keyring`,
/// `catalogue_store` and `session` must be given; the rest have the usual answers.
pub trait Host: Send + Sync {
    /// The plan library, opened once and shared by every command.
    fn library(&self) -> &LibrarySlot;
    /// Secrets of single sign-on (the keyring, or this session's memory).
    fn vault(&self) -> &Vault;
    /// Where co-op API tokens live: the OS keyring, never a file.
    fn keyring(&self) -> &dyn SecretStore;
    /// The downloaded recipe catalogue's folder (or the bundled snapshot only).
    fn catalogue_store(&self) -> ferry_catalogue::Store;
    /// What the commands remember between calls in this session.
    fn session(&self) -> &Session;

    /// Where `catalogue_refresh` downloads from.
    fn catalogue_url(&self) -> String {
        ferry_catalogue::refresh::configured_url()
    }
    /// Admin credentials for the plan's identity provider. The CLI also reads its
    /// environment; the window only has what was saved at sign-in.
    fn admin_credentials(&self, plan: &Plan) -> Option<Credentials> {
        self.vault().admin(&plan.id.to_string())
    }
    /// Connection options for the identity provider (e.g. a CA file on the CLI).
    fn sso_options(&self) -> ferry_sso::Options {
        ferry_sso::Options::default()
    }
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    /// Today in the user's time zone (the date printed on documents).
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    /// The UI has drawn its first screen (the window shows itself then).
    fn window_ready(&self) {}
    /// Plan files opened from outside (double-click) not yet handed to the UI.
    fn take_opened_files(&self) -> Vec<PathBuf> {
        Vec::new()
    }
    /// Resolves once `take_opened_files` has something; refused where no file can arrive
    /// (the command line, a test), so nobody waits for ever.
    fn opened_files_waiting(&self) -> impl Future<Output = Result<(), ApiError>> + Send {
        std::future::ready(Err(ApiError::NotHere {
            what: "files opened from outside",
        }))
    }
    /// The network address a request came from: a phone's, over a workshop room's
    /// server; `None` for the window, the command line and tests.
    fn peer(&self) -> Option<std::net::IpAddr> {
        None
    }
    /// The app's own web bundle (the participant page of a workshop room), by path.
    fn assets(&self) -> Option<crate::room::Assets> {
        None
    }
    /// The installed list of the licences and notices of everything Ferry is built
    /// on, where the package put it; none where Ferry was not installed from one.
    fn licences_file(&self) -> Option<PathBuf> {
        None
    }
    /// Opens a web page in the system's browser (only addresses the engine holds).
    fn open_url(&self, _url: &str) -> Result<(), ApiError> {
        Err(ApiError::NotHere {
            what: "opening web pages",
        })
    }
    /// Opens a file in the system's viewer.
    fn open_path(&self, _path: &Path) -> Result<(), ApiError> {
        Err(ApiError::NotHere {
            what: "opening files",
        })
    }

    /// Runs `f` with the library, turning engine errors into the API's.
    fn with_library<T>(
        &self,
        f: impl FnOnce(&mut Library) -> ferry_core::Result<T>,
    ) -> Result<T, ApiError> {
        self.library().with(f)
    }
}

/// The plan library, or why it could not be opened (told to every command that needs it).
#[derive(Clone)]
pub struct LibrarySlot {
    library: Arc<Mutex<Result<Library, ErrorPayload>>>,
    /// Async callers queue here, in order, so that at most one blocking thread at a
    /// time waits for the library (`run`).
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl LibrarySlot {
    /// Opens the library in `data_dir` (`None`: there is no home folder).
    pub fn open(data_dir: Option<&Path>) -> Self {
        let library = match data_dir {
            Some(dir) => Library::open_in(dir).map_err(|e| {
                tracing::error!(error = %e, "plan library could not be opened");
                ApiError::from(e).to_payload()
            }),
            None => Err(ApiError::from(CoreError::Io {
                path: PathBuf::from("~"),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no home folder"),
            })
            .to_payload()),
        };
        if let Ok(lib) = &library {
            tracing::info!(path = %lib.path().display(), "plan library open");
        }
        LibrarySlot {
            library: Arc::new(Mutex::new(library)),
            turn: Arc::default(),
        }
    }

    /// Runs `f` with the library (the plans' or the workshop room's errors alike).
    pub fn with<T, E>(&self, f: impl FnOnce(&mut Library) -> Result<T, E>) -> Result<T, ApiError>
    where
        ApiError: From<E>,
    {
        // A panic in an earlier command must not lock the user out of their plans.
        let mut guard = self.library.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Ok(lib) => f(lib).map_err(ApiError::from),
            Err(e) => Err(ApiError::Unavailable(e.clone())),
        }
    }

    /// Runs `f` with the library on a blocking thread, so that SQLite's work (an fsync
    /// takes milliseconds) never holds up the async threads serving the workshop room.
    pub async fn run<T, E>(
        &self,
        f: impl FnOnce(&mut Library) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Send + 'static,
        ApiError: From<E>,
    {
        let _turn = self.turn.lock().await;
        let slot = self.clone();
        tokio::task::spawn_blocking(move || slot.with(f))
            .await
            .map_err(ApiError::internal)?
    }
}

/// What the commands remember between calls, per running client.
#[derive(Default)]
pub struct Session {
    /// Documents exported in this session: the only files `open_exported` opens.
    exported: Mutex<Vec<PathBuf>>,
    /// Whether admin credentials are saved, per plan id: asking the keyring goes over
    /// D-Bus, too slow for every edit on the SSO step.
    signed_in: Mutex<HashMap<String, bool>>,
    /// The workshop room this client runs, if one is open.
    room: Mutex<Option<Arc<crate::room::Room>>>,
    /// The last exports read (`import_read`), waiting for the person to confirm.
    import: Mutex<Option<ferry_import::Preview>>,
}

impl Session {
    pub fn remember_export(&self, path: PathBuf) {
        let mut list = self.exported.lock().unwrap_or_else(|p| p.into_inner());
        if !list.contains(&path) {
            list.push(path);
        }
    }

    pub fn was_exported(&self, path: &Path) -> bool {
        let list = self.exported.lock().unwrap_or_else(|p| p.into_inner());
        list.iter().any(|p| p == path)
    }

    /// Whether the plan has admin credentials, asking `vault` only the first time.
    pub fn signed_in(&self, plan_id: &str, vault: &Vault) -> bool {
        let mut cache = self.signed_in.lock().unwrap_or_else(|p| p.into_inner());
        *cache
            .entry(plan_id.to_owned())
            .or_insert_with(|| vault.admin(plan_id).is_some())
    }

    pub fn room(&self) -> Option<Arc<crate::room::Room>> {
        self.room.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_room(&self, room: Option<Arc<crate::room::Room>>) {
        *self.room.lock().unwrap_or_else(|p| p.into_inner()) = room;
    }

    pub fn import(&self) -> Option<ferry_import::Preview> {
        self.import
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_import(&self, preview: Option<ferry_import::Preview>) {
        *self.import.lock().unwrap_or_else(|p| p.into_inner()) = preview;
    }

    /// After a sign-in or sign-out: the next question goes to the vault again.
    pub fn forget_sign_in(&self, plan_id: &str) {
        let mut cache = self.signed_in.lock().unwrap_or_else(|p| p.into_inner());
        cache.remove(plan_id);
    }
}
