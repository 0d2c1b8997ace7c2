//! The administrator's hand on a real Authentik, Rauthy or Keycloak: the same actions as
//! the contract servers' test hooks, through each product's own admin API.

use ferry_core::model::IdpKind;
use reqwest::Method;
use serde_json::{Value, json};

use super::Target;

mod authentik;
mod authentik_member;
mod keycloak;
mod keycloak_member;
mod people;
mod rauthy;

pub use keycloak::KeycloakLogin;

pub struct RealAdmin {
    pub kind: IdpKind,
    /// Without a trailing slash.
    pub base: String,
    /// The whole `Authorization` header value.
    pub auth: String,
    pub http: reqwest::Client,
    /// Names made by this run start with it, so runs on one server stay apart.
    pub run: String,
    /// Keycloak's master admin (Keycloak only: its tokens are asked for per call).
    pub keycloak: Option<KeycloakLogin>,
    /// Keycloak: the mail server given to a realm for the members' e-mails (the
    /// others have theirs outside the test: scripts/real-idp/smtp-sink).
    pub mail: tokio::sync::Mutex<Option<crate::conformance::mail_sink::MailSink>>,
}

/// The apps' client ids the scenarios make: bare (an earlier Ferry's) or after an
/// organisation's short name.
pub(super) fn ferry_made(id: &str) -> bool {
    ["nextcloud", "outline", "bookstack"]
        .iter()
        .any(|a| id == *a || id.ends_with(&format!("-{a}")))
}

/// The groups the scenarios make: bare, an organisation's (`<short>/…`), or many.
pub(super) fn ferry_group(name: &str) -> bool {
    ["members", "board"].contains(&name)
        || name.starts_with("app-")
        || name.contains("-extra-")
        || name.contains('/')
}

/// The scenarios' people only: never the administrator whose token this is (the
/// bootstrap admin's address is example.org too).
pub(super) fn scenario_person(email: &str) -> bool {
    let email = email.to_lowercase();
    ["kari.nordmann@example.org", "ola@example.org"].contains(&email.as_str())
        || [
            "@barn-og-unge.example",
            "@ost-lag.example",
            "@tokyo-union.example",
            "@elsewhere.example",
        ]
        .iter()
        .any(|d| email.ends_with(d))
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

    /// The server's own word on its version, for the results table.
    pub async fn version(&self) -> String {
        if self.kind == IdpKind::Keycloak {
            return self.kc_version().await;
        }
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
    /// applications, Keycloak's realms), so each starts from a clean server.
    pub async fn reset(&self, _t: &Target) -> Result<(), String> {
        if self.kind == IdpKind::Keycloak {
            return self.kc_reset().await;
        }
        match self.kind {
            IdpKind::Authentik => self.ak_reset().await,
            _ => self.ra_reset().await,
        }
    }

    pub async fn rotate_secret(&self, t: &Target, client_id: &str) -> Result<String, String> {
        if self.kind == IdpKind::Keycloak {
            return self.kc_rotate_secret(t, client_id).await;
        }
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

    pub async fn hand_edit(&self, t: &Target, client_id: &str, mine: &str) -> Result<(), String> {
        if self.kind == IdpKind::Keycloak {
            return self
                .kc_edit(t, client_id, |c| {
                    c["name"] = json!("Named by hand");
                    c["webOrigins"] = json!(["https://elsewhere.example"]);
                    c["redirectUris"] = json!([mine]);
                })
                .await;
        }
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
        t: &Target,
        client_id: &str,
        mine: &str,
    ) -> Result<(), String> {
        let c = match self.kind {
            IdpKind::Authentik => self.ak_provider(client_id).await?,
            IdpKind::Keycloak => self.kc_client(t, client_id).await?,
            IdpKind::Rauthy => self.ra_client(client_id).await?,
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
            IdpKind::Keycloak => {
                if !text.contains("elsewhere.example") {
                    lost.push("webOrigins");
                }
            }
            IdpKind::Rauthy => {
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

    pub async fn add_groups(&self, t: &Target, count: u64) -> Result<(), String> {
        if self.kind == IdpKind::Keycloak {
            return self.kc_add_groups(t, count).await;
        }
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

    pub async fn has_client(&self, t: &Target, client_id: &str) -> Result<bool, String> {
        if self.kind == IdpKind::Keycloak {
            return Ok(self.kc_client(t, client_id).await.is_ok());
        }
        match self.kind {
            IdpKind::Authentik => Ok(self.ak_provider(client_id).await.is_ok()),
            _ => Ok(self
                .call(Method::GET, &format!("/clients/{client_id}"), None)
                .await?
                .0
                == 200),
        }
    }

    pub async fn add_user(&self, t: &Target, email: &str, name: &str) -> Result<(), String> {
        if self.kind == IdpKind::Keycloak {
            return self.kc_add_user(t, email, name).await;
        }
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

    pub async fn users_with_email(&self, t: &Target, email: &str) -> Result<usize, String> {
        if self.kind == IdpKind::Keycloak {
            return Ok(self.kc_users(t, email).await?.len());
        }
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

    /// Authentik: its policy engine's own answer (`check_access`). Rauthy and
    /// Keycloak: a real sign-in with a password set for the purpose.
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
            IdpKind::Keycloak => self.kc_sign_in(t, email, client_id).await,
            IdpKind::Rauthy => self.ra_sign_in(t, email, client_id).await,
        }
    }

    pub async fn add_redirect(&self, t: &Target, client_id: &str, url: &str) -> Result<(), String> {
        if self.kind == IdpKind::Keycloak {
            return self
                .kc_edit(t, client_id, |c| {
                    if let Some(list) = c["redirectUris"].as_array_mut() {
                        list.push(json!(url));
                    }
                })
                .await;
        }
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

    pub async fn disable(&self, t: &Target, client_id: &str) -> Result<bool, String> {
        if self.kind == IdpKind::Keycloak {
            return self
                .kc_edit(t, client_id, |c| c["enabled"] = json!(false))
                .await
                .map(|()| true);
        }
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
