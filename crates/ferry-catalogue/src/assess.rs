//! How a recipe's catalogue scores read: the one place that says which status level
//! counts as mature and which SSO level counts as automatic. The recommender, the
//! exit-plan document and the app's badges all take their judgement from here.

use serde::Serialize;
use ts_rs::TS;

use crate::recipe::Recipe;
use crate::score::{Feature, Score, Status};

/// From this status level on a recipe is ready for everyday use (below: experimental).
pub const MATURE_STATUS: u8 = 3;
/// From this SSO level on the recipe configures single sign-on by itself.
pub const AUTOMATIC_SSO: u8 = 2;

/// How a fact reads for someone choosing: shown as a symbol beside the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Good,
    Bad,
    Unknown,
}

/// The overall status, judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Maturity {
    Mature,
    Experimental,
    Unknown,
}

impl Maturity {
    pub fn of(status: &Status) -> Self {
        match status.level {
            Some(level) if level >= MATURE_STATUS => Maturity::Mature,
            Some(_) => Maturity::Experimental,
            None => Maturity::Unknown,
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Maturity::Mature => Tone::Good,
            Maturity::Experimental => Tone::Bad,
            Maturity::Unknown => Tone::Unknown,
        }
    }
}

/// What single sign-on takes with this recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SsoSupport {
    /// The recipe wires it up itself.
    Automatic,
    /// Possible, set up by hand.
    Manual,
    None,
    Unknown,
}

impl SsoSupport {
    pub fn of(sso: &Feature) -> Self {
        match sso.score {
            Score::Level(n) if n >= AUTOMATIC_SSO => SsoSupport::Automatic,
            Score::Level(0) | Score::No | Score::NotApplicable => SsoSupport::None,
            Score::Level(_) | Score::Yes => SsoSupport::Manual,
            Score::Unknown => SsoSupport::Unknown,
        }
    }

    /// Whether people can sign in with their one account at all.
    pub fn available(self) -> bool {
        matches!(self, SsoSupport::Automatic | SsoSupport::Manual)
    }

    pub fn tone(self) -> Tone {
        match self {
            SsoSupport::Automatic | SsoSupport::Manual => Tone::Good,
            SsoSupport::None => Tone::Bad,
            SsoSupport::Unknown => Tone::Unknown,
        }
    }
}

/// Whether a feature is there, as far as the catalogue says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Yes,
    No,
    Unknown,
}

impl Presence {
    pub fn of(feature: &Feature) -> Self {
        match feature.present() {
            Some(true) => Presence::Yes,
            Some(false) => Presence::No,
            None => Presence::Unknown,
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Presence::Yes => Tone::Good,
            Presence::No => Tone::Bad,
            Presence::Unknown => Tone::Unknown,
        }
    }
}

/// The tone of each judgement, so that the app never maps words to colours itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Tones {
    pub status: Tone,
    pub sso: Tone,
    pub backups: Tone,
}

/// A recipe's scores, judged: what the app shows as badges and the document as words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Assessment {
    /// The catalogue's status level (0–5), when it gives one.
    pub status_level: Option<u8>,
    pub maturity: Maturity,
    pub sso: SsoSupport,
    pub backups: Presence,
    pub tones: Tones,
}

impl Assessment {
    pub fn of(r: &Recipe) -> Self {
        let maturity = Maturity::of(&r.status);
        let sso = SsoSupport::of(&r.sso);
        let backups = Presence::of(&r.backups);
        Assessment {
            status_level: r.status.level,
            maturity,
            sso,
            backups,
            tones: Tones {
                status: maturity.tone(),
                sso: sso.tone(),
                backups: backups.tone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::parse_feature;
    use serde_json::json;

    fn sso(v: serde_json::Value) -> SsoSupport {
        SsoSupport::of(&parse_feature(Some(&v)))
    }

    #[test]
    fn status_three_is_the_first_mature_level() {
        let mut r = Recipe::named("x");
        let at = |r: &mut Recipe, level| {
            r.status.level = level;
            Assessment::of(r)
        };
        assert_eq!(at(&mut r, Some(2)).maturity, Maturity::Experimental);
        assert_eq!(at(&mut r, Some(2)).tones.status, Tone::Bad);
        assert_eq!(at(&mut r, Some(3)).maturity, Maturity::Mature);
        assert_eq!(at(&mut r, Some(3)).tones.status, Tone::Good);
        assert_eq!(at(&mut r, Some(0)).maturity, Maturity::Experimental);
        let unknown = at(&mut r, None);
        assert_eq!(
            (unknown.maturity, unknown.status_level),
            (Maturity::Unknown, None)
        );
    }

    #[test]
    fn sso_two_and_up_is_automatic_one_or_yes_is_by_hand() {
        assert_eq!(sso(json!(3)), SsoSupport::Automatic);
        assert_eq!(sso(json!(2)), SsoSupport::Automatic);
        assert_eq!(sso(json!("1 (OAuth)")), SsoSupport::Manual);
        assert_eq!(sso(json!("Yes")), SsoSupport::Manual);
        assert_eq!(sso(json!(0)), SsoSupport::None);
        assert_eq!(sso(json!("No")), SsoSupport::None);
        assert_eq!(sso(json!("N/A")), SsoSupport::None);
        assert_eq!(sso(json!("?")), SsoSupport::Unknown);
        assert!(SsoSupport::Manual.available() && !SsoSupport::None.available());
        assert_eq!(SsoSupport::Manual.tone(), Tone::Good);
        assert_eq!(SsoSupport::Unknown.tone(), Tone::Unknown);
    }

    #[test]
    fn backups_follow_presence_and_unknown_is_never_a_guess() {
        let mut r = Recipe::named("x");
        assert_eq!(Assessment::of(&r).backups, Presence::Unknown);
        r.backups = parse_feature(Some(&json!(0)));
        assert_eq!(Assessment::of(&r).tones.backups, Tone::Bad);
        r.backups = parse_feature(Some(&json!("Yes")));
        assert_eq!(Assessment::of(&r).backups, Presence::Yes);
    }

    #[test]
    fn serialises_as_the_app_reads_it() {
        let mut r = Recipe::named("x");
        r.status.level = Some(4);
        r.sso = parse_feature(Some(&json!("1 (OAuth)")));
        assert_eq!(
            serde_json::to_value(Assessment::of(&r)).unwrap(),
            json!({
                "status_level": 4, "maturity": "mature", "sso": "manual", "backups": "unknown",
                "tones": {"status": "good", "sso": "good", "backups": "unknown"}
            })
        );
    }
}
