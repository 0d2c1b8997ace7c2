//! A dot vote's life on a needs board, as data: none yet, open, or ended with its
//! result kept on the cards. The transitions are in `crate::vote`; nothing else
//! changes a board's vote or its dots.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// Fewest people a vote counts.
pub const MIN_PARTICIPANTS: u32 = 1;
/// Most people one vote may count.
pub const MAX_PARTICIPANTS: u32 = 500;
/// Fewest dots each person places (the room's limit too).
pub const MIN_DOTS_EACH: u32 = 1;
/// Most dots each person may place (the room's limit too).
pub const MAX_DOTS_EACH: u32 = 20;

/// A vote's budget: each participant places `dots_each` dots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DotVote {
    pub participants: u32,
    pub dots_each: u32,
}

impl DotVote {
    /// What a new vote is offered with: a board's meeting, three dots each.
    pub const DEFAULT: DotVote = DotVote {
        participants: 8,
        dots_each: 3,
    };

    pub fn total(self) -> u32 {
        self.participants.saturating_mul(self.dots_each)
    }

    /// Within the limits above, for people and for dots each.
    pub fn in_range(self) -> bool {
        (MIN_PARTICIPANTS..=MAX_PARTICIPANTS).contains(&self.participants)
            && (MIN_DOTS_EACH..=MAX_DOTS_EACH).contains(&self.dots_each)
    }
}

/// A board's dot vote, once there is one (`NeedsBoard::vote` is `None` before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Vote {
    /// People place dots now, at most `participants × dots_each` in all.
    Open { participants: u32, dots_each: u32 },
    /// Voting is over and the dots stay on the cards as its result. `rounds` are the
    /// votes that gave them (at the desk, in a room of phones); empty when a plan from
    /// an older Ferry did not keep them.
    Ended { rounds: Vec<DotVote> },
}

impl Vote {
    pub fn open(v: DotVote) -> Vote {
        Vote::Open {
            participants: v.participants,
            dots_each: v.dots_each,
        }
    }

    /// The open vote's budget.
    pub fn open_budget(&self) -> Option<DotVote> {
        match *self {
            Vote::Open {
                participants,
                dots_each,
            } => Some(DotVote {
                participants,
                dots_each,
            }),
            Vote::Ended { .. } => None,
        }
    }

    /// The dots handed out, when known.
    pub fn total(&self) -> Option<u32> {
        match self {
            Vote::Open { .. } => self.open_budget().map(DotVote::total),
            Vote::Ended { rounds } if rounds.is_empty() => None,
            Vote::Ended { rounds } => Some(rounds.iter().map(|r| r.total()).sum()),
        }
    }

    /// The people who took part.
    pub fn participants(&self) -> u32 {
        match self {
            Vote::Open { participants, .. } => *participants,
            Vote::Ended { rounds } => rounds.iter().map(|r| r.participants).sum(),
        }
    }
}

// Plans written before the vote had a state keep loading: `{participants, dots_each}`
// was an open vote. (An open vote is still written with both numbers, so an older
// Ferry reads it too.)
impl<'de> Deserialize<'de> for Vote {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(tag = "state", rename_all = "snake_case")]
        enum Tagged {
            Open { participants: u32, dots_each: u32 },
            Ended { rounds: Vec<DotVote> },
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            Tagged(Tagged),
            Legacy(DotVote),
        }
        Ok(match Any::deserialize(d)? {
            Any::Legacy(v) => Vote::open(v),
            Any::Tagged(Tagged::Open {
                participants,
                dots_each,
            }) => Vote::Open {
                participants,
                dots_each,
            },
            Any::Tagged(Tagged::Ended { rounds }) => Vote::Ended { rounds },
        })
    }
}

/// What the last undoable vote action did, and the board's vote before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VoteUndo {
    pub did: UndoKind,
    pub vote: Option<Vote>,
    /// Dots per need before it.
    pub votes: BTreeMap<String, u32>,
}

/// The actions that can be taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UndoKind {
    /// Every dot taken off the cards.
    Cleared,
    /// The vote ended.
    Ended,
    /// A new vote replaced an ended one's result.
    Restarted,
    /// A room of phones ended and its dots came onto the board.
    Room,
}
