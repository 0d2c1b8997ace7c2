//! Parts of a plan that later steps of the flow fill in.
//!
//! Each is a typed, empty record today so that plan files written now already
//! have the final shape and later Ferry versions add fields without a new format.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Tools the organisation uses today (needs-mapping step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ToolInventory {}

/// Needs and their priorities (needs-mapping step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NeedsBoard {}

/// Recipes chosen per need (recipes step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RecipeChoices {}

/// Identity provider and its clients (single sign-on step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SsoSetup {}

/// Owners, triggers, backups and restore drills (exit-plan step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ExitPlan {}

/// Orders sent to the hosting co-op and their outcome (deploy step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DeployRecord {}
