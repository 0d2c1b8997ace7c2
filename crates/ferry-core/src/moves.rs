//! What a data move did, kept in the plan for the exit-plan document: per person and
//! kind, how much the export held, how much moved, what was already there, what
//! could not be moved and why, and what reading back from the new app found. Counts
//! only: the items themselves (subjects, file names) stay in the move's ledger on
//! this computer (`ferry_move::ledger`), never in the plan.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What is moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    Mail,
    Calendar,
    Contacts,
    Files,
}

crate::all_values!(DataKind: Mail, Calendar, Contacts, Files);

impl DataKind {
    pub fn key(self) -> &'static str {
        match self {
            DataKind::Mail => "mail",
            DataKind::Calendar => "calendar",
            DataKind::Contacts => "contacts",
            DataKind::Files => "files",
        }
    }

    /// The need in the taxonomy whose chosen app receives this kind.
    pub fn need(self) -> &'static str {
        match self {
            DataKind::Mail => "email",
            DataKind::Calendar => "calendar",
            DataKind::Contacts => "contacts",
            DataKind::Files => "files",
        }
    }

    pub fn from_key(key: &str) -> Option<DataKind> {
        DataKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Whose credentials a move uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MoveMode {
    /// Each person moves their own data, signed in to their own new account.
    #[default]
    Own,
    /// An administrator moves everyone's, where the server allows it (an IMAP master
    /// user); the others still need each person's own account.
    Admin,
}

crate::all_values!(MoveMode: Own, Admin);

/// Why an item was not moved, or what did not come across with an item that was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "MoveReason")] // the catalogue's ranking has a Reason of its own
pub enum Reason {
    /// Larger than the protocol or Ferry carries (mail over 52 MB, an event over 8 MB).
    TooLarge,
    /// A message with NUL bytes, which IMAP does not accept.
    NulBytes,
    /// The export ends in the middle of the item.
    CutOff,
    /// The export's file could not be read (damaged, unknown compression).
    Unreadable,
    /// The server refused the item.
    RefusedByServer,
    /// Something else of the same name is already there; Ferry does not overwrite it.
    Conflict,
    /// Moved, but a Google room or resource booking is Google's and stays behind.
    RoomBooking,
    /// Moved, but its Google Meet link still points to Google.
    MeetLink,
    /// Moved, but sharing, comments' threads and permissions stay in Google Drive.
    SharingNotCarried,
    /// Moved, but the server does not keep the file's modification time.
    ModifiedTimeNotKept,
    /// Not moved: a product of the export Ferry does not move (Photos, Keep, Chat…).
    NotAKindFerryMoves,
}

crate::all_values!(Reason: TooLarge, NulBytes, CutOff, Unreadable, RefusedByServer, Conflict, RoomBooking, MeetLink, SharingNotCarried, ModifiedTimeNotKept, NotAKindFerryMoves);

impl Reason {
    /// Whether the item itself still moved (the reason is about what stayed behind).
    pub fn item_moved(self) -> bool {
        matches!(
            self,
            Reason::RoomBooking
                | Reason::MeetLink
                | Reason::SharingNotCarried
                | Reason::ModifiedTimeNotKept
        )
    }

    pub fn key(self) -> &'static str {
        match self {
            Reason::TooLarge => "too_large",
            Reason::NulBytes => "nul_bytes",
            Reason::CutOff => "cut_off",
            Reason::Unreadable => "unreadable",
            Reason::RefusedByServer => "refused_by_server",
            Reason::Conflict => "conflict",
            Reason::RoomBooking => "room_booking",
            Reason::MeetLink => "meet_link",
            Reason::SharingNotCarried => "sharing_not_carried",
            Reason::ModifiedTimeNotKept => "modified_time_not_kept",
            Reason::NotAKindFerryMoves => "not_a_kind_ferry_moves",
        }
    }

    pub fn from_key(key: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReasonCount {
    pub reason: Reason,
    pub count: u64,
}

/// What reading back from the new app found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verified {
    /// Items Ferry moved (or found there) that the server shows, with the same content.
    pub found: u64,
    /// Items the ledger says are there that the server does not show, or shows changed.
    pub missing: u64,
    /// The checksum over every item's content matches what was read from the export.
    pub checksums_match: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KindReport {
    pub kind: DataKind,
    /// The app that received it (a recipe name).
    pub app: String,
    /// Items the export holds for this person and kind.
    pub in_export: u64,
    /// Moved by Ferry in this move, over all its runs: the ledger counts each item
    /// once, so a run after a stop adds only what it sent, and the newest report of a
    /// plan holds the whole count (never add reports together).
    pub moved: u64,
    /// Found on the server before Ferry sent it (put there another way), or the same
    /// item twice in the export.
    pub already_there: u64,
    /// Could not be moved (`reasons` says why).
    pub not_moved: u64,
    /// Bytes of what is on the server now from this export.
    pub bytes: u64,
    /// Reasons, each with how many items: why items were not moved, and what did
    /// not come across with items that were.
    pub reasons: Vec<ReasonCount>,
    pub verified: Option<Verified>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonReport {
    /// The person's account on the new apps.
    pub login: String,
    pub kinds: Vec<KindReport>,
}

/// One move as the plan keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MoveReport {
    /// The move's id in the ledger.
    pub id: String,
    pub mode: MoveMode,
    pub started_at: DateTime<Utc>,
    /// When the last run of it ended (`None` while it runs, or if it was stopped).
    pub finished_at: Option<DateTime<Utc>>,
    pub people: Vec<PersonReport>,
    /// Products of the export Ferry does not move, with their files (Photos, Keep…).
    pub left_in_export: Vec<LeftBehind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LeftBehind {
    /// The export's folder name (as Google names it, localised).
    pub product: String,
    pub files: u64,
    pub bytes: u64,
}

impl MoveReport {
    /// Whether every item of every kind is on the server and read back as moved.
    pub fn verified_complete(&self) -> bool {
        self.people.iter().all(|p| {
            p.kinds.iter().all(|k| {
                k.verified
                    .as_ref()
                    .is_some_and(|v| v.missing == 0 && v.checksums_match)
            })
        })
    }
}

/// At most this many moves are kept in a plan (the ledger keeps everything).
pub const MAX_MOVES_KEPT: usize = 20;
