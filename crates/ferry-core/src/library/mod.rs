//! The local library of plans: one SQLite file in the user's data folder.
//!
//! Every change is one transaction. WAL with `synchronous=FULL` means a plan is
//! either at its last committed version or at the one before, whatever happens
//! to the process (see the crash-safety test).

mod drafts;
mod migrations;
mod room;

pub use room::{Participant, ProposalCounts, ProposalDecision, Removals, Removed, RoomPerson};

pub use drafts::{Draft, SaveOutcome};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::exchange;
use crate::model::plan::{self, Language, Plan, PlanId, check_plan_name};

pub const FILE_NAME: &str = "library.sqlite3";
/// Environment variable that moves the library (used by the CLI, the app and tests).
pub const DATA_DIR_ENV: &str = "FERRY_DATA_DIR";

/// Where the library lives: `$FERRY_DATA_DIR`, else the OS data folder
/// (`~/.local/share/ferry` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "Ferry", "ferry").map(|d| d.data_dir().to_path_buf())
}

/// One line in the library list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlanSummary {
    pub id: PlanId,
    pub name: String,
    pub organisation_name: String,
    pub language: Language,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the plan is in the trash.
    pub trashed_at: Option<DateTime<Utc>>,
}

/// Which plans to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Active,
    Trash,
}

pub struct Library {
    conn: Connection,
    path: PathBuf,
}

impl Library {
    /// Opens (or creates) the library in `dir`.
    pub fn open_in(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
        Self::open(&dir.join(FILE_NAME))
    }

