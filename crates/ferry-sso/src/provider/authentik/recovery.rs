//! First sign-in links. Authentik's `POST /core/users/{id}/recovery/` plans the
//! brand's recovery flow for the member and returns a link; without a recovery flow
//! it answers 400 and members have no way to set a password. A fresh install has
//! none. When asked (it changes the whole install's brand, so never by itself and
//! never over one that is there), Ferry makes one from Authentik's own stages of
//! every install: the password prompt and user write of its "Change password" flow
//! (`never_create`: the link's member is changed, nobody is made) and the login stage
//! of its authentication flow. No e-mail stage is needed: the link's plan already
//! names the member (checked in Authentik 2025.12's `core/api/users.py`).

use reqwest::Method;
use serde_json::{Value, json};

use super::{Authentik, pk_str};
use crate::error::SsoError;
use crate::provider::seg;

pub(super) const FLOW_SLUG: &str = "ferry-recovery";
/// Authentik's own stages, in the order the flow runs them.
const STAGES: [(&str, &str); 3] = [
    ("/stages/prompt/stages/", "default-password-change-prompt"),
    ("/stages/user_write/", "default-password-change-write"),
    ("/stages/user_login/", "default-authentication-login"),
];

impl Authentik {
    /// The brand that answers Ferry's requests: the one whose recovery flow makes links
    /// (`flow_recovery` is its slug, absent when it has none).
    async fn current_brand(&self) -> Result<Value, SsoError> {
        self.get_json("read the brand", "/core/brands/current/")
            .await
    }

    pub(super) async fn has_recovery_flow(&self) -> Result<bool, SsoError> {
        let brand = self.current_brand().await?;
        Ok(!brand["flow_recovery"].is_null())
    }

    pub(super) async fn set_up_recovery(&self) -> Result<(), SsoError> {
        let action = "set up a recovery flow";
        let brand = self.current_brand().await?;
        if !brand["flow_recovery"].is_null() {
            return Ok(());
        }
        let mut stages = Vec::new();
        for (path, name) in STAGES {
            let found = self
                .first(action, &format!("{path}?name={}", seg(name)))
                .await?
                .filter(|s| s["name"] == name);
            let stage = found.ok_or_else(|| SsoError::Missing {
                idp: self.http.name(),
                what: format!("stage {name}"),
                hint: "it comes with every install; restore it under Flows and Stages",
            })?;
            stages.push(pk_str(&stage["pk"]));
        }
        let flow = match self
            .first(
                action,
                &format!("/flows/instances/?slug={}", seg(FLOW_SLUG)),
            )
            .await?
        {
            Some(f) => pk_str(&f["pk"]),
            None => {
                let body = json!({
                    "name": "Set your password",
                    "slug": FLOW_SLUG,
                    "title": "Set your password",
                    "designation": "recovery",
                    "authentication": "require_unauthenticated",
                });
                let resp = self
                    .call(action, Method::POST, "/flows/instances/", Some(&body))
                    .await?;
                if !resp.status().is_success() {
                    return self.expect_ok(resp, action).await;
                }
                let made: Value = self.http.json(resp, action).await?;
                pk_str(&made["pk"])
            }
        };
        let bound = self
            .list_all(action, &format!("/flows/bindings/?target={}", seg(&flow)))
            .await?;
        for (n, stage) in stages.iter().enumerate() {
            if bound.iter().any(|b| pk_str(&b["stage"]) == *stage) {
                continue;
            }
            let body = json!({
                "target": flow,
                "stage": stage,
                "order": (n as i64 + 1) * 10,
                "evaluate_on_plan": true,
                "re_evaluate_policies": false,
                "policy_engine_mode": "any",
                "invalid_response_action": "retry",
            });
            let resp = self
                .call(action, Method::POST, "/flows/bindings/", Some(&body))
                .await?;
            self.expect_ok(resp, action).await?;
        }
        // The current brand answers without its key: find it by its domain.
        let domain = brand["matched_domain"].as_str().unwrap_or_default();
        let found = self
            .first(action, &format!("/core/brands/?domain={}", seg(domain)))
            .await?
            .filter(|b| b["domain"] == domain)
            .ok_or_else(|| SsoError::Missing {
                idp: self.http.name(),
                what: format!("brand {domain}"),
                hint: "check the brands under System",
            })?;
        let path = format!("/core/brands/{}/", seg(&pk_str(&found["brand_uuid"])));
        let resp = self
            .call(
                action,
                Method::PATCH,
                &path,
                Some(&json!({"flow_recovery": flow})),
            )
            .await?;
        self.expect_ok(resp, action).await
    }
}
