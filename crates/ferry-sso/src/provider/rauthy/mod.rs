//! Rauthy's admin API under `/auth/v1` with an API key (`Authorization: API-Key
//! name$secret`). A new client is POSTed, then PUT with the settings apps need: RS256
//! instead of EdDSA, the app's PKCE mode (Rauthy rejects a mismatch either way), the
//! groups scope and the app's group as the only one let in (`restrict_group_prefix`).
//! Every refusal is a 400 whose `message` says why; a duplicate says "UNIQUE".

use std::collections::BTreeSet;

use ferry_core::model::IdpKind;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Credentials, Invite, Provider, UserRef, seg};
use crate::desired::{ClientSettings, Desired, DesiredClient};
use crate::diff::{Change, Current, CurrentClient};
use crate::error::SsoError;
use crate::http::{Http, Options};
use crate::names::rauthy_person_name;
use crate::owner::Owner;
use ferry_core::members::Member;

mod own;

const SCOPES: [&str; 4] = ["openid", "email", "profile", "groups"];

/// The fields of Rauthy 0.35's `UpdateClientRequest` (`src/api_types/src/clients.rs`):
/// what a PUT carries, copied from the client as it is unless Ferry changes it.
const UPDATE_FIELDS: [&str; 21] = [
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
            http: Http::new(IdpKind::Rauthy, url, options)?.hide(token.expose()),
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
        // Who may sign in: a group prefix an administrator set stays as it is.
        if c["restrict_group_prefix"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            incomplete.push("access".to_owned());
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

    /// The update body: the client as Rauthy has it (its PUT replaces every setting),
    /// with only what differs from the plan changed. Names, lifetimes, MFA, origins
    /// and anything else an administrator set stay as they are.
    fn update_body(client: &DesiredClient, existing: &Value, owner: &Owner) -> Value {
        let mut body = serde_json::Map::new();
        for field in UPDATE_FIELDS {
            if let Some(v) = existing.get(field) {
                body.insert(field.to_owned(), v.clone());
            }
        }
        let mut body = Value::Object(body);
        // v0.35 wants the id in the body too; it is the same as in the path.
        body["id"] = json!(client.client_id);
        // A name from before Ferry kept to Rauthy's rule would fail every update.
        let name_ok = existing["name"]
            .as_str()
            .is_some_and(|n| crate::names::rauthy_name(n).as_deref() == Some(n));
        if !name_ok {
            body["name"] = json!(client.name);
        }
        let union = |field: &str, ours: &BTreeSet<String>| {
            let mut all = Self::strings(&existing[field]);
            all.extend(ours.iter().cloned());
            json!(all)
        };
        body["redirect_uris"] = union("redirect_uris", &client.settings.redirect_uris);
        body["post_logout_redirect_uris"] = union(
            "post_logout_redirect_uris",
            &client.settings.post_logout_redirect_uris,
        );
        body["confidential"] = json!(true);
        body["enabled"] = json!(true);
        let flows: BTreeSet<String> = ["authorization_code", "refresh_token"]
            .map(str::to_owned)
            .into();
        body["flows_enabled"] = union("flows_enabled", &flows);
        for alg in ["access_token_alg", "id_token_alg"] {
            body[alg] = json!("RS256");
        }
        let scopes: BTreeSet<String> = SCOPES.map(str::to_owned).into();
        body["scopes"] = union("scopes", &scopes);
        body["default_scopes"] = union("default_scopes", &scopes);
        // Rauthy refuses a sign-in whose PKCE does not match, either way.
        body["challenges"] = if client.settings.pkce == Some(true) {
            json!(["S256"])
        } else {
            Value::Null
        };
        if existing["restrict_group_prefix"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            body["restrict_group_prefix"] = json!(client.access_group);
        }
        body["contacts"] = own::marked_contacts(existing, owner);
        for (field, default) in [
            ("auth_code_lifetime", json!(60)),
            ("access_token_lifetime", json!(1800)),
            ("force_mfa", json!(false)),
        ] {
            if body[field].is_null() {
                body[field] = default;
            }
        }
        body
    }

    async fn upsert_client(&self, client: &DesiredClient, owner: &Owner) -> Result<(), SsoError> {
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
                    s if s.is_client_error() => {
                        let refusal = self.http.refusal(resp, &action).await;
                        let again = if refusal.exists {
                            self.get_client(&client.client_id).await?
                        } else {
                            None
                        };
                        again.ok_or(refusal.error)?
                    }
                    s => return Err(self.http.unexpected(s, &action)),
                }
            }
        };
        let body = Self::update_body(client, &existing, owner);
        let unchanged = UPDATE_FIELDS.iter().all(|f| {
            body.get(*f).unwrap_or(&Value::Null) == existing.get(*f).unwrap_or(&Value::Null)
        });
        if unchanged {
            return Ok(());
        }
        let path = format!("/clients/{}", seg(&client.client_id));
        let resp = self.call(&action, Method::PUT, &path, Some(&body)).await?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() => Err(self.http.refusal(resp, &action).await.error),
            s => Err(self.http.unexpected(s, &action)),
        }
    }

    async fn groups(&self) -> Result<Vec<own::Group>, SsoError> {
        let list = self.get_json("read the groups", "/groups").await?;
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| {
                Some(own::Group {
                    id: g["id"].as_str()?.to_owned(),
                    name: g["name"].as_str()?.to_owned(),
                    meta: g["meta"].clone(),
                })
            })
            .collect())
    }
}

