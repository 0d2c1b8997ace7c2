//! `ferry-hostd`'s configuration file (TOML; a commented sample is in
//! `docs/hosting-api/ferry-hostd.sample.toml`).
//!
//! Every token belongs to exactly one `[[organisations]]` entry: what a token orders,
//! reads, cancels, retries and exports is that organisation's, never another's.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on, e.g. `127.0.0.1:8787` behind the co-op's TLS proxy.
    pub listen: String,
    /// The SQLite file holding orders and jobs.
    pub database: PathBuf,
    /// The abra executable.
    pub abra: PathBuf,
    /// abra's state folder (`ABRA_DIR`).
    pub abra_dir: PathBuf,
    /// Servers abra knows (`abra server ls`); the first is used when an order names none.
    pub servers: Vec<String>,
    #[serde(default = "default_timeout")]
    pub step_timeout_secs: u64,
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    #[serde(default = "default_rate")]
    pub requests_per_minute: u32,
    /// Public address clients use, for `status_url` (e.g. `https://api.coop.example`).
    #[serde(default)]
    pub public_url: Option<String>,
    /// How long a client may take to send a request's headers, and how long an idle
    /// kept-alive connection stays open.
    #[serde(default = "default_header_timeout")]
    pub header_timeout_secs: u64,
    /// How long one request may take, its body included (event streams excepted).
    #[serde(default = "default_request_timeout")]
    pub request_timeout_secs: u64,
    /// Open connections at most, all addresses together (kept below the open-file limit).
    #[serde(default = "default_connections")]
    pub max_connections: usize,
    /// Open connections at most from one address. Behind a TLS proxy every client is
    /// the proxy's address: the proxy must limit each client (guide).
    #[serde(default = "default_connections_per_address")]
    pub max_connections_per_address: usize,
    /// Requests with a wrong token from one address per minute before 429.
    #[serde(default = "default_failed_logins")]
    pub failed_logins_per_minute: u32,
    /// Quotas for every organisation unless its own entry says otherwise.
    #[serde(default)]
    pub quotas: Quotas,
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    pub tokens: Vec<Token>,
    #[serde(default)]
    pub offers: Vec<Offer>,
    /// Where a deployed sign-in service's admin API answers, as handed to Ferry with
    /// its first administrator credential; `{domain}` is the app's domain.
    #[serde(default = "default_sign_in_address")]
    pub sign_in_address: String,
}

fn default_sign_in_address() -> String {
    "https://{domain}".into()
}

impl Config {
    /// Where the sign-in service on `domain` answers ([`Config::sign_in_address`]).
    pub fn sign_in_address_for(&self, domain: &str) -> String {
        self.sign_in_address.replace("{domain}", domain)
    }
}

fn default_timeout() -> u64 {
    900
}
fn default_body() -> usize {
    1024 * 1024
}
fn default_rate() -> u32 {
    120
}
fn default_header_timeout() -> u64 {
    10
}
fn default_request_timeout() -> u64 {
    30
}
fn default_connections() -> usize {
    512
}
fn default_connections_per_address() -> usize {
    64
}
fn default_failed_logins() -> u32 {
    20
}

/// What one organisation may hold at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quotas {
    /// Apps queued or running at once; more is answered with 429.
    #[serde(default = "default_queued")]
    pub max_queued_apps: u32,
    /// Bytes of orders and job logs kept for the organisation; more is answered with 403.
    #[serde(default = "default_stored")]
    pub max_stored_bytes: u64,
}

fn default_queued() -> u32 {
    20
}
fn default_stored() -> u64 {
    64 * 1024 * 1024
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            max_queued_apps: default_queued(),
            max_stored_bytes: default_stored(),
        }
    }
}

/// A client organisation of the co-op.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// A short stable name (`fagforbundet-bergen`): tokens name it, orders and
    /// domains are kept under it.
    pub id: String,
    /// As status answers show it; the `organisation` an order sends is not used.
    pub name: String,
    #[serde(default)]
    pub max_queued_apps: Option<u32>,
    #[serde(default)]
    pub max_stored_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    Write,
}

