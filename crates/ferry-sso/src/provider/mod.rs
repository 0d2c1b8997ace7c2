//! One trait over the three identity providers' admin APIs, and [`connect`] to pick
//! one. Each implementation follows its documented API (../shared/reference/sso.md).

mod authentik;
mod keycloak;
mod rauthy;

use std::future::Future;

pub use authentik::Authentik;
use ferry_core::model::IdpKind;
pub use keycloak::Keycloak;
pub use rauthy::Rauthy;
use serde::{Deserialize, Serialize};

use crate::desired::{Desired, DesiredClient};
use crate::diff::{Change, Current};
use crate::error::SsoError;
use crate::http::{Http, Options};
use crate::owner::Owner;
use ferry_core::members::Member;

/// A secret value that never shows in logs or debug output.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// How Ferry signs in to the provider's admin API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Credentials {
    /// A Keycloak administrator of the master realm (through `admin-cli`).
    Password { username: String, password: Secret },
    /// A Keycloak service-account client of the master realm with the admin role.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    /// An Authentik API token, or a Rauthy API key (`name$secret`).
    Token { token: Secret },
}

/// A user on the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    pub id: String,
    pub groups: Vec<String>,
}

/// How a new member is invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Invite {
    /// The provider e-mailed the member a link to set a password, and would have
    /// said if it could not (Keycloak answers 500 without a mail server).
    EmailSent,
    /// The provider was asked to e-mail a link; it gives no sign of whether it has
    /// a mail server (Rauthy answers the same with and without one).
    EmailRequested,
    /// A link to pass on to the member.
    Link { url: String },
    /// The provider cannot invite (e.g. no e-mail server, no enrolment flow).
    NotPossible { reason: String },
}

pub trait Provider: Send + Sync {
    /// The admin API's HTTP side; what every provider has alike comes from it.
    fn http(&self) -> &Http;
    /// Keycloak's realm; the others have none.
    fn realm(&self) -> &str {
        ""
    }
    fn kind(&self) -> IdpKind {
        self.http().idp
    }
    /// Write requests sent so far.
    fn writes(&self) -> usize {
        self.http().writes()
    }
    /// The HTTP client (with the provider's CA and timeouts) for discovery.
    fn http_client(&self) -> &reqwest::Client {
        &self.http().client
    }
    /// The issuer the app with this client uses: exactly what discovery must return.
    fn issuer(&self, client_id: &str) -> String {
        issuer_for(self.kind(), &self.http().base, self.realm(), client_id)
    }
    /// The realm, groups and the desired clients as they are now.
    fn read(&self, desired: &Desired) -> impl Future<Output = Result<Current, SsoError>> + Send;
    /// Makes one change, marking what it makes as `owner`'s; a change already made (by
    /// an earlier, interrupted run) is fine.
    fn apply_change(
        &self,
        change: &Change,
        owner: &Owner,
    ) -> impl Future<Output = Result<(), SsoError>> + Send;
    fn client_secret(
        &self,
        client_id: &str,
    ) -> impl Future<Output = Result<String, SsoError>> + Send;
    fn find_user(
        &self,
        email: &str,
    ) -> impl Future<Output = Result<Option<UserRef>, SsoError>> + Send;
    /// Creates the member in `groups` (which exist). Returns the new user.
    fn create_user(
        &self,
        member: &Member,
    ) -> impl Future<Output = Result<UserRef, SsoError>> + Send;
    fn add_to_group(
        &self,
        user: &UserRef,
        group: &str,
    ) -> impl Future<Output = Result<(), SsoError>> + Send;
    /// Invites a new member; `app` is where the invitation should lead back to.
    fn invite(
        &self,
        user: &UserRef,
        member: &Member,
        app: Option<&DesiredClient>,
    ) -> impl Future<Output = Result<Invite, SsoError>> + Send;
    /// The name the provider will keep for the member, when its rules change it.
    fn stored_name(&self, _member: &Member) -> Option<String> {
        None
    }
    /// Why making the member would be refused, without making them (a dry run says
    /// what the real run would meet): another user has their user name.
    fn refusal_for(
        &self,
        _member: &Member,
    ) -> impl Future<Output = Result<Option<SsoError>, SsoError>> + Send {
        async { Ok(None) }
    }
}

