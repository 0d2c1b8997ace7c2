//! The move's ledger: every item moved, found already there, or not moved (with the
//! reason), per plan, person, kind and place on the server. One SQLite file beside
//! the plan library (`moves.sqlite3` in the same data folder), not a table inside it:
//! a move writes a row per item (tens of thousands), from its own connection, while
//! the window keeps saving plans through the library's; and a ledger can be deleted
//! without touching any plan.
//!
//! The ledger makes a second run fast (what is done is skipped without asking the
//! server) and gives the report. It is not what prevents doubles: each target checks
//! the server itself before writing (IMAP by Message-ID, date and size; DAV objects by
//! name with `If-None-Match: *` and content), so an item whose row was lost — killed
//! between the server's answer and the commit, or a power cut — is found there and
//! recorded, not copied again. WAL with `synchronous=NORMAL`: a killed process loses
//! no committed row, and a power cut loses at most the last rows, which the servers'
//! own checks then cover.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::MoveError;
use crate::report::NotMovedItem;
use crate::{Kind, Reason, ReasonCount};

pub const FILE_NAME: &str = "moves.sqlite3";

type Result<T> = std::result::Result<T, MoveError>;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    plan TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    mode TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    plan TEXT NOT NULL,
    person TEXT NOT NULL,
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    key TEXT NOT NULL,
    -- done | not_moved
    state TEXT NOT NULL,
    -- moved (by Ferry) | there (found on the server)
    origin TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    hash TEXT NOT NULL,
    label TEXT NOT NULL,
    reason TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plan, person, kind, place, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (
    plan TEXT NOT NULL,
    person TEXT NOT NULL,
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    key TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (plan, person, kind, place, key, reason)
) WITHOUT ROWID;
";

/// One item's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub place: String,
    pub key: String,
    pub done: bool,
    pub moved: bool,
    pub bytes: u64,
    pub hash: String,
    pub label: String,
    pub reason: Option<Reason>,
}

/// The ledger's counts for one person and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub items: u64,
    pub moved: u64,
    pub there: u64,
    pub not_moved: u64,
    pub bytes: u64,
    pub reasons: Vec<ReasonCount>,
}

