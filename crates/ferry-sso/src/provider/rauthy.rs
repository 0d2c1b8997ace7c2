//! Rauthy's admin API under `/auth/v1` with an API key (`Authorization: API-Key
//! name$secret`). A new client is POSTed, then PUT with the settings apps need: RS256
//! instead of EdDSA, the app's PKCE mode (Rauthy rejects a mismatch either way), and
//! the groups scope. Duplicates answer 400.

use std::collections::BTreeSet;

use ferry_core::model::IdpKind;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Credentials, Invite, Provider, UserRef, seg};
use crate::desired::{ClientSettings, Desired, DesiredClient};
use crate::diff::{Change, Current, CurrentClient};
use crate::error::SsoError;
use crate::http::{Http, Options};
use crate::members::Member;

const SCOPES: [&str; 4] = ["openid", "email", "profile", "groups"];

pub struct Rauthy {
    http: Http,
    api_key: String,
}

impl Rauthy {
    pub fn new(url: &str, credentials: Credentials, options: Options) -> Result<Self, SsoError> {
        let Credentials::Token { token } = credentials else {
            return Err(SsoError::BadCredentials { idp: "Rauthy" });
        };
        Ok(Rauthy {
            http: Http::new(IdpKind::Rauthy, url, options)?,
            api_key: token.expose().to_owned(),
        })
    }

    async fn call(
        &self,
        action: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<reqwest::Response, SsoError> {
        let auth = format!("API-Key {}", self.api_key);
        self.http
            .send(action, method, &format!("/auth/v1{path}"), |r| {
                let r = r.header(reqwest::header::AUTHORIZATION, &auth);
                match body {
                    Some(b) => r.json(b),
                    None => r,
                }
            })
            .await
    }

    async fn get_json(&self, action: &str, path: &str) -> Result<Value, SsoError> {
        let resp = self.call(action, Method::GET, path, None).await?;
        self.http.json(resp, action).await
    }

    async fn get_client(&self, id: &str) -> Result<Option<Value>, SsoError> {
        let resp = self
            .call(
                "read a client",
                Method::GET,
                &format!("/clients/{}", seg(id)),
                None,
            )
            .await?;
        match resp.status() {
            StatusCode::NOT_FOUND => Ok(None),
            _ => Ok(Some(self.http.json(resp, "read a client").await?)),
        }
    }

    fn strings(v: &Value) -> BTreeSet<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect()
    }

    fn settings_of(c: &Value) -> CurrentClient {
        let mut incomplete = Vec::new();
        if c["id_token_alg"] != "RS256" || c["access_token_alg"] != "RS256" {
            incomplete.push("signing".to_owned());
        }
        if c["confidential"] != true {
            incomplete.push("confidential".to_owned());
        }
        if c["enabled"] == false {
            incomplete.push("enabled".to_owned());
        }
        let scopes = Self::strings(&c["default_scopes"]);
        CurrentClient {
            client_id: c["id"].as_str().unwrap_or_default().to_owned(),
            settings: ClientSettings {
                redirect_uris: Self::strings(&c["redirect_uris"]),
                post_logout_redirect_uris: Self::strings(&c["post_logout_redirect_uris"]),
                pkce: Some(Self::strings(&c["challenges"]).contains("S256")),
                groups_claim: scopes.contains("groups"),
            },
            incomplete,
        }
    }

    /// The full update body (Rauthy's PUT replaces every setting).
    fn update_body(
        client: &DesiredClient,
        redirects: &BTreeSet<String>,
        logout: &BTreeSet<String>,
    ) -> Value {
        json!({
            // v0.35 wants the id in the body too; it is the same as in the path.
            "id": client.client_id,
            "name": client.name,
            "confidential": true,
            "enabled": true,
            "redirect_uris": redirects,
            "post_logout_redirect_uris": logout,
            "allowed_origins": null,
            "flows_enabled": ["authorization_code", "refresh_token"],
            "access_token_alg": "RS256",
            "id_token_alg": "RS256",
            "auth_code_lifetime": 60,
            "access_token_lifetime": 1800,
            "scopes": SCOPES,
            "default_scopes": SCOPES,
            "challenges": if client.settings.pkce == Some(true) { json!(["S256"]) } else { Value::Null },
            "force_mfa": false,
        })
    }

    async fn upsert_client(&self, client: &DesiredClient) -> Result<(), SsoError> {
        let action = format!("set up the client {}", client.client_id);
        let existing = match self.get_client(&client.client_id).await? {
            Some(c) => c,
            None => {
                let body = json!({
                    "id": client.client_id,
                    "name": client.name,
                    "confidential": true,
                    "redirect_uris": client.settings.redirect_uris,
                    "post_logout_redirect_uris": client.settings.post_logout_redirect_uris,
                });
                let resp = self
                    .call(&action, Method::POST, "/clients", Some(&body))
                    .await?;
                match resp.status() {
                    s if s.is_success() => self.http.json(resp, &action).await?,
                    StatusCode::BAD_REQUEST => self
                        .get_client(&client.client_id)
                        .await?
                        .ok_or_else(|| SsoError::InvalidResponse {
                            idp: self.http.name(),
                            action: action.clone(),
                            detail: "the client was refused".into(),
                        })?,
                    s => return Err(self.http.unexpected(s, &action)),
                }
            }
        };
        let have = Self::settings_of(&existing).settings;
        let redirects = have
            .redirect_uris
            .union(&client.settings.redirect_uris)
            .cloned()
            .collect();
        let logout = have
            .post_logout_redirect_uris
            .union(&client.settings.post_logout_redirect_uris)
            .cloned()
            .collect();
        let body = Self::update_body(client, &redirects, &logout);
        let path = format!("/clients/{}", seg(&client.client_id));
        let resp = self.call(&action, Method::PUT, &path, Some(&body)).await?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(self.http.unexpected(resp.status(), &action))
        }
    }

    async fn groups(&self) -> Result<Vec<(String, String)>, SsoError> {
        let list = self.get_json("read the groups", "/groups").await?;
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| Some((g["id"].as_str()?.to_owned(), g["name"].as_str()?.to_owned())))
            .collect())
    }
}

