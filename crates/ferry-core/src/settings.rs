//! Settings of the app itself (not of a plan), kept in the library file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::library::Library;
use crate::model::Language;

const LANGUAGE_KEY: &str = "app.language";

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
}
