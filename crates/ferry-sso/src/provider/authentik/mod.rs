//! Authentik API v3 with an API token. An OIDC client is an OAuth2 provider plus an
//! application (slug = client id) bound to it, and a policy binding that lets only
//! the app's group in. Lists come a page of at most 100 at a time; refusals are
//! Django REST framework's 400 `{field: [messages]}`. Version differences are in
//! [`setup`] and [`body`].

mod body;
mod groups;
mod own;
mod recovery;
mod setup;

use std::collections::HashMap;
use std::sync::Mutex;

use ferry_core::model::IdpKind;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::{Credentials, Invite, Provider, UserRef, seg};
use crate::desired::{Desired, DesiredClient};
use crate::diff::{Change, Current};
use crate::error::SsoError;
use crate::http::{Http, Options};
use crate::owner::{ObjectKind, Owner};
use ferry_core::members::Member;
use own::Found;
use setup::Setup;

const SCOPES: [&str; 3] = ["openid", "email", "profile"];
/// Authentik's largest page.
const PAGE: usize = 100;

pub struct Authentik {
    http: Http,
    token: String,
    setup: OnceCell<Setup>,
    /// Group name → primary key, as read or made by this connection: binding an app to
    /// its group then needs no search for the group, which was just read or made.
    group_pks: Mutex<HashMap<String, String>>,
}

