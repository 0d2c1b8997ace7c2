//! A Google Takeout archive read from its index only (the zip central directory):
//! files and bytes per product and per kind of file, never unpacked, so a 20 GB
//! archive takes as long as reading a few megabytes.

use std::io::{Read, Seek, Write};

use serde::Serialize;
use ts_rs::TS;

use crate::error::ImportError;
use crate::facts::Facts;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ProductSummary {
    /// The folder under `Takeout/`, as the archive names it (it is localised).
    pub folder: String,
    /// Ferry's key for the product (`drive`, `mail`, `photos`…), when known.
    pub product: Option<&'static str>,
    /// The tool in Ferry's catalogue, when there is one.
    pub tool: Option<&'static str>,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct KindSummary {
    /// `document`, `spreadsheet`, `presentation`, `pdf`, `image`, `video`, `mbox`,
    /// `calendar`, `contacts` or `other`.
    pub kind: &'static str,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct TakeoutSummary {
    pub files: u64,
    pub bytes: u64,
    pub products: Vec<ProductSummary>,
    pub kinds: Vec<KindSummary>,
    pub mbox_files: u64,
    pub mbox_bytes: u64,
    pub largest_mbox_bytes: u64,
    /// Docs, Sheets and Slides that left Drive as Office files.
    pub converted_office_files: u64,
    /// Archive parts read (Takeout splits a large export into `…-001.zip`, `…-002.zip`).
    pub parts: u64,
}

impl TakeoutSummary {
    /// Adds another part of the same export: every count and size adds up.
    pub fn add(&mut self, other: &TakeoutSummary) {
        self.files += other.files;
        self.bytes = self.bytes.saturating_add(other.bytes);
        for p in &other.products {
            match self.products.iter_mut().find(|m| m.folder == p.folder) {
                Some(m) => {
                    m.files += p.files;
                    m.bytes = m.bytes.saturating_add(p.bytes);
                }
                None => self.products.push(p.clone()),
            }
        }
        for k in &other.kinds {
            match self.kinds.iter_mut().find(|m| m.kind == k.kind) {
                Some(m) => {
                    m.files += k.files;
                    m.bytes = m.bytes.saturating_add(k.bytes);
                }
                None => self.kinds.push(k.clone()),
            }
        }
        self.mbox_files += other.mbox_files;
        self.mbox_bytes = self.mbox_bytes.saturating_add(other.mbox_bytes);
        self.largest_mbox_bytes = self.largest_mbox_bytes.max(other.largest_mbox_bytes);
        self.converted_office_files += other.converted_office_files;
        self.parts += other.parts;
        self.sort();
    }

    fn sort(&mut self) {
        self.products
            .sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.folder.cmp(&b.folder)));
        self.kinds
            .sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.kind.cmp(b.kind)));
    }

    /// What the archive says per tool: bytes and files, photos and converted documents.
    pub fn facts(&self) -> Facts {
        let mut f = Facts::default();
        for p in &self.products {
            if let Some(tool) = p.tool {
                let t = f.tool(tool);
                t.bytes = t.bytes.saturating_add(p.bytes);
                t.items = t.items.saturating_add(p.files);
            }
            if p.product == Some("photos") {
                f.losses.photos = f.losses.photos.saturating_add(p.files);
                // Sizes are what the index claims: forged ones may be near u64::MAX.
                f.losses.photo_bytes = f.losses.photo_bytes.saturating_add(p.bytes);
            }
        }
        f.losses.converted_office_files = self.converted_office_files;
        f.takeout = Some(self.clone());
        f
    }
}

/// Takeout's product folders in the languages Ferry speaks → (product, tool).
fn product(folder: &str) -> (Option<&'static str>, Option<&'static str>) {
    let f = folder.to_lowercase();
    let f = f.strip_prefix("google ").unwrap_or(&f);
    match f {
        "drive" | "disk" => (Some("drive"), Some("google_drive")),
        "mail" | "e-mail" | "e-post" => (Some("mail"), Some("gmail")),
        "calendar" | "kalender" => (Some("calendar"), Some("google_calendar")),
        "contacts" | "kontakte" | "kontakter" => (Some("contacts"), None),
        "chat" => (Some("chat"), Some("google_chat")),
        "photos" | "fotos" | "foto" | "bilder" => (Some("photos"), None),
        "keep" => (Some("keep"), Some("google_keep")),
        "groups" | "gruppen" | "grupper" => (Some("groups"), Some("google_groups")),
        "meet" => (Some("meet"), Some("google_meet")),
        "tasks" | "aufgaben" | "oppgaver" => (Some("tasks"), None),
        _ => (None, None),
    }
}

fn kind(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("docx" | "odt" | "doc" | "rtf") => "document",
        Some("xlsx" | "ods" | "xls" | "csv") => "spreadsheet",
        Some("pptx" | "odp" | "ppt") => "presentation",
        Some("pdf") => "pdf",
        Some("jpg" | "jpeg" | "png" | "gif" | "heic" | "webp" | "tif" | "tiff" | "svg") => "image",
        Some("mp4" | "mov" | "avi" | "mkv" | "webm" | "3gp") => "video",
        Some("mbox") => "mbox",
        Some("ics") => "calendar",
        Some("vcf") => "contacts",
        _ => "other",
    }
}

