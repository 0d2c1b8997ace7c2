//! The facilitator's board, as the projector shows it: each organisation's cards
//! with their dots, counts of people and proposals, the first page of waiting
//! proposals, who was removed, and the controls that apply now. Its size does not
//! grow with the room: the rest of the proposals and the people are paged.

use std::collections::BTreeMap;

use ferry_core::library::{ProposalCounts, Removals};
use ferry_core::model::Priority;
use ferry_core::room::{PROPOSALS_SHOWN, Proposal, RoomError, RoomPhase, RoomRecord, Tally};
use ferry_core::{Library, PlanId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Host};

/// One organisation's card as the projector shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BoardCard {
    pub need: String,
    pub priority: Priority,
    pub dots: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BoardOrg {
    pub plan: PlanId,
    pub name: String,
    pub participants: u32,
    pub dots_used: u32,
    /// Dots already on the organisation's board (a vote at the desk), which the room's
    /// end adds to unless the facilitator chooses to replace them.
    pub desk_dots: u32,
    /// Most dots first; cards without dots in board order.
    pub cards: Vec<BoardCard>,
}

/// The facilitator's view of the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomBoard {
    /// The server is up (false for a room left open by a crash: its votes can still be saved).
    pub running: bool,
    pub url: Option<String>,
    /// The address as a QR code (SVG), for phones to scan.
    pub qr_svg: Option<String>,
    pub code: Option<String>,
    /// The network it listens on, for "On the Wi-Fi (192.168.1.20)".
    pub interface: Option<super::NetInterface>,
    pub phase: RoomPhase,
    pub tallies_hidden: bool,
    /// No new participants may join.
    pub joining_locked: bool,
    pub dots_each: u32,
    pub organisations: Vec<BoardOrg>,
    /// The oldest waiting proposals (`PROPOSALS_SHOWN` at most; `room_proposals` pages).
    pub proposals: Vec<Proposal>,
    pub proposal_counts: ProposalCounts,
    /// Participants the facilitator removed, and the dots that went with them.
    pub removed: Removals,
    /// The controls that apply now (pause only when open, and so on), in order.
    pub actions: Vec<RoomAction>,
    pub version: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoomAction {
    Pause,
    Resume,
    HideTallies,
    RevealTallies,
    /// No new participants (those in the room go on).
    LockJoining,
    UnlockJoining,
    /// Takes every dot back; participants stay.
    ResetVotes,
}

ferry_core::all_values!(RoomAction: Pause, Resume, HideTallies, RevealTallies, LockJoining, UnlockJoining, ResetVotes);

pub(super) fn actions_for(record: &RoomRecord) -> Vec<RoomAction> {
    RoomAction::ALL
        .into_iter()
        .filter(|a| match a {
            RoomAction::Pause => record.phase == RoomPhase::Open,
            RoomAction::Resume => record.phase == RoomPhase::Paused,
            RoomAction::HideTallies => !record.tallies_hidden,
            RoomAction::RevealTallies => record.tallies_hidden,
            RoomAction::LockJoining => !record.joining_locked,
            RoomAction::UnlockJoining => record.joining_locked,
            RoomAction::ResetVotes => true,
        })
        .collect()
}

pub(super) fn org_name(plan: &ferry_core::Plan) -> String {
    let name = plan.organisation.name.trim();
    if name.is_empty() {
        plan.name.clone()
    } else {
        name.to_owned()
    }
}

/// What the library says of the room, read in one go on the library's thread.
struct Read {
    record: RoomRecord,
    organisations: Vec<BoardOrg>,
    proposals: Vec<Proposal>,
    counts: ProposalCounts,
    removed: Removals,
}

fn read(lib: &mut Library) -> Result<Option<Read>, RoomError> {
    let Some(record) = lib.room_current()? else {
        return Ok(None);
    };
    let mut tallies = lib.room_running_tallies(&record.id)?;
    let heads: BTreeMap<PlanId, u32> = lib.room_headcount(&record.id)?.into_iter().collect();
    let mut organisations = Vec::new();
    for id in &record.plans {
        let Ok(plan) = lib.get(*id) else { continue };
        let tally: Tally = tallies.remove(id).unwrap_or_default();
        let mut cards: Vec<BoardCard> = plan
            .needs
            .needs
            .iter()
            .map(|n| BoardCard {
                need: n.need.clone(),
                priority: n.priority,
                dots: tally.get(&n.need).copied().unwrap_or(0),
            })
            .collect();
        cards.sort_by_key(|c| std::cmp::Reverse(c.dots));
        organisations.push(BoardOrg {
            plan: *id,
            name: org_name(&plan),
            participants: heads.get(id).copied().unwrap_or(0),
            dots_used: tally.values().sum(),
            desk_dots: plan.needs.dots_used(),
            cards,
        });
    }
    Ok(Some(Read {
        proposals: lib.room_waiting(&record.id, 0, PROPOSALS_SHOWN)?,
        counts: lib.room_proposal_counts(&record.id)?,
        removed: lib.room_removals(&record.id)?,
        organisations,
        record,
    }))
}

/// The board of the open room (also one left open by a crash), if any.
pub(super) async fn board(host: &impl Host) -> Result<Option<RoomBoard>, ApiError> {
    let running = host.session().room();
    let Some(read) = host.library().run(read).await? else {
        return Ok(None);
    };
    let room = running.as_ref().filter(|r| r.id == read.record.id);
    Ok(Some(RoomBoard {
        running: room.is_some(),
        url: room.map(|r| r.url()),
        qr_svg: room.map(|r| r.qr_svg().to_owned()),
        code: room.map(|r| r.code.clone()),
        interface: room.map(|r| r.interface.clone()),
        phase: read.record.phase,
        tallies_hidden: read.record.tallies_hidden,
        joining_locked: read.record.joining_locked,
        dots_each: read.record.dots_each,
        actions: actions_for(&read.record),
        organisations: read.organisations,
        proposals: read.proposals,
        proposal_counts: read.counts,
        removed: read.removed,
        version: room.map_or(0, |r| r.pulse().version),
    }))
}
