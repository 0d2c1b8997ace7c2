//! Parts of a plan that the steps after the organisation profile fill in.
//!
//! Those not built yet are typed, empty records, so that plan files written now
//! already have the final shape and later versions only add fields.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::vote::{Vote, VoteUndo};

/// How many people use a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    AFew,
    Most,
    Everyone,
}

crate::all_values!(Reach: AFew, Most, Everyone);

/// Rough amount of data in a tool, which decides how long its export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DataVolume {
    /// Under 1 GB.
    Small,
    /// 1 to 50 GB.
    Medium,
    /// Over 50 GB.
    Large,
}

crate::all_values!(DataVolume: Small, Medium, Large);

/// One tool in use today (`tools.json` id) and what the group knows about its use.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ToolUse {
    pub tool: String,
    pub reach: Option<Reach>,
    /// Some people rely on its advanced features (macros, shared drives, scripts…).
    pub power_users: bool,
    pub data_volume: Option<DataVolume>,
    pub sensitivity: Option<super::organisation::DataSensitivity>,
    pub notes: String,
}

/// Tools the organisation uses today (needs-mapping step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ToolInventory {
    pub tools: Vec<ToolUse>,
}

/// How much a need matters (the columns of the needs board).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Must,
    #[default]
    Should,
    Could,
    NotNow,
}

crate::all_values!(Priority: Must, Should, Could, NotNow);

/// One need the organisation has, from the needs taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NeedEntry {
    /// Id in the needs taxonomy, e.g. `video_meetings`.
    pub need: String,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    pub notes: String,
    /// Who needs it, e.g. "the board, shop stewards".
    #[serde(default)]
    pub who: String,
    /// Dots given to this need in the group's vote.
    #[serde(default)]
    pub votes: u32,
}

/// Needs and their priorities (needs-mapping step). The order of `needs` is the
/// order of the cards within each column of the board. `vote` and the cards' dots
/// change only through `crate::vote` (the board, the room).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
pub struct NeedsBoard {
    pub needs: Vec<NeedEntry>,
    /// No vote yet (`None`), one open, or one ended.
    pub vote: Option<Vote>,
    /// What the last clearing, ending or room merge replaced, to take it back.
    pub undo: Option<VoteUndo>,
}

impl NeedsBoard {
    pub fn dots_used(&self) -> u32 {
        self.needs.iter().map(|n| n.votes).sum()
    }

    pub fn is_open(&self) -> bool {
        matches!(self.vote, Some(Vote::Open { .. }))
    }

    pub fn is_ended(&self) -> bool {
        matches!(self.vote, Some(Vote::Ended { .. }))
    }

    /// Dots handed out, when known (none without a vote).
    pub fn vote_total(&self) -> Option<u32> {
        self.vote.as_ref().map_or(Some(0), Vote::total)
    }

    pub fn participants(&self) -> u32 {
        self.vote.as_ref().map_or(0, Vote::participants)
    }
}

impl<'de> Deserialize<'de> for NeedsBoard {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Raw {
            needs: Vec<NeedEntry>,
            vote: Option<Vote>,
            undo: Option<VoteUndo>,
        }
        let raw = Raw::deserialize(d)?;
        let mut board = NeedsBoard {
            needs: raw.needs,
            vote: raw.vote,
            undo: raw.undo,
        };
        // An older Ferry's "end the vote" left dots without a vote (the plan was kept
        // as a draft): they are an ended vote's result whose budget was not kept.
        if board.vote.is_none() && board.dots_used() > 0 {
            board.vote = Some(Vote::Ended { rounds: Vec::new() });
        }
        Ok(board)
    }
}

/// What was decided for one need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// Use this Co-op Cloud recipe.
    Recipe {
        name: String,
    },
    /// Keep the current tool for now.
    KeepCurrent,
    DecideLater,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecipeChoice {
    pub need: String,
    pub decision: Decision,
}

/// Recipes chosen per need (recipes step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RecipeChoices {
    pub choices: Vec<RecipeChoice>,
}

impl RecipeChoices {
    pub fn for_need(&self, need: &str) -> Option<&Decision> {
        self.choices
            .iter()
            .find(|c| c.need == need)
            .map(|c| &c.decision)
    }

