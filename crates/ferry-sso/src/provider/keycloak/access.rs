//! Who may sign in to each app on Keycloak: only the members of its `app-<recipe>`
//! group, as on Authentik and Rauthy.
//!
//! Keycloak has no group rule per client; its documented way is an authentication
//! flow with "Condition - user role" and "Deny access". So each app's client gets a
//! client role `access`, given to its group, and a browser flow of its own (the
//! client's `authenticationFlowBindingOverrides.browser`):
//!
//! ```text
//! ferry app access <client>                     top level
//!   sign in                    REQUIRED         cookie, or the form and a second factor
//!   only the app's group       CONDITIONAL      user without <client>.access → Deny access
//! ```
//!
//! The check sits at the top level, after the whole sign-in: inside the form it would
//! be passed by whoever comes with a session from another app (the cookie). Each app's
//! flow is a copy (one request, made whole by Keycloak) of a template Ferry makes once
//! per realm; an interrupted making of the template is found by its shape and made
//! again. Aliases keep to Keycloak's rule (no `:/?#@!$&()*+,;=[]\\`).

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Keycloak;
use crate::desired::DesiredClient;
use crate::error::SsoError;
use crate::provider::seg;

/// The template's alias, and each app's flow (`ferry app access nextcloud`).
const TEMPLATE: &str = "ferry app access";
/// The client role that lets its holders sign in to the app.
pub(super) const ROLE: &str = "access";
const CONDITION: &str = "conditional-user-role";
/// The alias of the template's role condition settings.
const ROLE_CONFIG: &str = "ferry - the app's role";

/// The template's executions as Keycloak lists them: level, provider (or the
/// sub-flow's alias) and requirement.
const SHAPE: [(u32, &str, &str); 10] = [
    (0, "ferry - sign in", "REQUIRED"),
    (1, "auth-cookie", "ALTERNATIVE"),
    (1, "ferry - form", "ALTERNATIVE"),
    (2, "auth-username-password-form", "REQUIRED"),
    (2, "ferry - second factor", "CONDITIONAL"),
    (3, "conditional-user-configured", "REQUIRED"),
    (3, "auth-otp-form", "REQUIRED"),
    (0, "ferry - only the app's group", "CONDITIONAL"),
    (1, CONDITION, "REQUIRED"),
    (1, "deny-access-authenticator", "REQUIRED"),
];

pub(super) fn flow_alias(client_id: &str) -> String {
    format!("{TEMPLATE} {client_id}")
}

fn role_of(client_id: &str) -> String {
    format!("{client_id}.{ROLE}")
}

#[derive(Deserialize)]
struct Flow {
    id: String,
    alias: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Execution {
    #[serde(default)]
    level: u32,
    #[serde(default)]
    provider_id: Option<String>,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    requirement: String,
    #[serde(default)]
    authentication_flow: bool,
    #[serde(default)]
    authentication_config: Option<String>,
}

impl Execution {
    fn what(&self) -> &str {
        if self.authentication_flow {
            &self.display_name
        } else {
            self.provider_id.as_deref().unwrap_or_default()
        }
    }
}

/// The last path segment of a 201's `Location`: the id Keycloak gave.
pub(super) fn created_id(resp: &reqwest::Response) -> Option<String> {
    let location = resp.headers().get("location")?.to_str().ok()?;
    location.rsplit('/').next().map(str::to_owned)
}

impl Keycloak {
    /// Top-level flows by alias.
    pub(super) async fn flows(&self) -> Result<HashMap<String, String>, SsoError> {
        let list: Vec<Flow> = self
            .get_json(
                "read the sign-in flows",
                &self.realm_path("/authentication/flows"),
            )
            .await?;
        Ok(list.into_iter().map(|f| (f.alias, f.id)).collect())
    }

    async fn executions(&self, alias: &str) -> Result<Vec<Execution>, SsoError> {
        self.get_json(
            "read a sign-in flow",
            &self.realm_path(&format!("/authentication/flows/{}/executions", seg(alias))),
        )
        .await
    }