/// Reads one archive's index. Errors: not a zip (or cut off: no index at the end), or
/// a zip without a `Takeout/` folder.
pub fn read<R: Read + Seek>(reader: R) -> Result<TakeoutSummary, ImportError> {
    let archive = zip::ZipArchive::new(reader).map_err(|e| ImportError::NotZip {
        detail: e.to_string(),
    })?;
    let meta = archive.metadata();
    let mut sum = TakeoutSummary::default();
    let mut kinds: Vec<KindSummary> = Vec::new();
    let mut converted = 0u64;
    for i in 0..meta.len() {
        let entry = meta.entry(i).map_err(|e| ImportError::NotZip {
            detail: e.to_string(),
        })?;
        if entry.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(entry.name_raw());
        let Some(rest) = name.strip_prefix("Takeout/") else {
            continue;
        };
        let Some((folder, path)) = rest.split_once('/') else {
            continue; // archive_browser.html and the like
        };
        let bytes = entry.size();
        sum.files += 1;
        sum.bytes = sum.bytes.saturating_add(bytes);
        let p = match sum.products.iter().position(|p| p.folder == folder) {
            Some(i) => &mut sum.products[i],
            None => {
                let (product, tool) = product(folder);
                sum.products.push(ProductSummary {
                    folder: folder.to_owned(),
                    product,
                    tool,
                    ..Default::default()
                });
                sum.products.last_mut().expect("just pushed")
            }
        };
        p.files += 1;
        p.bytes = p.bytes.saturating_add(bytes);
        let k = kind(path);
        // Docs, Sheets and Slides leave Drive as Office files.
        if p.product == Some("drive") && matches!(k, "document" | "spreadsheet" | "presentation") {
            converted += 1;
        }
        match kinds.iter_mut().find(|s| s.kind == k) {
            Some(s) => {
                s.files += 1;
                s.bytes = s.bytes.saturating_add(bytes);
            }
            None => kinds.push(KindSummary {
                kind: k,
                files: 1,
                bytes,
            }),
        }
        if k == "mbox" {
            sum.mbox_files += 1;
            sum.mbox_bytes = sum.mbox_bytes.saturating_add(bytes);
            sum.largest_mbox_bytes = sum.largest_mbox_bytes.max(bytes);
        }
    }
    if sum.files == 0 {
        return Err(ImportError::NotTakeout);
    }
    sum.kinds = kinds;
    sum.converted_office_files = converted;
    sum.parts = 1;
    sum.sort();
    Ok(sum)
}

/// Writes a zip whose index claims `entries` (name, size) with no data behind them:
/// what the benchmark and the tests read instead of a real 20 GB archive.
#[doc(hidden)]
pub fn write_index_only_zip<W: Write>(mut w: W, entries: &[(String, u32)]) -> std::io::Result<()> {
    let mut offset = 0u64;
    let mut central = Vec::with_capacity(entries.len() * 80);
    for (name, size) in entries {
        let n = name.as_bytes();
        let local_at = offset;
        let mut local = Vec::with_capacity(30 + n.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        header_fields(&mut local, *size, n.len());
        local.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        local.extend_from_slice(n);
        w.write_all(&local)?;
        offset += local.len() as u64;

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        header_fields(&mut central, *size, n.len());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&u32::try_from(local_at).unwrap_or(u32::MAX).to_le_bytes());
        central.extend_from_slice(n);
    }
    w.write_all(&central)?;
    let (cd_at, cd_len, count) = (offset, central.len() as u64, entries.len() as u64);
    // Over 65,535 entries needs the ZIP64 end records.
    let zip64_at = cd_at + cd_len;
    let mut end = Vec::new();
    end.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    end.extend_from_slice(&44u64.to_le_bytes());
    end.extend_from_slice(&45u16.to_le_bytes());
    end.extend_from_slice(&45u16.to_le_bytes());
    end.extend_from_slice(&[0; 8]); // this disk, disk with the directory
    for v in [count, count, cd_len, cd_at] {
        end.extend_from_slice(&v.to_le_bytes());
    }
    end.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    end.extend_from_slice(&0u32.to_le_bytes());
    end.extend_from_slice(&zip64_at.to_le_bytes());
    end.extend_from_slice(&1u32.to_le_bytes());
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&[0; 4]);
    let short = u16::try_from(count).unwrap_or(u16::MAX);
    end.extend_from_slice(&short.to_le_bytes());
    end.extend_from_slice(&short.to_le_bytes());
    end.extend_from_slice(&u32::try_from(cd_len).unwrap_or(u32::MAX).to_le_bytes());
    end.extend_from_slice(&u32::try_from(cd_at).unwrap_or(u32::MAX).to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    w.write_all(&end)
}

/// version needed … file name length: the part local and central headers share.
fn header_fields(out: &mut Vec<u8>, size: u32, name_len: usize) {
    out.extend_from_slice(&20u16.to_le_bytes()); // version needed
    out.extend_from_slice(&0x0800u16.to_le_bytes()); // names are UTF-8
    out.extend_from_slice(&0u16.to_le_bytes()); // stored
    out.extend_from_slice(&0u16.to_le_bytes()); // time
    out.extend_from_slice(&0x21u16.to_le_bytes()); // 1980-01-01
    out.extend_from_slice(&0u32.to_le_bytes()); // crc
    out.extend_from_slice(&0u32.to_le_bytes()); // compressed: nothing is there
    out.extend_from_slice(&size.to_le_bytes()); // the size the entry claims
    out.extend_from_slice(&u16::try_from(name_len).unwrap_or(u16::MAX).to_le_bytes());
}
