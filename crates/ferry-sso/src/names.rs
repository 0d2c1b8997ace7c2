//! Names within each provider's rules, keeping every character the provider takes,
//! and the record of every name that had to change, so that people are told the old
//! and the new one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use ferry_core::model::IdpKind;

/// Whose name had to be written differently on the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RenameKind {
    Organisation,
    Member,
}

/// A name the provider could not take as it is: what it was and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Renamed {
    pub what: RenameKind,
    pub before: String,
    pub after: String,
}

/// CJK ranges Rauthy 0.35's client and person name rules take (`RE_CLIENT_NAME`,
/// `RE_USER_NAME` in `src/common/src/regex.rs`) — not Arabic, Cyrillic or Greek.
const RAUTHY_CJK: [(char, char); 9] = [
    ('\u{3041}', '\u{3096}'),
    ('\u{30A0}', '\u{30FF}'),
    ('\u{3400}', '\u{4DB5}'),
    ('\u{4E00}', '\u{9FCB}'),
    ('\u{F900}', '\u{FA6A}'),
    ('\u{2E80}', '\u{2FD5}'),
    ('\u{FF66}', '\u{FF9F}'),
    ('\u{FFA1}', '\u{FFDC}'),
    ('\u{31F0}', '\u{31FF}'),
];

/// One character Rauthy allows in a client name: `[a-zA-Z0-9À-ɏ-\s<CJK>]`.
pub fn rauthy_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{C0}'..='\u{24F}').contains(&c)
        || c == '-'
        || c.is_whitespace()
        || RAUTHY_CJK.iter().any(|(a, b)| (*a..=*b).contains(&c))
}

/// `name` with what Rauthy refuses left out, spaces joined, cut to `max`
/// characters; None when fewer than `min` are left.
fn kept(name: &str, allowed: impl Fn(char) -> bool, min: usize, max: usize) -> Option<String> {
    let spaced: String = name
        .chars()
        .filter(|c| *c != '.')
        .map(|c| if allowed(c) { c } else { ' ' })
        .collect();
    let joined = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = joined.chars().take(max).collect();
    let cut = cut.trim().to_owned();
    (cut.chars().count() >= min).then_some(cut)
}

/// `name` cut to what Rauthy's client-name rule takes (2–128), or None when too little
/// is left.
pub fn rauthy_name(name: &str) -> Option<String> {
    kept(&name.replace('\'', ""), rauthy_name_char, 2, 128)
}

/// A given or family name within Rauthy's rule for person names (1–32 of the same
/// characters and `'`), or None when nothing is left.
pub fn rauthy_person_name(name: &str) -> Option<String> {
    kept(name, |c| rauthy_name_char(c) || c == '\'', 1, 32)
}

/// The client's name in the provider's admin screens. On Rauthy the organisation's
/// name keeps every character its rule takes; when none are left (a name only in
/// Arabic letters, say), its short name stands in.
pub fn client_name(idp: IdpKind, organisation: &str, short: &str, recipe: &str) -> String {
    let org = organisation.trim();
    match idp {
        IdpKind::Rauthy => {
            let org = rauthy_name(org).unwrap_or_else(|| short.to_owned());
            let full = format!("{org} - {recipe}");
            rauthy_name(&full).unwrap_or_else(|| recipe.to_owned())
        }
        _ => format!("{org} - {recipe}"),
    }
}

/// How the organisation's name is written on the provider, when that differs.
pub fn organisation_renamed(idp: IdpKind, organisation: &str, short: &str) -> Option<Renamed> {
    let org = organisation.trim();
    if idp != IdpKind::Rauthy {
        return None;
    }
    let after = rauthy_name(org).unwrap_or_else(|| short.to_owned());
    (after != org).then(|| Renamed {
        what: RenameKind::Organisation,
        before: org.to_owned(),
        after,
    })
}

/// The organisation's short name for app settings and return addresses (the Gitea
/// auth source, `{org_slug}`): lowercase ASCII letters, digits and dashes
/// (`Fagforeningen Øst` → `fagforeningen-ost`). Unchanged from earlier Ferry, so that
/// the addresses apps already use stay the same.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let piece = match c {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' => "o",
            'å' | 'ä' | 'á' | 'à' => "a",
            'ü' | 'ú' => "u",
            'é' | 'è' | 'ê' => "e",
            'í' => "i",
            'ñ' => "n",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(piece);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    let joined = parts.join("-");
    let cut: String = joined.chars().take(40).collect();
    let cut = cut.trim_end_matches('-').to_owned();
    if cut.is_empty() {
        "ferry".to_owned()
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_names_keep_every_character_rauthy_takes() {
        let org = "Foreningen for Barn & Unge e.V. (Bergen)";
        assert_eq!(
            client_name(IdpKind::Rauthy, org, "x", "nextcloud"),
            "Foreningen for Barn Unge eV Bergen - nextcloud"
        );
        assert_eq!(
            client_name(IdpKind::Authentik, org, "x", "nextcloud"),
            "Foreningen for Barn & Unge e.V. (Bergen) - nextcloud"
        );
        assert_eq!(
            client_name(IdpKind::Rauthy, "東京ユニオン", "x", "nextcloud"),
            "東京ユニオン - nextcloud"
        );
        assert_eq!(
            client_name(IdpKind::Rauthy, "نقابة", "org-3f9a2c", "nextcloud"),
            "org-3f9a2c - nextcloud"
        );
        assert_eq!(
            rauthy_name("Ærlig, åpen & ærlig"),
            Some("Ærlig åpen ærlig".into())
        );
        assert_eq!(rauthy_name("&"), None);
        assert_eq!(rauthy_name(&"Å".repeat(300)).unwrap().chars().count(), 128);
        assert_eq!(rauthy_person_name("O'Brien"), Some("O'Brien".into()));
        assert_eq!(rauthy_person_name("山田"), Some("山田".into()));
        assert_eq!(rauthy_person_name("محمد"), None);
    }

    #[test]
    fn a_changed_organisation_name_is_told_before_and_after() {
        let r = organisation_renamed(IdpKind::Rauthy, "Barn & Unge", "barn-unge").unwrap();
        assert_eq!(
            (r.before.as_str(), r.after.as_str()),
            ("Barn & Unge", "Barn Unge")
        );
        assert_eq!(
            organisation_renamed(IdpKind::Rauthy, "東京ユニオン", "x"),
            None
        );
        assert_eq!(
            organisation_renamed(IdpKind::Authentik, "Barn & Unge", "x"),
            None
        );
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slug("Pasientforeningen Ærlig & Åpen"),
            "pasientforeningen-aerlig-apen"
        );
        assert_eq!(slug("  ---  "), "ferry");
    }
}
