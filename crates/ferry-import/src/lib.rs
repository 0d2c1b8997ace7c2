//! Start from what the organisation really has: Google Workspace and Microsoft 365
//! exports read into a preview (people, groups, tools in use, data volumes, what will
//! not come across), and, once confirmed, applied to the plan.
//!
//! ```no_run
//! let mut import = ferry_import::Importer::default();
//! import.add_path(std::path::Path::new("User_Download.csv"))?;
//! import.add_path(std::path::Path::new("takeout-001.zip"))?;
//! let preview = import.preview();           // counts only; nothing changed yet
//! # let mut plan = ferry_core::model::Plan::new("A", Default::default()).unwrap();
//! ferry_import::apply(&mut plan, &preview); // after the person confirms
//! # Ok::<(), ferry_import::ImportError>(())
//! ```

pub mod apply;
pub mod error;
pub mod facts;
mod google;
pub mod groups;
mod microsoft;
pub mod preview;
pub mod takeout;
pub mod text;

use std::io::Cursor;
use std::path::Path;

pub use apply::{Applied, apply, apply_with};
pub use error::ImportError;
pub use facts::{Facts, Source};
pub use groups::{Choices, GroupChoice, GroupMap};
pub use preview::{Preview, members_csv, merge_members_list};

use preview::FileSummary;
use text::Table;

/// File endings the file chooser offers: CSV downloads, Takeout `.zip`, and `.tgz`
/// (refused with the reason, so the person learns to ask for `.zip`).
pub const EXTENSIONS: &[&str] = &["csv", "zip", "tgz"];

/// Files read so far. A file that fails to read adds nothing.
#[derive(Debug, Default, Clone)]
pub struct Importer {
    files: Vec<FileSummary>,
    facts: Facts,
    /// Takeout archives by file name: parts of one export add up; the same part
    /// chosen twice counts once.
    takeouts: std::collections::BTreeMap<String, takeout::TakeoutSummary>,
}

impl Importer {
    /// Reads one export from disk: a CSV file or a Takeout `.zip`.
    pub fn add_path(&mut self, path: &Path) -> Result<Source, ImportError> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        refuse_tar(name)?;
        let mut file = std::fs::File::open(path)?;
        let mut magic = [0u8; 4];
        let is_zip = std::io::Read::read(&mut file, &mut magic)? == 4 && magic == *b"PK\x03\x04";
        if is_zip || name.to_ascii_lowercase().ends_with(".zip") {
            let file = std::fs::File::open(path)?;
            return self.add_takeout(name, takeout::read(std::io::BufReader::new(file)));
        }
        let len = file.metadata()?.len();
        if len > error::MAX_FILE_BYTES as u64 {
            return Err(ImportError::TooLarge {
                limit: error::MAX_FILE_BYTES,
            });
        }
        self.add_bytes(name, &std::fs::read(path)?)
    }

    /// Reads one export already in memory; `name` is only used to spot archives.
    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<Source, ImportError> {
        refuse_tar(name)?;
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            return self.add_takeout(name, takeout::read(Cursor::new(bytes)));
        }
        self.add(read_csv(bytes))
    }

    fn add(
        &mut self,
        read: Result<(Source, u64, Facts), ImportError>,
    ) -> Result<Source, ImportError> {
        let (source, rows, facts) = read?;
        self.files.push(FileSummary { source, rows });
        self.facts.merge(facts);
        Ok(source)
    }

    fn add_takeout(
        &mut self,
        name: &str,
        read: Result<takeout::TakeoutSummary, ImportError>,
    ) -> Result<Source, ImportError> {
        self.takeouts.insert(name.to_owned(), read?);
        Ok(Source::Takeout)
    }

    pub fn preview(&self) -> Preview {
        let mut facts = self.facts.clone();
        let mut files = self.files.clone();
        if let Some(first) = self.takeouts.values().next() {
            let mut all = first.clone();
            for part in self.takeouts.values().skip(1) {
                all.add(part);
            }
            files.extend(self.takeouts.values().map(|t| FileSummary {
                source: Source::Takeout,
                rows: t.files,
            }));
            facts.merge(all.facts());
        }
        Preview::build(files, facts)
    }
}

/// Takeout also comes as .tgz; a tar has no index, so reading it means decompressing
/// all of it. Refused by name with the reason, rather than taking minutes.
fn refuse_tar(name: &str) -> Result<(), ImportError> {
    let lower = name.to_ascii_lowercase();
    if [".tgz", ".tar.gz", ".tar", ".tar.bz2"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Err(ImportError::Tgz);
    }
    Ok(())
}

type Parser = fn(&Table) -> Result<Facts, ImportError>;
type Kind = (fn(&Table) -> bool, Source, Parser);

/// Which export a table is, most specific first.
fn detect(t: &Table) -> Option<(Source, Parser)> {
    let kinds: [Kind; 9] = [
        (microsoft::is_teams, Source::M365Teams, microsoft::teams),
        (microsoft::is_apps, Source::M365AppsUsage, microsoft::apps),
        (
            microsoft::is_mailbox,
            Source::M365Mailbox,
            microsoft::mailbox,
        ),
        (
            microsoft::is_sharepoint,
            Source::M365SharePoint,
            microsoft::sharepoint,
        ),
        (
            microsoft::is_onedrive,
            Source::M365OneDrive,
            microsoft::onedrive,
        ),
        (
            microsoft::is_active_users,
            Source::M365ActiveUsers,
            microsoft::active_users,
        ),
        (
            google::is_group_members,
            Source::GoogleGroupMembers,
            google::group_members,
        ),
        (google::is_users, Source::GoogleUsers, google::users),
        (
            google::is_user_usage,
            Source::GoogleUserUsage,
            google::user_usage,
        ),
    ];
    kinds
        .into_iter()
        .find(|(is, _, _)| is(t))
        .map(|(_, source, parse)| (source, parse))
}

fn read_csv(bytes: &[u8]) -> Result<(Source, u64, Facts), ImportError> {
    let table = text::read_table(bytes)?;
    let (source, parse) = detect(&table).ok_or_else(|| ImportError::UnknownFormat {
        found: table
            .raw_headers
            .iter()
            .take(6)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let facts = parse(&table)?;
    Ok((source, table.rows.len() as u64, facts))
}
