//! Reads one person's files of one kind and hands the items to the mover through a
//! channel of one: at most one item waits while another is being sent, so memory is
//! bounded by the largest item (a message of at most 52 MB, an event or card of at
//! most 8 MB) and, for Drive files, by four chunks of 256 KB in flight.
//!
//! Runs on a blocking thread (zip inflation and file reads block); the mover is async.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::SourceFile;
use super::archive::{self, Archive, Bounded, Location};
use super::ics::{CalObject, Calendar, Skipped};
use super::mbox::{MboxReader, Message};
use super::vcf::{Card, CardReader, SkippedCard};
use crate::Kind;

const CHUNK: usize = 256 * 1024;
const READ_BUFFER: usize = 256 * 1024;

/// One thing read from the export.
pub enum Item {
    Mail {
        /// The `.mbox` file it came from.
        file: String,
        message: Box<Message>,
    },
    Event {
        /// The `.ics` file (one calendar each) and Google's name for the calendar.
        file: String,
        calendar_name: Option<String>,
        object: Result<Box<CalObject>, Skipped>,
    },
    Contact {
        card: Result<Box<Card>, SkippedCard>,
    },
    File(FileItem),
    /// A source file that could not be read at all (damaged, unknown compression).
    Unreadable {
        file: String,
        detail: String,
    },
    /// Source bytes read so far for this kind (for progress and time left).
    Read(u64),
}

pub struct FileItem {
    /// Path under the Drive folder.
    pub rel: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    /// The bytes, in chunks as they are read; `None` when the mover said it has it.
    pub body: Option<mpsc::Receiver<std::io::Result<Bytes>>>,
}

/// Reads `files` (all of `kind`, one person's) and sends their items to `tx`.
/// `have(rel, size)` answers for Drive files the mover already has, which are then
/// announced without being read. Stops early when the mover stops listening.
pub fn produce(
    kind: Kind,
    files: Vec<SourceFile>,
    have: impl Fn(&str, u64) -> bool,
    tx: mpsc::Sender<Item>,
) {
    let mut archives: HashMap<PathBuf, Archive> = HashMap::new();
    let mut read_before = 0u64;
    for f in files {
        let name = f.rel.clone();
        if kind == Kind::Files && have(&f.rel, f.size) {
            let item = Item::File(FileItem {
                rel: f.rel,
                size: f.size,
                modified: f.modified,
                body: None,
            });
            read_before += f.size;
            if tx.blocking_send(item).is_err() || tx.blocking_send(Item::Read(read_before)).is_err()
            {
                return;
            }
            continue;
        }
        let opened = open(&mut archives, &f);
        let ok = match opened {
            Err(detail) => tx
                .blocking_send(Item::Unreadable { file: name, detail })
                .is_ok(),
            Ok((reader, mtime)) => {
                let r = BufReader::with_capacity(READ_BUFFER, reader);
                match kind {
                    Kind::Mail => mail(r, &name, read_before, &tx),
                    Kind::Calendar => calendar(r, &name, &tx),
                    Kind::Contacts => contacts(r, read_before, &name, &tx),
                    Kind::Files => file(r, f.clone(), mtime, &tx),
                }
            }
        };
        read_before += f.size;
        if !ok || tx.blocking_send(Item::Read(read_before)).is_err() {
            return;
        }
    }
}

type Opened<'a> = (Box<dyn Read + 'a>, Option<DateTime<Utc>>);

/// A reader over the file's bytes: a zip entry bounded by its declared size, or a file.
fn open<'a>(
    archives: &'a mut HashMap<PathBuf, Archive>,
    f: &SourceFile,
) -> Result<Opened<'a>, String> {
    match &f.at {
        Location::File(path) => {
            let file = File::open(path).map_err(|e| e.to_string())?;
            Ok((Box::new(file), f.modified))
        }
        Location::Zip { archive, index } => {
            if !archives.contains_key(archive) {
                // Checked again: the archive may have changed since it was first read.
                let (a, _) = archive::open_checked(archive).map_err(|e| e.to_string())?;
                archives.clear();
                archives.insert(archive.clone(), a);
            }
            let a = archives.get_mut(archive).expect("just opened");
            let entry = a.by_index(*index).map_err(|e| e.to_string())?;
            let mtime = archive::entry_mtime(&entry).or(f.modified);
            let declared = entry.size();
            Ok((Box::new(Bounded::new(entry, declared, &f.rel)), mtime))
        }
    }
}

