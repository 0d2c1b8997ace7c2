//! Shared by the integration tests: fixture paths and a one-file import.

#![allow(dead_code)]

use std::path::PathBuf;

use ferry_import::{ImportError, Importer, Preview};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn preview_of(names: &[&str]) -> Preview {
    let mut import = Importer::default();
    for n in names {
        import
            .add_path(&fixture(n))
            .unwrap_or_else(|e| panic!("{n}: {e}"));
    }
    import.preview()
}

pub fn error_of(name: &str, bytes: &[u8]) -> ImportError {
    Importer::default().add_bytes(name, bytes).unwrap_err()
}
