//! Field-level validation shared by the app, the importer and the CLI.
//!
//! Rules live here once; the UI shows the problems the engine reports instead of
//! keeping its own copy of the rules.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One thing wrong with one field, e.g. `organisation.contact.email` / `email.invalid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldProblem {
    /// Dotted path of the field inside the plan.
    pub field: String,
    /// Stable code, looked up as `problem.<code>` in the message catalogue.
    pub code: String,
    /// Optional value the message mentions (a limit, the offending item).
    pub value: Option<String>,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, code: &str) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            value: None,
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// Collects problems while walking a structure.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn push(&mut self, problem: FieldProblem) {
        self.0.push(problem);
    }

    /// Checks a free-text field: required or not, at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        let trimmed = value.trim();
        if required && trimmed.is_empty() {
            self.push(FieldProblem::new(field, "required"));
        } else if value.chars().count() > max {
            self.push(FieldProblem::new(field, "too_long").with_value(max.to_string()));
        } else if value.chars().any(|c| c.is_control() && c != '\n') {
            self.push(FieldProblem::new(field, "control_characters"));
        }
    }

    pub fn into_result(self) -> Result<(), Vec<FieldProblem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// A plausible e-mail address: one `@`, something before it, a dotted domain after
/// it, no spaces. Deliverability can only be known by sending mail.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

/// ISO 3166-1 alpha-2 codes in use. The UI shows names through `Intl.DisplayNames`,
/// which translates them for free.
pub const COUNTRY_CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Languages offered first in the UI (any valid tag is accepted): the Nordic and
/// Sámi languages, the large European ones and common languages of migrant members.
pub const COMMON_LANGUAGES: &[&str] = &[
    "nb", "nn", "se", "sv", "da", "fi", "is", "en", "de", "fr", "es", "it", "pt", "nl", "pl", "lt",
    "uk", "ru", "ro", "tr", "ar", "fa", "ur", "so", "ti", "ta", "tl", "vi", "zh",
];

/// Recipe names are repository names: lower-case letters, digits, `-`, `_`, `.`.
pub fn is_recipe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

pub fn is_country_code(s: &str) -> bool {
    COUNTRY_CODES.binary_search(&s).is_ok()
}

/// A language as an ISO 639 code (two or three lower-case letters), optionally with
/// a region (`pt-BR`). Names come from `Intl.DisplayNames` in the UI.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase());
    let rest_ok = parts.all(|p| {
        (p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()))
            || (p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
    });
    primary_ok && rest_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_list_is_sorted_for_binary_search() {
        let mut sorted = COUNTRY_CODES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, COUNTRY_CODES);
        assert!(is_country_code("NO"));
        assert!(!is_country_code("no"));
        assert!(!is_country_code("XX"));
    }

    #[test]
    fn emails() {
        for ok in ["kari@example.org", "a.b+c@sub.example.no"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "kari",
            "kari@",
            "@example.org",
            "kari@example",
            "ka ri@example.org",
            "a@b@c.org",
            "a@.org",
            "a@b..org",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        for ok in ["nb", "en", "sma", "pt-BR", "sr-Latn"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "N", "NB", "norsk", "nb_NO", "nb-"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn text_rules() {
        let mut p = Problems::default();
        p.text("a", "  ", true, 10);
        p.text("b", "elleve tegn", false, 10);
        p.text("c", "tab\there", false, 10);
        p.text("d", "fine", true, 10);
        let problems = p.into_result().unwrap_err();
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "required"),
                ("b", "too_long"),
                ("c", "control_characters")
            ]
        );
    }
}
