//! Whose an object on the identity provider is. A hosting co-op runs one sign-in
//! service for many organisations: every object Ferry makes carries the organisation
//! in its name (Keycloak: its own realm; Authentik and Rauthy: a short-name prefix)
//! and a mark the provider keeps (Keycloak: a realm and client attribute, the sign-in
//! flow's description and the access role's attributes; Authentik: the application's
//! publisher and the group's attributes; Rauthy: a client contact and the group's
//! meta). An object of Ferry's name that is marked for
//! another organisation, or for none, is never changed or joined: it is a conflict.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The organisation a plan sets up: the plan's id (stable) and its name (for people).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Owner {
    pub id: String,
    pub name: String,
}

/// Keycloak attribute (realm, client) and the key inside Authentik's group attributes
/// and Rauthy's group meta.
pub const MARK_KEY: &str = "ferry.organisation";
pub const MARK_NAME_KEY: &str = "ferry.organisation.name";
/// Rauthy's client mark: a contact (its only free client field, `^[a-zA-Z0-9+.@/:-]{0,48}$`).
const CONTACT_PREFIX: &str = "ferry-org:";
/// Authentik's application mark, in its publisher line (shown to admins and members).
const PUBLISHER_TAG: &str = "ferry:";

impl Owner {
    /// Rauthy's client contact: `ferry-org:<plan id>` (46 characters).
    pub fn contact(&self) -> String {
        format!("{CONTACT_PREFIX}{}", self.id)
    }

    /// Authentik's application publisher: the organisation's name and the mark.
    pub fn publisher(&self) -> String {
        format!("{} ({PUBLISHER_TAG}{})", self.name, self.id)
    }

    /// Whose a mark (a plan id read back, with the name stored beside it) says it is.
    pub fn judge(&self, id: Option<&str>, name: Option<&str>) -> Mark {
        match id.map(str::trim).filter(|i| !i.is_empty()) {
            None => Mark::None,
            Some(i) if i == self.id => Mark::Ours,
            Some(i) => Mark::Other {
                name: name.filter(|n| !n.is_empty()).unwrap_or(i).to_owned(),
            },
        }
    }

    /// The mark in Rauthy's client contacts.
    pub fn judge_contacts<'a>(&self, contacts: impl IntoIterator<Item = &'a str>) -> Mark {
        let id = contacts
            .into_iter()
            .find_map(|c| c.strip_prefix(CONTACT_PREFIX));
        self.judge(id, None)
    }

    /// The mark in Authentik's application publisher line.
    pub fn judge_publisher(&self, publisher: &str) -> Mark {
        let Some((name, rest)) = publisher.rsplit_once(&format!(" ({PUBLISHER_TAG}")) else {
            return Mark::None;
        };
        self.judge(rest.strip_suffix(')'), Some(name))
    }
}

/// What an object's mark says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mark {
    Ours,
    /// Another organisation's, by its name.
    Other {
        name: String,
    },
    /// No mark: made by hand, or by a Ferry from before marks.
    None,
}

/// What kind of object a conflict or an adoption is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Realm,
    Client,
    Group,
    /// Keycloak: a sign-in flow (an app's, or the template they are copied from).
    Flow,
}

/// An object with the name Ferry would use that is not this organisation's: Ferry
/// leaves it alone and says whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Conflict {
    pub what: ObjectKind,
    pub name: String,
    /// The organisation it belongs to; None when nobody Ferry knows made it.
    pub owner: Option<String>,
    /// The apps (client ids) Ferry cannot set up while it stands: a sign-in flow they
    /// need is someone else's. Empty for a client, whose name says which app.
    #[serde(default)]
    pub holds_back: Vec<String>,
}

impl Conflict {
    pub fn of(what: ObjectKind, name: &str, mark: &Mark) -> Conflict {
        Conflict {
            what,
            name: name.to_owned(),
            owner: match mark {
                Mark::Other { name } => Some(name.clone()),
                _ => None,
            },
            holds_back: Vec::new(),
        }
    }

    /// The same, naming the apps it keeps Ferry from setting up.
    pub fn holding_back(mut self, client_ids: Vec<String>) -> Conflict {
        self.holds_back = client_ids;
        self
    }

