//! Proves each app's sign-on is ready: its client is there with the right
//! addresses, bound and switched on, its secret is kept and matches, OIDC discovery
//! at the app's issuer answers with exactly that issuer (checked by `openidconnect`),
//! and a sign-in started the way the app starts it reaches the provider's login page.

use std::collections::{BTreeSet, HashMap};

use openidconnect::IssuerUrl;
use openidconnect::core::CoreProviderMetadata;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::{Desired, DesiredClient};
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
    /// The client exists but no application uses it (Authentik), or its address
    /// name is taken by another provider's application: nobody can sign in.
    NotBound,
    /// The client is switched off on the provider.
    Disabled,
    /// The provider accepts sign-in returns to addresses outside the app.
    ForeignRedirect { urls: Vec<String> },
    /// A sign-in started as the app starts it did not reach the login page.
    SignInRefused { detail: String },
    /// Another organisation's client (or one nobody Ferry knows made) has this app's
    /// id: Ferry leaves it alone.
    Taken { owner: Option<String> },
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

/// Most a discovery document (or its key set) may weigh: real ones are a few KB, and
/// the address is one anybody can point Ferry at.
const DISCOVERY_CAP: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
enum DiscoveryHttpError {
    #[error(transparent)]
    Transport(#[from] reqwest::Error),
    #[error("the answer is larger than {} KB", DISCOVERY_CAP / 1024)]
    TooLarge,
    #[error("{0}")]
    Other(String),
}

/// One request of OpenID discovery through Ferry's client, the body read with a cap.
async fn capped_call(
    http: &reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, DiscoveryHttpError> {
    let request = reqwest::Request::try_from(request)?;
    let resp = http.execute(request).await?;
    let (status, headers) = (resp.status(), resp.headers().clone());
    let body = crate::http::read_capped(resp, DISCOVERY_CAP)
        .await
        .map_err(|e| match e {
            crate::http::Capped::Transport(e) => DiscoveryHttpError::Transport(e),
            crate::http::Capped::TooLarge => DiscoveryHttpError::TooLarge,
        })?;
    let mut out = openidconnect::http::Response::builder().status(status);
    if let Some(h) = out.headers_mut() {
        *h = headers;
    }
    out.body(body)
        .map_err(|e| DiscoveryHttpError::Other(e.to_string()))
}

/// Ferry's HTTP client for openidconnect, each answer read with the cap. A named type
/// with a boxed `Send` future (as openidconnect's own reqwest client has): a closure here
/// makes the callers' futures fail rustc's higher-ranked `Send` check.
struct CappedClient<'a>(&'a reqwest::Client);

type CappedFuture<'c> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<openidconnect::HttpResponse, DiscoveryHttpError>>
            + Send
            + Sync
            + 'c,
    >,
>;

impl<'c> openidconnect::AsyncHttpClient<'c> for CappedClient<'_> {
    type Error = DiscoveryHttpError;
    type Future = CappedFuture<'c>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(capped_call(self.0, request))
    }
}

/// Discovery at `issuer`: its endpoints, or why it failed.
pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Endpoints, AppProblem> {
    let url = IssuerUrl::new(issuer.to_owned()).map_err(|e| AppProblem::Discovery {
        detail: e.to_string(),
    })?;
    match CoreProviderMetadata::discover_async(url, &CappedClient(http)).await {
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

/// Every app's check, and what else the same read found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Verification {
    pub checks: Vec<AppCheck>,
    /// Clients this organisation's Ferry made for apps no longer in the plan.
    pub orphans: Vec<crate::owner::Orphan>,
    pub conflicts: Vec<crate::owner::Conflict>,
}

/// Checks every desired client.
pub async fn verify<P: Provider>(
    provider: &P,
    desired: &Desired,
    store: &dyn SecretStore,
    plan_id: &str,
) -> Vec<AppCheck> {
    verify_all(provider, desired, store, plan_id).await.checks
}

/// Checks every desired client, and names the orphans and conflicts.
pub async fn verify_all<P: Provider>(
    provider: &P,
    desired: &Desired,
    store: &dyn SecretStore,
    plan_id: &str,
) -> Verification {
    // What the provider has, and the changes it still needs (from the same read).
    let current = provider.read(desired).await.map(|current| {
        let changes = diff(desired, &current);
        (current, changes)
    });
    let (orphans, conflicts) = match &current {
        Ok((c, _)) => (c.orphans.clone(), c.conflicts.clone()),
        Err(_) => Default::default(),
    };
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
                let taken = current.conflicts.iter().find(|x| {
                    x.name == c.client_id
                        || (x.what == crate::owner::ObjectKind::Realm && x.name == desired.realm)
                });
                match current
                    .clients
                    .iter()
                    .find(|have| have.client_id == c.client_id)
                {
                    None if taken.is_some() => problems.push(AppProblem::Taken {
                        owner: taken.and_then(|t| t.owner.clone()),
                    }),
                    None => problems.push(AppProblem::ClientMissing),
                    Some(have) => {
                        let foreign = foreign_redirects(c, &have.settings.redirect_uris);
                        if !foreign.is_empty() {
                            problems.push(AppProblem::ForeignRedirect { urls: foreign });
                        }
                        if have.incomplete.iter().any(|f| f == "application") {
                            problems.push(AppProblem::NotBound);
                        }
                        if have.incomplete.iter().any(|f| f == "enabled") {
                            problems.push(AppProblem::Disabled);
                        }
                        if let Some(crate::diff::Change::UpdateClient { fields, .. }) =
                            changes.iter().find(|ch| ch.subject() == c.client_id)
                        {
                            let fields: Vec<String> = fields
                                .iter()
                                .filter(|f| !matches!(f.as_str(), "application" | "enabled"))
                                .cloned()
                                .collect();
                            if !fields.is_empty() {
                                problems.push(AppProblem::ClientDiffers { fields });
                            }
                        }
                    }
                }
            }
        }
        let absent = problems
            .iter()
            .any(|p| matches!(p, AppProblem::ClientMissing | AppProblem::Taken { .. }));
        if !absent && current.is_ok() {
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
        // Only a client that is there can be tried; a missing one is named above.
        if let Some(e) = &endpoints
            && !absent
            && let Err(detail) = probe_sign_in(provider.http_client(), e, c).await
        {
            problems.push(AppProblem::SignInRefused { detail });
        }
        out.push(AppCheck {
            recipe: c.recipe.clone(),
            client_id: c.client_id.clone(),
            issuer,
            endpoints,
            problems,
        });
    }
    Verification {
        checks: out,
        orphans,
        conflicts,
    }
}

