//! Microsoft 365 admin centre exports: active users and the usage reports (apps,
//! mailbox, OneDrive, SharePoint, Teams). The reports have the columns Microsoft Graph
//! documents; the admin centre translates them, so German and Norwegian names are
//! accepted too. Sources: tests/fixtures/README.md.

use crate::error::ImportError;
use crate::facts::{Facts, HEAVY_BYTES, address};
use crate::text::{Row, Table, parse_size};

const UPN: &[&str] = &[
    "user principal name",
    "benutzerprinzipalname",
    "brukerhovednavn",
];
const DISPLAY: &[&str] = &["display name", "anzeigename", "visningsnavn"];
const IS_DELETED: &[&str] = &["is deleted", "ist gelöscht", "er slettet"];
const LAST_ACTIVITY: &[&str] = &[
    "last activity date",
    "datum der letzten aktivität",
    "dato for siste aktivitet",
];
const STORAGE: &[&str] = &[
    "storage used (byte)",
    "verwendeter speicher (byte)",
    "brukt lagringsplass (byte)",
];
const ITEMS: &[&str] = &["item count", "elementanzahl", "antall elementer"];
const QUOTA: &[&str] = &[
    "prohibit send quota (byte)",
    "issue warning quota (byte)",
    "kontingent für sendeverbot (byte)",
    "kvote for sendeforbud (byte)",
];
const SITE_URL: &[&str] = &["site url", "website-url", "nettsteds-url"];
const OWNER: &[&str] = &[
    "owner principal name",
    "prinzipalname des besitzers",
    "eierens hovednavn",
];
const OWNER_DISPLAY: &[&str] = &[
    "owner display name",
    "anzeigename des besitzers",
    "visningsnavn for eier",
];
const SITE_ID: &[&str] = &["site id", "website-id", "nettsteds-id"];
const ROOT_WEB: &[&str] = &["root web template", "stammwebvorlage", "rotnettmal"];
const PAGE_VIEWS: &[&str] = &[
    "page view count",
    "anzahl der seitenaufrufe",
    "antall sidevisninger",
];
const FILES: &[&str] = &["file count", "dateianzahl", "antall filer"];
const TEAM_CHAT: &[&str] = &[
    "team chat message count",
    "anzahl der teamchatnachrichten",
    "antall teamchatmeldinger",
];
const PRIVATE_CHAT: &[&str] = &[
    "private chat message count",
    "anzahl der privaten chatnachrichten",
    "antall private chatmeldinger",
];
const MEETINGS: &[&str] = &["meeting count", "besprechungsanzahl", "antall møter"];
const CALLS: &[&str] = &["call count", "anrufanzahl", "antall anrop"];
const ACTIVATION: &[&str] = &[
    "last activation date",
    "datum der letzten aktivierung",
    "dato for siste aktivering",
];
const LICENSES: &[&str] = &["licenses", "lizenzen", "lisenser"];
const BLOCKED: &[&str] = &[
    "block credential",
    "anmeldung blockiert",
    "blokker pålogging",
];

pub fn is_teams(t: &Table) -> bool {
    t.has(UPN) && t.has(TEAM_CHAT) && t.has(PRIVATE_CHAT)
}
pub fn is_apps(t: &Table) -> bool {
    t.has(UPN) && t.has(ACTIVATION) && t.has(&["excel"]) && t.has(&["word"])
}
pub fn is_mailbox(t: &Table) -> bool {
    t.has(UPN) && t.has(STORAGE) && t.has(ITEMS) && t.has(QUOTA)
}
pub fn is_sharepoint(t: &Table) -> bool {
    t.has(SITE_URL) && t.has(STORAGE) && (t.has(SITE_ID) || t.has(ROOT_WEB) || t.has(PAGE_VIEWS))
}
pub fn is_onedrive(t: &Table) -> bool {
    t.has(SITE_URL) && t.has(STORAGE) && t.has(OWNER_DISPLAY)
}
pub fn is_active_users(t: &Table) -> bool {
    t.has(UPN) && t.has(DISPLAY) && (t.has(LICENSES) || t.has(BLOCKED))
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_lowercase().as_str(),
        "true" | "yes" | "ja" | "wahr" | "sann" | "sí" | "si" | "1" | "x"
    )
}

fn number(t: &Table, row: &Row, col: Option<usize>) -> Result<u64, ImportError> {
    let v = row.get(col);
    parse_size(v, 1).ok_or_else(|| ImportError::BadValue {
        line: row.line,
        column: col.map(|c| t.raw_headers[c].clone()).unwrap_or_default(),
        value: v.to_owned(),
    })
}

/// The report's user: an address, or (names concealed) the report's stand-in id.
fn user_key(f: &mut Facts, v: &str) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    Some(address(v).unwrap_or_else(|| {
        f.concealed = true;
        format!("concealed:{v}")
    }))
}

fn deleted(row: &Row, col: Option<usize>) -> bool {
    truthy(row.get(col))
}

