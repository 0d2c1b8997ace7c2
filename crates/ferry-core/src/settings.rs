//! Settings of the app itself (not of a plan), kept in the library file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::library::Library;
use crate::model::Language;

const LANGUAGE_KEY: &str = "app.language";
const COOPS_KEY: &str = "app.coops";

/// A hosting co-op's API. The token is not here: it is kept in the OS keyring under
/// the profile's id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CoopProfile {
    pub id: String,
    pub name: String,
    pub api_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppSettings {
    /// The app's language; `None` follows the system's language.
    pub language: Option<Language>,
}

impl Library {
    pub fn app_settings(&self) -> Result<AppSettings> {
        // An unknown stored value (from a newer Ferry) falls back to the system language.
        let language = self
            .setting(LANGUAGE_KEY)?
            .as_deref()
            .and_then(Language::from_code);
        Ok(AppSettings { language })
    }

    pub fn set_app_settings(&mut self, settings: &AppSettings) -> Result<()> {
        let code = settings.language.map_or("", Language::code);
        self.set_setting(LANGUAGE_KEY, code)
    }

    /// Hosting co-ops this computer sends orders to.
    pub fn coop_profiles(&self) -> Result<Vec<CoopProfile>> {
        // A list that no longer parses (from a newer Ferry) reads as empty, not as an error.
        Ok(self
            .setting(COOPS_KEY)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// Adds the profile, or replaces the one with the same id.
    pub fn save_coop_profile(&mut self, profile: &CoopProfile) -> Result<Vec<CoopProfile>> {
        let mut list = self.coop_profiles()?;
        match list.iter_mut().find(|p| p.id == profile.id) {
            Some(p) => *p = profile.clone(),
            None => list.push(profile.clone()),
        }
        self.set_setting(
            COOPS_KEY,
            &serde_json::to_string(&list).expect("profiles serialise"),
        )?;
        Ok(list)
    }

    pub fn delete_coop_profile(&mut self, id: &str) -> Result<Vec<CoopProfile>> {
        let mut list = self.coop_profiles()?;
        list.retain(|p| p.id != id);
        self.set_setting(
            COOPS_KEY,
            &serde_json::to_string(&list).expect("profiles serialise"),
        )?;
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice_persists_and_can_be_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in(dir.path()).unwrap();
        assert_eq!(lib.app_settings().unwrap().language, None);
        lib.set_app_settings(&AppSettings {
            language: Some(Language::Nb),
        })
        .unwrap();
        drop(lib);
        let mut lib = Library::open_in(dir.path()).unwrap();
        assert_eq!(lib.app_settings().unwrap().language, Some(Language::Nb));
        lib.set_app_settings(&AppSettings { language: None })
            .unwrap();
        assert_eq!(lib.app_settings().unwrap().language, None);
    }

    #[test]
    fn coop_profiles_are_added_replaced_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in(dir.path()).unwrap();
        let p = |id: &str, name: &str| CoopProfile {
            id: id.into(),
            name: name.into(),
            api_url: "https://api.coop.example".into(),
        };
        lib.save_coop_profile(&p("a", "Fjordhost")).unwrap();
        lib.save_coop_profile(&p("b", "Nordlys")).unwrap();
        let list = lib.save_coop_profile(&p("a", "Fjordhost SA")).unwrap();
        assert_eq!(
            list.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["Fjordhost SA", "Nordlys"]
        );
        drop(lib);
        let mut lib = Library::open_in(dir.path()).unwrap();
        assert_eq!(lib.delete_coop_profile("a").unwrap(), [p("b", "Nordlys")]);
    }
}
