//! Calendars over CalDAV (RFC 4791) and contacts over CardDAV (RFC 6352): a calendar
//! per Google calendar (MKCALENDAR with its name), one address book for the contacts
//! (extended MKCOL, RFC 5689), each object PUT by name with `If-None-Match: *` so an
//! object already there is never replaced: when it is there, the server's copy is
//! read and compared (by content, ignoring how the server re-wrote it).

use std::collections::HashMap;

use reqwest::{StatusCode, Url};

use super::dav::{Dav, join, last_segment};
use crate::error::MoveError;
use crate::source::lines::canonical_hash;

/// Where a person's calendars and address books live on a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DavLayout {
    /// Nextcloud: `remote.php/dav/calendars/<user>/`, `…/addressbooks/users/<user>/`.
    Nextcloud,
    /// Radicale and most others: `<base>/<user>/<collection>/`.
    UserRoot,
}

impl DavLayout {
    pub fn calendars(&self, base: &Url, user: &str) -> Url {
        match self {
            DavLayout::Nextcloud => join(base, &["remote.php", "dav", "calendars", user], true),
            DavLayout::UserRoot => join(base, &[user], true),
        }
    }

    pub fn addressbooks(&self, base: &Url, user: &str) -> Url {
        match self {
            DavLayout::Nextcloud => join(
                base,
                &["remote.php", "dav", "addressbooks", "users", user],
                true,
            ),
            DavLayout::UserRoot => join(base, &[user], true),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Calendar,
    AddressBook,
}

/// What happened to one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Put {
    Moved,
    /// The same object was there already.
    There,
    /// Another object with the same name is there; it was left as it was.
    Conflict,
    /// The server refused it (the status and its words).
    Refused(String),
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A collection name from a file name: `Styret (privat).ics` → `styret-privat`.
pub fn slug(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut out = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        format!(
            "calendar-{}",
            crate::source::ics::hex(&<sha2::Sha256 as sha2::Digest>::digest(name.as_bytes())[..4])
        )
    } else {
        out.chars().take(60).collect()
    }
}

/// Makes sure the collection exists; answers its URL.
pub async fn ensure(
    dav: &Dav,
    home: &Url,
    slug: &str,
    display: &str,
    kind: Collection,
) -> Result<Url, MoveError> {
    let url = join(home, &[slug], true);
    if dav.propfind(&url, 0).await?.is_some() {
        return Ok(url);
    }
    let name = xml_escape(display);
    match kind {
        Collection::Calendar => {
            let body = format!(
                r#"<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>{name}</d:displayname></d:prop></d:set></c:mkcalendar>"#
            );
            dav.make(&url, "MKCALENDAR", Some(body)).await?;
        }
        Collection::AddressBook => {
            let body = format!(
                r#"<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype><d:displayname>{name}</d:displayname></d:prop></d:set></d:mkcol>"#
            );
            dav.make(&url, "MKCOL", Some(body)).await?;
        }
    }
    Ok(url)
}

/// PUTs one object unless one of that name is there; compares when one is.
pub async fn put(
    dav: &Dav,
    collection: &Url,
    name: &str,
    bytes: &[u8],
    kind: Collection,
) -> Result<Put, MoveError> {
    let url = join(collection, &[name], false);
    let content_type = match kind {
        Collection::Calendar => "text/calendar; charset=utf-8",
        Collection::AddressBook => "text/vcard; charset=utf-8",
    };
    let resp = dav
        .send(
            dav.request(reqwest::Method::PUT, url.clone())
                .header("If-None-Match", "*")
                .header("Content-Type", content_type)
                .body(bytes.to_vec()),
        )
        .await?;
    let status = resp.status();
    if status.is_success() {
        return Ok(Put::Moved);
    }
    if status == StatusCode::PRECONDITION_FAILED {
        let theirs = dav
            .get(&url)
            .await?
            .bytes()
            .await
            .map_err(|e| MoveError::protocol(&dav.server, e))?;
        return Ok(if canonical_hash(&theirs) == canonical_hash(bytes) {
            Put::There
        } else {
            Put::Conflict
        });
    }
    let words = resp.text().await.unwrap_or_default();
    let words: String = words.chars().take(200).collect();
    Ok(Put::Refused(format!("{status} {}", words.trim())))
}

/// Every object of a collection, read back: name → canonical hash and size.
pub async fn contents(
    dav: &Dav,
    collection: &Url,
) -> Result<HashMap<String, ([u8; 32], u64)>, MoveError> {
    let mut out = HashMap::new();
    let Some(entries) = dav.propfind(collection, 1).await? else {
        return Ok(out);
    };
    let own = collection.path().trim_end_matches('/').to_owned();
    for e in entries {
        if e.collection || e.href.trim_end_matches('/') == own {
            continue;
        }
        let name = last_segment(&e.href);
        let url = join(collection, &[&name], false);
        let bytes = dav
            .get(&url)
            .await?
            .bytes()
            .await
            .map_err(|err| MoveError::protocol(&dav.server, err))?;
        out.insert(name, (canonical_hash(&bytes), bytes.len() as u64));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain() {
        assert_eq!(slug("Styret (privat).ics"), "styret-privat");
        assert_eq!(slug("Blåbær.ics"), "bl-b-r");
        assert!(slug("日本.ics").starts_with("calendar-"));
    }
}
