//! A Google Calendar `.ics` export (one VCALENDAR holding every event of one calendar)
//! cut into CalDAV objects: one per UID, holding the event and its changed occurrences
//! (`RECURRENCE-ID`), with the time zone definitions they use, as RFC 4791 §4.1 asks.
//!
//! Exceptions can come anywhere in the file, so events are first written to a spool
//! file on disk and grouped by UID from an index; memory holds the index and the time
//! zones, not the events. Each event's lines go to the server as they were.

use std::collections::HashMap;
use std::io::{BufRead, Read, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};

use super::lines::{Line, LineReader, canonical_hash};

/// Largest single event (with its exceptions) carried; a larger one is listed.
pub const MAX_OBJECT: usize = 8 * 1024 * 1024;
const MAX_LINE: usize = 256 * 1024;
/// Calendar-level properties and time zones kept in memory at most.
const MAX_HEADER: usize = 4 * 1024 * 1024;

/// One CalDAV object ready to PUT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalObject {
    pub uid: String,
    /// The resource name in the calendar collection (`<uid>.ics`, made safe).
    pub name: String,
    pub bytes: Vec<u8>,
    /// [`canonical_hash`] of `bytes`: what is compared with the server's copy.
    pub hash: [u8; 32],
    pub summary: Option<String>,
    /// Room or resource bookings (Google's rooms do not come across).
    pub rooms: u32,
    /// Google Meet links kept as links to Google.
    pub meet_links: u32,
}

/// An event too large to carry, or a component without an end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub uid: Option<String>,
    pub summary: Option<String>,
    pub bytes: u64,
    pub reason: &'static str,
}

/// The split calendar: its name, and its objects read back from the spool.
pub struct Calendar {
    /// `X-WR-CALNAME`, Google's name for the calendar.
    pub name: Option<String>,
    header: Vec<u8>,
    zones: HashMap<String, Vec<u8>>,
    spool: std::fs::File,
    /// UID → pieces (offset, length) in the spool, in order of first appearance.
    order: Vec<String>,
    pieces: HashMap<String, Vec<(u64, u64)>>,
    pub skipped: Vec<Skipped>,
    /// Bytes of the `.ics` read.
    pub consumed: u64,
}

impl Calendar {
    /// Reads a whole `.ics` stream into the spool.
    pub fn read<R: BufRead>(r: R) -> std::io::Result<Calendar> {
        let mut lines = LineReader::new(r, MAX_LINE);
        let mut cal = Calendar {
            name: None,
            header: Vec::new(),
            zones: HashMap::new(),
            spool: tempfile::tempfile()?,
            order: Vec::new(),
            pieces: HashMap::new(),
            skipped: Vec::new(),
            consumed: 0,
        };
        let mut spool = std::io::BufWriter::new(cal.spool.try_clone()?);
        let mut at = 0u64;
        // The component being read: its kind, lines, nesting depth, uid, summary.
        let mut comp: Option<Component> = None;
        while let Some(line) = lines.next_line()? {
            if let Some(c) = comp.as_mut() {
                c.push(&line);
                if c.depth == 0 {
                    let done = comp.take().expect("a component");
                    cal.finish(done, &mut spool, &mut at)?;
                }
                continue;
            }
            match (line.begins(), line.ends()) {
                (Some(kind), _) if kind == "VCALENDAR" => {}
                (Some(kind), _) => comp = Some(Component::start(kind, &line)),
                (_, Some(_)) => {}
                _ => {
                    let name = line.name();
                    if name == "X-WR-CALNAME" && cal.name.is_none() {
                        cal.name = Some(unescape(line.value()));
                    }
                    if matches!(name.as_str(), "VERSION" | "PRODID" | "CALSCALE")
                        && cal.header.len() + line.raw.len() < MAX_HEADER
                    {
                        cal.header.extend_from_slice(&line.raw);
                    }
                }
            }
        }
        if let Some(c) = comp {
            cal.skipped.push(Skipped {
                uid: c.uid,
                summary: c.summary,
                bytes: c.bytes.len() as u64,
                reason: "cut_off",
            });
        }
        spool.flush()?;
        drop(spool);
        cal.consumed = lines.consumed;
        Ok(cal)
    }

