//! The administrator's hand for the scenarios about several organisations and their
//! people: marks taken off, the member's mailbox and link, a sign-in with code + PKCE,
//! a user named like a member.

use ferry_core::model::IdpKind;
use reqwest::Method;
use serde_json::{Value, json};

use super::RealAdmin;
use crate::conformance::Target;

impl RealAdmin {
    /// Takes Ferry's marks off every client and group, as an earlier Ferry left them.
    pub async fn strip_marks(&self, _t: &Target) -> Result<(), String> {
        match self.kind {
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

    pub async fn mailbox_link(&self, _t: &Target, email: &str) -> Result<Option<String>, String> {
        match self.kind {
            IdpKind::Authentik => Ok(None),
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
        _email: &str,
        password: &str,
    ) -> Result<(), String> {
        match self.kind {
            IdpKind::Authentik => {
                let browser = self.ak_browser()?;
                self.ak_follow_link(&browser, url, password).await
            }
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

    pub async fn client_name(&self, _t: &Target, client_id: &str) -> Result<String, String> {
        let c = match self.kind {
            IdpKind::Authentik => self.ak_provider(client_id).await?,
            _ => self.ra_client(client_id).await?,
        };
        Ok(c["name"].as_str().unwrap_or_default().to_owned())
    }

    pub async fn add_user_named(
        &self,
        _t: &Target,
        username: &str,
        email: &str,
    ) -> Result<(), String> {
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
