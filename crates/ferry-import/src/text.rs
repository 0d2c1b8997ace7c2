//! From bytes to a table of rows: the encodings and separators the vendors and Excel
//! write (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252; comma, semicolon
//! or tab), each row with its line number so that errors can name it.

use crate::error::{ImportError, MAX_FILE_BYTES, MAX_ROWS};

/// A CSV file read whole: normalised header names and the rows under them.
#[derive(Debug)]
pub struct Table {
    /// Lower case, `[Required]`-style notes and extra spaces removed.
    pub headers: Vec<String>,
    /// The header as written, for error messages.
    pub raw_headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    /// Line in the file where the row starts (1 = header).
    pub line: u64,
    pub fields: csv::StringRecord,
}

impl Row {
    pub fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.fields.get(c)).unwrap_or("").trim()
    }
}

impl Table {
    /// The first column whose normalised name is one of `names` (already normalised).
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.contains(&h.as_str()))
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.col(names).is_some()
    }
}

/// `"Email Address [Required]"` → `"email address"`; `"Storage Used (Byte)"` keeps its unit.
pub fn normalise_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0u32;
    for c in h.trim_start_matches('\u{feff}').chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Bytes to text: BOMs first, then UTF-8, then Windows-1252 (what Excel writes as
/// "CSV" on a Western European Windows). Text with control characters is refused: it
/// is a binary file (a zip, a PDF, an .xlsx) given by mistake.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            limit: MAX_FILE_BYTES,
        });
    }
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        match std::str::from_utf8(rest) {
            Ok(s) => s.into(),
            Err(e) => return Err(not_text_at(rest, e.valid_up_to())),
        }
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.into(),
            Err(_) if bytes.contains(&0) => {
                let at = bytes.iter().position(|b| *b == 0).unwrap_or(0);
                return Err(not_text_at(bytes, at));
            }
            Err(_) => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        }
    };
    if let Some(at) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        .map(|(i, _)| i)
    {
        return Err(not_text_at(text.as_bytes(), at));
    }
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(text.into_owned())
}

fn not_text_at(bytes: &[u8], at: usize) -> ImportError {
    let line = bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
        + 1;
    ImportError::NotText { line }
}

/// The separator is the one of `,` `;` tab that the header line uses most, outside quotes.
pub fn sniff_delimiter(first_line: &str) -> u8 {
    let (mut comma, mut semi, mut tab, mut quoted) = (0, 0, 0, false);
    for c in first_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > comma && tab > semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// Reads the whole file into a [`Table`]. A row shorter than the header is an error:
/// at the end of the file it means the file was cut off.
pub fn read_table(bytes: &[u8]) -> Result<Table, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let text = decode(bytes)?;
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(first))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) => return Err(ImportError::Truncated { line: 1 }),
        None => return Err(ImportError::Empty),
    };
    let raw_headers: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let headers: Vec<String> = raw_headers.iter().map(|h| normalise_header(h)).collect();
    let width = headers.len();
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    for record in records {
        let record = record.map_err(|e| ImportError::Truncated {
            line: e.position().map_or(0, |p| lines.at(text, p.byte())),
        })?;
        let line = record.position().map_or(0, |p| lines.at(text, p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(ImportError::TooManyRows {
                line,
                limit: MAX_ROWS,
            });
        }
        // Excel and some exports leave trailing separators; extra empty fields are fine.
        let used = record
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.trim().is_empty())
            .last()
            .map_or(0, |(i, _)| i + 1);
        if record.len() < width || used > width {
            let cut_off = record.len() < width;
            rows.push(Row {
                line,
                fields: record.clone(),
            });
            let last = reader_is_done(text, &record);
            return Err(if cut_off && last {
                ImportError::Truncated { line }
            } else {
                ImportError::RowShape {
                    line,
                    expected: width,
                    found: if cut_off { record.len() } else { used },
                }
            });
        }
        rows.push(Row {
            line,
            fields: record,
        });
    }
    if rows.is_empty() {
        return Err(ImportError::NoRows);
    }
    Ok(Table {
        headers,
        raw_headers,
        rows,
    })
}

