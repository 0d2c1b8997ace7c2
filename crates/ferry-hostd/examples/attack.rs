//! Attack check (run by `scripts/attack-hostd`): the real ferry-hostd binary
//! (FERRY_HOSTD_BIN) with the fake abra, two client organisations, and an internet
//! client holding a valid token of the second one trying what issue #31 found: take
//! over, read, cancel, retry and export the first one's apps, smuggle keys and
//! arguments to abra, flood the queue, hold idle and slow connections, guess tokens.
//! Prints one line per defence and figures (honest p95 under a flood, idle
//! connections still open); exits 1 if any defence failed.
//!
//!   attack [ORDERS_FLOODED] [IDLE_CONNECTIONS]     (defaults 2000 and 1100)

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const A: &str = "org-a-write-token";
const A_READ: &str = "org-a-read-token";
const B: &str = "org-b-write-token";
const SECRET: &str = "S3cret-of-A-9f1c";
const HEADER_TIMEOUT: u64 = 2;
const QUEUED_QUOTA: usize = 20;

fn config(dir: &Path) -> std::path::PathBuf {
    let abra = ferry_hostd::testing::fake_abra(
        dir,
        &[
            ("FAKE_ABRA_DELAY", "0.05"),
            ("FAKE_ABRA_FAIL_DOMAIN", "failing.a.example"),
        ],
    );
    let h = ferry_hostd::config::hash_token;
    let text = format!(
        r#"listen = "127.0.0.1:0"
database = "{db}"
abra = "{abra}"
abra_dir = "{home}"
servers = ["swarm1.coop.example", "swarm2.coop.example"]
step_timeout_secs = 30
requests_per_minute = 100000
header_timeout_secs = {HEADER_TIMEOUT}
request_timeout_secs = 5
failed_logins_per_minute = 20
[quotas]
max_queued_apps = {QUEUED_QUOTA}
[[organisations]]
id = "org-a"
name = "Organisation A"
[[organisations]]
id = "org-b"
name = "Organisation B"
[[tokens]]
name = "a"
organisation = "org-a"
sha256 = "{a}"
scope = "write"
[[tokens]]
name = "a-read"
organisation = "org-a"
sha256 = "{ar}"
scope = "read"
[[tokens]]
name = "b"
organisation = "org-b"
sha256 = "{b}"
scope = "write"
[[offers]]
recipe = "nextcloud"
[[offers]]
recipe = "hedgedoc"
[[offers]]
recipe = "keycloak"
"#,
        db = dir.join("orders.sqlite").display(),
        abra = abra.display(),
        home = dir.join("abra-home").display(),
        a = h(A),
        ar = h(A_READ),
        b = h(B),
    );
    let path = dir.join("ferry-hostd.toml");
    std::fs::write(&path, text).expect("write the configuration");
    path
}

/// Starts the server with the open-file limit systemd gives by default (1,024).
fn start(bin: &str, config: &Path, log: &Path) -> (Child, String) {
    let log = std::fs::File::create(log).unwrap();
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 1024; exec \"$0\" serve --config \"$1\""])
        .arg(bin)
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start ferry-hostd");
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .expect("the address")
        .to_owned();
    (child, addr)
}

struct Report {
    failed: usize,
}

