//! The live room's ledger in the library: participants, their dots and proposals,
//! each written before the participant is told it worked, so a crash loses nothing
//! that was acknowledged. Ending the vote writes the tallies into the plans.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::{Library, format_time};
use crate::model::plan::{self, PlanId};
use crate::model::{DotVote, NeedEntry, Plan, Priority};
use crate::room::{
    MAX_DOTS_EACH, MAX_ORGANISATIONS, Proposal, ProposalKind, ProposalState, RoomError, RoomPhase,
    RoomRecord, Tally,
};

type Result<T> = std::result::Result<T, RoomError>;

/// Most proposals one participant may make in a room (a phone stuck on "send").
const MAX_PROPOSALS_EACH: i64 = 30;

/// A participant found by their token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: String,
    pub room: String,
    pub plan: PlanId,
    pub name: Option<String>,
}

/// What the facilitator does with a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProposalDecision {
    /// A card of its own for the taxonomy need `need`, with the proposal as its note.
    Accept {
        need: String,
    },
    /// The proposal added to the notes of the card for `need`.
    Merge {
        need: String,
    },
    Dismiss,
}

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
        if !(1..=MAX_DOTS_EACH).contains(&dots_each) {
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
            .query_row(
                "SELECT id, plans, dots_each, phase, tallies_hidden FROM rooms
                 WHERE ended_at IS NULL ORDER BY opened_at DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                    ))
                },
            )
            .optional()?;
        Ok(
            row.map(|(id, plans, dots_each, phase, tallies_hidden)| RoomRecord {
                id,
                plans: serde_json::from_str(&plans).unwrap_or_default(),
                dots_each,
                phase: RoomPhase::from_key(&phase).unwrap_or(RoomPhase::Paused),
                tallies_hidden,
            }),
        )
    }

    fn room_by_id(&self, room: &str) -> Result<RoomRecord> {
        self.room_current()?
            .filter(|r| r.id == room)
            .ok_or(RoomError::NoRoom)
    }

    /// Pauses or resumes voting, hides or reveals the tallies.
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

    /// A new participant for `plan`, known from now on by `token_hash`.
    pub fn room_join(
        &mut self,
        room: &str,
        token_hash: &str,
        plan: PlanId,
        name: Option<&str>,
    ) -> Result<Participant> {
        let record = self.room_by_id(room)?;
        if !record.plans.contains(&plan) {
            return Err(RoomError::NotInRoom);
        }
        let participant = Participant {
            id: Uuid::new_v4().to_string(),
            room: room.to_owned(),
            plan,
            name: name.map(str::to_owned),
        };
        self.conn.execute(
            "INSERT INTO room_participants (id, room_id, token_hash, plan_id, name, joined_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                participant.id,
                room,
                token_hash,
                plan.to_string(),
                participant.name,
                format_time(plan::now())
            ],
        )?;
        Ok(participant)
    }

    /// The participant with this token in the open room.
    pub fn room_participant(&self, room: &str, token_hash: &str) -> Result<Participant> {
        let row = self
            .conn
            .query_row(
                "SELECT p.id, p.plan_id, p.name FROM room_participants p JOIN rooms r ON r.id = p.room_id
                 WHERE p.token_hash = ?1 AND p.room_id = ?2 AND r.ended_at IS NULL",
                params![token_hash, room],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)),
            )
            .optional()?;
        let (id, plan, name) = row.ok_or(RoomError::NotJoined)?;
        Ok(Participant {
            id,
            room: room.to_owned(),
            plan: plan_id(&plan)?,
            name,
        })
    }

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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let placed: u32 = tx.query_row(
            "SELECT COALESCE(SUM(dots), 0) FROM room_dots WHERE participant_id = ?1",
            [&who.id],
            |r| r.get(0),
        )?;
        let here: u32 = tx
            .query_row(
                "SELECT dots FROM room_dots WHERE participant_id = ?1 AND need = ?2",
                params![who.id, need],
                |r| r.get(0),
            )
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
        } else if here == 0 {
            return Err(RoomError::NoDotThere);
        } else if here == 1 {
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
        tx.commit()?;
        self.room_dots_of(who)
    }

    /// The dots one participant has placed.
    pub fn room_dots_of(&self, who: &Participant) -> Result<Tally> {
        let mut stmt = self
            .conn
            .prepare("SELECT need, dots FROM room_dots WHERE participant_id = ?1")?;
        let rows = stmt.query_map([&who.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<std::result::Result<Tally, _>>()?)
    }

    /// Dots per need and the number of participants, per organisation.
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
        let mut stmt = self.conn.prepare(
            "SELECT plan_id, COUNT(*) FROM room_participants WHERE room_id = ?1 GROUP BY plan_id",
        )?;
        let rows = stmt.query_map([room], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        for row in rows {
            let (plan, count) = row?;
            if let Some(entry) = out.get_mut(&plan_id(&plan)?) {
                entry.1 = count;
            }
        }
        Ok(out)
    }

    /// Takes every dot back (the facilitator's reset); participants stay joined.
    pub fn room_reset_votes(&mut self, room: &str) -> Result<()> {
        self.room_by_id(room)?;
        self.conn.execute(
            "DELETE FROM room_dots WHERE participant_id IN
             (SELECT id FROM room_participants WHERE room_id = ?1)",
            [room],
        )?;
        Ok(())
    }

    /// Keeps a participant's proposal for the facilitator (text already checked).
    pub fn room_propose(
        &mut self,
        who: &Participant,
        kind: ProposalKind,
        text: &str,
    ) -> Result<Proposal> {
        let record = self.room_by_id(&who.room)?;
        if record.phase == RoomPhase::Ended {
            return Err(RoomError::Ended);
        }
        let count: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM room_proposals WHERE participant_id = ?1",
            [&who.id],
            |r| r.get(0),
        )?;
        if count >= MAX_PROPOSALS_EACH {
            return Err(RoomError::TooMany);
        }
        let proposal = Proposal {
            id: Uuid::new_v4().to_string(),
            plan: who.plan,
            kind,
            text: text.to_owned(),
            by: who.name.clone(),
            state: ProposalState::New,
        };
        let kind_key = match kind {
            ProposalKind::Need => "need",
            ProposalKind::Note => "note",
        };
        self.conn.execute(
            "INSERT INTO room_proposals (id, room_id, plan_id, participant_id, kind, text, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7)",
            params![
                proposal.id,
                who.room,
                who.plan.to_string(),
                who.id,
                kind_key,
                proposal.text,
                format_time(plan::now())
            ],
        )?;
        Ok(proposal)
    }

    /// The room's proposals, oldest first; only one participant's with `by`.
    pub fn room_proposals(&self, room: &str, by: Option<&Participant>) -> Result<Vec<Proposal>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.plan_id, r.kind, r.text, p.name, r.state FROM room_proposals r
             JOIN room_participants p ON p.id = r.participant_id
             WHERE r.room_id = ?1 AND (?2 IS NULL OR r.participant_id = ?2)
             ORDER BY r.rowid",
        )?;
        let rows = stmt.query_map(params![room, by.map(|p| p.id.clone())], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, plan, kind, text, by, state) = row?;
            out.push(Proposal {
                id,
                plan: plan_id(&plan)?,
                kind: if kind == "need" {
                    ProposalKind::Need
                } else {
                    ProposalKind::Note
                },
                text,
                by,
                state: ProposalState::from_key(&state).unwrap_or(ProposalState::New),
            });
        }
        Ok(out)
    }

    /// Puts a proposal on its organisation's board, adds it to a card, or sets it aside.
    pub fn room_decide(
        &mut self,
        room: &str,
        proposal: &str,
        decision: &ProposalDecision,
    ) -> Result<Plan> {
        let found = self
            .room_proposals(room, None)?
            .into_iter()
            .find(|p| p.id == proposal)
            .ok_or(RoomError::NoProposal)?;
        let mut plan = self.get(found.plan)?;
        let state = match decision {
            ProposalDecision::Accept { need } | ProposalDecision::Merge { need } => {
                if crate::needs::taxonomy().get(need).is_none() {
                    return Err(RoomError::UnknownNeed);
                }
                match plan.needs.needs.iter_mut().find(|n| &n.need == need) {
                    Some(card) => {
                        if !card.notes.is_empty() {
                            card.notes.push('\n');
                        }
                        card.notes.push_str(&found.text);
                    }
                    None => plan.needs.needs.push(NeedEntry {
                        need: need.clone(),
                        priority: Priority::Should,
                        notes: found.text.clone(),
                        who: String::new(),
                        votes: 0,
                    }),
                }
                plan = self.save(&plan)?;
                if matches!(decision, ProposalDecision::Accept { .. }) {
                    ProposalState::Accepted
                } else {
                    ProposalState::Merged
                }
            }
            ProposalDecision::Dismiss => ProposalState::Dismissed,
        };
        self.conn.execute(
            "UPDATE room_proposals SET state = ?2 WHERE id = ?1",
            params![proposal, state.key()],
        )?;
        Ok(plan)
    }

    /// Ends the room: each plan gets its tallies as its dot vote, as a vote at one
    /// laptop would leave it. Answers the plans as saved.
    pub fn room_end(&mut self, room: &str) -> Result<Vec<Plan>> {
        let record = self.room_by_id(room)?;
        let tallies = self.room_tallies(room)?;
        let mut saved = Vec::new();
        for (id, (tally, participants)) in tallies {
            let Ok(mut plan) = self.get(id) else {
                continue;
            };
            for card in &mut plan.needs.needs {
                card.votes = tally.get(&card.need).copied().unwrap_or(0);
            }
            plan.needs.vote = Some(DotVote {
                participants: participants.max(1),
                dots_each: record.dots_each,
            });
            saved.push(self.save(&plan)?);
        }
        self.conn.execute(
            "UPDATE rooms SET phase = 'ended', ended_at = ?2 WHERE id = ?1",
            params![room, format_time(plan::now())],
        )?;
        Ok(saved)
    }
}
