//! Credentials in the OS keyring, never on disk in plain text. Each is an entry of
//! the service `ferry` named by what it opens, e.g. `coop:<profile id>`.

const SERVICE: &str = "ferry";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No keyring here (no Secret Service, or it is locked): ask each time instead.
    #[error("this computer has no unlocked keyring to keep the secret in: {detail}")]
    NoSecureStore { detail: String },
    #[error("the keyring refused: {detail}")]
    Keyring { detail: String },
}

fn classify(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            SecretError::NoSecureStore {
                detail: e.to_string(),
            }
        }
        other => SecretError::Keyring {
            detail: other.to_string(),
        },
    }
}

fn entry(name: &str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(SERVICE, name).map_err(classify)
}

/// The key under which a hosting co-op profile's API token is kept.
pub fn coop_token_key(profile_id: &str) -> String {
    format!("coop:{profile_id}")
}

pub fn set(name: &str, secret: &str) -> Result<(), SecretError> {
    entry(name)?.set_password(secret).map_err(classify)
}

/// The secret, or `None` if none is stored under `name`.
pub fn get(name: &str) -> Result<Option<String>, SecretError> {
    match entry(name)?.get_password() {
        Ok(s) => Ok(Some(s)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(classify(e)),
    }
}

pub fn delete(name: &str) -> Result<(), SecretError> {
    match entry(name)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(classify(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Runs against the real Secret Service: `make test` provides an unlocked
    // gnome-keyring in a private D-Bus session (scripts/with-display).
    #[test]
    fn round_trip_through_the_os_keyring() {
        let name = format!("test:{}", std::process::id());
        match set(&name, "tøken with spaces") {
            Err(SecretError::NoSecureStore { detail }) => {
                assert!(
                    std::env::var("CI").is_err(),
                    "CI must provide an unlocked keyring: {detail}"
                );
                eprintln!("SKIPPED: no keyring here ({detail})");
                return;
            }
            other => other.unwrap(),
        }
        assert_eq!(get(&name).unwrap().as_deref(), Some("tøken with spaces"));
        delete(&name).unwrap();
        assert_eq!(get(&name).unwrap(), None);
        delete(&name).unwrap();
    }
}

ferry_codes::error_codes!(SecretError {
    NoSecureStore => "secrets.no_secure_store",
    Keyring => "secrets.keyring",
});
