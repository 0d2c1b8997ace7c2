//! The facilitator's commands (in the window, never over the room's HTTP server):
//! open, follow, control, decide on proposals one by one or set many aside, see who
//! is in the room and remove someone, end.

use std::collections::BTreeMap;
use std::time::Duration;

use ferry_core::library::{ProposalDecision, RoomPerson};
use ferry_core::room::{PEOPLE_SHOWN, PROPOSALS_SHOWN, Proposal, RoomError, RoomPhase, Tally};
use ferry_core::vote::RoomMerge;
use ferry_core::{Library, PlanId};

use super::board::board;
use super::{NetInterface, RoomAction, RoomBoard, interfaces};
use crate::declare::Events;
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// The projector is sent a new board at most this often, so a burst of dots (or a
/// flood of them) is one update, not hundreds.
const WATCH_EVERY: Duration = Duration::from_millis(200);

/// The open room's id, or why there is none.
async fn current_id(host: &impl Host) -> Answer<String> {
    host.library()
        .run(|lib: &mut Library| {
            Ok::<_, RoomError>(lib.room_current()?.ok_or(RoomError::NoRoom)?.id)
        })
        .await
}

async fn board_now(host: &impl Host) -> Answer<RoomBoard> {
    board(host).await?.ok_or(ApiError::Room(RoomError::NoRoom))
}

/// Tells phones and the projector something changed.
fn changed(host: &impl Host) {
    if let Some(room) = host.session().room() {
        room.changed();
    }
}

pub async fn list_interfaces(_host: &impl Host) -> Answer<Vec<NetInterface>> {
    Ok(interfaces())
}

/// Opens a room on the interface with `address` (one of this computer's own).
pub async fn open(
    host: &impl Host,
    address: String,
    plans: Vec<PlanId>,
    dots_each: u32,
) -> Answer<RoomBoard> {
    let interface = interfaces()
        .into_iter()
        .find(|i| i.address == address)
        .ok_or_else(|| RoomError::Address {
            address: address.clone(),
            detail: "not a network interface of this computer".into(),
        })?;
    let record = host
        .library()
        .run(move |lib| lib.room_open(&plans, dots_each))
        .await?;
    match super::start(
        record.id.clone(),
        interface,
        host.library().clone(),
        host.assets(),
    )
    .await
    {
        Ok(room) => host.session().set_room(Some(room)),
        Err(e) => {
            // Nothing was voted yet: the room goes as if it never opened.
            let id = record.id;
            let _ = host
                .library()
                .run(move |lib| lib.room_end(&id, RoomMerge::Add))
                .await;
            return Err(e.into());
        }
    }
    board_now(host).await
}

pub async fn show(host: &impl Host) -> Answer<Option<RoomBoard>> {
    board(host).await
}

/// Sends the board on every change (`WATCH_EVERY` apart at most), until the room ends.
pub async fn watch(host: &impl Host, events: Events<'_, RoomBoard>) -> Answer<Option<RoomBoard>> {
    let Some(mut rx) = host.session().room().map(|r| r.subscribe()) else {
        return board(host).await;
    };
    loop {
        if rx.changed().await.is_err() || rx.borrow_and_update().phase == RoomPhase::Ended {
            return board(host).await;
        }
        tokio::time::sleep(WATCH_EVERY).await;
        rx.borrow_and_update();
        if let Some(b) = board(host).await? {
            events.send(&b);
        }
    }
}

