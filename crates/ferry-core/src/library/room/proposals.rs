//! Proposals: kept for the facilitator within the caps per participant, per network
//! address and per room; shown a page at a time; put on a board, added to a card or
//! set aside, one by one or many at once.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Library, Participant, Result, format_time, plan_id};
use crate::model::plan::{self, Plan};
use crate::model::{NeedEntry, Priority};
use crate::room::{
    MAX_PROPOSALS, MAX_PROPOSALS_EACH, MAX_PROPOSALS_PER_ADDRESS, Proposal, ProposalKind,
    ProposalState, RoomError, RoomPhase,
};

/// What the facilitator does with a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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

/// How many proposals are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProposalCounts {
    pub waiting: u32,
    pub accepted: u32,
    pub merged: u32,
    pub dismissed: u32,
}

const SELECT: &str = "SELECT r.id, r.plan_id, r.kind, r.text, p.name, r.participant_id, r.state
     FROM room_proposals r JOIN room_participants p ON p.id = r.participant_id";

fn read(r: &rusqlite::Row) -> rusqlite::Result<[Option<String>; 7]> {
    Ok([
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ])
}

fn proposal(row: [Option<String>; 7]) -> Result<Proposal> {
    let [id, plan, kind, text, by, participant, state] = row;
    Ok(Proposal {
        id: id.unwrap_or_default(),
        plan: plan_id(plan.as_deref().unwrap_or_default())?,
        kind: if kind.as_deref() == Some("need") {
            ProposalKind::Need
        } else {
            ProposalKind::Note
        },
        text: text.unwrap_or_default(),
        by,
        participant: participant.unwrap_or_default(),
        state: state
            .as_deref()
            .and_then(ProposalState::from_key)
            .unwrap_or(ProposalState::New),
    })
}

impl Library {
    /// Keeps a participant's proposal for the facilitator (text already checked).
    pub fn room_propose(
        &mut self,
        who: &Participant,
        kind: ProposalKind,
        text: &str,
    ) -> Result<Proposal> {
        let record = self.room_by_id(&who.room)?;
        match record.phase {
            RoomPhase::Open => {}
            RoomPhase::Paused => return Err(RoomError::Paused),
            RoomPhase::Ended => return Err(RoomError::Ended),
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let each: u32 = tx
            .prepare_cached("SELECT COUNT(*) FROM room_proposals WHERE participant_id = ?1")?
            .query_row([&who.id], |r| r.get(0))?;
        let from_address: u32 = tx
            .prepare_cached(
                "SELECT COUNT(*) FROM room_proposals r JOIN room_participants p ON p.id = r.participant_id
                 WHERE p.room_id = ?1 AND p.address = (SELECT address FROM room_participants WHERE id = ?2)",
            )?
            .query_row(params![who.room, who.id], |r| r.get(0))?;
        let in_room: u32 = tx
            .prepare_cached("SELECT COUNT(*) FROM room_proposals WHERE room_id = ?1")?
            .query_row([&who.room], |r| r.get(0))?;
        for (count, max) in [
            (each, MAX_PROPOSALS_EACH),
            (from_address, MAX_PROPOSALS_PER_ADDRESS),
            (in_room, MAX_PROPOSALS),
        ] {
            if count >= max {
                return Err(RoomError::ProposalsFull { max });
            }
        }
        let proposal = Proposal {
            id: Uuid::new_v4().to_string(),
            plan: who.plan,
            kind,
            text: text.to_owned(),
            by: who.name.clone(),
            participant: who.id.clone(),
            state: ProposalState::New,
        };
        let kind_key = match kind {
            ProposalKind::Need => "need",
            ProposalKind::Note => "note",
        };
        tx.execute(
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
        tx.commit()?;
        Ok(proposal)
    }

    /// One participant's proposals, oldest first (at most `MAX_PROPOSALS_EACH`).
    pub fn room_proposals_of(&self, who: &Participant) -> Result<Vec<Proposal>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE r.participant_id = ?1 ORDER BY r.rowid"
        ))?;
        let rows = stmt.query_map([&who.id], read)?;
        rows.map(|r| proposal(r?)).collect()
    }

    /// Waiting proposals, oldest first: `limit` of them from `offset`.
    pub fn room_waiting(&self, room: &str, offset: u32, limit: u32) -> Result<Vec<Proposal>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE r.room_id = ?1 AND r.state = 'new' ORDER BY r.rowid LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(params![room, limit, offset], read)?;
        rows.map(|r| proposal(r?)).collect()
    }

    /// How many proposals are waiting, accepted, merged and set aside.
    pub fn room_proposal_counts(&self, room: &str) -> Result<ProposalCounts> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, COUNT(*) FROM room_proposals WHERE room_id = ?1 GROUP BY state",
        )?;
        let rows = stmt.query_map([room], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        let mut counts = ProposalCounts::default();
        for row in rows {
            let (state, n) = row?;
            match ProposalState::from_key(&state) {
                Some(ProposalState::New) => counts.waiting = n,
                Some(ProposalState::Accepted) => counts.accepted = n,
                Some(ProposalState::Merged) => counts.merged = n,
                Some(ProposalState::Dismissed) => counts.dismissed = n,
                None => {}
            }
        }
        Ok(counts)
    }

    fn room_proposal(&self, room: &str, id: &str) -> Result<Proposal> {
        let row = self
            .conn
            .prepare_cached(&format!("{SELECT} WHERE r.id = ?1 AND r.room_id = ?2"))?
            .query_row(params![id, room], read)
            .optional()?;
        proposal(row.ok_or(RoomError::NoProposal)?)
    }

    /// Puts a proposal on its organisation's board, adds it to a card, or sets it aside.
    pub fn room_decide(
        &mut self,
        room: &str,
        proposal: &str,
        decision: &ProposalDecision,
    ) -> Result<Plan> {
        let found = self.room_proposal(room, proposal)?;
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

    /// Sets aside the waiting proposals among `ids`, in one transaction. Answers how
    /// many were set aside (one already decided is left as it is).
    pub fn room_dismiss(&mut self, room: &str, ids: &[String]) -> Result<u32> {
        self.room_by_id(room)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut dismissed = 0;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE room_proposals SET state = 'dismissed'
                 WHERE id = ?1 AND room_id = ?2 AND state = 'new'",
            )?;
            for id in ids {
                dismissed += stmt.execute(params![id, room])? as u32;
            }
        }
        tx.commit()?;
        Ok(dismissed)
    }
}
