//! Authentik API v3 with an API token. An OIDC client is an OAuth2 provider plus an
//! application (slug = client id). Duplicates answer 400; lists are paginated.
//! Version differences handled: `redirect_uris` is a list of `{matching_mode, url}`
//! from 2024.8.5 / 2024.10.3 (before: a newline-separated string), the scope mappings
//! moved under `propertymappings/provider/` in 2024.8, invalidation flows are required
//! from 2024.10 and logout redirect entries exist from 2026.5.

use std::collections::BTreeSet;

use ferry_core::model::IdpKind;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::{Credentials, Invite, Provider, UserRef, seg};
use crate::desired::{ClientSettings, Desired, DesiredClient};
use crate::diff::{Change, Current, CurrentClient};
use crate::error::SsoError;
use crate::http::{Http, Options};
use crate::members::Member;

const AUTH_FLOW: &str = "default-provider-authorization-implicit-consent";
const INVALIDATION_FLOW: &str = "default-provider-invalidation-flow";
const SIGNING_KEY: &str = "authentik Self-signed Certificate";
const SCOPES: [&str; 3] = ["openid", "email", "profile"];

pub struct Authentik {
    http: Http,
    token: String,
    setup: OnceCell<Setup>,
}

/// What every provider needs, looked up once per run.
#[derive(Debug, Clone)]
struct Setup {
    version: (u32, u32, u32),
    authorization_flow: String,
    invalidation_flow: Option<String>,
    signing_key: Option<String>,
    scope_mappings: Vec<String>,
}

impl Setup {
    fn redirects_as_list(&self) -> bool {
        let v = self.version;
        v >= (2024, 10, 3) || (v.0 == 2024 && v.1 == 8 && v.2 >= 5)
    }
    fn logout_entries(&self) -> bool {
        self.version >= (2026, 5, 0)
    }
}

