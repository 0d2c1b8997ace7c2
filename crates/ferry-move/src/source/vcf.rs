//! Google Contacts' `.vcf` export (vCard 3.0, photos inline as base64) cut into
//! CardDAV objects, one card at a time from a stream. Google's cards have no UID,
//! which CardDAV requires (RFC 6352 §5.1): one is made from the card's own content,
//! so every run names the same card the same way and a second run finds it there.

use std::io::BufRead;

use sha2::{Digest, Sha256};

use super::ics::{hex, resource_name, unescape};
use super::lines::{LineReader, canonical_hash};

/// Largest card carried (a big photo is a few hundred kilobytes).
pub const MAX_CARD: usize = 8 * 1024 * 1024;
const MAX_LINE: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub uid: String,
    pub name: String,
    pub bytes: Vec<u8>,
    pub hash: [u8; 32],
    pub full_name: Option<String>,
    /// Google's contact groups (`CATEGORIES`), which stay labels on the card.
    pub groups: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedCard {
    pub full_name: Option<String>,
    pub bytes: u64,
    pub reason: &'static str,
}

pub struct CardReader<R> {
    lines: LineReader<R>,
}

impl<R: BufRead> CardReader<R> {
    pub fn new(r: R) -> Self {
        CardReader {
            lines: LineReader::new(r, MAX_LINE),
        }
    }

    pub fn consumed(&self) -> u64 {
        self.lines.consumed
    }

    /// The next card, or a card that could not be carried; `None` at the end.
    pub fn next_card(&mut self) -> std::io::Result<Option<Result<Card, SkippedCard>>> {
        // Up to the next BEGIN:VCARD.
        let first = loop {
            match self.lines.next_line()? {
                None => return Ok(None),
                Some(l) if l.begins().as_deref() == Some("VCARD") => break l,
                Some(_) => {}
            }
        };
        let mut bytes = first.raw.clone();
        let mut size = bytes.len() as u64;
        let mut too_large = false;
        let (mut uid, mut full_name, mut groups) = (None, None, 0u32);
        let mut depth = 1u32;
        let mut ended = false;
        // Bytes of the line that closed the card.
        let mut last = 0;
        while let Some(l) = self.lines.next_line()? {
            if l.begins().is_some() {
                depth += 1;
            }
            let end = l.ends().is_some();
            if depth == 1 && !end {
                match l.name().as_str() {
                    "UID" if uid.is_none() => {
                        let v = l.value().trim();
                        if !v.is_empty() {
                            uid = Some(v.to_owned());
                        }
                    }
                    "FN" if full_name.is_none() => full_name = Some(unescape(l.value())),
                    "CATEGORIES" => groups += 1,
                    _ => {}
                }
            }
            size += l.raw.len() as u64;
            if !too_large {
                if bytes.len() + l.raw.len() > MAX_CARD {
                    too_large = true;
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(&l.raw);
                }
            }
            if end {
                depth -= 1;
                if depth == 0 {
                    ended = true;
                    last = l.raw.len();
                    break;
                }
            }
        }
        if too_large || !ended {
            return Ok(Some(Err(SkippedCard {
                full_name,
                bytes: size,
                reason: if too_large { "too_large" } else { "cut_off" },
            })));
        }
        let uid = match uid {
            Some(u) => u,
            None => {
                let uid = format!("ferry-{}", hex(&Sha256::digest(&bytes)[..16]));
                // Before the closing line as it was read: not always the 11 bytes of
                // `END:VCARD` (`end:vcard `, folded, `END:X`), and a UID put a fixed
                // length from the end landed inside a line (move_vcf fuzz target).
                let end_at = bytes.len() - last;
                bytes.splice(end_at..end_at, format!("UID:{uid}\r\n").into_bytes());
                uid
            }
        };
        Ok(Some(Ok(Card {
            name: resource_name(&uid, "vcf"),
            hash: canonical_hash(&bytes),
            uid,
            bytes,
            full_name,
            groups,
        })))
    }
}

impl<R: BufRead> Iterator for CardReader<R> {
    type Item = std::io::Result<Result<Card, SkippedCard>>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_card().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_split_and_get_a_stable_uid() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Kari Nordmann\nN:Nordmann;Kari;;;\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\n SkZJRg==\nCATEGORIES:myContacts,Styret\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nUID:known\nFN:Ola\nEND:VCARD\nBEGIN:VCARD\nFN:cut";
        let cards: Vec<_> = CardReader::new(text.as_bytes())
            .map(|c| c.unwrap())
            .collect();
        assert_eq!(cards.len(), 3);
        let kari = cards[0].as_ref().unwrap();
        assert!(kari.uid.starts_with("ferry-"));
        assert_eq!(kari.full_name.as_deref(), Some("Kari Nordmann"));
        let s = String::from_utf8(kari.bytes.clone()).unwrap();
        assert!(
            s.ends_with(&format!("UID:{}\r\nEND:VCARD\r\n", kari.uid)),
            "{s}"
        );
        assert!(s.contains("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n SkZJRg==\r\n"));
        assert_eq!(cards[1].as_ref().unwrap().name, "known.vcf");
        assert_eq!(cards[2].as_ref().unwrap_err().reason, "cut_off");
        let again = CardReader::new(text.as_bytes())
            .next()
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(again.uid, kari.uid);
    }
}
