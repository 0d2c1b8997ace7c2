//! The room's commands: the facilitator's (open, follow, control, decide, end) and
//! the participants' (page, join, dot, propose), all on the one command surface.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ferry_core::library::ProposalDecision;
use ferry_core::model::Priority;
use ferry_core::room::{
    MAX_NAME_CHARS, MAX_PROPOSAL_CHARS, Proposal, ProposalKind, RoomError, RoomPhase, RoomRecord,
    Tally, clean_text,
};
use ferry_core::{Library, PlanId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{NetInterface, Room, interfaces, token_hash};
use crate::declare::Events;
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

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
    pub interface: Option<String>,
    pub phase: RoomPhase,
    pub tallies_hidden: bool,
    pub dots_each: u32,
    pub organisations: Vec<BoardOrg>,
    pub proposals: Vec<Proposal>,
    /// The controls that apply now (pause only when open, and so on), in order.
    pub actions: Vec<RoomAction>,
    pub version: u64,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoomAction {
    Pause,
    Resume,
    HideTallies,
    RevealTallies,
    /// Takes every dot back; participants stay.
    ResetVotes,
}

ferry_core::all_values!(RoomAction: Pause, Resume, HideTallies, RevealTallies, ResetVotes);

fn org_name(plan: &ferry_core::Plan) -> String {
    let name = plan.organisation.name.trim();
    if name.is_empty() {
        plan.name.clone()
    } else {
        name.to_owned()
    }
}

fn with_room<H: Host, T>(
    host: &H,
    f: impl FnOnce(&mut Library) -> Result<T, RoomError>,
) -> Answer<T> {
    host.library().with(f)
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

fn board(host: &impl Host) -> Answer<Option<RoomBoard>> {
    let running = host.session().room();
    with_room(host, |lib| {
        let Some(record) = lib.room_current()? else {
            return Ok(None);
        };
        let tallies = lib.room_tallies(&record.id)?;
        let mut organisations = Vec::new();
        for id in &record.plans {
            let Ok(plan) = lib.get(*id) else { continue };
            let (tally, participants) = tallies.get(id).cloned().unwrap_or_default();
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
                participants,
                dots_used: tally.values().sum(),
                cards,
            });
        }
        let room = running.as_ref().filter(|r| r.id == record.id);
        let url = room.map(|r| r.url());
        Ok(Some(RoomBoard {
            running: room.is_some(),
            qr_svg: url.as_deref().map(qr_svg),
            url,
            code: room.map(|r| r.code.clone()),
            interface: room.map(|r| format!("{} ({})", r.interface, r.address.ip())),
            phase: record.phase,
            tallies_hidden: record.tallies_hidden,
            dots_each: record.dots_each,
            organisations,
            proposals: lib.room_proposals(&record.id, None)?,
            actions: actions_for(&record),
            version: room.map_or(0, |r| r.pulse().version),
        }))
    })
}

fn actions_for(record: &RoomRecord) -> Vec<RoomAction> {
    RoomAction::ALL
        .into_iter()
        .filter(|a| match a {
            RoomAction::Pause => record.phase == RoomPhase::Open,
            RoomAction::Resume => record.phase == RoomPhase::Paused,
            RoomAction::HideTallies => !record.tallies_hidden,
            RoomAction::RevealTallies => record.tallies_hidden,
            RoomAction::ResetVotes => true,
        })
        .collect()
}

fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(320, 320)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

fn current(host: &impl Host) -> Answer<RoomRecord> {
    with_room(host, |lib| lib.room_current()?.ok_or(RoomError::NoRoom))
}

fn page(host: &impl Host, room: &Room, participant: Option<&str>) -> Answer<RoomPage> {
    with_room(host, |lib| {
        let record = lib
            .room_current()?
            .filter(|r| r.id == room.id)
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
        let me = match participant {
            None => None,
            Some(token) => {
                let who = lib.room_participant(&record.id, &token_hash(token))?;
                let mine = lib.room_dots_of(&who)?;
                let totals: Tally = if record.tallies_hidden {
                    Tally::new()
                } else {
                    lib.room_tallies(&record.id)?
                        .remove(&who.plan)
                        .unwrap_or_default()
                        .0
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
                        total: (!record.tallies_hidden)
                            .then(|| totals.get(&n.need).copied().unwrap_or(0)),
                    })
                    .collect();
                Some(RoomMe {
                    plan: who.plan,
                    dots_left: record.dots_each.saturating_sub(mine.values().sum()),
                    proposals: lib.room_proposals(&record.id, Some(&who))?,
                    name: who.name,
                    cards,
                })
            }
        };
        Ok(RoomPage {
            code: room.code.clone(),
            phase: record.phase,
            tallies_hidden: record.tallies_hidden,
            dots_each: record.dots_each,
            organisations,
            me,
            version: room.pulse().version,
        })
    })
}

