//! The dot vote's transitions: start, place or take back a dot, end, clear, undo, and
//! a room of phones ending into the board. Each takes a board whose vote is valid and
//! gives one that is, or refuses with a [`VoteError`] and leaves the board as it was.
//! The window's board and the room both go through here, so the plan check
//! (`needs.vote`) can never see a state these produce.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::vote::{MAX_DOTS_EACH, MAX_PARTICIPANTS};
use crate::model::{DotVote, NeedEntry, NeedsBoard, Priority, UndoKind, Vote, VoteUndo};

/// What a person does to the board's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VoteAction {
    /// A new vote; an ended one's result is replaced (and can be taken back).
    Start { participants: u32, dots_each: u32 },
    /// One dot on `need`, or one taken back (`add: false`).
    Dot { need: String, add: bool },
    /// Voting stops; the dots stay on the cards as the result.
    End,
    /// Every dot off the cards; an open vote stays open, an ended one is gone.
    Clear,
    /// Takes back the last clearing, ending, new vote or room.
    Undo,
}

/// How a room's dots meet the dots already on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoomMerge {
    /// The phones' dots are added to those placed at the desk.
    #[default]
    Add,
    /// Only the phones' dots count; those placed at the desk are replaced.
    Replace,
}

crate::all_values!(RoomMerge: Add, Replace);

/// Why a vote action was refused; the board is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    #[error("a vote counts 1 to {max_participants} people with 1 to {max_dots} dots each")]
    OutOfRange {
        max_participants: u32,
        max_dots: u32,
    },
    #[error("a vote is already open; end it first")]
    AlreadyOpen,
    #[error("no vote is open")]
    NotOpen,
    #[error("that need is not on the board")]
    UnknownNeed,
    #[error("all {total} dots are placed; take one back first")]
    NoDotsLeft { total: u32 },
    #[error("there is no dot on that need to take back")]
    NoDotThere,
    #[error("there are no dots to clear")]
    NothingToClear,
    #[error("there is nothing to take back")]
    NothingToUndo,
}

ferry_codes::error_codes!(VoteError {
    OutOfRange => "vote.out_of_range",
    AlreadyOpen => "vote.already_open",
    NotOpen => "vote.not_open",
    UnknownNeed => "vote.unknown_need",
    NoDotsLeft => "vote.no_dots_left",
    NoDotThere => "vote.no_dot_there",
    NothingToClear => "vote.nothing_to_clear",
    NothingToUndo => "vote.nothing_to_undo",
});

impl VoteError {
    pub fn params(&self) -> BTreeMap<String, String> {
        match self {
            VoteError::OutOfRange {
                max_participants,
                max_dots,
            } => BTreeMap::from([
                ("max_participants".into(), max_participants.to_string()),
                ("max_dots".into(), max_dots.to_string()),
            ]),
            VoteError::NoDotsLeft { total } => {
                BTreeMap::from([("total".into(), total.to_string())])
            }
            _ => BTreeMap::new(),
        }
    }
}

/// What the board shows of its vote: counts the window writes, never works out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VoteStatus {
    pub used: u32,
    /// Dots handed out, when known (an older plan's ended vote may not say).
    pub total: Option<u32>,
    /// Dots still to place while the vote is open.
    pub left: Option<u32>,
    pub participants: u32,
    /// What "undo" would take back.
    pub undo: Option<UndoKind>,
}

pub fn status(board: &NeedsBoard) -> VoteStatus {
    let used = board.dots_used();
    let total = board.vote_total();
    VoteStatus {
        used,
        total,
        left: board
            .is_open()
            .then(|| total.unwrap_or(0).saturating_sub(used)),
        participants: board.participants(),
        undo: board.undo.as_ref().map(|u| u.did),
    }
}

