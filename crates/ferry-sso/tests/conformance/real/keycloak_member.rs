//! The administrator's hand on a real Keycloak for the scenarios about several
//! organisations and their people: the marks taken off (as the Ferry before marks left
//! its objects), the realm's mail server and the member's e-mail, the invitation's link
//! followed in Keycloak's own pages, a sign-in with code + PKCE, a user named like a
//! member.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::RealAdmin;
use crate::conformance::Target;
use crate::conformance::browser::{self, Person, Walk};
use crate::conformance::mail_sink::{MailSink, unquote};

/// Ferry's marks (realm and client attribute keys; the role's too).
const MARKS: [&str; 2] = ["ferry.organisation", "ferry.organisation.name"];
/// The flow template's description as the Ferry before marks wrote it.
const EARLIER_DESCRIPTION: &str = "Made by Ferry: each app's flow is a copy. Signs in as the browser flow does, then lets in only holders of the app's role.";

impl RealAdmin {
    /// Takes Ferry's marks off the realm, its clients, its sign-in flows and its
    /// access roles.
    pub(super) async fn kc_strip_marks(&self, t: &Target) -> Result<(), String> {
        let realm = format!("/{}", t.desired().realm);
        // A realm's attributes are replaced by those a PUT gives.
        let r = self.kc_ok(Method::GET, &realm, None).await?;
        let mut attributes = r["attributes"].clone();
        for k in MARKS {
            attributes.as_object_mut().map(|a| a.remove(k));
        }
        self.kc_ok(
            Method::PUT,
            &realm,
            Some(json!({ "attributes": attributes })),
        )
        .await?;
        let clients = self
            .kc_ok(Method::GET, &format!("{realm}/clients?max=500"), None)
            .await?;
        for c in clients.as_array().into_iter().flatten() {
            let uuid = c["id"].as_str().unwrap_or_default();
            if c["attributes"][MARKS[0]].is_string() {
                // A client's attributes change one by one; a null one goes.
                let mut body = c.clone();
                body["attributes"][MARKS[0]] = Value::Null;
                self.kc_ok(Method::PUT, &format!("{realm}/clients/{uuid}"), Some(body))
                    .await?;
            }
            let role = format!("{realm}/clients/{uuid}/roles/access");
            if let (200, r) = self.kc_call(Method::GET, &role, None).await? {
                let mut body = r.clone();
                body["attributes"] = json!({});
                self.kc_ok(Method::PUT, &role, Some(body)).await?;
            }
        }
        let flows = self
            .kc_ok(Method::GET, &format!("{realm}/authentication/flows"), None)
            .await?;
        for f in flows.as_array().into_iter().flatten() {
            if f["description"]
                .as_str()
                .is_some_and(|d| d.contains("[ferry.organisation="))
            {
                let mut body = f.clone();
                body["description"] = json!(EARLIER_DESCRIPTION);
                body.as_object_mut()
                    .map(|o| o.remove("authenticationExecutions"));
                let path = format!(
                    "{realm}/authentication/flows/{}",
                    f["id"].as_str().unwrap_or_default()
                );
                self.kc_ok(Method::PUT, &path, Some(body)).await?;
            }
        }
        Ok(())
    }

    /// The realm's mail server: an SMTP sink on loopback that this admin keeps.
    pub(super) async fn kc_mail_server(&self, t: &Target) -> Result<(), String> {
        let mut mail = self.mail.lock().await;
        if mail.is_none() {
            *mail = Some(MailSink::start().await?);
        }
        let port = mail.as_ref().map(|m| m.port).unwrap_or_default();
        self.kc_realm_mail(t, port).await
    }

