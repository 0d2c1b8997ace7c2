//! The job queue: which app runs next (fairly across organisations), its progress and
//! outcome, and what a restart finds.

use ferry_hosting::{AppRequest, AppState};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use crate::runner::Step;

/// A job the worker may start: one app of one order.
#[derive(Debug, Clone)]
pub struct Job {
    pub order: Uuid,
    pub index: u32,
    pub server: String,
    pub org: String,
    pub app: AppRequest,
    /// The order's public key for a sign-in service's admin credential.
    pub seal_to: Option<String>,
}

/// An abra process a job had started when the server stopped: its process group and
/// start time (to be sure the id was not reused since).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    pub pid: i32,
    pub start: u64,
}

impl Store {
    /// The next queued app for `server`, marked running in the same transaction so
    /// that no job is ever started twice. Organisations take turns: the one whose last
    /// job on this server started longest ago goes first, then its oldest app.
    pub fn take_next(&mut self, server: &str) -> rusqlite::Result<Option<Job>> {
        let tx = self.db.transaction()?;
        let row: Option<(String, i64, String, String, Option<String>)> = tx
            .query_row(
                "SELECT a.order_id, a.idx, a.request, o.org, o.seal_to FROM apps a JOIN orders o ON o.id = a.order_id
                 LEFT JOIN turns t ON t.server = o.server AND t.org = o.org
                 WHERE a.state = 'queued' AND o.server = ?1 AND o.org IS NOT NULL
                 ORDER BY COALESCE(t.turn, 0), a.seq LIMIT 1",
                [server],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((order, idx, request, org, seal_to)) = row else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE apps SET state = 'running', message = 'Started', pid = NULL, pid_start = NULL
             WHERE order_id = ?1 AND idx = ?2",
            params![order, idx],
        )?;
        tx.execute(
            "INSERT INTO turns (server, org, turn)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(turn), 0) + 1 FROM turns WHERE server = ?1))
             ON CONFLICT (server, org) DO UPDATE SET turn = excluded.turn",
            params![server, org],
        )?;
        tx.commit()?;
        Ok(Some(Job {
            order: order.parse().expect("stored ids are uuids"),
            index: idx as u32,
            server: server.to_owned(),
            org,
            app: serde_json::from_str(&request).expect("stored requests parse"),
            seal_to,
        }))
    }

    pub fn secret_names(&self, order: Uuid, index: u32) -> rusqlite::Result<Vec<String>> {
        let names: String = self.db.query_row(
            "SELECT secret_names FROM apps WHERE order_id = ?1 AND idx = ?2",
            params![order.to_string(), index],
            |r| r.get(0),
        )?;
        Ok(serde_json::from_str(&names).unwrap_or_default())
    }

    pub fn progress(&self, order: Uuid, index: u32, step: Step, done: u8) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE apps SET progress = ?3, message = ?4 WHERE order_id = ?1 AND idx = ?2",
            params![
                order.to_string(),
                index,
                done,
                format!("Working: {}", step.name())
            ],
        )?;
        Ok(())
    }

    /// Records the abra process a running job started, so that a restart can stop it.
    pub fn spawned(
        &self,
        order: Uuid,
        index: u32,
        running: Option<Running>,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE apps SET pid = ?3, pid_start = ?4 WHERE order_id = ?1 AND idx = ?2",
            params![
                order.to_string(),
                index,
                running.map(|r| r.pid),
                running.map(|r| r.start as i64)
            ],
        )?;
        Ok(())
    }

    /// The `.env` values are in abra's `.env` now: the database keeps only their keys'
    /// absence, so that a credential sent as a value does not stay here too. A retry
    /// writes nothing over them.
    pub fn forget_env_values(&self, order: Uuid, index: u32) -> rusqlite::Result<()> {
        let changed = self.db.execute(
            "UPDATE apps SET request = json_set(request, '$.env', json('{}'))
             WHERE order_id = ?1 AND idx = ?2 AND json_extract(request, '$.env') != '{}'",
            params![order.to_string(), index],
        )?;
        if changed > 0 {
            // The write-ahead log still holds the page as it was until a checkpoint
            // copies it back and the log is emptied. Jobs take minutes: one per job is cheap.
            self.db
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    pub fn finish(
        &self,
        order: Uuid,
        index: u32,
        state: AppState,
        message: &str,
        deployed: Option<&str>,
        log: &str,
    ) -> rusqlite::Result<()> {
        let progress = if state == AppState::Deployed {
            Step::COUNT
        } else {
            0
        };
        self.db.execute(
            "UPDATE apps SET state = ?3, message = ?4, deployed = ?5, log = ?6, pid = NULL, pid_start = NULL,
                 progress = CASE WHEN ?7 > 0 THEN ?7 ELSE progress END
             WHERE order_id = ?1 AND idx = ?2",
            params![
                order.to_string(),
                index,
                state.as_str(),
                message,
                deployed,
                log,
                progress
            ],
        )?;
        Ok(())
    }

    /// After a restart: a job that was running may have half-happened, so it is
    /// marked failed (to be retried on purpose), never run again by itself. Queued
    /// jobs that needed supplied secrets lost them with the old process. Returns how
    /// many were interrupted, and the abra processes they had started.
    pub fn recover(&self) -> rusqlite::Result<(usize, Vec<Running>)> {
        let leftovers: Vec<Running> = self
            .db
            .prepare("SELECT pid, pid_start FROM apps WHERE state = 'running' AND pid IS NOT NULL")?
            .query_map([], |r| {
                Ok(Running {
                    pid: r.get(0)?,
                    start: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let interrupted = self.db.execute(
            "UPDATE apps SET state = 'failed', pid = NULL, pid_start = NULL,
                 message = 'Interrupted when the co-op''s server restarted; check the app, then retry it'
             WHERE state = 'running'",
            [],
        )?;
        self.db.execute(
            "UPDATE apps SET state = 'failed',
                 message = 'The co-op''s server restarted before this app started and does not keep secrets; submit it again'
             WHERE state = 'queued' AND secret_names != '[]'",
            [],
        )?;
        Ok((interrupted, leftovers))
    }
}
