//! A `.ferry.json` file as imported (format, schema version and migration, every field, the rules).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(plan) = ferry_core::exchange::parse_file_text(text)
    {
        // What was accepted must write back out and read again.
        let again = ferry_core::exchange::to_file_text(&plan);
        ferry_core::exchange::parse_file_text(&again).expect("an accepted plan round-trips");
    }
});
