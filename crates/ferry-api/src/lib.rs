//! Ferry's one command surface. Every client — the desktop window, `ferry-cli`, and
//! the web pages to come — calls the same commands (declared once in `surface.rs`),
//! and the flows behind them are written once, against the narrow [`Host`] trait
//! each client implements. No Tauri here.
//!
//! One request, end to end: see docs/architecture.md.

pub mod declare;
mod error;
mod host;
mod surface;

pub mod app;
pub mod arrive;
pub mod catalogue;
pub mod deploy;
pub mod exit;
pub mod import;
pub mod moves;
pub mod plans;
pub mod room;
pub mod sso;
pub mod vote;
pub mod workshop;

#[cfg(any(test, feature = "test-support"))]
pub mod testing;

pub use declare::{CommandSpec, EventSink, Events, Scope};
pub use error::ApiError;
pub use host::{Host, LibrarySlot, Session};
pub use surface::{COMMANDS, args, dispatch};

/// A command's spec by name.
pub fn command(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}