/// Line numbers from byte offsets, counted once. The csv crate's own count starts a
/// record on the line before when lines end in CRLF.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: u64,
}

impl LineCounter {
    /// Line of the record starting at `byte` (a leading `\n` left from CRLF belongs to it).
    fn at(&mut self, text: &str, byte: u64) -> u64 {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        let bytes = text.as_bytes();
        let end = if bytes.get(byte) == Some(&b'\n') {
            byte + 1
        } else {
            byte
        };
        if end >= self.byte {
            self.line += bytes[self.byte..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.byte = end;
        }
        self.line + 1
    }
}

/// Whether `record` is the last one in `text` (nothing but blank lines after it).
fn reader_is_done(text: &str, record: &csv::StringRecord) -> bool {
    let Some(pos) = record.position() else {
        return false;
    };
    let start = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
    text.get(start..)
        .map(|rest| rest.trim_start_matches(['\r', '\n']))
        .and_then(|rest| rest.split_once('\n'))
        .is_none_or(|(_, after)| after.trim().is_empty())
}

/// A size as the vendors write it: bytes, or a number with a unit (`1.5 GB`, `1,5 GB`,
/// `300 MB`). `unit_bytes` applies to a bare number (the column says `(MB)` or `(Byte)`).
pub fn parse_size(value: &str, unit_bytes: u64) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() || v == "-" {
        return Some(0);
    }
    let split = v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" => unit_bytes,
        "b" | "byte" | "bytes" => 1,
        "kb" | "kib" | "k" => 1 << 10,
        "mb" | "mib" | "m" => 1 << 20,
        "gb" | "gib" | "g" => 1 << 30,
        "tb" | "tib" | "t" => 1 << 40,
        _ => return None,
    };
    let num = normalise_number(&num.trim().replace(['\u{a0}', ' ', '\''], ""));
    let n: f64 = num.parse().ok()?;
    (n.is_finite() && n >= 0.0).then(|| (n * mult as f64).round() as u64)
}

/// `1,5` and `1.5` are decimals; `1,500,000`, `1.500.000` and `1,500` group thousands;
/// with both marks, the last one is the decimal.
fn normalise_number(num: &str) -> String {
    let (commas, dots) = (num.matches(',').count(), num.matches('.').count());
    match (commas, dots) {
        (0, 0) => num.to_owned(),
        (_, 0) if commas > 1 || num.rsplit(',').next().is_some_and(|t| t.len() == 3) => {
            num.replace(',', "")
        }
        (_, 0) => num.replace(',', "."),
        (0, _) if dots > 1 => num.replace('.', ""),
        (0, _) => num.to_owned(),
        _ if num.rfind(',') > num.rfind('.') => num.replace('.', "").replace(',', "."),
        _ => num.replace(',', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_the_ways_vendors_and_excel_write_them() {
        const MB: u64 = 1 << 20;
        assert_eq!(parse_size("1.5 GB", 1), Some(3 << 29));
        assert_eq!(parse_size("1,5 GB", 1), Some(3 << 29));
        assert_eq!(parse_size("300MB", 1), Some(300 * MB));
        assert_eq!(parse_size("1,500", MB), Some(1500 * MB));
        assert_eq!(parse_size("1.234.567", 1), Some(1_234_567));
        assert_eq!(parse_size("1.234,5 MB", 1), Some(1_294_467_072));
        assert_eq!(parse_size("", 1), Some(0));
        assert_eq!(parse_size("lots", 1), None);
        assert_eq!(parse_size("-3", 1), None);
    }

    #[test]
    fn headers_lose_their_notes_and_case() {
        assert_eq!(
            normalise_header("\u{feff}Email Address [Required]"),
            "email address"
        );
        assert_eq!(
            normalise_header(" Storage Used (Byte) "),
            "storage used (byte)"
        );
        assert_eq!(sniff_delimiter("a;b;\"c,d\""), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }
}
