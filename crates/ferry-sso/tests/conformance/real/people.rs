//! The administrator's hand for the scenarios about several organisations and their
//! people: marks taken off, a realm's mail server, the member's mailbox and link, a
//! sign-in with code + PKCE, a user named like a member (Keycloak's in
//! keycloak_member.rs).

use ferry_core::model::IdpKind;
use reqwest::Method;
use serde_json::{Value, json};

use super::RealAdmin;
use crate::conformance::Target;

impl RealAdmin {
    /// Takes Ferry's marks off every client and group, as an earlier Ferry left them.
    pub async fn strip_marks(&self, t: &Target) -> Result<(), String> {
        match self.kind {
            IdpKind::Keycloak => self.kc_strip_marks(t).await?,
            IdpKind::Authentik => {
                for a in self
                    .ak_all("/core/applications/?superuser_full_list=true")
                    .await?
                {
                    if a["meta_publisher"]
                        .as_str()
                        .is_some_and(|p| p.contains("(ferry:"))
                    {
                        let slug = a["slug"].as_str().unwrap_or_default();
                        self.ok(
                            Method::PATCH,
                            &format!("/core/applications/{slug}/"),
                            Some(json!({"meta_publisher": ""})),
                        )
                        .await?;
                    }
                }
                for g in self.ak_all("/core/groups/?include_users=false").await? {
                    if !g["attributes"]["ferry.organisation"].is_null() {
                        let pk = g["pk"].as_str().unwrap_or_default();
                        self.ok(
                            Method::PATCH,
                            &format!("/core/groups/{pk}/"),
                            Some(json!({"attributes": {}})),
                        )
                        .await?;
                    }
                }
            }
            _ => {
                let (_, clients) = self.call(Method::GET, "/clients", None).await?;
                for c in clients.as_array().into_iter().flatten() {
                    if c["contacts"].to_string().contains("ferry-org:") {
                        let id = c["id"].as_str().unwrap_or_default().to_owned();
                        self.ra_put(&id, |b| b["contacts"] = Value::Null).await?;
                    }
                }
                let (_, groups) = self.call(Method::GET, "/groups", None).await?;
                for g in groups.as_array().into_iter().flatten() {
                    if !g["meta"]["ferry.organisation"].is_null() {
                        let id = g["id"].as_str().unwrap_or_default();
                        self.ok(
                            Method::PUT,
                            &format!("/groups/{id}"),
                            Some(json!({"group": g["name"]})),
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Keycloak keeps a mail server per realm: the realm gets one that keeps what it is
    /// sent. The others have theirs from their start (or none: Authentik's link).
    pub async fn mail_server(&self, t: &Target) -> Result<(), String> {
        match self.kind {
            IdpKind::Keycloak => self.kc_mail_server(t).await,
            _ => Ok(()),
        }
    }

    pub async fn mailbox_link(&self, _t: &Target, email: &str) -> Result<Option<String>, String> {
        match self.kind {
            IdpKind::Authentik => Ok(None),
            IdpKind::Keycloak => self.kc_mailbox_link(email).await,
            _ => {
                // The mail goes out a moment after the user is made.
                for _ in 0..40 {
                    if let Some(link) = self.ra_mailbox_link(email)? {
                        return Ok(Some(link));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                Ok(None)
            }
        }
    }

    pub async fn follow_link(
        &self,
        t: &Target,
        url: &str,
        email: &str,
        password: &str,
    ) -> Result<(), String> {
        match self.kind {
            IdpKind::Authentik => {
                let browser = self.ak_browser()?;
                self.ak_follow_link(&browser, url, password).await
            }
            IdpKind::Keycloak => self.kc_follow_link(url, email, password).await,
            _ => self.ra_follow_link(t, url, password).await,
        }
    }

    pub async fn sign_in_code(
        &self,
        t: &Target,
        email: &str,
        password: &str,
        client_id: &str,
        secret: &str,
    ) -> Result<bool, String> {
        match self.kind {
            IdpKind::Keycloak => {
                self.kc_code_sign_in(t, email, password, client_id, secret)
                    .await
            }
            IdpKind::Authentik => {
                // A fresh browser: the login flow with the password the link set.
                let browser = self.ak_browser()?;
                self.ak_log_in(&browser, email, password).await?;
                self.ak_code_sign_in(t, &browser, client_id, secret).await
            }
            _ => {
                self.ra_code_sign_in(t, email, password, client_id, secret)
                    .await
            }
        }
    }

    pub async fn client_name(&self, t: &Target, client_id: &str) -> Result<String, String> {
        let c = match self.kind {
            IdpKind::Authentik => self.ak_provider(client_id).await?,
            IdpKind::Keycloak => self.kc_client(t, client_id).await?,
            _ => self.ra_client(client_id).await?,
        };
        Ok(c["name"].as_str().unwrap_or_default().to_owned())
    }

    pub async fn add_user_named(
        &self,
        t: &Target,
        username: &str,
        email: &str,
    ) -> Result<(), String> {
        if self.kind == IdpKind::Keycloak {
            return self.kc_add_user_named(t, username, email).await;
        }
        self.ok(
            Method::POST,
            "/core/users/",
            Some(
                json!({"username": username, "name": "Someone Else", "email": email,
                        "path": "users", "type": "internal"}),
            ),
        )
        .await
        .map(|_| ())
    }
}
