//! The administrator's hand on a real Authentik, through its API (`/api/v3`).

use reqwest::Method;
use serde_json::Value;

use super::RealAdmin;

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

    /// Removes the plan's applications, providers, groups and members.
    pub(super) async fn ak_reset(&self) -> Result<(), String> {
        const CLIENTS: [&str; 3] = ["nextcloud", "outline", "bookstack"];
        const USERS: [&str; 2] = ["kari.nordmann@example.org", "ola@example.org"];
        let ours = |name: &str| {
            ["members", "board"].contains(&name)
                || name.starts_with("app-")
                || name.contains("-extra-")
        };
        for slug in CLIENTS {
            self.call(Method::DELETE, &format!("/core/applications/{slug}/"), None)
                .await?;
        }
        for p in self.ak_all("/providers/oauth2/").await? {
            let name = p["name"].as_str().unwrap_or_default();
            if CLIENTS.contains(&p["client_id"].as_str().unwrap_or_default())
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
        for a in self.ak_all("/core/applications/").await? {
            if a["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("hand-made"))
            {
                self.call(
                    Method::DELETE,
                    &format!(
                        "/core/applications/{}/",
                        a["slug"].as_str().unwrap_or_default()
                    ),
                    None,
                )
                .await?;
            }
        }
        for g in self.ak_all("/core/groups/?include_users=false").await? {
            if ours(g["name"].as_str().unwrap_or_default()) {
                self.call(
                    Method::DELETE,
                    &format!("/core/groups/{}/", g["pk"].as_str().unwrap_or_default()),
                    None,
                )
                .await?;
            }
        }
        for email in USERS {
            for u in self.ak_all(&format!("/core/users/?search={email}")).await? {
                if u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
                {
                    self.call(Method::DELETE, &format!("/core/users/{}/", u["pk"]), None)
                        .await?;
                }
            }
        }
        Ok(())
    }
}
