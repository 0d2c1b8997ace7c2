//! The conformance scenarios: what single sign-on must do on a provider as it is in
//! the world, written once and run against the contract servers (`tests/contract.rs`)
//! and the real Keycloak (`tests/keycloak.rs`), both in `make test`, and against the
//! real Rauthy and Authentik (`tests/real.rs`, opt-in). Each scenario starts from a
//! fresh provider and returns what went wrong, if anything.

#![allow(dead_code)]

pub mod admin;
pub mod browser;
pub mod flows;
pub mod keycloak_server;
pub mod mail_sink;
pub mod orgs;
pub mod people;
pub mod real;

use std::sync::Arc;
use std::time::Duration;

use ferry_core::Plan;
use ferry_core::model::{Decision, IdpKind, PlanId};
use ferry_sso::apply::{ApplyReport, apply};
use ferry_sso::desired::{Desired, from_plan};
use ferry_sso::diff::{Change, Extras, Preview};
use ferry_sso::members::{import, parse_csv};
use ferry_sso::provider::{AnyProvider, Credentials, Provider};
use ferry_sso::secrets::{MemoryStore, SecretStore, client_secret_key};
use ferry_sso::verify::{AppCheck, AppProblem, verify};
use ferry_sso::{Options, connect};

pub use admin::Admin;
#[allow(unused_imports)]
pub use flows::keycloak_flows_owned;
#[allow(unused_imports)]
pub use orgs::{earlier_ferry_adopted, orphans_named, two_organisations};
#[allow(unused_imports)]
pub use people::{dry_run_tells_refusal, member_link_sign_in, names_kept};

/// Calls `$run!` with every scenario that runs on every provider: the contract servers,
/// the real Keycloak and the real Rauthy and Authentik all take this list, so a scenario
/// added here runs on each of them with no more work.
#[macro_export]
macro_rules! every_scenario {
    ($run:ident) => {
        $run!(
            fresh_apply_then_nothing,
            admin_edits_kept,
            many_groups,
            rotated_secret,
            mixed_case_email,
            access_by_group,
            disabled_and_foreign_redirect,
            two_organisations,
            earlier_ferry_adopted,
            orphans_named,
            member_link_sign_in,
            names_kept,
            dry_run_tells_refusal
        );
    };
}

/// Runs the named scenarios on a real provider one after the other, each from a
/// provider without what earlier ones made (`reset`), and prints a row of the results
/// table (docs/sso-conformance.md) for each; the failed ones' names go into `$failed`.
/// `FERRY_REAL_ONLY=a,b` runs only those (a rerun after a fix).
#[macro_export]
macro_rules! run_on_real {
    ($t:expr, $admin:expr, $failed:expr; $($name:ident),* $(,)?) => {{
        let only = conformance::only();
        $(
            if only.is_empty() || only.iter().any(|o| o == stringify!($name)) {
                $admin.reset($t).await.expect("removes what earlier scenarios made");
                let started = std::time::Instant::now();
                let result = conformance::$name($t).await;
                let ms = started.elapsed().as_millis();
                match &result {
                    Ok(()) => println!("| {} | passed | {ms} ms |", stringify!($name)),
                    Err(e) => {
                        println!("| {} | FAILED: {e} | {ms} ms |", stringify!($name));
                        $failed.push(stringify!($name));
                    }
                }
            }
        )*
    }};
}

