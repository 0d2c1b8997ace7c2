//! Moving the data out of a Google export into the new apps (ferry-move), for the
//! window and the command line alike: the passwords in the keyring (never the plan or
//! a file), the move's ledger beside the plan library, the report kept in the plan.

use std::path::PathBuf;

use ferry_core::Plan;
use ferry_move::plan::{MoveSpec, TargetSpec, targets_from_plan};
use ferry_move::run::{Options, Secrets};
use ferry_move::{Kind, MoveMode, MoveReport, Progress, SourceSpec};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// The keyring entry for `login`'s password on the server at `url`.
pub fn password_entry(url: &str, login: &str) -> String {
    format!("move:{}:{login}", url.trim_end_matches('/'))
}

/// The keyring entry for the administrator's login and password on `url` (JSON).
pub fn admin_entry(url: &str) -> String {
    format!("move-admin:{}", url.trim_end_matches('/'))
}

#[derive(Serialize, Deserialize)]
struct AdminLogin {
    login: String,
    password: String,
}

/// Keeps `login`'s password for the server at `url` in the keyring.
pub fn save_password(host: &impl Host, url: &str, login: &str, password: &str) -> Answer<()> {
    Ok(host.keyring().put(&password_entry(url, login), password)?)
}

/// Keeps the administrator's login and password for `url` (e.g. an IMAP master user).
pub fn save_admin(host: &impl Host, url: &str, login: &str, password: &str) -> Answer<()> {
    let text = serde_json::to_string(&AdminLogin {
        login: login.to_owned(),
        password: password.to_owned(),
    })
    .map_err(ApiError::internal)?;
    Ok(host.keyring().put(&admin_entry(url), &text)?)
}

/// The passwords `spec` needs that the keyring has; the move names any missing one
/// (`move.no_credentials`) when it reaches that person.
pub fn secrets(host: &impl Host, spec: &MoveSpec) -> Answer<Secrets> {
    let mut out = Secrets::default();
    for target in &spec.targets {
        for person in &spec.people {
            if let Some(p) = host
                .keyring()
                .get(&password_entry(&target.url, &person.login))?
            {
                out.own.insert((target.kind, person.login.clone()), p);
            }
        }
        if spec.mode == MoveMode::Admin
            && let Some(text) = host.keyring().get(&admin_entry(&target.url))?
            && let Ok(a) = serde_json::from_str::<AdminLogin>(&text)
        {
            out.admin.insert(target.kind, (a.login, a.password));
        }
    }
    Ok(out)
}

/// Where each kind goes for the plan as it is: the apps it chose and their addresses,
/// or why a kind has none (a code to translate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MoveTargets {
    pub targets: Vec<TargetSpec>,
    pub missing: Vec<ferry_core::ErrorPayload>,
    /// The kinds an administrator can move for everyone (their server has an
    /// administrator's sign-in); the others only each person, signed in themselves.
    pub admin: Vec<Kind>,
}

pub async fn targets(_host: &impl Host, plan: Plan) -> Answer<MoveTargets> {
    let mut out = MoveTargets {
        targets: Vec::new(),
        missing: Vec::new(),
        admin: Vec::new(),
    };
    for t in targets_from_plan(&plan) {
        match t {
            Ok(t) => {
                if t.flavour.admin_sign_in() {
                    out.admin.push(t.kind);
                }
                out.targets.push(t);
            }
            Err(e) => out.missing.push(ApiError::from(e).to_payload()),
        }
    }
    Ok(out)
}

/// One person of an export as read from its index (an admin export's folder, named
/// by the person's address; `""` for one person's own Takeout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportPerson {
    pub source: String,
    /// Files Ferry moves, and their bytes.
    pub files: u64,
    pub bytes: u64,
}

/// Whose data the chosen exports hold, from their indexes and folder listings only.
pub async fn people(_host: &impl Host, sources: Vec<SourceSpec>) -> Answer<Vec<ExportPerson>> {
    let inventory = tokio::task::spawn_blocking(move || ferry_move::source::scan(&sources))
        .await
        .map_err(ApiError::internal)??;
    Ok(inventory
        .people
        .iter()
        .map(|(source, p)| ExportPerson {
            source: source.clone(),
            files: p.files.len() as u64,
            bytes: p.files.iter().map(|f| f.size).sum(),
        })
        .collect())
}

/// Keeps the administrator's login and password for one server (the window's command).
pub async fn admin_command(
    host: &impl Host,
    url: String,
    login: String,
    password: String,
) -> Answer<()> {
    save_admin(host, &url, &login, &password)
}

/// The plan with the move's report added, and the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Moved {
    pub plan: Plan,
    pub report: MoveReport,
}

/// The move's ledger folder: beside the plan library.
fn ledger_dir(host: &impl Host) -> Answer<PathBuf> {
    host.with_library(|lib| {
        Ok(lib
            .path()
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default())
    })
}

/// The window's command: the move with the passwords in the keyring, the report kept
/// with the plan in the library; progress as it goes.
pub async fn run_command(
    host: &impl Host,
    plan: Plan,
    spec: MoveSpec,
    events: crate::declare::Events<'_, Progress>,
) -> Answer<Moved> {
    run(
        host,
        plan,
        &spec,
        &Options::default(),
        |p| host.with_library(|lib| lib.save_edit(p)).map(|s| s.plan),
        &|p| events.send(&p),
    )
    .await
}

/// Keeps a password for the move (the window's command).
pub async fn password_command(
    host: &impl Host,
    url: String,
    login: String,
    password: String,
) -> Answer<()> {
    save_password(host, &url, &login, &password)
}

/// Moves what `spec` asks for; the report goes into the plan, which `keep` saves
/// (the library, or the plan file). Stopped or failed, the ledger keeps what moved:
/// the next run carries on without copying anything twice.
pub async fn run(
    host: &impl Host,
    mut plan: Plan,
    spec: &MoveSpec,
    options: &Options,
    mut keep: impl FnMut(&Plan) -> Answer<Plan>,
    sink: &(dyn Fn(Progress) + Send + Sync),
) -> Answer<Moved> {
    let secrets = secrets(host, spec)?;
    let dir = ledger_dir(host)?;
    // The move holds its ledger (SQLite) across its awaits, so its future cannot move
    // between threads; it runs on a thread of its own, its progress sent over here.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (plan_id, spec, options) = (plan.id.to_string(), spec.clone(), options.clone());
    let handle = tokio::runtime::Handle::current();
    let task = tokio::task::spawn_blocking(move || {
        let send = move |p: Progress| {
            let _ = tx.send(p);
        };
        handle.block_on(ferry_move::run::run(
            &plan_id, &spec, &secrets, &dir, &options, &send,
        ))
    });
    while let Some(p) = rx.recv().await {
        sink(p);
    }
    let report = task.await.map_err(ApiError::internal)??;
    plan.deploy.moves.push(report.clone());
    plan = keep(&plan)?;
    Ok(Moved { plan, report })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_server_and_person_has_an_entry_of_its_own() {
        assert_eq!(
            password_entry("https://cloud.lag.example/", "ola"),
            password_entry("https://cloud.lag.example", "ola")
        );
        assert_ne!(
            password_entry("https://cloud.lag.example", "ola"),
            password_entry("imaps://mail.lag.example", "ola")
        );
        assert_ne!(
            password_entry("https://cloud.lag.example", "ola"),
            password_entry("https://cloud.lag.example", "kari")
        );
    }
}