    /// Whether it keeps Ferry from setting up the app's client `client_id`.
    pub fn blocks(&self, client_id: &str) -> bool {
        (self.what == ObjectKind::Client && self.name == client_id)
            || self.holds_back.iter().any(|c| c == client_id)
    }
}

/// A client this organisation's Ferry made for an app no longer in the plan: live,
/// with a valid secret, until removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Orphan {
    pub client_id: String,
    /// Its name on the provider, as an administrator sees it.
    pub name: String,
}

/// Whether every one of `uris` (and at least one) is at one of `domains` or under it:
/// how an object from before marks is known to be this organisation's.
pub fn under_domains<'a>(uris: impl IntoIterator<Item = &'a str>, domains: &[String]) -> bool {
    let mut any = false;
    for uri in uris {
        let host = reqwest::Url::parse(uri)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        let Some(host) = host else {
            // A pattern (Authentik's regex mode) or a relative address: not evidence.
            continue;
        };
        let ours = domains
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")));
        if !ours {
            return false;
        }
        any = true;
    }
    any
}

/// The organisation's short name: its name in ASCII (transliterated from any script),
/// lowercase letters, digits and dashes, at most `max` characters. When the name gives
/// nothing (only signs) or had to be cut, a short id from the plan keeps it apart from
/// others: never one shared word.
pub fn short_name(name: &str, plan_id: &str, max: usize) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let full = words.join("-");
    let tag: String = plan_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect::<String>()
        .to_lowercase();
    if full.is_empty() {
        return format!("org-{tag}");
    }
    if full.len() <= max {
        return full;
    }
    let room = max.saturating_sub(tag.len() + 1);
    let cut = full[..room].trim_end_matches('-');
    format!("{cut}-{tag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f9a2c1d-0000-4000-8000-000000000001";

    #[test]
    fn short_names_come_from_any_script_and_never_collapse_to_one_word() {
        assert_eq!(short_name("Fagforeningen Øst", ID, 40), "fagforeningen-ost");
        assert_eq!(short_name("Ærlig & Åpen", ID, 40), "aerlig-apen");
        let jp = short_name("東京ユニオン", ID, 40);
        assert!(jp.len() > 4 && jp != "ferry", "{jp}");
        let ar = short_name("نقابة العمال", ID, 40);
        let ru = short_name("Профсоюз Север", ID, 40);
        let el = short_name("Ένωση Εργαζομένων", ID, 40);
        assert!([&jp, &ar, &ru, &el].iter().all(|s| s.is_ascii()));
        assert_eq!(ru, "profsoiuz-sever");
        assert_eq!(short_name("&&&", ID, 40), "org-3f9a2c");
        let long = short_name("Foreningen for Barn & Unge e.V. (Bergen)", ID, 24);
        assert_eq!(long, "foreningen-for-ba-3f9a2c");
        assert!(long.len() <= 24);
    }

    #[test]
    fn marks_are_read_back_as_whose_they_are() {
        let me = Owner {
            id: ID.into(),
            name: "Lag Øst".into(),
        };
        assert_eq!(me.judge_contacts([me.contact().as_str()]), Mark::Ours);
        assert_eq!(me.contact().len(), 46);
        assert_eq!(me.judge_publisher(&me.publisher()), Mark::Ours);
        let other = Owner {
            id: "other".into(),
            name: "Lag (Vest)".into(),
        };
        assert_eq!(
            me.judge_publisher(&other.publisher()),
            Mark::Other {
                name: "Lag (Vest)".into()
            }
        );
        assert_eq!(me.judge_publisher("Made by hand"), Mark::None);
        assert_eq!(me.judge_contacts(["ops@coop.example"]), Mark::None);
    }

    #[test]
    fn old_objects_are_known_by_their_return_addresses() {
        let domains = vec!["lag.example".to_owned()];
        assert!(under_domains(
            ["https://cloud.lag.example/cb", "https://lag.example/"],
            &domains
        ));
        assert!(!under_domains(
            [
                "https://cloud.lag.example/cb",
                "https://cloud.vest.example/cb"
            ],
            &domains
        ));
        assert!(!under_domains(["^https://x$"], &domains));
        assert!(!under_domains(["https://notlag.example/"], &domains));
    }
}
