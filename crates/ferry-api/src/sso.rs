//! Single sign-on: sign in to the identity provider (credentials to the keyring),
//! review the changes, apply them with progress, verify each app, show an app's
//! settings, import members. The flows (`Connection`) are the CLI's too.

use ferry_core::Plan;
use ferry_sso::apply::{Progress, apply};
use ferry_sso::desired::{Desired, from_plan, provider_of};
use ferry_sso::diff::{Current, Extras, Preview};
use ferry_sso::members::{Member, MemberList, MemberOutcome, parse_csv};
use ferry_sso::provider::{Credentials, Provider};
use ferry_sso::secrets::{SecretStore, admin_key, client_secret_key};
use ferry_sso::session::{AdminLogin, SsoOutcome, SsoOverview};
use ferry_sso::settings::{AppSetting, app_settings};
use ferry_sso::verify::{Endpoints, record, verify_all};
use ferry_sso::{AnyProvider, SsoError, connect};

use crate::declare::Events;
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// The plan's desired state on the identity provider, and the provider signed in to.
pub struct Connection {
    pub desired: Desired,
    pub provider: AnyProvider,
    plan_id: String,
}

/// The plan's single sign-on as Ferry would set it up, or the fields still missing.
pub fn desired(plan: &Plan) -> Answer<Desired> {
    from_plan(plan).map_err(|problems| ApiError::SsoNotReady { problems })
}

impl Connection {
    /// Signs in with the host's admin credentials for the plan.
    pub fn open(host: &impl Host, plan: &Plan) -> Answer<Self> {
        let credentials = host
            .admin_credentials(plan)
            .ok_or(ApiError::SsoNotSignedIn)?;
        Self::open_with(host, plan, credentials)
    }

    /// Signs in with `credentials` as given (not kept anywhere by this).
    pub fn open_with(host: &impl Host, plan: &Plan, credentials: Credentials) -> Answer<Self> {
        Self::open_for(host, plan, credentials, desired(plan)?)
    }

    /// Signs in to the provider alone, which needs only the provider's own fields:
    /// enough to check credentials before the apps' domains are known.
    pub fn open_provider(host: &impl Host, plan: &Plan, credentials: Credentials) -> Answer<Self> {
        let desired = provider_of(plan).map_err(|problems| ApiError::SsoNotReady { problems })?;
        Self::open_for(host, plan, credentials, desired)
    }

    fn open_for(
        host: &impl Host,
        plan: &Plan,
        credentials: Credentials,
        desired: Desired,
    ) -> Answer<Self> {
        let mut options = host.sso_options();
        if !plan.sso.ca_pem.trim().is_empty() {
            options.ca_pem = Some(plan.sso.ca_pem.clone());
        }
        let provider = connect(
            desired.idp,
            &desired.url,
            &desired.realm,
            credentials,
            options,
        )?;
        Ok(Connection {
            desired,
            provider,
            plan_id: plan.id.to_string(),
        })
    }

    async fn read(&self) -> Answer<Current> {
        Ok(self.provider.read(&self.desired).await?)
    }

    /// What an apply would create or change, and what it will not touch (nothing is
    /// written): `extras` are what was asked for besides.
    pub async fn preview(&self, extras: Extras) -> Answer<Preview> {
        Ok(Preview::new(&self.desired, &self.read().await?, extras))
    }

