//! The exit-strategy plan as a document a board can vote on and a hosting co-op can
//! act on: built once from the plan ([`content`]), written as PDF ([`pdf`]) or
//! Markdown ([`markdown`]).

pub mod content;
pub mod document;
pub mod export;
pub mod markdown;
pub mod pdf;
pub mod request;

pub use content::build;
pub use document::{Block, Document, Section, Table};
pub use export::DocumentFormat;