// The facilitator's commands.

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
    let record = with_room(host, |lib| lib.room_open(&plans, dots_each))?;
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
            let _ = with_room(host, |lib| lib.room_end(&record.id));
            return Err(e.into());
        }
    }
    board(host)?.ok_or(ApiError::Room(RoomError::NoRoom))
}

pub async fn show(host: &impl Host) -> Answer<Option<RoomBoard>> {
    board(host)
}

/// Sends the board on every change (a moment apart at most), until the room ends.
pub async fn watch(host: &impl Host, events: Events<'_, RoomBoard>) -> Answer<Option<RoomBoard>> {
    let Some(mut rx) = host.session().room().map(|r| r.subscribe()) else {
        return board(host);
    };
    loop {
        if rx.changed().await.is_err() || rx.borrow_and_update().phase == RoomPhase::Ended {
            return board(host);
        }
        // A burst of dots is one update.
        tokio::time::sleep(Duration::from_millis(50)).await;
        rx.borrow_and_update();
        if let Some(b) = board(host)? {
            events.send(&b);
        }
    }
}

pub async fn control(host: &impl Host, action: RoomAction) -> Answer<RoomBoard> {
    let record = current(host)?;
    let (phase, hidden) = match action {
        RoomAction::Pause => (RoomPhase::Paused, record.tallies_hidden),
        RoomAction::Resume => (RoomPhase::Open, record.tallies_hidden),
        RoomAction::HideTallies => (record.phase, true),
        RoomAction::RevealTallies => (record.phase, false),
        RoomAction::ResetVotes => {
            with_room(host, |lib| lib.room_reset_votes(&record.id))?;
            (record.phase, record.tallies_hidden)
        }
    };
    with_room(host, |lib| lib.room_set(&record.id, phase, hidden))?;
    if let Some(room) = host.session().room() {
        room.set_phase(phase, hidden);
    }
    board(host)?.ok_or(ApiError::Room(RoomError::NoRoom))
}

pub async fn decide(
    host: &impl Host,
    proposal: String,
    decision: ProposalDecision,
) -> Answer<RoomBoard> {
    let record = current(host)?;
    with_room(host, |lib| {
        lib.room_decide(&record.id, &proposal, &decision)
    })?;
    if let Some(room) = host.session().room() {
        room.changed();
    }
    board(host)?.ok_or(ApiError::Room(RoomError::NoRoom))
}

/// Ends the vote: the tallies go into each plan; every phone is told, then the server stops.
pub async fn end(host: &impl Host) -> Answer<RoomBoard> {
    let mut last = board(host)?.ok_or(ApiError::Room(RoomError::NoRoom))?;
    with_room(host, |lib| lib.room_end(&current_id(lib)?))?;
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

fn current_id(lib: &Library) -> Result<String, RoomError> {
    Ok(lib.room_current()?.ok_or(RoomError::NoRoom)?.id)
}

// The participants' commands (over the room's HTTP server).

pub async fn participant_page(
    host: &impl Host,
    room: String,
    participant: Option<String>,
) -> Answer<RoomPage> {
    let r = room_for(host, &room)?;
    page(host, &r, participant.as_deref())
}

pub async fn join(
    host: &impl Host,
    room: String,
    plan: PlanId,
    name: Option<String>,
) -> Answer<RoomJoined> {
    let r = room_for(host, &room)?;
    let name = match name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(clean_text(n, MAX_NAME_CHARS)?),
        None => None,
    };
    let token = super::secret(32);
    with_room(host, |lib| {
        lib.room_join(&r.id, &token_hash(&token), plan, name.as_deref())
    })?;
    r.changed();
    Ok(RoomJoined {
        page: page(host, &r, Some(&token))?,
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
    with_room(host, |lib| {
        let who = lib.room_participant(&r.id, &token_hash(&participant))?;
        lib.room_dot(&who, &need, add)
    })?;
    r.changed();
    page(host, &r, Some(&participant))
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
    with_room(host, |lib| {
        let who = lib.room_participant(&r.id, &token_hash(&participant))?;
        lib.room_propose(&who, kind, &text)
    })?;
    r.changed();
    page(host, &r, Some(&participant))
}

/// Dots per organisation and need, for tests and the load script.
pub fn tallies(host: &impl Host) -> Answer<BTreeMap<PlanId, Tally>> {
    let record = current(host)?;
    with_room(host, |lib| {
        Ok(lib
            .room_tallies(&record.id)?
            .into_iter()
            .map(|(k, (t, _))| (k, t))
            .collect())
    })
}
