//! A host for tests: a library in a temporary folder, secrets in memory.

use ferry_sso::secrets::{MemoryStore, SecretStore, Vault};

use crate::{Host, LibrarySlot, Session};

pub struct TestHost {
    pub dir: tempfile::TempDir,
    library: LibrarySlot,
    vault: Vault,
    keyring: MemoryStore,
    session: Session,
}

impl TestHost {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let library = LibrarySlot::open(Some(dir.path()));
        TestHost {
            dir,
            library,
            vault: Vault::memory_only(),
            keyring: MemoryStore::default(),
            session: Session::default(),
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
}
