//! Orders, their per-app jobs, and which organisation owns which domain, in SQLite.
//! Supplied secrets are never written here: they stay in memory until their job has
//! used them. `.env` values are dropped from the stored request once the job has
//! written them into abra's own `.env` file.
//!
//! One writer connection (behind the caller's lock) and a small pool of readers: in
//! WAL mode a status read never waits for another organisation's commit and fsync.

mod handover;
mod jobs;
mod orders;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use ferry_hosting::{AppRequest, AppState, AppStatus, OrderStatus};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use uuid::Uuid;

pub use handover::Receipt;
pub use jobs::{Job, Running};
pub use orders::{Caller, Created, NewOrder, Refusal};

use crate::runner::Step;

pub struct Store {
    db: Connection,
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
-- The organisation that first ordered a domain owns it, on the server it chose.
CREATE TABLE IF NOT EXISTS domains (
    domain TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    server TEXT NOT NULL,
    recipe TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- When each organisation last had a job started on a server: the next job goes to
-- the organisation that waited longest.
CREATE TABLE IF NOT EXISTS turns (
    server TEXT NOT NULL,
    org TEXT NOT NULL,
    turn INTEGER NOT NULL,
    PRIMARY KEY (server, org)
);
";

/// Columns added since the first version, with how to add them to an old database.
const ADDED: [(&str, &str, &str); 5] = [
    ("orders", "org", "ALTER TABLE orders ADD COLUMN org TEXT"),
    // The public key a sign-in service's admin credential is sealed to.
    (
        "orders",
        "seal_to",
        "ALTER TABLE orders ADD COLUMN seal_to TEXT",
    ),
    // The sealed credential (JSON `Handover`), until Ferry confirms receipt.
    (
        "apps",
        "handover",
        "ALTER TABLE apps ADD COLUMN handover TEXT",
    ),
    ("apps", "pid", "ALTER TABLE apps ADD COLUMN pid INTEGER"),
    (
        "apps",
        "pid_start",
        "ALTER TABLE apps ADD COLUMN pid_start INTEGER",
    ),
];

fn open_connection(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let db = Connection::open_with_flags(path, flags)?;
    db.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(db)
}

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let db = open_connection(path, OpenFlags::default())?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        // Values dropped from a row (an .env credential, see jobs.rs) are overwritten
        // on disk, not left in free space.
        db.pragma_update(None, "secure_delete", "ON")?;
        db.execute_batch(SCHEMA)?;
        for (table, column, add) in ADDED {
            let has: bool = db
                .prepare(&format!(
                    "SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"
                ))?
                .exists([column])?;
            if !has {
                db.execute_batch(add)?;
            }
        }
        db.execute_batch(
            "CREATE INDEX IF NOT EXISTS apps_queue ON apps (state, seq);
             CREATE INDEX IF NOT EXISTS orders_org ON orders (org);",
        )?;
        Ok(Store { db })
    }

    /// Orders from before organisations belong to the organisation of the token that
    /// made them (`token_orgs`: token name → organisation id); an order whose token is
    /// gone belongs to nobody. Their domains are claimed in order, first come first.
    /// Returns how many orders were given an organisation.
    pub fn adopt_orders(&mut self, token_orgs: &[(String, String)]) -> rusqlite::Result<usize> {
        let tx = self.db.transaction()?;
        let mut adopted = 0;
        for (token, org) in token_orgs {
            adopted += tx.execute(
                "UPDATE orders SET org = ?2 WHERE org IS NULL AND token = ?1",
                params![token, org],
            )?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO domains (domain, org, server, recipe, created_at)
             SELECT json_extract(a.request, '$.domain'), o.org, o.server,
                    json_extract(a.request, '$.recipe'), o.created_at
             FROM apps a JOIN orders o ON o.id = a.order_id
             WHERE o.org IS NOT NULL ORDER BY a.seq",
            [],
        )?;
        tx.commit()?;
        Ok(adopted)
    }
}

