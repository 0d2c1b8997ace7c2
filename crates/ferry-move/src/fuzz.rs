//! The checks behind the `move_mbox`, `move_ics` and `move_vcf` fuzz targets (`fuzz/`),
//! public so the targets and the replay test (`tests/fuzz_replay.rs`, in `make test`)
//! run the same ones. Each reads the bytes as the mover reads a file (the streaming
//! reader, every item taken) and asserts what must hold whatever the file holds: the
//! same items when the reader's buffer is cut small, sizes and hashes that match the
//! bytes, CRLF line ends only, sizes bounded by the input, and for events and cards an
//! object that reads back as itself (what goes to the server is what Ferry read).

use std::io::{BufRead, BufReader};

use sha2::{Digest, Sha256};

use crate::source::ics::{CalObject, Calendar, Skipped, resource_name};
use crate::source::lines::canonical_hash;
use crate::source::mbox::{MboxReader, Message};
use crate::source::vcf::{Card, CardReader, SkippedCard};

/// A read buffer far smaller than the mover's (256 KB): lines fall across fills, and
/// what is read must not depend on where.
const SMALL_BUFFER: usize = 7;
/// The calendar and card readers' longest physical line (`MAX_LINE` in ics.rs, vcf.rs).
const LINE_CUT: usize = 256 * 1024;

/// Bytes of `data` once every line ends in CRLF: each LF may become CRLF, and a line
/// cut at the end of the input or at [`LINE_CUT`] gains a CRLF.
fn crlf_bound(data: &[u8]) -> u64 {
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    (data.len() + newlines + 2 * (data.len() / LINE_CUT + 1)) as u64
}

/// Every LF is the end of a CRLF.
fn crlf_only(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| b != b'\n' || (i > 0 && bytes[i - 1] == b'\r'))
}

fn read_mbox(r: impl BufRead) -> (Vec<Message>, u64) {
    let mut reader = MboxReader::new(r);
    let mut out = Vec::new();
    while let Some(m) = reader.next_message().expect("reading from memory") {
        out.push(m);
    }
    // At the end it stays at the end.
    assert!(
        reader
            .next_message()
            .expect("reading from memory")
            .is_none()
    );
    (out, reader.consumed)
}

/// An `.mbox` file: its messages.
#[doc(hidden)]
pub fn mbox(data: &[u8]) {
    let (messages, consumed) = read_mbox(data);
    assert_eq!(consumed, data.len() as u64, "the whole file is read");
    let small = read_mbox(BufReader::with_capacity(SMALL_BUFFER, data));
    assert!(
        small == (messages.clone(), consumed),
        "read the same in small pieces"
    );
    let mut total = 0u64;
    for m in &messages {
        // Far below MAX_MESSAGE: every message is kept.
        assert!(!m.too_large);
        assert_eq!(m.size, m.bytes.len() as u64);
        assert_eq!(m.sha256, <[u8; 32]>::from(Sha256::digest(&m.bytes)));
        assert_eq!(m.has_nul, m.bytes.contains(&0));
        assert!(crlf_only(&m.bytes), "IMAP takes CRLF line ends only");
        total += m.size;
    }
    // Separators and the blank lines before them are not part of any message.
    assert!(
        total <= crlf_bound(data),
        "{total} bytes from {}",
        data.len()
    );
    let separators = data
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"From "))
        .count();
    assert!(messages.len() <= separators);
}

/// What a calendar gives, in the order the mover sends it.
#[derive(Debug, PartialEq, Eq)]
struct ReadCalendar {
    name: Option<String>,
    skipped: Vec<Skipped>,
    objects: Vec<Result<CalObject, Skipped>>,
    consumed: u64,
}

fn read_ics(r: impl BufRead) -> ReadCalendar {
    let mut cal = Calendar::read(r).expect("reading from memory");
    let count = cal.len();
    let skipped = std::mem::take(&mut cal.skipped);
    let objects: Vec<_> = cal
        .objects()
        .map(|o| o.expect("reading the spool back"))
        .collect();
    assert_eq!(objects.len(), count);
    ReadCalendar {
        name: cal.name.clone(),
        skipped,
        objects,
        consumed: cal.consumed,
    }
}

/// An `.ics` file: its events grouped by UID into CalDAV objects.
#[doc(hidden)]
pub fn ics(data: &[u8]) {
    let cal = read_ics(data);
    assert_eq!(cal.consumed, data.len() as u64, "the whole file is read");
    assert!(
        read_ics(BufReader::with_capacity(SMALL_BUFFER, data)) == cal,
        "read the same in small pieces"
    );
    let bound = crlf_bound(data);
    for s in &cal.skipped {
        assert_eq!(s.reason, "cut_off", "nothing this small is too large");
        assert!(s.bytes <= bound);
    }
    let mut uids = std::collections::HashSet::new();
    for o in &cal.objects {
        let o = o.as_ref().expect("nothing this small is too large");
        assert!(uids.insert(o.uid.clone()), "one object per UID");
        assert_eq!(o.name, resource_name(&o.uid, "ics"));
        assert_eq!(o.hash, canonical_hash(&o.bytes));
        assert!(crlf_only(&o.bytes));
        assert!(o.bytes.starts_with(b"BEGIN:VCALENDAR\r\n"));
        assert!(o.bytes.ends_with(b"END:VCALENDAR\r\n"));
        // Input lines in CRLF, plus the wrapper, a default header and a made UID line
        // (46 bytes) per event, each event at least 16 bytes of input.
        assert!(o.bytes.len() as u64 <= 4 * bound + 128, "{}", o.bytes.len());
        // The object read as a calendar of its own is itself: the server is sent what
        // Ferry read, with the UID it will be asked for.
        let again = read_ics(&o.bytes[..]);
        assert!(again.skipped.is_empty(), "{again:?}");
        assert_eq!(again.objects, [Ok(o.clone())]);
    }
}

fn read_vcf(r: impl BufRead) -> (Vec<Result<Card, SkippedCard>>, u64) {
    let mut reader = CardReader::new(r);
    let mut out = Vec::new();
    while let Some(c) = reader.next_card().expect("reading from memory") {
        out.push(c);
    }
    (out, reader.consumed())
}

/// A `.vcf` file: its cards.
#[doc(hidden)]
pub fn vcf(data: &[u8]) {
    let (cards, consumed) = read_vcf(data);
    assert_eq!(consumed, data.len() as u64, "the whole file is read");
    let small = read_vcf(BufReader::with_capacity(SMALL_BUFFER, data));
    assert!(
        small == (cards.clone(), consumed),
        "read the same in small pieces"
    );
    let bound = crlf_bound(data);
    let mut skipped = 0;
    for c in &cards {
        let card = match c {
            Ok(card) => card,
            Err(s) => {
                assert_eq!(s.reason, "cut_off", "nothing this small is too large");
                assert!(s.bytes <= bound);
                skipped += 1;
                continue;
            }
        };
        assert_eq!(card.name, resource_name(&card.uid, "vcf"));
        assert_eq!(card.hash, canonical_hash(&card.bytes));
        assert!(crlf_only(&card.bytes));
        // Input lines in CRLF, and a made UID line (46 bytes).
        assert!(card.bytes.len() as u64 <= bound + 46);
        // The card read on its own is itself.
        let (again, _) = read_vcf(&card.bytes[..]);
        assert_eq!(again, [Ok(card.clone())]);
    }
    // Only the last card can be cut off (by the end of the file).
    assert!(skipped <= 1);
}
