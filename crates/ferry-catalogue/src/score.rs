//! Scores as maintainers type them in recipe READMEs, normalised without guessing.
//!
//! Real values include digits, "Yes"/"No", "N/A", "?", empty strings, emoji from the
//! 2021 catalogue (❶ best … ❹ worst, ❌, ⛔, 💣) and trailing notes ("1, alpha",
//! "Yes (OAuth)"). Anything not understood is `Unknown`, never a made-up number.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// What a feature score says, on the catalogue's 0–3 scale (3 = automatic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "level", rename_all = "snake_case")]
pub enum Score {
    Level(u8),
    Yes,
    No,
    /// The feature does not apply to this app (e.g. an app that sends no e-mail).
    NotApplicable,
    Unknown,
}

pub const MAX_FEATURE_LEVEL: u8 = 3;
pub const MAX_STATUS_LEVEL: u8 = 5;

/// A feature of a recipe: the normalised score, any note, and what the catalogue said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Feature {
    pub score: Score,
    /// Words after the score, e.g. "OAuth" in "Yes (OAuth)".
    pub note: Option<String>,
    /// The value as written, for people who want to check.
    pub raw: String,
}

impl Feature {
    pub fn unknown() -> Self {
        Feature {
            score: Score::Unknown,
            note: None,
            raw: String::new(),
        }
    }

    /// Whether the feature is there at all (a level above 0 or "Yes").
    pub fn present(&self) -> Option<bool> {
        match self.score {
            Score::Level(n) => Some(n > 0),
            Score::Yes => Some(true),
            Score::No | Score::NotApplicable => Some(false),
            Score::Unknown => None,
        }
    }
}

/// The overall status of a recipe: 1 (alpha) … 5 (everything, SSO included); 0 is
/// used in practice for work in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Status {
    pub level: Option<u8>,
    /// The maintainer's word for it, e.g. "stable", "alpha", "work-in-progress".
    pub label: Option<String>,
    pub raw: String,
}

impl Status {
    pub fn unknown() -> Self {
        Status {
            level: None,
            label: None,
            raw: String::new(),
        }
    }
}

/// Any JSON value as the text a maintainer would have typed.
pub fn raw_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_owned(),
        Some(other) => other.to_string(),
    }
}

/// Splits "3, stable" / "Yes (OAuth)" / "1 alpha" into the head and the note.
fn split_note(raw: &str) -> (&str, Option<String>) {
    let raw = raw.trim();
    let cut = raw
        .char_indices()
        .find(|&(i, c)| c == ',' || c == '(' || c == ';' || (c.is_whitespace() && i > 0))
        .map(|(i, _)| i);
    match cut {
        None => (raw, None),
        Some(i) => {
            let note = raw[i..]
                .trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .trim_start_matches('(')
                .trim_end_matches(')')
                .trim();
            (raw[..i].trim(), (!note.is_empty()).then(|| note.to_owned()))
        }
    }
}

/// The 2021 catalogue numbered from the best: ❶ best … ❹ worst.
fn emoji_rank(head: &str) -> Option<u8> {
    ['❶', '❷', '❸', '❹']
        .iter()
        .position(|e| head.starts_with(*e))
        .map(|p| p as u8 + 1)
}

fn word(head: &str) -> Option<Score> {
    let lower = head.to_lowercase();
    let lower = lower.trim_end_matches(['.', '!']);
    Some(match lower {
        "yes" | "y" | "true" | "✅" | "✔" | "✔️" => Score::Yes,
        "no" | "n" | "false" | "none" | "❌" | "✗" => Score::No,
        "n/a" | "na" | "n.a" | "⛔" | "💣" | "-" | "–" => Score::NotApplicable,
        "?" | "" | "unknown" | "tbc" | "todo" => Score::Unknown,
        _ => return None,
    })
}

/// Reads a feature score (backups, email, healthcheck, sso, tests).
pub fn parse_feature(value: Option<&Value>) -> Feature {
    let raw = raw_text(value);
    let (head, note) = split_note(&raw);
    let score = if let Some(rank) = emoji_rank(head) {
        // ❶ (best) is our 3, ❹ (worst) our 0.
        Score::Level(MAX_FEATURE_LEVEL + 1 - rank)
    } else if let Some(score) = word(head) {
        score
    } else {
        match head.parse::<u8>() {
            Ok(n) if n <= MAX_FEATURE_LEVEL => Score::Level(n),
            _ => Score::Unknown,
        }
    };
    // A note on a score we could not read is only noise; keep it in `raw`.
    let note = if score == Score::Unknown { None } else { note };
    Feature { score, note, raw }
}