/// How Rauthy keeps a member's name: given and family name each within its rule for
/// person names (1–32 letters of the scripts it takes, digits, `-`, `'`, spaces); a
/// name in another script is transliterated, so that it is kept in some form.
pub(crate) fn person_names(member: &Member) -> (Option<String>, Option<String>) {
    let (given, family) = member.split_name();
    let keep =
        |n: &str| rauthy_person_name(n).or_else(|| rauthy_person_name(&deunicode::deunicode(n)));
    (keep(&given), keep(&family))
}

impl Provider for Rauthy {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn read(&self, desired: &Desired) -> Result<Current, SsoError> {
        let groups = self.groups().await?;
        let all = self.get_json("read the clients", "/clients").await?;
        let clients = all.as_array().cloned().unwrap_or_default();
        let mut current = Current {
            realm_exists: true,
            ..Current::default()
        };
        Self::judge(desired, &groups, &clients, &mut current);
        Ok(current)
    }

    async fn apply_change(&self, change: &Change, owner: &Owner) -> Result<(), SsoError> {
        match change {
            // One tenant per install.
            Change::CreateRealm { .. } | Change::SetUpRecovery => Ok(()),
            Change::Adopt { what, name } => self.adopt(*what, name, owner).await,
            Change::RemoveClient { client_id } => self.remove(client_id, owner).await,
            Change::CreateGroup { name } => {
                let action = format!("create the group {name}");
                let resp = self
                    .call(
                        &action,
                        Method::POST,
                        "/groups",
                        Some(&json!({ "group": name, "meta": own::marked_meta(&Value::Null, owner) })),
                    )
                    .await?;
                match resp.status() {
                    s if s.is_success() => Ok(()),
                    s if s.is_client_error() => {
                        let refusal = self.http.refusal(resp, &action).await;
                        if self.groups().await?.iter().any(|g| g.name == *name) {
                            Ok(())
                        } else {
                            Err(refusal.error)
                        }
                    }
                    s => Err(self.http.unexpected(s, &action)),
                }
            }
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                self.upsert_client(client, owner).await
            }
        }
    }

    async fn client_secret(&self, client_id: &str) -> Result<String, SsoError> {
        // POST on purpose (Rauthy's CSRF rule); it reads, it does not rotate.
        let path = format!("/clients/{}/secret", seg(client_id));
        let auth = format!("API-Key {}", self.api_key);
        let resp = self
            .http
            .send_read(
                "read the client secret",
                Method::POST,
                &format!("/auth/v1{path}"),
                |r| r.header(reqwest::header::AUTHORIZATION, &auth),
            )
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
        // Rauthy refuses a name outside its rule ("Dr. Ola"): it is kept in the form it
        // takes, and the person is told (`stored_name`).
        let (given, family) = person_names(member);
        let body = json!({
            "email": member.email,
            "given_name": given,
            "family_name": family,
            "language": "en",
            "groups": member.groups,
            "roles": [],
        });
        let resp = self
            .call("add a member", Method::POST, "/users", Some(&body))
            .await?;
        self.http.made_or_there(resp, "add a member", true).await?;
        // Rauthy's user name is the address: a user not found by it is someone else's.
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

    fn stored_name(&self, member: &Member) -> Option<String> {
        let (given, family) = person_names(member);
        let stored = [given, family]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        (stored != member.name.trim()).then_some(stored)
    }

    async fn invite(
        &self,
        _user: &UserRef,
        _member: &Member,
        _app: Option<&DesiredClient>,
    ) -> Result<Invite, SsoError> {
        // Creating the user asked Rauthy to e-mail the password-setup link; it answers
        // the same whether or not it has a mail server, so Ferry cannot say it went.
        Ok(Invite::EmailRequested)
    }
}

/// Rauthy's client as Ferry reads it and the full update built from it, for the fuzz
/// targets.
#[doc(hidden)]
pub(crate) fn fuzz_decode(v: &Value, client: &crate::desired::DesiredClient) {
    let _ = Rauthy::settings_of(v);
    let _ = Rauthy::update_body(client, v, &Owner::default());
    let _ = Rauthy::strings(&v["redirect_uris"]);
}