/// Applies `action` to `board`: the new board, or why not (the board unchanged).
pub fn apply(board: &NeedsBoard, action: &VoteAction) -> Result<NeedsBoard, VoteError> {
    let mut next = board.clone();
    match action {
        VoteAction::Start {
            participants,
            dots_each,
        } => {
            let budget = DotVote {
                participants: *participants,
                dots_each: *dots_each,
            };
            if !budget.in_range() {
                return Err(VoteError::OutOfRange {
                    max_participants: MAX_PARTICIPANTS,
                    max_dots: MAX_DOTS_EACH,
                });
            }
            match board.vote {
                Some(Vote::Open { .. }) => return Err(VoteError::AlreadyOpen),
                // Dots on the cards are an earlier result: the new vote starts from none.
                _ if board.dots_used() > 0 => {
                    next.undo = Some(snapshot(board, UndoKind::Restarted));
                    set_all(&mut next, 0);
                }
                _ => next.undo = None,
            }
            next.vote = Some(Vote::open(budget));
        }
        VoteAction::Dot { need, add } => {
            let Some(budget) = board.vote.as_ref().and_then(Vote::open_budget) else {
                return Err(VoteError::NotOpen);
            };
            let used = board.dots_used();
            let card = next
                .needs
                .iter_mut()
                .find(|n| &n.need == need)
                .ok_or(VoteError::UnknownNeed)?;
            if *add {
                if used >= budget.total() {
                    return Err(VoteError::NoDotsLeft {
                        total: budget.total(),
                    });
                }
                card.votes += 1;
            } else {
                if card.votes == 0 {
                    return Err(VoteError::NoDotThere);
                }
                card.votes -= 1;
            }
            next.undo = None;
        }
        VoteAction::End => {
            let Some(budget) = board.vote.as_ref().and_then(Vote::open_budget) else {
                return Err(VoteError::NotOpen);
            };
            next.undo = Some(snapshot(board, UndoKind::Ended));
            next.vote = Some(Vote::Ended {
                rounds: vec![budget],
            });
        }
        VoteAction::Clear => {
            if board.dots_used() == 0 && !board.is_ended() {
                return Err(VoteError::NothingToClear);
            }
            next.undo = Some(snapshot(board, UndoKind::Cleared));
            set_all(&mut next, 0);
            if !board.is_open() {
                next.vote = None;
            }
        }
        VoteAction::Undo => {
            let undo = board.undo.as_ref().ok_or(VoteError::NothingToUndo)?;
            restore(&mut next, undo);
        }
    }
    Ok(next)
}

/// A room of phones has ended: its `tally` (dots per need) from `participants`
/// people with `dots_each` dots comes onto the board, added to the dots already there
/// or replacing them. A need the room counted that is no longer on the board comes
/// back as a card, so no dot is lost. The board's open vote, if any, ends with it.
pub fn merge_room(
    board: &NeedsBoard,
    tally: &BTreeMap<String, u32>,
    participants: u32,
    dots_each: u32,
    merge: RoomMerge,
) -> NeedsBoard {
    // Nobody from this organisation took part: its board stays as it is.
    if participants == 0 && tally.values().all(|d| *d == 0) {
        return board.clone();
    }
    let mut next = board.clone();
    next.undo = Some(snapshot(board, UndoKind::Room));
    let mut rounds = match (&board.vote, merge) {
        (_, RoomMerge::Replace) | (None, _) => Vec::new(),
        (Some(v @ Vote::Open { .. }), _) => v.open_budget().into_iter().collect(),
        (Some(Vote::Ended { rounds }), _) => rounds.clone(),
    };
    let replace = merge == RoomMerge::Replace;
    if replace {
        set_all(&mut next, 0);
    }
    for (need, dots) in tally.iter().filter(|(_, d)| **d > 0) {
        match next.needs.iter_mut().find(|n| &n.need == need) {
            Some(card) => card.votes += dots,
            None => next.needs.push(NeedEntry {
                need: need.clone(),
                priority: Priority::default(),
                notes: String::new(),
                who: String::new(),
                votes: *dots,
            }),
        }
    }
    if participants > 0 {
        rounds.push(DotVote {
            participants,
            dots_each,
        });
    }
    // An older plan's result of unknown size stays of unknown size.
    let unknown =
        !replace && matches!(&board.vote, Some(Vote::Ended { rounds }) if rounds.is_empty());
    next.vote = if unknown {
        Some(Vote::Ended { rounds: Vec::new() })
    } else if rounds.is_empty() && next.dots_used() == 0 {
        None
    } else {
        Some(Vote::Ended { rounds })
    };
    next
}

fn snapshot(board: &NeedsBoard, did: UndoKind) -> VoteUndo {
    VoteUndo {
        did,
        vote: board.vote.clone(),
        votes: board
            .needs
            .iter()
            .filter(|n| n.votes > 0)
            .map(|n| (n.need.clone(), n.votes))
            .collect(),
    }
}

/// Puts the vote and dots back as they were; cards removed since stay removed (their
/// dots with them), which keeps the board within its budget.
fn restore(board: &mut NeedsBoard, undo: &VoteUndo) {
    for card in &mut board.needs {
        card.votes = undo.votes.get(&card.need).copied().unwrap_or(0);
    }
    board.vote = undo.vote.clone();
    board.undo = None;
}

fn set_all(board: &mut NeedsBoard, votes: u32) {
    for card in &mut board.needs {
        card.votes = votes;
    }
}

#[cfg(test)]
mod tests;