fn mail(r: impl BufRead, file: &str, before: u64, tx: &mpsc::Sender<Item>) -> bool {
    let mut reader = MboxReader::new(r);
    let mut n = 0u32;
    loop {
        match reader.next_message() {
            Ok(Some(message)) => {
                let item = Item::Mail {
                    file: file.to_owned(),
                    message: Box::new(message),
                };
                if tx.blocking_send(item).is_err() {
                    return false;
                }
                n += 1;
                if n.is_multiple_of(16)
                    && tx
                        .blocking_send(Item::Read(before + reader.consumed))
                        .is_err()
                {
                    return false;
                }
            }
            Ok(None) => return true,
            Err(e) => {
                return tx
                    .blocking_send(Item::Unreadable {
                        file: file.to_owned(),
                        detail: e.to_string(),
                    })
                    .is_ok();
            }
        }
    }
}

fn calendar(r: impl BufRead, file: &str, tx: &mpsc::Sender<Item>) -> bool {
    let mut cal = match Calendar::read(r) {
        Ok(c) => c,
        Err(e) => {
            return tx
                .blocking_send(Item::Unreadable {
                    file: file.to_owned(),
                    detail: e.to_string(),
                })
                .is_ok();
        }
    };
    let name = cal.name.clone();
    let skipped = std::mem::take(&mut cal.skipped);
    for s in skipped {
        let item = Item::Event {
            file: file.to_owned(),
            calendar_name: name.clone(),
            object: Err(s),
        };
        if tx.blocking_send(item).is_err() {
            return false;
        }
    }
    for o in cal.objects() {
        let object = match o {
            Ok(o) => o.map(Box::new),
            Err(e) => {
                return tx
                    .blocking_send(Item::Unreadable {
                        file: file.to_owned(),
                        detail: e.to_string(),
                    })
                    .is_ok();
            }
        };
        let item = Item::Event {
            file: file.to_owned(),
            calendar_name: name.clone(),
            object,
        };
        if tx.blocking_send(item).is_err() {
            return false;
        }
    }
    true
}

fn contacts(r: impl BufRead, before: u64, file: &str, tx: &mpsc::Sender<Item>) -> bool {
    let mut cards = CardReader::new(r);
    loop {
        match cards.next_card() {
            Ok(Some(card)) => {
                if tx
                    .blocking_send(Item::Contact {
                        card: card.map(Box::new),
                    })
                    .is_err()
                {
                    return false;
                }
            }
            Ok(None) => {
                return tx
                    .blocking_send(Item::Read(before + cards.consumed()))
                    .is_ok();
            }
            Err(e) => {
                return tx
                    .blocking_send(Item::Unreadable {
                        // Named, so the report says which file could not be read.
                        file: file.to_owned(),
                        detail: e.to_string(),
                    })
                    .is_ok();
            }
        }
    }
}

fn file(
    mut r: impl BufRead,
    f: SourceFile,
    mtime: Option<DateTime<Utc>>,
    tx: &mpsc::Sender<Item>,
) -> bool {
    let (chunks, body) = mpsc::channel(4);
    let item = Item::File(FileItem {
        rel: f.rel.clone(),
        size: f.size,
        modified: mtime,
        body: Some(body),
    });
    if tx.blocking_send(item).is_err() {
        return false;
    }
    loop {
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0;
        while filled < CHUNK {
            match r.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // The mover lists the file with this reason; the next one follows.
                    let _ = chunks.blocking_send(Err(e));
                    return true;
                }
            }
        }
        if filled == 0 {
            return true;
        }
        buf.truncate(filled);
        if chunks.blocking_send(Ok(Bytes::from(buf))).is_err() {
            // The mover stopped reading this file (it failed or was stopped).
            return true;
        }
    }
}