/// The scenarios `FERRY_REAL_ONLY` names (all when it is unset).
pub fn only() -> Vec<String> {
    std::env::var("FERRY_REAL_ONLY")
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// The organisation name the issue names: every character Rauthy refuses in a name.
pub const ORG: &str = "Foreningen for Barn & Unge e.V. (Bergen)";
/// The apps every scenario's organisation chose (Jitsi cannot sign in: no client).
pub const APPS: [(&str, &str); 4] = [
    ("files", "nextcloud"),
    ("wiki", "outline"),
    ("knowledge_base", "bookstack"),
    ("video_meetings", "jitsi"),
];

/// One organisation on the provider: its name, its plan's id (kept, so that its
/// objects stay its own from one run to the next), its apps' domain and choices.
#[derive(Clone)]
pub struct Org {
    pub name: String,
    pub plan_id: PlanId,
    /// Apps on this domain (a real provider is shared by several runs: each uses its own).
    pub domain: String,
    pub apps: Vec<(String, String)>,
    /// Client ids an earlier Ferry gave the plan's apps (its kept results).
    pub earlier: bool,
}

impl Org {
    pub fn new(name: &str, domain: &str) -> Org {
        Org {
            name: name.to_owned(),
            plan_id: PlanId::new(),
            domain: domain.to_owned(),
            apps: APPS
                .iter()
                .map(|(n, r)| ((*n).to_owned(), (*r).to_owned()))
                .collect(),
            earlier: false,
        }
    }
}

/// Where the provider is and how Ferry signs in to it, for one organisation.
#[derive(Clone)]
pub struct Target {
    pub kind: IdpKind,
    pub url: String,
    pub credentials: Credentials,
    pub options: Options,
    pub org: Org,
    pub admin: Arc<Admin>,
}

impl Target {
    /// The same provider, for another organisation.
    pub fn for_org(&self, org: Org) -> Target {
        Target {
            org,
            ..self.clone()
        }
    }

    /// The plan's id, as the secret store knows it.
    pub fn plan_id(&self) -> String {
        self.org.plan_id.to_string()
    }

    pub fn plan(&self) -> Plan {
        let mut plan = Plan::new(&self.org.name, ferry_core::Language::Nb).unwrap();
        plan.id = self.org.plan_id;
        for (need, recipe) in &self.org.apps {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: recipe.into(),
                },
            );
        }
        plan.sso.idp = Some(self.kind);
        plan.sso.url = self.url.clone();
        plan.deploy.base_domain = self.org.domain.clone();
        if self.org.earlier {
            // What an earlier Ferry kept after verifying: bare recipes as client ids.
            plan.sso.results = self
                .org
                .apps
                .iter()
                .map(|(_, r)| ferry_core::model::SsoAppResult {
                    recipe: r.clone(),
                    client_id: r.clone(),
                    works: true,
                    problem: None,
                })
                .collect();
        }
        plan
    }

    /// This organisation's client id for an app.
    pub fn client_id(&self, recipe: &str) -> String {
        self.desired()
            .clients
            .into_iter()
            .find(|c| c.recipe == recipe)
            .map(|c| c.client_id)
            .unwrap_or_else(|| recipe.to_owned())
    }

    pub fn desired(&self) -> Desired {
        from_plan(&self.plan()).expect("the plan is ready for sign-on")
    }

    pub fn provider(&self) -> AnyProvider {
        connect(
            self.kind,
            &self.url,
            &self.desired().realm,
            self.credentials.clone(),
            self.options.clone(),
        )
        .expect("connects")
    }
}

/// One plan → diff → apply, as the app and the CLI do it.
pub async fn apply_once(t: &Target, store: &MemoryStore) -> (Vec<Change>, ApplyReport) {
    apply_with(t, store, Extras::default()).await
}

/// What the preview shows before an apply.
pub async fn preview(t: &Target, extras: Extras) -> Preview {
    let desired = t.desired();
    let current = t
        .provider()
        .read(&desired)
        .await
        .expect("reads the provider");
    Preview::new(&desired, &current, extras)
}

/// An apply with what a person asked for besides (orphans removed, a recovery flow).
pub async fn apply_with(
    t: &Target,
    store: &MemoryStore,
    extras: Extras,
) -> (Vec<Change>, ApplyReport) {
    let desired = t.desired();
    let provider = t.provider();
    let current = provider.read(&desired).await.expect("reads the provider");
    let changes = ferry_sso::diff::diff_with(&desired, &current, extras);
    let desired = desired.without(&current.conflicts);
    let report = apply(&provider, &desired, &changes, store, &t.plan_id(), &|_| {}).await;
    (changes, report)
}

