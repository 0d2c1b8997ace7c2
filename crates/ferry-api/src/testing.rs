//! A host for tests: a library in a temporary folder, secrets in memory.

use ferry_sso::secrets::{MemoryStore, SecretStore, Vault};

use crate::{ApiError, Host, LibrarySlot, Session};

pub struct TestHost {
    pub dir: tempfile::TempDir,
    library: LibrarySlot,
    vault: Vault,
    keyring: MemoryStore,
    session: Session,
    /// The web pages the engine asked to open, in order.
    pub opened_urls: std::sync::Mutex<Vec<String>>,
}

impl TestHost {
    pub fn new() -> Self {
        Self::with(tempfile::tempdir().expect("temporary folder"), None)
    }

    /// A host on the library in `dir` (which outlives it), e.g. for a child process.
    pub fn in_dir(dir: &std::path::Path) -> Self {
        Self::with(tempfile::tempdir().expect("temporary folder"), Some(dir))
    }

    fn with(dir: tempfile::TempDir, library_dir: Option<&std::path::Path>) -> Self {
        let library = LibrarySlot::open(Some(library_dir.unwrap_or(dir.path())));
        TestHost {
            dir,
            library,
            vault: Vault::memory_only(),
            keyring: MemoryStore::default(),
            session: Session::default(),
            opened_urls: Default::default(),
        }
    }
}

impl Default for TestHost {
    fn default() -> Self {
        Self::new()
    }
}

impl Host for TestHost {
    fn library(&self) -> &LibrarySlot {
        &self.library
    }
    fn vault(&self) -> &Vault {
        &self.vault
    }
    fn keyring(&self) -> &dyn SecretStore {
        &self.keyring
    }
    fn catalogue_store(&self) -> ferry_catalogue::Store {
        ferry_catalogue::Store::new(self.dir.path())
    }
    fn session(&self) -> &Session {
        &self.session
    }
    fn open_url(&self, url: &str) -> Result<(), ApiError> {
        self.opened_urls.lock().unwrap().push(url.to_owned());
        Ok(())
    }
    /// The built web bundle (ui/dist), when it has been built.
    fn assets(&self) -> Option<crate::room::Assets> {
        let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
        Some(std::sync::Arc::new(move |path: &str| {
            let bytes = std::fs::read(dist.join(path)).ok()?;
            let mime = match path.rsplit('.').next() {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            Some(crate::room::Asset {
                bytes,
                mime: mime.into(),
            })
        }))
    }
}
