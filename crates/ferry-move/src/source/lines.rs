//! Content lines of iCalendar (RFC 5545) and vCard (RFC 2426/6350), read from a stream:
//! each logical line with its folded physical lines kept as they were (so objects go
//! to the server byte for byte, only with CRLF line ends), and a canonical hash that
//! ignores what a server may change when it stores an object (property order, line
//! folding, parameter quoting and case).

use std::io::BufRead;

use sha2::{Digest, Sha256};

/// One logical line: the physical lines as read (CRLF ends) and the unfolded text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub raw: Vec<u8>,
    pub text: String,
}

impl Line {
    /// The property name, upper case (`DTSTART` in `DTSTART;TZID=…:…`).
    pub fn name(&self) -> String {
        let end = self.text.find([';', ':']).unwrap_or(self.text.len());
        self.text[..end].trim().to_ascii_uppercase()
    }

    /// The value after the first `:` outside quotes.
    pub fn value(&self) -> &str {
        let (_, _, value) = split(&self.text);
        value
    }

    /// `BEGIN:X` → `Some("X")` (upper case).
    pub fn begins(&self) -> Option<String> {
        (self.name() == "BEGIN").then(|| self.value().trim().to_ascii_uppercase())
    }

    pub fn ends(&self) -> Option<String> {
        (self.name() == "END").then(|| self.value().trim().to_ascii_uppercase())
    }

    /// Parameter values named `param` (upper case), unquoted.
    pub fn params(&self, param: &str) -> Vec<String> {
        let (_, params, _) = split(&self.text);
        params
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(param))
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// `NAME;P1=a;P2="b:c":value` → (NAME, [(P1,a),(P2,b:c)], value).
fn split(text: &str) -> (&str, Vec<(String, String)>, &str) {
    let mut quoted = false;
    let mut colon = text.len();
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                colon = i;
                break;
            }
            _ => {}
        }
    }
    let head = &text[..colon];
    let value = text.get(colon + 1..).unwrap_or("");
    let mut parts = Vec::new();
    let mut cur = String::new();
    quoted = false;
    for c in head.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    let name_end = head.find(';').unwrap_or(head.len());
    let params = parts
        .into_iter()
        .skip(1)
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
            None => (String::new(), p.trim().to_owned()),
        })
        .collect();
    (&head[..name_end], params, value)
}

/// Reads logical lines; a physical line longer than `max_line` is cut (the rest of
/// it read as continuation) so a stream without line breaks stays bounded.
pub struct LineReader<R> {
    r: R,
    pending: Option<Vec<u8>>,
    max_line: usize,
    pub consumed: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(r: R, max_line: usize) -> Self {
        LineReader {
            r,
            pending: None,
            max_line,
            consumed: 0,
        }
    }

    fn physical(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        let mut out = Vec::new();
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok((!out.is_empty()).then_some(out));
            }
            let room = self.max_line.saturating_sub(out.len()).max(1);
            let window = &buf[..buf.len().min(room)];
            if let Some(i) = window.iter().position(|&b| b == b'\n') {
                out.extend_from_slice(&window[..=i]);
                self.r.consume(i + 1);
                self.consumed += (i + 1) as u64;
                return Ok(Some(out));
            }
            let n = window.len();
            out.extend_from_slice(window);
            self.r.consume(n);
            self.consumed += n as u64;
            if out.len() >= self.max_line {
                return Ok(Some(out));
            }
        }
    }

    /// The next logical line, `None` at the end. Blank lines are skipped.
    pub fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut line = Line::default();
        loop {
            let Some(p) = self.physical()? else {
                return Ok((!line.raw.is_empty()).then_some(line));
            };
            let body = trim_eol(&p);
            let continues = matches!(body.first(), Some(b' ' | b'\t'));
            if line.raw.is_empty() {
                if body.is_empty() {
                    continue;
                }
                // A continuation with nothing before it (first, or after a blank line)
                // is its own line, kept without its leading blanks: written out as it
                // was read, it would be folded into the line before it (found by the
                // move_vcf fuzz target: a card's `FN` took the next line's text).
                let own = if continues {
                    let blanks = body.iter().take_while(|&&b| matches!(b, b' ' | b'\t'));
                    &body[blanks.count()..]
                } else {
                    body
                };
                if own.is_empty() {
                    continue;
                }
                line.text.push_str(&String::from_utf8_lossy(own));
                line.raw.extend_from_slice(own);
                line.raw.extend_from_slice(b"\r\n");
                continue;
            }
            if continues {
                line.text.push_str(&String::from_utf8_lossy(&body[1..]));
                line.raw.extend_from_slice(body);
                line.raw.extend_from_slice(b"\r\n");
                if line.raw.len() > self.max_line * 64 {
                    return Ok(Some(line));
                }
            } else {
                self.pending = Some(p);
                return Ok(Some(line));
            }
        }
    }
}

