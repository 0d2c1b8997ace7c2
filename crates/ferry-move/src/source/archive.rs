//! Takeout's zip parts, checked before anything is moved out of them and read one
//! entry at a time as a stream.
//!
//! Refused outright (nothing is moved from such an archive): an entry name that
//! climbs out (`..`, an absolute path, a drive letter: it would become a path on the
//! new file server), entries that share compressed bytes (the overlapping zip bomb),
//! an entry that claims more than deflate can pack into its compressed size (over
//! 1,100 to 1) or more bytes than the archive holds. While reading, an entry that
//! inflates beyond the size its index declares is cut off with an error, so a forged
//! index cannot make Ferry read without end.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use zip::{CompressionMethod, ZipArchive};

use crate::error::{MoveError, Refusal};

/// Deflate cannot pack more than about 1,032 to 1; with headroom for tiny entries.
const MAX_RATIO: u64 = 1_100;
const RATIO_SLACK: u64 = 64 * 1024;
/// Real exports do not pack large entries tighter than this (mail and text pack 3 to
/// 20 to 1, photos and Office files hardly at all); 10 GB of zeros packs 1,000 to 1.
const LARGE_ENTRY: u64 = 64 * 1024 * 1024;
const LARGE_RATIO: u64 = 200;

pub type Archive = ZipArchive<BufReader<File>>;

/// One entry of an archive as the index describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: usize,
    /// The name as stored (UTF-8, or read lossily).
    pub name: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
}

/// Opens an archive and checks its whole index; answers its file entries.
pub fn open_checked(path: &Path) -> Result<(Archive, Vec<IndexEntry>), MoveError> {
    let file = File::open(path).map_err(|e| MoveError::read(path, e))?;
    let len = file.metadata().map_err(|e| MoveError::read(path, e))?.len();
    let mut archive = ZipArchive::new(BufReader::new(file)).map_err(|e| MoveError::NotZip {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    let refused = |refusal| MoveError::Refused {
        path: path.display().to_string(),
        refusal,
    };
    let meta = archive.metadata();
    let dir_start = archive.central_directory_start().min(len);
    let mut entries = Vec::with_capacity(meta.len());
    for i in 0..meta.len() {
        let e = meta.entry(i).map_err(|e| MoveError::NotZip {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        if !safe_name(&name) {
            return Err(refused(Refusal::Traversal { name }));
        }
        let (size, compressed) = (e.size(), e.compressed_size());
        let data_at = e
            .header_start()
            .saturating_add(30)
            .saturating_add(e.name_raw().len() as u64);
        if data_at.saturating_add(compressed) > dir_start {
            return Err(refused(Refusal::Beyond { name }));
        }
        let impossible = match e.compression() {
            CompressionMethod::Stored => size != compressed,
            _ => {
                let ratio = if size > LARGE_ENTRY {
                    LARGE_RATIO
                } else {
                    MAX_RATIO
                };
                size > compressed.saturating_mul(ratio).saturating_add(RATIO_SLACK)
            }
        };
        if impossible {
            return Err(refused(Refusal::Bomb {
                name,
                declared: size,
                compressed,
            }));
        }
        if e.is_dir() {
            continue;
        }
        entries.push(IndexEntry {
            index: i,
            name,
            size,
            modified: e.last_modified().and_then(dos_time),
        });
    }
    drop(meta);
    if archive
        .has_overlapping_entries()
        .map_err(|e| MoveError::NotZip {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?
    {
        return Err(refused(Refusal::Overlap));
    }
    Ok((archive, entries))
}

/// A name that stays inside: no `..`, no absolute path, no drive letter, no NUL.
pub fn safe_name(name: &str) -> bool {
    if name.is_empty() || name.contains('\0') || name.starts_with('/') || name.starts_with('\\') {
        return false;
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return false;
    }
    !name.split(['/', '\\']).any(|part| part == "..")
}

/// A zip's DOS time (no time zone) read as UTC.
fn dos_time(t: zip::DateTime) -> Option<DateTime<Utc>> {
    NaiveDate::from_ymd_opt(
        i32::from(t.year()),
        u32::from(t.month()),
        u32::from(t.day()),
    )?
    .and_hms_opt(
        u32::from(t.hour()),
        u32::from(t.minute()),
        u32::from(t.second()),
    )
    .map(|n| n.and_utc())
}

/// The entry's modification time: the extended timestamp (UTC seconds) when the
/// archive carries one, else the DOS time of the index.
pub fn entry_mtime(file: &zip::read::ZipFile<'_, BufReader<File>>) -> Option<DateTime<Utc>> {
    for f in file.extra_data_fields() {
        if let zip::ExtraField::ExtendedTimestamp(ts) = f
            && let Some(t) = ts.mod_time()
        {
            return DateTime::from_timestamp(i64::from(t), 0);
        }
    }
    file.last_modified().and_then(dos_time)
}

/// Reads at most `declared` bytes and fails if more come: an index that lies about
/// an entry's size cannot make a read go on.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    name: String,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, declared: u64, name: &str) -> Self {
        Bounded {
            inner,
            left: declared,
            name: name.to_owned(),
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "{:?} holds more than its index declares",
                    self.name
                ))),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Where a source file is: an entry of a zip part, or a file in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    Zip { archive: PathBuf, index: usize },
    File(PathBuf),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_climb_out_are_unsafe() {
        for bad in [
            "../x",
            "a/../../b",
            "/etc/passwd",
            "C:/x",
            "\\\\srv\\x",
            "a\\..\\b",
            "x\0y",
        ] {
            assert!(!safe_name(bad), "{bad}");
        }
        for good in [
            "Takeout/Drive/a..b.txt",
            "Takeout/Mail/All mail.mbox",
            "Ærlig/…/x",
        ] {
            assert!(safe_name(good), "{good}");
        }
    }

    #[test]
    fn a_read_beyond_the_declared_size_fails() {
        let mut r = Bounded::new(&b"0123456789"[..], 4, "x");
        let mut out = Vec::new();
        assert!(r.read_to_end(&mut out).is_err());
        let mut r = Bounded::new(&b"0123"[..], 4, "x");
        out.clear();
        assert_eq!(r.read_to_end(&mut out).unwrap(), 4);
    }
}
