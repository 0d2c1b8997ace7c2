//! From a finished plan to apps that sign in, without anyone handling a secret: the
//! sign-in service is ordered first with a key made for its order, its admin
//! credential comes back sealed and goes to the keyring, single sign-on is set up and
//! verified, then the apps are ordered with their client secrets and followed.
//!
//! Every step first looks at what the plan (and the keyring) says is done, so the
//! path can stop anywhere — a closed window, `kill -9`, a co-op that does not answer —
//! and the next run continues: nothing is ordered twice, nothing is lost.

use ferry_core::Plan;
use ferry_core::model::{IdpKind, OrderRecord, SignInOrder};
use ferry_hosting::handover::{HandoverLogin, SealKey};
use ferry_hosting::{AppState, Handover, OrderStatus};
use ferry_sso::provider::{Credentials, Secret};
use ferry_sso::secrets::SecretStore;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::declare::Events;
use crate::deploy::{Coop, order, order_id, pending_record, send};
use crate::sso::Connection;
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// The steps of the path, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ArriveStep {
    /// The sign-in service's order is sent (with the key its credential is sealed to).
    OrderSignIn,
    /// The co-op deploys it.
    DeploySignIn,
    /// Its admin credential is opened and kept in the keyring.
    ReceiveKey,
    /// Groups and one client per app are set up on it, then each app is checked.
    SetUpSignOn,
    /// The apps are ordered with their client secrets.
    OrderApps,
    /// The co-op deploys them.
    DeployApps,
    Done,
}

impl ArriveStep {
    pub const ALL: [ArriveStep; 7] = [
        ArriveStep::OrderSignIn,
        ArriveStep::DeploySignIn,
        ArriveStep::ReceiveKey,
        ArriveStep::SetUpSignOn,
        ArriveStep::OrderApps,
        ArriveStep::DeployApps,
        ArriveStep::Done,
    ];
}

/// What the person watching sees: the step under way and, while the co-op works,
/// its order's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ArriveProgress {
    pub step: ArriveStep,
    pub status: Option<OrderStatus>,
}

/// Where the path stopped: at `Done`, or at a step that needs the co-op or a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Arrived {
    pub plan: Plan,
    pub step: ArriveStep,
    /// The apps that passed the sign-in check.
    pub verified: Vec<String>,
    /// The apps' order as last seen.
    pub apps: Option<OrderStatus>,
}

/// What the window shows before and between runs: where the path would continue,
/// and the sign-in service it orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ArriveOutlook {
    pub next: ArriveStep,
    pub idp: IdpKind,
    /// `None` until the plan has a domain.
    pub domain: Option<String>,
}

/// Where the path continues for `plan`, from what the plan records (the same checks
/// [`arrive`] makes before each step).
pub fn next_step(plan: &Plan) -> ArriveStep {
    let Some(sign_in) = &plan.deploy.sign_in else {
        return ArriveStep::OrderSignIn;
    };
    if sign_in.order.order_id.is_none() {
        return ArriveStep::OrderSignIn;
    }
    let Some(received_at) = sign_in.received_at else {
        return ArriveStep::DeploySignIn;
    };
    let apps = plan
        .deploy
        .orders
        .iter()
        .rev()
        .find(|o| o.order_id.is_some() && o.submitted_at >= received_at);
    // Sign-on is set up when it was checked since the key came and every app passed:
    // the apps are not ordered with a sign-in that does not work.
    let checked = plan.sso.verified_at.is_some_and(|v| v >= received_at)
        && plan.sso.results.iter().all(|r| r.works);
    match apps {
        None if !checked => ArriveStep::SetUpSignOn,
        None => ArriveStep::OrderApps,
        Some(o) if !o.status.as_ref().is_some_and(OrderStatus::is_final) => ArriveStep::DeployApps,
        Some(_) => ArriveStep::Done,
    }
}

/// The window's outlook on the path for the plan as it is on screen.
pub async fn outlook(_host: &impl Host, plan: Plan) -> Answer<ArriveOutlook> {
    Ok(ArriveOutlook {
        next: next_step(&plan),
        idp: plan
            .deploy
            .sign_in
            .as_ref()
            .map_or_else(|| chosen_idp(&plan), |s| s.idp),
        domain: ferry_core::deploy::sign_in_domain(&plan),
    })
}

/// The keyring entry for the private key of a plan's sign-in service order.
pub fn seal_key_entry(plan_id: &str, idempotency_key: &str) -> String {
    format!("sign-in-seal:{plan_id}:{idempotency_key}")
}