    fn finish(
        &mut self,
        c: Component,
        spool: &mut impl Write,
        at: &mut u64,
    ) -> std::io::Result<()> {
        if c.kind == "VTIMEZONE" {
            let size: usize = self.zones.values().map(Vec::len).sum();
            if let Some(tzid) = c.tzid.clone()
                && size + c.bytes.len() < MAX_HEADER
            {
                self.zones.entry(tzid).or_insert(c.bytes);
            }
            return Ok(());
        }
        if !matches!(c.kind.as_str(), "VEVENT" | "VTODO" | "VJOURNAL") {
            return Ok(());
        }
        if c.too_large {
            self.skipped.push(Skipped {
                uid: c.uid,
                summary: c.summary,
                bytes: c.size,
                reason: "too_large",
            });
            return Ok(());
        }
        let mut bytes = c.bytes;
        let uid = match c.uid {
            Some(u) => u,
            None => {
                // CalDAV needs a UID: one made from the event itself, the same every run.
                let uid = format!("ferry-{}", hex(&Sha256::digest(&bytes)[..16]));
                // Before the closing line as it was read: it is not always the 12
                // bytes of `END:VEVENT` (`end:vevent `, folded, `END:X`), and a UID put
                // a fixed length from the end landed inside a line (move_ics fuzz target).
                let at_end = bytes.len() - c.last;
                let line = format!("UID:{uid}\r\n");
                bytes.splice(at_end..at_end, line.into_bytes());
                uid
            }
        };
        spool.write_all(&bytes)?;
        let len = bytes.len() as u64;
        let entry = self.pieces.entry(uid.clone()).or_default();
        if entry.is_empty() {
            self.order.push(uid);
        }
        entry.push((*at, len));
        *at += len;
        Ok(())
    }

    /// How many objects the calendar gives.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The objects in order, each read back from the spool.
    pub fn objects(
        &mut self,
    ) -> impl Iterator<Item = std::io::Result<Result<CalObject, Skipped>>> + '_ {
        let order = std::mem::take(&mut self.order);
        order.into_iter().map(move |uid| self.object(&uid))
    }

    fn object(&mut self, uid: &str) -> std::io::Result<Result<CalObject, Skipped>> {
        let pieces = self.pieces.remove(uid).unwrap_or_default();
        let total: u64 = pieces.iter().map(|p| p.1).sum();
        let mut body = Vec::with_capacity(total.min(MAX_OBJECT as u64 + 1) as usize);
        if total > MAX_OBJECT as u64 {
            return Ok(Err(Skipped {
                uid: Some(uid.to_owned()),
                summary: None,
                bytes: total,
                reason: "too_large",
            }));
        }
        for (off, len) in pieces {
            self.spool.seek(SeekFrom::Start(off))?;
            (&mut self.spool).take(len).read_to_end(&mut body)?;
        }
        let mut info = Info::default();
        let mut r = LineReader::new(&body[..], MAX_LINE);
        while let Some(l) = r.next_line()? {
            info.note(&l);
        }
        let mut bytes = b"BEGIN:VCALENDAR\r\n".to_vec();
        if self.header.is_empty() {
            bytes.extend_from_slice(b"VERSION:2.0\r\nPRODID:-//Ferry//Moved from Google//EN\r\n");
        } else {
            bytes.extend_from_slice(&self.header);
        }
        for tz in &info.tzids {
            if let Some(z) = self.zones.get(tz) {
                bytes.extend_from_slice(z);
            }
        }
        bytes.extend_from_slice(&body);
        bytes.extend_from_slice(b"END:VCALENDAR\r\n");
        Ok(Ok(CalObject {
            uid: uid.to_owned(),
            name: resource_name(uid, "ics"),
            hash: canonical_hash(&bytes),
            bytes,
            summary: info.summary,
            rooms: info.rooms,
            meet_links: info.meet,
        }))
    }
}

/// What an event names: the time zones it uses, its title, rooms and Meet links.
#[derive(Default)]
struct Info {
    tzids: Vec<String>,
    summary: Option<String>,
    rooms: u32,
    meet: u32,
}

impl Info {
    fn note(&mut self, l: &Line) {
        for tz in l.params("TZID") {
            if !self.tzids.contains(&tz) {
                self.tzids.push(tz);
            }
        }
        match l.name().as_str() {
            "SUMMARY" if self.summary.is_none() => self.summary = Some(unescape(l.value())),
            "ATTENDEE" => {
                let cutype = l.params("CUTYPE").join(",").to_ascii_uppercase();
                if cutype.contains("RESOURCE")
                    || cutype.contains("ROOM")
                    || l.value().contains("resource.calendar.google.com")
                {
                    self.rooms += 1;
                }
            }
            "X-GOOGLE-CONFERENCE" => self.meet += 1,
            _ => {}
        }
    }
}

struct Component {
    kind: String,
    bytes: Vec<u8>,
    size: u64,
    too_large: bool,
    depth: u32,
    /// Bytes of the last line, the one that closed the component.
    last: usize,
    uid: Option<String>,
    tzid: Option<String>,
    summary: Option<String>,
}

