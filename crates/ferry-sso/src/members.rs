//! Members from a CSV file (name, email, groups) to users on the provider, each
//! invited once. A dry run says what would happen; a second run changes nothing.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::{APP_GROUP_PREFIX, DesiredClient, DesiredGroup, MEMBERS_GROUP};
use crate::error::SsoError;
use crate::names::{RenameKind, Renamed};
use crate::provider::{Invite, Provider};

pub use ferry_core::members::{Member, delimiter_of};

/// A row that cannot be imported, with its line in the file (1 = header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowProblem {
    pub line: u64,
    /// Message key: `email_invalid`, `email_twice`, `group_unknown`, `name_missing`, `row_unreadable`.
    pub code: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct MemberList {
    pub members: Vec<Member>,
    pub problems: Vec<RowProblem>,
}

/// The file's problem as a whole (no usable header).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CsvError {
    #[error("the file needs a first line naming the columns name, email and (optionally) groups")]
    Header,
}

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '>')
        && !domain.contains('@')
}

/// Reads `name,email,groups` (groups separated by `;`), header required, columns in
/// any order, `,` or `;` between columns. Groups must be among `known_groups`, named
/// as the plan names them (`board`); members get them as the provider names them.
pub fn parse_csv(text: &str, known_groups: &[DesiredGroup]) -> Result<MemberList, CsvError> {
    let delimiter = delimiter_of(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().map_err(|_| CsvError::Header)?.clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(name_col), Some(email_col)) = (
        col(&["name", "navn", "nombre"]),
        col(&["email", "e-mail", "e-post", "epost", "correo"]),
    ) else {
        return Err(CsvError::Header);
    };
    let groups_col = col(&["groups", "grupper", "gruppen", "grupos"]);

    let mut out = MemberList::default();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(0, |p| p.line());
        let Ok(record) = record else {
            out.problems.push(RowProblem {
                line,
                code: "row_unreadable".into(),
                value: None,
            });
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let problem = |code: &str, value: Option<&str>| RowProblem {
            line,
            code: code.to_owned(),
            value: value.map(str::to_owned),
        };
        let name = record.get(name_col).unwrap_or_default();
        let email = record.get(email_col).unwrap_or_default().to_lowercase();
        if name.is_empty() {
            out.problems.push(problem("name_missing", None));
            continue;
        }
        if !plausible_email(&email) {
            out.problems.push(problem("email_invalid", Some(&email)));
            continue;
        }
        if !seen.insert(email.clone()) {
            out.problems.push(problem("email_twice", Some(&email)));
            continue;
        }
        let provider_name = |local: &str| {
            known_groups
                .iter()
                .find(|k| k.local == local || k.name == local)
                .map(|k| k.name.clone())
        };
        let mut groups: Vec<String> = provider_name(MEMBERS_GROUP).into_iter().collect();
        let mut unknown = None;
        for g in groups_col
            .and_then(|c| record.get(c))
            .unwrap_or_default()
            .split([';', '|'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            let Some(name) = provider_name(g) else {
                unknown = Some(g.to_owned());
                break;
            };
            if !groups.contains(&name) {
                groups.push(name);
            }
        }
        if let Some(g) = unknown {
            out.problems.push(problem("group_unknown", Some(&g)));
            continue;
        }
        // Where the provider lets only an app's group in, a row that names no app
        // group means every app: nobody is locked out by leaving the column empty.
        let is_app = |name: &String| {
            known_groups
                .iter()
                .any(|k| k.name == *name && k.local.starts_with(APP_GROUP_PREFIX))
        };
        if !groups.iter().any(is_app) {
            for k in known_groups
                .iter()
                .filter(|k| k.local.starts_with(APP_GROUP_PREFIX))
            {
                groups.push(k.name.clone());
            }
        }
        out.members.push(Member {
            name: name.to_owned(),
            email,
            groups,
        });
    }
    Ok(out)
}

/// What happened (or, in a dry run, would happen) to one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberOutcome {
    pub email: String,
    /// Created now (or would be).
    pub created: bool,
    /// Groups they were (or would be) added to.
    pub added_to: Vec<String>,
    pub invite: Option<Invite>,
    /// The name the provider keeps, when its rules change it (or would).
    pub renamed: Option<Renamed>,
    /// What went wrong for this member (in a dry run: what the real run would meet).
    pub error: Option<ferry_core::error::ErrorPayload>,
}

