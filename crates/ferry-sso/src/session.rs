//! What the desktop app and the CLI share around a provider: signing in from what a
//! person typed, connecting for a plan, the provider suggestion, and handing client
//! secrets on to a deploy order.

use std::collections::BTreeMap;

use ferry_core::Plan;
use ferry_core::model::{IdpKind, TechnicalCapacity};
use ferry_core::validate::FieldProblem;
use ferry_hosting::{OrderRequest, SuppliedSecret};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::{Desired, from_plan, provider_of};
use crate::error::SsoError;
use crate::provider::{Credentials, Secret, issuer_for};
use crate::secrets::{SecretStore, client_secret_key};

/// How the admin signs in, as typed into the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LoginMethod {
    /// Keycloak administrator user name and password.
    Password,
    /// Keycloak service-account client id and secret.
    ServiceAccount,
    /// Authentik API token or Rauthy API key.
    Token,
}

impl LoginMethod {
    /// The ways the app offers an admin to sign in to `idp`, the usual one first
    /// (Keycloak also takes a token obtained elsewhere; the CLI can pass one).
    pub fn for_idp(idp: IdpKind) -> &'static [LoginMethod] {
        match idp {
            IdpKind::Keycloak => &[LoginMethod::Password, LoginMethod::ServiceAccount],
            IdpKind::Authentik | IdpKind::Rauthy => &[LoginMethod::Token],
        }
    }
}

#[derive(Clone, Serialize, Deserialize, TS)]
pub struct AdminLogin {
    pub method: LoginMethod,
    /// User name or client id; empty for a token.
    pub name: String,
    pub secret: String,
}

impl std::fmt::Debug for AdminLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminLogin")
            .field("method", &self.method)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl AdminLogin {
    pub fn into_credentials(self) -> Credentials {
        match self.method {
            LoginMethod::Password => Credentials::Password {
                username: self.name.trim().to_owned(),
                password: Secret::new(self.secret),
            },
            LoginMethod::ServiceAccount => Credentials::ClientCredentials {
                client_id: self.name.trim().to_owned(),
                client_secret: Secret::new(self.secret),
            },
            LoginMethod::Token => Credentials::Token {
                token: Secret::new(self.secret.trim()),
            },
        }
    }
}

/// The provider Ferry suggests and why (a message key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdpSuggestion {
    pub idp: IdpKind,
    pub reason: String,
}

/// Rauthy for small groups with little technical help (one small program to look
/// after), Keycloak for large ones or with a paid admin (the common standard, most
/// guides), Authentik in between (rich admin screens for volunteers).
pub fn suggest(plan: &Plan) -> IdpSuggestion {
    let org = &plan.organisation;
    let people = org.active_users.or(org.members).unwrap_or(0);
    let (idp, reason) = match org.technical_capacity {
        _ if people > 1000 => (IdpKind::Keycloak, "large"),
        Some(TechnicalCapacity::PaidAdmin) => (IdpKind::Keycloak, "paid_admin"),
        Some(TechnicalCapacity::SeveralVolunteers) => (IdpKind::Authentik, "volunteers"),
        Some(TechnicalCapacity::Nobody | TechnicalCapacity::OneVolunteer) | None
            if people <= 200 =>
        {
            (IdpKind::Rauthy, "small")
        }
        _ => (IdpKind::Authentik, "volunteers"),
    };
    IdpSuggestion {
        idp,
        reason: format!("sso.why.{reason}"),
    }
}

/// The issuer of the app with `client_id`, from the plan alone.
pub fn issuer(desired: &Desired, client_id: &str) -> String {
    issuer_for(desired.idp, &desired.url, &desired.realm, client_id)
}

