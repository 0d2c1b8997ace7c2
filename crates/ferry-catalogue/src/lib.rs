//! The Co-op Cloud recipe catalogue, as Ferry uses it: read leniently from the
//! hand-typed `recipes.json`, shipped as a snapshot for offline use, and refreshed
//! over HTTP without ever losing the last good copy.

pub mod assess;
pub mod recipe;
pub mod refresh;
pub mod score;
pub mod snapshot;
pub mod store;

pub use assess::Assessment;
pub use recipe::{Recipe, Recipes, parse_catalogue};
pub use refresh::{Progress, RefreshConfig, RefreshError, RefreshOutcome, refresh};
pub use score::{Feature, Score, Status};
pub use store::{Catalogue, Origin, OriginKind, Store};
pub mod recommend;
