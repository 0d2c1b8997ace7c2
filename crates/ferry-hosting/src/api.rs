//! Request and response bodies of the hosting API, version 1.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// `POST /v1/orders`: deploy these apps for this organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    pub organisation: String,
    /// A server name or region the co-op offers (`GET /v1/capabilities`); `None`: the co-op chooses.
    #[serde(default)]
    pub server: Option<String>,
    pub apps: Vec<AppRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AppRequest {
    /// Co-op Cloud recipe name, e.g. `nextcloud`.
    pub recipe: String,
    /// Recipe version, e.g. `7.0.2+29.0.4`; `None`: the latest.
    #[serde(default)]
    pub version: Option<String>,
    pub domain: String,
    /// Values for the app's `.env`, e.g. `LETS_ENCRYPT_ENV=production`.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Overlays to enable, e.g. `compose.smtp.yml`.
    #[serde(default)]
    pub overlays: Vec<String>,
    /// Let abra generate every secret the recipe declares.
    #[serde(default = "yes")]
    pub generate_secrets: bool,
    /// Secrets Ferry supplies (e.g. the OIDC client secret), by name; never logged or returned.
    #[serde(default)]
    pub secrets: Vec<SuppliedSecret>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SuppliedSecret {
    pub name: String,
    /// Secret version, e.g. `v1`.
    pub version: String,
    pub value: String,
}

impl std::fmt::Debug for SuppliedSecret {
    // The value never reaches a log through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuppliedSecret")
            .field("name", &self.name)
            .field("version", &self.version)
            .field("value", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppState {
    Queued,
    Running,
    Deployed,
    Failed,
    Cancelled,
}

impl AppState {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AppState::Deployed | AppState::Failed | AppState::Cancelled
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AppState::Queued => "queued",
            AppState::Running => "running",
            AppState::Deployed => "deployed",
            AppState::Failed => "failed",
            AppState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            AppState::Queued,
            AppState::Running,
            AppState::Deployed,
            AppState::Failed,
            AppState::Cancelled,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One app of an order, as the co-op reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppStatus {
    pub recipe: String,
    pub domain: String,
    pub state: AppState,
    /// Steps done of the steps there are (new, env, secrets, deploy).
    pub progress: u8,
    pub steps: u8,
    /// What happened last, in plain words.
    pub message: String,
    /// `recipe:version` actually deployed.
    pub deployed: Option<String>,
    /// The last lines of the job's output (secrets removed).
    pub log_excerpt: String,
}

/// `GET /v1/orders/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderStatus {
    #[ts(type = "string")]
    pub id: Uuid,
    pub organisation: String,
    pub created_at: DateTime<Utc>,
    pub apps: Vec<AppStatus>,
}

impl OrderStatus {
    pub fn is_final(&self) -> bool {
        self.apps.iter().all(|a| a.state.is_final())
    }
}

/// `202` answer to `POST /v1/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderAccepted {
    #[ts(type = "string")]
    pub id: Uuid,
    /// Where to follow it.
    pub status_url: String,
}

/// Errors as `application/problem+json` (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Which request fields are wrong, e.g. `apps[0].domain`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}
