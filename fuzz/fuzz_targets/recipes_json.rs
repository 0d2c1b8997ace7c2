//! The catalogue's recipes.json as downloaded (lenient: bad entries are skipped).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(parsed) = ferry_catalogue::recipe::parse_catalogue(text)
    {
        for r in parsed.recipes.iter() {
            let _ = r.latest_version();
        }
    }
});
