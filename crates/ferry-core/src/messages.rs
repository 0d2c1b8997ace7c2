//! The message catalogues in `messages/` at the top of the repository, read from Rust
//! for text the engine itself writes (the command line, documents). The UI build reads
//! the same files; one set of catalogues serves both.
//!
//! Only `{name}` placeholders are filled in here; messages with ICU plurals are for
//! the UI, which formats them with intl-messageformat.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::Language;

const EN: &str = include_str!("../../../messages/en.json");
const NB: &str = include_str!("../../../messages/nb.json");
const DE: &str = include_str!("../../../messages/de.json");
const ES: &str = include_str!("../../../messages/es.json");

fn catalogue(lang: Language) -> &'static HashMap<String, String> {
    static EN_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    static NB_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    static DE_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ES_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, text) = match lang {
        Language::En => (&EN_MAP, EN),
        Language::Nb => (&NB_MAP, NB),
        Language::De => (&DE_MAP, DE),
        Language::Es => (&ES_MAP, ES),
    };
    cell.get_or_init(|| serde_json::from_str(text).expect("message catalogues are valid JSON"))
}

/// Whether the catalogues have `key` (every language has the English keys).
pub fn exists(key: &str) -> bool {
    catalogue(Language::En).contains_key(key)
}

/// The message `key` in `lang` (English if missing there, the key itself if
/// missing everywhere), with each `{name}` replaced by its value.
pub fn text(lang: Language, key: &str, args: &[(&str, &str)]) -> String {
    let template = catalogue(lang)
        .get(key)
        .or_else(|| catalogue(Language::En).get(key))
        .map_or(key, String::as_str);
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_catalogues_and_fills_placeholders() {
        assert_eq!(text(Language::En, "need.email.name", &[]), "E-mail");
        assert_eq!(text(Language::Nb, "need.email.name", &[]), "E-post");
        assert_eq!(text(Language::De, "need.email.name", &[]), "E-Mail");
        assert_eq!(text(Language::Es, "need.calendar.name", &[]), "Calendarios");
        assert_eq!(
            text(Language::Nb, "reason.mature", &[("level", "4")]),
            "Godt vedlikeholdt: status 4 av 5"
        );
        assert_eq!(text(Language::En, "no.such.key", &[]), "no.such.key");
        assert!(exists("need.email.name") && !exists("no.such.key"));
    }

    #[test]
    fn every_need_reason_warning_and_friction_has_plain_text_in_every_language() {
        let taxonomy = crate::needs::taxonomy();
        let mut keys: Vec<String> = taxonomy
            .needs
            .iter()
            .flat_map(|n| [format!("need.{}.name", n.id), format!("need.{}.help", n.id)])
            .collect();
        keys.extend(
            taxonomy
                .needs
                .iter()
                .flat_map(|n| n.friction.iter().map(|f| format!("friction.{f}"))),
        );
        for lang in Language::ALL {
            for key in &keys {
                let t = catalogue(lang)
                    .get(key)
                    .unwrap_or_else(|| panic!("{lang:?} lacks {key}"));
                assert!(
                    !t.contains(", plural"),
                    "{key} is read from Rust and must not use plurals"
                );
            }
            for (key, t) in catalogue(lang)
                .iter()
                .filter(|(k, _)| k.starts_with("reason.") || k.starts_with("warning."))
            {
                assert!(!t.contains(", plural"), "{key}");
            }
        }
    }
}
