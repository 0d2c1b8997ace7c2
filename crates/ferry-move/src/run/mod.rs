//! The move: for each person and kind, the export's items read as a stream and sent
//! to the kind's server, each recorded in the ledger as it lands; then read back.
//!
//! A run can stop at any moment (a crash, `kill -9`, the Stop button) and the next run
//! of the same plan carries on: what the ledger has is skipped without reading the
//! server, and what the ledger lacks is checked on the server before it is written.

mod dav;
mod files;
mod mail;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use ferry_core::moves::LeftBehind;

use crate::error::MoveError;
use crate::ledger::Ledger;
use crate::plan::{MoveSpec, TargetSpec};
use crate::report::{Pacer, Phase, Progress};
use crate::source::{self, Inventory, SourceFile};
use crate::{Kind, KindReport, MoveMode, MoveReport, PersonReport};

/// The passwords a move uses, looked up before it starts (from the OS keyring).
#[derive(Clone, Default)]
pub struct Secrets {
    /// (kind, login) → the person's own password (an app password, usually).
    pub own: HashMap<(Kind, String), String>,
    /// kind → the administrator's login and password (an IMAP master user).
    pub admin: HashMap<Kind, (String, String)>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("own", &self.own.keys().collect::<Vec<_>>())
            .field("admin", &self.admin.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Options of a run.
#[derive(Clone)]
pub struct Options {
    /// Read everything back from the servers afterwards.
    pub verify: bool,
    /// Set to stop between two items.
    pub stop: Arc<AtomicBool>,
    /// How often progress is sent at most.
    pub every: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            verify: true,
            stop: Arc::default(),
            every: Duration::from_millis(200),
        }
    }
}

pub type Sink<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// One person and kind being moved: what the movers share.
pub(crate) struct Job<'a> {
    pub plan: &'a str,
    pub login: &'a str,
    pub kind: Kind,
    pub target: &'a TargetSpec,
    pub ledger: &'a Ledger,
    pub progress: Progress,
    pub pacer: Pacer,
    pub sink: Sink<'a>,
    pub stop: &'a AtomicBool,
    pub secrets: &'a Secrets,
    pub mode: MoveMode,
    pub drive_folder: &'a str,
}

impl Job<'_> {
    pub fn tick(&mut self, force: bool) {
        if force || self.pacer.due() {
            self.progress.seconds_left = self
                .pacer
                .left(self.progress.bytes_done, self.progress.bytes_total);
            (self.sink)(self.progress.clone());
        }
    }

    pub fn stopped(&self) -> Result<(), MoveError> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(MoveError::Stopped);
        }
        Ok(())
    }

    /// The login and password to use for this person and kind.
    pub fn credentials(&self, server: &str) -> Result<(String, Option<String>, String), MoveError> {
        if self.mode == MoveMode::Admin
            && let Some((admin, password)) = self.secrets.admin.get(&self.kind)
        {
            return Ok((self.login.to_owned(), Some(admin.clone()), password.clone()));
        }
        match self.secrets.own.get(&(self.kind, self.login.to_owned())) {
            Some(p) => Ok((self.login.to_owned(), None, p.clone())),
            // The administrator's move lacks the administrator's sign-in, not the person's.
            None if self.mode == MoveMode::Admin => Err(MoveError::NoAdminCredentials {
                server: server.to_owned(),
            }),
            None => Err(MoveError::NoCredentials {
                login: self.login.to_owned(),
                server: server.to_owned(),
            }),
        }
    }
}

/// Reads the export's index and folder listings (nothing moves).
pub async fn inventory(spec: &MoveSpec) -> Result<Inventory, MoveError> {
    let sources = spec.sources.clone();
    tokio::task::spawn_blocking(move || source::scan(&sources))
        .await
        .map_err(|e| MoveError::Read {
            path: String::new(),
            detail: e.to_string(),
        })?
}