    /// Whether the app's access is as Ferry makes it: the client bound to its flow, the
    /// role given to the group. `group_id` is None when the group is missing.
    pub(super) async fn access_in_place(
        &self,
        client: &Value,
        flows: &HashMap<String, String>,
        group_id: Option<&str>,
    ) -> Result<bool, SsoError> {
        let client_id = client["clientId"].as_str().unwrap_or_default();
        let bound = client["authenticationFlowBindingOverrides"]["browser"].as_str();
        let (Some(flow), Some(gid)) = (flows.get(&flow_alias(client_id)), group_id) else {
            return Ok(false);
        };
        if bound != Some(flow.as_str()) {
            return Ok(false);
        }
        let uuid = client["id"].as_str().unwrap_or_default();
        let roles: Vec<Value> = self
            .get_json(
                "read a group's roles",
                &self.realm_path(&format!(
                    "/groups/{}/role-mappings/clients/{}",
                    seg(gid),
                    seg(uuid)
                )),
            )
            .await?;
        Ok(roles.iter().any(|r| r["name"] == ROLE))
    }

    /// The app's flow, made or repaired: its id.
    pub(super) async fn app_flow(&self, client: &DesiredClient) -> Result<String, SsoError> {
        let alias = flow_alias(&client.client_id);
        let action = format!("set up who may sign in to {}", client.client_id);
        let fresh = !self.flows().await?.contains_key(&alias);
        if fresh {
            self.template().await?;
            let resp = self
                .call(
                    &action,
                    Method::POST,
                    &self.realm_path(&format!("/authentication/flows/{}/copy", seg(TEMPLATE))),
                    Some(&json!({ "newName": alias })),
                )
                .await?;
            self.expect_created(resp, &action).await?;
        }
        // The copy's role condition names no role yet (or an interrupted run left it so).
        let condition = self
            .executions(&alias)
            .await?
            .into_iter()
            .find(|e| e.provider_id.as_deref() == Some(CONDITION))
            .and_then(|e| e.authentication_config)
            .ok_or_else(|| SsoError::InvalidResponse {
                idp: self.http.name(),
                action: action.clone(),
                detail: format!("the flow {alias} has no role condition"),
            })?;
        let path = self.realm_path(&format!("/authentication/config/{}", seg(&condition)));
        let want = json!({ "condUserRole": role_of(&client.client_id), "negate": "true" });
        // A fresh copy's is the template's, named as Keycloak names copies.
        let config: Value = match fresh {
            true => json!({ "id": condition, "alias": format!("{alias} {ROLE_CONFIG}") }),
            false => self.get_json(&action, &path).await?,
        };
        if config["config"] != want {
            let mut body = config.clone();
            body["config"] = want;
            let resp = self.call(&action, Method::PUT, &path, Some(&body)).await?;
            self.expect_created(resp, &action).await?;
        }
        self.flows()
            .await?
            .remove(&alias)
            .ok_or_else(|| SsoError::Missing {
                idp: self.http.name(),
                what: format!("sign-in flow {alias}"),
                hint: "apply the plan again",
            })
    }

    /// The app's role on its client, given to its group.
    pub(super) async fn grant_access(
        &self,
        client: &DesiredClient,
        uuid: &str,
    ) -> Result<(), SsoError> {
        let action = format!("set up who may sign in to {}", client.client_id);
        let roles = self.realm_path(&format!("/clients/{}/roles", seg(uuid)));
        self.create(
            &action,
            &roles,
            &json!({
                "name": ROLE,
                "description": format!("May sign in to the app (held by the group {})", client.access_group),
            }),
        )
        .await?;
        let role_path = format!("{roles}/{}", seg(ROLE));
        let (role, gid) = futures_util::future::try_join(
            self.get_json::<Value>(&action, &role_path),
            self.group_id(&client.access_group),
        )
        .await?;
        let gid = gid.ok_or_else(|| SsoError::Missing {
            idp: self.http.name(),
            what: format!("group {}", client.access_group),
            hint: "apply the plan again, so its groups exist",
        })?;
        let path = self.realm_path(&format!(
            "/groups/{}/role-mappings/clients/{}",
            seg(&gid),
            seg(uuid)
        ));
        let resp = self
            .call(&action, Method::POST, &path, Some(&json!([role])))
            .await?;
        self.expect_created(resp, &action).await
    }

