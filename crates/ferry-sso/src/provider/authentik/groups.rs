//! Groups and who may use an app: group lookups (remembered by the connection, so
//! binding an app to a group just read or made needs no search) and the policy
//! bindings that let only an app's group sign in.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::json;

use super::{Authentik, pk_str};
use crate::desired::DesiredClient;
use crate::error::SsoError;
use crate::provider::seg;

impl Authentik {
    /// Every group as Authentik lists it (name, key, attributes).
    pub(super) async fn all_groups(&self) -> Result<Vec<serde_json::Value>, SsoError> {
        let all = self
            .list_all("read the groups", "/core/groups/?include_users=false")
            .await?;
        self.known_groups().extend(
            all.iter()
                .filter_map(|g| Some((g["name"].as_str()?.to_owned(), pk_str(&g["pk"])))),
        );
        Ok(all)
    }

    pub(super) fn known_groups(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.group_pks.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) async fn group_pk(&self, name: &str) -> Result<Option<String>, SsoError> {
        if let Some(pk) = self.known_groups().get(name) {
            return Ok(Some(pk.clone()));
        }
        Ok(self
            .first(
                "read the groups",
                &format!("/core/groups/?name={}&include_users=false", seg(name)),
            )
            .await?
            .filter(|g| g["name"].as_str() == Some(name))
            .map(|g| pk_str(&g["pk"])))
    }

    /// The groups bound to an application (its policy bindings with a group).
    pub(super) async fn bound_groups(&self, app_pk: &str) -> Result<Vec<String>, SsoError> {
        Ok(self
            .list_all(
                "read who may use the app",
                &format!("/policies/bindings/?target={}", seg(app_pk)),
            )
            .await?
            .into_iter()
            .filter(|b| b["enabled"] != false && b["negate"] != true)
            .filter_map(|b| b["group"].as_str().map(str::to_owned))
            .collect())
    }

    /// Binds the app's group to the application, so only its members may sign in
    /// (with the application's policy mode "any", any one binding that passes lets in).
    pub(super) async fn limit_to_group(
        &self,
        client: &DesiredClient,
        app_pk: &str,
        new_app: bool,
        action: &str,
    ) -> Result<(), SsoError> {
        let bound = async {
            if new_app {
                Ok(Vec::new())
            } else {
                self.bound_groups(app_pk).await
            }
        };
        let (group, bound) = tokio::try_join!(self.group_pk(&client.access_group), bound)?;
        let group = group.ok_or_else(|| SsoError::Missing {
            idp: self.http.name(),
            what: format!("group {}", client.access_group),
            hint: "apply the plan again, so its groups exist",
        })?;
        if bound.contains(&group) {
            return Ok(());
        }
        let body = json!({
            "target": app_pk,
            "group": group,
            "order": 0,
            "enabled": true,
            "negate": false,
            "timeout": 30,
        });
        let resp = self
            .call(action, Method::POST, "/policies/bindings/", Some(&body))
            .await?;
        self.expect_ok(resp, action).await
    }
}