/// Reads the overall status, which may be a number or text such as "3, stable".
pub fn parse_status(value: Option<&Value>) -> Status {
    let raw = raw_text(value);
    let (head, note) = split_note(&raw);
    let level = if let Some(rank) = emoji_rank(head) {
        // ❶ was "everything"; 🌈🌈 (❶ plus SSO) is our 5.
        Some(MAX_STATUS_LEVEL - rank)
    } else if head.contains("🌈") {
        Some(MAX_STATUS_LEVEL)
    } else {
        match value {
            Some(Value::Number(n)) => n.as_u64().and_then(|n| u8::try_from(n).ok()),
            _ => head.parse::<u8>().ok(),
        }
        .filter(|n| *n <= MAX_STATUS_LEVEL)
    };
    let label = match level {
        Some(_) => note,
        // "work-in-progress" alone is a label without a number.
        None if !head.is_empty() && word(head).is_none() && head.parse::<f64>().is_err() => {
            Some(raw.clone())
        }
        None => None,
    };
    Status { level, label, raw }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(v: Value) -> (Score, Option<String>) {
        let p = parse_feature(Some(&v));
        (p.score, p.note)
    }

    #[test]
    fn digits_words_and_notes() {
        assert_eq!(f(json!("3")), (Score::Level(3), None));
        assert_eq!(f(json!(2)), (Score::Level(2), None));
        assert_eq!(f(json!("0")), (Score::Level(0), None));
        assert_eq!(f(json!("Yes")), (Score::Yes, None));
        assert_eq!(f(json!("yes (OAuth)")), (Score::Yes, Some("OAuth".into())));
        assert_eq!(
            f(json!("1 (OAuth)")),
            (Score::Level(1), Some("OAuth".into()))
        );
        assert_eq!(f(json!("No")), (Score::No, None));
        assert_eq!(f(json!("N/A")), (Score::NotApplicable, None));
        assert_eq!(f(json!(true)), (Score::Yes, None));
    }

    #[test]
    fn unknown_is_never_a_number() {
        for v in [
            json!("?"),
            json!(""),
            json!(null),
            json!("7"),
            json!("-1"),
            json!("lots"),
            json!([1]),
            json!({"a": 1}),
            json!(2.5),
        ] {
            assert_eq!(f(v.clone()).0, Score::Unknown, "{v}");
        }
        assert_eq!(parse_feature(None).score, Score::Unknown);
    }

    #[test]
    fn old_emoji_scale_is_inverted() {
        assert_eq!(f(json!("❶💚")).0, Score::Level(3));
        assert_eq!(f(json!("❷💛")).0, Score::Level(2));
        assert_eq!(f(json!("❹💣")).0, Score::Level(0));
        assert_eq!(f(json!("❌")).0, Score::No);
        assert_eq!(f(json!("⛔")).0, Score::NotApplicable);
    }

    #[test]
    fn status_as_number_or_text() {
        let s = |v: Value| {
            let p = parse_status(Some(&v));
            (p.level, p.label)
        };
        assert_eq!(s(json!(3)), (Some(3), None));
        assert_eq!(s(json!("3, stable")), (Some(3), Some("stable".into())));
        assert_eq!(s(json!("1, alpha")), (Some(1), Some("alpha".into())));
        assert_eq!(
            s(json!("0, work-in-progress")),
            (Some(0), Some("work-in-progress".into()))
        );
        assert_eq!(s(json!("❹💣")), (Some(1), None));
        assert_eq!(s(json!("❶💚")), (Some(4), None));
        assert_eq!(s(json!("🌈🌈")), (Some(5), None));
        assert_eq!(s(json!(9)), (None, None));
        assert_eq!(s(json!("?")), (None, None));
        assert_eq!(
            s(json!("work-in-progress")),
            (None, Some("work-in-progress".into()))
        );
        assert_eq!(s(json!(null)), (None, None));
    }
}
