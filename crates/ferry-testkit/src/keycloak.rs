//! The real Keycloak that `scripts/keycloak run` starts beside `make test`'s cargo
//! test: its address once it answers (awaited, not slept on), and its bootstrap admin.
//! Without one, a developer's run says SKIPPED; CI's (CI=true) fails.

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct Started {
    pub url: String,
    pub admin: String,
    pub password: String,
    /// From the start command to the first ready answer of its health check.
    pub startup_seconds: u64,
    pub version: String,
}

/// How long to wait for Keycloak to answer: its start-up overlaps the build, but a
/// busy 2-core machine has taken over a minute.
const WAIT: Duration = Duration::from_secs(480);

fn missing(why: &str) -> Option<Started> {
    let msg = format!(
        "no real Keycloak: {why}. Run the test under `scripts/keycloak run -- cargo test …` \
         (scripts/setup fetches it once per machine)"
    );
    assert!(
        std::env::var("CI").map_or(true, |v| v.is_empty()),
        "{msg} (make test starts it; in CI a missing Keycloak is a failure)"
    );
    eprintln!("SKIPPED: {msg}");
    None
}

/// The running Keycloak, once it answers; `None` (said on stderr) outside CI when
/// there is none.
pub async fn keycloak() -> Option<Started> {
    let Some(state) = std::env::var_os("FERRY_KEYCLOAK_STATE").map(PathBuf::from) else {
        return missing("FERRY_KEYCLOAK_STATE is not set");
    };
    if let Ok(why) = std::fs::read_to_string(state.join("missing")) {
        return missing(why.trim());
    }
    let since = Instant::now();
    loop {
        if let Ok(why) = std::fs::read_to_string(state.join("failed")) {
            let log = std::fs::read_to_string(state.join("keycloak.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            panic!(
                "Keycloak did not start: {}\n{}",
                why.trim(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        if let Ok(ready) = std::fs::read_to_string(state.join("ready")) {
            let get = |key: &str| {
                ready
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{key}=")))
                    .unwrap_or_default()
                    .to_owned()
            };
            let env =
                |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
            return Some(Started {
                url: get("url"),
                admin: env("FERRY_KEYCLOAK_ADMIN"),
                password: env("FERRY_KEYCLOAK_PASSWORD"),
                startup_seconds: get("startup_seconds").parse().unwrap_or_default(),
                version: get("version"),
            });
        }
        assert!(
            since.elapsed() < WAIT,
            "Keycloak was not ready after {} s",
            WAIT.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
