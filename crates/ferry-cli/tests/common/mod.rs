//! Running the real `ferry-cli` binary against a library in a temporary folder.
// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn ferry(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferry-cli"))
        .args(args)
        .env("FERRY_DATA_DIR", data)
        .output()
        .unwrap()
}

/// Everything the command printed, stdout then stderr.
pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