    /// Records `decision` for `need`, replacing an earlier one.
    pub fn set(&mut self, need: &str, decision: Decision) {
        match self.choices.iter_mut().find(|c| c.need == need) {
            Some(c) => c.decision = decision,
            None => self.choices.push(RecipeChoice {
                need: need.to_owned(),
                decision,
            }),
        }
    }
}

/// The identity providers Ferry can set up single sign-on on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum IdpKind {
    Keycloak,
    Authentik,
    Rauthy,
}

// Offered lightest to run first.
crate::all_values!(IdpKind: Rauthy, Authentik, Keycloak);

impl IdpKind {
    /// The provider a plan that has not chosen one is planned and signed in for.
    pub const DEFAULT: IdpKind = IdpKind::Keycloak;

    pub fn key(self) -> &'static str {
        match self {
            IdpKind::Keycloak => "keycloak",
            IdpKind::Authentik => "authentik",
            IdpKind::Rauthy => "rauthy",
        }
    }
}

/// What the last check found for one app's sign-on (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SsoAppResult {
    pub recipe: String,
    pub client_id: String,
    /// Discovery answered with the right issuer and the client secret is kept.
    pub works: bool,
    /// Message key of what is wrong, when it does not work.
    pub problem: Option<String>,
}

/// Identity provider and its clients (single sign-on step). Credentials and client
/// secrets are in the OS keyring, never here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SsoSetup {
    pub idp: Option<IdpKind>,
    /// Where the identity provider answers, e.g. `https://login.example.org`.
    pub url: String,
    /// The Keycloak realm for the organisation (Authentik and Rauthy have one per install).
    pub realm: String,
    /// Groups besides the standard ones (members, board and one per app).
    pub extra_groups: Vec<String>,
    /// The last verification, app by app.
    pub results: Vec<SsoAppResult>,
    pub verified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The people to bring, as `name,email,groups` lines (typed, pasted or filled by an
    /// import). Personal data: it stays in the local plan; the exit-plan document and
    /// the shared workshop views show at most a count.
    pub members_list: String,
    /// The certificate authority of a provider with its own (PEM text, from a file the
    /// hosting co-op gave), trusted for it as well as the usual roots. Empty: none.
    pub ca_pem: String,
}

impl SsoSetup {
    /// Whether the app for `recipe` passed the last verification.
    pub fn works_for(&self, recipe: &str) -> bool {
        self.results.iter().any(|r| r.recipe == recipe && r.works)
    }
}

/// The domain one app of the plan gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppDomain {
    pub need: String,
    pub domain: String,
}

/// One order sent to a hosting co-op, kept in the plan for the exit-plan document and
/// so that it can be followed again after the app restarts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderRecord {
    /// Sent with the order; kept before sending, so a resend cannot make a second order.
    pub idempotency_key: String,
    /// The co-op's id for the order, once it has answered.
    pub order_id: Option<String>,
    pub coop_name: String,
    pub api_url: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// The last status the co-op reported.
    pub status: Option<ferry_hosting::OrderStatus>,
}

/// Orders sent to the hosting co-op and their outcome (deploy step).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DeployRecord {
    /// The hosting co-op profile (on this computer) orders go to.
    pub coop: Option<String>,
    /// The organisation's domain; each app gets `<recipe>.<base_domain>` unless changed.
    pub base_domain: String,
    pub domains: Vec<AppDomain>,
    pub orders: Vec<OrderRecord>,
    /// Data moves into the new apps and what they did (counts only; newest last).
    pub moves: Vec<crate::moves::MoveReport>,
    /// The sign-in service, ordered before the apps, and its admin credential.
    pub sign_in: Option<SignInOrder>,
}

/// The sign-in service ordered first (its own order), so that the apps can be set up
/// to sign in before they are deployed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignInOrder {
    pub idp: IdpKind,
    pub domain: String,
    /// Its order; the key its admin credential is sealed to is in the keyring.
    pub order: OrderRecord,
    /// When Ferry opened the sealed credential and kept it in the keyring.
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
}