    /// Opens (or creates) the library file at `path` and brings it up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let damaged = |e: rusqlite::Error| CoreError::LibraryDamaged {
            path: path.to_owned(),
            detail: e.to_string(),
        };
        let mut conn = Connection::open(path).map_err(damaged)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // The first statement is where SQLite notices a file that is not a database.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::run(&mut conn, path)?;
        Ok(Library {
            conn,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Plans on one shelf, most recently changed first, optionally only those whose
    /// plan or organisation name contains `query` (case-insensitive, any script).
    pub fn list(&self, shelf: Shelf, query: &str) -> Result<Vec<PlanSummary>> {
        let sql = match shelf {
            Shelf::Active => {
                "SELECT id, body, revision, trashed_at FROM plans WHERE trashed_at IS NULL ORDER BY updated_at DESC, name"
            }
            Shelf::Trash => {
                "SELECT id, body, revision, trashed_at FROM plans WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC, name"
            }
        };
        let needle = query.trim().to_lowercase();
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, body, revision, trashed_at) = row?;
            let plan = decode(&self.path, &id, &body, revision)?;
            if !needle.is_empty()
                && !plan.name.to_lowercase().contains(&needle)
                && !plan.organisation.name.to_lowercase().contains(&needle)
            {
                continue;
            }
            out.push(PlanSummary {
                id: plan.id,
                organisation_name: plan.organisation.name,
                name: plan.name,
                language: plan.language,
                revision: plan.revision,
                created_at: plan.created_at,
                updated_at: plan.updated_at,
                trashed_at: trashed_at
                    .as_deref()
                    .map(|t| parse_time(&self.path, t))
                    .transpose()?,
            });
        }
        Ok(out)
    }

    /// Creates an empty plan.
    pub fn create(&mut self, name: &str, language: Language) -> Result<Plan> {
        let plan = Plan::new(name, language).map_err(CoreError::Invalid)?;
        self.insert(plan)
    }

    pub fn get(&self, id: PlanId) -> Result<Plan> {
        let row = self
            .conn
            .query_row(
                "SELECT body, revision FROM plans WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?;
        let (body, revision) = row.ok_or_else(|| not_found(id))?;
        decode(&self.path, &id.to_string(), &body, revision)
    }

    /// Saves the plan if nobody saved it since it was read (`plan.revision`), and
    /// returns it with its new revision and time.
    pub fn save(&mut self, plan: &Plan) -> Result<Plan> {
        plan.check().map_err(CoreError::Invalid)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx
            .query_row(
                "SELECT revision FROM plans WHERE id = ?1",
                [plan.id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| not_found(plan.id))?;
        if current as u64 != plan.revision {
            return Err(CoreError::Conflict {
                expected: plan.revision,
                found: current as u64,
            });
        }
        let mut saved = plan.clone();
        saved.name = saved.name.trim().to_owned();
        saved.revision += 1;
        saved.updated_at = plan::now();
        tx.execute(
            "UPDATE plans SET name = ?2, revision = ?3, updated_at = ?4, body = ?5 WHERE id = ?1",
            params![
                saved.id.to_string(),
                saved.name,
                saved.revision as i64,
                format_time(saved.updated_at),
                encode(&saved)
            ],
        )?;
        tx.commit()?;
        Ok(saved)
    }

    pub fn rename(&mut self, id: PlanId, name: &str) -> Result<Plan> {
        let name = check_plan_name(name).map_err(CoreError::Invalid)?;
        let mut plan = self.get(id)?;
        plan.name = name;
        self.save(&plan)
    }

    /// Copies a plan under a new name (the caller words it, e.g. "Copy of …").
    pub fn duplicate(&mut self, id: PlanId, new_name: &str) -> Result<Plan> {
        let name = check_plan_name(new_name).map_err(CoreError::Invalid)?;
        let mut copy = self.get(id)?;
        let now = plan::now();
        copy.id = PlanId::new();
        copy.name = name;
        copy.created_at = now;
        copy.updated_at = now;
        copy.revision = 0;
        self.insert(copy)
    }

    pub fn trash(&mut self, id: PlanId) -> Result<()> {
        self.set_trashed(id, Some(plan::now()))
    }

    pub fn restore(&mut self, id: PlanId) -> Result<()> {
        self.set_trashed(id, None)
    }

    /// Deletes a plan for good; only from the trash, so one click never loses work.
    pub fn purge(&mut self, id: PlanId) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let trashed: Option<Option<String>> = tx
            .query_row(
                "SELECT trashed_at FROM plans WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match trashed {
            None => return Err(not_found(id)),
            Some(None) => return Err(CoreError::NotInTrash),
            Some(Some(_)) => {}
        }
        tx.execute("DELETE FROM plans WHERE id = ?1", [id.to_string()])?;
        tx.execute("DELETE FROM drafts WHERE plan_id = ?1", [id.to_string()])?;
        tx.commit()?;
        Ok(())
    }

    /// The plan as `.ferry.json` text.
    pub fn export_text(&self, id: PlanId) -> Result<String> {
        Ok(exchange::to_file_text(&self.get(id)?))
    }

    pub fn export_to(&self, id: PlanId, path: &Path) -> Result<()> {
        exchange::write_plan_file(path, &self.get(id)?)
    }

    /// Adds a plan read from a file as a new plan; never replaces one in the library.
    pub fn import(&mut self, mut plan: Plan) -> Result<Plan> {
        plan.id = PlanId::new();
        plan.revision = 0;
        plan.updated_at = plan::now();
        self.insert(plan)
    }

    pub fn import_file(&mut self, path: &Path) -> Result<Plan> {
        let plan = exchange::read_plan_file(path)?;
        self.import(plan)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// SQLite's own check of the file; "ok" when healthy.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    fn insert(&mut self, mut plan: Plan) -> Result<Plan> {
        plan.check().map_err(CoreError::Invalid)?;
        plan.revision = 1;
        self.conn.execute(
            "INSERT INTO plans (id, name, revision, created_at, updated_at, trashed_at, body) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
            params![
                plan.id.to_string(),
                plan.name,
                plan.revision as i64,
                format_time(plan.created_at),
                format_time(plan.updated_at),
                encode(&plan)
            ],
        )?;
        Ok(plan)
    }

    fn set_trashed(&mut self, id: PlanId, at: Option<DateTime<Utc>>) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE plans SET trashed_at = ?2 WHERE id = ?1",
            params![id.to_string(), at.map(format_time)],
        )?;
        if changed == 0 {
            Err(not_found(id))
        } else {
            Ok(())
        }
    }
}

fn not_found(id: PlanId) -> CoreError {
    CoreError::PlanNotFound { id: id.to_string() }
}

fn encode(plan: &Plan) -> String {
    serde_json::to_string(plan).expect("a plan always serialises")
}

fn decode(path: &Path, id: &str, body: &str, revision: i64) -> Result<Plan> {
    let mut plan: Plan = serde_json::from_str(body).map_err(|e| CoreError::LibraryDamaged {
        path: path.to_owned(),
        detail: format!("plan {id}: {e}"),
    })?;
    plan.revision = revision as u64;
    Ok(plan)
}

fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn parse_time(path: &Path, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::LibraryDamaged {
            path: path.to_owned(),
            detail: format!("trashed_at: {e}"),
        })
}

#[cfg(test)]
mod tests;
