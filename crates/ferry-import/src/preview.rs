//! What the imported files say, in numbers, before anything goes into the plan.
//! Names and addresses stay out of the serialised preview; `members()` gives them to
//! the local plan's single sign-on step on request.

use ferry_core::model::{DataVolume, Reach};
use serde::Serialize;
use ts_rs::TS;

use crate::facts::{Facts, Source};
use crate::takeout::TakeoutSummary;

/// New host's storage: what the exports hold plus half again for growth, versions
/// and backups in flight.
pub const HEADROOM_PERCENT: u64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileSummary {
    pub source: Source,
    /// Data rows (CSV) or files in the index (Takeout).
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ToolSummary {
    /// Id in Ferry's tool catalogue.
    pub tool: &'static str,
    pub users: u64,
    pub power_users: u64,
    pub bytes: u64,
    pub items: u64,
    /// From `users` and the number of active accounts; `None` when nobody is counted.
    pub reach: Option<Reach>,
    /// From `bytes`; `None` when no export measured it.
    pub data_volume: Option<DataVolume>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GroupSummary {
    /// The group's address or name (an organisation's, not a person's).
    pub group: String,
    pub members: u64,
    /// What Ferry proposes it becomes (`board`, `members`, or its own name).
    pub proposed: String,
    /// What the person may choose instead.
    pub options: Vec<String>,
}

/// One thing that will not come across, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Loss {
    /// `chat_history`, `sharepoint_pages`, `converted_documents` or `photos`.
    pub kind: &'static str,
    pub tool: &'static str,
    /// The need in the taxonomy whose exit entry it belongs to.
    pub need: &'static str,
    pub count: u64,
    pub bytes: u64,
}

#[derive(Clone, Serialize, TS)]
pub struct Preview {
    pub files: Vec<FileSummary>,
    /// Accounts that can sign in (not suspended, blocked or unlicensed).
    pub people: u64,
    pub inactive_people: u64,
    pub groups: Vec<GroupSummary>,
    pub tools: Vec<ToolSummary>,
    pub total_bytes: u64,
    /// What the new host must offer, in GB (10^9 bytes), headroom included.
    pub storage_needed_gb: u64,
    pub takeout: Option<TakeoutSummary>,
    pub losses: Vec<Loss>,
    /// A Microsoft report concealed names: users are counted, not matched to people.
    pub concealed_names: bool,
    #[serde(skip)]
    pub(crate) facts: Facts,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preview")
            .field("files", &self.files)
            .field("people", &self.people)
            .field("groups", &self.groups.len())
            .field("tools", &self.tools)
            .field("storage_needed_gb", &self.storage_needed_gb)
            .field("losses", &self.losses)
            .finish_non_exhaustive()
    }
}

fn reach(users: u64, people: u64) -> Option<Reach> {
    if users == 0 {
        return None;
    }
    if people == 0 {
        return Some(Reach::AFew);
    }
    let share = users * 100 / people;
    Some(if share >= 90 {
        Reach::Everyone
    } else if share >= 40 {
        Reach::Most
    } else {
        Reach::AFew
    })
}

/// Thresholds of `DataVolume`: under 1 GB, 1 to 50 GB, over 50 GB.
pub fn volume(bytes: u64) -> Option<DataVolume> {
    const GB: u64 = 1_000_000_000;
    match bytes {
        0 => None,
        b if b < GB => Some(DataVolume::Small),
        b if b <= 50 * GB => Some(DataVolume::Medium),
        _ => Some(DataVolume::Large),
    }
}

impl Preview {
    pub(crate) fn build(files: Vec<FileSummary>, facts: Facts) -> Preview {
        let people = facts.people.values().filter(|p| !p.inactive).count() as u64;
        let inactive_people = facts.people.len() as u64 - people;
        let widest = facts
            .tools
            .values()
            .map(|t| t.users.len() as u64)
            .max()
            .unwrap_or(0);
        let base = if people > 0 { people } else { widest };
        let tools: Vec<ToolSummary> = facts
            .tools
            .iter()
            .map(|(id, t)| ToolSummary {
                tool: id,
                users: t.users.len() as u64,
                power_users: t.heavy.len() as u64,
                bytes: t.bytes,
                items: t.items,
                reach: reach(t.users.len() as u64, base),
                data_volume: volume(t.bytes),
            })
            .collect();
        let total_bytes = tools
            .iter()
            .fold(0u64, |sum, t| sum.saturating_add(t.bytes));
        let with_headroom = total_bytes.saturating_mul(100 + HEADROOM_PERCENT) / 100;
        let storage_needed_gb = with_headroom.div_ceil(1_000_000_000);
        let groups = facts
            .groups
            .iter()
            .map(|(g, m)| {
                let slug = group_slug(g);
                GroupSummary {
                    group: g.clone(),
                    members: m.len() as u64,
                    proposed: crate::groups::proposal(&slug),
                    options: crate::groups::options(&slug),
                }
            })
            .collect();
        let l = facts.losses;
        let mut losses = Vec::new();
        let mut push = |kind, tool, need, count: u64, bytes| {
            if count > 0 {
                losses.push(Loss {
                    kind,
                    tool,
                    need,
                    count,
                    bytes,
                });
            }
        };
        push(
            "chat_history",
            "teams",
            "team_chat",
            l.teams_chat_messages,
            0,
        );
        push(
            "sharepoint_pages",
            "sharepoint",
            "wiki",
            l.sharepoint_sites,
            l.sharepoint_bytes,
        );
        push(
            "converted_documents",
            "google_docs",
            "documents",
            l.converted_office_files,
            0,
        );
        push("photos", "google_drive", "files", l.photos, l.photo_bytes);
        Preview {
            files,
            people,
            inactive_people,
            groups,
            tools,
            total_bytes,
            storage_needed_gb,
            takeout: facts.takeout.clone(),
            losses,
            concealed_names: facts.concealed,
            facts,
        }
    }

