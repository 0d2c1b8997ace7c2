//! Calendars and contacts: `.ics` events and `.vcf` cards as CalDAV and CardDAV objects.

use std::collections::HashMap;

use reqwest::Url;
use tokio::sync::mpsc;

use super::{Job, hex};
use crate::error::MoveError;
use crate::plan::dav_base;
use crate::source::SourceFile;
use crate::source::feed::{Item, produce};
use crate::target::dav::Dav;
use crate::target::objects::{self, Collection, Put};
use crate::{Kind, MoveMode, Reason};

/// The address book Google's contacts go into.
pub const ADDRESS_BOOK: &str = "google-contacts";
pub const ADDRESS_BOOK_NAME: &str = "Google Contacts";

pub(super) async fn run(job: &mut Job<'_>, files: Vec<SourceFile>) -> Result<(), MoveError> {
    let (base, layout) = dav_base(job.target)?;
    if job.mode == MoveMode::Admin
        && !job
            .secrets
            .own
            .contains_key(&(job.kind, job.login.to_owned()))
    {
        // CalDAV and CardDAV servers have no master user: each person's own account.
        return Err(MoveError::NoAdminMode {
            server: base.host_str().unwrap_or_default().to_owned(),
            kind: job.kind.key().to_owned(),
        });
    }
    let (user, _, password) = job.credentials(base.host_str().unwrap_or_default())?;
    let dav = Dav::new(&base, &user, &password).await?;
    let (home, kind) = match job.kind {
        Kind::Calendar => (layout.calendars(&base, job.login), Collection::Calendar),
        _ => (
            layout.addressbooks(&base, job.login),
            Collection::AddressBook,
        ),
    };
    let known = job.ledger.known(job.plan, job.login, job.kind)?;
    let (tx, mut rx) = mpsc::channel(1);
    let k = job.kind;
    let reader = tokio::task::spawn_blocking(move || produce(k, files, |_, _| false, tx));
    let mut collections: HashMap<String, Url> = HashMap::new();
    let result = async {
        while let Some(item) = rx.recv().await {
            job.stopped()?;
            let (place, display, object) = match item {
                Item::Event {
                    file,
                    calendar_name,
                    object,
                } => {
                    let slug = objects::slug(&file);
                    let display = calendar_name.unwrap_or_else(|| {
                        file.rsplit_once('.')
                            .map_or(file.clone(), |(s, _)| s.to_owned())
                    });
                    let object = object
                        .map(|o| {
                            (
                                o.name.clone(),
                                o.bytes.clone(),
                                o.hash,
                                o.summary.clone().unwrap_or_default(),
                                o.rooms,
                                o.meet_links,
                            )
                        })
                        .map_err(|s| {
                            (
                                s.uid.unwrap_or_default(),
                                // Cut off before its title: the file names it instead.
                                s.summary
                                    .unwrap_or_else(|| format!("(untitled, in {file})")),
                                s.bytes,
                                s.reason,
                            )
                        });
                    (slug, display, object)
                }
                Item::Contact { card } => {
                    let object = card
                        .map(|c| {
                            (
                                c.name.clone(),
                                c.bytes.clone(),
                                c.hash,
                                c.full_name.clone().unwrap_or_default(),
                                0,
                                0,
                            )
                        })
                        .map_err(|s| {
                            (
                                String::new(),
                                s.full_name.unwrap_or_default(),
                                s.bytes,
                                s.reason,
                            )
                        });
                    (
                        ADDRESS_BOOK.to_owned(),
                        ADDRESS_BOOK_NAME.to_owned(),
                        object,
                    )
                }
                Item::Read(n) => {
                    job.progress.bytes_done = n;
                    job.tick(false);
                    continue;
                }
                Item::Unreadable { file, detail } => {
                    tracing::info!(%file, %detail, "a calendar or contacts file could not be read");
                    job.ledger.not_moved(
                        job.plan,
                        job.login,
                        job.kind,
                        &file,
                        &file,
                        0,
                        &file,
                        Reason::Unreadable,
                    )?;
                    job.progress.not_moved += 1;
                    continue;
                }
                _ => continue,
            };
            job.progress.items_done += 1;
            let (name, bytes, hash, label, rooms, meet) = match object {
                Ok(o) => o,
                Err((uid, label, size, reason)) => {
                    let reason = if reason == "too_large" {
                        Reason::TooLarge
                    } else {
                        Reason::CutOff
                    };
                    let key = if uid.is_empty() {
                        format!("#{label}")
                    } else {
                        uid
                    };
                    job.ledger.not_moved(
                        job.plan, job.login, job.kind, &place, &key, size, &label, reason,
                    )?;
                    job.progress.not_moved += 1;
                    continue;
                }
            };
            if known.contains(&(place.clone(), name.clone())) {
                job.progress.already_there += 1;
                continue;
            }
            if !collections.contains_key(&place) {
                let url = objects::ensure(&dav, &home, &place, &display, kind).await?;
                collections.insert(place.clone(), url);
            }
            let url = &collections[&place];
            let size = bytes.len() as u64;
            let outcome = objects::put(&dav, url, &name, &bytes, kind).await?;
            let h = hex(&hash);
            match outcome {
                Put::Moved | Put::There => {
                    let moved = outcome == Put::Moved;
                    job.ledger.done(
                        job.plan, job.login, job.kind, &place, &name, moved, size, &h, &label,
                    )?;
                    if rooms > 0 {
                        job.ledger.note(
                            job.plan,
                            job.login,
                            job.kind,
                            &place,
                            &name,
                            Reason::RoomBooking,
                        )?;
                    }
                    if meet > 0 {
                        job.ledger.note(
                            job.plan,
                            job.login,
                            job.kind,
                            &place,
                            &name,
                            Reason::MeetLink,
                        )?;
                    }
                    if moved {
                        job.progress.moved += 1;
                    } else {
                        job.progress.already_there += 1;
                    }
                }
                Put::Conflict => {
                    job.ledger.not_moved(
                        job.plan,
                        job.login,
                        job.kind,
                        &place,
                        &name,
                        size,
                        &label,
                        Reason::Conflict,
                    )?;
                    job.progress.not_moved += 1;
                }
                Put::Refused(why) => {
                    tracing::info!(%why, "the server refused an object");
                    job.ledger.not_moved(
                        job.plan,
                        job.login,
                        job.kind,
                        &place,
                        &name,
                        size,
                        &label,
                        Reason::RefusedByServer,
                    )?;
                    job.progress.not_moved += 1;
                }
            }
            job.tick(false);
        }
        Ok::<(), MoveError>(())
    }
    .await;
    drop(rx);
    let _ = reader.await;
    result
}
