//! The administrator's hand on a real Authentik, through its API (`/api/v3`).

use reqwest::Method;
use serde_json::{Value, json};

use super::{RealAdmin, ferry_group, ferry_made, scenario_person};

impl RealAdmin {
    /// Authentik's provider with this client id.
    pub(super) async fn ak_provider(&self, client_id: &str) -> Result<Value, String> {
        let list = self
            .ok(
                Method::GET,
                &format!("/providers/oauth2/?client_id={client_id}"),
                None,
            )
            .await?;
        list["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["client_id"] == client_id)
            .cloned()
            .ok_or_else(|| format!("no provider {client_id}"))
    }

    pub(super) async fn ak_patch(&self, client_id: &str, body: Value) -> Result<Value, String> {
        let p = self.ak_provider(client_id).await?;
        self.ok(
            Method::PATCH,
            &format!("/providers/oauth2/{}/", p["pk"]),
            Some(body),
        )
        .await
    }

    pub(super) async fn ak_user_pk(&self, email: &str) -> Result<Value, String> {
        let list = self
            .ok(Method::GET, &format!("/core/users/?search={email}"), None)
            .await?;
        list["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|u| {
                u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .map(|u| u["pk"].clone())
            .ok_or_else(|| format!("no user {email}"))
    }

    /// Every row of an Authentik list.
    pub(super) async fn ak_all(&self, path: &str) -> Result<Vec<Value>, String> {
        let join = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let v = self
                .ok(
                    Method::GET,
                    &format!("{path}{join}page_size=100&page={page}"),
                    None,
                )
                .await?;
            out.extend(v["results"].as_array().cloned().unwrap_or_default());
            match v["pagination"]["next"].as_u64() {
                Some(n) if n as usize > page => page = n as usize,
                _ => return Ok(out),
            }
        }
    }

    /// Removes what the scenarios made: Ferry's applications and providers (marked or
    /// bare), hand-made ones, the groups, Ferry's recovery flow, the scenarios' people.
    pub(super) async fn ak_reset(&self) -> Result<(), String> {
        for a in self
            .ak_all("/core/applications/?superuser_full_list=true")
            .await?
        {
            let slug = a["slug"].as_str().unwrap_or_default();
            let hand = a["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("hand-made"));
            if ferry_made(slug) || hand {
                self.call(Method::DELETE, &format!("/core/applications/{slug}/"), None)
                    .await?;
            }
        }
        for p in self.ak_all("/providers/oauth2/").await? {
            let name = p["name"].as_str().unwrap_or_default();
            if ferry_made(p["client_id"].as_str().unwrap_or_default())
                || name.starts_with("hand-made")
            {
                self.call(
                    Method::DELETE,
                    &format!("/providers/oauth2/{}/", p["pk"]),
                    None,
                )
                .await?;
            }
        }
        for g in self.ak_all("/core/groups/?include_users=false").await? {
            if ferry_group(g["name"].as_str().unwrap_or_default()) {
                self.call(
                    Method::DELETE,
                    &format!("/core/groups/{}/", g["pk"].as_str().unwrap_or_default()),
                    None,
                )
                .await?;
            }
        }
        // Ferry's recovery flow, so that member_link_sign_in meets a fresh brand.
        for b in self.ak_all("/core/brands/").await? {
            if !b["flow_recovery"].is_null() {
                let uuid = b["brand_uuid"].as_str().unwrap_or_default().to_owned();
                self.ok(
                    Method::PATCH,
                    &format!("/core/brands/{uuid}/"),
                    Some(json!({"flow_recovery": null})),
                )
                .await?;
            }
        }
        for f in self.ak_all("/flows/instances/?slug=ferry-recovery").await? {
            let slug = f["slug"].as_str().unwrap_or_default().to_owned();
            self.call(Method::DELETE, &format!("/flows/instances/{slug}/"), None)
                .await?;
        }
        for u in self.ak_all("/core/users/").await? {
            if u["email"].as_str().is_some_and(scenario_person) {
                self.call(Method::DELETE, &format!("/core/users/{}/", u["pk"]), None)
                    .await?;
            }
        }
        Ok(())
    }
}