    /// Reads, applies the differences (each step on `progress`), then verifies every app
    /// and records the results in `plan`.
    pub async fn apply(
        &self,
        host: &impl Host,
        plan: Plan,
        extras: Extras,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Answer<SsoOutcome> {
        let current = self.read().await?;
        let changes = ferry_sso::diff::diff_with(&self.desired, &current, extras);
        // Nothing of another organisation's is changed or read.
        let desired = self.desired.without(&current.conflicts);
        let report = apply(
            &self.provider,
            &desired,
            &changes,
            host.vault(),
            &self.plan_id,
            progress,
        )
        .await;
        let mut outcome = self.verify(host, plan).await;
        outcome.report = Some(report);
        Ok(outcome)
    }

    /// Checks each app's sign-on as the app will do it, records the results in
    /// `plan`, and names the clients left from apps no longer planned.
    pub async fn verify(&self, host: &impl Host, mut plan: Plan) -> SsoOutcome {
        let v = verify_all(&self.provider, &self.desired, host.vault(), &self.plan_id).await;
        record(&mut plan, &v.checks, host.now());
        SsoOutcome {
            report: None,
            results: plan.sso.results.clone(),
            plan,
            checks: v.checks,
            orphans: v.orphans,
            conflicts: v.conflicts,
        }
    }

    /// Adds members and invites them (or only says what would happen). A group with
    /// the organisation's name that is someone else's is never joined.
    pub async fn import_members(
        &self,
        members: &[Member],
        dry_run: bool,
    ) -> Answer<Vec<MemberOutcome>> {
        let current = self.read().await?;
        if let Some(c) = current
            .conflicts
            .iter()
            .find(|c| self.desired.groups.iter().any(|g| g.name == c.name))
        {
            return Err(ferry_sso::SsoError::Conflict {
                idp: ferry_sso::error::idp_name(self.desired.idp),
                what: format!(
                    "a group {} that is {}",
                    c.name,
                    c.owner
                        .as_deref()
                        .map_or("not this organisation's".to_owned(), |o| format!("{o}'s"))
                ),
            }
            .into());
        }
        Ok(
            ferry_sso::members::import(&self.provider, members, &self.desired.clients, dry_run)
                .await,
        )
    }
}

fn overview(host: &impl Host, plan: &Plan) -> SsoOverview {
    let vault = host.vault();
    let signed_in = host.session().signed_in(&plan.id.to_string(), vault);
    ferry_sso::session::overview(plan, signed_in, vault.is_secure())
}

// The commands.

pub async fn show(host: &impl Host, plan: Plan) -> Answer<SsoOverview> {
    Ok(overview(host, &plan))
}

/// Saves the admin credentials and checks them with one read; wrong ones are not kept.
pub async fn login(host: &impl Host, plan: Plan, login: AdminLogin) -> Answer<SsoOverview> {
    let plan_id = plan.id.to_string();
    let credentials = login.into_credentials();
    // Checked before anything is kept: an overview asked for meanwhile must never see
    // credentials being tried as a sign-in (the window once showed a wrong key as
    // "connected" until the next refresh).
    // The provider alone: signing in must not wait for the apps' domains (Deploy).
    let checked = Connection::open_provider(host, &plan, credentials.clone())?;
    checked.provider.read(&checked.desired).await?;
    host.vault().save_admin(&plan_id, &credentials)?;
    host.session().forget_sign_in(&plan_id);
    Ok(overview(host, &plan))
}

pub async fn forget(host: &impl Host, plan: Plan) -> Answer<SsoOverview> {
    let plan_id = plan.id.to_string();
    host.vault().delete(&admin_key(&plan_id))?;
    host.session().forget_sign_in(&plan_id);
    Ok(overview(host, &plan))
}

/// What an apply would do; `extras`: orphans to remove, a recovery flow to set up.
pub async fn plan_changes(host: &impl Host, plan: Plan, extras: Option<Extras>) -> Answer<Preview> {
    Connection::open(host, &plan)?
        .preview(extras.unwrap_or_default())
        .await
}

pub async fn apply_changes(
    host: &impl Host,
    plan: Plan,
    extras: Option<Extras>,
    events: Events<'_, Progress>,
) -> Answer<SsoOutcome> {
    let connection = Connection::open(host, &plan)?;
    connection
        .apply(host, plan, extras.unwrap_or_default(), &|p| events.send(&p))
        .await
}

pub async fn verify_apps(host: &impl Host, plan: Plan) -> Answer<SsoOutcome> {
    let connection = Connection::open(host, &plan)?;
    Ok(connection.verify(host, plan).await)
}

/// The settings an app's admin needs; the client secret only when `reveal` is set.
pub async fn settings(
    host: &impl Host,
    plan: Plan,
    client_id: String,
    endpoints: Option<Endpoints>,
    reveal: bool,
) -> Answer<Vec<AppSetting>> {
    let desired = desired(&plan)?;
    // The id verify found (an earlier Ferry's may differ from a new one's).
    let recipe = plan
        .sso
        .results
        .iter()
        .find(|r| r.client_id == client_id)
        .map(|r| r.recipe.clone());
    let Some(client) = desired
        .clients
        .iter()
        .find(|c| c.client_id == client_id || Some(&c.recipe) == recipe.as_ref())
    else {
        return Ok(Vec::new());
    };
    let mut client = client.clone();
    client.client_id = client_id.clone();
    let client = &client;
    let secret = if reveal {
        tracing::info!(client = %client_id, "client secret shown on request");
        host.vault()
            .get(&client_secret_key(&plan.id.to_string(), &client_id))?
    } else {
        None
    };
    Ok(app_settings(
        client,
        &plan.organisation.name,
        &ferry_sso::session::issuer(&desired, &client_id),
        endpoints.as_ref(),
        secret.as_deref(),
    ))
}

/// Reads a members CSV file's text (rows checked against the plan's groups).
pub async fn read_members(_host: &impl Host, plan: Plan, text: String) -> Answer<MemberList> {
    let desired = desired(&plan)?;
    parse_csv(&text, &desired.groups).map_err(|e| ApiError::MembersFile {
        detail: e.to_string(),
    })
}

pub async fn import_members(
    host: &impl Host,
    plan: Plan,
    members: Vec<Member>,
    dry_run: bool,
) -> Answer<Vec<MemberOutcome>> {
    Connection::open(host, &plan)?
        .import_members(&members, dry_run)
        .await
}

/// The text of a certificate authority file chosen in the window, to keep in the plan
/// (`sso.ca_pem`); the overview then shows it by fingerprint, or names what is wrong.
pub async fn read_ca(_host: &impl Host, path: std::path::PathBuf) -> Answer<String> {
    let refuse = |detail: String| SsoError::CaFile {
        path: path.display().to_string(),
        detail,
    };
    let size = std::fs::metadata(&path)
        .map_err(|e| refuse(e.to_string()))?
        .len();
    if size > ferry_sso::trust::MAX_PEM as u64 {
        return Err(refuse(format!("{size} bytes is too large for a certificate file")).into());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| refuse(e.to_string()))?;
    ferry_sso::trust::read(&text).map_err(|key| refuse(key.to_owned()))?;
    Ok(text)
}
