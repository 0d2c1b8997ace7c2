//! Edits an app's `.env` the way an operator would in `abra app config`: set a key
//! where it is (uncommenting it if the sample had it commented out), else add it;
//! enable an overlay by adding it to `COMPOSE_FILE`.

/// `text` with `key` set to `value`.
pub fn set(text: &str, key: &str, value: &str) -> String {
    let line = format!("{key}={}", written(value));
    let mut done = false;
    let mut out: Vec<String> = Vec::new();
    for l in text.lines() {
        let bare = l.trim_start().trim_start_matches('#').trim_start();
        let is_key = bare
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('='));
        if is_key && !done {
            out.push(line.clone());
            done = true;
        } else if is_key && !l.trim_start().starts_with('#') {
            // A second live assignment would win over ours; comment it out.
            out.push(format!("#{l}"));
        } else {
            out.push(l.to_owned());
        }
    }
    if !done {
        out.push(line);
    }
    out.join("\n") + "\n"
}

/// `text` with `overlay` (e.g. `compose.smtp.yml`) enabled.
pub fn enable_overlay(text: &str, overlay: &str) -> String {
    let line = format!("COMPOSE_FILE=\"$COMPOSE_FILE:{overlay}\"");
    let mut out: Vec<String> = Vec::new();
    let mut found = false;
    for l in text.lines() {
        let bare = l.trim_start().trim_start_matches('#').trim_start();
        if bare == line {
            out.push(line.clone());
            found = true;
        } else {
            out.push(l.to_owned());
        }
    }
    if !found {
        if !text
            .lines()
            .any(|l| l.trim_start().starts_with("COMPOSE_FILE="))
        {
            out.push("COMPOSE_FILE=\"compose.yml\"".to_owned());
        }
        out.push(line);
    }
    out.join("\n") + "\n"
}

/// How `value` is written so that abra's .env reader (godotenv) reads back exactly
/// the value sent: bare when plain; else in single quotes (literal: no `#` comment,
/// no `$` expansion, no trimming); with a `'` in it, in double quotes with `\`, `"`
/// and `$` escaped. (Found by the hostd_envfile fuzz target: a bare `x #y` or `x"`
/// came back as `x`.)
fn written(value: &str) -> String {
    let plain = !value.contains(['#', '"', '\'', '$', '\\', '`']) && value.trim() == value;
    if plain {
        value.to_owned()
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        let mut out = String::from('"');
        for c in value.chars() {
            if matches!(c, '\\' | '"' | '$') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    }
}

/// The value of `key` in `text`, if it is set (not commented out).
pub fn get(text: &str, key: &str) -> Option<String> {
    text.lines().rev().find_map(|l| {
        let v = l.trim_start().strip_prefix(key)?.strip_prefix('=')?;
        if let Some(quoted) = v.strip_prefix('\'') {
            return Some(quoted.split('\'').next().unwrap_or_default().to_owned());
        }
        if let Some(quoted) = v.strip_prefix('"') {
            let (mut out, mut chars) = (String::new(), quoted.chars());
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            return Some(out);
        }
        Some(v.split(" #").next().unwrap_or(v).trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "TYPE=nextcloud\nDOMAIN=nextcloud.example.com\n#LETS_ENCRYPT_ENV=production\nCOMPOSE_FILE=\"compose.yml\"\n#COMPOSE_FILE=\"$COMPOSE_FILE:compose.smtp.yml\"\n#SMTP_HOST=\n";

    #[test]
    fn set_replaces_uncomments_or_appends() {
        let t = set(SAMPLE, "DOMAIN", "cloud.union.example");
        assert!(t.contains("\nDOMAIN=cloud.union.example\n"));
        let t = set(&t, "LETS_ENCRYPT_ENV", "production");
        assert!(t.contains("\nLETS_ENCRYPT_ENV=production\n") && !t.contains("#LETS_ENCRYPT_ENV"));
        let t = set(&t, "NEW_KEY", "1");
        assert!(t.ends_with("NEW_KEY=1\n"));
        assert_eq!(get(&t, "DOMAIN").as_deref(), Some("cloud.union.example"));
        assert_eq!(get(&t, "SMTP_HOST"), None);
    }

    #[test]
    fn overlays_are_enabled_once() {
        let t = enable_overlay(SAMPLE, "compose.smtp.yml");
        assert!(t.contains("\nCOMPOSE_FILE=\"$COMPOSE_FILE:compose.smtp.yml\"\n"));
        assert_eq!(enable_overlay(&t, "compose.smtp.yml"), t);
        let t = enable_overlay(&t, "compose.sso.yml");
        assert!(t.ends_with("COMPOSE_FILE=\"$COMPOSE_FILE:compose.sso.yml\"\n"));
    }

    /// What a client may send comes back from the file exactly, `#`, quotes and all.
    fn round_trips(file: &str, key: &str, value: &str) {
        use ferry_hosting::rules::{is_env_key, is_env_value};
        if is_env_key(key) && is_env_value(value) {
            let t = set(file, key, value);
            assert_eq!(get(&t, key).as_deref(), Some(value), "{t}");
        }
    }

    #[test]
    fn values_with_comments_quotes_and_dollars_round_trip() {
        for v in [
            "mail.example.org\"",
            "a #b",
            " padded ",
            "it's $HOME",
            "\\\"'`",
            "",
            "x#y",
        ] {
            round_trips(SAMPLE, "SMTP_HOST", v);
        }
    }

    /// Inputs the hostd_envfile fuzz target once crashed on (fuzz/regressions/), in
    /// its format: `KEY\tVALUE\tOVERLAY`, newline, the file.
    #[test]
    fn fuzz_regressions() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fuzz/regressions/hostd_envfile"
        );
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let (head, file) = text.split_once('\n').unwrap_or((&text, ""));
            let mut parts = head.splitn(3, '\t');
            let (key, value) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            round_trips(file, key, value);
            let _ = enable_overlay(file, parts.next().unwrap_or(""));
        }
    }
}