pub async fn control(host: &impl Host, action: RoomAction) -> Answer<RoomBoard> {
    let record = host
        .library()
        .run(|lib: &mut Library| lib.room_current()?.ok_or(RoomError::NoRoom))
        .await?;
    let (phase, hidden) = match action {
        RoomAction::Pause => (RoomPhase::Paused, record.tallies_hidden),
        RoomAction::Resume => (RoomPhase::Open, record.tallies_hidden),
        RoomAction::HideTallies => (record.phase, true),
        RoomAction::RevealTallies => (record.phase, false),
        RoomAction::LockJoining | RoomAction::UnlockJoining => {
            (record.phase, record.tallies_hidden)
        }
        RoomAction::ResetVotes => (record.phase, record.tallies_hidden),
    };
    let id = record.id.clone();
    host.library()
        .run(move |lib| {
            match action {
                RoomAction::ResetVotes => lib.room_reset_votes(&id)?,
                RoomAction::LockJoining => drop(lib.room_lock_joining(&id, true)?),
                RoomAction::UnlockJoining => drop(lib.room_lock_joining(&id, false)?),
                _ => {}
            }
            lib.room_set(&id, phase, hidden)
        })
        .await?;
    if let Some(room) = host.session().room() {
        room.set_phase(phase, hidden);
    }
    board_now(host).await
}

pub async fn decide(
    host: &impl Host,
    proposal: String,
    decision: ProposalDecision,
) -> Answer<RoomBoard> {
    let id = current_id(host).await?;
    host.library()
        .run(move |lib| lib.room_decide(&id, &proposal, &decision))
        .await?;
    changed(host);
    board_now(host).await
}

/// Sets the waiting proposals among `proposals` aside, all at once.
pub async fn dismiss(host: &impl Host, proposals: Vec<String>) -> Answer<RoomBoard> {
    let id = current_id(host).await?;
    host.library()
        .run(move |lib| lib.room_dismiss(&id, &proposals))
        .await?;
    changed(host);
    board_now(host).await
}

/// Removes a participant (with `same_address`, everyone who joined from their
/// network address): their dots leave the tallies, their waiting proposals are set
/// aside, their phones can do nothing more. The board says how many went.
pub async fn remove(
    host: &impl Host,
    participant: String,
    same_address: bool,
) -> Answer<RoomBoard> {
    let id = current_id(host).await?;
    let removed = host
        .library()
        .run(move |lib| lib.room_remove(&id, &participant, same_address))
        .await?;
    if let Some(room) = host.session().room() {
        room.forget(&removed.token_hashes);
        room.changed();
    }
    board_now(host).await
}

/// People in the room, the latest to join first, a page (`PEOPLE_SHOWN`) from `offset`.
pub async fn people(host: &impl Host, offset: u32) -> Answer<Vec<RoomPerson>> {
    let id = current_id(host).await?;
    host.library()
        .run(move |lib| lib.room_people(&id, offset, PEOPLE_SHOWN))
        .await
}

/// Waiting proposals, oldest first, a page (`PROPOSALS_SHOWN`) from `offset`.
pub async fn proposals(host: &impl Host, offset: u32) -> Answer<Vec<Proposal>> {
    let id = current_id(host).await?;
    host.library()
        .run(move |lib| lib.room_waiting(&id, offset, PROPOSALS_SHOWN))
        .await
}

/// Ends the vote: the tallies go into each plan, added to the dots placed at the desk
/// or replacing them (`merge`); every phone is told, then the server stops.
pub async fn end(host: &impl Host, merge: RoomMerge) -> Answer<RoomBoard> {
    let mut last = board_now(host).await?;
    host.library()
        .run(move |lib: &mut Library| {
            let id = lib.room_current()?.ok_or(RoomError::NoRoom)?.id;
            lib.room_end(&id, merge)
        })
        .await?;
    if let Some(room) = host.session().room() {
        host.session().set_room(None);
        room.close();
    }
    last.running = false;
    last.phase = RoomPhase::Ended;
    last.url = None;
    last.qr_svg = None;
    Ok(last)
}

/// Dots per organisation and need, counted from the ledger (for tests and the load
/// scripts).
pub fn tallies(host: &impl Host) -> Answer<BTreeMap<PlanId, Tally>> {
    host.library().with(|lib| {
        let id = lib.room_current()?.ok_or(RoomError::NoRoom)?.id;
        Ok::<_, RoomError>(
            lib.room_tallies(&id)?
                .into_iter()
                .map(|(k, (t, _))| (k, t))
                .collect(),
        )
    })
}
