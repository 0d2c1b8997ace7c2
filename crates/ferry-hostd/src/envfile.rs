//! Edits an app's `.env` the way an operator would in `abra app config`: set a key
//! where it is (uncommenting it if the sample had it commented out), else add it;
//! enable an overlay by adding it to `COMPOSE_FILE`.

/// `text` with `key` set to `value`.
pub fn set(text: &str, key: &str, value: &str) -> String {
    let line = format!("{key}={value}");
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

/// The value of `key` in `text`, if it is set (not commented out).
pub fn get<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().rev().find_map(|l| {
        l.trim_start()
            .strip_prefix(key)
            .and_then(|r| r.strip_prefix('='))
            .map(|v| v.split(" #").next().unwrap_or(v).trim().trim_matches('"'))
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
        assert_eq!(get(&t, "DOMAIN"), Some("cloud.union.example"));
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
}