fn trim_eol(l: &[u8]) -> &[u8] {
    let l = l.strip_suffix(b"\n").unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// Properties a server rewrites when it stores an object, left out of the hash.
const VOLATILE: &[&str] = &["PRODID", "VERSION", "CALSCALE", "METHOD", "REV", "DTSTAMP"];

/// A hash of an iCalendar or vCard object that stays the same when a server reorders
/// properties, folds lines differently, or quotes and cases parameters its own way.
/// Time zone definitions are left out (servers may replace them with their own).
pub fn canonical_hash(object: &[u8]) -> [u8; 32] {
    let mut r = LineReader::new(object, usize::MAX / 128);
    let mut lines: Vec<String> = Vec::new();
    let mut in_tz = 0u32;
    while let Ok(Some(l)) = r.next_line() {
        if l.begins().as_deref() == Some("VTIMEZONE") {
            in_tz += 1;
        }
        if in_tz > 0 {
            if l.ends().as_deref() == Some("VTIMEZONE") {
                in_tz -= 1;
            }
            continue;
        }
        let name = l.name();
        if VOLATILE.contains(&name.as_str()) {
            continue;
        }
        let (_, given, value) = split(&l.text);
        // `TYPE=A;TYPE=B` and `TYPE=A,B` are one list (vobject writes the second).
        let mut params: Vec<(String, String)> = Vec::new();
        for (k, v) in given {
            let v = v.replace('"', "").to_uppercase();
            params.extend(
                v.split(',')
                    .map(|one| (k.to_ascii_uppercase(), one.to_owned())),
            );
        }
        params.sort();
        params.dedup();
        let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let value = if name == "BEGIN" || name == "END" {
            value.trim().to_ascii_uppercase()
        } else if name == "TRIGGER" || name == "DURATION" {
            duration_seconds(value.trim()).unwrap_or_else(|| value.trim_end().to_owned())
        } else {
            unescaped(value.trim_end())
        };
        // An empty property says nothing; some servers (vobject's) drop it.
        if value.is_empty() {
            continue;
        }
        lines.push(format!("{name};{}:{value}", params.join(";")));
    }
    lines.sort();
    let mut h = Sha256::new();
    for l in lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    h.finalize().into()
}

/// A value with its escapes undone and any other backslash dropped: Google writes
/// `https\\://` in vCards, which vobject (Radicale) stores as `https\\\\://`.
fn unescaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some('\\') | None => {}
            Some(other) => out.push(other),
        }
    }
    out
}

/// An iCalendar duration as signed seconds (`-P0DT0H30M0S` and `-PT30M` are one
/// alarm; vobject rewrites the first as the second).
fn duration_seconds(v: &str) -> Option<String> {
    let (sign, rest) = match v.as_bytes().first()? {
        b'-' => ("-", &v[1..]),
        b'+' => ("", &v[1..]),
        _ => ("", v),
    };
    let rest = rest.strip_prefix('P')?;
    let (mut total, mut n, mut in_time) = (0u64, String::new(), false);
    for c in rest.chars() {
        match c {
            '0'..='9' => n.push(c),
            'T' if n.is_empty() => in_time = true,
            _ => {
                let k: u64 = n.parse().ok()?;
                n.clear();
                total += k * match (c, in_time) {
                    ('W', false) => 604_800,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
            }
        }
    }
    n.is_empty().then(|| format!("{sign}{total}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_unfold_and_keep_their_bytes() {
        let text = b"BEGIN:VCARD\nNOTE:one\n  two\r\nN;CHARSET=\"utf-8\":X\nEND:VCARD";
        let mut r = LineReader::new(&text[..], 1000);
        let mut all = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            all.push(l);
        }
        assert_eq!(all.len(), 4);
        assert_eq!(all[1].text, "NOTE:one two");
        assert_eq!(all[1].raw, b"NOTE:one\r\n  two\r\n");
        assert_eq!(all[2].params("charset"), ["utf-8"]);
        assert_eq!(all[3].ends().as_deref(), Some("VCARD"));
    }

    #[test]
    fn the_hash_ignores_order_folding_and_parameter_quoting() {
        let a = b"BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=\"Europe/Oslo\":20240101T100000\r\nSUMMARY:Hi there\r\nEND:VEVENT\r\n";
        let b = b"BEGIN:VEVENT\nDTSTART;tzid=Europe/Oslo:20240101T100000\nSUMMARY:Hi\n  there\nUID:1\nDTSTAMP:20250101T000000Z\nEND:VEVENT";
        assert_eq!(canonical_hash(a), canonical_hash(b));
        let c = b"BEGIN:VEVENT\nDTSTART;tzid=Europe/Oslo:20240101T100000\nSUMMARY:Hi\nUID:1\nEND:VEVENT";
        assert_ne!(canonical_hash(a), canonical_hash(c));
        // What vobject (Radicale) writes back for what Google exported.
        let google = b"BEGIN:VCARD\nitem1.URL:https\\://x.no\nitem1.X-ABLabel:\nEND:VCARD\n";
        let stored = b"BEGIN:VCARD\r\nitem1.URL:https\\\\://x.no\r\nEND:VCARD\r\n";
        assert_eq!(canonical_hash(google), canonical_hash(stored));
        let types = b"BEGIN:VCARD\nEMAIL;TYPE=INTERNET;TYPE=HOME:k@x.no\nEND:VCARD\n";
        let joined = b"BEGIN:VCARD\nEMAIL;TYPE=INTERNET,HOME:k@x.no\nEND:VCARD\n";
        assert_eq!(canonical_hash(types), canonical_hash(joined));
        let alarm = b"BEGIN:VALARM\nTRIGGER:-P0DT0H30M0S\nEND:VALARM\n";
        assert_eq!(
            canonical_hash(alarm),
            canonical_hash(b"BEGIN:VALARM\nTRIGGER:-PT30M\nEND:VALARM\n")
        );
        assert_ne!(
            canonical_hash(alarm),
            canonical_hash(b"BEGIN:VALARM\nTRIGGER:-PT15M\nEND:VALARM\n")
        );
    }
}