/// Place → key → (content hash, bytes): what should be on the server.
pub type Expected = BTreeMap<String, HashMap<String, (String, u64)>>;

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// The ledger in the data folder `dir` (beside the plan library).
    pub fn open_in(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| MoveError::Ledger {
            detail: e.to_string(),
        })?;
        Self::open(&dir.join(FILE_NAME))
    }

    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Ledger {
            conn,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Notes the start of a run; answers its row id for [`Ledger::finish_run`].
    pub fn start_run(&self, plan: &str, mode: &str) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO runs (plan, started_at, mode) VALUES (?1, ?2, ?3)",
            params![plan, Utc::now().to_rfc3339(), mode],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn finish_run(&self, run: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET finished_at = ?2 WHERE rowid = ?1",
            params![run, Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    /// When the plan's first run started, if there was one.
    pub fn first_started(&self, plan: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT MIN(started_at) FROM runs WHERE plan = ?1",
                [plan],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Every (place, key) already done or listed for this person and kind.
    pub fn known(&self, plan: &str, person: &str, kind: Kind) -> Result<HashSet<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT place, key FROM items WHERE plan = ?1 AND person = ?2 AND kind = ?3",
        )?;
        let rows = stmt.query_map(params![plan, person, kind.key()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records an item on the server: moved by Ferry now, or found there.
    #[allow(clippy::too_many_arguments)]
    pub fn done(
        &self,
        plan: &str,
        person: &str,
        kind: Kind,
        place: &str,
        key: &str,
        moved: bool,
        bytes: u64,
        hash: &str,
        label: &str,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO items (plan, person, kind, place, key, state, origin, bytes, hash, label, reason, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'done', ?6, ?7, ?8, ?9, NULL, ?10)
                 ON CONFLICT (plan, person, kind, place, key) DO UPDATE SET
                   state = 'done',
                   origin = CASE WHEN items.state = 'done' AND items.origin = 'moved'
                            THEN 'moved' ELSE excluded.origin END,
                   bytes = excluded.bytes,
                   hash = excluded.hash, label = excluded.label, reason = NULL,
                   updated_at = excluded.updated_at",
            )?
            .execute(params![
                plan,
                person,
                kind.key(),
                place,
                key,
                if moved { "moved" } else { "there" },
                bytes as i64,
                hash,
                label,
                Utc::now().to_rfc3339()
            ])?;
        Ok(())
    }

    /// Records an item that could not be moved, with the reason (a later run that
    /// moves it replaces this).
    #[allow(clippy::too_many_arguments)]
    pub fn not_moved(
        &self,
        plan: &str,
        person: &str,
        kind: Kind,
        place: &str,
        key: &str,
        bytes: u64,
        label: &str,
        reason: Reason,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO items (plan, person, kind, place, key, state, origin, bytes, hash, label, reason, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'not_moved', 'moved', ?6, '', ?7, ?8, ?9)
                 ON CONFLICT (plan, person, kind, place, key) DO UPDATE SET
                   state = 'not_moved', bytes = excluded.bytes, label = excluded.label,
                   reason = excluded.reason, updated_at = excluded.updated_at
                 WHERE items.state <> 'done'",
            )?
            .execute(params![
                plan,
                person,
                kind.key(),
                place,
                key,
                bytes as i64,
                label,
                reason.key(),
                Utc::now().to_rfc3339()
            ])?;
        Ok(())
    }

    /// Notes what did not come across with an item that did (a room booking…).
    pub fn note(
        &self,
        plan: &str,
        person: &str,
        kind: Kind,
        place: &str,
        key: &str,
        reason: Reason,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO notes (plan, person, kind, place, key, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![plan, person, kind.key(), place, key, reason.key()])?;
        Ok(())
    }

    /// The people and kinds the ledger has rows for, in order.
    pub fn people(&self, plan: &str) -> Result<BTreeMap<String, Vec<Kind>>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT person, kind FROM items WHERE plan = ?1 ORDER BY person, kind",
        )?;
        let rows = stmt.query_map([plan], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out: BTreeMap<String, Vec<Kind>> = BTreeMap::new();
        for row in rows {
            let (person, kind) = row?;
            if let Some(k) = Kind::from_key(&kind) {
                out.entry(person).or_default().push(k);
            }
        }
        for kinds in out.values_mut() {
            kinds.sort();
        }
        Ok(out)
    }

    pub fn counts(&self, plan: &str, person: &str, kind: Kind) -> Result<Counts> {
        let mut c = Counts::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, origin, COUNT(*), COALESCE(SUM(bytes), 0) FROM items
             WHERE plan = ?1 AND person = ?2 AND kind = ?3 GROUP BY state, origin",
        )?;
        let rows = stmt.query_map(params![plan, person, kind.key()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)? as u64,
                r.get::<_, i64>(3)? as u64,
            ))
        })?;
        for row in rows {
            let (state, origin, n, bytes) = row?;
            c.items += n;
            match (state.as_str(), origin.as_str()) {
                ("done", "moved") => {
                    c.moved += n;
                    c.bytes += bytes;
                }
                ("done", _) => {
                    c.there += n;
                    c.bytes += bytes;
                }
                _ => c.not_moved += n,
            }
        }
        let mut reasons: BTreeMap<Reason, u64> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT reason, COUNT(*) FROM items WHERE plan = ?1 AND person = ?2 AND kind = ?3
               AND state = 'not_moved' GROUP BY reason
             UNION ALL
             SELECT reason, COUNT(*) FROM notes WHERE plan = ?1 AND person = ?2 AND kind = ?3 GROUP BY reason",
        )?;
        let rows = stmt.query_map(params![plan, person, kind.key()], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        for row in rows {
            let (reason, n) = row?;
            if let Some(r) = reason.as_deref().and_then(Reason::from_key) {
                *reasons.entry(r).or_default() += n;
            }
        }
        c.reasons = reasons
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect();
        Ok(c)
    }

    /// What should be on the server for this person and kind: place → key → (hash, bytes).
    pub fn expected(&self, plan: &str, person: &str, kind: Kind) -> Result<Expected> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT place, key, hash, bytes FROM items
             WHERE plan = ?1 AND person = ?2 AND kind = ?3 AND state = 'done'",
        )?;
        let rows = stmt.query_map(params![plan, person, kind.key()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)? as u64,
            ))
        })?;
        let mut out: BTreeMap<String, HashMap<String, (String, u64)>> = BTreeMap::new();
        for row in rows {
            let (place, key, hash, bytes) = row?;
            out.entry(place).or_default().insert(key, (hash, bytes));
        }
        Ok(out)
    }

    /// Items not moved, and items moved without something, a page at a time.
    pub fn not_moved_items(
        &self,
        plan: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<NotMovedItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person, kind, place, label, reason, 0 FROM items WHERE plan = ?1 AND state = 'not_moved'
             UNION ALL
             SELECT n.person, n.kind, n.place, COALESCE(i.label, n.key), n.reason, 1 FROM notes n
               LEFT JOIN items i ON i.plan = n.plan AND i.person = n.person AND i.kind = n.kind
                 AND i.place = n.place AND i.key = n.key
               WHERE n.plan = ?1
             ORDER BY 6, 1, 2, 3, 4 LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![plan, limit, offset], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person, kind, place, label, reason) = row?;
            let (Some(kind), Some(reason)) = (
                Kind::from_key(&kind),
                reason.as_deref().and_then(Reason::from_key),
            ) else {
                continue;
            };
            out.push(NotMovedItem {
                login: person,
                kind,
                place,
                label,
                reason,
            });
        }
        Ok(out)
    }

    /// Every row of one person and kind (tests and the kill check read them).
    pub fn rows(&self, plan: &str, person: &str, kind: Kind) -> Result<Vec<Row>> {
        let mut stmt = self.conn.prepare(
            "SELECT place, key, state, origin, bytes, hash, label, reason FROM items
             WHERE plan = ?1 AND person = ?2 AND kind = ?3 ORDER BY place, key",
        )?;
        let rows = stmt.query_map(params![plan, person, kind.key()], |r| {
            Ok(Row {
                place: r.get(0)?,
                key: r.get(1)?,
                done: r.get::<_, String>(2)? == "done",
                moved: r.get::<_, String>(3)? == "moved",
                bytes: r.get::<_, i64>(4)? as u64,
                hash: r.get(5)?,
                label: r.get(6)?,
                reason: r
                    .get::<_, Option<String>>(7)?
                    .as_deref()
                    .and_then(Reason::from_key),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_by_state_and_a_later_success_replaces_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let l = Ledger::open_in(dir.path()).unwrap();
        let run = l.start_run("p", "own").unwrap();
        l.done("p", "ada", Kind::Mail, "INBOX", "k1", true, 10, "h1", "Hi")
            .unwrap();
        l.done("p", "ada", Kind::Mail, "INBOX", "k2", false, 5, "h2", "Yo")
            .unwrap();
        l.not_moved(
            "p",
            "ada",
            Kind::Mail,
            "INBOX",
            "k3",
            99,
            "Big",
            Reason::TooLarge,
        )
        .unwrap();
        l.note("p", "ada", Kind::Mail, "INBOX", "k1", Reason::MeetLink)
            .unwrap();
        let c = l.counts("p", "ada", Kind::Mail).unwrap();
        assert_eq!(
            (c.items, c.moved, c.there, c.not_moved, c.bytes),
            (3, 1, 1, 1, 15)
        );
        assert_eq!(c.reasons.len(), 2);
        // Found there again (a duplicate in the export): still moved by Ferry.
        l.done("p", "ada", Kind::Mail, "INBOX", "k1", false, 10, "h1", "Hi")
            .unwrap();
        assert_eq!(l.counts("p", "ada", Kind::Mail).unwrap().moved, 1);
        // Moved later: the failure is gone; a failure never replaces a success.
        l.done("p", "ada", Kind::Mail, "INBOX", "k3", true, 99, "h3", "Big")
            .unwrap();
        l.not_moved(
            "p",
            "ada",
            Kind::Mail,
            "INBOX",
            "k1",
            1,
            "Hi",
            Reason::Unreadable,
        )
        .unwrap();
        let c = l.counts("p", "ada", Kind::Mail).unwrap();
        assert_eq!((c.moved, c.not_moved), (2, 0));
        assert_eq!(l.known("p", "ada", Kind::Mail).unwrap().len(), 3);
        assert_eq!(
            l.not_moved_items("p", 0, 10).unwrap()[0].reason,
            Reason::MeetLink
        );
        l.finish_run(run).unwrap();
        assert!(l.first_started("p").unwrap().is_some());
        assert_eq!(l.people("p").unwrap()["ada"], [Kind::Mail]);
    }
}
