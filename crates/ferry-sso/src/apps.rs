//! How each recipe's app signs in with OpenID Connect, kept as reviewed data in
//! `data/apps.json` (sources in its `_about`).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How an app can use single sign-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// Built in.
    Native,
    /// Through a plugin or extension the app's admin installs.
    Plugin,
    /// Only in a paid edition.
    Paid,
    /// Needs an extra adapter service (e.g. Jitsi).
    Adapter,
    /// Signs in through another app (Element through the Matrix homeserver).
    ViaHomeserver,
}

impl Support {
    /// Whether Ferry makes a client for the app.
    pub fn gets_client(self) -> bool {
        matches!(self, Support::Native | Support::Plugin)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AppOidc {
    pub recipe: String,
    pub support: Support,
    /// Relative to the app's address; `{org_slug}` is the organisation's short name.
    pub redirect_paths: Vec<String>,
    /// The app sends PKCE (S256).
    pub pkce: bool,
    /// The app reads a `groups` claim.
    pub groups_claim: bool,
    /// Where its admin enters the settings: env, config, admin, command, occ, none.
    #[serde(rename = "where")]
    pub place: String,
    /// The app creates its redirect address itself; the client is updated afterwards.
    #[serde(default)]
    pub redirect_after_setup: bool,
    /// Setting name and value template.
    pub settings: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct AppsFile {
    apps: Vec<AppOidc>,
}

static APPS: LazyLock<Vec<AppOidc>> = LazyLock::new(|| {
    serde_json::from_str::<AppsFile>(include_str!("../data/apps.json"))
        .expect("data/apps.json is valid (checked by tests)")
        .apps
});

pub fn all() -> &'static [AppOidc] {
    &APPS
}

pub fn for_recipe(recipe: &str) -> Option<&'static AppOidc> {
    APPS.iter().find(|a| a.recipe == recipe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reviewed_table_covers_the_apps_the_issue_names() {
        for recipe in [
            "nextcloud",
            "hedgedoc",
            "outline",
            "mastodon",
            "discourse",
            "matrix-synapse",
            "element-web",
            "gitea",
            "forgejo",
            "wordpress",
            "mediawiki",
            "bookstack",
            "loomio",
            "rallly",
            "vaultwarden",
            "grafana",
            "wiki-js",
            "zulip",
            "rocketchat",
        ] {
            assert!(for_recipe(recipe).is_some(), "{recipe}");
        }
    }

    #[test]
    fn every_app_that_gets_a_client_has_a_redirect_and_settings() {
        let mut seen = std::collections::HashSet::new();
        for a in all() {
            assert!(seen.insert(&a.recipe), "{} twice", a.recipe);
            if a.support.gets_client() && !a.redirect_after_setup {
                assert!(!a.redirect_paths.is_empty(), "{}", a.recipe);
            }
            if a.support.gets_client() {
                assert!(!a.settings.is_empty(), "{}", a.recipe);
                let text: String = a.settings.iter().map(|(_, v)| v.as_str()).collect();
                assert!(text.contains("{client_id}"), "{}", a.recipe);
            }
            for p in &a.redirect_paths {
                assert!(p.starts_with('/'), "{}: {p}", a.recipe);
            }
        }
    }
}