pub async fn verify_all(t: &Target, store: &MemoryStore) -> Vec<AppCheck> {
    verify(&t.provider(), &t.desired(), store, &t.plan_id()).await
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

fn all_work(checks: &[AppCheck]) -> Result<(), String> {
    let bad: Vec<String> = checks
        .iter()
        .filter(|c| !c.works())
        .map(|c| format!("{}: {:?}", c.client_id, c.problems))
        .collect();
    check(bad.is_empty(), || {
        format!("not working: {}", bad.join("; "))
    })
}

/// A fresh apply makes every client (names within the provider's rules), every app
/// signs in as far as the login page, and a second apply plans and sends nothing.
pub async fn fresh_apply_then_nothing(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    let (changes, report) = apply_once(t, &store).await;
    check(report.all_ok(), || {
        format!("first apply failed: {report:?}")
    })?;
    let clients = changes
        .iter()
        .filter(|c| matches!(c, Change::CreateClient { .. }))
        .count();
    check(clients == 3, || format!("{clients} clients created, not 3"))?;
    all_work(&verify_all(t, &store).await)?;
    let (again, report) = apply_once(t, &store).await;
    check(again.is_empty(), || {
        format!("second apply planned {again:?}")
    })?;
    check(report.writes == 0, || {
        format!("second apply sent {} writes", report.writes)
    })
}

/// What an administrator changed by hand stays after an apply that repairs Ferry's part.
pub async fn admin_edits_kept(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    let (_, report) = apply_once(t, &store).await;
    check(report.all_ok(), || {
        format!("first apply failed: {report:?}")
    })?;
    let id = t.client_id("bookstack");
    t.admin.hand_edit(t, &id).await?;
    let (changes, report) = apply_once(t, &store).await;
    check(report.all_ok(), || {
        format!("repairing apply failed: {report:?}")
    })?;
    check(changes.iter().any(|c| c.subject() == id), || {
        format!("the removed return address was not noticed: {changes:?}")
    })?;
    t.admin.hand_edits_still_there(t, &id).await?;
    all_work(&verify_all(t, &store).await)
}

/// More groups than one page holds: read to the end, nothing planned twice. On
/// Keycloak the groups are in the organisation's realm, which is Ferry's to fill only
/// when Ferry made it: a realm an administrator made by hand is named as not the
/// organisation's and left alone.
pub async fn many_groups(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    match t.kind {
        IdpKind::Keycloak => {
            let by_hand = t.for_org(Org::new("Laget for hånd", "for-hand.example"));
            t.admin.add_groups(&by_hand, 1).await?;
            let shown = preview(&by_hand, Extras::default()).await;
            check(
                shown.changes.is_empty()
                    && shown.conflicts.iter().any(|c| {
                        c.what == ferry_sso::owner::ObjectKind::Realm && c.owner.is_none()
                    }),
                || {
                    format!(
                        "a realm made by hand was not left alone: {:?} {:?}",
                        shown.changes, shown.conflicts
                    )
                },
            )?;
            let (_, report) = apply_once(t, &store).await;
            check(report.all_ok(), || {
                format!("first apply failed: {report:?}")
            })?;
            t.admin.add_groups(t, 120).await?;
        }
        IdpKind::Authentik | IdpKind::Rauthy => {
            t.admin.add_groups(t, 120).await?;
            let (_, report) = apply_once(t, &store).await;
            check(report.all_ok(), || {
                format!("first apply failed: {report:?}")
            })?;
        }
    }
    let (again, report) = apply_once(t, &store).await;
    check(again.is_empty(), || {
        format!("second apply planned {again:?}")
    })?;
    check(report.writes == 0, || format!("{} writes", report.writes))
}

/// A secret rotated on the provider: verify names it, apply fetches the new one.
pub async fn rotated_secret(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    apply_once(t, &store).await;
    let nc_id = t.client_id("nextcloud");
    let fresh = t.admin.rotate_secret(t, &nc_id).await?;
    let checks = verify_all(t, &store).await;
    let nc = checks.iter().find(|c| c.recipe == "nextcloud").unwrap();
    check(nc.problems.contains(&AppProblem::SecretChanged), || {
        format!("verify did not see the new secret: {:?}", nc.problems)
    })?;
    let (_, report) = apply_once(t, &store).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    let kept = store
        .get(&client_secret_key(&t.plan_id(), &nc_id))
        .ok()
        .flatten();
    check(kept.as_deref() == Some(fresh.as_str()), || {
        "apply kept the old secret".into()
    })?;
    all_work(&verify_all(t, &store).await)
}

/// An application with the app's client id serving another provider: Ferry names it
/// as someone else's before changing anything, makes no client nobody could use, and
/// verify never says "works" for it.
pub async fn existing_slug(t: &Target) -> Result<(), String> {
    let id = t.client_id("bookstack");
    t.admin.add_foreign_app(t, &id).await?;
    let shown = preview(t, Extras::default()).await;
    check(
        shown
            .conflicts
            .iter()
            .any(|c| c.name == id && c.owner.is_none()),
        || format!("the other application was not named: {:?}", shown.conflicts),
    )?;
    check(!shown.changes.iter().any(|c| c.subject() == id), || {
        format!("Ferry planned to change it: {:?}", shown.changes)
    })?;
    let store = MemoryStore::default();
    let (_, report) = apply_once(t, &store).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    check(!t.admin.has_client(t, &id).await?, || {
        format!("an orphan client {id} was made")
    })?;
    let checks = verify_all(t, &store).await;
    let b = checks.iter().find(|c| c.recipe == "bookstack").unwrap();
    check(
        b.problems.contains(&AppProblem::Taken { owner: None }),
        || format!("verify did not say whose it is: {:?}", b.problems),
    )
}

/// A member whose address an administrator typed with capitals is found, not doubled.
pub async fn mixed_case_email(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    apply_once(t, &store).await;
    t.admin
        .add_user(t, "Kari.Nordmann@Example.org", "Kari Nordmann")
        .await?;
    let desired = t.desired();
    let list = parse_csv(
        "name,email,groups\nKari Nordmann,kari.nordmann@example.org,board\n",
        &desired.groups,
    )
    .map_err(|e| e.to_string())?;
    let done = import(&t.provider(), &list.members, &desired.clients, false).await;
    check(done[0].error.is_none(), || format!("{:?}", done[0]))?;
    check(!done[0].created, || "a second account was made".into())?;
    let n = t
        .admin
        .users_with_email(t, "kari.nordmann@example.org")
        .await?;
    check(n == 1, || format!("{n} accounts with that address"))
}

/// Where the provider can enforce it, someone only in `app-outline` may use Outline
/// and not Nextcloud.
pub async fn access_by_group(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    let (_, report) = apply_once(t, &store).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    let desired = t.desired();
    let list = parse_csv(
        "name,email,groups\nOla Outline,ola@example.org,app-outline\n",
        &desired.groups,
    )
    .map_err(|e| e.to_string())?;
    let done = import(&t.provider(), &list.members, &desired.clients, false).await;
    check(done[0].error.is_none(), || format!("{:?}", done[0]))?;
    let enforced = desired.clients.iter().all(|c| c.access_enforced);
    let outline = t
        .admin
        .can_sign_in(t, "ola@example.org", &t.client_id("outline"))
        .await?;
    let nextcloud = t
        .admin
        .can_sign_in(t, "ola@example.org", &t.client_id("nextcloud"))
        .await?;
    check(outline, || "Ola may not use Outline".into())?;
    check(nextcloud != enforced, || {
        format!("Nextcloud access {nextcloud} but the plan says enforced = {enforced}")
    })
}

/// A client switched off, and one whose return addresses someone widened, are named
/// problems, never "works".
pub async fn disabled_and_foreign_redirect(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    apply_once(t, &store).await;
    t.admin
        .add_redirect(t, &t.client_id("outline"), "https://attacker.invalid/cb")
        .await?;
    let checks = verify_all(t, &store).await;
    let o = checks.iter().find(|c| c.recipe == "outline").unwrap();
    check(
        o.problems
            .iter()
            .any(|p| matches!(p, AppProblem::ForeignRedirect { .. })),
        || format!("a foreign return address went unnoticed: {:?}", o.problems),
    )?;
    if t.admin.disable(t, &t.client_id("nextcloud")).await? {
        let checks = verify_all(t, &store).await;
        let n = checks.iter().find(|c| c.recipe == "nextcloud").unwrap();
        check(n.problems.contains(&AppProblem::Disabled), || {
            format!("a disabled client went unnoticed: {:?}", n.problems)
        })?;
        check(
            n.problems
                .iter()
                .any(|p| matches!(p, AppProblem::SignInRefused { .. })),
            || {
                format!(
                    "the test sign-in passed a disabled client: {:?}",
                    n.problems
                )
            },
        )?;
    }
    Ok(())
}

/// Quick retries for tests.
pub fn options() -> Options {
    Options {
        retries: 2,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(20),
        ..Options::default()
    }
}