impl Provider for Rauthy {
    fn kind(&self) -> IdpKind {
        IdpKind::Rauthy
    }

    fn writes(&self) -> usize {
        self.http.writes()
    }

    fn http_client(&self) -> &reqwest::Client {
        &self.http.client
    }

    fn issuer(&self, client_id: &str) -> String {
        super::issuer_for(IdpKind::Rauthy, &self.http.base, "", client_id)
    }

    async fn read(&self, desired: &Desired) -> Result<Current, SsoError> {
        let groups = self.groups().await?;
        let all = self.get_json("read the clients", "/clients").await?;
        let clients = all
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                desired
                    .clients
                    .iter()
                    .any(|d| c["id"].as_str() == Some(d.client_id.as_str()))
            })
            .map(Self::settings_of)
            .collect();
        Ok(Current {
            realm_exists: true,
            groups: groups.into_iter().map(|(_, name)| name).collect(),
            clients,
        })
    }

    async fn apply_change(&self, change: &Change) -> Result<(), SsoError> {
        match change {
            // One tenant per install.
            Change::CreateRealm { .. } => Ok(()),
            Change::CreateGroup { name } => {
                let action = format!("create the group {name}");
                let resp = self
                    .call(
                        &action,
                        Method::POST,
                        "/groups",
                        Some(&json!({ "group": name })),
                    )
                    .await?;
                match resp.status() {
                    s if s.is_success() => Ok(()),
                    StatusCode::BAD_REQUEST
                        if self.groups().await?.iter().any(|(_, n)| n == name) =>
                    {
                        Ok(())
                    }
                    s => Err(self.http.unexpected(s, &action)),
                }
            }
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                self.upsert_client(client).await
            }
        }
    }

    async fn client_secret(&self, client_id: &str) -> Result<String, SsoError> {
        // POST on purpose (Rauthy's CSRF rule); it reads, it does not rotate.
        let path = format!("/clients/{}/secret", seg(client_id));
        let resp = self
            .call("read the client secret", Method::POST, &path, None)
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(SsoError::Missing {
                idp: self.http.name(),
                what: format!("client {client_id}"),
                hint: "apply the plan again to create it",
            });
        }
        let v: Value = self.http.json(resp, "read the client secret").await?;
        v["secret"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| SsoError::InvalidResponse {
                idp: self.http.name(),
                action: "read the client secret".into(),
                detail: "no secret".into(),
            })
    }

    async fn find_user(&self, email: &str) -> Result<Option<UserRef>, SsoError> {
        let path = format!("/users/email/{}", seg(email));
        let resp = self
            .call("look up a member", Method::GET, &path, None)
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let u: Value = self.http.json(resp, "look up a member").await?;
        Ok(Some(UserRef {
            id: u["id"].as_str().unwrap_or_default().to_owned(),
            groups: Self::strings(&u["groups"]).into_iter().collect(),
        }))
    }

    async fn create_user(&self, member: &Member) -> Result<UserRef, SsoError> {
        let (given, family) = member.split_name();
        let body = json!({
            "email": member.email,
            "given_name": given,
            "family_name": if family.is_empty() { Value::Null } else { json!(family) },
            "language": "en",
            "groups": member.groups,
            "roles": [],
        });
        let resp = self
            .call("add a member", Method::POST, "/users", Some(&body))
            .await?;
        if !resp.status().is_success() && resp.status() != StatusCode::BAD_REQUEST {
            return Err(self.http.unexpected(resp.status(), "add a member"));
        }
        self.find_user(&member.email)
            .await?
            .ok_or_else(|| SsoError::Conflict {
                idp: self.http.name(),
                what: format!("a user {}", member.email),
            })
    }

    async fn add_to_group(&self, user: &UserRef, group: &str) -> Result<(), SsoError> {
        let action = format!("add a member to {group}");
        let mut groups: BTreeSet<String> = user.groups.iter().cloned().collect();
        groups.insert(group.to_owned());
        let body = json!({ "put": [{ "key": "groups", "value": groups }], "del": [] });
        let path = format!("/users/{}", seg(&user.id));
        let resp = self
            .call(&action, Method::PATCH, &path, Some(&body))
            .await?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(self.http.unexpected(resp.status(), &action))
        }
    }

    async fn invite(&self, _user: &UserRef, _member: &Member) -> Result<Invite, SsoError> {
        // Creating the user already e-mailed the password-setup link.
        Ok(Invite::EmailSent)
    }
}
