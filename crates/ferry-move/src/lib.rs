//! Moving the data itself: mail, calendars, contacts and Drive files out of a Google
//! export (Takeout, or the Workspace admin data export) into the apps the plan chose,
//! through open protocols only — no Google API keys.
//!
//! - [`source`]: the export read as a stream (zip parts checked against hostile
//!   archives first); `.mbox` messages, `.ics` events grouped by UID, `.vcf` cards,
//!   Drive files in chunks. Memory stays bounded whatever the export's size.
//! - [`target`]: IMAP (`APPEND` with flags and dates, folders from labels), CalDAV,
//!   CardDAV and WebDAV (Nextcloud's chunked upload and modification time when the
//!   server is Nextcloud).
//! - [`ledger`]: what was moved, per person, kind and item, in SQLite beside the
//!   plan library, so a move stopped at any moment (even `kill -9`) starts again
//!   where it was and never copies anything twice.
//! - [`run`]: the move itself, with progress; [`verify`]: counts and checksums read
//!   back from the servers; [`report`]: what moved and what could not, with reasons.
//! - [`plan`]: which server receives what, from the plan's chosen apps and domains.

pub mod error;
/// The checks of the fuzz targets in `fuzz/`; public only for them and their replay test.
#[doc(hidden)]
pub mod fuzz;
pub mod ledger;
pub mod plan;
pub mod report;
pub mod run;
pub mod source;
pub mod target;
pub mod verify;

#[cfg(any(test, feature = "test-support"))]
pub mod testing;

pub use error::{MoveError, Refusal};
pub use ferry_core::moves::{
    KindReport, MoveMode, MoveReport, PersonReport, Reason, ReasonCount, Verified,
};
pub use report::{NotMovedItem, Phase, Progress};
pub use source::SourceSpec;

/// What is moved (defined with the plan model, which keeps move reports).
pub use ferry_core::moves::DataKind as Kind;