    pub(super) async fn expect_created(
        &self,
        resp: reqwest::Response,
        action: &str,
    ) -> Result<(), SsoError> {
        match resp.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                Err(self.http.refusal(resp, action).await.error)
            }
            s => Err(self.http.unexpected(s, action)),
        }
    }

    /// The template, made once per realm and checked once per connection; the lock
    /// keeps the apps set up side by side from making it twice.
    async fn template(&self) -> Result<(), SsoError> {
        let mut checked = self.template_checked.lock().await;
        if *checked {
            return Ok(());
        }
        if let Some(id) = self.flows().await?.get(TEMPLATE) {
            let have: Vec<(u32, String, String)> = self
                .executions(TEMPLATE)
                .await?
                .iter()
                .map(|e| (e.level, e.what().to_owned(), e.requirement.clone()))
                .collect();
            let want: Vec<(u32, String, String)> = SHAPE
                .iter()
                .map(|(l, w, r)| (*l, (*w).to_owned(), (*r).to_owned()))
                .collect();
            if have == want {
                *checked = true;
                return Ok(());
            }
            // Half made by an interrupted run (Ferry's own flow, bound to no client).
            let action = "repair Ferry's sign-in flow template";
            let path = self.realm_path(&format!("/authentication/flows/{}", seg(id)));
            let resp = self.call(action, Method::DELETE, &path, None).await?;
            self.expect_created(resp, action).await?;
        }
        self.make_template().await?;
        *checked = true;
        Ok(())
    }

    async fn make_template(&self) -> Result<(), SsoError> {
        let top = self.new_flow(TEMPLATE, true).await?;
        let sign_in = self.sub_flow(&top, "ferry - sign in", "REQUIRED").await?;
        self.step(&sign_in, "auth-cookie", "ALTERNATIVE").await?;
        let form = self
            .sub_flow(&sign_in, "ferry - form", "ALTERNATIVE")
            .await?;
        self.step(&form, "auth-username-password-form", "REQUIRED")
            .await?;
        let second = self
            .sub_flow(&form, "ferry - second factor", "CONDITIONAL")
            .await?;
        self.step(&second, "conditional-user-configured", "REQUIRED")
            .await?;
        self.step(&second, "auth-otp-form", "REQUIRED").await?;
        let only = self
            .sub_flow(&top, "ferry - only the app's group", "CONDITIONAL")
            .await?;
        let condition = self.step(&only, CONDITION, "REQUIRED").await?;
        self.step(&only, "deny-access-authenticator", "REQUIRED")
            .await?;
        // No role yet: a copy not yet given its app's role lets nobody in.
        let action = "make Ferry's sign-in flow template";
        let resp = self
            .call(
                action,
                Method::POST,
                &self.realm_path(&format!(
                    "/authentication/executions/{}/config",
                    seg(&condition)
                )),
                Some(&json!({
                    "alias": ROLE_CONFIG,
                    "config": { "condUserRole": "", "negate": "true" },
                })),
            )
            .await?;
        self.expect_created(resp, action).await
    }

    /// A new flow (top level or to be a sub-flow): its id.
    async fn new_flow(&self, alias: &str, top: bool) -> Result<String, SsoError> {
        let action = "make Ferry's sign-in flow template";
        let description = if top {
            "Made by Ferry: each app's flow is a copy. Signs in as the browser flow does, then lets in only holders of the app's role."
        } else {
            ""
        };
        let resp = self
            .call(
                action,
                Method::POST,
                &self.realm_path("/authentication/flows"),
                Some(&json!({
                    "alias": alias,
                    "description": description,
                    "providerId": "basic-flow",
                    "topLevel": top,
                    "builtIn": false,
                })),
            )
            .await?;
        let id = created_id(&resp);
        self.expect_created(resp, action).await?;
        id.ok_or_else(|| SsoError::InvalidResponse {
            idp: self.http.name(),
            action: action.into(),
            detail: "no location for the new flow".into(),
        })
    }

    async fn sub_flow(
        &self,
        parent: &str,
        alias: &str,
        requirement: &str,
    ) -> Result<String, SsoError> {
        let id = self.new_flow(alias, false).await?;
        self.execution(json!({
            "parentFlow": parent,
            "authenticatorFlow": true,
            "flowId": id,
            "requirement": requirement,
        }))
        .await?;
        Ok(id)
    }

    async fn step(
        &self,
        parent: &str,
        authenticator: &str,
        requirement: &str,
    ) -> Result<String, SsoError> {
        self.execution(json!({
            "parentFlow": parent,
            "authenticatorFlow": false,
            "authenticator": authenticator,
            "requirement": requirement,
        }))
        .await
    }

    /// An execution added at the end of its parent flow: its id.
    async fn execution(&self, body: Value) -> Result<String, SsoError> {
        let action = "make Ferry's sign-in flow template";
        let resp = self
            .call(
                action,
                Method::POST,
                &self.realm_path("/authentication/executions"),
                Some(&body),
            )
            .await?;
        let id = created_id(&resp);
        self.expect_created(resp, action).await?;
        id.ok_or_else(|| SsoError::InvalidResponse {
            idp: self.http.name(),
            action: action.into(),
            detail: "no location for the new step".into(),
        })
    }
}
