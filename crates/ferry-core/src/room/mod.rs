//! A live workshop room: participants on their phones propose needs and place dots
//! on their own organisation's cards. What they do is kept in the library as it
//! happens (a ledger: who placed which dot), and when the facilitator ends the vote
//! the tallies are written into each plan exactly as a vote at one laptop is
//! (`NeedEntry::votes`, `NeedsBoard::vote`): one model, not a second one.

mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::PlanId;

pub use text::clean_text;

/// Longest proposal a participant may send, in characters.
pub const MAX_PROPOSAL_CHARS: usize = 280;
/// Longest first name a participant may give.
pub const MAX_NAME_CHARS: usize = 40;
/// Fewest and most dots a facilitator may give each participant: a vote's limits.
pub use crate::model::vote::{MAX_DOTS_EACH, MIN_DOTS_EACH};
/// Most organisations in one room.
pub const MAX_ORGANISATIONS: usize = 12;
/// Most combining marks kept on one letter: Vietnamese stacks two, a few scripts
/// three or four; hundreds only draw over the lines around them.
pub const MAX_MARKS: usize = 4;

// What one network address, and the whole room, may hold. Phones on a venue's Wi-Fi
// each have an address of their own, but a guest network behind one router shows
// them all as one, so an address may hold a table's worth of phones, not a room's.

/// Most participants who join from one network address.
pub const MAX_PARTICIPANTS_PER_ADDRESS: u32 = 40;
/// Most participants in one room.
pub const MAX_PARTICIPANTS: u32 = 5_000;
/// Most proposals one participant may make (a phone stuck on "send").
pub const MAX_PROPOSALS_EACH: u32 = 30;
/// Most proposals from one network address.
pub const MAX_PROPOSALS_PER_ADDRESS: u32 = 120;
/// Most proposals in one room.
pub const MAX_PROPOSALS: u32 = 10_000;
/// Waiting proposals the facilitator's board shows at once; the rest are paged.
pub const PROPOSALS_SHOWN: u32 = 50;
/// Participants the facilitator's list of people shows at once.
pub const PEOPLE_SHOWN: u32 = 50;

/// Whether participants may act now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoomPhase {
    /// Joining, proposing and voting are open.
    Open,
    /// Nobody joins, proposes or votes until the facilitator resumes.
    Paused,
    /// The vote is over; its result is in the plans.
    Ended,
}

crate::all_values!(RoomPhase: Open, Paused, Ended);
crate::all_values!(ProposalKind: Need, Note);
crate::all_values!(ProposalState: New, Accepted, Merged, Dismissed);

impl RoomPhase {
    pub fn key(self) -> &'static str {
        match self {
            RoomPhase::Open => "open",
            RoomPhase::Paused => "paused",
            RoomPhase::Ended => "ended",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        RoomPhase::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// What a participant proposes; a need unless they say otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// A need the organisation has that is not on its board.
    #[default]
    Need,
    /// A remark, e.g. "we use WhatsApp for the board".
    Note,
}

/// What became of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    New,
    /// Put on the board as a card of its own.
    Accepted,
    /// Added to an existing card's notes.
    Merged,
    Dismissed,
}

