//! Proves each app's sign-on is ready: its client is there with the right
//! addresses, its secret is kept and matches, and OIDC discovery at the app's issuer
//! answers with exactly that issuer (checked by `openidconnect`).

use std::collections::HashMap;

use openidconnect::IssuerUrl;
use openidconnect::core::CoreProviderMetadata;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::Desired;
use crate::diff::diff;
use crate::provider::Provider;
use crate::secrets::{SecretStore, client_secret_key};

/// What is wrong with one app's sign-on, in terms a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppProblem {
    /// The provider has no client for the app: apply the plan.
    ClientMissing,
    /// The client is there but differs (the fields named): apply the plan.
    ClientDiffers { fields: Vec<String> },
    /// No secret kept on this computer: apply again to fetch it.
    SecretNotKept,
    /// The provider's secret is not the one kept (rotated by someone): apply again.
    SecretChanged,
    /// Discovery did not answer as it must.
    Discovery { detail: String },
    /// Discovery answered for another issuer than the app will use.
    IssuerMismatch { expected: String },
    /// Reading from the provider failed.
    Provider { code: String, message: String },
}

impl AppProblem {
    pub fn code(&self) -> &'static str {
        match self {
            AppProblem::ClientMissing => "client_missing",
            AppProblem::ClientDiffers { .. } => "client_differs",
            AppProblem::SecretNotKept => "secret_not_kept",
            AppProblem::SecretChanged => "secret_changed",
            AppProblem::Discovery { .. } => "discovery",
            AppProblem::IssuerMismatch { .. } => "issuer_mismatch",
            AppProblem::Provider { .. } => "provider",
        }
    }
}

/// The discovered endpoints an app's admin needs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Endpoints {
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppCheck {
    pub recipe: String,
    pub client_id: String,
    pub issuer: String,
    pub endpoints: Option<Endpoints>,
    pub problems: Vec<AppProblem>,
}

impl AppCheck {
    pub fn works(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Discovery at `issuer`: its endpoints, or why it failed.
pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Endpoints, AppProblem> {
    let url = IssuerUrl::new(issuer.to_owned()).map_err(|e| AppProblem::Discovery {
        detail: e.to_string(),
    })?;
    match CoreProviderMetadata::discover_async(url, http).await {
        Ok(meta) => Ok(Endpoints {
            authorization_endpoint: meta.authorization_endpoint().to_string(),
            token_endpoint: meta
                .token_endpoint()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            userinfo_endpoint: meta.userinfo_endpoint().map(|u| u.to_string()),
        }),
        Err(openidconnect::DiscoveryError::Validation(detail)) if detail.contains("issuer") => {
            Err(AppProblem::IssuerMismatch {
                expected: issuer.to_owned(),
            })
        }
        Err(e) => Err(AppProblem::Discovery {
            detail: error_chain(&e),
        }),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Checks every desired client.
pub async fn verify<P: Provider>(
    provider: &P,
    desired: &Desired,
    store: &dyn SecretStore,
    plan_id: &str,
) -> Vec<AppCheck> {
    // What the provider has, and the changes it still needs (from the same read).
    let current = provider.read(desired).await.map(|current| {
        let changes = diff(desired, &current);
        (current, changes)
    });
    let mut discovered: HashMap<String, Result<Endpoints, AppProblem>> = HashMap::new();
    let mut out = Vec::new();
    for c in &desired.clients {
        let issuer = provider.issuer(&c.client_id);
        let mut problems = Vec::new();
        match &current {
            Err(e) => problems.push(AppProblem::Provider {
                code: e.code().to_owned(),
                message: e.to_string(),
            }),
            Ok((current, changes)) => {
                if !current
                    .clients
                    .iter()
                    .any(|have| have.client_id == c.client_id)
                {
                    problems.push(AppProblem::ClientMissing);
                } else if let Some(crate::diff::Change::UpdateClient { fields, .. }) =
                    changes.iter().find(|ch| ch.subject() == c.client_id)
                {
                    problems.push(AppProblem::ClientDiffers {
                        fields: fields.clone(),
                    });
                }
            }
        }
        if !problems.contains(&AppProblem::ClientMissing) && current.is_ok() {
            let kept = store.get(&client_secret_key(plan_id, &c.client_id));
            match kept {
                Ok(Some(kept)) => match provider.client_secret(&c.client_id).await {
                    Ok(live) if live == kept => {}
                    Ok(_) => problems.push(AppProblem::SecretChanged),
                    Err(e) => problems.push(AppProblem::Provider {
                        code: e.code().to_owned(),
                        message: e.to_string(),
                    }),
                },
                _ => problems.push(AppProblem::SecretNotKept),
            }
        }
        if !discovered.contains_key(&issuer) {
            let found = discover(provider.http_client(), &issuer).await;
            discovered.insert(issuer.clone(), found);
        }
        let endpoints = match &discovered[&issuer] {
            Ok(e) => Some(e.clone()),
            Err(p) => {
                problems.push(p.clone());
                None
            }
        };
        out.push(AppCheck {
            recipe: c.recipe.clone(),
            client_id: c.client_id.clone(),
            issuer,
            endpoints,
            problems,
        });
    }
    out
}

/// What the plan file keeps of a verification (no secrets, no endpoints).
pub fn to_results(checks: &[AppCheck]) -> Vec<ferry_core::model::SsoAppResult> {
    checks
        .iter()
        .map(|c| ferry_core::model::SsoAppResult {
            recipe: c.recipe.clone(),
            client_id: c.client_id.clone(),
            works: c.works(),
            problem: c.problems.first().map(|p| p.code().to_owned()),
        })
        .collect()
}
