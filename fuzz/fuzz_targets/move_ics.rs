//! A Google Calendar `.ics` export as the mover reads it: spooled, grouped by UID into
//! CalDAV objects with their time zones. No panic, and what `ferry_move::fuzz::ics`
//! asserts (the same objects whatever the read buffer, hashes matching, each object
//! reading back as itself).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferry_move::fuzz::ics(data);
});
