//! The SSO members list (name, email, groups) a person uploads.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let groups =
            ["members", "board", "app-nextcloud"].map(|g| ferry_sso::desired::DesiredGroup {
                name: g.into(),
                local: g.into(),
                legacy: false,
            });
        let _ = ferry_sso::members::parse_csv(text, &groups);
    }
});
