//! The administrator's hand on a real Keycloak, through its Admin REST API
//! (`/admin/realms/{realm}/…`) as the master realm's admin, and a real sign-in through
//! Keycloak's login page (`conformance::browser`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::RealAdmin;
use crate::conformance::Target;
use crate::conformance::browser::{self, Person};

/// The master realm's administrator. Its token is kept 30 s (the master realm's live
/// 60 s; each new one costs Keycloak a password hash).
#[derive(Clone)]
pub struct KeycloakLogin {
    pub username: String,
    pub password: String,
    pub token: Arc<Mutex<Option<(String, Instant)>>>,
}

impl KeycloakLogin {
    pub fn new(username: &str, password: &str) -> Self {
        KeycloakLogin {
            username: username.to_owned(),
            password: password.to_owned(),
            token: Default::default(),
        }
    }
}

/// The password the scenarios give a member before signing them in.
pub const MEMBER_PASSWORD: &str = "Conformance-Pass-2026-long";

impl RealAdmin {
    fn login(&self) -> &KeycloakLogin {
        self.keycloak
            .as_ref()
            .expect("a Keycloak admin is set for Keycloak")
    }

    async fn kc_token(&self) -> Result<String, String> {
        let l = self.login();
        if let Some((token, at)) = &*l.token.lock().unwrap_or_else(|e| e.into_inner())
            && at.elapsed() < Duration::from_secs(30)
        {
            return Ok(token.clone());
        }
        let v: Value = self
            .http
            .post(format!(
                "{}/realms/master/protocol/openid-connect/token",
                self.base
            ))
            .form(&[
                ("grant_type", "password"),
                ("client_id", "admin-cli"),
                ("username", &l.username),
                ("password", &l.password),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let token = v["access_token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no admin token: {v}"))?;
        *l.token.lock().unwrap_or_else(|e| e.into_inner()) = Some((token.clone(), Instant::now()));
        Ok(token)
    }

    /// `path` under `/admin/realms`.
    pub(super) async fn kc_call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), String> {
        let token = self.kc_token().await?;
        let mut r = self
            .http
            .request(method.clone(), format!("{}/admin/realms{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = &body {
            r = r.json(b);
        }
        let resp = r
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ))
    }

    pub(super) async fn kc_ok(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let (status, v) = self.kc_call(method.clone(), path, body).await?;
        if (200..300).contains(&status) {
            Ok(v)
        } else {
            Err(format!("{method} {path}: {status} {v}"))
        }
    }

    fn realm(t: &Target) -> String {
        format!("/{}", t.desired().realm)
    }

    /// The client as Keycloak has it.
    pub(super) async fn kc_client(&self, t: &Target, client_id: &str) -> Result<Value, String> {
        let list = self
            .kc_ok(
                Method::GET,
                &format!("{}/clients?clientId={client_id}", Self::realm(t)),
                None,
            )
            .await?;
        list.as_array()
            .into_iter()
            .flatten()
            .find(|c| c["clientId"] == client_id)
            .cloned()
            .ok_or_else(|| format!("no client {client_id}"))
    }

    /// Changes the client as an administrator in Keycloak's admin console would (a PUT
    /// of the whole client).
    pub(super) async fn kc_edit(
        &self,
        t: &Target,
        client_id: &str,
        edit: impl FnOnce(&mut Value),
    ) -> Result<(), String> {
        let mut c = self.kc_client(t, client_id).await?;
        edit(&mut c);
        let path = format!(
            "{}/clients/{}",
            Self::realm(t),
            c["id"].as_str().unwrap_or_default()
        );
        self.kc_ok(Method::PUT, &path, Some(c)).await.map(|_| ())
    }

    pub(super) async fn kc_version(&self) -> String {
        match self.kc_ok(Method::GET, "/master", None).await {
            Err(e) => e,
            Ok(_) => {
                let token = self.kc_token().await.unwrap_or_default();
                let info: Value = match self
                    .http
                    .get(format!("{}/admin/serverinfo", self.base))
                    .bearer_auth(token)
                    .send()
                    .await
                {
                    Ok(r) => r.json().await.unwrap_or_default(),
                    Err(e) => json!(e.to_string()),
                };
                format!("Keycloak {}", info["systemInfo"]["version"])
            }
        }
    }

    /// Every realm but master goes: each scenario starts from a Keycloak as installed.
    pub(super) async fn kc_reset(&self) -> Result<(), String> {
        let realms = self.kc_ok(Method::GET, "", None).await?;
        for r in realms.as_array().into_iter().flatten() {
            let name = r["realm"].as_str().unwrap_or_default();
            if name != "master" {
                self.kc_ok(Method::DELETE, &format!("/{name}"), None)
                    .await?;
            }
        }
        Ok(())
    }

    pub(super) async fn kc_rotate_secret(
        &self,
        t: &Target,
        client_id: &str,
    ) -> Result<String, String> {
        let c = self.kc_client(t, client_id).await?;
        let v = self
            .kc_ok(
                Method::POST,
                &format!(
                    "{}/clients/{}/client-secret",
                    Self::realm(t),
                    c["id"].as_str().unwrap_or_default()
                ),
                None,
            )
            .await?;
        v["value"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no secret in {v}"))
    }

    /// The realm, made by hand as an administrator would before Ferry came.
    pub(super) async fn kc_realm_by_hand(&self, t: &Target) -> Result<(), String> {
        let (status, v) = self
            .kc_call(
                Method::POST,
                "",
                Some(json!({"realm": t.desired().realm, "enabled": true})),
            )
            .await?;
        match status {
            201 | 409 => Ok(()),
            _ => Err(format!("making the realm: {status} {v}")),
        }
    }

    pub(super) async fn kc_add_groups(&self, t: &Target, count: u64) -> Result<(), String> {
        self.kc_realm_by_hand(t).await?;
        for n in 0..count {
            let name = format!("{}-extra-{n:04}", self.run);
            self.kc_ok(
                Method::POST,
                &format!("{}/groups", Self::realm(t)),
                Some(json!({ "name": name })),
            )
            .await?;
        }
        Ok(())
    }

    pub(super) async fn kc_add_user(
        &self,
        t: &Target,
        email: &str,
        name: &str,
    ) -> Result<(), String> {
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        self.kc_ok(
            Method::POST,
            &format!("{}/users", Self::realm(t)),
            Some(json!({
                "username": email, "email": email, "firstName": first, "lastName": last,
                "enabled": true,
            })),
        )
        .await
        .map(|_| ())
    }

    pub(super) async fn kc_users(&self, t: &Target, email: &str) -> Result<Vec<Value>, String> {
        let list = self
            .kc_ok(
                Method::GET,
                &format!("{}/users?email={email}&max=100", Self::realm(t)),
                None,
            )
            .await?;
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| {
                u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .cloned()
            .collect())
    }

    pub async fn kc_client_secret(&self, t: &Target, client_id: &str) -> Result<String, String> {
        let c = self.kc_client(t, client_id).await?;
        let path = format!(
            "{}/clients/{}/client-secret",
            Self::realm(t),
            c["id"].as_str().unwrap_or_default()
        );
        let v = self.kc_ok(Method::GET, &path, None).await?;
        v["value"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no secret in {v}"))
    }

    /// The realm's mail server, as an administrator sets it on the realm's e-mail tab:
    /// plain SMTP on loopback, no login.
    pub async fn kc_realm_mail(&self, t: &Target, port: u16) -> Result<(), String> {
        let path = Self::realm(t);
        let mut realm = self.kc_ok(Method::GET, &path, None).await?;
        realm["smtpServer"] = json!({
            "host": "127.0.0.1", "port": port.to_string(), "from": "sso@barn-og-unge.example",
            "fromDisplayName": "Barn og Unge", "auth": "false", "ssl": "false", "starttls": "false",
        });
        self.kc_ok(Method::PUT, &path, Some(realm))
            .await
            .map(|_| ())
    }

    /// A real sign-in to the app's client through Keycloak's login page, with a
    /// password an administrator set for the purpose: true when the browser came back
    /// with a code that the client exchanged for a valid ID token, false when Keycloak
    /// showed its "Access denied" page. Anything else is an error, not a "no".
    pub(super) async fn kc_sign_in(
        &self,
        t: &Target,
        email: &str,
        client_id: &str,
    ) -> Result<bool, String> {
        let users = self.kc_users(t, email).await?;
        // No account in this realm (another organisation's): no way in.
        let Some(user) = users.first() else {
            return Ok(false);
        };
        let id = user["id"].as_str().unwrap_or_default();
        self.kc_ok(
            Method::PUT,
            &format!("{}/users/{id}/reset-password", Self::realm(t)),
            Some(json!({"type": "password", "value": MEMBER_PASSWORD, "temporary": false})),
        )
        .await?;
        let client = t
            .desired()
            .clients
            .into_iter()
            .find(|c| c.client_id == client_id)
            .ok_or("no such client in the plan")?;
        let redirect = client
            .settings
            .redirect_uris
            .first()
            .cloned()
            .unwrap_or_default();
        let secret = self.kc_client_secret(t, client_id).await?;
        let issuer = format!("{}/realms/{}", self.base, t.desired().realm);
        let who = Person {
            username: email,
            password: MEMBER_PASSWORD,
            new_password: None,
        };
        match browser::sign_in(&issuer, client_id, &secret, &redirect, &who).await? {
            Ok(signed) if signed.email.as_deref() == Some(email) => Ok(true),
            Ok(signed) => Err(format!("signed in as someone else: {signed:?}")),
            Err(page) if page.contains("Access denied") => Ok(false),
            Err(page) => Err(format!("Keycloak stopped the sign-in: {page}")),
        }
    }
}