impl MemberOutcome {
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }
}

/// Brings the provider's users in line with `members`. With `dry_run`, only reads.
/// `apps` are the plan's clients: an invitation leads back to the first app the
/// member may use.
pub async fn import<P: Provider>(
    provider: &P,
    members: &[Member],
    apps: &[DesiredClient],
    dry_run: bool,
) -> Vec<MemberOutcome> {
    let mut out = Vec::new();
    for m in members {
        let app = apps.iter().find(|a| m.groups.contains(&a.access_group));
        let outcome = import_one(provider, m, app, dry_run).await;
        out.push(
            outcome.unwrap_or_else(|(partial, e): (MemberOutcome, SsoError)| MemberOutcome {
                error: Some(e.payload()),
                ..partial
            }),
        );
    }
    out
}

async fn import_one<P: Provider>(
    provider: &P,
    m: &Member,
    app: Option<&DesiredClient>,
    dry_run: bool,
) -> Result<MemberOutcome, (MemberOutcome, SsoError)> {
    let mut outcome = MemberOutcome {
        email: m.email.clone(),
        created: false,
        added_to: Vec::new(),
        invite: None,
        renamed: provider.stored_name(m).map(|after| Renamed {
            what: RenameKind::Member,
            before: m.name.trim().to_owned(),
            after,
        }),
        error: None,
    };
    let found = provider
        .find_user(&m.email)
        .await
        .map_err(|e| (outcome.clone(), e))?;
    let user = match found {
        Some(u) => u,
        None if dry_run => {
            // What the real run would meet, said now.
            if let Some(refusal) = provider
                .refusal_for(m)
                .await
                .map_err(|e| (outcome.clone(), e))?
            {
                return Err((outcome, refusal));
            }
            outcome.created = true;
            outcome.added_to = m.groups.clone();
            return Ok(outcome);
        }
        None => {
            let u = provider
                .create_user(m)
                .await
                .map_err(|e| (outcome.clone(), e))?;
            outcome.created = true;
            u
        }
    };
    for g in &m.groups {
        if user.groups.iter().any(|have| have == g) {
            // A new user may have been given its groups as it was made (Rauthy).
            if outcome.created {
                outcome.added_to.push(g.clone());
            }
            continue;
        }
        if !dry_run {
            provider
                .add_to_group(&user, g)
                .await
                .map_err(|e| (outcome.clone(), e))?;
        }
        outcome.added_to.push(g.clone());
    }
    if outcome.created && !dry_run {
        outcome.invite = Some(
            provider
                .invite(&user, m, app)
                .await
                .map_err(|e| (outcome.clone(), e))?,
        );
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<DesiredGroup> {
        ["members", "board", "app-nextcloud"]
            .map(|g| DesiredGroup {
                name: g.into(),
                local: g.into(),
                legacy: false,
            })
            .to_vec()
    }

    #[test]
    fn rows_become_members_and_bad_rows_are_named_by_line() {
        let csv = "\u{feff}Name;E-mail;Groups\n\
                   Kari Nordmann;Kari@Example.org;board\n\
                   Ola;ola@example;\n\
                   ;nobody@example.org;\n\
                   Per Hansen;kari@example.org;\n\
                   Siri;siri@example.org;board|treasurers\n\
                   \n\
                   Åse Ødegård;ase@example.org;app-nextcloud;board\n";
        let list = parse_csv(csv, &known()).unwrap();
        let emails: Vec<_> = list.members.iter().map(|m| m.email.as_str()).collect();
        assert_eq!(emails, ["kari@example.org", "ase@example.org"]);
        // No app group named: every app's group, so nobody is locked out.
        assert_eq!(
            list.members[0].groups,
            ["members", "board", "app-nextcloud"]
        );
        assert_eq!(
            list.members[1].split_name(),
            ("Åse".into(), "Ødegård".into())
        );
        let problems: Vec<_> = list
            .problems
            .iter()
            .map(|p| (p.line, p.code.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                (3, "email_invalid"),
                (4, "name_missing"),
                (5, "email_twice"),
                (6, "group_unknown")
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_is_refused_whole() {
        assert_eq!(parse_csv("a,b\n1,2\n", &known()), Err(CsvError::Header));
        assert_eq!(parse_csv("", &known()), Err(CsvError::Header));
    }
}