impl Authentik {
    pub fn new(url: &str, credentials: Credentials, options: Options) -> Result<Self, SsoError> {
        let Credentials::Token { token } = credentials else {
            return Err(SsoError::BadCredentials { idp: "Authentik" });
        };
        Ok(Authentik {
            http: Http::new(IdpKind::Authentik, url, options)?.hide(token.expose()),
            token: token.expose().to_owned(),
            setup: OnceCell::new(),
            group_pks: Mutex::default(),
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

    /// Every row of a list, following `pagination.next` to the end.
    async fn list_all(&self, action: &str, path: &str) -> Result<Vec<Value>, SsoError> {
        let join = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let list = self
                .get_json(action, &format!("{path}{join}page_size={PAGE}&page={page}"))
                .await?;
            out.extend(list["results"].as_array().cloned().unwrap_or_default());
            // `next` is the next page's number, 0 on the last.
            match list["pagination"]["next"].as_u64() {
                Some(n) if n as usize > page => page = n as usize,
                _ => return Ok(out),
            }
        }
    }

    async fn setup(&self) -> Result<&Setup, SsoError> {
        self.setup.get_or_try_init(|| self.look_up_setup()).await
    }

    async fn find_provider(&self, client_id: &str) -> Result<Option<Value>, SsoError> {
        let found = self
            .list_all(
                "read the clients",
                &format!("/providers/oauth2/?client_id={}", seg(client_id)),
            )
            .await?;
        Ok(found
            .into_iter()
            .find(|p| p["client_id"].as_str() == Some(client_id)))
    }

    /// The application with this slug, if any.
    async fn application(&self, slug: &str) -> Result<Option<Value>, SsoError> {
        let path = format!("/core/applications/{}/", seg(slug));
        let resp = self
            .call("read the applications", Method::GET, &path, None)
            .await?;
        match resp.status() {
            StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => Ok(Some(self.http.json(resp, "read the applications").await?)),
            s => Err(self.http.unexpected(s, "read the applications")),
        }
    }

    async fn upsert_client(&self, client: &DesiredClient, owner: &Owner) -> Result<(), SsoError> {
        let setup = self.setup().await?.clone();
        let action = format!("set up the client {}", client.client_id);
        let (app, provider) = tokio::try_join!(
            self.application(&client.client_id),
            self.find_provider(&client.client_id)
        )?;
        // An application of that name serving another provider is someone else's:
        // never make a provider beside it that no application would use.
        if let Some(a) = &app
            && !a["provider"].is_null()
            && provider
                .as_ref()
                .is_none_or(|p| pk_str(&p["pk"]) != pk_str(&a["provider"]))
        {
            return Err(SsoError::Conflict {
                idp: self.http.name(),
                what: format!(
                    "an application “{}” that uses another provider",
                    client.client_id
                ),
            });
        }
        let pk = match provider {
            None => {
                let body = body::new_provider(&setup, client);
                let resp = self
                    .call(&action, Method::POST, "/providers/oauth2/", Some(&body))
                    .await?;
                match resp.status() {
                    s if s.is_success() => {
                        let made: Value = self.http.json(resp, &action).await?;
                        made["pk"].clone()
                    }
                    s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                        let refusal = self.http.refusal(resp, &action).await;
                        match self.find_provider(&client.client_id).await? {
                            // Made by an earlier run whose answer was lost.
                            Some(p) if refusal.exists => p["pk"].clone(),
                            _ => return Err(refusal.error),
                        }
                    }
                    s => return Err(self.http.unexpected(s, &action)),
                }
            }
            Some(existing) => {
                if let Some(body) = body::patch(&setup, client, &existing) {
                    let path = format!("/providers/oauth2/{}/", seg(&pk_str(&existing["pk"])));
                    let resp = self
                        .call(&action, Method::PATCH, &path, Some(&body))
                        .await?;
                    match resp.status() {
                        s if s.is_success() => {}
                        s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                            return Err(self.http.refusal(resp, &action).await.error);
                        }
                        s => return Err(self.http.unexpected(s, &action)),
                    }
                }
                existing["pk"].clone()
            }
        };
        // A new application has no bindings yet: nothing to read before binding it.
        let mut new_app = false;
        let app_pk = match app {
            Some(a) if !a["provider"].is_null() => pk_str(&a["pk"]),
            // There, but serving no provider: bind it to this one.
            Some(a) => {
                let path = format!("/core/applications/{}/", seg(&client.client_id));
                let resp = self
                    .call(
                        &action,
                        Method::PATCH,
                        &path,
                        Some(&json!({"provider": pk})),
                    )
                    .await?;
                self.expect_ok(resp, &action).await?;
                pk_str(&a["pk"])
            }
            None => {
                let body = json!({
                    "name": client.name,
                    "slug": client.client_id,
                    "provider": pk,
                    "meta_launch_url": client.base_url,
                    "meta_publisher": owner.publisher(),
                    "policy_engine_mode": "any",
                });
                let resp = self
                    .call(&action, Method::POST, "/core/applications/", Some(&body))
                    .await?;
                match resp.status() {
                    s if s.is_success() => {
                        let made: Value = self.http.json(resp, &action).await?;
                        new_app = true;
                        pk_str(&made["pk"])
                    }
                    s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                        let refusal = self.http.refusal(resp, &action).await;
                        match self.application(&client.client_id).await? {
                            Some(a) if refusal.exists && pk_str(&a["provider"]) == pk_str(&pk) => {
                                pk_str(&a["pk"])
                            }
                            _ => return Err(refusal.error),
                        }
                    }
                    s => return Err(self.http.unexpected(s, &action)),
                }
            }
        };
        if client.access_enforced {
            self.limit_to_group(client, &app_pk, new_app, &action)
                .await?;
        }
        Ok(())
    }

    async fn expect_ok(&self, resp: reqwest::Response, action: &str) -> Result<(), SsoError> {
        match resp.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                Err(self.http.refusal(resp, action).await.error)
            }
            s => Err(self.http.unexpected(s, action)),
        }
    }
}

