//! Recipes and the catalogue, read leniently from Co-op Cloud's `recipes.json`.
//!
//! The file is an object keyed by recipe name (abra reads it as
//! `map[name]RecipeMeta`). One odd recipe is reported and skipped; it never takes
//! the rest of the catalogue down with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

pub use ferry_core::validate::is_recipe_name;

use crate::score::{self, Feature, Status, raw_text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImageInfo {
    pub name: String,
    /// 4 = official upstream image … 1 = the recipe's own image.
    pub rating: Option<u8>,
    /// e.g. "upstream", "own".
    pub source: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecipeVersion {
    /// The recipe's version tag, e.g. `5.0.3+27.0.1-fpm`.
    pub tag: String,
    /// Service name → image:tag it runs.
    pub services: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Recipe {
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub website: Option<String>,
    pub repository: Option<String>,
    pub icon: Option<String>,
    pub status: Status,
    pub backups: Feature,
    pub email: Feature,
    pub healthcheck: Feature,
    pub sso: Feature,
    pub tests: Feature,
    pub image: Option<ImageInfo>,
    /// Oldest first, as the catalogue lists them.
    pub versions: Vec<RecipeVersion>,
}

impl Recipe {
    /// A recipe with nothing known but its name.
    pub fn named(name: &str) -> Self {
        Recipe {
            name: name.to_owned(),
            description: None,
            category: None,
            website: None,
            repository: None,
            icon: None,
            status: Status::unknown(),
            backups: Feature::unknown(),
            email: Feature::unknown(),
            healthcheck: Feature::unknown(),
            sso: Feature::unknown(),
            tests: Feature::unknown(),
            image: None,
            versions: Vec::new(),
        }
    }

    pub fn latest_version(&self) -> Option<&str> {
        self.versions.last().map(|v| v.tag.as_str())
    }
}

/// The recipes, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Recipes(pub BTreeMap<String, Recipe>);

impl Recipes {
    pub fn get(&self, name: &str) -> Option<&Recipe> {
        self.0.get(name)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Recipe> {
        self.0.values()
    }
}

/// What went wrong reading a catalogue as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the catalogue is not valid JSON: {0}")]
    NotJson(String),
    #[error("the catalogue is JSON but not a list of recipes")]
    NotACatalogue,
    #[error("the catalogue holds no recipes")]
    Empty,
}

/// A parsed catalogue and what was skipped on the way, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub recipes: Recipes,
    pub skipped: Vec<String>,
}

pub fn parse_catalogue(text: &str) -> Result<Parsed, ParseError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ParseError::NotJson(e.to_string()))?;
    parse_catalogue_value(&value)
}

pub fn parse_catalogue_value(value: &Value) -> Result<Parsed, ParseError> {
    // The catalogue is an object keyed by name; a list of recipe objects is accepted too.
    let entries: Vec<(Option<&str>, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
        Value::Array(items) => items.iter().map(|v| (None, v)).collect(),
        _ => return Err(ParseError::NotACatalogue),
    };
    let mut recipes = BTreeMap::new();
    let mut skipped = Vec::new();
    for (key, entry) in entries {
        let Some(obj) = entry.as_object() else {
            skipped.push(format!(
                "{}: not a recipe entry",
                key.unwrap_or("(unnamed)")
            ));
            continue;
        };
        let name = text(obj, "name")
            .or_else(|| key.map(str::to_owned))
            .unwrap_or_default();
        let name = name.trim().to_lowercase();
        if !is_recipe_name(&name) {
            skipped.push(format!(
                "{}: not a usable recipe name",
                key.unwrap_or(&name)
            ));
            continue;
        }
        let recipe = parse_recipe(&name, obj);
        recipes.insert(name, recipe);
    }
    if recipes.is_empty() {
        return Err(if skipped.is_empty() {
            ParseError::Empty
        } else {
            ParseError::NotACatalogue
        });
    }
    Ok(Parsed {
        recipes: Recipes(recipes),
        skipped,
    })
}

fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    let s = match obj.get(key)? {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn url(obj: &Map<String, Value>, key: &str) -> Option<String> {
    text(obj, key).filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

fn parse_recipe(name: &str, obj: &Map<String, Value>) -> Recipe {
    let empty = Map::new();
    let features = obj
        .get("features")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    Recipe {
        name: name.to_owned(),
        description: text(obj, "description"),
        category: text(obj, "category"),
        website: url(obj, "website"),
        repository: url(obj, "repository"),
        icon: url(obj, "icon"),
        status: score::parse_status(features.get("status")),
        backups: score::parse_feature(features.get("backups")),
        email: score::parse_feature(features.get("email")),
        healthcheck: score::parse_feature(features.get("healthcheck")),
        sso: score::parse_feature(features.get("sso")),
        tests: score::parse_feature(features.get("tests")),
        image: features.get("image").and_then(parse_image),
        versions: obj.get("versions").map(parse_versions).unwrap_or_default(),
    }
}

fn parse_image(value: &Value) -> Option<ImageInfo> {
    let obj = value.as_object()?;
    let name = text(obj, "image")?;
    let rating = raw_text(obj.get("rating"))
        .parse::<u8>()
        .ok()
        .filter(|r| (1..=4).contains(r));
    Some(ImageInfo {
        name,
        rating,
        source: text(obj, "source"),
        url: url(obj, "url"),
    })
}

/// `versions` is a list of one-key objects: `[{"1.0.0+1.14": {"app": {...}}}]`.
fn parse_versions(value: &Value) -> Vec<RecipeVersion> {
    let Some(items) = value.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|o| o.iter())
        .map(|(tag, services)| RecipeVersion {
            tag: tag.clone(),
            services: services
                .as_object()
                .map(|s| {
                    s.iter()
                        .map(|(service, meta)| {
                            let image = meta
                                .get("image")
                                .map(|v| raw_text(Some(v)))
                                .unwrap_or_default();
                            let tag = meta
                                .get("tag")
                                .map(|v| raw_text(Some(v)))
                                .unwrap_or_default();
                            (
                                service.clone(),
                                if tag.is_empty() {
                                    image
                                } else {
                                    format!("{image}:{tag}")
                                },
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Score;

    #[test]
    fn reads_the_documented_shape() {
        let text = r#"{
          "gitea": {
            "category": "Apps", "default_branch": "main", "description": "Git with a cup of tea",
            "features": {"backups": "Yes", "email": "3", "healthcheck": "Yes",
              "image": {"image": "gitea/gitea", "rating": "4", "source": "upstream", "url": "https://hub.docker.com/r/gitea/gitea"},
              "status": 3, "tests": "2", "sso": "3"},
            "icon": "https://git.coopcloud.tech/avatars/x", "name": "gitea",
            "repository": "https://git.coopcloud.tech/coop-cloud/gitea.git",
            "versions": [{"1.0.0+1.14.3-rootless": {"app": {"digest": "6244e9fc", "image": "gitea/gitea", "tag": "1.14.3-rootless"},
                                                    "db": {"digest": "718cb856", "image": "mariadb", "tag": "10.6"}}},
                         {"1.1.0+1.15.0-rootless": {}}],
            "website": "https://gitea.io"
          }
        }"#;
        let parsed = parse_catalogue(text).unwrap();
        assert!(parsed.skipped.is_empty());
        let g = parsed.recipes.get("gitea").unwrap();
        assert_eq!(g.status.level, Some(3));
        assert_eq!(g.sso.score, Score::Level(3));
        assert_eq!(g.backups.score, Score::Yes);
        assert_eq!(g.image.as_ref().unwrap().rating, Some(4));
        assert_eq!(g.versions[0].services["db"], "mariadb:10.6");
        assert_eq!(g.latest_version(), Some("1.1.0+1.15.0-rootless"));
        assert_eq!(g.website.as_deref(), Some("https://gitea.io"));
    }

    #[test]
    fn odd_entries_are_skipped_and_named() {
        let text = r#"{"ok": {"name": "ok"}, "broken": 5, "Bad Name!": {}, "": {"name": ""}}"#;
        let parsed = parse_catalogue(text).unwrap();
        assert_eq!(parsed.recipes.len(), 1);
        assert_eq!(parsed.skipped.len(), 3, "{:?}", parsed.skipped);
        assert!(parsed.skipped.iter().any(|s| s.starts_with("broken")));
    }

    #[test]
    fn missing_and_mistyped_fields_become_unknown() {
        let text = r#"{"x": {"features": {"status": "high", "sso": ["Yes"], "image": "not an object"}, "website": "javascript:alert(1)", "versions": "none"}}"#;
        let x = parse_catalogue(text)
            .unwrap()
            .recipes
            .0
            .remove("x")
            .unwrap();
        assert_eq!(x.status.level, None);
        assert_eq!(x.sso.score, Score::Unknown);
        assert_eq!(x.image, None);
        assert_eq!(x.website, None, "only http(s) links are kept");
        assert!(x.versions.is_empty());
    }

    #[test]
    fn whole_file_errors() {
        assert!(matches!(
            parse_catalogue("{\"a\": "),
            Err(ParseError::NotJson(_))
        ));
        assert_eq!(parse_catalogue("\"hello\""), Err(ParseError::NotACatalogue));
        assert_eq!(parse_catalogue("{}"), Err(ParseError::Empty));
        assert_eq!(parse_catalogue("[1, 2]"), Err(ParseError::NotACatalogue));
    }
}
