//! Keycloak 24–26 Admin REST API: a token from the master realm (admin-cli password
//! grant or a service account), then `/admin/realms/{realm}/…`. Duplicates answer 409.
//! Who may sign in to each app: `access.rs` (and `template.rs`); whose a realm and
//! what is in it are: `own.rs`.

use std::time::{Duration, Instant};

use ferry_core::model::IdpKind;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Credentials, Invite, Provider, UserRef, seg};
use crate::desired::{Desired, DesiredClient};
use crate::diff::{Change, Current};
use crate::error::SsoError;
use crate::http::{Http, Options};
use crate::owner::{Conflict, MARK_KEY, MARK_NAME_KEY, Mark, ObjectKind, Orphan, Owner};
use ferry_core::members::Member;

mod access;
mod body;
mod lists;
mod own;
mod template;

const GROUPS_MAPPER: &str = "oidc-group-membership-mapper";
/// Rows asked for per page of a list.
const PAGE: usize = 100;
/// How long an invitation link stays valid (Keycloak's `lifespan`, seconds): a week.
const INVITE_LIFESPAN: u64 = 7 * 24 * 3600;

pub struct Keycloak {
    http: Http,
    realm: String,
    credentials: Credentials,
    /// The admin token and when to fetch a new one (master tokens live 60 s by default).
    token: tokio::sync::Mutex<Option<(String, Instant)>>,
    /// Whether the realm's sign-in flow template was found whole or made; held while
    /// it is checked or made.
    template_checked: tokio::sync::Mutex<bool>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default = "sixty")]
    expires_in: u64,
}

fn sixty() -> u64 {
    60
}

#[derive(Deserialize)]
struct Named {
    id: String,
    #[serde(default)]
    name: String,
}

impl Keycloak {
    pub fn new(
        url: &str,
        realm: &str,
        credentials: Credentials,
        options: Options,
    ) -> Result<Self, SsoError> {
        let hidden = match &credentials {
            Credentials::Password { password, .. } => password.expose().to_owned(),
            Credentials::ClientCredentials { client_secret, .. } => {
                client_secret.expose().to_owned()
            }
            Credentials::Token { token } => token.expose().to_owned(),
        };
        Ok(Keycloak {
            http: Http::new(IdpKind::Keycloak, url, options)?.hide(&hidden),
            realm: realm.to_owned(),
            credentials,
            token: Default::default(),
            template_checked: Default::default(),
        })
    }