/// Read-only connections for status answers, reused.
pub struct Readers {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

impl Readers {
    pub fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_owned(),
            pool: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on a reader (blocking: call it off the async threads).
    pub fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let pooled = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let db = match pooled {
            Some(db) => db,
            None => open_connection(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
        };
        let out = f(&db);
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 8 {
            pool.push(db);
        }
        out
    }
}

/// The organisation that owns order `id`, if the order exists.
pub fn order_owner(db: &Connection, id: Uuid) -> rusqlite::Result<Option<Option<String>>> {
    db.query_row(
        "SELECT org FROM orders WHERE id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )
    .optional()
}

/// Order `id` as its owner `org` sees it; `None` for any other organisation, so that
/// an order of another organisation looks exactly like one that does not exist.
pub fn status(
    db: &Connection,
    id: Uuid,
    org: &str,
    org_name: &str,
) -> rusqlite::Result<Option<OrderStatus>> {
    let head: Option<String> = db
        .query_row(
            "SELECT created_at FROM orders WHERE id = ?1 AND org = ?2",
            params![id.to_string(), org],
            |r| r.get(0),
        )
        .optional()?;
    let Some(created_at) = head else {
        return Ok(None);
    };
    let mut stmt = db.prepare(
        "SELECT request, state, progress, message, deployed, log, handover FROM apps WHERE order_id = ?1 ORDER BY idx",
    )?;
    let apps = stmt
        .query_map([id.to_string()], |r| {
            let request: String = r.get(0)?;
            let request: AppRequest =
                serde_json::from_str(&request).expect("stored requests parse");
            let state: String = r.get(1)?;
            let log: String = r.get(5)?;
            let handover: Option<String> = r.get(6)?;
            Ok(AppStatus {
                recipe: request.recipe,
                domain: request.domain,
                state: AppState::parse(&state).unwrap_or(AppState::Failed),
                progress: r.get::<_, i64>(2)? as u8,
                steps: Step::COUNT,
                message: r.get(3)?,
                deployed: r.get(4)?,
                log_excerpt: crate::runner::excerpt(&log, 20),
                handover: handover.and_then(|h| serde_json::from_str(&h).ok()),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(OrderStatus {
        id,
        // The configured name: what an order's body calls itself is not trusted.
        organisation: org_name.to_owned(),
        created_at: DateTime::parse_from_rfc3339(&created_at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
        apps,
    }))
}

/// One app of an order as stored, for a retry.
pub struct StoredApp {
    pub server: String,
    /// As ordered, without the `.env` values already written into abra's `.env`.
    pub app: AppRequest,
    /// The secrets its order declared, as `name:version`.
    pub declared: Vec<String>,
    pub state: AppState,
}

pub fn stored_app(
    db: &Connection,
    id: Uuid,
    index: u32,
    org: &str,
) -> rusqlite::Result<Option<StoredApp>> {
    db.query_row(
        "SELECT o.server, a.request, a.secret_names, a.state FROM apps a JOIN orders o ON o.id = a.order_id
         WHERE a.order_id = ?1 AND a.idx = ?2 AND o.org = ?3",
        params![id.to_string(), index, org],
        |r| {
            let request: String = r.get(1)?;
            let names: String = r.get(2)?;
            let state: String = r.get(3)?;
            Ok(StoredApp {
                server: r.get(0)?,
                app: serde_json::from_str(&request).expect("stored requests parse"),
                declared: serde_json::from_str(&names).unwrap_or_default(),
                state: AppState::parse(&state).unwrap_or(AppState::Failed),
            })
        },
    )
    .optional()
}

/// The domain's owner and server, if an organisation has ordered it.
pub fn domain_owner(
    db: &Connection,
    domain: &str,
) -> rusqlite::Result<Option<(String, String, String)>> {
    db.query_row(
        "SELECT org, server, recipe FROM domains WHERE domain = ?1",
        [domain],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// The last deployed state of `org`'s app on `domain`, for the export.
pub fn deployed_app(
    db: &Connection,
    domain: &str,
    org: &str,
) -> rusqlite::Result<Option<(String, String, String)>> {
    db.query_row(
        "SELECT o.server, a.deployed, json_extract(a.request, '$.recipe')
         FROM apps a JOIN orders o ON o.id = a.order_id
         JOIN domains d ON d.domain = ?1 AND d.org = ?2 AND d.server = o.server
         WHERE a.state = 'deployed' AND o.org = ?2 AND json_extract(a.request, '$.domain') = ?1
         ORDER BY a.seq DESC LIMIT 1",
        params![domain, org],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}
