//! Google Workspace admin console downloads: the user list, group members and the
//! user usage report. Column names and their sources: tests/fixtures/README.md.

use crate::error::ImportError;
use crate::facts::{Facts, address};
use crate::text::{Table, parse_size};

// The user list download (Directory > Users > Download users). Its column names are
// English whatever the console's language.
const EMAIL: &[&str] = &["email address"];
const FIRST: &[&str] = &["first name"];
const LAST: &[&str] = &["last name"];
const STATUS: &[&str] = &["status"];
const LAST_SIGN_IN: &[&str] = &["last sign in"];
const EMAIL_USAGE: &[&str] = &["email usage"];
const DRIVE_USAGE: &[&str] = &["drive usage"];
const ORG_UNIT: &[&str] = &["org unit path"];

// Group members download, the same columns as the bulk upload template.
const GROUP: &[&str] = &["group email"];
const MEMBER: &[&str] = &["member email"];
const MEMBER_TYPE: &[&str] = &["member type"];

// The user usage report follows the columns chosen in the table, in the console's
// language: a user column and `<App>: <measure>` columns.
const USER: &[&str] = &[
    "user",
    "email",
    "user email",
    "e-mail",
    "benutzer",
    "nutzer",
    "bruker",
    "e-post",
    "usuario",
    "correo electrónico",
];

pub fn is_users(t: &Table) -> bool {
    t.has(EMAIL) && t.has(FIRST) && (t.has(ORG_UNIT) || t.has(STATUS) || t.has(LAST_SIGN_IN))
}

pub fn is_group_members(t: &Table) -> bool {
    t.has(GROUP) && t.has(MEMBER)
}

pub fn is_user_usage(t: &Table) -> bool {
    t.has(USER) && t.headers.iter().any(|h| app_of(h).is_some())
}

/// The Google tool a usage column is about, from the start of its name.
fn app_of(header: &str) -> Option<&'static str> {
    const APPS: &[(&str, &str)] = &[
        ("gmail", "gmail"),
        ("drive", "google_drive"),
        ("docs", "google_docs"),
        ("dokumente", "google_docs"),
        ("dokumenter", "google_docs"),
        ("sheets", "google_sheets"),
        ("tabellen", "google_sheets"),
        ("regneark", "google_sheets"),
        ("slides", "google_slides"),
        ("präsentationen", "google_slides"),
        ("presentasjoner", "google_slides"),
        ("forms", "google_forms"),
        ("formulare", "google_forms"),
        ("skjemaer", "google_forms"),
        ("meet", "google_meet"),
        ("chat", "google_chat"),
        ("calendar", "google_calendar"),
        ("kalender", "google_calendar"),
        ("sites", "google_sites"),
        ("keep", "google_keep"),
        ("groups", "google_groups"),
        ("gruppen", "google_groups"),
        ("grupper", "google_groups"),
    ];
    let (app, _) = header
        .split_once(':')
        .or_else(|| is_storage(header).then(|| header.split_once(' ')).flatten())?;
    let app = app.split(" (").next().unwrap_or(app).trim();
    APPS.iter()
        .find(|(name, _)| *name == app)
        .map(|(_, id)| *id)
}

fn is_storage(h: &str) -> bool {
    ["storage", "speicher", "lagring", "almacenamiento"]
        .iter()
        .any(|w| h.contains(w))
}

/// Bytes per bare number in a column, from its unit in parentheses; MB when none.
fn column_unit(h: &str) -> u64 {
    if h.contains("(gb)") {
        1 << 30
    } else if h.contains("(kb)") {
        1 << 10
    } else if h.contains("(byte") || h.contains("(bytes)") {
        1
    } else {
        1 << 20
    }
}

/// A "last used" value that says the person did not use the app.
fn never(v: &str) -> bool {
    let v = v.trim().to_lowercase();
    v.is_empty()
        || v == "-"
        || v == "0"
        || [
            "never",
            "nie",
            "aldri",
            "nunca",
            "not in the last",
            "nicht in den letzten",
            "ikke i",
            "no en los",
        ]
        .iter()
        .any(|w| v.starts_with(w))
}

fn size(
    t: &Table,
    row: &crate::text::Row,
    col: Option<usize>,
    unit: u64,
) -> Result<u64, ImportError> {
    let v = row.get(col);
    parse_size(v, unit).ok_or_else(|| ImportError::BadValue {
        line: row.line,
        column: col.map(|c| t.raw_headers[c].clone()).unwrap_or_default(),
        value: v.to_owned(),
    })
}

pub fn users(t: &Table) -> Result<Facts, ImportError> {
    let (email, first, last) = (t.col(EMAIL), t.col(FIRST), t.col(LAST));
    let (status, sign_in) = (t.col(STATUS), t.col(LAST_SIGN_IN));
    let (mail, drive) = (t.col(EMAIL_USAGE), t.col(DRIVE_USAGE));
    let mut f = Facts::default();
    for row in &t.rows {
        let Some(addr) = address(row.get(email)) else {
            return Err(ImportError::BadValue {
                line: row.line,
                column: t.raw_headers[email.unwrap_or(0)].clone(),
                value: row.get(email).to_owned(),
            });
        };
        let name = format!("{} {}", row.get(first), row.get(last));
        let inactive =
            !row.get(status).is_empty() && !row.get(status).eq_ignore_ascii_case("active");
        f.person(&addr, &name, inactive);
        if inactive {
            continue;
        }
        let signed_in = sign_in.is_none() || !never(row.get(sign_in));
        let mail_bytes = size(t, row, mail, 1 << 20)?;
        let drive_bytes = size(t, row, drive, 1 << 20)?;
        if mail.is_some() && (mail_bytes > 0 || signed_in) {
            f.used("gmail", &addr, mail_bytes);
        }
        if drive_bytes > 0 {
            f.used("google_drive", &addr, drive_bytes);
        }
    }
    Ok(f)
}

pub fn group_members(t: &Table) -> Result<Facts, ImportError> {
    let (group, member, kind) = (t.col(GROUP), t.col(MEMBER), t.col(MEMBER_TYPE));
    let mut f = Facts::default();
    for row in &t.rows {
        let g = row.get(group).to_lowercase();
        // Groups can hold groups and "all users in the organisation"; only people count.
        let k = row.get(kind);
        if g.is_empty() || !(k.is_empty() || k.eq_ignore_ascii_case("user")) {
            continue;
        }
        let set = f.groups.entry(g).or_default();
        if let Some(addr) = address(row.get(member)) {
            set.insert(addr);
        }
    }
    if !f.groups.is_empty() {
        f.tool("google_groups").items = f.groups.len() as u64;
    }
    Ok(f)
}

pub fn user_usage(t: &Table) -> Result<Facts, ImportError> {
    let user = t.col(USER);
    let cols: Vec<(usize, &'static str, bool)> = t
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| app_of(h).map(|app| (i, app, is_storage(h))))
        .collect();
    let mut f = Facts::default();
    for row in &t.rows {
        let who = row.get(user);
        let Some(addr) = address(who) else { continue };
        for &(c, app, storage) in &cols {
            if storage {
                let bytes = size(t, row, Some(c), column_unit(&t.headers[c]))?;
                if bytes > 0 {
                    f.used(app, &addr, bytes);
                }
            } else if !never(row.get(Some(c))) {
                f.used(app, &addr, 0);
            }
        }
    }
    Ok(f)
}
