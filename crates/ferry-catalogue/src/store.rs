//! The catalogue on this computer: the last good download, or the bundled snapshot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use ferry_core::fsutil::write_atomic;

use crate::recipe::{Recipes, parse_catalogue};
use crate::snapshot;

pub const DEFAULT_URL: &str = "https://recipes.coopcloud.tech/recipes.json";
const RECIPES_FILE: &str = "recipes.json";
const META_FILE: &str = "meta.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// Shipped with Ferry.
    Bundled,
    /// Downloaded from the catalogue's address.
    Downloaded,
}

/// Where the catalogue in use comes from and how old it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Origin {
    pub kind: OriginKind,
    /// When its content was current: the snapshot's date, or when it was downloaded.
    pub as_of: DateTime<Utc>,
    pub url: Option<String>,
    /// Message key `provenance.<key>`: where the catalogue comes from.
    pub provenance: String,
    /// For the bundled snapshot: recipe name → message key `source.<key>` saying
    /// where its scores come from.
    pub score_sources: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Catalogue {
    pub recipes: Recipes,
    pub origin: Origin,
}

/// What we remember about the last download, for conditional requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadMeta {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub fetched_at: Option<DateTime<Utc>>,
    /// Last time the server was asked, whatever it answered.
    pub checked_at: Option<DateTime<Utc>>,
}

/// The folder that holds the downloaded catalogue.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(data_dir: &Path) -> Self {
        Store {
            dir: data_dir.join("catalogue"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The downloaded catalogue if there is a good one, else the bundled snapshot.
    pub fn load(&self) -> Catalogue {
        if let Some(c) = self.load_downloaded() {
            return c;
        }
        let snap = snapshot::bundled();
        Catalogue {
            recipes: snap.recipes,
            origin: Origin {
                kind: OriginKind::Bundled,
                as_of: snap.date,
                url: None,
                provenance: snap.provenance,
                score_sources: snap.score_sources,
            },
        }
    }

    fn load_downloaded(&self) -> Option<Catalogue> {
        let meta = self.meta()?;
        let text = std::fs::read_to_string(self.dir.join(RECIPES_FILE)).ok()?;
        let parsed = match parse_catalogue(&text) {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "downloaded catalogue unreadable; using the bundled one");
                return None;
            }
        };
        Some(Catalogue {
            recipes: parsed.recipes,
            origin: Origin {
                kind: OriginKind::Downloaded,
                as_of: meta.fetched_at?,
                provenance: "downloaded".to_owned(),
                url: Some(meta.url),
                score_sources: BTreeMap::new(),
            },
        })
    }

    pub fn meta(&self) -> Option<DownloadMeta> {
        let text = std::fs::read_to_string(self.dir.join(META_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Replaces the downloaded copy: the catalogue first, then what we know about it,
    /// each written atomically.
    pub fn save(&self, body: &[u8], meta: &DownloadMeta) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        write_atomic(&self.dir.join(RECIPES_FILE), body)?;
        self.save_meta(meta)
    }

    pub fn save_meta(&self, meta: &DownloadMeta) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let text = serde_json::to_vec_pretty(meta).expect("meta serialises");
        write_atomic(&self.dir.join(META_FILE), &text)
    }
}