/// Moves everything `spec` asks for; answers the report (also after a stop: the
/// error then says so, and the ledger keeps what was done).
pub async fn run(
    plan: &str,
    spec: &MoveSpec,
    secrets: &Secrets,
    ledger_dir: &Path,
    options: &Options,
    sink: Sink<'_>,
) -> Result<MoveReport, MoveError> {
    sink(Progress::new(Phase::Reading));
    let inv = inventory(spec).await?;
    let ledger = Ledger::open_in(ledger_dir)?;
    let mode = match spec.mode {
        MoveMode::Own => "own",
        MoveMode::Admin => "admin",
    };
    let run = ledger.start_run(plan, mode)?;
    let people: Vec<_> = spec
        .people
        .iter()
        .filter(|p| inv.people.contains_key(&p.source))
        .collect();
    for (i, person) in people.iter().enumerate() {
        for target in &spec.targets {
            let files = inv.files_of(&person.source, target.kind);
            if files.is_empty() {
                continue;
            }
            let total: u64 = files.iter().map(|f| f.size).sum();
            let mut progress = Progress::new(Phase::Connecting);
            progress.login = person.login.clone();
            progress.kind = Some(target.kind);
            progress.person_index = i as u32;
            progress.people = people.len() as u32;
            progress.bytes_total = total;
            let mut job = Job {
                plan,
                login: &person.login,
                kind: target.kind,
                target,
                ledger: &ledger,
                progress,
                pacer: Pacer::new(options.every),
                sink,
                stop: &options.stop,
                secrets,
                mode: spec.mode,
                drive_folder: &spec.drive_folder,
            };
            job.tick(true);
            move_kind(&mut job, files).await?;
        }
    }
    ledger.finish_run(run)?;
    let mut report = report(plan, spec, &inv, &ledger)?;
    if options.verify {
        sink(Progress::new(Phase::Verifying));
        crate::verify::verify(plan, spec, secrets, &ledger, &mut report, sink).await?;
    }
    let mut done = Progress::new(Phase::Done);
    done.people = people.len() as u32;
    sink(done);
    Ok(report)
}

async fn move_kind(job: &mut Job<'_>, files: Vec<SourceFile>) -> Result<(), MoveError> {
    job.progress.phase = Phase::Moving;
    match job.kind {
        Kind::Mail => mail::run(job, files).await,
        Kind::Calendar | Kind::Contacts => dav::run(job, files).await,
        Kind::Files => files::run(job, files).await,
    }?;
    job.progress.bytes_done = job.progress.bytes_total;
    job.tick(true);
    Ok(())
}

/// The report from the ledger: per person and kind, counts and reasons.
pub fn report(
    plan: &str,
    spec: &MoveSpec,
    inv: &Inventory,
    ledger: &Ledger,
) -> Result<MoveReport, MoveError> {
    let mut people = Vec::new();
    for person in &spec.people {
        let mut kinds = Vec::new();
        for target in &spec.targets {
            let c = ledger.counts(plan, &person.login, target.kind)?;
            if c.items == 0 && inv.files_of(&person.source, target.kind).is_empty() {
                continue;
            }
            kinds.push(KindReport {
                kind: target.kind,
                app: target.app.clone(),
                in_export: c.items,
                moved: c.moved,
                already_there: c.there,
                not_moved: c.not_moved,
                bytes: c.bytes,
                reasons: c.reasons,
                verified: None,
            });
        }
        if !kinds.is_empty() {
            people.push(PersonReport {
                login: person.login.clone(),
                kinds,
            });
        }
    }
    let mut left: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for p in inv.people.values() {
        for (product, (n, b)) in &p.left {
            let slot = left.entry(product.clone()).or_default();
            slot.0 += n;
            slot.1 = slot.1.saturating_add(*b);
        }
    }
    let started = ledger
        .first_started(plan)?
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    Ok(MoveReport {
        id: plan.to_owned(),
        mode: spec.mode,
        started_at: started,
        finished_at: Some(Utc::now()),
        people,
        left_in_export: left
            .into_iter()
            .filter(|(p, _)| !p.is_empty())
            .map(|(product, (files, bytes))| LeftBehind {
                product,
                files,
                bytes,
            })
            .collect(),
    })
}

pub(crate) fn hex(h: &[u8]) -> String {
    crate::source::ics::hex(h)
}