impl Component {
    fn start(kind: String, line: &Line) -> Self {
        let mut c = Component {
            kind,
            bytes: Vec::new(),
            size: 0,
            too_large: false,
            depth: 0,
            last: 0,
            uid: None,
            tzid: None,
            summary: None,
        };
        c.push(line);
        c
    }

    fn push(&mut self, line: &Line) {
        if line.begins().is_some() {
            self.depth += 1;
        }
        if line.ends().is_some() {
            self.depth = self.depth.saturating_sub(1);
        }
        // Only the component's own properties (depth 1), not an alarm's.
        if self.depth == 1 {
            match line.name().as_str() {
                "UID" if self.uid.is_none() => {
                    let v = line.value().trim();
                    if !v.is_empty() {
                        self.uid = Some(v.to_owned());
                    }
                }
                "TZID" if self.tzid.is_none() => self.tzid = Some(line.value().trim().to_owned()),
                "SUMMARY" if self.summary.is_none() => self.summary = Some(unescape(line.value())),
                _ => {}
            }
        }
        self.size += line.raw.len() as u64;
        self.last = line.raw.len();
        if self.too_large {
            return;
        }
        if self.bytes.len() + line.raw.len() > MAX_OBJECT {
            self.too_large = true;
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(&line.raw);
        }
    }
}

/// A TEXT value as people read it (`\,` → `,`, `\n` → newline).
pub fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(x) => out.push(x),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A resource name from a UID: kept when it is plain, else its hash.
pub fn resource_name(uid: &str, ext: &str) -> String {
    let plain = !uid.is_empty()
        && uid.len() <= 120
        && uid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@'))
        && !uid.starts_with('.');
    if plain {
        format!("{uid}.{ext}")
    } else {
        format!("{}.{ext}", hex(&Sha256::digest(uid.as_bytes())[..16]))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAL: &str = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Styret\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/Oslo:20240105T180000\r\nRRULE:FREQ=WEEKLY\r\nUID:weekly@google.com\r\nSUMMARY:Styremøte\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nUID:alarm-uid\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20240301T100000Z\r\nSUMMARY:Once\\, with a comma\r\nATTENDEE;CUTYPE=RESOURCE:mailto:c_123@resource.calendar.google.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nRECURRENCE-ID;TZID=Europe/Oslo:20240112T180000\r\nDTSTART;TZID=Europe/Oslo:20240112T190000\r\nUID:weekly@google.com\r\nSUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn events_group_by_uid_with_their_time_zones() {
        let mut cal = Calendar::read(CAL.as_bytes()).unwrap();
        assert_eq!(cal.name.as_deref(), Some("Styret"));
        assert_eq!(cal.len(), 2);
        let objs: Vec<CalObject> = cal.objects().map(|o| o.unwrap().unwrap()).collect();
        let weekly = String::from_utf8(objs[0].bytes.clone()).unwrap();
        assert_eq!(objs[0].uid, "weekly@google.com");
        assert_eq!(objs[0].name, "weekly@google.com.ics");
        assert_eq!(weekly.matches("BEGIN:VEVENT").count(), 2, "{weekly}");
        assert!(weekly.contains("TZID:Europe/Oslo\r\nBEGIN:STANDARD"));
        assert!(!weekly.contains("METHOD"));
        assert!(weekly.starts_with("BEGIN:VCALENDAR\r\nPRODID:-//Google"));
        assert!(weekly.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert_eq!(objs[0].summary.as_deref(), Some("Styremøte"));
        // No UID: one is made from the event, the same every time.
        assert!(objs[1].uid.starts_with("ferry-"));
        assert_eq!(objs[1].rooms, 1);
        assert_eq!(objs[1].summary.as_deref(), Some("Once, with a comma"));
        let again: Vec<CalObject> = Calendar::read(CAL.as_bytes())
            .unwrap()
            .objects()
            .map(|o| o.unwrap().unwrap())
            .collect();
        assert_eq!(again[1].uid, objs[1].uid);
        assert!(!String::from_utf8_lossy(&objs[1].bytes).contains("VTIMEZONE"));
    }

    #[test]
    fn an_unfinished_event_is_listed() {
        let cut = &CAL[..CAL.find("SUMMARY:Moved").unwrap()];
        let cal = Calendar::read(cut.as_bytes()).unwrap();
        assert_eq!(cal.len(), 2);
        assert_eq!(cal.skipped.len(), 1);
        assert_eq!(cal.skipped[0].reason, "cut_off");
    }

    #[test]
    fn odd_uids_become_hashed_names() {
        assert_eq!(resource_name("a/../b", "ics").len(), 32 + 4);
        assert_eq!(resource_name("x@google.com", "vcf"), "x@google.com.vcf");
    }
}
