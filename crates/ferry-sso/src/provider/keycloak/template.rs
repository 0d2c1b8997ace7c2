//! The sign-in flow template each app's flow is copied from (access.rs): made once
//! per realm, marked in its description as the organisation's, checked by its shape.

use reqwest::Method;
use serde_json::{Value, json};

use super::Keycloak;
use super::access::{CONDITION, ROLE_CONFIG, TEMPLATE, created_id, ferry_shape};
use crate::error::SsoError;
use crate::owner::{Mark, Owner};
use crate::provider::seg;

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
        let top = self
            .new_flow(TEMPLATE, &Self::flow_description(owner))
            .await?;
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

    /// A new flow: its id. With a description it is the top level; without, it is to
    /// be a sub-flow.
    async fn new_flow(&self, alias: &str, description: &str) -> Result<String, SsoError> {
        let action = "make Ferry's sign-in flow template";
        let top = !description.is_empty();
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
        let id = self.new_flow(alias, "").await?;
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