/// Redirect addresses the provider accepts for `client` that lead outside the app's
/// own address (someone added them, or the provider saved a first caller's).
fn foreign_redirects(client: &DesiredClient, have: &BTreeSet<String>) -> Vec<String> {
    let Some(own) = reqwest::Url::parse(&client.base_url).ok() else {
        return Vec::new();
    };
    have.iter()
        .filter(|uri| match reqwest::Url::parse(uri) {
            Ok(u) => {
                u.scheme() != own.scheme()
                    || u.host_str() != own.host_str()
                    || u.port() != own.port()
            }
            // A pattern (Authentik's regex mode) is the app's only when anchored to it.
            Err(_) => !uri.starts_with(&format!("^{}", regex_prefix(&own))),
        })
        .cloned()
        .collect()
}

fn regex_prefix(own: &reqwest::Url) -> String {
    let origin = own.origin().ascii_serialization();
    origin.replace('.', "\\.")
}

/// What an error page answered with 200 says (Authentik's "Permission denied").
const DENIED: [&str; 2] = ["Request has been denied", "Permission denied"];

/// Starts a sign-in the way the app does — its client id, its first return address,
/// a PKCE challenge when it sends one — without credentials and without following
/// the answer. The provider's login page (an answer of its own, or a redirect to its
/// own login screen) is success; an error page or an error sent back to the app is not.
pub async fn probe_sign_in(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    client: &DesiredClient,
) -> Result<(), String> {
    let Some(redirect) = client.settings.redirect_uris.iter().next() else {
        return Err("no return address".into());
    };
    let mut url =
        reqwest::Url::parse(&endpoints.authorization_endpoint).map_err(|e| e.to_string())?;
    let state = uuid::Uuid::new_v4().simple().to_string();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", redirect)
            .append_pair("response_type", "code")
            .append_pair("scope", "openid email profile")
            .append_pair("state", &state)
            .append_pair("nonce", &state);
        if client.settings.pkce != Some(false) {
            let (challenge, _verifier) = openidconnect::PkceCodeChallenge::new_random_sha256();
            q.append_pair("code_challenge", challenge.as_str())
                .append_pair("code_challenge_method", "S256");
        }
    }
    let resp = http
        .get(url.clone())
        .send()
        .await
        .map_err(|e| error_chain(&e))?;
    let status = resp.status();
    if status.is_redirection() {
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default();
        let to = url.join(location).map_err(|e| e.to_string())?;
        if to.as_str().starts_with(redirect.as_str()) {
            // Sent back to the app at once: with an error, or (wrongly) with no login.
            let error: Vec<String> = to
                .query_pairs()
                .filter(|(k, _)| k == "error" || k == "error_description")
                .map(|(_, v)| v.into_owned())
                .collect();
            return Err(if error.is_empty() {
                "sent back to the app without a login".into()
            } else {
                error.join(": ")
            });
        }
        if to.host_str() == url.host_str()
            && to.port_or_known_default() == url.port_or_known_default()
        {
            return Ok(());
        }
        return Err(format!("sent to {}", to.origin().ascii_serialization()));
    }
    // A login page is small; past the cap there is nothing worth reading.
    let body = match crate::http::read_capped(resp, crate::http::MAX_ANSWER_BYTES).await {
        Ok(b) => b,
        Err(crate::http::Capped::Transport(e)) => return Err(error_chain(&e)),
        Err(crate::http::Capped::TooLarge) => return Err("the login page is too large".into()),
    };
    if status.is_success() {
        // Authentik answers a client no application uses with a 200 page that says no.
        let page = String::from_utf8_lossy(&body);
        if let Some(denied) = DENIED.iter().find(|d| page.contains(*d)) {
            return Err((*denied).to_owned());
        }
        return Ok(());
    }
    let reason = crate::http::reason_of(&body);
    Err(if reason.is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        format!("HTTP {}: {reason}", status.as_u16())
    })
}

/// Writes a verification into the plan: each app's result and when it was checked.
/// The one place this happens — the window and the CLI both get the plan back from
/// the engine rather than writing these fields themselves.
pub fn record(plan: &mut ferry_core::Plan, checks: &[AppCheck], at: chrono::DateTime<chrono::Utc>) {
    plan.sso.results = to_results(checks);
    plan.sso.verified_at = Some(at);
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

ferry_codes::error_codes!(AppProblem {
    ClientMissing => "client_missing",
    ClientDiffers => "client_differs",
    SecretNotKept => "secret_not_kept",
    SecretChanged => "secret_changed",
    Discovery => "discovery",
    IssuerMismatch => "issuer_mismatch",
    Provider => "provider",
    NotBound => "not_bound",
    Disabled => "disabled",
    ForeignRedirect => "foreign_redirect",
    SignInRefused => "sign_in_refused",
    Taken => "taken",
});
