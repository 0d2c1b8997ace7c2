//! The administrator's hand on a real Authentik or Rauthy: the same actions as the
//! contract servers' test hooks, through each product's own admin API.

use ferry_core::model::IdpKind;
use reqwest::Method;
use serde_json::{Value, json};

use super::Target;

mod authentik;
mod people;
mod rauthy;

pub struct RealAdmin {
    pub kind: IdpKind,
    /// Without a trailing slash.
    pub base: String,
    /// The whole `Authorization` header value.
    pub auth: String,
    pub http: reqwest::Client,
    /// Names made by this run start with it, so runs on one server stay apart.
    pub run: String,
}

/// Rauthy 0.35's `UpdateClientRequest` fields.
const RAUTHY_UPDATE: [&str; 21] = [
    "id",
    "name",
    "confidential",
    "enabled",
    "redirect_uris",
    "post_logout_redirect_uris",
    "allowed_origins",
    "flows_enabled",
    "access_token_alg",
    "id_token_alg",
    "auth_code_lifetime",
    "access_token_lifetime",
    "scopes",
    "default_scopes",
    "challenges",
    "force_mfa",
    "client_uri",
    "contacts",
    "backchannel_logout_uri",
    "restrict_group_prefix",
    "scim",
];

impl RealAdmin {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), String> {
        let prefix = match self.kind {
            IdpKind::Authentik => "/api/v3",
            _ => "/auth/v1",
        };
        let mut r = self
            .http
            .request(method.clone(), format!("{}{prefix}{path}", self.base))
            .header("authorization", &self.auth);
        if let Some(b) = &body {
            r = r.json(b);
        }
        let resp = r
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok((status, value))
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let (status, v) = self.call(method.clone(), path, body).await?;
        if (200..300).contains(&status) {
            Ok(v)
        } else {
            Err(format!("{method} {path}: {status} {v}"))
        }
    }

    /// Authentik's provider with this client id.
    async fn ak_provider(&self, client_id: &str) -> Result<Value, String> {
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

    async fn ak_patch(&self, client_id: &str, body: Value) -> Result<Value, String> {
        let p = self.ak_provider(client_id).await?;
        self.ok(
            Method::PATCH,
            &format!("/providers/oauth2/{}/", p["pk"]),
            Some(body),
        )
        .await
    }

    async fn ak_user_pk(&self, email: &str) -> Result<Value, String> {
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

    async fn ra_client(&self, client_id: &str) -> Result<Value, String> {
        self.ok(Method::GET, &format!("/clients/{client_id}"), None)
            .await
    }

    async fn ra_put(&self, client_id: &str, edit: impl FnOnce(&mut Value)) -> Result<(), String> {
        let c = self.ra_client(client_id).await?;
        let mut body = json!({});
        for f in RAUTHY_UPDATE {
            if let Some(v) = c.get(f) {
                body[f] = v.clone();
            }
        }
        edit(&mut body);
        self.ok(Method::PUT, &format!("/clients/{client_id}"), Some(body))
            .await
            .map(|_| ())
    }

    /// The server's own word on its version, for the results table.
    pub async fn version(&self) -> String {
        let path = match self.kind {
            IdpKind::Authentik => "/admin/version/",
            _ => "/version",
        };
        match self.call(Method::GET, path, None).await {
            Ok((_, v)) => v.to_string(),
            Err(e) => e,
        }
    }

    /// Removes what the scenarios make (every object with a Ferry mark or an earlier
    /// Ferry's bare name, their members, this run's extra groups, hand-made
    /// applications), so each starts from a clean server.
    pub async fn reset(&self, _t: &Target) -> Result<(), String> {
        const APPS: [&str; 3] = ["nextcloud", "outline", "bookstack"];
        let ferry_made = |id: &str| {
            APPS.iter()
                .any(|a| id == *a || id.ends_with(&format!("-{a}")))
        };
        let ours = |name: &str| {
            ["members", "board"].contains(&name)
                || name.starts_with("app-")
                || name.contains("-extra-")
                || name.contains('/')
        };
        // Only the scenarios' people: never the administrator whose token this is.
        let people = |email: &str| {
            ["kari.nordmann@example.org", "ola@example.org"]
                .contains(&email.to_lowercase().as_str())
                || [
                    "@barn-og-unge.example",
                    "@ost-lag.example",
                    "@tokyo-union.example",
                    "@elsewhere.example",
                ]
                .iter()
                .any(|d| email.to_lowercase().ends_with(d))
        };
        match self.kind {
            IdpKind::Authentik => {
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
                    if ours(g["name"].as_str().unwrap_or_default()) {
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
                    if u["email"].as_str().is_some_and(people) {
                        self.call(Method::DELETE, &format!("/core/users/{}/", u["pk"]), None)
                            .await?;
                    }
                }
            }
            _ => {
                let (_, clients) = self.call(Method::GET, "/clients", None).await?;
                for c in clients.as_array().into_iter().flatten() {
                    let id = c["id"].as_str().unwrap_or_default();
                    if ferry_made(id) {
                        self.call(Method::DELETE, &format!("/clients/{id}"), None)
                            .await?;
                    }
                }
                let (_, groups) = self.call(Method::GET, "/groups", None).await?;
                for g in groups.as_array().into_iter().flatten() {
                    if ours(g["name"].as_str().unwrap_or_default()) {
                        self.call(
                            Method::DELETE,
                            &format!("/groups/{}", g["id"].as_str().unwrap_or_default()),
                            None,
                        )
                        .await?;
                    }
                }
                let (_, users) = self.call(Method::GET, "/users", None).await?;
                for u in users.as_array().into_iter().flatten() {
                    if u["email"].as_str().is_some_and(people) {
                        self.call(
                            Method::DELETE,
                            &format!("/users/{}", u["id"].as_str().unwrap_or_default()),
                            None,
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Every row of an Authentik list.
    async fn ak_all(&self, path: &str) -> Result<Vec<Value>, String> {
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

    pub async fn rotate_secret(&self, _t: &Target, client_id: &str) -> Result<String, String> {
        match self.kind {
            IdpKind::Authentik => {
                let fresh = format!("rotated{}", uuid::Uuid::new_v4().simple());
                self.ak_patch(client_id, json!({"client_secret": fresh}))
                    .await?;
                Ok(fresh)
            }
            _ => {
                let v = self
                    .ok(
                        Method::PUT,
                        &format!("/clients/{client_id}/secret"),
                        Some(json!({})),
                    )
                    .await?;
                v["secret"]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("no secret in {v}"))
            }
        }
    }

    pub async fn hand_edit(&self, _t: &Target, client_id: &str, mine: &str) -> Result<(), String> {
        match self.kind {
            IdpKind::Authentik => {
                let p = self.ak_provider(client_id).await?;
                let extra = self
                    .ok(
                        Method::GET,
                        "/propertymappings/provider/scope/?managed=goauthentik.io/providers/oauth2/scope-offline_access",
                        None,
                    )
                    .await?["results"][0]["pk"]
                    .clone();
                let mut mappings = p["property_mappings"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                mappings.push(extra);
                self.ak_patch(
                    client_id,
                    json!({
                        "name": format!("Named by hand {}", self.run),
                        "sub_mode": "user_email",
                        "property_mappings": mappings,
                        "redirect_uris": [{"matching_mode": "strict", "url": mine}],
                    }),
                )
                .await
                .map(|_| ())
            }
            _ => {
                self.ra_put(client_id, |b| {
                    b["name"] = json!("Named by hand");
                    b["access_token_lifetime"] = json!(600);
                    b["redirect_uris"] = json!([mine]);
                })
                .await
            }
        }
    }

    pub async fn hand_edits_still_there(
        &self,
        _t: &Target,
        client_id: &str,
        mine: &str,
    ) -> Result<(), String> {
        let c = match self.kind {
            IdpKind::Authentik => self.ak_provider(client_id).await?,
            _ => self.ra_client(client_id).await?,
        };
        let text = c.to_string();
        let mut lost = Vec::new();
        if !text.contains("Named by hand") {
            lost.push("name");
        }
        if !text.contains(mine) {
            lost.push("hand-made return address");
        }
        match self.kind {
            IdpKind::Authentik => {
                if c["sub_mode"] != "user_email" {
                    lost.push("sub_mode");
                }
                if c["property_mappings"].as_array().map_or(0, Vec::len) < 4 {
                    lost.push("extra scope mapping");
                }
            }
            _ => {
                if c["access_token_lifetime"] != 600 {
                    lost.push("access_token_lifetime");
                }
            }
        }
        if lost.is_empty() {
            Ok(())
        } else {
            Err(format!("lost what the admin set: {}", lost.join(", ")))
        }
    }

    pub async fn add_groups(&self, _t: &Target, count: u64) -> Result<(), String> {
        for n in 0..count {
            let name = format!("{}-extra-{n:04}", self.run);
            match self.kind {
                IdpKind::Authentik => {
                    self.ok(Method::POST, "/core/groups/", Some(json!({"name": name})))
                        .await?
                }
                _ => {
                    self.ok(Method::POST, "/groups", Some(json!({"group": name})))
                        .await?
                }
            };
        }
        Ok(())
    }

    pub async fn add_foreign_app(&self, _t: &Target, slug: &str) -> Result<(), String> {
        if self.kind != IdpKind::Authentik {
            return Err("only Authentik has applications".into());
        }
        let flow = |slug: &str| format!("/flows/instances/?slug={slug}");
        let auth = self
            .ok(
                Method::GET,
                &flow("default-provider-authorization-implicit-consent"),
                None,
            )
            .await?;
        let inv = self
            .ok(
                Method::GET,
                &flow("default-provider-invalidation-flow"),
                None,
            )
            .await?;
        let p = self
            .ok(
                Method::POST,
                "/providers/oauth2/",
                Some(json!({
                    "name": format!("hand-made {slug} {}", self.run),
                    "authorization_flow": auth["results"][0]["pk"],
                    "invalidation_flow": inv["results"][0]["pk"],
                    "redirect_uris": [],
                })),
            )
            .await?;
        self.ok(
            Method::POST,
            "/core/applications/",
            Some(json!({"name": format!("hand-made {slug}"), "slug": slug, "provider": p["pk"]})),
        )
        .await
        .map(|_| ())
    }

    pub async fn has_client(&self, _t: &Target, client_id: &str) -> Result<bool, String> {
        match self.kind {
            IdpKind::Authentik => Ok(self.ak_provider(client_id).await.is_ok()),
            _ => Ok(self
                .call(Method::GET, &format!("/clients/{client_id}"), None)
                .await?
                .0
                == 200),
        }
    }

    pub async fn add_user(&self, _t: &Target, email: &str, name: &str) -> Result<(), String> {
        match self.kind {
            IdpKind::Authentik => self
                .ok(
                    Method::POST,
                    "/core/users/",
                    Some(json!({"username": email, "name": name, "email": email, "path": "users", "type": "internal"})),
                )
                .await
                .map(|_| ()),
            _ => self
                .ok(
                    Method::POST,
                    "/users",
                    Some(json!({"email": email, "given_name": name, "language": "en", "groups": ["members"], "roles": []})),
                )
                .await
                .map(|_| ()),
        }
    }

    pub async fn users_with_email(&self, _t: &Target, email: &str) -> Result<usize, String> {
        let list = match self.kind {
            IdpKind::Authentik => self
                .ok(Method::GET, &format!("/core/users/?search={email}"), None)
                .await?["results"]
                .clone(),
            _ => self.ok(Method::GET, "/users", None).await?,
        };
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| {
                u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .count())
    }

    /// Authentik: its policy engine's own answer (`check_access`). Rauthy: a real
    /// sign-in with a password set for the purpose.
    pub async fn can_sign_in(
        &self,
        t: &Target,
        email: &str,
        client_id: &str,
    ) -> Result<bool, String> {
        match self.kind {
            IdpKind::Authentik => {
                let pk = self.ak_user_pk(email).await?;
                let v = self
                    .ok(
                        Method::GET,
                        &format!("/core/applications/{client_id}/check_access/?for_user={pk}"),
                        None,
                    )
                    .await?;
                Ok(v["passing"] == true)
            }
            _ => self.ra_sign_in(t, email, client_id).await,
        }
    }

    pub async fn add_redirect(
        &self,
        _t: &Target,
        client_id: &str,
        url: &str,
    ) -> Result<(), String> {
        match self.kind {
            IdpKind::Authentik => {
                let p = self.ak_provider(client_id).await?;
                let mut list = p["redirect_uris"].as_array().cloned().unwrap_or_default();
                list.push(json!({"matching_mode": "strict", "url": url}));
                self.ak_patch(client_id, json!({"redirect_uris": list}))
                    .await
                    .map(|_| ())
            }
            _ => {
                self.ra_put(client_id, |b| {
                    if let Some(list) = b["redirect_uris"].as_array_mut() {
                        list.push(json!(url));
                    }
                })
                .await
            }
        }
    }

    pub async fn disable(&self, _t: &Target, client_id: &str) -> Result<bool, String> {
        match self.kind {
            // An Authentik provider has no switch of its own.
            IdpKind::Authentik => Ok(false),
            _ => {
                self.ra_put(client_id, |b| b["enabled"] = json!(false))
                    .await?;
                Ok(true)
            }
        }
    }
}
