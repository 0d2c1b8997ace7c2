//! The hosting co-op API, version 1 (`docs/hosting-api/openapi.yaml`): what Ferry
//! sends a co-op and what it answers, and the input rules that keep anything from a
//! request out of a shell. `ferry-hostd` and Ferry's client share these types.

pub mod api;
pub mod handover;
pub mod rules;
pub mod sse;

pub use api::*;
pub use handover::{Handover, HandoverLogin};
#[cfg(feature = "client")]
pub mod client;