    pub fn tool(&self, id: &str) -> Option<&ToolSummary> {
        self.tools.iter().find(|t| t.tool == id)
    }

    /// Active people with their groups as Ferry proposes them (see `members_in`).
    pub fn members(&self) -> Vec<ferry_core::members::Member> {
        self.members_in(&crate::groups::GroupMap::proposed(self))
    }

    /// Active people with their groups, as the single sign-on step's member list
    /// (`members` first, then the group each imported group becomes in `map`).
    /// For the local plan only.
    pub fn members_in(&self, map: &crate::groups::GroupMap) -> Vec<ferry_core::members::Member> {
        let mut out = Vec::new();
        for (email, p) in &self.facts.people {
            if p.inactive {
                continue;
            }
            let mut groups = vec!["members".to_owned()];
            for (g, members) in &self.facts.groups {
                if members.contains(email) {
                    let target = map.target(g).to_owned();
                    if !groups.contains(&target) {
                        groups.push(target);
                    }
                }
            }
            let name = if p.name.is_empty() {
                email.clone()
            } else {
                p.name.clone()
            };
            out.push(ferry_core::members::Member {
                name,
                email: email.clone(),
                groups,
            });
        }
        out
    }
}

/// `Board@Example.org` → `board`: the part before `@`, lower case, `a-z0-9-` only.
/// Names the provider reserves (`members`, `app-…`) get a `google-` prefix.
pub fn group_slug(group: &str) -> String {
    let local = group.split('@').next().unwrap_or(group);
    let mut s: String = local
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-').to_owned();
    if s == "members" || s.starts_with("app-") {
        format!("google-{s}")
    } else {
        s
    }
}

/// `name,email,groups` with groups separated by `;`: what `ferry_sso::members::parse_csv` reads.
pub fn members_csv(members: &[ferry_core::members::Member]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["name", "email", "groups"]);
    for m in members {
        let _ = w.write_record([m.name.as_str(), m.email.as_str(), &m.groups.join(";")]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Adds to a member list (`name,email,groups`, as the single sign-on step keeps it)
/// everyone in `members` whose address is not in it yet, and says how many were
/// added. Rows already there stay exactly as the person left them, so importing a
/// newer export twice never duplicates anyone and never undoes an edit.
pub fn merge_members_list(
    existing: &str,
    members: &[ferry_core::members::Member],
) -> (String, u64) {
    if existing.trim().is_empty() {
        return (members_csv(members), members.len() as u64);
    }
    // Rows added in the separator the single sign-on step reads this list with.
    let delimiter = ferry_core::members::delimiter_of(existing);
    // Any field that holds an `@` is an address already listed; columns may be in
    // any order and named in any of the four languages.
    let known: std::collections::HashSet<String> = existing
        .lines()
        .flat_map(|l| l.split([',', ';']))
        .map(|f| f.trim().trim_matches('"').to_lowercase())
        .filter(|f| f.contains('@'))
        .collect();
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut added = 0;
    for m in members {
        if known.contains(&m.email.to_lowercase()) {
            continue;
        }
        let _ = w.write_record([m.name.as_str(), m.email.as_str(), &m.groups.join(";")]);
        added += 1;
    }
    let rows = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    let existing = existing.replace("\r\n", "\n");
    if rows.is_empty() {
        return (existing, 0);
    }
    let mut out = existing.trim_end_matches('\n').to_owned();
    out.push('\n');
    out.push_str(&rows.replace("\r\n", "\n"));
    (out, added)
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use ferry_core::members::Member;

    fn m(name: &str, email: &str) -> Member {
        Member {
            name: name.into(),
            email: email.into(),
            groups: vec!["members".into(), "board".into()],
        }
    }

    #[test]
    fn an_empty_list_gets_the_header_and_everyone() {
        let (text, added) = merge_members_list("  \n", &[m("Kari Nordmann", "kari@example.org")]);
        assert_eq!(added, 1);
        assert_eq!(
            text,
            "name,email,groups\nKari Nordmann,kari@example.org,members;board\n"
        );
    }

    #[test]
    fn rows_already_there_stay_as_edited_and_nobody_is_listed_twice() {
        let before = "navn;e-post;grupper\r\nKari N.;KARI@example.org;members\r\n";
        let people = [
            m("Kari Nordmann", "kari@example.org"),
            m("Ola", "ola@example.org"),
        ];
        let (once, added) = merge_members_list(before, &people);
        assert_eq!(added, 1);
        assert_eq!(
            once,
            "navn;e-post;grupper\nKari N.;KARI@example.org;members\nOla;ola@example.org;members;board\n"
                .replace("members;board\n", "\"members;board\"\n")
        );
        let (twice, again) = merge_members_list(&once, &people);
        assert_eq!((twice, again), (once, 0));
    }
}
