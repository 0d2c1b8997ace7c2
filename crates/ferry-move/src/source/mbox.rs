//! Google's `.mbox` files, read one message at a time from a stream.
//!
//! Takeout writes every message after a `From_` line (`From 1848…@xxx Thu Nov 13
//! 20:20:33 +0000 2025`) with `X-GM-THRID` and `X-Gmail-Labels` as the first headers,
//! escapes body lines that begin with `From ` as `>From `, and ends lines in CRLF or LF.
//! A message is read as mboxrd: one `>` is taken off `>From ` lines (`>>From ` becomes
//! `>From `), lines end in CRLF as IMAP wants, and the blank line that separates
//! messages is not part of the message. Memory is one message at a time; a message
//! larger than [`MAX_MESSAGE`] is measured and skipped, never held.

use std::io::BufRead;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};

/// Gmail accepts at most 50 MB per message (with encoding overhead); anything larger
/// is not real mail from Gmail and is listed instead of moved.
pub const MAX_MESSAGE: usize = 52 * 1024 * 1024;
/// Lines are read at most this long at a time, so a file without line breaks cannot
/// grow one line without bound.
const MAX_PIECE: usize = 64 * 1024;

/// One message as it will be appended, or why it cannot be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The message with CRLF line endings (empty when too large).
    pub bytes: Vec<u8>,
    /// Its size in bytes as appended (as measured, when too large).
    pub size: u64,
    /// SHA-256 of `bytes`.
    pub sha256: [u8; 32],
    pub headers: Headers,
    /// Larger than [`MAX_MESSAGE`]: measured, not kept.
    pub too_large: bool,
    /// Contains NUL bytes, which IMAP does not carry in an ordinary APPEND.
    pub has_nul: bool,
    /// When Gmail received it, from the `From_` line.
    pub received: Option<DateTime<FixedOffset>>,
}

/// The headers a move needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    pub message_id: Option<String>,
    /// The `Date:` header, when it parses.
    pub date: Option<DateTime<Utc>>,
    /// Gmail's labels, decoded, in order.
    pub labels: Option<Vec<String>>,
    pub subject: Option<String>,
}

/// Reads messages from an mbox stream.
pub struct MboxReader<R> {
    r: R,
    /// The `From_` line of the next message, once seen.
    next_from: Option<String>,
    started: bool,
    done: bool,
    /// Bytes read from the stream so far (for progress).
    pub consumed: u64,
}

impl<R: BufRead> MboxReader<R> {
    pub fn new(r: R) -> Self {
        MboxReader {
            r,
            next_from: None,
            started: false,
            done: false,
            consumed: 0,
        }
    }

    /// Reads up to a line end or [`MAX_PIECE`] bytes into `out` (cleared first).
    /// Answers whether a full line ended (false at a cut piece or the end).
    fn piece(&mut self, out: &mut Vec<u8>) -> std::io::Result<bool> {
        out.clear();
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let room = MAX_PIECE - out.len();
            let window = &buf[..buf.len().min(room)];
            if let Some(i) = window.iter().position(|&b| b == b'\n') {
                out.extend_from_slice(&window[..=i]);
                self.r.consume(i + 1);
                self.consumed += (i + 1) as u64;
                return Ok(true);
            }
            let n = window.len();
            out.extend_from_slice(window);
            self.r.consume(n);
            self.consumed += n as u64;
            if out.len() >= MAX_PIECE {
                return Ok(false);
            }
        }
    }

    /// The next message, `None` at the end.
    pub fn next_message(&mut self) -> std::io::Result<Option<Message>> {
        if self.done {
            return Ok(None);
        }
        let mut piece = Vec::with_capacity(256);
        // Before the first separator: skip anything that is not one (a stray preamble).
        while !self.started {
            let full = self.piece(&mut piece)?;
            if piece.is_empty() {
                self.done = true;
                return Ok(None);
            }
            if full && is_separator(&piece) {
                self.next_from = Some(String::from_utf8_lossy(&piece).trim_end().to_owned());
                self.started = true;
            }
        }
        let from_line = self.next_from.take().unwrap_or_default();
        let mut msg = Builder::default();
        let mut at_line_start = true;
        let mut prev_blank = true;
        loop {
            let full = self.piece(&mut piece)?;
            if piece.is_empty() {
                self.done = true;
                break;
            }
            if at_line_start && full && prev_blank && is_separator(&piece) {
                self.next_from = Some(String::from_utf8_lossy(&piece).trim_end().to_owned());
                break;
            }
            // A `From ` line not after a blank line is body text that was not escaped.
            let line_start = at_line_start;
            at_line_start = full;
            let body = if full { strip_eol(&piece) } else { &piece[..] };
            if line_start {
                prev_blank = full && body.is_empty();
            }
            msg.push(body, line_start, full);
        }
        Ok(Some(msg.finish(&from_line)))
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = std::io::Result<Message>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_message().transpose()
    }
}

