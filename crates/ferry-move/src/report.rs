//! What a move tells while it runs (progress: counts, bytes, time left) and the items
//! it could not move, for the window and the command line. The report kept in the
//! plan (counts per person and kind) is `ferry_core::moves::MoveReport`.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Kind, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "MovePhase")] // the timeline has a Phase of its own
pub enum Phase {
    /// Reading the export's index.
    Reading,
    /// Signing in and looking at what the server already has.
    Connecting,
    Moving,
    /// Reading back from the server.
    Verifying,
    Done,
}

/// A progress event: where the move is and how far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "MoveProgress")] // the catalogue's download has a Progress of its own
pub struct Progress {
    pub phase: Phase,
    /// The person's account on the new apps (empty before the first).
    pub login: String,
    pub kind: Option<Kind>,
    /// People done so far, and in all.
    pub person_index: u32,
    pub people: u32,
    /// Items of this person and kind handled so far (moved, found there, or listed).
    pub items_done: u64,
    pub moved: u64,
    pub already_there: u64,
    pub not_moved: u64,
    /// Bytes of the export read so far for this person and kind, and in all.
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Estimated from the pace so far (`None` until there is one).
    pub seconds_left: Option<u64>,
}

impl Progress {
    pub fn new(phase: Phase) -> Self {
        Progress {
            phase,
            login: String::new(),
            kind: None,
            person_index: 0,
            people: 0,
            items_done: 0,
            moved: 0,
            already_there: 0,
            not_moved: 0,
            bytes_done: 0,
            bytes_total: 0,
            seconds_left: None,
        }
    }
}

/// An item that was not moved, or moved without something, as listed to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NotMovedItem {
    pub login: String,
    pub kind: Kind,
    /// Folder, calendar, address book or file path on the server.
    pub place: String,
    /// Subject, event title, contact name or file name.
    pub label: String,
    pub reason: Reason,
}

/// Sends progress at most every `every`, and always when asked to.
pub struct Pacer {
    started: Instant,
    last: Option<Instant>,
    every: Duration,
    /// Bytes done when the pace started being measured (a resumed kind skips ahead).
    base: u64,
}

impl Pacer {
    pub fn new(every: Duration) -> Self {
        Pacer {
            started: Instant::now(),
            last: None,
            every,
            base: 0,
        }
    }

    /// Starts measuring again (a new person or kind).
    pub fn restart(&mut self, base: u64) {
        self.started = Instant::now();
        self.base = base;
    }

    /// Whether an event is due now.
    pub fn due(&mut self) -> bool {
        let now = Instant::now();
        if self
            .last
            .is_none_or(|l| now.duration_since(l) >= self.every)
        {
            self.last = Some(now);
            return true;
        }
        false
    }

    /// Time left at the pace since the last restart; none until the pace means
    /// something. A few small files sent first go at the server's answer time, not
    /// its throughput: against a real Nextcloud two of them gave "669 h left" for a
    /// move that took seconds.
    pub fn left(&self, done: u64, total: u64) -> Option<u64> {
        Self::left_after(
            self.started.elapsed().as_secs_f64(),
            done.saturating_sub(self.base),
            done,
            total,
        )
    }

    fn left_after(elapsed: f64, moved: u64, done: u64, total: u64) -> Option<u64> {
        if done >= total {
            return (total > 0).then_some(0);
        }
        let to_move = total.saturating_sub(done) + moved;
        if elapsed < MEASURE_FOR || moved == 0 || (moved as f64) < to_move as f64 * MEASURE_SHARE {
            return None;
        }
        let rate = moved as f64 / elapsed;
        Some(((total - done) as f64 / rate).ceil() as u64)
    }
}

/// The pace is measured over at least this many seconds and this share of the bytes
/// before a time left is said.
const MEASURE_FOR: f64 = 3.0;
const MEASURE_SHARE: f64 = 0.02;

#[cfg(test)]
mod tests {
    use super::Pacer;

    #[test]
    fn no_time_left_until_the_pace_means_something() {
        // Two small files in four seconds of a 25 MB move: no guess.
        assert_eq!(Pacer::left_after(4.0, 20_000, 20_000, 25_000_000), None);
        // Too soon, however much is done.
        assert_eq!(
            Pacer::left_after(1.0, 5_000_000, 5_000_000, 10_000_000),
            None
        );
        // Half of 10 MB in 5 s: 5 s more.
        assert_eq!(
            Pacer::left_after(5.0, 5_000_000, 5_000_000, 10_000_000),
            Some(5)
        );
        // A resumed move measures from where it resumed (8 of 10 MB were there).
        assert_eq!(
            Pacer::left_after(4.0, 1_000_000, 9_000_000, 10_000_000),
            Some(4)
        );
        assert_eq!(Pacer::left_after(0.0, 0, 10, 10), Some(0));
        assert_eq!(Pacer::left_after(0.0, 0, 0, 0), None);
    }
}