/// An API token, kept only as its SHA-256 (`ferry-hostd hash-token` prints it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub name: String,
    /// The `id` of the organisation this token acts for. Optional only so that a
    /// configuration from before organisations gets a clear message, not serde's.
    #[serde(default)]
    pub organisation: Option<String>,
    pub sha256: String,
    pub scope: Scope,
}

/// A recipe this co-op offers, with its own words and price. Only offered recipes
/// can be ordered.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub recipe: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub price: String,
    /// `.env` keys of this recipe whose values an export may show (beyond abra's own
    /// TYPE, DOMAIN, COMPOSE_FILE, …); every other value is removed.
    #[serde(default, skip_serializing)]
    pub export_keys: Vec<String>,
}

/// Recipes that run the co-op's own servers: ordering one would hand a client the
/// proxy in front of every app, or the backups of every app.
const INFRASTRUCTURE: [&str; 3] = ["traefik", "backup-bot-two", "swarm-cronjob"];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid configuration: {detail}")]
    Invalid { path: String, detail: String },
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An organisation id: lower-case letters, digits and inner hyphens.
fn is_organisation_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        config.check().map_err(|detail| ConfigError::Invalid {
            path: path.display().to_string(),
            detail,
        })?;
        Ok(config)
    }

    /// Everything `load` checks beyond the file's shape.
    pub fn check(&self) -> Result<(), String> {
        let address = &self.sign_in_address;
        if !(address.starts_with("https://") || address.starts_with("http://"))
            || address.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(format!(
                "sign_in_address {address:?} must be an http(s) address such as \"https://{{domain}}\""
            ));
        }
        if self.servers.is_empty() {
            return Err("`servers` must name at least one abra server".into());
        }
        if let Some(bad) = self
            .servers
            .iter()
            .find(|s| !ferry_hosting::rules::is_domain(s))
        {
            return Err(format!("server {bad:?} is not a domain name"));
        }
        let mut ids = HashSet::new();
        for o in &self.organisations {
            if !is_organisation_id(&o.id) {
                return Err(format!(
                    "organisation id {:?}: use lower-case letters, digits and hyphens (e.g. \"fagforbundet-bergen\")",
                    o.id
                ));
            }
            if !ids.insert(o.id.as_str()) {
                return Err(format!("organisation id {:?} is listed twice", o.id));
            }
            let name = o.name.trim();
            if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
                return Err(format!(
                    "organisation {:?}: `name` must be 1–200 characters of plain text",
                    o.id
                ));
            }
        }
        let mut names = HashSet::new();
        for t in &self.tokens {
            if !names.insert(t.name.as_str()) {
                return Err(format!(
                    "token name {:?} is used twice; each [[tokens]] entry needs its own name",
                    t.name
                ));
            }
            if t.sha256.len() != 64 || !t.sha256.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!(
                    "token {:?}: sha256 must be 64 hex digits (ferry-hostd hash-token)",
                    t.name
                ));
            }
            match &t.organisation {
                None => {
                    return Err(format!(
                        "token {:?} names no organisation. Each token now acts for exactly one client \
organisation: add an [[organisations]] entry (id = \"…\", name = \"…\") for each client and \
`organisation = \"<id>\"` to each [[tokens]] entry. Orders made before keep belonging to the \
organisation of the token that made them.",
                        t.name
                    ));
                }
                Some(o) if !ids.contains(o.as_str()) => {
                    return Err(format!(
                        "token {:?}: organisation {o:?} is not an [[organisations]] id",
                        t.name
                    ));
                }
                Some(_) => {}
            }
        }
        if self.offers.is_empty() {
            return Err(
                "no [[offers]]: only offered recipes can be ordered, so add at least one".into(),
            );
        }
        for offer in &self.offers {
            if !ferry_hosting::rules::is_recipe(&offer.recipe) {
                return Err(format!("offer {:?} is not a recipe name", offer.recipe));
            }
            if INFRASTRUCTURE.contains(&offer.recipe.as_str()) {
                return Err(format!(
                    "offer {:?} runs the co-op's own servers (the proxy or backups of every app); \
deploy it yourself with abra, never through orders",
                    offer.recipe
                ));
            }
        }
        if self.header_timeout_secs == 0 || self.request_timeout_secs == 0 {
            return Err("header_timeout_secs and request_timeout_secs must be at least 1".into());
        }
        if self.max_connections == 0 || self.max_connections_per_address == 0 {
            return Err(
                "max_connections and max_connections_per_address must be at least 1".into(),
            );
        }
        Ok(())
    }

    /// The token presented, if it is one of ours.
    pub fn token(&self, presented: &str) -> Option<&Token> {
        let hash = hash_token(presented);
        self.tokens
            .iter()
            .find(|t| t.sha256.eq_ignore_ascii_case(&hash))
    }

    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    /// The quotas of organisation `id`: its own, else the defaults.
    pub fn quotas(&self, id: &str) -> Quotas {
        let org = self.organisation(id);
        Quotas {
            max_queued_apps: org
                .and_then(|o| o.max_queued_apps)
                .unwrap_or(self.quotas.max_queued_apps),
            max_stored_bytes: org
                .and_then(|o| o.max_stored_bytes)
                .unwrap_or(self.quotas.max_stored_bytes),
        }
    }

    pub fn offer(&self, recipe: &str) -> Option<&Offer> {
        self.offers.iter().find(|o| o.recipe == recipe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_sample_loads_and_tokens_are_compared_by_hash() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/hosting-api/ferry-hostd.sample.toml");
        let c = Config::load(&path).unwrap();
        assert_eq!(c.servers, ["swarm1.coop.example"]);
        assert_eq!(c.tokens[0].scope, Scope::Write);
        assert!(
            c.organisation(c.tokens[0].organisation.as_deref().unwrap())
                .is_some()
        );
        assert!(c.token("anything").is_none());
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    fn load_text(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(&path)
    }

    const HEAD: &str = "listen = \"127.0.0.1:0\"\ndatabase = \"/x\"\nabra = \"/x\"\nabra_dir = \"/x\"\nservers = [\"s.example\"]\n[[offers]]\nrecipe = \"nextcloud\"\n[[organisations]]\nid = \"lag\"\nname = \"Lag\"\n";
    const HASH: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn refused(text: &str) -> String {
        match load_text(text) {
            Err(ConfigError::Invalid { detail, .. }) => detail,
            other => panic!("accepted: {other:?}"),
        }
    }

    #[test]
    fn tokens_without_an_organisation_or_with_a_name_used_twice_are_refused_at_start() {
        let token = |name: &str, org: &str| {
            format!("[[tokens]]\nname = \"{name}\"\n{org}sha256 = \"{HASH}\"\nscope = \"write\"\n")
        };
        let old = format!("{HEAD}{}", token("ferry", ""));
        assert!(refused(&old).contains("add an [[organisations]] entry"));
        let unknown = format!("{HEAD}{}", token("ferry", "organisation = \"nobody\"\n"));
        assert!(refused(&unknown).contains("not an [[organisations]] id"));
        let twice = format!(
            "{HEAD}{}{}",
            token("ferry", "organisation = \"lag\"\n"),
            token("ferry", "organisation = \"lag\"\n")
        );
        assert!(refused(&twice).contains("used twice"));
        let infrastructure = format!(
            "{}[[offers]]\nrecipe = \"traefik\"\n{}",
            HEAD,
            token("ferry", "organisation = \"lag\"\n")
        );
        assert!(refused(&infrastructure).contains("co-op's own servers"));
        let fine = format!("{HEAD}{}", token("ferry", "organisation = \"lag\"\n"));
        assert!(load_text(&fine).is_ok());
    }
}