impl ProposalState {
    pub fn key(self) -> &'static str {
        match self {
            ProposalState::New => "new",
            ProposalState::Accepted => "accepted",
            ProposalState::Merged => "merged",
            ProposalState::Dismissed => "dismissed",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        ProposalState::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A room as the library keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomRecord {
    pub id: String,
    pub plans: Vec<PlanId>,
    pub dots_each: u32,
    pub phase: RoomPhase,
    /// Tallies hidden from participants and the projector until revealed.
    pub tallies_hidden: bool,
    /// No new participants (those in the room go on).
    pub joining_locked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Proposal {
    pub id: String,
    pub plan: PlanId,
    pub kind: ProposalKind,
    pub text: String,
    /// The participant's first name, if they gave one.
    pub by: Option<String>,
    /// Who sent it (the library's id, not their token): the facilitator can remove them.
    pub participant: String,
    pub state: ProposalState,
}

/// Dots per need for one organisation.
pub type Tally = BTreeMap<String, u32>;

/// Why a participant's request was refused.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error("there is no open room here, or its address is wrong")]
    NoRoom,
    #[error("the room has ended")]
    Ended,
    #[error("voting is paused")]
    Paused,
    #[error("this phone has not joined the room, or the room was opened again")]
    NotJoined,
    #[error("that organisation is not in this room")]
    NotInRoom,
    #[error("that need is not on the organisation's board")]
    UnknownNeed,
    #[error("all {budget} dots are placed; take one back first")]
    NoDotsLeft { budget: u32 },
    #[error("there is no dot on that need to take back")]
    NoDotThere,
    #[error("the text is empty")]
    Empty,
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    #[error("too many requests from this phone; wait a moment")]
    TooMany,
    #[error("the facilitator has closed the room to new participants")]
    JoiningLocked,
    #[error("the room has as many participants as it can take ({max})")]
    Full { max: u32 },
    #[error("{max} phones have joined from this network address; no more can")]
    AddressFull { max: u32 },
    #[error("no more proposals can be taken from this phone or this network (at most {max})")]
    ProposalsFull { max: u32 },
    #[error("no such participant in the room")]
    NoParticipant,
    #[error("this address is not the room's; open the one on the projector")]
    WrongHost,
    #[error("the room is busy; try again in a moment")]
    Busy,
    #[error("the request is larger than {max_kb} KB")]
    TooLarge { max_kb: usize },
    #[error("no such proposal")]
    NoProposal,
    #[error("a room is already open; end it first")]
    AlreadyOpen,
    #[error("a room needs between 1 and {max} organisations")]
    Organisations { max: usize },
    #[error("each participant gets between 1 and {max} dots")]
    Dots { max: u32 },
    #[error("the network address {address} cannot be used: {detail}")]
    Address { address: String, detail: String },
    #[error(transparent)]
    Library(#[from] crate::CoreError),
}

impl From<rusqlite::Error> for RoomError {
    fn from(e: rusqlite::Error) -> Self {
        RoomError::Library(crate::CoreError::Storage(e))
    }
}

ferry_codes::error_codes!(RoomError {
    NoRoom => "room.no_room",
    Ended => "room.ended",
    Paused => "room.paused",
    NotJoined => "room.not_joined",
    NotInRoom => "room.not_in_room",
    UnknownNeed => "room.unknown_need",
    NoDotsLeft => "room.no_dots_left",
    NoDotThere => "room.no_dot_there",
    Empty => "room.empty",
    TooLong => "room.too_long",
    TooMany => "room.too_many",
    JoiningLocked => "room.joining_locked",
    Full => "room.full",
    AddressFull => "room.address_full",
    ProposalsFull => "room.proposals_full",
    NoParticipant => "room.no_participant",
    WrongHost => "room.wrong_host",
    Busy => "room.busy",
    TooLarge => "room.too_large",
    NoProposal => "room.no_proposal",
    AlreadyOpen => "room.already_open",
    Organisations => "room.organisations",
    Dots => "room.dots",
    Address => "room.address",
} delegate { Library => crate::CoreError });

impl RoomError {
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        match self {
            RoomError::NoDotsLeft { budget } => {
                p.insert("budget".into(), budget.to_string());
            }
            RoomError::TooLong { max } | RoomError::Organisations { max } => {
                p.insert("max".into(), max.to_string());
            }
            RoomError::TooLarge { max_kb } => {
                p.insert("max".into(), max_kb.to_string());
            }
            RoomError::Dots { max }
            | RoomError::Full { max }
            | RoomError::AddressFull { max }
            | RoomError::ProposalsFull { max } => {
                p.insert("max".into(), max.to_string());
            }
            RoomError::Address { address, detail } => {
                p.insert("address".into(), address.clone());
                p.insert("detail".into(), detail.clone());
            }
            RoomError::Library(e) => return e.params(),
            _ => {}
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_and_states_round_trip_their_keys() {
        for p in [RoomPhase::Open, RoomPhase::Paused, RoomPhase::Ended] {
            assert_eq!(RoomPhase::from_key(p.key()), Some(p));
        }
        assert_eq!(
            ProposalState::from_key("merged"),
            Some(ProposalState::Merged)
        );
        assert_eq!(ProposalState::from_key("other"), None);
    }
}
