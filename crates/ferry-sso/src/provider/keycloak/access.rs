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
//! per realm (template.rs); an interrupted making of the template is found by its
//! shape and made again. Aliases keep to Keycloak's rule (no `:/?#@!$&()*+,;=[]\\`).
//!
//! Whose they are: flows keep no attributes, so the template's description carries the
//! organisation's mark and every copy inherits it; the role carries it in its
//! attributes. A flow of Ferry's alias is the organisation's when it is marked for it,
//! or, unmarked, has Ferry's shape (an earlier Ferry made it). Any other is left alone
//! and named as a conflict: the apps that need it are not set up.

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Keycloak, Named};
use crate::desired::{Desired, DesiredClient};
use crate::diff::CurrentClient;
use crate::error::SsoError;
use crate::owner::{Conflict, Mark, ObjectKind, Owner};
use crate::provider::seg;

/// The template's alias, and each app's flow (`ferry app access nextcloud`).
pub(super) const TEMPLATE: &str = "ferry app access";
/// The client role that lets its holders sign in to the app.
pub(super) const ROLE: &str = "access";
pub(super) const CONDITION: &str = "conditional-user-role";
/// The alias of the template's role condition settings.
pub(super) const ROLE_CONFIG: &str = "ferry - the app's role";

/// The template's executions as Keycloak lists them: level, provider (or the
/// sub-flow's alias) and requirement.
pub(super) const SHAPE: [(u32, &str, &str); 10] = [
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

/// A top-level flow as Keycloak lists it.
#[derive(Deserialize, Clone, Debug)]
pub(super) struct Flow {
    pub id: String,
    pub alias: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Execution {
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

/// Whether the executions of the flow `alias` are the template's: the template itself,
/// or a copy (whose sub-flows Keycloak names "<alias> <the template's sub-flow>").
pub(super) fn ferry_shape(list: &[Execution], alias: &str) -> bool {
    let prefix = format!("{alias} ");
    list.len() == SHAPE.len()
        && list
            .iter()
            .zip(SHAPE)
            .all(|(e, (level, what, requirement))| {
                let have = match e.authentication_flow {
                    true => e
                        .display_name
                        .strip_prefix(&prefix)
                        .unwrap_or(&e.display_name),
                    false => e.provider_id.as_deref().unwrap_or_default(),
                };
                e.level == level && have == what && e.requirement == requirement
            })
}

/// The last path segment of a 201's `Location`: the id Keycloak gave.
pub(super) fn created_id(resp: &reqwest::Response) -> Option<String> {
    let location = resp.headers().get("location")?.to_str().ok()?;
    location.rsplit('/').next().map(str::to_owned)
}

impl Keycloak {
    /// Top-level flows by alias.
    pub(super) async fn flows(&self) -> Result<HashMap<String, Flow>, SsoError> {
        let list: Vec<Flow> = self
            .get_json(
                "read the sign-in flows",
                &self.realm_path("/authentication/flows"),
            )
            .await?;
        Ok(list.into_iter().map(|f| (f.alias.clone(), f)).collect())
    }

    pub(super) async fn executions(&self, alias: &str) -> Result<Vec<Execution>, SsoError> {
        self.get_json(
            "read a sign-in flow",
            &self.realm_path(&format!("/authentication/flows/{}/executions", seg(alias))),
        )
        .await
    }

    /// Whose a flow of Ferry's alias is, when it is not the organisation's to use and
    /// change: None when it is marked for it or, unmarked, has Ferry's shape.
    pub(super) async fn foreign_flow(
        &self,
        flow: &Flow,
        owner: &Owner,
    ) -> Result<Option<Mark>, SsoError> {
        match Self::flow_mark(owner, &flow.description) {
            Mark::Ours => Ok(None),
            Mark::None => {
                let list = self.executions(&flow.alias).await?;
                Ok((!ferry_shape(&list, &flow.alias)).then_some(Mark::None))
            }
            other => Ok(Some(other)),
        }
    }

    /// The error for a write Ferry will not make: the flow is someone else's.
    pub(super) fn flow_taken(&self, alias: &str, mark: &Mark) -> SsoError {
        let whose = match mark {
            Mark::Other { name } => format!("{name}'s"),
            _ => "not made by Ferry for this organisation".into(),
        };
        SsoError::Conflict {
            idp: self.http.name(),
            what: format!("a sign-in flow {alias} that is {whose}"),
        }
    }

    /// The plan's clients as they are, with whether each app's access is in place, and
    /// the flows of Ferry's aliases that are someone else's (with the apps they keep
    /// from being set up).
    pub(super) async fn read_access(
        &self,
        desired: &Desired,
        found: Vec<Value>,
        groups: &[Named],
        flows: &HashMap<String, Flow>,
    ) -> Result<(Vec<CurrentClient>, Vec<Conflict>), SsoError> {
        use futures_util::{StreamExt, TryStreamExt};
        let owner = &desired.owner;
        let enforced = || desired.clients.iter().filter(|c| c.access_enforced);
        // Whose each app's flow is, where there is one already.
        let mut conflicts: Vec<Conflict> = futures_util::stream::iter(enforced())
            .filter_map(|c| async move {
                let alias = flow_alias(&c.client_id);
                let flow = flows.get(&alias)?;
                match self.foreign_flow(flow, owner).await {
                    Ok(None) => None,
                    Ok(Some(mark)) => Some(Ok(Conflict::of(ObjectKind::Flow, &alias, &mark)
                        .holding_back(vec![c.client_id.clone()]))),
                    Err(e) => Some(Err(e)),
                }
            })
            .try_collect()
            .await?;
        // The apps whose flow is still to be copied need the template.
        let to_copy: Vec<String> = enforced()
            .filter(|c| !flows.contains_key(&flow_alias(&c.client_id)))
            .map(|c| c.client_id.clone())
            .collect();
        if let Some(template) = flows.get(TEMPLATE).filter(|_| !to_copy.is_empty())
            && let Some(mark) = self.foreign_flow(template, owner).await?
        {
            conflicts.push(Conflict::of(ObjectKind::Flow, TEMPLATE, &mark).holding_back(to_copy));
        }
        let conflicts = &conflicts;
        let clients: Vec<CurrentClient> = futures_util::stream::iter(found)
            .map(|c| async move {
                let mut have = Self::settings_of(&c);
                let id = have.client_id.clone();
                let want = enforced()
                    .find(|d| d.client_id == id)
                    .filter(|_| !conflicts.iter().any(|x| x.blocks(&id)));
                if let Some(want) = want {
                    let gid = groups
                        .iter()
                        .find(|g| g.name == want.access_group)
                        .map(|g| g.id.as_str());
                    if !self.access_in_place(&c, flows, gid).await? {
                        have.incomplete.push("access".to_owned());
                    }
                }
                Ok::<_, SsoError>(have)
            })
            .buffered(crate::http::CONCURRENCY)
            .try_collect()
            .await?;
        Ok((clients, conflicts.clone()))
    }

    /// Whether the app's access is as Ferry makes it: the client bound to its flow, the
    /// role given to the group. `group_id` is None when the group is missing.
    async fn access_in_place(
        &self,
        client: &Value,
        flows: &HashMap<String, Flow>,
        group_id: Option<&str>,
    ) -> Result<bool, SsoError> {
        let client_id = client["clientId"].as_str().unwrap_or_default();
        let bound = client["authenticationFlowBindingOverrides"]["browser"].as_str();
        let (Some(flow), Some(gid)) = (flows.get(&flow_alias(client_id)), group_id) else {
            return Ok(false);
        };
        if bound != Some(flow.id.as_str()) {
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

    /// The app's flow, made or repaired: its id. A flow of its alias that is not the
    /// organisation's is left alone (an error).
    pub(super) async fn app_flow(
        &self,
        client: &DesiredClient,
        owner: &Owner,
    ) -> Result<String, SsoError> {
        let alias = flow_alias(&client.client_id);
        let action = format!("set up who may sign in to {}", client.client_id);
        let existing = self.flows().await?.remove(&alias);
        let fresh = existing.is_none();
        let marked = match &existing {
            Some(flow) => match Self::flow_mark(owner, &flow.description) {
                Mark::Ours => true,
                Mark::None => false,
                other => return Err(self.flow_taken(&alias, &other)),
            },
            None => {
                self.template(owner).await?;
                let resp = self
                    .call(
                        &action,
                        Method::POST,
                        &self.realm_path(&format!("/authentication/flows/{}/copy", seg(TEMPLATE))),
                        Some(&json!({ "newName": alias })),
                    )
                    .await?;
                self.expect_created(resp, &action).await?;
                true
            }
        };
        // Its steps, and (a copy answers without its id) where it is.
        let id = async {
            match &existing {
                Some(flow) => Ok(flow.id.clone()),
                None => self
                    .flows()
                    .await?
                    .remove(&alias)
                    .map(|f| f.id)
                    .ok_or_else(|| SsoError::Missing {
                        idp: self.http.name(),
                        what: format!("sign-in flow {alias}"),
                        hint: "apply the plan again",
                    }),
            }
        };
        let (steps, id) = futures_util::future::try_join(self.executions(&alias), id).await?;
        if !marked && !ferry_shape(&steps, &alias) {
            return Err(self.flow_taken(&alias, &Mark::None));
        }
        // The copy's role condition names no role yet (or an interrupted run left it so).
        let condition = steps
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
        Ok(id)
    }

    /// The app's role on its client (marked as the organisation's), given to its group.
    /// A role of that name marked for another organisation is left alone (an error).
    pub(super) async fn grant_access(
        &self,
        client: &DesiredClient,
        uuid: &str,
        owner: &Owner,
    ) -> Result<(), SsoError> {
        let action = format!("set up who may sign in to {}", client.client_id);
        let roles = self.realm_path(&format!("/clients/{}/roles", seg(uuid)));
        self.create(
            &action,
            &roles,
            &json!({
                "name": ROLE,
                "description": format!("May sign in to the app (held by the group {})", client.access_group),
                "attributes": Self::role_mark(owner),
            }),
        )
        .await?;
        let role_path = format!("{roles}/{}", seg(ROLE));
        let (role, gid) = futures_util::future::try_join(
            self.get_json::<Value>(&action, &role_path),
            self.group_id(&client.access_group),
        )
        .await?;
        if let Mark::Other { name } = Self::judge_role(owner, &role) {
            return Err(SsoError::Conflict {
                idp: self.http.name(),
                what: format!("a role {} that is {name}'s", role_of(&client.client_id)),
            });
        }
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
        // Only the role's id and name: the mapping takes nothing else.
        let role = json!([{ "id": role["id"], "name": role["name"] }]);
        let resp = self.call(&action, Method::POST, &path, Some(&role)).await?;
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

    /// Deletes the app's flow once its client is gone (Keycloak refuses to delete a
    /// flow a client is bound to), when it is the organisation's.
    pub(super) async fn remove_app_flow(
        &self,
        client_id: &str,
        owner: &Owner,
    ) -> Result<(), SsoError> {
        let alias = flow_alias(client_id);
        let Some(flow) = self.flows().await?.remove(&alias) else {
            return Ok(());
        };
        if self.foreign_flow(&flow, owner).await?.is_some() {
            return Ok(());
        }
        let action = format!("remove the sign-in flow {alias}");
        let path = self.realm_path(&format!("/authentication/flows/{}", seg(&flow.id)));
        let resp = self.call(&action, Method::DELETE, &path, None).await?;
        match resp.status() {
            s if s.is_success() || s == StatusCode::NOT_FOUND => Ok(()),
            s => Err(self.http.unexpected(s, &action)),
        }
    }
}