pub fn active_users(t: &Table) -> Result<Facts, ImportError> {
    let (upn, name, lic, blocked) = (t.col(UPN), t.col(DISPLAY), t.col(LICENSES), t.col(BLOCKED));
    let mut f = Facts::default();
    for row in &t.rows {
        let Some(addr) = address(row.get(upn)) else {
            return Err(ImportError::BadValue {
                line: row.line,
                column: t.raw_headers[upn.unwrap_or(0)].clone(),
                value: row.get(upn).to_owned(),
            });
        };
        let licences = row.get(lic).to_lowercase();
        let unlicensed = lic.is_some()
            && (licences.is_empty()
                || licences.starts_with("unlicensed")
                || licences.starts_with("nicht lizenziert")
                || licences.starts_with("ulisensiert"));
        f.person(&addr, row.get(name), truthy(row.get(blocked)) || unlicensed);
    }
    Ok(f)
}

pub fn apps(t: &Table) -> Result<Facts, ImportError> {
    const APPS: &[(&str, &str)] = &[
        ("outlook", "outlook"),
        ("word", "word"),
        ("excel", "excel"),
        ("powerpoint", "powerpoint"),
        ("teams", "teams"),
    ];
    let upn = t.col(UPN);
    let cols: Vec<(Option<usize>, &'static str)> =
        APPS.iter().map(|(h, id)| (t.col(&[h]), *id)).collect();
    // Desktop Excel is where macros and heavy workbooks live.
    let desktop_excel = [t.col(&["excel (windows)"]), t.col(&["excel (mac)"])];
    let mut f = Facts::default();
    for row in &t.rows {
        let Some(key) = user_key(&mut f, row.get(upn)) else {
            continue;
        };
        for &(c, id) in &cols {
            if c.is_some() && truthy(row.get(c)) {
                f.used(id, &key, 0);
            }
        }
        if desktop_excel
            .iter()
            .any(|c| c.is_some() && truthy(row.get(*c)))
        {
            f.tool("excel").heavy.insert(key.clone());
        }
    }
    Ok(f)
}

pub fn mailbox(t: &Table) -> Result<Facts, ImportError> {
    per_user_storage(t, "outlook", t.col(UPN), t.col(ITEMS))
}

pub fn onedrive(t: &Table) -> Result<Facts, ImportError> {
    let owner = t.col(OWNER).or(t.col(SITE_URL));
    per_user_storage(t, "onedrive", owner, t.col(FILES))
}

fn per_user_storage(
    t: &Table,
    tool: &'static str,
    who: Option<usize>,
    items: Option<usize>,
) -> Result<Facts, ImportError> {
    let (storage, del, active) = (t.col(STORAGE), t.col(IS_DELETED), t.col(LAST_ACTIVITY));
    let mut f = Facts::default();
    for row in &t.rows {
        if deleted(row, del) {
            continue;
        }
        let bytes = number(t, row, storage)?;
        let n = number(t, row, items)?;
        let Some(key) = user_key(&mut f, row.get(who)) else {
            continue;
        };
        let tf = f.tool(tool);
        tf.bytes = tf.bytes.saturating_add(bytes);
        tf.items = tf.items.saturating_add(n);
        if bytes >= HEAVY_BYTES {
            tf.heavy.insert(key.clone());
        }
        // An unused mailbox or OneDrive still holds data, but its owner is no user of it.
        if !row.get(active).is_empty() {
            tf.users.insert(key);
        }
    }
    Ok(f)
}

pub fn sharepoint(t: &Table) -> Result<Facts, ImportError> {
    let (storage, del, files) = (t.col(STORAGE), t.col(IS_DELETED), t.col(FILES));
    let mut f = Facts::default();
    let (mut sites, mut bytes, mut items) = (0u64, 0u64, 0u64);
    for row in &t.rows {
        if deleted(row, del) {
            continue;
        }
        sites += 1;
        bytes = bytes.saturating_add(number(t, row, storage)?);
        items = items.saturating_add(number(t, row, files)?);
    }
    let tf = f.tool("sharepoint");
    tf.bytes = bytes;
    tf.items = items;
    f.losses.sharepoint_sites = sites;
    f.losses.sharepoint_bytes = bytes;
    Ok(f)
}

pub fn teams(t: &Table) -> Result<Facts, ImportError> {
    let upn = t.col(UPN);
    let del = t.col(IS_DELETED);
    let counts = [
        t.col(TEAM_CHAT),
        t.col(PRIVATE_CHAT),
        t.col(CALLS),
        t.col(MEETINGS),
    ];
    let mut f = Facts::default();
    for row in &t.rows {
        if deleted(row, del) {
            continue;
        }
        let mut n = [0u64; 4];
        for (i, c) in counts.iter().enumerate() {
            n[i] = number(t, row, *c)?;
        }
        // Counts come from the file: a forged one may be near u64::MAX.
        f.losses.teams_chat_messages = f
            .losses
            .teams_chat_messages
            .saturating_add(n[0].saturating_add(n[1]));
        f.losses.teams_meetings = f.losses.teams_meetings.saturating_add(n[3]);
        let Some(key) = user_key(&mut f, row.get(upn)) else {
            continue;
        };
        if n.iter().any(|x| *x > 0) {
            f.used("teams", &key, 0);
        }
    }
    Ok(f)
}
