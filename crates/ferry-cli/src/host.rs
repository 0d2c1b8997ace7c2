//! The command line as the engine's host: the library opened only when a command
//! needs it, admin credentials from the environment first, a CA file if given.

use std::path::PathBuf;
use std::sync::OnceLock;

use ferry_api::{Host, LibrarySlot, Session};
use ferry_core::Plan;
use ferry_sso::provider::{Credentials, Secret};
use ferry_sso::secrets::{OsKeyring, SecretStore, Vault};

pub const USER_ENV: &str = "FERRY_IDP_USER";
pub const PASSWORD_ENV: &str = "FERRY_IDP_PASSWORD";
pub const TOKEN_ENV: &str = "FERRY_IDP_TOKEN";
pub const CLIENT_ID_ENV: &str = "FERRY_IDP_CLIENT_ID";
pub const CLIENT_SECRET_ENV: &str = "FERRY_IDP_CLIENT_SECRET";

pub struct CliHost {
    data_dir: Option<PathBuf>,
    library: OnceLock<LibrarySlot>,
    vault: OnceLock<Vault>,
    session: Session,
    /// An extra certificate authority for the identity provider.
    pub ca_file: Option<PathBuf>,
}

impl CliHost {
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        CliHost {
            data_dir,
            library: OnceLock::new(),
            vault: OnceLock::new(),
            session: Session::default(),
            ca_file: None,
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Host for CliHost {
    fn library(&self) -> &LibrarySlot {
        self.library
            .get_or_init(|| LibrarySlot::open(self.data_dir.as_deref()))
    }

    fn vault(&self) -> &Vault {
        self.vault.get_or_init(Vault::detect)
    }

    fn keyring(&self) -> &dyn SecretStore {
        &OsKeyring
    }

    fn catalogue_store(&self) -> ferry_catalogue::Store {
        let dir = self.data_dir.clone().unwrap_or_else(std::env::temp_dir);
        ferry_catalogue::Store::new(&dir)
    }

    fn session(&self) -> &Session {
        &self.session
    }

    /// The environment first (scripts, CI), then what the app saved in the keyring.
    fn admin_credentials(&self, plan: &Plan) -> Option<Credentials> {
        if let Some(token) = env(TOKEN_ENV) {
            return Some(Credentials::Token {
                token: Secret::new(token),
            });
        }
        if let (Some(username), Some(password)) = (env(USER_ENV), env(PASSWORD_ENV)) {
            return Some(Credentials::Password {
                username,
                password: Secret::new(password),
            });
        }
        if let (Some(client_id), Some(secret)) = (env(CLIENT_ID_ENV), env(CLIENT_SECRET_ENV)) {
            return Some(Credentials::ClientCredentials {
                client_id,
                client_secret: Secret::new(secret),
            });
        }
        self.vault().admin(&plan.id.to_string())
    }

    fn sso_options(&self) -> ferry_sso::Options {
        ferry_sso::Options {
            ca_file: self.ca_file.clone(),
            ..Default::default()
        }
    }
}