/// The sign-in service the plan chose, or the one Ferry suggests for it.
fn chosen_idp(plan: &Plan) -> IdpKind {
    plan.sso
        .idp
        .unwrap_or_else(|| ferry_sso::session::suggest(plan).idp)
}

/// Runs the path from wherever the plan says it stopped ([`next_step`]), one step at a
/// time, keeping the plan after each. `keep` saves the plan (the library, or the plan
/// file) and answers it as saved; `events` hears each step as it starts.
pub async fn arrive(
    host: &impl Host,
    mut plan: Plan,
    coop: &Coop,
    mut keep: impl FnMut(&Plan) -> Answer<Plan>,
    events: &(dyn Fn(ArriveProgress) + Send + Sync),
) -> Answer<Arrived> {
    let say = |step, status: Option<&OrderStatus>| {
        events(ArriveProgress {
            step,
            status: status.cloned(),
        })
    };
    let mut apps = None;
    confirm_receipt(host, &plan, coop).await?;
    loop {
        let step = next_step(&plan);
        say(step, None);
        plan = match step {
            ArriveStep::OrderSignIn => order_sign_in(host, plan, coop, &mut keep).await?,
            ArriveStep::DeploySignIn | ArriveStep::ReceiveKey => {
                let status = follow_sign_in(&plan, coop, &say).await?;
                say(ArriveStep::ReceiveKey, Some(&status));
                let plan = receive(host, plan, &status, &mut keep)?;
                confirm_receipt(host, &plan, coop).await?;
                plan
            }
            ArriveStep::SetUpSignOn => {
                // Apply changes nothing that is already right, then checks every app.
                let connection = Connection::open(host, &plan)?;
                let outcome = connection
                    .apply(host, plan, Default::default(), &|_| {})
                    .await?;
                let plan = keep(&outcome.plan)?;
                let failing: Vec<&str> = plan
                    .sso
                    .results
                    .iter()
                    .filter(|r| !r.works)
                    .map(|r| r.recipe.as_str())
                    .collect();
                if !failing.is_empty() {
                    // The results are in the plan: the Single sign-on step shows why.
                    return Err(ApiError::SignOnFailed {
                        apps: failing.join(", "),
                    });
                }
                plan
            }
            ArriveStep::OrderApps => order(host, plan, coop, &mut keep).await?.plan,
            ArriveStep::DeployApps => {
                let at = apps_order(&plan).expect("next_step found it");
                let id = order_id(
                    plan.deploy.orders[at]
                        .order_id
                        .as_deref()
                        .unwrap_or_default(),
                )?;
                let status = coop
                    .client
                    .follow(id, |s| say(ArriveStep::DeployApps, Some(s)))
                    .await?;
                plan.deploy.orders[at].status = Some(status);
                keep(&plan)?
            }
            ArriveStep::Done => break,
        };
        if next_step(&plan) == step {
            return Err(ApiError::internal(format!(
                "the step {step:?} did not get done"
            )));
        }
    }
    if let Some(at) = apps_order(&plan) {
        apps = plan.deploy.orders[at].status.clone();
    }
    let verified = plan
        .sso
        .results
        .iter()
        .filter(|r| r.works)
        .map(|r| r.recipe.clone())
        .collect();
    Ok(Arrived {
        plan,
        step: ArriveStep::Done,
        verified,
        apps,
    })
}

/// The apps' order sent after the sign-in service's credential arrived.
fn apps_order(plan: &Plan) -> Option<usize> {
    let received_at = plan.deploy.sign_in.as_ref()?.received_at?;
    plan.deploy
        .orders
        .iter()
        .rposition(|o| o.order_id.is_some() && o.submitted_at >= received_at)
}

