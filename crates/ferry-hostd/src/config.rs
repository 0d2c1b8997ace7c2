//! `ferry-hostd`'s configuration file (TOML; a commented sample is in
//! `docs/hosting-api/ferry-hostd.sample.toml`).

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
    pub tokens: Vec<Token>,
    #[serde(default)]
    pub offers: Vec<Offer>,
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
    pub sha256: String,
    pub scope: Scope,
}

/// A recipe this co-op offers, with its own words and price.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub recipe: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub price: String,
}

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

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let invalid = |detail: String| ConfigError::Invalid {
            path: path.display().to_string(),
            detail,
        };
        let config: Config = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if config.servers.is_empty() {
            return Err(invalid(
                "`servers` must name at least one abra server".into(),
            ));
        }
        if let Some(bad) = config
            .servers
            .iter()
            .find(|s| !ferry_hosting::rules::is_domain(s))
        {
            return Err(invalid(format!("server {bad:?} is not a domain name")));
        }
        if let Some(t) = config
            .tokens
            .iter()
            .find(|t| t.sha256.len() != 64 || !t.sha256.chars().all(|c| c.is_ascii_hexdigit()))
        {
            return Err(invalid(format!(
                "token {:?}: sha256 must be 64 hex digits (ferry-hostd hash-token)",
                t.name
            )));
        }
        Ok(config)
    }

    /// The token presented, if it is one of ours.
    pub fn token(&self, presented: &str) -> Option<&Token> {
        let hash = hash_token(presented);
        self.tokens
            .iter()
            .find(|t| t.sha256.eq_ignore_ascii_case(&hash))
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
        assert!(c.token("anything").is_none());
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
