//! The needs board's dot vote: every change to it goes through the engine's one
//! state machine (`ferry_core::vote`), which answers the new board or a refusal.

use ferry_core::Plan;
use ferry_core::model::NeedsBoard;
use ferry_core::vote::{VoteAction, VoteStatus, apply, status};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// The board after a vote action, and what it shows of the vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VoteAnswer {
    pub needs: NeedsBoard,
    pub status: VoteStatus,
}

/// Applies `action` to the plan's board (nothing is saved: the window saves the plan).
pub async fn act(_host: &impl Host, plan: Plan, action: VoteAction) -> Answer<VoteAnswer> {
    let needs = apply(&plan.needs, &action)?;
    Ok(VoteAnswer {
        status: status(&needs),
        needs,
    })
}

pub async fn show(_host: &impl Host, plan: Plan) -> Answer<VoteStatus> {
    Ok(status(&plan.needs))
}
