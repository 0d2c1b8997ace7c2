//! The command line's words. Everything it prints comes from the message catalogues
//! (`messages/*.json`: its own `cli.…` keys and the engine's), in one language for the
//! whole run: `--lang` (or `FERRY_LANG`), else the plan file's, else the computer's,
//! else English.

use std::io::Read;
use std::path::Path;

use ferry_core::error::ErrorPayload;
use ferry_core::validate::FieldProblem;
use ferry_core::{Language, messages};

/// Sets the language as `--lang` does.
pub const LANG_ENV: &str = "FERRY_LANG";

/// The computer's locale variables, strongest first (POSIX: the first one set wins).
const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The part of the plan a field path starts with, and the step that has it: for a
/// field without a name of its own (as the window's `fieldLabel` does).
const STEP_OF: [(&str, &str); 7] = [
    ("organisation", "organisation"),
    ("tools", "tools"),
    ("needs", "needs"),
    ("recipes", "recipes"),
    ("sso", "sso"),
    ("exit_plan", "exit"),
    ("deploy", "deploy"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Say {
    lang: Language,
}

impl Say {
    /// The run's language, chosen once: asked for, else the plan file's, else the
    /// computer's, else English.
    pub fn resolve(asked: Option<Language>, plan_file: Option<&Path>) -> Say {
        let lang = asked
            .or_else(|| plan_file.and_then(plan_language))
            .or_else(|| system_language(|name| std::env::var(name).ok()))
            .unwrap_or(Language::En);
        Say { lang }
    }

    /// While the command line itself is read (its value checks): the computer's language.
    pub fn computer() -> Say {
        Say::resolve(None, None)
    }

    pub fn lang(&self) -> Language {
        self.lang
    }

    /// The message `key` with its `{name}` placeholders filled in.
    pub fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        messages::text(self.lang, key, args)
    }

    /// An engine error in words: its `cli.error.<code>` message where the command line
    /// needs its own (the window's has a plural or points at a button), else the
    /// window's `error.<code>`; the fields to fix below it, one a line.
    pub fn error(&self, e: &ErrorPayload) -> String {
        let mut args: Vec<(&str, &str)> = e
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        args.push(("message", &e.message));
        let mut out = match error_key(&e.code) {
            Some(key) => self.t(&key, &args),
            None => self.t("error.unknown", &[("message", &e.message)]),
        };
        for p in &e.problems {
            out.push_str("\n  - ");
            out.push_str(&self.problem(p));
        }
        out
    }

    /// One field's problem: its name, its path in the file (to find it there), what is wrong.
    pub fn problem(&self, p: &FieldProblem) -> String {
        let key = format!("problem.{}", p.code);
        let what = if messages::exists(&key) {
            self.t(&key, &[("value", p.value.as_deref().unwrap_or_default())])
        } else {
            self.t("problem.unknown", &[])
        };
        format!("{} ({}): {what}", self.field_label(&p.field), p.field)
    }

    /// A field's name: its own (`field.<path>`, list positions left out), else the
    /// nearest part of the plan that has one, else its step.
    fn field_label(&self, field: &str) -> String {
        let path = field.strip_prefix("plan.").unwrap_or(field);
        let parts: Vec<&str> = path
            .split('.')
            .filter(|p| !p.chars().all(|c| c.is_ascii_digit()))
            .collect();
        for n in (1..=parts.len()).rev() {
            let key = format!("field.{}", parts[..n].join("."));
            if messages::exists(&key) {
                return self.t(&key, &[]);
            }
        }
        match STEP_OF.iter().find(|(part, _)| parts.first() == Some(part)) {
            Some((_, step)) => self.t(&format!("steps.{step}"), &[]),
            None => self.t("field.unknown", &[]),
        }
    }
}

/// The message key an error code is written with, if the catalogues have one.
pub fn error_key(code: &str) -> Option<String> {
    [format!("cli.error.{code}"), format!("error.{code}")]
        .into_iter()
        .find(|k| messages::exists(k))
}

/// The plan file's language, read leniently: a file with problems is still spoken about
/// in its own language (the command itself then says what is wrong with it).
fn plan_language(path: &Path) -> Option<Language> {
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(ferry_core::exchange::MAX_FILE_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    let file: serde_json::Value = serde_json::from_str(&text).ok()?;
    Language::from_code(file["plan"]["language"].as_str()?)
}

/// The computer's language from its locale (`nb_NO.UTF-8` → Bokmål, any Norwegian too),
/// when Ferry speaks it.
pub fn system_language(var: impl Fn(&str) -> Option<String>) -> Option<Language> {
    let locale = LOCALE_VARS
        .iter()
        .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))?;
    let code = locale.get(..2)?.to_ascii_lowercase();
    match code.as_str() {
        "no" | "nn" => Some(Language::Nb),
        other => Language::from_code(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_computers_language_follows_posix_order_and_ferrys_languages() {
        assert_eq!(
            system_language(env(&[("LANG", "de_DE.UTF-8")])),
            Some(Language::De)
        );
        assert_eq!(
            system_language(env(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "es_ES")])),
            Some(Language::Es)
        );
        assert_eq!(
            system_language(env(&[("LC_ALL", "nn_NO"), ("LANG", "de_DE")])),
            Some(Language::Nb)
        );
        assert_eq!(
            system_language(env(&[("LANG", "no_NO")])),
            Some(Language::Nb)
        );
        // C and languages Ferry does not speak: English, decided by the caller.
        assert_eq!(
            system_language(env(&[("LC_ALL", "C"), ("LANG", "de_DE")])),
            None
        );
        assert_eq!(system_language(env(&[("LANG", "fr_FR.UTF-8")])), None);
        assert_eq!(system_language(env(&[("LANG", "")])), None);
        assert_eq!(system_language(env(&[])), None);
    }

    #[test]
    fn asked_for_beats_the_plan_and_the_plan_beats_the_computer() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.ferry.json");
        let plan = ferry_core::Plan::new("Laget", Language::Nb).unwrap();
        ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
        assert_eq!(Say::resolve(None, Some(&file)).lang(), Language::Nb);
        assert_eq!(
            Say::resolve(Some(Language::De), Some(&file)).lang(),
            Language::De
        );
        // Broken but with its language: still that language.
        std::fs::write(&file, r#"{"plan": {"language": "es", "id": 3}}"#).unwrap();
        assert_eq!(Say::resolve(None, Some(&file)).lang(), Language::Es);
    }

    #[test]
    fn engine_errors_are_written_with_their_messages_and_fields() {
        let say = Say { lang: Language::Nb };
        let e = ferry_core::CoreError::Invalid(vec![FieldProblem {
            field: "plan.organisation.countries.0".into(),
            code: "unknown_country".into(),
            value: Some("Narnia".into()),
        }]);
        let text = say.error(&ferry_api::ApiError::from(e).to_payload());
        assert_eq!(
            text,
            format!(
                "{}\n  - {} (plan.organisation.countries.0): {}",
                say.t("error.plan.invalid", &[]),
                say.t("field.organisation.countries", &[]),
                say.t("problem.unknown_country", &[("value", "Narnia")])
            )
        );
        let unnamed = FieldProblem {
            field: "plan.sso.something_new".into(),
            code: "brand_new".into(),
            value: None,
        };
        assert_eq!(
            say.problem(&unnamed),
            format!(
                "{} (plan.sso.something_new): {}",
                say.t("steps.sso", &[]),
                say.t("problem.unknown", &[])
            )
        );
    }

    /// Messages read from Rust fill `{name}` only: none of those the command line
    /// prints may use an ICU plural or select.
    #[test]
    fn every_error_and_cli_message_is_plain_in_every_language() {
        let mut keys: Vec<String> = ferry_api::ApiError::all_codes()
            .into_iter()
            .map(|c| error_key(c).unwrap_or_else(|| panic!("no message for {c}")))
            .collect();
        let en: std::collections::BTreeMap<String, String> =
            serde_json::from_str(include_str!("../../../messages/en.json")).unwrap();
        keys.extend(en.keys().filter(|k| k.starts_with("cli.")).cloned());
        for lang in Language::ALL {
            for key in &keys {
                let text = messages::text(lang, key, &[]);
                assert!(
                    !text.contains(", plural") && !text.contains(", select"),
                    "{lang:?} {key}: add a plain cli.{key}"
                );
            }
        }
    }
}