/// Any of the three, chosen at run time.
pub enum AnyProvider {
    Keycloak(Keycloak),
    Authentik(Authentik),
    Rauthy(Rauthy),
}

/// The provider of `kind` at `url`. `realm` is used by Keycloak only.
pub fn connect(
    kind: IdpKind,
    url: &str,
    realm: &str,
    credentials: Credentials,
    options: Options,
) -> Result<AnyProvider, SsoError> {
    Ok(match kind {
        IdpKind::Keycloak => {
            AnyProvider::Keycloak(Keycloak::new(url, realm, credentials, options)?)
        }
        IdpKind::Authentik => AnyProvider::Authentik(Authentik::new(url, credentials, options)?),
        IdpKind::Rauthy => AnyProvider::Rauthy(Rauthy::new(url, credentials, options)?),
    })
}

macro_rules! each {
    ($self:ident, $p:ident => $e:expr) => {
        match $self {
            AnyProvider::Keycloak($p) => $e,
            AnyProvider::Authentik($p) => $e,
            AnyProvider::Rauthy($p) => $e,
        }
    };
}

impl Provider for AnyProvider {
    fn http(&self) -> &Http {
        each!(self, p => p.http())
    }
    fn realm(&self) -> &str {
        each!(self, p => p.realm())
    }
    async fn read(&self, desired: &Desired) -> Result<Current, SsoError> {
        each!(self, p => p.read(desired).await)
    }
    async fn apply_change(&self, change: &Change, owner: &Owner) -> Result<(), SsoError> {
        each!(self, p => p.apply_change(change, owner).await)
    }
    async fn client_secret(&self, client_id: &str) -> Result<String, SsoError> {
        each!(self, p => p.client_secret(client_id).await)
    }
    async fn find_user(&self, email: &str) -> Result<Option<UserRef>, SsoError> {
        each!(self, p => p.find_user(email).await)
    }
    async fn create_user(&self, member: &Member) -> Result<UserRef, SsoError> {
        each!(self, p => p.create_user(member).await)
    }
    async fn add_to_group(&self, user: &UserRef, group: &str) -> Result<(), SsoError> {
        each!(self, p => p.add_to_group(user, group).await)
    }
    async fn invite(
        &self,
        user: &UserRef,
        member: &Member,
        app: Option<&DesiredClient>,
    ) -> Result<Invite, SsoError> {
        each!(self, p => p.invite(user, member, app).await)
    }
    fn stored_name(&self, member: &Member) -> Option<String> {
        each!(self, p => p.stored_name(member))
    }
    async fn refusal_for(&self, member: &Member) -> Result<Option<SsoError>, SsoError> {
        each!(self, p => p.refusal_for(member).await)
    }
}

/// The issuer of an app's client: exactly what discovery must answer.
pub fn issuer_for(kind: IdpKind, url: &str, realm: &str, client_id: &str) -> String {
    let base = url.trim_end_matches('/');
    match kind {
        IdpKind::Keycloak => format!("{base}/realms/{realm}"),
        IdpKind::Authentik => format!("{base}/application/o/{client_id}/"),
        IdpKind::Rauthy => format!("{base}/auth/v1/"),
    }
}

/// `s` with every `/`, `?`, `#`, `%`, space and non-ASCII byte escaped, for a path segment.
pub(crate) fn seg(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs an answer body through every provider's decoding, as the fuzz targets do.
#[doc(hidden)]
pub(crate) fn fuzz_decode(v: &serde_json::Value, client: &crate::desired::DesiredClient) {
    keycloak::fuzz_decode(v, client);
    authentik::fuzz_decode(v, client);
    rauthy::fuzz_decode(v, client);
}
