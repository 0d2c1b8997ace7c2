//! ferry-hostd's edits of an app's .env: whatever the file holds, a value set is the
//! value read back, and the edit never drops another line's key.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // First line: key, value, overlay; the rest: the file.
    let (head, file) = text.split_once('\n').unwrap_or((text, ""));
    let mut parts = head.splitn(3, '\t');
    let key = parts.next().unwrap_or("");
    let value = parts.next().unwrap_or("");
    let overlay = parts.next().unwrap_or("");
    use ferry_hosting::rules::{is_env_key, is_env_value, is_overlay};
    let _ = ferry_hostd::envfile::get(file, key);
    if is_env_key(key) && is_env_value(value) {
        let edited = ferry_hostd::envfile::set(file, key, value);
        assert_eq!(
            ferry_hostd::envfile::get(&edited, key).as_deref(),
            Some(value)
        );
    }
    if is_overlay(overlay) {
        let _ = ferry_hostd::envfile::enable_overlay(file, overlay);
    }
});
