//! What one or more exports say, before anything is shown or applied: people by
//! address, groups, and per tool who uses it and how much data it holds.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use ts_rs::TS;

/// One of the files Ferry reads. Its name on the wire is its message key
/// (`import.source.<key>`, `import.where.<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    GoogleUsers,
    GoogleGroupMembers,
    GoogleUserUsage,
    M365ActiveUsers,
    M365AppsUsage,
    #[serde(rename = "m365_mailbox_usage")]
    M365Mailbox,
    #[serde(rename = "m365_onedrive_usage")]
    M365OneDrive,
    #[serde(rename = "m365_sharepoint_site_usage")]
    M365SharePoint,
    #[serde(rename = "m365_teams_user_activity")]
    M365Teams,
    #[serde(rename = "google_takeout")]
    Takeout,
}

ferry_core::all_values!(
    Source: GoogleUsers,
    GoogleGroupMembers,
    GoogleUserUsage,
    Takeout,
    M365ActiveUsers,
    M365AppsUsage,
    M365Mailbox,
    M365OneDrive,
    M365SharePoint,
    M365Teams,
);

impl Source {
    pub fn key(self) -> &'static str {
        match self {
            Source::GoogleUsers => "google_users",
            Source::GoogleGroupMembers => "google_group_members",
            Source::GoogleUserUsage => "google_user_usage",
            Source::M365ActiveUsers => "m365_active_users",
            Source::M365AppsUsage => "m365_apps_usage",
            Source::M365Mailbox => "m365_mailbox_usage",
            Source::M365OneDrive => "m365_onedrive_usage",
            Source::M365SharePoint => "m365_sharepoint_site_usage",
            Source::M365Teams => "m365_teams_user_activity",
            Source::Takeout => "google_takeout",
        }
    }
}

/// A person in the organisation's directory. Kept out of logs and of anything but
/// the local plan (see `Preview::members`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PersonFact {
    pub name: String,
    /// Suspended, blocked from signing in, or deleted.
    pub inactive: bool,
}

/// One tool as the exports see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolFact {
    /// Addresses (or, in reports with concealed names, the report's stand-in ids) of
    /// people who used it in the report's period.
    pub users: BTreeSet<String>,
    pub bytes: u64,
    /// People with a lot of data or advanced use (desktop Excel, over 10 GB).
    pub heavy: BTreeSet<String>,
    /// Items: files, mails, sites, as the export counts them.
    pub items: u64,
}

/// Numbers behind "what will not come across".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LossCounts {
    pub teams_chat_messages: u64,
    pub teams_meetings: u64,
    pub sharepoint_sites: u64,
    pub sharepoint_bytes: u64,
    pub converted_office_files: u64,
    pub photos: u64,
    pub photo_bytes: u64,
}

impl LossCounts {
    fn max(&mut self, o: &LossCounts) {
        self.teams_chat_messages = self.teams_chat_messages.max(o.teams_chat_messages);
        self.teams_meetings = self.teams_meetings.max(o.teams_meetings);
        self.sharepoint_sites = self.sharepoint_sites.max(o.sharepoint_sites);
        self.sharepoint_bytes = self.sharepoint_bytes.max(o.sharepoint_bytes);
        self.converted_office_files = self.converted_office_files.max(o.converted_office_files);
        self.photos = self.photos.max(o.photos);
        self.photo_bytes = self.photo_bytes.max(o.photo_bytes);
    }
}

/// At or above this a person counts as a power user of the tool.
pub const HEAVY_BYTES: u64 = 10 << 30;

#[derive(Clone, Default)]
pub struct Facts {
    /// By lower-case address.
    pub people: BTreeMap<String, PersonFact>,
    /// Group address or name → member addresses.
    pub groups: BTreeMap<String, BTreeSet<String>>,
    pub tools: BTreeMap<&'static str, ToolFact>,
    pub losses: LossCounts,
    /// A Microsoft report had user names concealed (the tenant's privacy setting).
    pub concealed: bool,
    pub takeout: Option<crate::takeout::TakeoutSummary>,
}

impl std::fmt::Debug for Facts {
    // Never print names or addresses, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Facts")
            .field("people", &self.people.len())
            .field("groups", &self.groups.len())
            .field("tools", &self.tools.keys().collect::<Vec<_>>())
            .field("losses", &self.losses)
            .finish_non_exhaustive()
    }
}

impl Facts {
    pub fn tool(&mut self, id: &'static str) -> &mut ToolFact {
        self.tools.entry(id).or_default()
    }

    /// Records that `user` used `tool`, with `bytes` of data there.
    pub fn used(&mut self, tool: &'static str, user: &str, bytes: u64) {
        let t = self.tool(tool);
        t.users.insert(user.to_owned());
        t.bytes = t.bytes.saturating_add(bytes);
        if bytes >= HEAVY_BYTES {
            t.heavy.insert(user.to_owned());
        }
    }

    pub fn person(&mut self, email: &str, name: &str, inactive: bool) {
        let p = self.people.entry(email.to_owned()).or_default();
        if p.name.is_empty() {
            p.name = name.trim().to_owned();
        }
        p.inactive |= inactive;
    }

    /// Adds what a newer or another file says. Sizes are not added up across files:
    /// two reports on the same tool measure the same data, so the larger one counts.
    pub fn merge(&mut self, other: Facts) {
        for (email, p) in other.people {
            self.person(&email, &p.name, p.inactive);
        }
        for (g, members) in other.groups {
            self.groups.entry(g).or_default().extend(members);
        }
        for (id, t) in other.tools {
            let mine = self.tool(id);
            mine.users.extend(t.users);
            mine.heavy.extend(t.heavy);
            mine.bytes = mine.bytes.max(t.bytes);
            mine.items = mine.items.max(t.items);
        }
        self.losses.max(&other.losses);
        self.concealed |= other.concealed;
        if other.takeout.is_some() {
            self.takeout = other.takeout;
        }
    }
}

/// A lower-case address, or `None` for a value that is not one (a concealed id).
pub fn address(s: &str) -> Option<String> {
    let s = s.trim();
    let (local, domain) = s.split_once('@')?;
    (!local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace))
        .then(|| s.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::Source;

    /// The window names a file by `import.source.<wire name>`: a wire name other than
    /// the key once showed "import.source.takeout" instead of the file's name.
    #[test]
    fn every_source_is_sent_as_its_message_key() {
        for source in Source::ALL {
            let wire = serde_json::to_value(source).expect("serialises");
            assert_eq!(wire, source.key(), "{source:?}");
            for lang in ferry_core::Language::ALL {
                for key in [
                    format!("import.source.{}", source.key()),
                    format!("import.where.{}", source.key()),
                ] {
                    assert_ne!(ferry_core::messages::text(lang, &key, &[]), key, "{lang:?}");
                }
            }
        }
    }
}
