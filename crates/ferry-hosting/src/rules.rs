//! What a request may contain. Everything here ends up as an argument to `abra` or a
//! line in an `.env` file, so the rules are strict allow-lists: no quoting is ever
//! needed, and nothing can name a path outside the co-op's own folders.

use crate::api::{FieldError, OrderRequest};

pub const MAX_APPS: usize = 50;
/// A petabyte: the largest storage an order may ask for.
pub const MAX_STORAGE_GB: u32 = 1_000_000;
pub const MAX_ENV: usize = 100;
pub const MAX_VALUE: usize = 4096;
/// Supplied secrets per app: recipes declare a handful; thousands are an attack on memory.
pub const MAX_SECRETS: usize = 32;

/// A DNS name: labels of a–z, 0–9 and inner hyphens, at least two labels.
pub fn is_domain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').count() >= 2
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// A recipe name as in the Co-op Cloud catalogue, which is also a folder name.
pub fn is_recipe(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A recipe version such as `2.3.0+1.21.1`.
pub fn is_version(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-_".contains(c))
}

/// An `.env` key: upper case, digits and underscores, not starting with a digit.
pub fn is_env_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// An `.env` value: one line of printable text. The env file is read by abra, not a
/// shell, but a newline would still start a new key.
pub fn is_env_value(s: &str) -> bool {
    s.len() <= MAX_VALUE && !s.chars().any(|c| c.is_control())
}

/// Keys abra and the co-op set, never an order: the app's identity and routing
/// (`TYPE`, `DOMAIN`, `EXTRA_DOMAINS`, any `*_DOMAIN`: Traefik rules are built from
/// them), which files are deployed (`COMPOSE_FILE`; overlays have their own field),
/// certificates, secret versions (`SECRET_*_VERSION`: they pick which swarm secret is
/// mounted), and what abra runs after a deploy.
pub fn is_reserved_env_key(key: &str) -> bool {
    const EXACT: [&str; 10] = [
        "TYPE",
        "RECIPE",
        "DOMAIN",
        "EXTRA_DOMAINS",
        "COMPOSE_FILE",
        "LETS_ENCRYPT_ENV",
        "STACK_NAME",
        "SERVER",
        "TIMEOUT",
        "CHAOS",
    ];
    const PREFIXES: [&str; 7] = [
        "ABRA_",
        "DOCKER_",
        "COMPOSE_",
        "TRAEFIK_",
        "LETS_ENCRYPT_",
        "POST_DEPLOY",
        "POST_UPGRADE",
    ];
    EXACT.contains(&key)
        || PREFIXES.iter().any(|p| key.starts_with(p))
        || key.ends_with("_DOMAIN")
        || key.ends_with("_DOMAINS")
        || (key.starts_with("SECRET_") && key.ends_with("_VERSION"))
}

/// A secret name as recipes declare them (`db_password`).
pub fn is_secret_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A secret version, `v1`, `v2`….
pub fn is_secret_version(s: &str) -> bool {
    s.len() <= 8
        && s.strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// An overlay file such as `compose.smtp.yml`.
pub fn is_overlay(s: &str) -> bool {
    s.len() <= 64
        && s.starts_with("compose.")
        && s.ends_with(".yml")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
        && !s.contains("..")
}

/// Every problem with an order, each naming its field.
pub fn check_order(o: &OrderRequest) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut secrets = Vec::new();
    let mut bad = |field: String, problem: &str| {
        out.push(FieldError {
            field,
            problem: problem.to_owned(),
        })
    };
    let org = o.organisation.trim();
    if org.is_empty() || org.chars().count() > 200 || org.chars().any(char::is_control) {
        bad(
            "organisation".into(),
            "must be 1–200 characters of plain text",
        );
    }
    if let Some(server) = &o.server
        && !is_domain(server)
    {
        bad("server".into(), "must be a server's domain name");
    }
    if o.storage_gb
        .is_some_and(|gb| gb == 0 || gb > MAX_STORAGE_GB)
    {
        bad("storage_gb".into(), "must be 1–1000000 (GB)");
    }
    if let Some(key) = &o.seal_to {
        if !crate::handover::is_seal_key(key) {
            bad("seal_to".into(), "must be an age public key (age1…)");
        } else if !o
            .apps
            .iter()
            .any(|a| crate::handover::sign_in_recipe(&a.recipe).is_some())
        {
            bad(
                "seal_to".into(),
                "is only for an order with a sign-in service (keycloak, authentik or rauthy)",
            );
        }
    }
    if o.apps.is_empty() || o.apps.len() > MAX_APPS {
        bad("apps".into(), "must list 1–50 apps");
    }
    for (i, a) in o.apps.iter().enumerate() {
        let f = |name: &str| format!("apps[{i}].{name}");
        if !is_recipe(&a.recipe) {
            bad(f("recipe"), "must be a recipe name such as nextcloud");
        }
        if a.version.as_deref().is_some_and(|v| !is_version(v)) {
            bad(f("version"), "must be a recipe version such as 1.2.0+3.4.5");
        }
        if !is_domain(&a.domain) {
            bad(
                f("domain"),
                "must be a domain name such as cloud.example.org",
            );
        } else if o.apps[..i].iter().any(|b| b.domain == a.domain) {
            bad(f("domain"), "is used by another app in this order");
        }
        if a.env.len() > MAX_ENV {
            bad(f("env"), "has more than 100 values");
        }
        for (k, v) in &a.env {
            if !is_env_key(k) {
                bad(
                    format!("apps[{i}].env.{k}"),
                    "keys are upper case letters, digits and _",
                );
            } else if is_reserved_env_key(k) {
                bad(
                    format!("apps[{i}].env.{k}"),
                    "is set by the co-op, not by an order (domains, recipe, overlays and secret versions have their own fields)",
                );
            } else if !is_env_value(v) {
                bad(
                    format!("apps[{i}].env.{k}"),
                    "values are one line without control characters",
                );
            }
        }
        for (j, ov) in a.overlays.iter().enumerate() {
            if !is_overlay(ov) {
                bad(
                    format!("apps[{i}].overlays[{j}]"),
                    "must be a file name such as compose.smtp.yml",
                );
            }
        }
        secrets.extend(check_secrets(&format!("apps[{i}].secrets"), &a.secrets));
    }
    out.extend(secrets);
    out
}

/// Every problem with supplied secrets (an order's or a retry's), each naming its
/// field under `prefix`. Values reach abra on its standard input, never as an
/// argument, so a value may be any text (a leading `-` included).
pub fn check_secrets(prefix: &str, secrets: &[crate::api::SuppliedSecret]) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut bad = |field: String, problem: &str| {
        out.push(FieldError {
            field,
            problem: problem.to_owned(),
        })
    };
    if secrets.len() > MAX_SECRETS {
        bad(prefix.to_owned(), "has more than 32 secrets");
        return out;
    }
    for (j, s) in secrets.iter().enumerate() {
        if !is_secret_name(&s.name) {
            bad(
                format!("{prefix}[{j}].name"),
                "must be a secret name such as db_password",
            );
        } else if secrets[..j].iter().any(|o| o.name == s.name) {
            bad(format!("{prefix}[{j}].name"), "is given twice");
        }
        if !is_secret_version(&s.version) {
            bad(format!("{prefix}[{j}].version"), "must be v1, v2, …");
        }
        if s.value.is_empty() || s.value.len() > MAX_VALUE || s.value.contains('\0') {
            bad(format!("{prefix}[{j}].value"), "must be 1–4096 bytes");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        for d in [
            "a.b; rm -rf /",
            "$(reboot).example.org",
            "../etc",
            "example",
            "-x.org",
            "x..org",
            "UPPER.org",
            "a b.org",
            "x.org\n",
        ] {
            assert!(!is_domain(d), "{d:?}");
        }
        for d in ["cloud.example.org", "a-b.c9.org", "xn--bcher-kva.example"] {
            assert!(is_domain(d), "{d:?}");
        }
        for r in [
            "../nextcloud",
            "next/cloud",
            ".hidden",
            "nextcloud;ls",
            "",
            "Nextcloud",
            "a b",
        ] {
            assert!(!is_recipe(r), "{r:?}");
        }
        assert!(is_recipe("matrix-synapse") && is_recipe("backup-bot-two"));
        for k in ["lower", "1ABC", "A-B", "A B", "PATH=x", ""] {
            assert!(!is_env_key(k), "{k:?}");
        }
        assert!(is_env_key("LETS_ENCRYPT_ENV") && is_env_key("_X1"));
        for k in [
            "DOMAIN",
            "EXTRA_DOMAINS",
            "TYPE",
            "RECIPE",
            "COMPOSE_FILE",
            "LETS_ENCRYPT_ENV",
            "SECRET_DB_PASSWORD_VERSION",
            "NEXTCLOUD_DOMAIN",
            "POST_DEPLOY_CMDS",
            "ABRA_DIR",
        ] {
            assert!(is_reserved_env_key(k), "{k}");
        }
        for k in ["SMTP_HOST", "OIDC_CLIENT_ID", "SECRET_KEY", "DOMAINLESS_X"] {
            assert!(!is_reserved_env_key(k), "{k}");
        }
        assert!(!is_env_value("a\nB=c") && is_env_value("production # a comment, $HOME"));
        assert!(is_secret_version("v12") && !is_secret_version("v") && !is_secret_version("1"));
        assert!(
            is_overlay("compose.smtp.yml")
                && !is_overlay("compose.../../x.yml")
                && !is_overlay("compose/x.yml")
        );
    }

    #[test]
    fn storage_is_a_sane_number_of_gigabytes_or_absent() {
        let order = |storage_gb| OrderRequest {
            organisation: "Lag".into(),
            server: None,
            storage_gb,
            seal_to: None,
            apps: vec![crate::api::AppRequest {
                recipe: "nextcloud".into(),
                version: None,
                domain: "cloud.lag.example".into(),
                env: Default::default(),
                overlays: Vec::new(),
                generate_secrets: true,
                secrets: Vec::new(),
            }],
        };
        assert!(check_order(&order(None)).is_empty());
        assert!(check_order(&order(Some(28))).is_empty());
        for bad in [0, MAX_STORAGE_GB + 1] {
            let problems = check_order(&order(Some(bad)));
            assert_eq!(problems.len(), 1, "{bad}");
            assert_eq!(problems[0].field, "storage_gb");
        }
    }

    #[test]
    fn a_seal_key_is_an_age_key_and_only_for_an_order_with_a_sign_in_service() {
        let order = |recipe: &str, seal_to: Option<&str>| OrderRequest {
            organisation: "Lag".into(),
            server: None,
            storage_gb: None,
            seal_to: seal_to.map(str::to_owned),
            apps: vec![crate::api::AppRequest {
                recipe: recipe.into(),
                version: None,
                domain: "login.lag.example".into(),
                env: Default::default(),
                overlays: Vec::new(),
                generate_secrets: true,
                secrets: Vec::new(),
            }],
        };
        let key = crate::handover::SealKey::generate().public();
        let key = key.as_str();
        for recipe in ["keycloak", "authentik", "rauthy"] {
            assert!(
                check_order(&order(recipe, Some(key))).is_empty(),
                "{recipe}"
            );
            assert!(check_order(&order(recipe, None)).is_empty(), "{recipe}");
        }
        let fields = |o| {
            check_order(&o)
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(order("nextcloud", Some(key))), ["seal_to"]);
        assert_eq!(fields(order("keycloak", Some("age1xyz"))), ["seal_to"]);
        assert_eq!(
            fields(order("keycloak", Some(&key.replace('q', "b")))),
            ["seal_to"]
        );
        // A plain X25519 key is not what Ferry makes.
        let x25519 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        assert_eq!(fields(order("keycloak", Some(x25519))), ["seal_to"]);
    }
}
