//! What the export holds, per person and kind, from its index or folder listing only
//! (nothing is inflated here): Takeout zip parts (`takeout-…-001.zip`, `-002.zip`), an
//! unpacked Takeout folder, single `.mbox`/`.ics`/`.vcf` files, or a Workspace admin
//! data export downloaded as one folder per person (named by their address).
//!
//! Mail is every `.mbox`, calendars every `.ics`, contacts every `.vcf`, files every
//! file under the Drive folder (Docs, Sheets and Slides already converted to Office
//! files by Google). What else the export holds (Photos, Keep, Chat…) is counted as
//! left behind, by product folder.

pub mod archive;
pub mod feed;
pub mod ics;
pub mod labels;
pub mod lines;
pub mod mbox;
pub mod vcf;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kind;
use crate::error::MoveError;
use archive::Location;

/// The archives the window offers to choose (a Takeout's zip parts; `.tgz` is
/// refused with a word on unpacking it, and an unpacked export is chosen as a folder).
pub const EXTENSIONS: &[&str] = &["zip"];

/// One export the person chose: a file or a folder, and whose data it is (`None`:
/// a Takeout of the person moving it, or an admin export's folders name their people).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceSpec {
    pub path: PathBuf,
    #[serde(default)]
    pub person: Option<String>,
}

/// One file of the export that Ferry moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub kind: Kind,
    pub at: Location,
    /// For mail, calendars and contacts: the file's name; for files: the path under
    /// the Drive folder.
    pub rel: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
}

/// What a person's part of the export holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFiles {
    pub files: Vec<SourceFile>,
    /// Product folder → (files, bytes) not moved by Ferry.
    pub left: BTreeMap<String, (u64, u64)>,
}

/// The export read: people (by the address or name the export gives them; `""` for
/// the person moving their own Takeout) and their files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub people: BTreeMap<String, PersonFiles>,
}

impl Inventory {
    pub fn files_of(&self, person: &str, kind: Kind) -> Vec<SourceFile> {
        self.people
            .get(person)
            .map(|p| p.files.iter().filter(|f| f.kind == kind).cloned().collect())
            .unwrap_or_default()
    }

    /// Files and bytes of one kind for one person.
    pub fn count(&self, person: &str, kind: Kind) -> (u64, u64) {
        self.files_of(person, kind)
            .iter()
            .fold((0, 0), |(n, b), f| (n + 1, b.saturating_add(f.size)))
    }
}

/// Folders deeper than this are not walked (a Takeout is 4–6 levels deep).
const MAX_DEPTH: usize = 24;
/// Files listed at most from folders (a zip's entries are bounded by its index).
const MAX_FILES: usize = 2_000_000;

/// Reads the chosen exports' indexes and folder listings. Refuses a damaged or
/// hostile archive as a whole.
pub fn scan(specs: &[SourceSpec]) -> Result<Inventory, MoveError> {
    let mut inv = Inventory::default();
    for spec in specs {
        let path = &spec.path;
        let meta = std::fs::metadata(path).map_err(|e| MoveError::read(path, e))?;
        if meta.is_dir() {
            scan_dir(&mut inv, path, spec.person.as_deref())?;
        } else {
            let person = spec.person.clone().unwrap_or_default();
            scan_file(&mut inv, path, &person, &meta)?;
        }
    }
    for p in inv.people.values_mut() {
        p.files
            .sort_by(|a, b| (a.kind, &a.at).cmp(&(b.kind, &b.at)));
    }
    inv.people
        .retain(|_, p| !p.files.is_empty() || !p.left.is_empty());
    if inv.people.values().all(|p| p.files.is_empty()) {
        return Err(MoveError::Empty);
    }
    Ok(inv)
}

fn scan_file(
    inv: &mut Inventory,
    path: &Path,
    person: &str,
    meta: &std::fs::Metadata,
) -> Result<(), MoveError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    if [".tgz", ".tar.gz", ".tar", ".tar.bz2"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Err(MoveError::Tgz {
            path: path.display().to_string(),
        });
    }
    if lower.ends_with(".zip") {
        let (_, entries) = archive::open_checked(path)?;
        let files = &mut inv.people.entry(person.to_owned()).or_default();
        for e in entries {
            let at = Location::Zip {
                archive: path.to_owned(),
                index: e.index,
            };
            add(files, &e.name, at, e.size, e.modified);
        }
        return Ok(());
    }
    let modified = meta.modified().ok().map(DateTime::<Utc>::from);
    let files = inv.people.entry(person.to_owned()).or_default();
    add(
        files,
        &name,
        Location::File(path.to_owned()),
        meta.len(),
        modified,
    );
    Ok(())
}

