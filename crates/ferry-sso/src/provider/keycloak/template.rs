//! The sign-in flow template each app's flow is copied from (access.rs): made once
//! per realm, marked in its description as the organisation's, checked by its shape.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Keycloak;
use super::access::{CONDITION, ROLE_CONFIG, TEMPLATE, created_id, ferry_shape};
use crate::error::SsoError;
use crate::owner::{Mark, Owner};
use crate::provider::seg;

/// A sub-flow of the template: its id (for its steps) and alias (for its sub-flows).
struct SubFlow {
    id: String,
    alias: String,
}

impl Keycloak {
    /// The template, made once per realm and checked once per connection; the lock
    /// keeps the apps set up side by side from making it twice. One of its alias that
    /// is not the organisation's is left alone (an error); the organisation's own, half
    /// made by an interrupted run, is made again.
    pub(super) async fn template(&self, owner: &Owner) -> Result<(), SsoError> {
        let mut checked = self.template_checked.lock().await;
        if *checked {
            return Ok(());
        }
        if let Some(flow) = self.flows().await?.remove(TEMPLATE) {
            let mark = Self::flow_mark(owner, &flow.description);
            if let Mark::Other { .. } = mark {
                return Err(self.flow_taken(TEMPLATE, &mark));
            }
            if ferry_shape(&self.executions(TEMPLATE).await?, TEMPLATE) {
                *checked = true;
                return Ok(());
            }
            if mark == Mark::None {
                return Err(self.flow_taken(TEMPLATE, &mark));
            }
            // Half made by an interrupted run (Ferry's own flow, bound to no client).
            let action = "repair Ferry's sign-in flow template";
            let path = self.realm_path(&format!("/authentication/flows/{}", seg(&flow.id)));
            let resp = self.call(action, Method::DELETE, &path, None).await?;
            self.expect_created(resp, action).await?;
        }
        self.make_template(owner).await?;
        *checked = true;
        Ok(())
    }

    async fn make_template(&self, owner: &Owner) -> Result<(), SsoError> {
        // The top first, marked: a run interrupted after it leaves a flow known as ours.
        self.new_top_flow(TEMPLATE, &Self::flow_description(owner))
            .await?;
        let sign_in = self
            .sub_flow(TEMPLATE, "ferry - sign in", "REQUIRED")
            .await?;
        self.step(&sign_in.id, "auth-cookie", "ALTERNATIVE").await?;
        let form = self
            .sub_flow(&sign_in.alias, "ferry - form", "ALTERNATIVE")
            .await?;
        self.step(&form.id, "auth-username-password-form", "REQUIRED")
            .await?;
        let second = self
            .sub_flow(&form.alias, "ferry - second factor", "CONDITIONAL")
            .await?;
        self.step(&second.id, "conditional-user-configured", "REQUIRED")
            .await?;
        self.step(&second.id, "auth-otp-form", "REQUIRED").await?;
        let only = self
            .sub_flow(TEMPLATE, "ferry - only the app's group", "CONDITIONAL")
            .await?;
        let condition = self.step(&only.id, CONDITION, "REQUIRED").await?;
        self.step(&only.id, "deny-access-authenticator", "REQUIRED")
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

    /// A new top-level flow with no steps: its id.
    async fn new_top_flow(&self, alias: &str, description: &str) -> Result<String, SsoError> {
        let action = "make Ferry's sign-in flow template";
        let resp = self
            .call(
                action,
                Method::POST,
                &self.realm_path("/authentication/flows"),
                Some(&json!({
                    "alias": alias,
                    "description": description,
                    "providerId": "basic-flow",
                    "topLevel": true,
                    "builtIn": false,
                })),
            )
            .await?;
        let id = created_id(&resp);
        self.expect_created(resp, action).await?;
        id.ok_or_else(|| self.no_location(action, "flow"))
    }

    /// A sub-flow at the end of `parent`, made in its place in one request (Keycloak's
    /// "add flow with new execution"), then given its requirement. A run stopped in
    /// between leaves a template of the wrong shape, which is made again; never a
    /// sub-flow that no flow holds, whose alias would block every later try.
    async fn sub_flow(
        &self,
        parent: &str,
        alias: &str,
        requirement: &str,
    ) -> Result<SubFlow, SsoError> {
        let action = "make Ferry's sign-in flow template";
        let path = self.realm_path(&format!(
            "/authentication/flows/{}/executions/flow",
            seg(parent)
        ));
        let body = json!({ "alias": alias, "type": "basic-flow", "description": "" });
        let mut resp = self.call(action, Method::POST, &path, Some(&body)).await?;
        if resp.status() == StatusCode::CONFLICT && self.clear_loose_flow(alias).await? {
            resp = self.call(action, Method::POST, &path, Some(&body)).await?;
        }
        let id = created_id(&resp);
        self.expect_created(resp, action).await?;
        let id = id.ok_or_else(|| self.no_location(action, "flow"))?;
        // Keycloak makes it DISABLED. The update takes the step's place (priority) too:
        // it is sent back as listed, or the step would move.
        let listed: Vec<Value> = self
            .get_json(
                "read a sign-in flow",
                &self.realm_path(&format!("/authentication/flows/{}/executions", seg(parent))),
            )
            .await?;
        let step = listed
            .iter()
            .find(|e| e["flowId"] == id.as_str())
            .ok_or_else(|| self.no_location(action, "step of the new flow"))?;
        let update = json!({
            "id": step["id"],
            "requirement": requirement,
            "priority": step["priority"],
        });
        let resp = self
            .call(
                action,
                Method::PUT,
                &self.realm_path(&format!("/authentication/flows/{}/executions", seg(parent))),
                Some(&update),
            )
            .await?;
        self.expect_created(resp, action).await?;
        Ok(SubFlow {
            id,
            alias: alias.to_owned(),
        })
    }

    /// Deletes the sub-flow `alias` when no flow holds it, as an earlier Ferry stopped
    /// between making a sub-flow and putting it in place left one. The admin API lists
    /// only top-level flows; the realm's partial export lists them all. Whether one was
    /// deleted.
    async fn clear_loose_flow(&self, alias: &str) -> Result<bool, SsoError> {
        let action = "repair Ferry's sign-in flow template";
        let path =
            self.realm_path("/partial-export?exportClients=false&exportGroupsAndRoles=false");
        let resp = self.call(action, Method::POST, &path, None).await?;
        let realm: Value = self.http.json(resp, action).await?;
        let flows = realm["authenticationFlows"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let held = |alias: &str| {
            flows.iter().any(|f| {
                f["authenticationExecutions"]
                    .as_array()
                    .is_some_and(|list| list.iter().any(|e| e["flowAlias"] == alias))
            })
        };
        let loose = flows.iter().find(|f| {
            f["alias"] == alias && f["topLevel"] == false && f["builtIn"] != true && !held(alias)
        });
        let Some(id) = loose.and_then(|f| f["id"].as_str()) else {
            return Ok(false);
        };
        let path = self.realm_path(&format!("/authentication/flows/{}", seg(id)));
        let resp = self.call(action, Method::DELETE, &path, None).await?;
        self.expect_created(resp, action).await?;
        Ok(true)
    }

    fn no_location(&self, action: &str, what: &str) -> SsoError {
        SsoError::InvalidResponse {
            idp: self.http.name(),
            action: action.into(),
            detail: format!("no location for the new {what}"),
        }
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
        id.ok_or_else(|| self.no_location(action, "step"))
    }
}
