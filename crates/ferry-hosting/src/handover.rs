//! The sign-in service's first administrator credential, handed from the co-op's
//! server to Ferry without anyone copying a secret: Ferry makes a key pair for the
//! order and sends the public half (`OrderRequest::seal_to`); the server seals the
//! credential to it (age's format, with its post-quantum hybrid
//! recipient: ML-KEM-768 and X25519 — age 0.13 calls plain X25519 recipients legacy) and answers it once in the
//! order's status; Ferry opens it, keeps it in the keyring and confirms receipt,
//! after which the server forgets the sealed copy too.
//!
//! Which abra secret is the credential, for each sign-in service recipe, is the
//! shared rule below (docs/hosting-api/guide.md: the recipes' own files could not be
//! read from here, so the co-op checks them against `abra app secret ls`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How the handed-over credential signs in to the service's admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HandoverLogin {
    /// A user name (given in clear) and the sealed password.
    Password,
    /// The sealed value is an API token (Authentik) or API key (Rauthy).
    Token,
}

/// A Co-op Cloud recipe that is a sign-in service, and its admin credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInRecipe {
    pub recipe: &'static str,
    /// The abra secret holding the first administrator credential.
    pub secret: &'static str,
    pub login: HandoverLogin,
    /// The administrator's user name, for a password; for a Rauthy API key, the
    /// key's name (Rauthy takes `<name>$<secret>`).
    pub username: Option<&'static str>,
}

/// The sign-in services a co-op can deploy first, and which of their secrets is the
/// administrator's credential — ferry-hostd's assumption until checked against the
/// recipes' own compose.yml and .env.sample (see the co-op guide).
pub const SIGN_IN_RECIPES: [SignInRecipe; 3] = [
    SignInRecipe {
        recipe: "keycloak",
        secret: "admin_password",
        login: HandoverLogin::Password,
        username: Some("admin"),
    },
    SignInRecipe {
        recipe: "authentik",
        secret: "admin_token",
        login: HandoverLogin::Token,
        username: None,
    },
    SignInRecipe {
        recipe: "rauthy",
        secret: "api_key",
        login: HandoverLogin::Token,
        username: Some("ferry"),
    },
];

/// The sign-in service `recipe` is, if it is one.
pub fn sign_in_recipe(recipe: &str) -> Option<&'static SignInRecipe> {
    SIGN_IN_RECIPES.iter().find(|r| r.recipe == recipe)
}

/// The credential as an app's status carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    pub login: HandoverLogin,
    /// The administrator's user name (not secret), for a password; with a token, the
    /// API key's name when the service wants `<name>$<secret>` (Rauthy).
    pub username: Option<String>,
    /// Where the service's admin API answers, as the co-op's server knows it
    /// (`https://<domain>` unless the co-op says otherwise).
    pub address: String,
    /// The credential sealed to the order's `seal_to`, as an ASCII-armoured age file;
    /// `null` once Ferry has confirmed receipt (the server keeps no copy then).
    pub sealed: Option<String>,
}

/// The longest sealed credential Ferry reads: a 4 kB secret armoured is under 6 kB.
pub const MAX_SEALED: usize = 8192;

/// The length of an age hybrid public key (`age1pq1` and bech32 characters).
pub const SEAL_KEY_LEN: usize = 1959;

/// An age hybrid public key: `age1pq1` and bech32 characters, of its fixed length.
/// Checked again by parsing where the key is used ([`seal`]).
pub fn is_seal_key(s: &str) -> bool {
    const BECH32: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    s.len() == SEAL_KEY_LEN
        && s.strip_prefix("age1pq1")
            .is_some_and(|rest| rest.chars().all(|c| BECH32.contains(c)))
}

#[cfg(feature = "seal")]
pub use sealing::*;

#[cfg(feature = "seal")]
mod sealing {
    use std::str::FromStr;

    use age::secrecy::ExposeSecret;

    #[derive(Debug, thiserror::Error, PartialEq, Eq)]
    pub enum SealError {
        #[error("not an age public key")]
        BadKey,
        #[error("the sealed credential could not be opened with this order's key")]
        CannotOpen,
        #[error("the sealed credential is too large")]
        TooLarge,
    }

    /// Seals `secret` to the public key `to` (ASCII armour).
    pub fn seal(to: &str, secret: &str) -> Result<String, SealError> {
        let recipient = age::pq::Recipient::from_str(to).map_err(|_| SealError::BadKey)?;
        age::encrypt_and_armor(&recipient, secret.as_bytes()).map_err(|_| SealError::BadKey)
    }

    /// Whether `key` is a public key [`seal`] can use (checked when an order arrives,
    /// so a key nobody holds cannot swallow a credential).
    pub fn can_seal_to(key: &str) -> bool {
        age::pq::Recipient::from_str(key).is_ok()
    }

    /// The key pair Ferry makes for one order; its private half lives in the keyring.
    pub struct SealKey(age::pq::Identity);

    impl SealKey {
        pub fn generate() -> SealKey {
            SealKey(age::pq::Identity::generate())
        }

        /// The private half as text, for the keyring only.
        pub fn to_secret(&self) -> String {
            self.0.to_string().expose_secret().to_owned()
        }

        pub fn from_secret(text: &str) -> Result<SealKey, SealError> {
            age::pq::Identity::from_str(text.trim())
                .map(SealKey)
                .map_err(|_| SealError::BadKey)
        }

        /// The public half, sent with the order.
        pub fn public(&self) -> String {
            self.0.to_public().to_string()
        }

        /// Opens what the co-op's server sealed to this key.
        pub fn open(&self, sealed: &str) -> Result<String, SealError> {
            if sealed.len() > super::MAX_SEALED {
                return Err(SealError::TooLarge);
            }
            let bytes =
                age::decrypt(&self.0, sealed.as_bytes()).map_err(|_| SealError::CannotOpen)?;
            String::from_utf8(bytes).map_err(|_| SealError::CannotOpen)
        }
    }

    impl std::fmt::Debug for SealKey {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_tuple("SealKey").field(&self.public()).finish()
        }
    }
}

#[cfg(all(test, feature = "seal"))]
mod tests {
    use super::*;

    #[test]
    fn only_the_orders_key_opens_what_was_sealed_to_it() {
        let key = SealKey::generate();
        assert!(is_seal_key(&key.public()), "{}", key.public());
        let sealed = seal(&key.public(), "kc-admin-pw ÆØÅ").unwrap();
        assert!(sealed.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(!sealed.contains("kc-admin-pw"));
        let again = SealKey::from_secret(&key.to_secret()).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "kc-admin-pw ÆØÅ");
        let other = SealKey::generate();
        assert_eq!(other.open(&sealed), Err(SealError::CannotOpen));
        let mut tampered = sealed.clone().into_bytes();
        let mid = tampered.len() / 2;
        tampered[mid] = if tampered[mid] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            key.open(&String::from_utf8(tampered).unwrap()),
            Err(SealError::CannotOpen)
        );
        assert_eq!(
            key.open(&"x".repeat(MAX_SEALED + 1)),
            Err(SealError::TooLarge)
        );
        assert_eq!(seal("age1nope", "x"), Err(SealError::BadKey));
        assert!(can_seal_to(&key.public()));
        let shaped = format!("age1pq1{}", "q".repeat(SEAL_KEY_LEN - 7));
        assert!(
            is_seal_key(&shaped) && !can_seal_to(&shaped),
            "the right shape is not enough"
        );
        assert!(!is_seal_key("age1nope"));
        assert!(!is_seal_key(&key.public().to_uppercase()));
        assert_eq!(key.public().len(), SEAL_KEY_LEN);
    }
}