fn strip_eol(line: &[u8]) -> &[u8] {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// A `From_` line: `From ` then a sender and a date that ends in a year.
fn is_separator(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let text = String::from_utf8_lossy(strip_eol(rest));
    let mut words = text.split_whitespace();
    let Some(_sender) = words.next() else {
        return false;
    };
    let last = text.split_whitespace().last().unwrap_or_default();
    last.len() == 4 && last.bytes().all(|b| b.is_ascii_digit())
}

/// Builds one message line by line: CRLF endings, `>From ` unescaped, the trailing
/// separator blank line dropped, measured and hashed even when too large to keep.
#[derive(Default)]
struct Builder {
    bytes: Vec<u8>,
    size: u64,
    hash: Sha256,
    too_large: bool,
    has_nul: bool,
    /// A blank line held back: it is the message's only if more lines follow.
    held_blank: bool,
    /// Headers as read until the first blank line (bounded).
    head: Vec<u8>,
    head_done: bool,
}

const MAX_HEAD: usize = 256 * 1024;

impl Builder {
    fn emit(&mut self, data: &[u8]) {
        self.size += data.len() as u64;
        self.hash.update(data);
        if !self.too_large {
            if self.bytes.len() + data.len() > MAX_MESSAGE {
                self.too_large = true;
                self.bytes = Vec::new();
            } else {
                self.bytes.extend_from_slice(data);
            }
        }
        if !self.head_done && self.head.len() < MAX_HEAD {
            self.head.extend_from_slice(data);
        }
    }

    fn push(&mut self, piece: &[u8], line_start: bool, full: bool) {
        if self.held_blank {
            self.held_blank = false;
            self.emit(b"\r\n");
        }
        let mut piece = piece;
        if line_start {
            let quotes = piece.iter().take_while(|&&b| b == b'>').count();
            if quotes > 0 && piece[quotes..].starts_with(b"From ") {
                piece = &piece[1..];
            }
            if full && piece.is_empty() {
                if !self.head_done {
                    self.head_done = true;
                }
                // Held: the blank line before the next `From_` belongs to the mbox.
                self.held_blank = true;
                return;
            }
        }
        if piece.contains(&0) {
            self.has_nul = true;
        }
        self.emit(piece);
        if full {
            self.emit(b"\r\n");
        }
    }

    fn finish(mut self, from_line: &str) -> Message {
        // The header block ends at the first blank line; without one, all is header.
        let headers = parse_headers(&self.head);
        if self.too_large {
            self.bytes = Vec::new();
        } else {
            self.bytes.shrink_to_fit();
        }
        Message {
            size: self.size,
            sha256: self.hash.finalize().into(),
            bytes: self.bytes,
            headers,
            too_large: self.too_large,
            has_nul: self.has_nul,
            received: from_line_date(from_line),
        }
    }
}

/// The headers Ferry reads, from the start of a message.
pub fn parse_headers(head: &[u8]) -> Headers {
    let Ok((parsed, _)) = mailparse::parse_headers(head) else {
        return Headers::default();
    };
    let mut h = Headers::default();
    for header in &parsed {
        let key = header.get_key_ref();
        if key.eq_ignore_ascii_case("Message-ID") && h.message_id.is_none() {
            let v = header.get_value();
            let v = v.trim();
            if !v.is_empty() {
                h.message_id = Some(v.to_owned());
            }
        } else if key.eq_ignore_ascii_case("Date") && h.date.is_none() {
            h.date = mailparse::dateparse(&header.get_value())
                .ok()
                .and_then(|t| Utc.timestamp_opt(t, 0).single());
        } else if key.eq_ignore_ascii_case("X-Gmail-Labels") && h.labels.is_none() {
            h.labels = Some(split_labels(&header.get_value()));
        } else if key.eq_ignore_ascii_case("Subject") && h.subject.is_none() {
            h.subject = Some(header.get_value().trim().to_owned());
        }
    }
    h
}

/// `Inbox,"Work, old",Opened` → `["Inbox", "Work, old", "Opened"]`: commas separate
/// labels except inside double quotes (a label may contain a comma).
pub fn split_labels(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' if !quoted => {
                let label = cur.trim();
                if !label.is_empty() {
                    out.push(label.to_owned());
                }
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    let label = cur.trim();
    if !label.is_empty() {
        out.push(label.to_owned());
    }
    out
}

/// The date of a `From_` line: `From x@y Thu Nov 13 20:20:33 +0000 2025` (Takeout) or
/// `From x@y Thu Nov 13 20:20:33 2025` (classic, taken as UTC).
pub fn from_line_date(line: &str) -> Option<DateTime<FixedOffset>> {
    let rest = line.strip_prefix("From ")?;
    let (_, date) = rest.trim().split_once(char::is_whitespace)?;
    let date = date.split_whitespace().collect::<Vec<_>>().join(" ");
    DateTime::parse_from_str(&date, "%a %b %d %H:%M:%S %z %Y")
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(&date, "%a %b %d %H:%M:%S %Y")
                .ok()
                .map(|n| n.and_utc().fixed_offset())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8]) -> Vec<Message> {
        MboxReader::new(std::io::Cursor::new(text.to_vec()))
            .collect::<std::io::Result<Vec<_>>>()
            .unwrap()
    }

    #[test]
    fn messages_split_on_from_lines_with_crlf_and_unescaped_from() {
        let mbox = b"From 1@xxx Thu Nov 13 20:20:33 +0000 2025\nX-Gmail-Labels: Inbox,\"Work, old\",Opened\nMessage-ID: <a@b>\nSubject: =?UTF-8?Q?Bl=C3=A5b=C3=A6r?=\n\nHello\n>From the start\n>>From quoted\n\nFrom 2@xxx Fri Nov 14 08:00:00 +0100 2025\r\nSubject: two\r\n\r\nbody\r\n";
        let m = read_all(mbox);
        assert_eq!(m.len(), 2);
        assert_eq!(
            String::from_utf8(m[0].bytes.clone()).unwrap(),
            "X-Gmail-Labels: Inbox,\"Work, old\",Opened\r\nMessage-ID: <a@b>\r\nSubject: =?UTF-8?Q?Bl=C3=A5b=C3=A6r?=\r\n\r\nHello\r\nFrom the start\r\n>From quoted\r\n"
        );
        assert_eq!(
            m[0].headers.labels.as_deref().unwrap(),
            ["Inbox", "Work, old", "Opened"]
        );
        assert_eq!(m[0].headers.subject.as_deref(), Some("Blåbær"));
        assert_eq!(m[0].headers.message_id.as_deref(), Some("<a@b>"));
        assert_eq!(
            m[0].received.unwrap().to_rfc3339(),
            "2025-11-13T20:20:33+00:00"
        );
        assert_eq!(m[1].bytes, b"Subject: two\r\n\r\nbody\r\n");
        assert_eq!(m[1].size, m[1].bytes.len() as u64);
        assert_eq!(m[1].sha256, <[u8; 32]>::from(Sha256::digest(&m[1].bytes)));
    }

    #[test]
    fn a_from_line_in_a_body_without_a_blank_line_before_it_is_text() {
        let mbox = b"From 1@x Thu Nov 13 20:20:33 +0000 2025\nSubject: a\n\nline\nFrom me Thu Nov 13 20:20:33 2025\n";
        let m = read_all(mbox);
        assert_eq!(m.len(), 1);
        assert!(
            String::from_utf8_lossy(&m[0].bytes).contains("From me"),
            "{m:?}"
        );
    }

    #[test]
    fn a_huge_message_is_measured_not_kept() {
        let mut mbox = b"From 1@x Thu Nov 13 20:20:33 +0000 2025\nSubject: big\n\n".to_vec();
        let line = vec![b'a'; 1000];
        for _ in 0..(MAX_MESSAGE / 1000 + 10) {
            mbox.extend_from_slice(&line);
            mbox.push(b'\n');
        }
        mbox.extend_from_slice(b"\nFrom 2@x Thu Nov 13 20:20:33 +0000 2025\nSubject: s\n\nx\n");
        let m = read_all(&mbox);
        assert_eq!(m.len(), 2);
        assert!(m[0].too_large && m[0].bytes.is_empty());
        assert!(m[0].size > MAX_MESSAGE as u64);
        assert_eq!(m[0].headers.subject.as_deref(), Some("big"));
        assert!(!m[1].too_large);
    }

    #[test]
    fn an_endless_line_is_read_in_pieces() {
        let mut mbox = b"From 1@x Thu Nov 13 20:20:33 +0000 2025\nSubject: s\n\n".to_vec();
        mbox.extend(std::iter::repeat_n(b'x', 300_000));
        let m = read_all(&mbox);
        assert_eq!(m.len(), 1);
        assert_eq!(
            m[0].size,
            300_000 + 14,
            "headers with CRLF, the last line as it was"
        );
    }

    #[test]
    fn nothing_but_noise_is_no_message() {
        assert!(read_all(b"").is_empty());
        assert!(read_all(b"hello\nworld\n").is_empty());
        let nul = read_all(b"From 1@x Thu Nov 13 20:20:33 +0000 2025\nSubject: s\n\na\0b\n");
        assert!(nul[0].has_nul);
    }
}