/// Step 1: the sign-in service's order, its key in the keyring and its record in the
/// plan before anything is sent; sent (again, after a stop) under its own key.
async fn order_sign_in(
    host: &impl Host,
    mut plan: Plan,
    coop: &Coop,
    keep: &mut impl FnMut(&Plan) -> Answer<Plan>,
) -> Answer<Plan> {
    let plan_id = plan.id.to_string();
    if plan.deploy.sign_in.is_none() {
        let idp = chosen_idp(&plan);
        let record = pending_record(host, coop);
        let key = SealKey::generate();
        let request = ferry_core::deploy::sign_in_request(&plan, idp, &key.public())
            .map_err(|problems| ApiError::DeployNotReady { problems })?;
        host.vault().put(
            &seal_key_entry(&plan_id, &record.idempotency_key),
            &key.to_secret(),
        )?;
        plan.deploy.sign_in = Some(SignInOrder {
            idp,
            domain: request.apps[0].domain.clone(),
            order: record,
            received_at: None,
        });
        plan = keep(&plan)?;
    }
    let sign_in = plan.deploy.sign_in.clone().expect("recorded above");
    let key = seal_key(host, &plan_id, &sign_in.order)?;
    let request = ferry_core::deploy::sign_in_request(&plan, sign_in.idp, &key.public())
        .map_err(|problems| ApiError::DeployNotReady { problems })?;
    let sent = send(coop, &sign_in.order, &request).await?;
    if let Some(s) = plan.deploy.sign_in.as_mut() {
        s.order = sent;
    }
    keep(&plan)
}

/// Steps 2: the sign-in service's order followed until it is final.
async fn follow_sign_in(
    plan: &Plan,
    coop: &Coop,
    say: &impl Fn(ArriveStep, Option<&OrderStatus>),
) -> Answer<OrderStatus> {
    let sign_in = plan.deploy.sign_in.as_ref().expect("ordered");
    let id = order_id(sign_in.order.order_id.as_deref().unwrap_or_default())?;
    Ok(coop
        .client
        .follow(id, |s| say(ArriveStep::DeploySignIn, Some(s)))
        .await?)
}

/// Step 3: the sealed credential opened and kept in the keyring, the provider's kind
/// and address filled in; the plan kept. A service that did not deploy stops here.
fn receive(
    host: &impl Host,
    mut plan: Plan,
    status: &OrderStatus,
    keep: &mut impl FnMut(&Plan) -> Answer<Plan>,
) -> Answer<Plan> {
    let plan_id = plan.id.to_string();
    let sign_in = plan.deploy.sign_in.clone().expect("ordered");
    if let Some(s) = plan.deploy.sign_in.as_mut() {
        s.order.status = Some(status.clone());
    }
    let Some(app) = status
        .apps
        .first()
        .filter(|a| a.state == AppState::Deployed)
    else {
        keep(&plan)?;
        return Err(ApiError::SignInNotDeployed {
            state: status
                .apps
                .first()
                .map_or("missing", |a| a.state.as_str())
                .to_owned(),
        });
    };
    let handover = app.handover.clone().ok_or(ApiError::HandoverMissing)?;
    let sealed = handover
        .sealed
        .as_deref()
        .ok_or(ApiError::HandoverMissing)?;
    let secret = seal_key(host, &plan_id, &sign_in.order)?
        .open(sealed)
        .map_err(|_| ApiError::HandoverUnopenable)?;
    host.vault()
        .save_admin(&plan_id, &credentials(&handover, secret))?;
    host.session().forget_sign_in(&plan_id);
    plan.sso.idp = Some(sign_in.idp);
    plan.sso.url = address(&handover, &sign_in.domain, &sign_in.order.api_url);
    if let Some(s) = plan.deploy.sign_in.as_mut() {
        s.received_at = Some(host.now());
    }
    keep(&plan)
}

/// Tells the co-op the credential arrived, once the plan says it is kept (a stop in
/// between tells it next time); the order's private key is not needed after that.
async fn confirm_receipt(host: &impl Host, plan: &Plan, coop: &Coop) -> Answer<()> {
    let Some(sign_in) = plan
        .deploy
        .sign_in
        .as_ref()
        .filter(|s| s.received_at.is_some())
    else {
        return Ok(());
    };
    let entry = seal_key_entry(&plan.id.to_string(), &sign_in.order.idempotency_key);
    if host.vault().get(&entry)?.is_some() {
        let id = order_id(sign_in.order.order_id.as_deref().unwrap_or_default())?;
        coop.client.handover_received(id, 0).await?;
        host.vault().delete(&entry)?;
    }
    Ok(())
}

/// The private key of the sign-in service's order, from the keyring.
fn seal_key(host: &impl Host, plan_id: &str, record: &OrderRecord) -> Answer<SealKey> {
    let text = host
        .vault()
        .get(&seal_key_entry(plan_id, &record.idempotency_key))?
        .ok_or(ApiError::SealKeyLost)?;
    SealKey::from_secret(&text).map_err(|_| ApiError::SealKeyLost)
}

