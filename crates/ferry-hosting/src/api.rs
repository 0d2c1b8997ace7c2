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
    /// Storage the organisation's data needs, in GB with room to grow (from its exit
    /// plan), so the co-op can size the server; `None`: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<u32>,
    pub apps: Vec<AppRequest>,
    /// A public key made for this order (age's hybrid ML-KEM-768 + X25519 recipient,
    /// `age1pq1…`): the first administrator
    /// credential of a sign-in service in the order comes back sealed to it
    /// ([`crate::handover`]). `None`: the co-op hands it over by its own means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_to: Option<String>,
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

/// The steps the co-op takes for each app, in order (`AppStatus.progress` counts those
/// done); ferry-hostd carries them out, Ferry names the one under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeployStage {
    New,
    Env,
    Secrets,
    Deploy,
}

impl DeployStage {
    /// Every step, in the order they are taken.
    pub const ALL: [DeployStage; 4] = [
        DeployStage::New,
        DeployStage::Env,
        DeployStage::Secrets,
        DeployStage::Deploy,
    ];
    /// How many there are (`AppStatus.steps`).
    pub const COUNT: u8 = Self::ALL.len() as u8;

    /// The step taken once `done` steps are; the last one while an app is still
    /// running after a co-op counted every step.
    pub fn after(done: u8) -> DeployStage {
        Self::ALL[usize::from(done).min(Self::ALL.len() - 1)]
    }

    /// In the co-op's words, for its own messages and errors (English).
    pub fn name(self) -> &'static str {
        match self {
            DeployStage::New => "create the app",
            DeployStage::Env => "write its settings",
            DeployStage::Secrets => "set its secrets",
            DeployStage::Deploy => "deploy it",
        }
    }
}

/// One app of an order, as the co-op reports it. Written with `stage` (see
/// [`AppStatusJson`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(as = "AppStatusJson<'static>")]
pub struct AppStatus {
    pub recipe: String,
    pub domain: String,
    pub state: AppState,
    /// Steps done of the steps there are ([`DeployStage`]).
    pub progress: u8,
    pub steps: u8,
    /// What happened last, in plain words.
    pub message: String,
    /// `recipe:version` actually deployed.
    pub deployed: Option<String>,
    /// The last lines of the job's output (secrets removed).
    pub log_excerpt: String,
    /// A deployed sign-in service's first administrator credential, sealed to the
    /// order's key, until Ferry confirms receipt.
    #[serde(default)]
    pub handover: Option<crate::Handover>,
}

/// `GET /v1/orders/{id}`. Written with `is_final` (see [`OrderStatusJson`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(as = "OrderStatusJson<'static>")]
pub struct OrderStatus {
    pub id: Uuid,
    pub organisation: String,
    pub created_at: DateTime<Utc>,
    pub apps: Vec<AppStatus>,
}

impl AppStatus {
    /// The step under way while the app is running; `None` in every other state.
    pub fn stage(&self) -> Option<DeployStage> {
        (self.state == AppState::Running).then(|| DeployStage::after(self.progress))
    }
}

/// An [`AppStatus`] as written: with the step under way named from `progress`, so
/// that no reader needs the list of steps. Reading ignores it.
#[doc(hidden)]
#[derive(Serialize, TS)]
#[ts(rename = "AppStatus")]
pub struct AppStatusJson<'a> {
    recipe: &'a str,
    domain: &'a str,
    state: AppState,
    /// Steps done of the steps there are ([`DeployStage`]).
    progress: u8,
    steps: u8,
    /// The step under way while running (`null` otherwise).
    stage: Option<DeployStage>,
    /// What happened last, in plain words.
    message: &'a str,
    /// `recipe:version` actually deployed.
    deployed: &'a Option<String>,
    /// The last lines of the job's output (secrets removed).
    log_excerpt: &'a str,
    /// A deployed sign-in service's first administrator credential, sealed to the
    /// order's key, until Ferry confirms receipt.
    handover: &'a Option<crate::Handover>,
}

