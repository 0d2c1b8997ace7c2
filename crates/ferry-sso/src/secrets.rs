//! Where client secrets and the provider's admin credentials are kept: the OS
//! keyring, or (when there is none) this session's memory only.

use std::collections::HashMap;
use std::sync::Mutex;

use ferry_secrets::SecretError;

/// The keyring entry for an app's client secret.
pub fn client_secret_key(plan_id: &str, client_id: &str) -> String {
    format!("sso-client:{plan_id}:{client_id}")
}

/// The keyring entry for the provider's admin credential of a plan.
pub fn admin_key(plan_id: &str) -> String {
    format!("sso-admin:{plan_id}")
}

pub trait SecretStore: Send + Sync {
    fn put(&self, name: &str, secret: &str) -> Result<(), SecretError>;
    fn get(&self, name: &str) -> Result<Option<String>, SecretError>;
    fn delete(&self, name: &str) -> Result<(), SecretError>;
}

/// The OS keyring (Secret Service on Linux).
pub struct OsKeyring;

impl SecretStore for OsKeyring {
    fn put(&self, name: &str, secret: &str) -> Result<(), SecretError> {
        ferry_secrets::set(name, secret)
    }
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        ferry_secrets::get(name)
    }
    fn delete(&self, name: &str) -> Result<(), SecretError> {
        ferry_secrets::delete(name)
    }
}

/// Secrets kept only while the program runs: for a computer without a keyring
/// (they are asked for again next time) and for tests.
#[derive(Default)]
pub struct MemoryStore(Mutex<HashMap<String, String>>);

impl SecretStore for MemoryStore {
    fn put(&self, name: &str, secret: &str) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), secret.to_owned());
        Ok(())
    }
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned())
    }
    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
        Ok(())
    }
}

/// The OS keyring when this computer has an unlocked one, else this session's
/// memory (credentials are then asked for again next time, and the UI says why).
pub struct Vault {
    keyring: bool,
    memory: MemoryStore,
}

impl Vault {
    /// Probes the keyring once.
    pub fn detect() -> Self {
        let keyring = match ferry_secrets::get("sso-probe") {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(
                    code = e.code(),
                    "no keyring: secrets are kept in memory only"
                );
                false
            }
        };
        Vault {
            keyring,
            memory: MemoryStore::default(),
        }
    }

    /// Memory only, whatever the computer has (tests).
    pub fn memory_only() -> Self {
        Vault {
            keyring: false,
            memory: MemoryStore::default(),
        }
    }

    /// Whether secrets survive a restart (they are in the OS keyring).
    pub fn is_secure(&self) -> bool {
        self.keyring
    }

    pub fn save_admin(
        &self,
        plan_id: &str,
        credentials: &crate::provider::Credentials,
    ) -> Result<(), SecretError> {
        let text = serde_json::to_string(credentials).map_err(|e| SecretError::Keyring {
            detail: e.to_string(),
        })?;
        self.put(&admin_key(plan_id), &text)
    }

    pub fn admin(&self, plan_id: &str) -> Option<crate::provider::Credentials> {
        let text = self.get(&admin_key(plan_id)).ok().flatten()?;
        serde_json::from_str(&text).ok()
    }
}

impl SecretStore for Vault {
    fn put(&self, name: &str, secret: &str) -> Result<(), SecretError> {
        if self.keyring {
            OsKeyring.put(name, secret)
        } else {
            self.memory.put(name, secret)
        }
    }
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        if self.keyring {
            OsKeyring.get(name)
        } else {
            self.memory.get(name)
        }
    }
    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.memory.delete(name)?;
        if self.keyring {
            OsKeyring.delete(name)?;
        }
        Ok(())
    }
}