    async fn token(&self) -> Result<String, SsoError> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = &*cached
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let form: Vec<(&str, &str)> = match &self.credentials {
            Credentials::Password { username, password } => vec![
                ("grant_type", "password"),
                ("client_id", "admin-cli"),
                ("username", username),
                ("password", password.expose()),
            ],
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
            ],
            // An access token obtained elsewhere is used as it is.
            Credentials::Token { token } => return Ok(token.expose().to_owned()),
        };
        let resp = self
            .http
            .sign_in("/realms/master/protocol/openid-connect/token", |r| {
                r.form(&form)
            })
            .await?;
        match resp.status() {
            // Wrong password answers 401 (invalid_grant); an unknown client 400/401.
            StatusCode::BAD_REQUEST => {
                return Err(SsoError::BadCredentials {
                    idp: self.http.name(),
                });
            }
            StatusCode::NOT_FOUND => {
                return Err(SsoError::NotThisProvider {
                    idp: self.http.name(),
                    url: self.http.base.clone(),
                });
            }
            _ => {}
        }
        let answer: TokenAnswer = self.http.json(resp, "sign in").await?;
        let life = Duration::from_secs(answer.expires_in.saturating_sub(10).max(5));
        *cached = Some((answer.access_token.clone(), Instant::now() + life));
        Ok(answer.access_token)
    }

    fn realm_path(&self, rest: &str) -> String {
        format!("/admin/realms/{}{rest}", seg(&self.realm))
    }

    async fn call(
        &self,
        action: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<reqwest::Response, SsoError> {
        let token = self.token().await?;
        self.http
            .send(action, method, path, |r| {
                let r = r.bearer_auth(&token);
                match body {
                    Some(b) => r.json(b),
                    None => r,
                }
            })
            .await
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        action: &str,
        path: &str,
    ) -> Result<T, SsoError> {
        let resp = self.call(action, Method::GET, path, None).await?;
        self.http.json(resp, action).await
    }

    /// A write that may meet what an earlier run made: 409 is "already there".
    async fn create(&self, action: &str, path: &str, body: &Value) -> Result<bool, SsoError> {
        let resp = self.call(action, Method::POST, path, Some(body)).await?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::CONFLICT => Ok(false),
            s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                Err(self.http.refusal(resp, action).await.error)
            }
            s => Err(self.http.unexpected(s, action)),
        }
    }

    async fn upsert_client(&self, client: &DesiredClient, owner: &Owner) -> Result<(), SsoError> {
        let action = format!("set up the client {}", client.client_id);
        // The app's own sign-in flow first: the client is bound to it as it is made.
        let flow = async {
            match client.access_enforced {
                true => self.app_flow(client, owner).await.map(Some),
                false => Ok(None),
            }
        };
        let (flow, found) =
            futures_util::future::try_join(flow, self.find_client(&client.client_id)).await?;
        let bind = |body: &mut Value| {
            if let Some(flow) = &flow {
                body["authenticationFlowBindingOverrides"]["browser"] = json!(flow);
            }
        };
        let Some(existing) = found else {
            let mut body = Self::new_client_body(client, owner);
            bind(&mut body);
            let path = self.realm_path("/clients");
            let resp = self.call(&action, Method::POST, &path, Some(&body)).await?;
            if resp.status() == StatusCode::CONFLICT {
                // Made meanwhile; bring it up to date below.
                return Box::pin(self.upsert_client(client, owner)).await;
            }
            let uuid = access::created_id(&resp);
            self.expect_created(resp, &action).await?;
            if client.access_enforced {
                let uuid = match uuid {
                    Some(uuid) => uuid,
                    None => self.client_uuid(&client.client_id).await?,
                };
                self.grant_access(client, &uuid, owner).await?;
            }
            return Ok(());
        };
        let uuid = existing["id"].as_str().unwrap_or_default().to_owned();
        let have = Self::settings_of(&existing);
        let mut update = Self::update_body(client, &existing, &have);
        let bound = existing["authenticationFlowBindingOverrides"]["browser"].as_str();
        if flow.is_some() && bound != flow.as_deref() {
            bind(update.get_or_insert_with(|| existing.clone()));
        }
        if let Some(body) = update {
            let path = self.realm_path(&format!("/clients/{}", seg(&uuid)));
            let resp = self.call(&action, Method::PUT, &path, Some(&body)).await?;
            match resp.status() {
                s if s.is_success() => {}
                s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                    return Err(self.http.refusal(resp, &action).await.error);
                }
                s => return Err(self.http.unexpected(s, &action)),
            }
        }
        if !have.settings.groups_claim {
            let path = self.realm_path(&format!("/clients/{}", seg(&uuid)));
            self.create(
                &action,
                &format!("{path}/protocol-mappers/models"),
                &Self::groups_mapper(),
            )
            .await?;
        }
        if client.access_enforced {
            self.grant_access(client, &uuid, owner).await?;
        }
        Ok(())
    }
}

impl Provider for Keycloak {
    fn http(&self) -> &Http {
        &self.http
    }

    fn realm(&self) -> &str {
        &self.realm
    }

