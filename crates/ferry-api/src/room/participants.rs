//! The participants' commands, over the room's HTTP server: their page, joining,
//! a dot, a proposal. Each reads a handful of rows (indexes, running tallies), on the
//! library's thread, whatever the size of the room.

use std::sync::Arc;

use ferry_core::model::Priority;
use ferry_core::room::{
    MAX_NAME_CHARS, MAX_PROPOSAL_CHARS, Proposal, ProposalKind, RoomError, RoomPhase, clean_text,
};
use ferry_core::{Library, PlanId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::board::org_name;
use super::{Room, token_hash};
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// One card as a participant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomCard {
    pub need: String,
    /// Dots this participant placed here.
    pub mine: u32,
    /// Everyone's dots here; `None` while the facilitator hides the tallies.
    pub total: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomOrg {
    pub plan: PlanId,
    pub name: String,
}

/// What a joined participant sees of their own organisation (and nothing of others').
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomMe {
    pub plan: PlanId,
    pub name: Option<String>,
    pub dots_left: u32,
    pub cards: Vec<RoomCard>,
    pub proposals: Vec<Proposal>,
}

/// The participant page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomPage {
    pub code: String,
    pub phase: RoomPhase,
    pub tallies_hidden: bool,
    /// The facilitator has closed the room to new participants.
    pub joining_locked: bool,
    pub dots_each: u32,
    pub organisations: Vec<RoomOrg>,
    pub me: Option<RoomMe>,
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomJoined {
    /// The phone's own secret; sent with each of its requests.
    pub participant: String,
    pub page: RoomPage,
}

/// The running room whose address carries `token` (one that ended says so).
fn room_for(host: &impl Host, token: &str) -> Answer<Arc<Room>> {
    let room = host
        .session()
        .room()
        .filter(|r| r.is(token))
        .ok_or(ApiError::Room(RoomError::NoRoom))?;
    if room.is_ended() {
        return Err(RoomError::Ended.into());
    }
    Ok(room)
}

/// The page for `who` (a token's hash) or for a phone not in the room yet.
fn read_page(lib: &mut Library, room: &str, who: Option<&str>) -> Result<RoomPage, RoomError> {
    let record = lib
        .room_current()?
        .filter(|r| r.id == room)
        .ok_or(RoomError::NoRoom)?;
    let mut organisations = Vec::new();
    for id in &record.plans {
        if let Ok(plan) = lib.get(*id) {
            organisations.push(RoomOrg {
                plan: *id,
                name: org_name(&plan),
            });
        }
    }
    let me = match who {
        None => None,
        Some(hash) => {
            let who = lib.room_participant(&record.id, hash)?;
            let mine = lib.room_dots_of(&who)?;
            let totals = if record.tallies_hidden {
                None
            } else {
                Some(lib.room_plan_tally(&record.id, who.plan)?)
            };
            let plan = lib.get(who.plan)?;
            let cards = plan
                .needs
                .needs
                .iter()
                .filter(|n| n.priority != Priority::NotNow)
                .map(|n| RoomCard {
                    need: n.need.clone(),
                    mine: mine.get(&n.need).copied().unwrap_or(0),
                    total: totals
                        .as_ref()
                        .map(|t| t.get(&n.need).copied().unwrap_or(0)),
                })
                .collect();
            Some(RoomMe {
                plan: who.plan,
                dots_left: record.dots_each.saturating_sub(mine.values().sum()),
                proposals: lib.room_proposals_of(&who)?,
                name: who.name,
                cards,
            })
        }
    };
    Ok(RoomPage {
        code: String::new(),
        phase: record.phase,
        tallies_hidden: record.tallies_hidden,
        joining_locked: record.joining_locked,
        dots_each: record.dots_each,
        organisations,
        me,
        version: 0,
    })
}

/// What a phone changes in the ledger before its page is read again (room id given).
type Change = Box<dyn FnOnce(&mut Library, &str) -> Result<(), RoomError> + Send>;

/// Runs `change` (if any) and reads the page after it, in one turn on the library's
/// thread; then tells the others when something changed.
async fn change_then_page(
    host: &impl Host,
    room: &Room,
    participant: Option<String>,
    change: Option<Change>,
) -> Answer<RoomPage> {
    let (id, who) = (room.id.clone(), participant.as_deref().map(token_hash));
    let changed = change.is_some();
    let mut page = host
        .library()
        .run(move |lib| {
            if let Some(change) = change {
                change(lib, &id)?;
            }
            read_page(lib, &id, who.as_deref())
        })
        .await?;
    if changed {
        room.changed();
    }
    page.code = room.code.clone();
    page.version = room.pulse().version;
    Ok(page)
}

pub async fn participant_page(
    host: &impl Host,
    room: String,
    participant: Option<String>,
) -> Answer<RoomPage> {
    let r = room_for(host, &room)?;
    change_then_page(host, &r, participant, None).await
}

pub async fn join(
    host: &impl Host,
    room: String,
    plan: PlanId,
    name: Option<String>,
    participant: Option<String>,
) -> Answer<RoomJoined> {
    let r = room_for(host, &room)?;
    // A secret the phone made must be as hard to guess as one the room makes.
    let token = match participant {
        None => super::secret(32),
        Some(p) if is_secret(&p) => p,
        Some(_) => return Err(RoomError::NotJoined.into()),
    };
    // A name of nothing visible is no name.
    let name = match name.as_deref().map(|n| clean_text(n, MAX_NAME_CHARS)) {
        None | Some(Err(RoomError::Empty)) => None,
        Some(cleaned) => Some(cleaned?),
    };
    let address = host.peer().map(|a| a.to_string()).unwrap_or_default();
    let hash = token_hash(&token);
    let joining = hash.clone();
    let join = move |lib: &mut Library, id: &str| {
        lib.room_join(id, &joining, plan, name.as_deref(), &address)
            .map(drop)
    };
    let page = change_then_page(host, &r, Some(token.clone()), Some(Box::new(join))).await;
    if page.is_ok() {
        r.admit(hash);
    }
    Ok(RoomJoined {
        page: page?,
        participant: token,
    })
}

pub async fn dot(
    host: &impl Host,
    room: String,
    participant: String,
    need: String,
    add: bool,
) -> Answer<RoomPage> {
    let r = room_for(host, &room)?;
    let hash = token_hash(&participant);
    let place = move |lib: &mut Library, id: &str| {
        let who = lib.room_participant(id, &hash)?;
        lib.room_dot(&who, &need, add).map(drop)
    };
    change_then_page(host, &r, Some(participant), Some(Box::new(place))).await
}

pub async fn propose(
    host: &impl Host,
    room: String,
    participant: String,
    kind: ProposalKind,
    text: String,
) -> Answer<RoomPage> {
    let r = room_for(host, &room)?;
    let text = clean_text(&text, MAX_PROPOSAL_CHARS)?;
    let hash = token_hash(&participant);
    let keep = move |lib: &mut Library, id: &str| {
        let who = lib.room_participant(id, &hash)?;
        lib.room_propose(&who, kind, &text).map(drop)
    };
    change_then_page(host, &r, Some(participant), Some(Box::new(keep))).await
}

/// 64 lowercase hex digits: 256 bits, the shape of the room's own secrets.
fn is_secret(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