fn credentials(handover: &Handover, secret: String) -> Credentials {
    match handover.login {
        HandoverLogin::Password => Credentials::Password {
            username: handover.username.clone().unwrap_or_else(|| "admin".into()),
            password: Secret::new(secret),
        },
        // Rauthy's API key is `<name>$<secret>`; the co-op hands over the name in clear.
        HandoverLogin::Token => Credentials::Token {
            token: Secret::new(match &handover.username {
                Some(name) => format!("{name}${secret}"),
                None => secret,
            }),
        },
    }
}

/// Whether `url` names this computer.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    }
}

/// Where the sign-in service answers: the co-op's address when it is the service's
/// own domain over HTTPS, or this computer when the co-op's server is on this
/// computer too (a test set-up); otherwise — an address pointing anywhere else, or a
/// co-op out there pointing at this computer's own services, is not trusted —
/// `https://<domain>`.
pub fn address(handover: &Handover, domain: &str, coop_api: &str) -> String {
    let own = format!("https://{domain}");
    let Ok(url) = url::Url::parse(handover.address.trim()) else {
        return own;
    };
    let coop_here = url::Url::parse(coop_api).is_ok_and(|c| is_loopback(&c));
    let loopback = coop_here && is_loopback(&url);
    let same = url.scheme() == "https" && url.host_str() == Some(domain);
    if (same || (loopback && matches!(url.scheme(), "http" | "https")))
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
    {
        url.as_str().trim_end_matches('/').to_owned()
    } else {
        own
    }
}

/// The window's command: the path with the co-op of a saved profile, the plan kept
/// in the library at each step.
pub async fn run(
    host: &impl Host,
    plan: Plan,
    coop_id: String,
    events: Events<'_, ArriveProgress>,
) -> Answer<Arrived> {
    let coop = Coop::from_profile(host, &coop_id)?;
    arrive(
        host,
        plan,
        &coop,
        |p| {
            host.with_library(|lib| lib.save_edit(p))
                .map(|saved| saved.plan)
        },
        &|p| events.send(&p),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn handover(address: &str) -> Handover {
        Handover {
            login: HandoverLogin::Password,
            username: Some("admin".into()),
            address: address.into(),
            sealed: None,
        }
    }

    #[test]
    fn only_the_services_own_domain_or_this_computer_is_believed() {
        let d = "login.lag.example";
        let addr = |a: &str| address(&handover(a), d, "http://127.0.0.1:8787");
        assert_eq!(
            addr("https://login.lag.example/"),
            "https://login.lag.example"
        );
        assert_eq!(
            addr("https://login.lag.example/auth"),
            "https://login.lag.example/auth"
        );
        assert_eq!(addr("http://127.0.0.1:21080"), "http://127.0.0.1:21080");
        assert_eq!(addr("http://localhost:8080/"), "http://localhost:8080");
        for elsewhere in [
            "http://login.lag.example",
            "https://evil.example",
            "https://login.lag.example.evil.example",
            "https://user:pw@login.lag.example",
            "https://login.lag.example/?next=evil",
            "ftp://127.0.0.1",
            "not an address",
            "",
        ] {
            assert_eq!(addr(elsewhere), "https://login.lag.example", "{elsewhere}");
        }
        // A co-op out there cannot point Ferry at this computer's own services.
        let out_there = |a: &str| address(&handover(a), d, "https://api.coop.example");
        assert_eq!(
            out_there("http://127.0.0.1:631"),
            "https://login.lag.example"
        );
        assert_eq!(out_there("https://localhost/"), "https://login.lag.example");
        assert_eq!(
            out_there("https://login.lag.example/auth"),
            "https://login.lag.example/auth"
        );
    }

    #[test]
    fn a_token_or_a_user_and_password() {
        let mut h = handover("https://x.example");
        assert!(matches!(
            credentials(&h, "pw".into()),
            Credentials::Password { username, .. } if username == "admin"
        ));
        h.login = HandoverLogin::Token;
        h.username = None;
        let token = |c| match c {
            Credentials::Token { token } => token.expose().to_owned(),
            _ => panic!("a token"),
        };
        assert_eq!(token(credentials(&h, "t0k".into())), "t0k");
        h.username = Some("ferry".into());
        assert_eq!(
            token(credentials(&h, "s3cret".into())),
            "ferry$s3cret",
            "Rauthy's form"
        );
    }

    #[test]
    fn each_plan_and_order_has_its_own_keyring_entry() {
        let a = seal_key_entry(&Uuid::nil().to_string(), "k1");
        assert_ne!(a, seal_key_entry(&Uuid::nil().to_string(), "k2"));
        assert!(a.starts_with("sign-in-seal:"));
    }
}
