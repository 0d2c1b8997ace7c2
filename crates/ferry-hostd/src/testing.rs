//! For tests and the load check of this and other crates: a loopback ferry-hostd
//! whose abra is the fake in `tests/fake-abra` (feature `test-support`).

use std::path::{Path, PathBuf};

use crate::config::{Config, Offer, Organisation, Quotas, Scope, Token, hash_token};

/// What the loopback configuration offers: the recipes other crates' tests order
/// (the end-to-end tests order mailu and jitsi beside nextcloud and outline).
pub const OFFERED: [&str; 9] = [
    "keycloak",
    "nextcloud",
    "hedgedoc",
    "outline",
    "discourse",
    "matrix-synapse",
    "wordpress",
    "mailu",
    "jitsi",
];

/// Writes `dir/abra`, a wrapper that runs the fake abra with `env` set and records
/// every call to `dir/calls`. Returns the wrapper's path.
pub fn fake_abra(dir: &Path, env: &[(&str, &str)]) -> PathBuf {
    let wrapper = dir.join("abra");
    let mut script = format!(
        "#!/bin/sh\nexport FAKE_ABRA_RECORD='{}'\n",
        dir.join("calls").display()
    );
    for (k, v) in env {
        script.push_str(&format!("export {k}='{v}'\n"));
    }
    script.push_str(&format!(
        "exec '{}' \"$@\"\n",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fake-abra")
            .display()
    ));
    std::fs::write(&wrapper, script).expect("write the fake abra wrapper");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
        .expect("make the fake abra executable");
    wrapper
}

/// Whether the fake abra in `dir` was given `value` as the secret `name` (version
/// `version`) of `domain`, on its standard input: it records only a sha256 of it.
pub fn secret_inserted(dir: &Path, domain: &str, name: &str, version: &str, value: &str) -> bool {
    use sha2::Digest;
    let sum: String = sha2::Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let want = format!("{domain} {name} {version} {sum}");
    std::fs::read_to_string(dir.join("calls.secrets"))
        .unwrap_or_default()
        .lines()
        .any(|l| l == want)
}

/// The calls the fake abra recorded in `dir`, each as its argument list. A last line
/// still being written (no newline yet) is not a call yet.
pub fn recorded_calls(dir: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(dir.join("calls"))
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
        .map(|l| {
            l.split('\u{1f}')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// A configuration on 127.0.0.1 (any port) with its database and abra state in
/// `dir`, the fake abra, the given servers, one organisation (`test`) with one write
/// token, and the recipes in [`OFFERED`].
pub fn loopback_config(dir: &Path, servers: &[&str], write_token: &str) -> Config {
    Config {
        listen: "127.0.0.1:0".into(),
        database: dir.join("orders.sqlite"),
        abra: fake_abra(dir, &[]),
        abra_dir: dir.join("abra-home"),
        servers: servers.iter().map(|s| (*s).to_owned()).collect(),
        step_timeout_secs: 30,
        max_body_bytes: 65536,
        requests_per_minute: 100_000,
        public_url: None,
        header_timeout_secs: 10,
        request_timeout_secs: 30,
        max_connections: 512,
        max_connections_per_address: 256,
        failed_logins_per_minute: 1000,
        quotas: Quotas {
            max_queued_apps: 1000,
            ..Quotas::default()
        },
        organisations: vec![Organisation {
            id: "test".into(),
            name: "Test organisation".into(),
            max_queued_apps: None,
            max_stored_bytes: None,
        }],
        tokens: vec![Token {
            name: "test".into(),
            organisation: Some("test".into()),
            sha256: hash_token(write_token),
            scope: Scope::Write,
        }],
        offers: OFFERED
            .iter()
            .map(|r| Offer {
                recipe: (*r).into(),
                note: String::new(),
                price: String::new(),
                export_keys: Vec::new(),
            })
            .collect(),
        sign_in_address: "https://{domain}".into(),
    }
}

/// Makes `config`'s co-op "deploy" the keycloak recipe onto the real Keycloak at `url`
/// (scripts/keycloak): the fake abra gives it the recipe's administrator with the
/// credential this server made, and hands that Keycloak's address over with it.
pub fn deploys_keycloak_to(config: &mut Config, dir: &Path, url: &str, env: &[(&str, &str)]) {
    let mut env = env.to_vec();
    env.push(("FAKE_ABRA_KEYCLOAK_URL", url));
    config.abra = fake_abra(dir, &env);
    config.sign_in_address = url.to_owned();
}

/// How many times the fake abra in `dir` deployed `domain` (`abra app deploy`).
pub fn deploys_of(dir: &Path, domain: &str) -> usize {
    recorded_calls(dir)
        .iter()
        .filter(|c| {
            c.len() > 2 && c[0] == "app" && c[1] == "deploy" && c.iter().any(|a| a == domain)
        })
        .count()
}