impl Report {
    fn check(&mut self, ok: bool, what: &str, seen: impl std::fmt::Display) {
        println!("{} {what}: {seen}", if ok { "ok  " } else { "FAIL" });
        self.failed += usize::from(!ok);
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn send(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut req = match method {
            "POST" => self.http.post(format!("{}{path}", self.base)),
            _ => self.http.get(format!("{}{path}", self.base)),
        };
        req = req
            .bearer_auth(token)
            .header("Idempotency-Key", format!("{}", uuid::Uuid::new_v4()));
        if let Some(b) = body {
            req = req.json(b);
        }
        match req.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.json().await.unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    async fn settled(&self, token: &str, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (_, s) = self
                .send(token, "GET", &format!("/v1/orders/{id}"), None)
                .await;
            let done = s["apps"].as_array().is_some_and(|a| {
                a.iter().all(|x| {
                    ["deployed", "failed", "cancelled"].contains(&x["state"].as_str().unwrap_or(""))
                })
            });
            if done || Instant::now() > deadline {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn order(recipe: &str, domain: &str, env: Value, secrets: Value) -> Value {
    json!({ "organisation": "Organisation A", "apps": [{
        "recipe": recipe, "domain": domain, "env": env, "secrets": secrets }] })
}

fn p95(mut v: Vec<Duration>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort();
    v[((v.len() as f64 * 0.95).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let flood: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let idle: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1100);
    let bin = std::env::var("FERRY_HOSTD_BIN").expect("FERRY_HOSTD_BIN names the binary");
    // The attacker needs more files than the server is given.
    let _ = nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE, 8192, 8192);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let (mut server, addr) = start(&bin, &config(dir.path()), &log);
    let api = Api {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap(),
        base: format!("http://{addr}"),
    };
    let mut report = Report { failed: 0 };

    // A's app, with credentials in its settings and a supplied secret.
    let env =
        json!({ "SMTP_HOST": "mail.a.example", "DATABASE_URL": "postgres://u:Pa55-of-A@db/x" });
    let secret = json!([{ "name": "oidc_client_secret", "version": "v1", "value": SECRET }]);
    let (_, accepted) = api
        .send(
            A,
            "POST",
            "/v1/orders",
            Some(&order("nextcloud", "cloud.a.example", env, secret)),
        )
        .await;
    let id = accepted["id"].as_str().unwrap_or_default().to_owned();
    let (_, failing) = api
        .send(
            A,
            "POST",
            "/v1/orders",
            Some(&order(
                "hedgedoc",
                "failing.a.example",
                json!({}),
                json!([]),
            )),
        )
        .await;
    let failing = failing["id"].as_str().unwrap_or_default().to_owned();
    let status = api.settled(A_READ, &id).await;
    api.settled(A_READ, &failing).await;

    // 1. Takeover of A's domain by B, on the same server and on another.
    let env_before = std::fs::read_to_string(
        dir.path()
            .join("abra-home/servers/swarm1.coop.example/cloud.a.example.env"),
    )
    .unwrap_or_default();
    let mut takeover = order(
        "nextcloud",
        "cloud.a.example",
        json!({ "SMTP_HOST": "relay.b.example" }),
        json!([]),
    );
    let (s1, _) = api.send(B, "POST", "/v1/orders", Some(&takeover)).await;
    takeover["server"] = json!("swarm2.coop.example");
    let (s2, _) = api.send(B, "POST", "/v1/orders", Some(&takeover)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let env_after = std::fs::read_to_string(
        dir.path()
            .join("abra-home/servers/swarm1.coop.example/cloud.a.example.env"),
    )
    .unwrap_or_default();
    report.check(
        s1 == 409 && s2 == 409 && env_before == env_after,
        "B orders A's domain (same server, other server)",
        format!("{s1}, {s2}; A's .env changed: {}", env_before != env_after),
    );

    // 2. B reads, follows, cancels, retries and exports A's.
    let mut seen = Vec::new();
    for (m, p) in [
        ("GET", format!("/v1/orders/{id}")),
        ("GET", format!("/v1/orders/{id}/events")),
        ("POST", format!("/v1/orders/{id}/cancel")),
        ("POST", format!("/v1/orders/{failing}/apps/0/retry")),
        ("GET", "/v1/apps/cloud.a.example/export".to_owned()),
    ] {
        seen.push(api.send(B, m, &p, Some(&json!({}))).await.0);
    }
    report.check(
        seen.iter().all(|s| *s == 404),
        "B reads/follows/cancels/retries/exports A's (want 404)",
        format!("{seen:?}"),
    );

    // 2b. A's sign-in service, its admin key sealed to A's key: B can neither read it
    // nor make the server forget it.
    let key = ferry_hosting::handover::SealKey::generate();
    let mut login = order("keycloak", "login.a.example", json!({}), json!([]));
    login["seal_to"] = json!(key.public());
    let (_, accepted) = api.send(A, "POST", "/v1/orders", Some(&login)).await;
    let login_id = accepted["id"].as_str().unwrap_or_default().to_owned();
    let sealed = |s: &Value| {
        s["apps"][0]["handover"]["sealed"]
            .as_str()
            .map(str::to_owned)
    };
    let before = sealed(&api.settled(A_READ, &login_id).await);
    let received = format!("/v1/orders/{login_id}/apps/0/handover/received");
    let (b_status, _) = api.send(B, "POST", &received, Some(&json!({}))).await;
    let (b_read, _) = api
        .send(B, "GET", &format!("/v1/orders/{login_id}"), None)
        .await;
    let after = sealed(&api.settled(A_READ, &login_id).await);
    let opens = before
        .as_deref()
        .is_some_and(|s| key.open(s).is_ok_and(|v| v.len() == 64));
    report.check(
        b_status == 404 && b_read == 404 && opens && before == after,
        "B confirms or reads A's sealed admin key (want 404; A's copy kept and opens)",
        format!(
            "{b_status}, {b_read}; A's copy opens: {opens}, kept: {}",
            before == after
        ),
    );

    // 3. Keys that steer abra or Traefik, recipes not offered.
    let mut seen = Vec::new();
    for (recipe, env) in [
        (
            "hedgedoc",
            json!({ "EXTRA_DOMAINS": ", `cloud.a.example`" }),
        ),
        ("hedgedoc", json!({ "TYPE": "../../../../tmp/evil" })),
        (
            "hedgedoc",
            json!({ "COMPOSE_FILE": "compose.yml:../../evil.yml" }),
        ),
        ("hedgedoc", json!({ "SECRET_DB_PASSWORD_VERSION": "v9" })),
        ("traefik", json!({})),
        (
            "backup-bot-two",
            json!({ "RESTIC_REPOSITORY": "s3:https://evil.example/b" }),
        ),
    ] {
        seen.push(
            api.send(
                B,
                "POST",
                "/v1/orders",
                Some(&order(
                    recipe,
                    &format!("x{}.b.example", seen.len()),
                    env,
                    json!([]),
                )),
            )
            .await
            .0,
        );
    }
    report.check(
        seen.iter().all(|s| *s == 422),
        "reserved .env keys and recipes not offered (want 422)",
        format!("{seen:?}"),
    );

    // 4. Retry of A's own failed app with hostile or undeclared secrets.
    let mut seen = Vec::new();
    for s in [
        json!([{ "name": "--chaos", "version": "v1", "value": "x" }]),
        json!([{ "name": "../../../etc/passwd", "version": "v1", "value": "x" }]),
        json!([{ "name": "db_password", "version": "$(id)", "value": "x" }]),
    ] {
        seen.push(
            api.send(
                A,
                "POST",
                &format!("/v1/orders/{failing}/apps/0/retry"),
                Some(&json!({ "secrets": s })),
            )
            .await
            .0,
        );
    }
    report.check(
        seen.iter().all(|s| *s == 422),
        "retry with hostile or undeclared secrets (want 422)",
        format!("{seen:?}"),
    );

    // 5–7. Secrets on abra's command line, generated secrets in the log, the export.
    let calls = ferry_hostd::testing::recorded_calls(dir.path());
    let in_argv = calls
        .iter()
        .flatten()
        .filter(|a| a.contains(SECRET))
        .count();
    // After `--` nothing may start with `-`; without one, nothing but our own flags.
    const OURS: [&str; 5] = ["--server", "--domain", "--no-input", "--all", "--file"];
    let flags = calls
        .iter()
        .filter(|c| match c.iter().position(|a| a == "--") {
            Some(p) => c[p + 1..].iter().any(|a| a.starts_with('-')),
            None => c
                .iter()
                .skip(2)
                .any(|a| a.starts_with('-') && !OURS.contains(&a.as_str())),
        })
        .count();
    report.check(
        in_argv == 0 && flags == 0,
        "secrets or dash-arguments on abra's command line",
        format!("{in_argv} secret(s), {flags} positional(s) starting with -"),
    );
    let excerpt = status["apps"][0]["log_excerpt"].as_str().unwrap_or("");
    report.check(
        !excerpt.contains("FAKE-GENERATED"),
        "generated secrets in the job log",
        excerpt.contains("FAKE-GENERATED"),
    );
    let (code, export) = api
        .send(A_READ, "GET", "/v1/apps/cloud.a.example/export", None)
        .await;
    let leaked = export["env"].as_str().unwrap_or("").contains("Pa55-of-A");
    report.check(
        code == 200 && !leaked,
        "the owner's export holds no password",
        format!("{code}, leaked: {leaked}"),
    );

    // 8–9. B floods the queue while A follows its order and orders one more app.
    let started = Instant::now();
    // B's own address: the per-address connection cap is B's problem, not A's.
    let b_http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for n in 0..flood {
        let (http, base) = (b_http.clone(), api.base.clone());
        tasks.push(tokio::spawn(async move {
            let api = Api { http, base };
            api.send(
                B,
                "POST",
                "/v1/orders",
                Some(&order(
                    "hedgedoc",
                    &format!("flood{n}.b.example"),
                    json!({}),
                    json!([]),
                )),
            )
            .await
            .0
        }));
    }
    let mut honest = Vec::new();
    let mut honest_failed = 0;
    while (tasks.iter().any(|t| !t.is_finished()) || honest.len() < 100) && honest.len() < 400 {
        let t = Instant::now();
        let (s, _) = api
            .send(A_READ, "GET", &format!("/v1/orders/{id}"), None)
            .await;
        honest.push(t.elapsed());
        honest_failed += usize::from(s != 200);
        if honest.len() % 10 == 0 {
            let t = Instant::now();
            let (s, _) = api
                .send(
                    A,
                    "POST",
                    "/v1/orders",
                    Some(&order(
                        "hedgedoc",
                        &format!("more{}.a.example", honest.len()),
                        json!({}),
                        json!([]),
                    )),
                )
                .await;
            honest.push(t.elapsed());
            honest_failed += usize::from(s != 202);
        }
    }
    let mut accepted = 0;
    for t in tasks {
        accepted += usize::from(t.await.unwrap_or(0) == 202);
    }
    let flood_secs = started.elapsed().as_secs_f64();
    report.check(
        accepted <= QUEUED_QUOTA + 5,
        "B's flood of orders accepted (quota 20 queued)",
        format!("{accepted} of {flood} in {flood_secs:.1} s"),
    );
    let p = p95(honest.clone());
    report.check(
        honest_failed == 0 && p < 1000.0,
        "A's requests during the flood",
        format!(
            "p95 {p:.0} ms over {} requests, {honest_failed} failed",
            honest.len()
        ),
    );

    // 10–11. Idle connections from another address, and headers that never end.
    let to: std::net::SocketAddr = addr.parse().unwrap();
    let mut held = Vec::new();
    for _ in 0..idle {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        let _ = socket.bind("127.0.0.3:0".parse().unwrap());
        if let Ok(Ok(s)) =
            tokio::time::timeout(Duration::from_millis(500), socket.connect(to)).await
        {
            held.push(s);
        }
    }
    let mut slow = tokio::net::TcpStream::connect(to).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut slow, b"GET /v1/capabilities HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // A client that comes now needs a new connection (the others' pools hold theirs).
    let newcomer = Api {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap(),
        base: api.base.clone(),
    };
    let t = Instant::now();
    let (during, _) = newcomer.send(A_READ, "GET", "/v1/capabilities", None).await;
    let during_ms = t.elapsed().as_secs_f64() * 1000.0;
    tokio::time::sleep(Duration::from_millis(HEADER_TIMEOUT * 1000 + 1500)).await;
    let mut open = 0;
    for s in &held {
        let mut buf = [0u8; 1];
        match s.try_read(&mut buf) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => open += 1,
            _ => {}
        }
    }
    let mut buf = [0u8; 1];
    let slow_open =
        matches!(slow.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    report.check(
        during == 200,
        "an honest request while idle connections are held",
        format!(
            "{during} in {during_ms:.0} ms ({} of {idle} idle connections opened)",
            held.len()
        ),
    );
    report.check(
        open == 0 && !slow_open,
        "idle connections still open after the header timeout + 1.5 s",
        format!(
            "{open} of {}; unfinished headers still open: {slow_open}",
            held.len()
        ),
    );
    drop(held);

    // 12. Guessed tokens: limited per address, logged without the token.
    let mut codes = Vec::new();
    for n in 0..30 {
        codes.push(
            api.send(&format!("guess-{n}-7d1"), "GET", "/v1/capabilities", None)
                .await
                .0,
        );
    }
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let limited = codes.iter().filter(|c| **c == 429).count();
    report.check(
        limited > 0 && text.contains("failed login") && !text.contains("guess-"),
        "30 guessed tokens",
        format!(
            "{limited} answered 429; logged: {}; token in log: {}",
            text.contains("failed login"),
            text.contains("guess-")
        ),
    );

    let _ = server.kill();
    let _ = server.wait();
    println!("{} defence(s) failed", report.failed);
    if report.failed > 0 {
        std::process::exit(1);
    }
}
