//! A Google Contacts `.vcf` export as the mover reads it, card by card from a stream:
//! no panic, and what `ferry_move::fuzz::vcf` asserts (the same cards whatever the read
//! buffer, hashes matching, each card reading back as itself with its UID).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferry_move::fuzz::vcf(data);
});
