//! Running the real `ferry-cli` binary against a library in a temporary folder.
// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// The binary with its library in `data`, on a computer whose language is none of
/// Ferry's (`LANG=C`, so English unless a plan file or `--lang` says otherwise),
/// whatever the machine running the tests has set.
pub fn command(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ferry-cli"));
    c.env("FERRY_DATA_DIR", data)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("FERRY_LANG")
        .env("LANG", "C");
    c
}

pub fn ferry(data: &Path, args: &[&str]) -> Output {
    command(data).args(args).output().unwrap()
}

/// Everything the command printed, stdout then stderr.
pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Whether one line holds all of `parts` (for table rows whose padding follows the words).
pub fn has_line(text: &str, parts: &[&str]) -> bool {
    text.lines().any(|l| parts.iter().all(|p| l.contains(p)))
}

fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let path = format!("{}/../../messages/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The lines of `text` that hold a phrase of another language's messages: a piece of
/// two words or more between placeholders, from a message `lang` words differently.
pub fn foreign_lines(text: &str, lang: &str) -> Vec<String> {
    let own = catalogue(lang);
    let mut phrases = Vec::new();
    for other in ["en", "nb", "de", "es"].into_iter().filter(|l| *l != lang) {
        for (key, message) in catalogue(other) {
            if own.get(&key) == Some(&message) {
                continue;
            }
            for piece in message.split(['{', '}']).step_by(2) {
                let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
                let words = piece.split_whitespace().count();
                if words >= 2 && piece.chars().count() >= 12 {
                    phrases.push(piece.to_owned());
                }
            }
        }
    }
    text.lines()
        .filter(|line| phrases.iter().any(|p| line.contains(p.as_str())))
        .map(str::to_owned)
        .collect()
}
