//! A sign-in service's first administrator credential, kept only sealed (to the
//! order's public key) and only until the organisation confirms receipt.

use ferry_hosting::Handover;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;

/// What confirming receipt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// The sealed copy is gone now (or was already: confirming twice is fine).
    Forgotten,
    /// The app has no credential to hand over (not a sign-in service, not deployed
    /// yet, or its order sent no key).
    Nothing,
}

impl Store {
    /// Keeps the sealed credential of app `index` of `order`.
    pub fn set_handover(
        &self,
        order: Uuid,
        index: u32,
        handover: &Handover,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE apps SET handover = ?3 WHERE order_id = ?1 AND idx = ?2",
            params![
                order.to_string(),
                index,
                serde_json::to_string(handover).expect("a handover serialises")
            ],
        )?;
        Ok(())
    }

    /// `org` has the credential: the sealed copy is dropped (overwritten on disk, as
    /// the database deletes securely). `None`: no such app of `org`'s.
    pub fn handover_received(
        &mut self,
        order: Uuid,
        index: u32,
        org: &str,
    ) -> rusqlite::Result<Option<Receipt>> {
        let tx = self.db.transaction()?;
        let row: Option<Option<String>> = tx
            .query_row(
                "SELECT a.handover FROM apps a JOIN orders o ON o.id = a.order_id
                 WHERE a.order_id = ?1 AND a.idx = ?2 AND o.org = ?3",
                params![order.to_string(), index, org],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = row else {
            return Ok(None);
        };
        let Some(mut handover) = stored.and_then(|h| serde_json::from_str::<Handover>(&h).ok())
        else {
            return Ok(Some(Receipt::Nothing));
        };
        handover.sealed = None;
        tx.execute(
            "UPDATE apps SET handover = ?3 WHERE order_id = ?1 AND idx = ?2",
            params![
                order.to_string(),
                index,
                serde_json::to_string(&handover).expect("a handover serialises")
            ],
        )?;
        tx.commit()?;
        // Best effort: move the change into the database file now, so the write-ahead
        // log does not keep the sealed copy until the next automatic checkpoint.
        let _ = self.db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        Ok(Some(Receipt::Forgotten))
    }
}
