//! Schema migrations for the library file, applied in order, each in a transaction.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior, params};

use crate::error::{CoreError, Result};

/// Append only: a released migration is never edited.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE plans (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        revision    INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        trashed_at  TEXT,
        body        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX plans_by_update ON plans (trashed_at, updated_at);
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;",
    ),
    // What a person typed that is not valid yet, kept until it is (drafts.rs).
    (
        2,
        "CREATE TABLE drafts (
        plan_id   TEXT PRIMARY KEY,
        revision  INTEGER NOT NULL,
        saved_at  TEXT NOT NULL,
        body      TEXT NOT NULL
    ) STRICT;",
    ),
    // A live workshop room: who joined from which phone, their dots and proposals,
    // each kept as it happens (room.rs); the tallies go into the plans at the end.
    (
        3,
        "CREATE TABLE rooms (
        id              TEXT PRIMARY KEY,
        opened_at       TEXT NOT NULL,
        ended_at        TEXT,
        plans           TEXT NOT NULL,
        dots_each       INTEGER NOT NULL,
        phase           TEXT NOT NULL,
        tallies_hidden  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE room_participants (
        id          TEXT PRIMARY KEY,
        room_id     TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        token_hash  TEXT NOT NULL UNIQUE,
        plan_id     TEXT NOT NULL,
        name        TEXT,
        joined_at   TEXT NOT NULL
    ) STRICT;
    CREATE TABLE room_dots (
        participant_id  TEXT NOT NULL REFERENCES room_participants (id) ON DELETE CASCADE,
        need            TEXT NOT NULL,
        dots            INTEGER NOT NULL CHECK (dots > 0),
        PRIMARY KEY (participant_id, need)
    ) STRICT;
    CREATE TABLE room_proposals (
        id              TEXT PRIMARY KEY,
        room_id         TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        plan_id         TEXT NOT NULL,
        participant_id  TEXT NOT NULL,
        kind            TEXT NOT NULL,
        text            TEXT NOT NULL,
        state           TEXT NOT NULL,
        created_at      TEXT NOT NULL
    ) STRICT;",
    ),
    // The room against a prankster (issue #25): where each participant joined from
    // (caps per network address), who the facilitator removed, joining locked;
    // indexes for every lookup a phone or the projector makes; and the dots per
    // organisation and need kept as they change, so a phone's page and the board read
    // a few rows, not every dot in the room.
    (
        4,
        "ALTER TABLE rooms ADD COLUMN joining_locked INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE room_participants ADD COLUMN address TEXT NOT NULL DEFAULT '';
    ALTER TABLE room_participants ADD COLUMN removed_at TEXT;
    ALTER TABLE room_participants ADD COLUMN removed_dots INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX room_participants_in ON room_participants (room_id, plan_id)
        WHERE removed_at IS NULL;
    CREATE INDEX room_participants_from ON room_participants (room_id, address);
    CREATE INDEX room_participants_removed ON room_participants (room_id)
        WHERE removed_at IS NOT NULL;
    CREATE INDEX room_proposals_in ON room_proposals (room_id, state);
    CREATE INDEX room_proposals_by ON room_proposals (participant_id);
    CREATE TABLE room_tallies (
        room_id  TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        plan_id  TEXT NOT NULL,
        need     TEXT NOT NULL,
        dots     INTEGER NOT NULL CHECK (dots >= 0),
        PRIMARY KEY (room_id, plan_id, need)
    ) STRICT;
    INSERT INTO room_tallies (room_id, plan_id, need, dots)
        SELECT p.room_id, p.plan_id, d.need, SUM(d.dots) FROM room_dots d
        JOIN room_participants p ON p.id = d.participant_id
        GROUP BY p.room_id, p.plan_id, d.need;",
    ),
];

pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

pub fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        ) STRICT;",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    if current > latest() {
        return Err(CoreError::LibraryFromNewerVersion {
            path: path.to_owned(),
            found: current,
            supported: latest(),
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![version, chrono::Utc::now().to_rfc3339()],
        )?;
        tracing::info!(version, "library migrated");
    }
    tx.commit()?;
    Ok(())
}
