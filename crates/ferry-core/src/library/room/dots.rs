//! Dots: each one in the ledger (`room_dots`, who placed it) and in the running
//! tallies (`room_tallies`, per organisation and need) in the same transaction. Phones
//! and the projector read the running tallies; ending the vote counts the ledger.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Library, Participant, Result, plan_id};
use crate::model::plan::PlanId;
use crate::room::{RoomError, RoomPhase, Tally};

impl Library {
    /// Adds a dot on `need` (or takes one back), within the budget, in one transaction.
    pub fn room_dot(&mut self, who: &Participant, need: &str, add: bool) -> Result<Tally> {
        let record = self.room_by_id(&who.room)?;
        match record.phase {
            RoomPhase::Open => {}
            RoomPhase::Paused => return Err(RoomError::Paused),
            RoomPhase::Ended => return Err(RoomError::Ended),
        }
        let plan = self.get(who.plan)?;
        if !plan.needs.needs.iter().any(|n| n.need == need) {
            return Err(RoomError::UnknownNeed);
        }
        let plan = who.plan.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let placed: u32 = tx
            .prepare_cached(
                "SELECT COALESCE(SUM(dots), 0) FROM room_dots WHERE participant_id = ?1",
            )?
            .query_row([&who.id], |r| r.get(0))?;
        let here: u32 = tx
            .prepare_cached("SELECT dots FROM room_dots WHERE participant_id = ?1 AND need = ?2")?
            .query_row(params![who.id, need], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        if add {
            if placed >= record.dots_each {
                return Err(RoomError::NoDotsLeft {
                    budget: record.dots_each,
                });
            }
            tx.execute(
                "INSERT INTO room_dots (participant_id, need, dots) VALUES (?1, ?2, 1)
                 ON CONFLICT (participant_id, need) DO UPDATE SET dots = dots + 1",
                params![who.id, need],
            )?;
            tx.execute(
                "INSERT INTO room_tallies (room_id, plan_id, need, dots) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (room_id, plan_id, need) DO UPDATE SET dots = dots + 1",
                params![who.room, plan, need],
            )?;
        } else {
            if here == 0 {
                return Err(RoomError::NoDotThere);
            }
            if here == 1 {
                tx.execute(
                    "DELETE FROM room_dots WHERE participant_id = ?1 AND need = ?2",
                    params![who.id, need],
                )?;
            } else {
                tx.execute(
                    "UPDATE room_dots SET dots = dots - 1 WHERE participant_id = ?1 AND need = ?2",
                    params![who.id, need],
                )?;
            }
            tx.execute(
                "UPDATE room_tallies SET dots = dots - 1 WHERE room_id = ?1 AND plan_id = ?2 AND need = ?3",
                params![who.room, plan, need],
            )?;
        }
        tx.commit()?;
        self.room_dots_of(who)
    }

    /// The dots one participant has placed.
    pub fn room_dots_of(&self, who: &Participant) -> Result<Tally> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT need, dots FROM room_dots WHERE participant_id = ?1")?;
        let rows = stmt.query_map([&who.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<std::result::Result<Tally, _>>()?)
    }

    /// One organisation's dots per need, from the running tallies.
    pub fn room_plan_tally(&self, room: &str, plan: PlanId) -> Result<Tally> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT need, dots FROM room_tallies WHERE room_id = ?1 AND plan_id = ?2 AND dots > 0",
        )?;
        let rows = stmt.query_map(params![room, plan.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<std::result::Result<Tally, _>>()?)
    }

    /// Every organisation's dots per need, from the running tallies (the projector's).
    pub fn room_running_tallies(&self, room: &str) -> Result<BTreeMap<PlanId, Tally>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT plan_id, need, dots FROM room_tallies WHERE room_id = ?1 AND dots > 0",
        )?;
        let rows = stmt.query_map([room], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?;
        let mut out: BTreeMap<PlanId, Tally> = BTreeMap::new();
        for row in rows {
            let (plan, need, dots) = row?;
            out.entry(plan_id(&plan)?).or_default().insert(need, dots);
        }
        Ok(out)
    }

    /// Dots per need and the number of participants, per organisation, counted from
    /// the ledger itself: what ending the vote writes into the plans.
    pub fn room_tallies(&self, room: &str) -> Result<BTreeMap<PlanId, (Tally, u32)>> {
        let record = self.room_by_id(room)?;
        let mut out: BTreeMap<PlanId, (Tally, u32)> = record
            .plans
            .iter()
            .map(|p| (*p, (Tally::new(), 0)))
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT p.plan_id, d.need, SUM(d.dots) FROM room_dots d
             JOIN room_participants p ON p.id = d.participant_id
             WHERE p.room_id = ?1 GROUP BY p.plan_id, d.need",
        )?;
        let rows = stmt.query_map([room], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?;
        for row in rows {
            let (plan, need, dots) = row?;
            if let Some(entry) = out.get_mut(&plan_id(&plan)?) {
                entry.0.insert(need, dots);
            }
        }
        for (plan, count) in self.room_headcount(room)? {
            if let Some(entry) = out.get_mut(&plan) {
                entry.1 = count;
            }
        }
        Ok(out)
    }

    /// Takes every dot back (the facilitator's reset); participants stay joined.
    pub fn room_reset_votes(&mut self, room: &str) -> Result<()> {
        self.room_by_id(room)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM room_dots WHERE participant_id IN
             (SELECT id FROM room_participants WHERE room_id = ?1)",
            [room],
        )?;
        tx.execute("DELETE FROM room_tallies WHERE room_id = ?1", [room])?;
        tx.commit()?;
        Ok(())
    }
}