    async fn read(&self, desired: &Desired) -> Result<Current, SsoError> {
        let resp = self
            .call("read the realm", Method::GET, &self.realm_path(""), None)
            .await?;
        match resp.status() {
            StatusCode::NOT_FOUND => return Ok(Current::default()),
            s if !s.is_success() => return Err(self.http.unexpected(s, "read the realm")),
            _ => {}
        }
        let realm: Value = self.http.json(resp, "read the realm").await?;
        // Who may sign in to each app: the flows are read only where the plan asks.
        let flows = async {
            match desired.clients.iter().any(|c| c.access_enforced) {
                true => self.flows().await,
                false => Ok(Default::default()),
            }
        };
        let (clients, groups, flows) =
            futures_util::future::try_join3(self.all_clients(), self.all_groups(), flows).await?;
        let mut current = Current {
            realm_exists: true,
            ..Current::default()
        };
        // The realm is the organisation's namespace: its mark decides for all inside.
        let attr = |k: &str| realm["attributes"][k].as_str();
        match desired.owner.judge(attr(MARK_KEY), attr(MARK_NAME_KEY)) {
            Mark::Ours => {}
            Mark::None if Self::made_for(&clients, &desired.domains) => current
                .adopt
                .push((ObjectKind::Realm, desired.realm.clone())),
            mark => {
                current
                    .conflicts
                    .push(Conflict::of(ObjectKind::Realm, &desired.realm, &mark));
                return Ok(current);
            }
        }
        let mut found = Vec::new();
        for c in clients {
            let id = c["clientId"].as_str().unwrap_or_default();
            if desired.clients.iter().any(|d| d.client_id == id) {
                found.push(c);
            } else if Self::made_by_ferry(&c, &desired.owner)
                && (Self::client_mark(&c).is_some()
                    || Self::made_for(std::slice::from_ref(&c), &desired.domains))
            {
                current.orphans.push(Orphan {
                    client_id: id.to_owned(),
                    name: c["name"].as_str().unwrap_or(id).to_owned(),
                });
            }
        }
        let (clients, conflicts) = self.read_access(desired, found, &groups, &flows).await?;
        current.clients = clients;
        current.conflicts = conflicts;
        current.groups = groups.into_iter().map(|g| g.name).collect();
        Ok(current)
    }

