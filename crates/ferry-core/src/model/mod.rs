//! The domain model: plans and what they hold.

pub mod organisation;
pub mod plan;
pub mod slots;

pub use organisation::{Contact, Organisation, OrganisationKind};
pub use plan::{Language, Plan, PlanId, SCHEMA_VERSION};
