//! Ferry's engine core: the plan model, its validation, `.ferry.json` files and the
//! local library of plans. No Tauri here: the desktop shell and `ferry-cli` both
//! call into this crate.

pub mod error;
pub mod exchange;
pub mod library;
pub mod model;
pub mod validate;

pub use error::{CoreError, ErrorPayload, Result};
pub use library::{Library, PlanSummary, Shelf};
pub use model::{Language, Organisation, OrganisationKind, Plan, PlanId};
pub mod currency;
pub mod deploy;
pub mod directories;
pub mod examples;
pub mod exit;
pub mod fsutil;
pub mod members;
pub mod messages;
pub mod moves;
pub mod needs;
pub mod privacy;
pub mod progress;
pub mod room;
pub mod settings;
pub mod tools;
pub mod values;
pub mod vote;
pub mod workshop;