    async fn apply_change(&self, change: &Change, owner: &Owner) -> Result<(), SsoError> {
        match change {
            Change::CreateRealm { realm } => {
                let body = json!({
                    "realm": realm,
                    "enabled": true,
                    "loginWithEmailAllowed": true,
                    "duplicateEmailsAllowed": false,
                    "resetPasswordAllowed": true,
                    "attributes": Self::mark(owner),
                });
                self.create("create the realm", "/admin/realms", &body)
                    .await?;
            }
            Change::Adopt { .. } => self.adopt_realm(owner).await?,
            Change::RemoveClient { client_id } => self.remove_client(client_id, owner).await?,
            // Keycloak invites by e-mail: nothing to set up.
            Change::SetUpRecovery => {}
            Change::CreateGroup { name } => {
                self.create(
                    &format!("create the group {name}"),
                    &self.realm_path("/groups"),
                    &json!({ "name": name }),
                )
                .await?;
            }
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                self.upsert_client(client, owner).await?;
            }
        }
        Ok(())
    }

    async fn client_secret(&self, client_id: &str) -> Result<String, SsoError> {
        let uuid = self.client_uuid(client_id).await?;
        let cred: Value = self
            .get_json(
                "read the client secret",
                &self.realm_path(&format!("/clients/{}/client-secret", seg(&uuid))),
            )
            .await?;
        cred["value"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| SsoError::InvalidResponse {
                idp: self.http.name(),
                action: "read the client secret".into(),
                detail: "no value".into(),
            })
    }

    async fn find_user(&self, email: &str) -> Result<Option<UserRef>, SsoError> {
        let users: Vec<Value> = self
            .get_json(
                "look up a member",
                &self.realm_path(&format!("/users?email={}&exact=true", seg(email))),
            )
            .await?;
        let Some(user) = users.into_iter().find(|u| {
            u["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        }) else {
            return Ok(None);
        };
        let id = user["id"].as_str().unwrap_or_default().to_owned();
        let groups: Vec<Named> = self
            .get_json(
                "read a member's groups",
                &self.realm_path(&format!("/users/{}/groups", seg(&id))),
            )
            .await?;
        Ok(Some(UserRef {
            id,
            groups: groups.into_iter().map(|g| g.name).collect(),
        }))
    }

    async fn create_user(&self, member: &Member) -> Result<UserRef, SsoError> {
        let (first, last) = member.split_name();
        let body = json!({
            "username": member.email.to_lowercase(),
            "email": member.email,
            "firstName": first,
            "lastName": last,
            "enabled": true,
            "emailVerified": false,
        });
        // 409 (someone with that user name or e-mail is there) is fine: read them back.
        self.create("add a member", &self.realm_path("/users"), &body)
            .await?;
        let user = self.find_user(&member.email).await?;
        user.ok_or_else(|| self.http.name_taken(&member.email))
    }

    async fn add_to_group(&self, user: &UserRef, group: &str) -> Result<(), SsoError> {
        let action = format!("add a member to {group}");
        let gid = self
            .group_id(group)
            .await?
            .ok_or_else(|| self.http.no_group(group))?;
        let path = self.realm_path(&format!("/users/{}/groups/{}", seg(&user.id), seg(&gid)));
        let resp = self.call(&action, Method::PUT, &path, None).await?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(self.http.unexpected(resp.status(), &action))
        }
    }

    async fn refusal_for(&self, member: &Member) -> Result<Option<SsoError>, SsoError> {
        let name = member.email.to_lowercase();
        let users: Vec<Value> = self
            .get_json(
                "look up a member",
                &self.realm_path(&format!("/users?username={}&exact=true", seg(&name))),
            )
            .await?;
        let taken = users
            .iter()
            .any(|u| u["username"].as_str() == Some(name.as_str()));
        Ok(taken.then(|| self.http.name_taken(&member.email)))
    }

    async fn invite(
        &self,
        user: &UserRef,
        _member: &Member,
        app: Option<&DesiredClient>,
    ) -> Result<Invite, SsoError> {
        let base = format!(
            "/users/{}/execute-actions-email?lifespan={INVITE_LIFESPAN}",
            seg(&user.id)
        );
        // With the app's client and address, the e-mail's link leads back to the app
        // once the password is set (not to Keycloak's account page).
        let back = app.map(|a| {
            format!(
                "{base}&client_id={}&redirect_uri={}",
                query(&a.client_id),
                query(&a.base_url)
            )
        });
        let actions = json!(["UPDATE_PASSWORD", "VERIFY_EMAIL"]);
        let token = self.token().await?;
        for rest in back.iter().chain([&base]) {
            let path = self.realm_path(rest);
            let sent = self
                .http
                .send_once("send an invitation", Method::PUT, &path, |r| {
                    r.bearer_auth(&token).json(&actions)
                })
                .await;
            match sent {
                // Keycloak reports a mail server that is missing or refuses with a 500,
                // so a success means the e-mail went out.
                Ok(r) if r.status().is_success() => return Ok(Invite::EmailSent),
                // A client made before Ferry added the app's address refuses it as a
                // return address: invite without the way back.
                Ok(r) if r.status() == StatusCode::BAD_REQUEST && rest != &base => continue,
                Ok(r) if r.status().is_client_error() && r.status() != StatusCode::NOT_FOUND => {
                    return Err(self.http.refusal(r, "send an invitation").await.error);
                }
                Ok(r) => return Err(self.http.unexpected(r.status(), "send an invitation")),
                Err(SsoError::Server { .. }) => {
                    return Ok(Invite::NotPossible {
                        reason: "no_smtp".into(),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        unreachable!("the last attempt always returns")
    }
}

/// `s` escaped for a query value.
fn query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Keycloak's client as Ferry reads it and the update built from it, for the fuzz
/// targets.
#[doc(hidden)]
pub(crate) fn fuzz_decode(v: &Value, client: &crate::desired::DesiredClient) {
    let have = Keycloak::settings_of(v);
    let _ = Keycloak::update_body(client, v, &have);
}