fn parse_version(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.trim().split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

impl Authentik {
    pub fn new(url: &str, credentials: Credentials, options: Options) -> Result<Self, SsoError> {
        let Credentials::Token { token } = credentials else {
            return Err(SsoError::BadCredentials { idp: "Authentik" });
        };
        Ok(Authentik {
            http: Http::new(IdpKind::Authentik, url, options)?,
            token: token.expose().to_owned(),
            setup: OnceCell::new(),
        })
    }

    async fn call(
        &self,
        action: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<reqwest::Response, SsoError> {
        self.http
            .send(action, method, &format!("/api/v3{path}"), |r| {
                let r = r.bearer_auth(&self.token);
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

    async fn first(&self, action: &str, path: &str) -> Result<Option<Value>, SsoError> {
        let list = self.get_json(action, path).await?;
        Ok(list["results"].as_array().and_then(|r| r.first()).cloned())
    }

    async fn setup(&self) -> Result<&Setup, SsoError> {
        self.setup.get_or_try_init(|| self.look_up_setup()).await
    }

    async fn look_up_setup(&self) -> Result<Setup, SsoError> {
        // Authentik answers a bad token with 403, before any right is checked.
        let v = match self.get_json("read the version", "/admin/version/").await {
            Err(SsoError::Forbidden { .. }) => {
                return Err(SsoError::BadCredentials {
                    idp: self.http.name(),
                });
            }
            other => other?,
        };
        let version = v["version_current"]
            .as_str()
            .and_then(parse_version)
            .ok_or_else(|| SsoError::NotThisProvider {
                idp: self.http.name(),
                url: self.http.base.clone(),
            })?;
        let missing = |what: &str, hint| SsoError::Missing {
            idp: "Authentik",
            what: what.to_owned(),
            hint,
        };
        let flow = |slug: &str| format!("/flows/instances/?slug={}", seg(slug));
        let pk_of = |found: Option<Value>| found.and_then(|f| f["pk"].as_str().map(str::to_owned));
        let scope_path = if version >= (2024, 8, 0) {
            "/propertymappings/provider/scope/"
        } else {
            "/propertymappings/scope/"
        };
        let scope_paths: Vec<String> = SCOPES
            .iter()
            .map(|scope| {
                let managed = format!("goauthentik.io/providers/oauth2/scope-{scope}");
                format!("{scope_path}?managed={}", seg(&managed))
            })
            .collect();
        let auth_path = flow(AUTH_FLOW);
        let key_path = format!("/crypto/certificatekeypairs/?name={}", seg(SIGNING_KEY));
        // Independent lookups, made at the same time.
        let (auth, invalidation, key, scopes) = tokio::try_join!(
            self.first("find the sign-in flow", &auth_path),
            async {
                if version >= (2024, 10, 0) {
                    self.first("find the sign-out flow", &flow(INVALIDATION_FLOW))
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
            self.first("find the signing key", &key_path),
            futures_util::future::try_join_all(
                scope_paths
                    .iter()
                    .map(|p| self.first("find the scope mappings", p)),
            ),
        )?;
        let flow_missing = |slug: &str| {
            missing(
                &format!("flow {slug}"),
                "it comes with every install; restore it under Flows",
            )
        };
        let authorization_flow = pk_of(auth).ok_or_else(|| flow_missing(AUTH_FLOW))?;
        let invalidation_flow = match invalidation {
            Some(found) => Some(pk_of(found).ok_or_else(|| flow_missing(INVALIDATION_FLOW))?),
            None => None,
        };
        let signing_key = pk_of(key);
        let mut scope_mappings = Vec::new();
        for (scope, found) in SCOPES.iter().zip(scopes) {
            let pk = pk_of(found).ok_or_else(|| {
                missing(
                    &format!("scope mapping {scope}"),
                    "it comes with every install",
                )
            })?;
            scope_mappings.push(pk);
        }
        Ok(Setup {
            version,
            authorization_flow,
            invalidation_flow,
            signing_key,
            scope_mappings,
        })
    }

    async fn find_provider(&self, client_id: &str) -> Result<Option<Value>, SsoError> {
        let found = self
            .first(
                "read the clients",
                &format!("/providers/oauth2/?client_id={}", seg(client_id)),
            )
            .await?;
        Ok(found.filter(|p| p["client_id"].as_str() == Some(client_id)))
    }

    async fn has_application(&self, slug: &str) -> Result<bool, SsoError> {
        let path = format!("/core/applications/{}/", seg(slug));
        let resp = self
            .call("read the applications", Method::GET, &path, None)
            .await?;
        match resp.status() {
            StatusCode::NOT_FOUND => Ok(false),
            s if s.is_success() => Ok(true),
            s => Err(self.http.unexpected(s, "read the applications")),
        }
    }

    fn redirects_of(setup: &Setup, p: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut login = BTreeSet::new();
        let mut logout = BTreeSet::new();
        match &p["redirect_uris"] {
            Value::String(s) => login.extend(
                s.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned),
            ),
            Value::Array(entries) => {
                for e in entries {
                    let Some(url) = e["url"].as_str() else {
                        continue;
                    };
                    if setup.logout_entries() && e["redirect_uri_type"] == "logout" {
                        logout.insert(url.to_owned());
                    } else {
                        login.insert(url.to_owned());
                    }
                }
            }
            _ => {}
        }
        (login, logout)
    }

    fn redirects_body(setup: &Setup, login: &BTreeSet<String>, logout: &BTreeSet<String>) -> Value {
        if !setup.redirects_as_list() {
            // Before CVE-2024-52289's fix: regexes, one per line. Escape the dots.
            let lines: Vec<String> = login
                .iter()
                .map(|u| format!("^{}$", regex_escape(u)))
                .collect();
            return json!(lines.join("\n"));
        }
        // From 2026.5 each entry says what it is for; before, every entry is a sign-in one.
        let entry = |url: &String, kind: &str| {
            let mut e = json!({"matching_mode": "strict", "url": url});
            if setup.logout_entries() {
                e["redirect_uri_type"] = json!(kind);
            }
            e
        };
        let mut out: Vec<Value> = login.iter().map(|u| entry(u, "authorization")).collect();
        if setup.logout_entries() {
            out.extend(logout.iter().map(|u| entry(u, "logout")));
        }
        Value::Array(out)
    }

    fn provider_body(setup: &Setup, client: &DesiredClient, login: &BTreeSet<String>) -> Value {
        let mut body = json!({
            "name": client.name,
            "authorization_flow": setup.authorization_flow,
            "client_type": "confidential",
            "client_id": client.client_id,
            "redirect_uris": Self::redirects_body(setup, login, &client.settings.post_logout_redirect_uris),
            "property_mappings": setup.scope_mappings,
            "sub_mode": "hashed_user_id",
            "include_claims_in_id_token": true,
        });
        if let Some(flow) = &setup.invalidation_flow {
            body["invalidation_flow"] = json!(flow);
        }
        if let Some(key) = &setup.signing_key {
            body["signing_key"] = json!(key);
        }
        body
    }

    async fn upsert_client(&self, client: &DesiredClient) -> Result<(), SsoError> {
        let setup = self.setup().await?.clone();
        let action = format!("set up the client {}", client.client_id);
        let pk = match self.find_provider(&client.client_id).await? {
            None => {
                let body = Self::provider_body(&setup, client, &client.settings.redirect_uris);
                let resp = self
                    .call(&action, Method::POST, "/providers/oauth2/", Some(&body))
                    .await?;
                match resp.status() {
                    s if s.is_success() => {
                        let made: Value = self.http.json(resp, &action).await?;
                        made["pk"].clone()
                    }
                    // 400: a provider with this name exists, made without our client id.
                    StatusCode::BAD_REQUEST => match self.find_provider(&client.client_id).await? {
                        Some(p) => p["pk"].clone(),
                        None => {
                            return Err(SsoError::Conflict {
                                idp: self.http.name(),
                                what: format!("a provider named “{}”", client.name),
                            });
                        }
                    },
                    s => return Err(self.http.unexpected(s, &action)),
                }
            }
            Some(existing) => {
                let (login, _) = Self::redirects_of(&setup, &existing);
                let merged: BTreeSet<String> = login
                    .union(&client.settings.redirect_uris)
                    .cloned()
                    .collect();
                let body = Self::provider_body(&setup, client, &merged);
                let pk = existing["pk"].clone();
                let path = format!("/providers/oauth2/{}/", seg(&pk_str(&pk)));
                let resp = self
                    .call(&action, Method::PATCH, &path, Some(&body))
                    .await?;
                if !resp.status().is_success() {
                    return Err(self.http.unexpected(resp.status(), &action));
                }
                pk
            }
        };
        if !self.has_application(&client.client_id).await? {
            let body = json!({
                "name": client.name,
                "slug": client.client_id,
                "provider": pk,
                "meta_launch_url": client.base_url,
                "policy_engine_mode": "any",
            });
            let resp = self
                .call(&action, Method::POST, "/core/applications/", Some(&body))
                .await?;
            match resp.status() {
                s if s.is_success() => {}
                StatusCode::BAD_REQUEST => {
                    return Err(SsoError::Conflict {
                        idp: self.http.name(),
                        what: format!(
                            "an application “{}” tied to another provider",
                            client.client_id
                        ),
                    });
                }
                s => return Err(self.http.unexpected(s, &action)),
            }
        }
        Ok(())
    }

    async fn group_pk(&self, name: &str) -> Result<Option<String>, SsoError> {
        Ok(self
            .first(
                "read the groups",
                &format!("/core/groups/?name={}", seg(name)),
            )
            .await?
            .filter(|g| g["name"].as_str() == Some(name))
            .and_then(|g| g["pk"].as_str().map(str::to_owned)))
    }
}

/// A primary key as text, whether the API gives it as a number or a string.
fn pk_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ".^$*+?()[]{}|\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Provider for Authentik {
    fn kind(&self) -> IdpKind {
        IdpKind::Authentik
    }

    fn writes(&self) -> usize {
        self.http.writes()
    }

    fn http_client(&self) -> &reqwest::Client {
        &self.http.client
    }

    fn issuer(&self, client_id: &str) -> String {
        super::issuer_for(IdpKind::Authentik, &self.http.base, "", client_id)
    }

    async fn read(&self, desired: &Desired) -> Result<Current, SsoError> {
        let setup = self.setup().await?.clone();
        let groups = self
            .get_json("read the groups", "/core/groups/?page_size=1000")
            .await?;
        let found: Vec<Result<Option<CurrentClient>, SsoError>> =
            futures_util::stream::iter(desired.clients.iter().cloned())
                .map(|c| async {
                    let c = c;
                    let Some(p) = self.find_provider(&c.client_id).await? else {
                        return Ok(None);
                    };
                    let (login, logout) = Self::redirects_of(&setup, &p);
                    let mut incomplete = Vec::new();
                    if !self.has_application(&c.client_id).await? {
                        incomplete.push("application".to_owned());
                    }
                    let mappings: BTreeSet<String> = p["property_mappings"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|m| m.as_str().map(str::to_owned))
                        .collect();
                    if !setup.scope_mappings.iter().all(|m| mappings.contains(m)) {
                        incomplete.push("scopes".to_owned());
                    }
                    if p["client_type"] != "confidential" {
                        incomplete.push("confidential".to_owned());
                    }
                    if setup.signing_key.is_some() && p["signing_key"].is_null() {
                        incomplete.push("signing".to_owned());
                    }
                    Ok(Some(CurrentClient {
                        client_id: c.client_id.clone(),
                        settings: ClientSettings {
                            redirect_uris: login,
                            // Logout entries only exist from 2026.5; before, nothing to compare.
                            post_logout_redirect_uris: if setup.logout_entries() {
                                logout
                            } else {
                                c.settings.post_logout_redirect_uris.clone()
                            },
                            pkce: None,
                            // Authentik's profile scope carries the groups claim.
                            groups_claim: true,
                        },
                        incomplete,
                    }))
                })
                .buffered(crate::http::CONCURRENCY)
                .collect()
                .await;
        let mut clients = Vec::new();
        for c in found {
            clients.extend(c?);
        }
        Ok(Current {
            realm_exists: true,
            groups: groups["results"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g["name"].as_str().map(str::to_owned))
                .collect(),
            clients,
        })
    }

    async fn apply_change(&self, change: &Change) -> Result<(), SsoError> {
        match change {
            // Authentik has one tenant per install: nothing to make.
            Change::CreateRealm { .. } => Ok(()),
            Change::CreateGroup { name } => {
                let action = format!("create the group {name}");
                let resp = self
                    .call(
                        &action,
                        Method::POST,
                        "/core/groups/",
                        Some(&json!({ "name": name })),
                    )
                    .await?;
                match resp.status() {
                    s if s.is_success() => Ok(()),
                    StatusCode::BAD_REQUEST if self.group_pk(name).await?.is_some() => Ok(()),
                    s => Err(self.http.unexpected(s, &action)),
                }
            }
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                self.upsert_client(client).await
            }
        }
    }

    async fn client_secret(&self, client_id: &str) -> Result<String, SsoError> {
        self.find_provider(client_id)
            .await?
            .and_then(|p| p["client_secret"].as_str().map(str::to_owned))
            .ok_or_else(|| SsoError::Missing {
                idp: self.http.name(),
                what: format!("client {client_id}"),
                hint: "apply the plan again to create it",
            })
    }

    async fn find_user(&self, email: &str) -> Result<Option<UserRef>, SsoError> {
        let user = self
            .first(
                "look up a member",
                &format!("/core/users/?email={}", seg(email)),
            )
            .await?;
        Ok(user.map(|u| UserRef {
            id: pk_str(&u["pk"]),
            groups: u["groups_obj"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g["name"].as_str().map(str::to_owned))
                .collect(),
        }))
    }

    async fn create_user(&self, member: &Member) -> Result<UserRef, SsoError> {
        let body = json!({
            "username": member.email.to_lowercase(),
            "name": member.name,
            "email": member.email,
            "is_active": true,
            "path": "users",
            "type": "internal",
        });
        let resp = self
            .call("add a member", Method::POST, "/core/users/", Some(&body))
            .await?;
        if !resp.status().is_success() && resp.status() != StatusCode::BAD_REQUEST {
            return Err(self.http.unexpected(resp.status(), "add a member"));
        }
        self.find_user(&member.email)
            .await?
            .ok_or_else(|| SsoError::Conflict {
                idp: self.http.name(),
                what: format!("a user named {} with another e-mail address", member.email),
            })
    }

    async fn add_to_group(&self, user: &UserRef, group: &str) -> Result<(), SsoError> {
        let action = format!("add a member to {group}");
        let pk = self
            .group_pk(group)
            .await?
            .ok_or_else(|| SsoError::Missing {
                idp: self.http.name(),
                what: format!("group {group}"),
                hint: "apply the plan first, so its groups exist",
            })?;
        let id: i64 = user.id.parse().unwrap_or_default();
        let resp = self
            .call(
                &action,
                Method::POST,
                &format!("/core/groups/{}/add_user/", seg(&pk)),
                Some(&json!({ "pk": id })),
            )
            .await?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(self.http.unexpected(resp.status(), &action))
        }
    }

    async fn invite(&self, user: &UserRef, _member: &Member) -> Result<Invite, SsoError> {
        // A recovery link lets the member set a password; it needs a recovery flow.
        let path = format!("/core/users/{}/recovery/", seg(&user.id));
        let resp = self
            .call("make an invitation link", Method::POST, &path, None)
            .await?;
        match resp.status() {
            s if s.is_success() => {
                let link: Value = self.http.json(resp, "make an invitation link").await?;
                match link["link"].as_str() {
                    Some(url) => Ok(Invite::Link {
                        url: url.to_owned(),
                    }),
                    None => Ok(Invite::NotPossible {
                        reason: "no_recovery_flow".into(),
                    }),
                }
            }
            StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST => Ok(Invite::NotPossible {
                reason: "no_recovery_flow".into(),
            }),
            s => Err(self.http.unexpected(s, "make an invitation link")),
        }
    }
}
