//! Orders and their per-app jobs in SQLite. Supplied secrets are never written here:
//! they stay in memory until their job has used them.

use std::path::Path;

use chrono::{DateTime, Utc};
use ferry_hosting::{AppRequest, AppState, AppStatus, OrderRequest, OrderStatus};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::runner::Step;

pub struct Store {
    db: Connection,
}

/// A job the worker may start: one app of one order.
#[derive(Debug, Clone)]
pub struct Job {
    pub order: Uuid,
    pub index: u32,
    pub server: String,
    pub app: AppRequest,
}

/// What `create` did with an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    New(Uuid),
    /// The same idempotency key with the same body: the order made the first time.
    Existing(Uuid),
    /// The same idempotency key with a different body.
    Conflict,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    organisation TEXT NOT NULL,
    server TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (token, idempotency_key)
);
CREATE TABLE IF NOT EXISTS apps (
    order_id TEXT NOT NULL REFERENCES orders(id),
    idx INTEGER NOT NULL,
    request TEXT NOT NULL,
    secret_names TEXT NOT NULL,
    state TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    deployed TEXT,
    log TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL,
    PRIMARY KEY (order_id, idx)
);
";

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let db = Connection::open(path)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.execute_batch(SCHEMA)?;
        Ok(Store { db })
    }

    /// Records a new order, or finds the one made with the same idempotency key.
    /// Secret values are stripped before anything is stored.
    pub fn create(
        &mut self,
        token: &str,
        key: &str,
        request_hash: &str,
        server: &str,
        order: &OrderRequest,
    ) -> rusqlite::Result<Created> {
        let tx = self.db.transaction()?;
        let existing: Option<(String, String)> = tx
            .query_row(
                "SELECT id, request_hash FROM orders WHERE token = ?1 AND idempotency_key = ?2",
                params![token, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, hash)) = existing {
            return Ok(if hash == request_hash {
                Created::Existing(id.parse().expect("stored ids are uuids"))
            } else {
                Created::Conflict
            });
        }
        let id = Uuid::new_v4();
        tx.execute(
            "INSERT INTO orders (id, token, idempotency_key, request_hash, organisation, server, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id.to_string(), token, key, request_hash, order.organisation, server, Utc::now().to_rfc3339()],
        )?;
        let seq: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM apps", [], |r| r.get(0))?;
        for (i, app) in order.apps.iter().enumerate() {
            let mut stored = app.clone();
            let names: Vec<String> = stored
                .secrets
                .iter()
                .map(|s| format!("{}:{}", s.name, s.version))
                .collect();
            stored.secrets.clear();
            tx.execute(
                "INSERT INTO apps (order_id, idx, request, secret_names, state, message, seq)
                 VALUES (?1, ?2, ?3, ?4, 'queued', 'Waiting for its turn', ?5)",
                params![
                    id.to_string(),
                    i as i64,
                    serde_json::to_string(&stored).expect("requests serialise"),
                    serde_json::to_string(&names).expect("names serialise"),
                    seq + 1 + i as i64
                ],
            )?;
        }
        tx.commit()?;
        Ok(Created::New(id))
    }

    pub fn status(&self, id: Uuid) -> rusqlite::Result<Option<OrderStatus>> {
        let head: Option<(String, String)> = self
            .db
            .query_row(
                "SELECT organisation, created_at FROM orders WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((organisation, created_at)) = head else {
            return Ok(None);
        };
        let mut stmt = self.db.prepare(
            "SELECT request, state, progress, message, deployed, log FROM apps WHERE order_id = ?1 ORDER BY idx",
        )?;
        let apps = stmt
            .query_map([id.to_string()], |r| {
                let request: String = r.get(0)?;
                let request: AppRequest =
                    serde_json::from_str(&request).expect("stored requests parse");
                let state: String = r.get(1)?;
                let log: String = r.get(5)?;
                Ok(AppStatus {
                    recipe: request.recipe,
                    domain: request.domain,
                    state: AppState::parse(&state).unwrap_or(AppState::Failed),
                    progress: r.get::<_, i64>(2)? as u8,
                    steps: Step::COUNT,
                    message: r.get(3)?,
                    deployed: r.get(4)?,
                    log_excerpt: crate::runner::excerpt(&log, 20),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(OrderStatus {
            id,
            organisation,
            created_at: DateTime::parse_from_rfc3339(&created_at)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default(),
            apps,
        }))
    }

    /// The oldest queued app for `server`, marked running in the same transaction so
    /// that no job is ever started twice.
    pub fn take_next(&mut self, server: &str) -> rusqlite::Result<Option<Job>> {
        let tx = self.db.transaction()?;
        let row: Option<(String, i64, String)> = tx
            .query_row(
                "SELECT a.order_id, a.idx, a.request FROM apps a JOIN orders o ON o.id = a.order_id
                 WHERE a.state = 'queued' AND o.server = ?1 ORDER BY a.seq LIMIT 1",
                [server],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((order, idx, request)) = row else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE apps SET state = 'running', message = 'Started' WHERE order_id = ?1 AND idx = ?2",
            params![order, idx],
        )?;
        tx.commit()?;
        Ok(Some(Job {
            order: order.parse().expect("stored ids are uuids"),
            index: idx as u32,
            server: server.to_owned(),
            app: serde_json::from_str(&request).expect("stored requests parse"),
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
            "UPDATE apps SET state = ?3, message = ?4, deployed = ?5, log = ?6,
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

    /// Puts a failed app back in the queue. False if it was not failed.
    pub fn requeue_failed(&self, order: Uuid, index: u32) -> rusqlite::Result<bool> {
        let seq: i64 =
            self.db
                .query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM apps", [], |r| {
                    r.get(0)
                })?;
        let n = self.db.execute(
            "UPDATE apps SET state = 'queued', progress = 0, message = 'Waiting for its turn (retry)', seq = ?3
             WHERE order_id = ?1 AND idx = ?2 AND state = 'failed'",
            params![order.to_string(), index, seq],
        )?;
        Ok(n == 1)
    }

    /// Cancels the order's apps that have not started. Returns how many.
    pub fn cancel(&self, order: Uuid) -> rusqlite::Result<usize> {
        self.db.execute(
            "UPDATE apps SET state = 'cancelled', message = 'Cancelled before it started'
             WHERE order_id = ?1 AND state = 'queued'",
            [order.to_string()],
        )
    }

    /// After a restart: a job that was running may have half-happened, so it is
    /// marked failed (to be retried on purpose), never run again by itself. Queued
    /// jobs that needed supplied secrets lost them with the old process.
    pub fn recover(&self) -> rusqlite::Result<usize> {
        let interrupted = self.db.execute(
            "UPDATE apps SET state = 'failed',
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
        Ok(interrupted)
    }

    /// The last deployed state of the app on `domain`, for `GET /v1/apps/{domain}/export`.
    pub fn deployed_app(&self, domain: &str) -> rusqlite::Result<Option<(String, String)>> {
        self.db
            .query_row(
                "SELECT o.server, a.deployed FROM apps a JOIN orders o ON o.id = a.order_id
                 WHERE a.state = 'deployed' AND json_extract(a.request, '$.domain') = ?1
                 ORDER BY a.seq DESC LIMIT 1",
                [domain],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }
}
