//! The domain model: plans and what they hold.

pub mod organisation;
pub mod plan;
pub mod slots;

pub use organisation::{
    Contact, DataSensitivity, Organisation, OrganisationKind, TechnicalCapacity,
};
pub use plan::{Language, Plan, PlanId, SCHEMA_VERSION};
pub use slots::{Decision, NeedEntry, NeedsBoard, Priority, RecipeChoice, RecipeChoices};