/// Gives each app of the order that works with single sign-on its client secret
/// (as the recipe secret `oidc_client_secret`) and, for apps configured by
/// environment, the reviewed non-secret settings. Returns the recipes wired.
pub fn hand_on(
    order: &mut OrderRequest,
    plan: &Plan,
    store: &dyn SecretStore,
) -> Result<Vec<String>, SsoError> {
    let Ok(desired) = from_plan(plan) else {
        return Ok(Vec::new());
    };
    let mut wired = Vec::new();
    for app in &mut order.apps {
        let Some(client) = desired.clients.iter().find(|c| c.recipe == app.recipe) else {
            continue;
        };
        if !plan.sso.works_for(&client.recipe) {
            continue;
        }
        // The client the last verification found working: its id is the one the app
        // uses, whatever Ferry would name a new one.
        let mut client = client.clone();
        if let Some(r) = plan.sso.results.iter().find(|r| r.recipe == client.recipe) {
            client.client_id = r.client_id.clone();
        }
        let client = &client;
        let key = client_secret_key(&plan.id.to_string(), &client.client_id);
        let Some(secret) = store.get(&key)? else {
            continue;
        };
        app.secrets.push(SuppliedSecret {
            name: "oidc_client_secret".into(),
            version: "v1".into(),
            value: secret,
        });
        let is_env = crate::apps::for_recipe(&client.recipe).is_some_and(|a| a.place == "env");
        if is_env {
            let settings = crate::settings::app_settings(
                client,
                &plan.organisation.name,
                &issuer(&desired, &client.client_id),
                None,
                None,
            );
            let env: BTreeMap<String, String> = settings
                .into_iter()
                .filter(|s| !s.secret && !s.value.is_empty() && !s.value.contains('{'))
                .filter(|s| ferry_hosting::rules::is_env_key(&s.name))
                .filter(|s| ferry_hosting::rules::is_env_value(&s.value))
                .map(|s| (s.name, s.value))
                .collect();
            app.env.extend(env);
        }
        wired.push(client.recipe.clone());
    }
    Ok(wired)
}

/// What the SSO step shows before talking to the provider.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SsoOverview {
    pub suggestion: IdpSuggestion,
    /// What Ferry will ask the provider for, when the plan is ready.
    pub desired: Option<Desired>,
    /// What the plan still lacks (field and message key).
    pub problems: Vec<FieldProblem>,
    /// The provider's own fields are complete, so the admin can sign in now, even
    /// while the apps' domains (Deploy) are still missing.
    pub can_sign_in: bool,
    /// The plan's own certificate authority for the provider, by fingerprint.
    pub authorities: Vec<crate::trust::Authority>,
    /// Admin credentials are saved (in the keyring, or for this session).
    pub signed_in: bool,
    /// Secrets survive a restart (there is an OS keyring).
    pub secure_store: bool,
}

pub fn overview(plan: &Plan, signed_in: bool, secure_store: bool) -> SsoOverview {
    let (desired, problems) = match from_plan(plan) {
        Ok(d) => (Some(d), Vec::new()),
        Err(p) => (None, p),
    };
    SsoOverview {
        suggestion: suggest(plan),
        desired,
        problems,
        can_sign_in: provider_of(plan).is_ok(),
        authorities: crate::trust::read(&plan.sso.ca_pem).unwrap_or_default(),
        signed_in,
        secure_store,
    }
}

/// An apply and/or verification, with what the plan keeps of it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SsoOutcome {
    /// The plan with this verification recorded (`verify::record`): what to keep.
    pub plan: ferry_core::Plan,
    pub report: Option<crate::apply::ApplyReport>,
    pub checks: Vec<crate::verify::AppCheck>,
    pub results: Vec<ferry_core::model::SsoAppResult>,
    /// Clients this organisation's Ferry made for apps no longer in the plan.
    pub orphans: Vec<crate::owner::Orphan>,
    /// Objects with Ferry's names that are someone else's (left alone).
    pub conflicts: Vec<crate::owner::Conflict>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keycloak_offers_a_password_first_and_the_others_only_a_token() {
        assert_eq!(
            LoginMethod::for_idp(IdpKind::Keycloak),
            [LoginMethod::Password, LoginMethod::ServiceAccount]
        );
        // Authentik and Rauthy refuse anything but a token (see their `new`).
        for idp in [IdpKind::Authentik, IdpKind::Rauthy] {
            assert_eq!(LoginMethod::for_idp(idp), [LoginMethod::Token]);
        }
    }
}
