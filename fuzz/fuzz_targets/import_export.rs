//! An admin-console export or Takeout archive a person chooses to import: CSV in any
//! dialect Ferry accepts (UTF-8, UTF-16, Windows-1252; `,` `;` or tab) or a zip read
//! from its index. Each must end in a preview or a clear error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut import = ferry_import::Importer::default();
    if import.add_bytes("export.csv", data).is_ok() {
        let preview = import.preview();
        let _ = preview.members();
        let _ = serde_json::to_string(&preview);
    }
});