fn scan_dir(inv: &mut Inventory, dir: &Path, person: Option<&str>) -> Result<(), MoveError> {
    if let Some(person) = person {
        return walk(inv, dir, dir, person);
    }
    // An admin export: one folder per person, named by their address.
    let mut people = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| MoveError::read(dir, e))? {
        let entry = entry.map_err(|e| MoveError::read(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_dir()) && name.contains('@') {
            people.push((name, entry.path()));
        }
    }
    if people.is_empty() {
        return walk(inv, dir, dir, "");
    }
    people.sort();
    for (name, path) in people {
        walk(inv, &path, &path, &name)?;
    }
    Ok(())
}

fn walk(inv: &mut Inventory, root: &Path, dir: &Path, person: &str) -> Result<(), MoveError> {
    let mut stack = vec![(dir.to_owned(), 0usize)];
    let mut seen = 0usize;
    while let Some((d, depth)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .map_err(|e| MoveError::read(&d, e))?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            seen += 1;
            if seen > MAX_FILES {
                return Ok(());
            }
            // Symbolic links are not followed: they could lead anywhere on the disk.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                if depth < MAX_DEPTH {
                    stack.push((path, depth + 1));
                }
            } else if kind.is_file() {
                let lower = path.to_string_lossy().to_ascii_lowercase();
                if lower.ends_with(".zip") {
                    let meta = entry.metadata().map_err(|e| MoveError::read(&path, e))?;
                    scan_file(inv, &path, person, &meta)?;
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let meta = entry.metadata().map_err(|e| MoveError::read(&path, e))?;
                let modified = meta.modified().ok().map(DateTime::<Utc>::from);
                let files = inv.people.entry(person.to_owned()).or_default();
                add(
                    files,
                    &rel,
                    Location::File(path.clone()),
                    meta.len(),
                    modified,
                );
            }
        }
    }
    Ok(())
}

fn add(
    files: &mut PersonFiles,
    name: &str,
    at: Location,
    size: u64,
    modified: Option<DateTime<Utc>>,
) {
    match classify(name) {
        Some((kind, rel)) => files.files.push(SourceFile {
            kind,
            at,
            rel,
            size,
            modified,
        }),
        None => {
            let product = product_of(name);
            let slot = files.left.entry(product).or_default();
            slot.0 += 1;
            slot.1 = slot.1.saturating_add(size);
        }
    }
}

/// Drive's folder under `Takeout/`, in the languages Ferry speaks.
fn is_drive(folder: &str) -> bool {
    let f = folder.to_lowercase();
    let f = f.strip_prefix("google ").unwrap_or(&f);
    matches!(
        f,
        "drive" | "disk" | "mein drive" | "min disk" | "mi unidad"
    )
}

/// The kind of a file by its path in the export, and its path as moved.
pub fn classify(path: &str) -> Option<(Kind, String)> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let file = *parts.last()?;
    if let Some(i) = parts.iter().position(|p| is_drive(p))
        && i + 1 < parts.len()
    {
        return Some((Kind::Files, parts[i + 1..].join("/")));
    }
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let kind = match ext.as_deref() {
        Some("mbox") => Kind::Mail,
        Some("ics") => Kind::Calendar,
        Some("vcf") => Kind::Contacts,
        _ => return None,
    };
    Some((kind, file.to_owned()))
}

/// The product folder a path is in (`Takeout/Keep/x.json` → `Keep`).
fn product_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let start = usize::from(parts.first() == Some(&"Takeout"));
    match parts.get(start) {
        Some(p) if parts.len() > start + 1 => (*p).to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_folder_then_ending() {
        assert_eq!(
            classify("Takeout/Mail/All mail Including Spam and Trash.mbox"),
            Some((Kind::Mail, "All mail Including Spam and Trash.mbox".into()))
        );
        assert_eq!(
            classify("Takeout/Calendar/Styret.ics"),
            Some((Kind::Calendar, "Styret.ics".into()))
        );
        assert_eq!(
            classify("Takeout/Contacts/All Contacts/All Contacts.vcf"),
            Some((Kind::Contacts, "All Contacts.vcf".into()))
        );
        // A calendar file someone kept in Drive is a file.
        assert_eq!(
            classify("Takeout/Drive/Styret/old.ics"),
            Some((Kind::Files, "Styret/old.ics".into()))
        );
        assert_eq!(classify("Takeout/Keep/note.json"), None);
        assert_eq!(product_of("Takeout/Keep/note.json"), "Keep");
    }
}
