//! The live room's ledger in the library: participants, their dots and proposals,
//! each written before the participant is told it worked, so a crash loses nothing
//! that was acknowledged. Ending the vote writes the tallies into the plans.
//!
//! Every read a phone or the projector makes goes through an index or the running
//! tallies (`room_tallies`), so it costs the same in a room of ten or of thousands.

mod dots;
mod people;
mod proposals;

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::{Library, format_time};
use crate::model::Plan;
use crate::model::plan::{self, PlanId};
use crate::room::{
    MAX_DOTS_EACH, MAX_ORGANISATIONS, MIN_DOTS_EACH, RoomError, RoomPhase, RoomRecord,
};
use crate::vote::{RoomMerge, merge_room};

pub use people::{Participant, Removals, Removed, RoomPerson};
pub use proposals::{ProposalCounts, ProposalDecision};

type Result<T> = std::result::Result<T, RoomError>;

fn plan_id(text: &str) -> Result<PlanId> {
    text.parse::<Uuid>()
        .map(PlanId)
        .map_err(|_| RoomError::NotInRoom)
}

impl Library {
    /// Opens a room for `plans`; only one room is open at a time.
    pub fn room_open(&mut self, plans: &[PlanId], dots_each: u32) -> Result<RoomRecord> {
        if plans.is_empty() || plans.len() > MAX_ORGANISATIONS {
            return Err(RoomError::Organisations {
                max: MAX_ORGANISATIONS,
            });
        }
        if !(MIN_DOTS_EACH..=MAX_DOTS_EACH).contains(&dots_each) {
            return Err(RoomError::Dots { max: MAX_DOTS_EACH });
        }
        for id in plans {
            self.get(*id)?;
        }
        if self.room_current()?.is_some() {
            return Err(RoomError::AlreadyOpen);
        }
        let mut unique = plans.to_vec();
        unique.dedup();
        let room = RoomRecord {
            id: Uuid::new_v4().to_string(),
            plans: unique,
            dots_each,
            phase: RoomPhase::Open,
            tallies_hidden: false,
            joining_locked: false,
        };
        let plans_json = serde_json::to_string(&room.plans).expect("plan ids serialise");
        self.conn.execute(
            "INSERT INTO rooms (id, opened_at, plans, dots_each, phase, tallies_hidden)
             VALUES (?1, ?2, ?3, ?4, 'open', 0)",
            params![room.id, format_time(plan::now()), plans_json, dots_each],
        )?;
        Ok(room)
    }

    /// The room that has not ended, if any (also one left open by a crash).
    pub fn room_current(&self) -> Result<Option<RoomRecord>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, plans, dots_each, phase, tallies_hidden, joining_locked FROM rooms
                 WHERE ended_at IS NULL ORDER BY opened_at DESC LIMIT 1",
            )?
            .query_row([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })
            .optional()?;
        Ok(row.map(
            |(id, plans, dots_each, phase, tallies_hidden, joining_locked)| RoomRecord {
                id,
                plans: serde_json::from_str(&plans).unwrap_or_default(),
                dots_each,
                phase: RoomPhase::from_key(&phase).unwrap_or(RoomPhase::Paused),
                tallies_hidden,
                joining_locked,
            },
        ))
    }

    fn room_by_id(&self, room: &str) -> Result<RoomRecord> {
        self.room_current()?
            .filter(|r| r.id == room)
            .ok_or(RoomError::NoRoom)
    }

    /// Pauses or resumes the room, hides or reveals the tallies.
    pub fn room_set(
        &mut self,
        room: &str,
        phase: RoomPhase,
        tallies_hidden: bool,
    ) -> Result<RoomRecord> {
        self.room_by_id(room)?;
        if phase == RoomPhase::Ended {
            return Err(RoomError::Ended);
        }
        self.conn.execute(
            "UPDATE rooms SET phase = ?2, tallies_hidden = ?3 WHERE id = ?1",
            params![room, phase.key(), tallies_hidden],
        )?;
        self.room_by_id(room)
    }

    /// Closes the room to new participants, or opens it again.
    pub fn room_lock_joining(&mut self, room: &str, locked: bool) -> Result<RoomRecord> {
        self.room_by_id(room)?;
        self.conn.execute(
            "UPDATE rooms SET joining_locked = ?2 WHERE id = ?1",
            params![room, locked],
        )?;
        self.room_by_id(room)
    }

    /// Ends the room: each plan's board takes its tallies through the vote's one
    /// state machine (`vote::merge_room`): added to the dots placed at the desk, or
    /// replacing them when `merge` says so. Answers the plans as saved.
    pub fn room_end(&mut self, room: &str, merge: RoomMerge) -> Result<Vec<Plan>> {
        let record = self.room_by_id(room)?;
        let tallies = self.room_tallies(room)?;
        let mut saved = Vec::new();
        for (id, (tally, participants)) in tallies {
            let Ok(mut plan) = self.get(id) else {
                continue;
            };
            plan.needs = merge_room(&plan.needs, &tally, participants, record.dots_each, merge);
            saved.push(self.save(&plan)?);
        }
        self.conn.execute(
            "UPDATE rooms SET phase = 'ended', ended_at = ?2 WHERE id = ?1",
            params![room, format_time(plan::now())],
        )?;
        Ok(saved)
    }
}