    /// The action link of the next e-mail to `email` the sink caught.
    pub(super) async fn kc_mailbox_link(&self, email: &str) -> Result<Option<String>, String> {
        let mut mail = self.mail.lock().await;
        let sink = mail.as_mut().ok_or("the realm was given no mail server")?;
        while let Some(message) = sink.next(Duration::from_secs(60)).await {
            let message = unquote(&message);
            if !message.contains(&format!("To: {email}")) {
                continue;
            }
            return Ok(message
                .split(['"', '\n', ' ', '<', '>'])
                .find(|s| s.contains("/login-actions/action-token?"))
                .map(|l| l.replace("&amp;", "&")));
        }
        Ok(None)
    }

    /// Follows an invitation's link through Keycloak's pages and chooses `password`.
    pub(super) async fn kc_follow_link(
        &self,
        url: &str,
        email: &str,
        password: &str,
    ) -> Result<(), String> {
        let who = Person {
            username: email,
            password: "",
            new_password: Some(password),
        };
        match browser::walk(&browser::browser(), &self.base, url, &who).await? {
            Walk::Left(_) => Ok(()),
            Walk::Page { text, .. } if text.contains("Your account has been updated") => Ok(()),
            Walk::Page { status, text, .. } => Err(format!("the link ended on {status}: {text}")),
        }
    }

    /// Signs in to the app's client with code + PKCE and the password the member chose.
    pub(super) async fn kc_code_sign_in(
        &self,
        t: &Target,
        email: &str,
        password: &str,
        client_id: &str,
        secret: &str,
    ) -> Result<bool, String> {
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
        let issuer = format!("{}/realms/{}", self.base, t.desired().realm);
        let who = Person {
            username: email,
            password,
            new_password: None,
        };
        match browser::sign_in(&issuer, client_id, secret, &redirect, &who).await? {
            Ok(signed) => Ok(signed.email.as_deref() == Some(email)),
            Err(page) => Err(format!("Keycloak stopped the sign-in: {page}")),
        }
    }

    /// A user of the organisation's realm named `username`, with another address.
    pub(super) async fn kc_add_user_named(
        &self,
        t: &Target,
        username: &str,
        email: &str,
    ) -> Result<(), String> {
        let body: Value = json!({
            "username": username, "email": email, "firstName": "Someone",
            "lastName": "Else", "enabled": true,
        });
        self.kc_ok(
            Method::POST,
            &format!("/{}/users", t.desired().realm),
            Some(body),
        )
        .await
        .map(|_| ())
    }

    async fn kc_flow(&self, t: &Target, alias: &str) -> Result<Option<Value>, String> {
        let flows = self
            .kc_ok(
                Method::GET,
                &format!("/{}/authentication/flows", t.desired().realm),
                None,
            )
            .await?;
        Ok(flows
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["alias"] == alias)
            .cloned())
    }

    pub async fn kc_flow_description(
        &self,
        t: &Target,
        alias: &str,
    ) -> Result<Option<String>, String> {
        Ok(self
            .kc_flow(t, alias)
            .await?
            .map(|f| f["description"].as_str().unwrap_or_default().to_owned()))
    }

    pub async fn kc_make_flow(
        &self,
        t: &Target,
        alias: &str,
        description: &str,
    ) -> Result<(), String> {
        self.kc_make_flow_at(t, alias, description, true).await
    }

    pub async fn kc_make_flow_at(
        &self,
        t: &Target,
        alias: &str,
        description: &str,
        top: bool,
    ) -> Result<(), String> {
        let body = json!({
            "alias": alias, "description": description, "providerId": "basic-flow",
            "topLevel": top, "builtIn": false,
        });
        self.kc_ok(
            Method::POST,
            &format!("/{}/authentication/flows", t.desired().realm),
            Some(body),
        )
        .await
        .map(|_| ())
    }

    pub async fn kc_remove_flow(&self, t: &Target, alias: &str) -> Result<(), String> {
        let Some(flow) = self.kc_flow(t, alias).await? else {
            return Ok(());
        };
        let path = format!(
            "/{}/authentication/flows/{}",
            t.desired().realm,
            flow["id"].as_str().unwrap_or_default()
        );
        self.kc_ok(Method::DELETE, &path, None).await.map(|_| ())
    }
}
