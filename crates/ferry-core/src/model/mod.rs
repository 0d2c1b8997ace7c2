//! The domain model: plans and what they hold.

pub mod exit_plan;
pub mod organisation;
pub mod plan;
pub mod slots;
pub mod vote;

pub use exit_plan::{
    BackupFrequency, Backups, Budget, CredentialHolder, Credentials, DrillResult, ExitPath,
    ExitPlan, Impact, Person, Phase, RestoreDrill, ServiceExit, Trigger, TriggerPlan,
};
pub use organisation::{
    BudgetBand, Contact, CurrentProvider, DataSensitivity, Organisation, OrganisationKind,
    SpecialCategory, TechnicalCapacity,
};
pub use plan::{Language, Plan, PlanId, SCHEMA_VERSION};
pub use slots::{
    AppDomain, DataVolume, Decision, DeployRecord, IdpKind, NeedEntry, NeedsBoard, OrderRecord,
    Priority, Reach, RecipeChoice, RecipeChoices, SignInOrder, SsoAppResult, ToolInventory,
    ToolUse,
};
pub use vote::{DotVote, UndoKind, Vote, VoteUndo};
