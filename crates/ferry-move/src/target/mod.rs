//! The new apps, by open protocol: mail over IMAP, calendars over CalDAV, contacts
//! over CardDAV, files over WebDAV (with Nextcloud's own ways when the server is
//! Nextcloud).

pub mod conn;
pub mod dav;
pub mod files;
pub mod imap;
pub mod objects;
pub mod utf7;
