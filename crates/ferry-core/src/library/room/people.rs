//! Who is in the room: joining (within the caps per network address and per room),
//! finding a participant by their token, and the facilitator removing one — with
//! their dots, which leave the tallies in the same transaction.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Library, Result, format_time, plan_id};
use crate::model::plan::{self, PlanId};
use crate::room::{MAX_PARTICIPANTS, MAX_PARTICIPANTS_PER_ADDRESS, RoomError, RoomPhase};

/// A participant found by their token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: String,
    pub room: String,
    pub plan: PlanId,
    pub name: Option<String>,
}

/// A participant as the facilitator's list shows them (never their address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomPerson {
    pub id: String,
    pub name: Option<String>,
    pub plan: PlanId,
    pub dots: u32,
    pub proposals: u32,
    /// Others in the room who joined from the same network address.
    pub same_address: u32,
}

/// Who the facilitator has removed so far, and the dots that went with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Removals {
    pub people: u32,
    pub dots: u32,
}

/// What one removal took out: the people, their dots, and their token hashes (for
/// the room's server to forget).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub people: u32,
    pub dots: u32,
    pub token_hashes: Vec<String>,
}

impl Library {
    /// A new participant for `plan`, known from now on by `token_hash`, who joined
    /// from `address` (empty when not over the network). The same token again is the
    /// same join, sent again after its answer was lost: the participant it made, not a
    /// second one (a token removed, or from another room, joins no one).
    pub fn room_join(
        &mut self,
        room: &str,
        token_hash: &str,
        plan: PlanId,
        name: Option<&str>,
        address: &str,
    ) -> Result<Participant> {
        let record = self.room_by_id(room)?;
        match record.phase {
            RoomPhase::Open => {}
            RoomPhase::Paused => return Err(RoomError::Paused),
            RoomPhase::Ended => return Err(RoomError::Ended),
        }
        if record.joining_locked {
            return Err(RoomError::JoiningLocked);
        }
        if !record.plans.contains(&plan) {
            return Err(RoomError::NotInRoom);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let earlier = tx
            .prepare_cached(
                "SELECT id, room_id, plan_id, name, removed_at IS NULL FROM room_participants WHERE token_hash = ?1",
            )?
            .query_row([token_hash], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .optional()?;
        if let Some((id, in_room, plan, name, present)) = earlier {
            if in_room != room || !present {
                return Err(RoomError::NotJoined);
            }
            return Ok(Participant {
                id,
                room: in_room,
                plan: plan_id(&plan)?,
                name,
            });
        }
        // Removed participants still count: removing a prankster's phones must not
        // make room for them to join again.
        let from_address: u32 = tx
            .prepare_cached(
                "SELECT COUNT(*) FROM room_participants WHERE room_id = ?1 AND address = ?2",
            )?
            .query_row(params![room, address], |r| r.get(0))?;
        if from_address >= MAX_PARTICIPANTS_PER_ADDRESS {
            return Err(RoomError::AddressFull {
                max: MAX_PARTICIPANTS_PER_ADDRESS,
            });
        }
        let in_room: u32 = tx
            .prepare_cached("SELECT COUNT(*) FROM room_participants WHERE room_id = ?1")?
            .query_row([room], |r| r.get(0))?;
        if in_room >= MAX_PARTICIPANTS {
            return Err(RoomError::Full {
                max: MAX_PARTICIPANTS,
            });
        }
        let participant = Participant {
            id: Uuid::new_v4().to_string(),
            room: room.to_owned(),
            plan,
            name: name.map(str::to_owned),
        };
        tx.execute(
            "INSERT INTO room_participants (id, room_id, token_hash, plan_id, name, joined_at, address)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                participant.id,
                room,
                token_hash,
                plan.to_string(),
                participant.name,
                format_time(plan::now()),
                address
            ],
        )?;
        tx.commit()?;
        Ok(participant)
    }

    /// The participant with this token in the open room (not one who was removed).
    pub fn room_participant(&self, room: &str, token_hash: &str) -> Result<Participant> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT p.id, p.plan_id, p.name FROM room_participants p JOIN rooms r ON r.id = p.room_id
                 WHERE p.token_hash = ?1 AND p.room_id = ?2 AND p.removed_at IS NULL AND r.ended_at IS NULL",
            )?
            .query_row(params![token_hash, room], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
            })
            .optional()?;
        let (id, plan, name) = row.ok_or(RoomError::NotJoined)?;
        Ok(Participant {
            id,
            room: room.to_owned(),
            plan: plan_id(&plan)?,
            name,
        })
    }

    /// Participants per organisation (removed ones not counted), from the index.
    pub fn room_headcount(&self, room: &str) -> Result<Vec<(PlanId, u32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT plan_id, COUNT(*) FROM room_participants
             WHERE room_id = ?1 AND removed_at IS NULL GROUP BY plan_id",
        )?;
        let rows = stmt.query_map([room], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (plan, count) = row?;
            out.push((plan_id(&plan)?, count));
        }
        Ok(out)
    }

    /// Removes a participant: their dots leave the tallies, their waiting proposals
    /// are set aside, their token stops working. With `same_address`, everyone still
    /// in the room who joined from the same network address goes too.
    pub fn room_remove(
        &mut self,
        room: &str,
        participant: &str,
        same_address: bool,
    ) -> Result<Removed> {
        self.room_by_id(room)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let address: String = tx
            .query_row(
                "SELECT address FROM room_participants
                 WHERE id = ?1 AND room_id = ?2 AND removed_at IS NULL",
                params![participant, room],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(RoomError::NoParticipant)?;
        let who: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT id, plan_id, token_hash FROM room_participants
                 WHERE room_id = ?1 AND removed_at IS NULL AND (id = ?2 OR (?3 AND address = ?4))",
            )?;
            stmt.query_map(params![room, participant, same_address, address], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<std::result::Result<_, _>>()?
        };
        let mut removed = Removed::default();
        let now = format_time(plan::now());
        for (id, plan, token_hash) in who {
            let dots: Vec<(String, u32)> = tx
                .prepare_cached("SELECT need, dots FROM room_dots WHERE participant_id = ?1")?
                .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<std::result::Result<_, _>>()?;
            let mut taken = 0;
            for (need, n) in dots {
                tx.execute(
                    "UPDATE room_tallies SET dots = dots - ?4
                     WHERE room_id = ?1 AND plan_id = ?2 AND need = ?3",
                    params![room, plan, need, n],
                )?;
                taken += n;
            }
            tx.execute("DELETE FROM room_dots WHERE participant_id = ?1", [&id])?;
            tx.execute(
                "UPDATE room_proposals SET state = 'dismissed' WHERE participant_id = ?1 AND state = 'new'",
                [&id],
            )?;
            tx.execute(
                "UPDATE room_participants SET removed_at = ?2, removed_dots = ?3 WHERE id = ?1",
                params![id, now, taken],
            )?;
            removed.people += 1;
            removed.dots += taken;
            removed.token_hashes.push(token_hash);
        }
        tx.commit()?;
        Ok(removed)
    }

    /// Everyone removed from the room so far.
    pub fn room_removals(&self, room: &str) -> Result<Removals> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(SUM(removed_dots), 0) FROM room_participants
                 WHERE room_id = ?1 AND removed_at IS NOT NULL",
            )?
            .query_row([room], |r| {
                Ok(Removals {
                    people: r.get(0)?,
                    dots: r.get(1)?,
                })
            })?)
    }

    /// Participants still in the room, the latest to join first, `limit` from `offset`.
    pub fn room_people(&self, room: &str, offset: u32, limit: u32) -> Result<Vec<RoomPerson>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, p.plan_id,
                (SELECT COALESCE(SUM(dots), 0) FROM room_dots WHERE participant_id = p.id),
                (SELECT COUNT(*) FROM room_proposals WHERE participant_id = p.id),
                (SELECT COUNT(*) FROM room_participants q
                 WHERE q.room_id = p.room_id AND q.address = p.address AND q.removed_at IS NULL) - 1
             FROM room_participants p WHERE p.room_id = ?1 AND p.removed_at IS NULL
             ORDER BY p.rowid DESC LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![room, limit, offset], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, u32>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, plan, dots, proposals, same_address) = row?;
            out.push(RoomPerson {
                id,
                name,
                plan: plan_id(&plan)?,
                dots,
                proposals,
                same_address,
            });
        }
        Ok(out)
    }
}