/// A primary key as text, whether the API gives it as a number or a string.
fn pk_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Provider for Authentik {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn read(&self, desired: &Desired) -> Result<Current, SsoError> {
        let setup = self.setup().await?.clone();
        let (all_groups, orphans, recovery) = tokio::try_join!(
            self.all_groups(),
            self.orphans(desired),
            self.has_recovery_flow()
        )?;
        let mut current = Current {
            realm_exists: true,
            orphans,
            recovery_flow: Some(recovery),
            ..Current::default()
        };
        Self::judge_groups(desired, &all_groups, &mut current);
        // Only the organisation's own groups count as bound to its apps.
        let groups: HashMap<String, String> = all_groups
            .iter()
            .filter(|g| current.groups.iter().any(|n| g["name"] == n.as_str()))
            .filter_map(|g| Some((g["name"].as_str()?.to_owned(), pk_str(&g["pk"]))))
            .collect();
        let found: Vec<Result<Found, SsoError>> =
            // Owned clients: a stream of borrowed ones trips the `Send` check.
            futures_util::stream::iter(desired.clients.clone())
                .map(|c| {
                    let (setup, groups) = (&setup, &groups);
                    async move { self.current_client(setup, groups, desired, &c).await }
                })
                .buffered(crate::http::CONCURRENCY)
                .collect()
                .await;
        for f in found {
            match f? {
                Found::Client(adopt, c) => {
                    if adopt {
                        current
                            .adopt
                            .push((ObjectKind::Client, c.client_id.clone()));
                    }
                    current.clients.push(c);
                }
                Found::Conflict(c) => current.conflicts.push(c),
                Found::Missing => {}
            }
        }
        Ok(current)
    }

    async fn apply_change(&self, change: &Change, owner: &Owner) -> Result<(), SsoError> {
        match change {
            // Authentik has one tenant per install: nothing to make.
            Change::CreateRealm { .. } => Ok(()),
            Change::Adopt { what, name } => self.adopt(*what, name, owner).await,
            Change::RemoveClient { client_id } => self.remove(client_id, owner).await,
            Change::SetUpRecovery => self.set_up_recovery().await,
            Change::CreateGroup { name } => {
                let action = format!("create the group {name}");
                let resp = self
                    .call(
                        &action,
                        Method::POST,
                        "/core/groups/",
                        Some(&json!({
                            "name": name,
                            "attributes": own::marked_attributes(&Value::Null, owner),
                        })),
                    )
                    .await?;
                match resp.status() {
                    s if s.is_success() => {
                        // Remembered for binding apps to it; a body not read costs a search later.
                        if let Ok(made) = self.http.json::<Value>(resp, &action).await {
                            self.known_groups()
                                .insert(name.clone(), pk_str(&made["pk"]));
                        }
                        Ok(())
                    }
                    s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                        let refusal = self.http.refusal(resp, &action).await;
                        if self.group_pk(name).await?.is_some() {
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
        // `?email=` is exact and case-sensitive; a search is not, and the match is
        // then made here without regard to case (Anna@Example.org is anna@example.org).
        let found = self
            .list_all(
                "look up a member",
                &format!("/core/users/?search={}", seg(email)),
            )
            .await?;
        let user = found.into_iter().find(|u| {
            u["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        });
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
        self.http.made_or_there(resp, "add a member", false).await?;
        self.find_user(&member.email)
            .await?
            .ok_or_else(|| self.http.name_taken(&member.email))
    }

    async fn add_to_group(&self, user: &UserRef, group: &str) -> Result<(), SsoError> {
        let action = format!("add a member to {group}");
        let pk = self
            .group_pk(group)
            .await?
            .ok_or_else(|| self.http.no_group(group))?;
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

    async fn refusal_for(&self, member: &Member) -> Result<Option<SsoError>, SsoError> {
        // Ferry names a new user by the address; `?username=` is exact.
        let name = member.email.to_lowercase();
        let taken = self
            .first(
                "look up a member",
                &format!("/core/users/?username={}", seg(&name)),
            )
            .await?
            .is_some_and(|u| u["username"] == name.as_str());
        Ok(taken.then(|| self.http.name_taken(&member.email)))
    }

    async fn invite(
        &self,
        user: &UserRef,
        _member: &Member,
        _app: Option<&DesiredClient>,
    ) -> Result<Invite, SsoError> {
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

/// Everything Authentik's answers go through once read as JSON, for the fuzz targets:
/// the version, redirect entries in the old and new shapes, and the update built
/// from what is there.
#[doc(hidden)]
pub(crate) fn fuzz_decode(v: &Value, client: &crate::desired::DesiredClient) {
    for version in [(2024, 4, 0), (2026, 5, 0)] {
        let s = setup::Setup {
            version,
            authorization_flow: "flow".into(),
            invalidation_flow: Some("inv".into()),
            signing_key: Some("key".into()),
            scope_mappings: vec!["m".into()],
        };
        let _ = body::redirects_of(&s, v);
        let _ = body::patch(&s, client, v);
    }
    if let Some(text) = v["version_current"].as_str() {
        let _ = setup::fuzz_parse_version(text);
    }
    let _ = pk_str(&v["pk"]);
}
