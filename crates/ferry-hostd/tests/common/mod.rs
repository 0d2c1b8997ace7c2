//! A real ferry-hostd process on loopback with the fake abra in this folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const WRITE: &str = "write-token-for-tests";
pub const READ: &str = "read-token-for-tests";
/// Another client organisation of the same co-op.
pub const OTHER: &str = "other-organisation-write-token";
pub const OTHER_READ: &str = "other-organisation-read-token";
pub const SECRET: &str = "oidc-secret-7f3a9c-'\"$(id)";

pub struct Host {
    pub dir: tempfile::TempDir,
    child: Option<Child>,
    pub base: String,
    pub stderr: PathBuf,
    extra: String,
}

pub fn write_config(dir: &Path, env: &[(&str, &str)], extra: &str) -> PathBuf {
    let wrapper = ferry_hostd::testing::fake_abra(dir, env);
    let hash = ferry_hostd::config::hash_token;
    let config = format!(
        r#"
listen = "127.0.0.1:0"
database = "{db}"
abra = "{abra}"
abra_dir = "{abra_dir}"
servers = ["swarm1.coop.example", "swarm2.coop.example"]
step_timeout_secs = 30
max_body_bytes = 65536
requests_per_minute = 1000
{extra}
[[organisations]]
id = "fagforbundet-bergen"
name = "Fagforbundet Bergen"
[[organisations]]
id = "other-org"
name = "Another organisation"
[[tokens]]
name = "ferry"
organisation = "fagforbundet-bergen"
sha256 = "{w}"
scope = "write"
[[tokens]]
name = "dashboard"
organisation = "fagforbundet-bergen"
sha256 = "{r}"
scope = "read"
[[tokens]]
name = "other"
organisation = "other-org"
sha256 = "{o}"
scope = "write"
[[tokens]]
name = "other-dashboard"
organisation = "other-org"
sha256 = "{or}"
scope = "read"
[[offers]]
recipe = "nextcloud"
note = "Files, calendar and contacts"
price = "12 EUR / month"
export_keys = ["SMTP_HOST"]
[[offers]]
recipe = "hedgedoc"
[[offers]]
recipe = "keycloak"
note = "The sign-in service"
"#,
        db = dir.join("orders.sqlite").display(),
        abra = wrapper.display(),
        abra_dir = dir.join("abra-home").display(),
        w = hash(WRITE),
        r = hash(READ),
        o = hash(OTHER),
        or = hash(OTHER_READ),
    );
    let path = dir.join("ferry-hostd.toml");
    std::fs::write(&path, config).unwrap();
    path
}

impl Host {
    pub async fn start(env: &[(&str, &str)]) -> Host {
        Host::start_with(env, "").await
    }

    /// With `extra` top-level settings in the configuration (e.g. timeouts, quotas).
    pub async fn start_with(env: &[(&str, &str)], extra: &str) -> Host {
        let dir = tempfile::tempdir().unwrap();
        let mut host = Host {
            stderr: dir.path().join("stderr.log"),
            dir,
            child: None,
            base: String::new(),
            extra: extra.to_owned(),
        };
        host.restart(env).await;
        host
    }

    pub async fn restart(&mut self, env: &[(&str, &str)]) {
        let config = write_config(self.dir.path(), env, &self.extra);
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.stderr)
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ferry-hostd"))
            .args(["serve", "--config", config.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("ferry-hostd starts")
            .unwrap()
            .expect("ferry-hostd prints its address");
        self.base = format!("http://{}", line.strip_prefix("listening on ").unwrap());
        self.child = Some(child);
    }

    /// Ends the server the hard way, as a power cut would.
    pub async fn crash(&mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().await.unwrap();
    }

    pub fn calls(&self) -> Vec<Vec<String>> {
        ferry_hostd::testing::recorded_calls(self.dir.path())
    }

    /// `domain name version sha256` of each secret the fake abra was given.
    pub fn inserted_secrets(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("calls.secrets"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The server's own log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    pub fn env_file(&self, domain: &str) -> String {
        std::fs::read_to_string(
            self.dir
                .path()
                .join("abra-home/servers/swarm1.coop.example")
                .join(format!("{domain}.env")),
        )
        .unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

pub fn sha256(s: &str) -> String {
    ferry_hostd::config::hash_token(s)
}

/// An order of `apps` (recipe, domain) with the given `.env` values and secrets.
pub fn order_of(
    apps: &[(&str, &str)],
    env: serde_json::Value,
    secrets: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "organisation": "Fagforbundet Bergen",
        "apps": apps.iter().map(|(recipe, domain)| serde_json::json!({
            "recipe": recipe,
            "domain": domain,
            "env": env,
            "secrets": secrets,
        })).collect::<Vec<_>>()
    })
}

impl Host {
    /// POSTs `body` to `path` with `token` (and an Idempotency-Key for orders).
    pub async fn post(
        &self,
        token: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        client()
            .post(self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", format!("k-{}", uuid_like()))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Orders `body` with `token`; the new order's id.
    pub async fn order(&self, token: &str, body: &serde_json::Value) -> String {
        let r = self.post(token, "/v1/orders", body).await;
        assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
        let v: serde_json::Value = r.json().await.unwrap();
        v["id"].as_str().unwrap().to_owned()
    }

    /// Waits until every app of order `id` (read with `token`) is in a final state.
    pub async fn settled(&self, token: &str, id: &str) -> serde_json::Value {
        for _ in 0..300 {
            let s: serde_json::Value = self
                .get(token, &format!("/v1/orders/{id}"))
                .await
                .json()
                .await
                .unwrap();
            if s["is_final"] == true {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("order {id} did not settle");
    }
}

/// A different string each call, for idempotency keys.
pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}