impl Serialize for AppStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AppStatusJson {
            recipe: &self.recipe,
            domain: &self.domain,
            state: self.state,
            progress: self.progress,
            steps: self.steps,
            stage: self.stage(),
            message: &self.message,
            deployed: &self.deployed,
            log_excerpt: &self.log_excerpt,
            handover: &self.handover,
        }
        .serialize(s)
    }
}

impl OrderStatus {
    /// Every app has reached a final state: nothing changes any more.
    pub fn is_final(&self) -> bool {
        self.apps.iter().all(|a| a.state.is_final())
    }
}

/// An [`OrderStatus`] as written: with `is_final` worked out from the apps, so that
/// no reader (the app's UI, a co-op's own tools) needs to know which states are
/// final. Reading ignores it and works it out again.
#[doc(hidden)]
#[derive(Serialize, TS)]
#[ts(rename = "OrderStatus")]
pub struct OrderStatusJson<'a> {
    #[ts(type = "string")]
    id: &'a Uuid,
    organisation: &'a str,
    created_at: &'a DateTime<Utc>,
    apps: &'a [AppStatus],
    /// Every app has reached a final state (deployed, failed or cancelled).
    is_final: bool,
}

impl Serialize for OrderStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        OrderStatusJson {
            id: &self.id,
            organisation: &self.organisation,
            created_at: &self.created_at,
            apps: &self.apps,
            is_final: self.is_final(),
        }
        .serialize(s)
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

/// `type` of a problem for an organisation's quota at the co-op (403 or 429).
pub const QUOTA_PROBLEM: &str = "urn:ferry:problem:quota";
/// `type` of a 409 for a domain that is another organisation's (or the co-op's own).
pub const DOMAIN_TAKEN_PROBLEM: &str = "urn:ferry:problem:domain-taken";

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

#[cfg(test)]
mod tests {
    use super::*;

    fn status(states: &[AppState]) -> OrderStatus {
        OrderStatus {
            id: Uuid::nil(),
            organisation: "Pasientforeningen".into(),
            created_at: DateTime::UNIX_EPOCH,
            apps: states
                .iter()
                .map(|&state| AppStatus {
                    recipe: "nextcloud".into(),
                    domain: "files.example.org".into(),
                    state,
                    progress: 0,
                    steps: DeployStage::COUNT,
                    message: String::new(),
                    deployed: None,
                    log_excerpt: String::new(),
                    handover: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_running_app_is_written_with_the_step_under_way() {
        use serde_json::json;
        let mut order = status(&[AppState::Running, AppState::Running, AppState::Failed]);
        order.apps[1].progress = DeployStage::COUNT;
        let json = serde_json::to_value(&order).unwrap();
        let stages: Vec<_> = (0..3).map(|i| json["apps"][i]["stage"].clone()).collect();
        assert_eq!(stages, [json!("new"), json!("deploy"), json!(null)]);
        let steps: Vec<_> = (0..=DeployStage::COUNT).map(DeployStage::after).collect();
        assert_eq!(steps[..4], DeployStage::ALL, "one step after another");
        let read: OrderStatus = serde_json::from_value(json).unwrap();
        assert_eq!(read, order);
    }

    #[test]
    fn is_final_is_written_from_the_apps_and_worked_out_again_when_read() {
        let running = status(&[AppState::Deployed, AppState::Running]);
        let done = status(&[AppState::Deployed, AppState::Failed, AppState::Cancelled]);
        let json = |s: &OrderStatus| serde_json::to_value(s).unwrap();
        assert_eq!(json(&running)["is_final"], false);
        assert_eq!(json(&done)["is_final"], true);
        // A co-op claiming "final" for a running order is not believed.
        let mut claimed = json(&running);
        claimed["is_final"] = true.into();
        let read: OrderStatus = serde_json::from_value(claimed).unwrap();
        assert_eq!(read, running);
        assert!(!read.is_final());
    }
}
