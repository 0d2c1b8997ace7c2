//! Commands the UI calls. Each one is a thin call into the engine; the names here,
//! in build.rs, in capabilities/default.json and in ui/src/lib/api.ts must agree
//! (tests/ipc.rs checks that they do).

pub mod app;
pub mod catalogue;
pub mod deploy;
pub mod exit;
pub mod plans;
pub mod sso;
pub mod workshop;
