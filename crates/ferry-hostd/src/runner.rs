//! Carries out one app of an order with abra, step by step, capturing the output as
//! the job log with every supplied secret removed.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ferry_hosting::{AppRequest, SuppliedSecret};

use crate::envfile;

/// How to run abra on this machine.
#[derive(Debug, Clone)]
pub struct Abra {
    pub exe: PathBuf,
    /// abra's state folder (`ABRA_DIR`, by default `~/.abra`).
    pub abra_dir: PathBuf,
    /// Longest one abra command may take before it is stopped.
    pub timeout: Duration,
}

/// The steps of one app: the API's list, so the progress a client reads is counted
/// in the steps it names.
pub use ferry_hosting::DeployStage as Step;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("could not {}: abra exited with code {code:?}", step.name())]
    Failed {
        step: Step,
        code: Option<i32>,
        log: String,
    },
    #[error("could not {}: abra took longer than {secs} s and was stopped", step.name())]
    TimedOut { step: Step, secs: u64, log: String },
    #[error("could not start abra ({exe}): {source}")]
    Spawn { exe: String, source: std::io::Error },
    #[error("could not {}: the argument {argument:?} could be read as an option by abra; refused", step.name())]
    UnsafeArgument { step: Step, argument: String },
    #[error("could not {} in {path}: {source}", step.name())]
    File {
        step: Step,
        path: String,
        source: std::io::Error,
    },
}

impl JobError {
    pub fn log(&self) -> &str {
        match self {
            JobError::Failed { log, .. } | JobError::TimedOut { log, .. } => log,
            _ => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `recipe:version` as the app's `.env` records it after the deploy.
    pub deployed: String,
    pub log: String,
}

/// The log with every supplied secret value replaced.
struct Log {
    text: String,
    /// Longest first: a secret that is the start of another must not leave the
    /// other's tail behind.
    secrets: Vec<String>,
}

impl Log {
    fn new(secrets: &[SuppliedSecret]) -> Log {
        let mut secrets: Vec<String> = secrets.iter().map(|s| s.value.clone()).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Log {
            text: String::new(),
            secrets,
        }
    }

    fn push(&mut self, s: &str) {
        let mut s = s.to_owned();
        for secret in &self.secrets {
            s = s.replace(secret.as_str(), "[secret]");
        }
        self.text.push_str(&s);
        if !s.ends_with('\n') {
            self.text.push('\n');
        }
    }
}

/// What the worker hears while a job runs. A plain `FnMut(Step)` hears only steps.
pub trait Observer {
    /// A step starts.
    fn step(&mut self, step: Step);
    /// abra was started as process (and process group) `pid`.
    fn spawned(&mut self, _pid: u32) {}
    /// abra exited.
    fn exited(&mut self) {}
    /// The `.env` values are written into the app's `.env`.
    fn env_written(&mut self) {}
}

impl<F: FnMut(Step)> Observer for F {
    fn step(&mut self, step: Step) {
        self(step)
    }
}

pub fn env_path(abra: &Abra, server: &str, domain: &str) -> PathBuf {
    abra.abra_dir
        .join("servers")
        .join(server)
        .join(format!("{domain}.env"))
}

/// A sign-in service's first administrator credential, made by this server: after
/// abra has generated the recipe's secrets it becomes the next version of the
/// recipe's admin secret (abra's rotation: bump `SECRET_<NAME>_VERSION`, insert),
/// so its value is known here without reading abra's printed table.
pub struct AdminSecret {
    pub name: String,
    pub value: String,
}

impl AdminSecret {
    /// A new credential for the secret `name`: 64 letters, digits, `-` and `_`
    /// (384 bits; 64 symbols, so every byte maps evenly): Rauthy wants at least 64.
    pub fn generate(name: &str) -> AdminSecret {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes).expect("the system's random source");
        let value = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        AdminSecret {
            name: name.to_owned(),
            value,
        }
    }
}

impl std::fmt::Debug for AdminSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminSecret")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The version after `v` (`v1` → `v2`); `v2` when there is none (abra's default is `v1`).
fn next_version(v: Option<&str>) -> String {
    let n = v
        .and_then(|v| v.trim().strip_prefix('v'))
        .and_then(|n| n.split_whitespace().next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(1);
    format!("v{}", n + 1)
}

/// Runs the app's steps in order; `observer` hears each step as it starts.
pub fn run(
    abra: &Abra,
    server: &str,
    app: &AppRequest,
    observer: impl Observer,
) -> Result<Outcome, JobError> {
    run_with(abra, server, app, None, observer)
}

/// [`run`], and for a sign-in service the admin credential `admin` inserted.
pub fn run_with(
    abra: &Abra,
    server: &str,
    app: &AppRequest,
    admin: Option<&AdminSecret>,
    mut observer: impl Observer,
) -> Result<Outcome, JobError> {
    let mut secrets = app.secrets.clone();
    if let Some(a) = admin {
        secrets.push(SuppliedSecret {
            name: a.name.clone(),
            version: String::new(),
            value: a.value.clone(),
        });
    }
    let mut log = Log::new(&secrets);
    drop(secrets);
    let domain = app.domain.as_str();

    observer.step(Step::New);
    let path = env_path(abra, server, domain);
    if path.exists() {
        // A retry after a failure or a crash: abra refuses to create an app twice,
        // and the settings below are written again anyway.
        log.push(&format!("$ (the app exists already: {})", path.display()));
    } else {
        let mut positional = vec![app.recipe.as_str()];
        positional.extend(app.version.as_deref());
        let call = Call::new(Step::New, &["app", "new"])
            .flag("--server", server)
            .flag("--domain", domain)
            .switch("--no-input")
            .args(&positional);
        call.run(abra, &mut log, &mut observer)?;
    }

    observer.step(Step::Env);
    let file_err = |source| JobError::File {
        step: Step::Env,
        path: path.display().to_string(),
        source,
    };
    let mut text = std::fs::read_to_string(&path).map_err(file_err)?;
    for (k, v) in &app.env {
        text = envfile::set(&text, k, v);
    }
    for overlay in &app.overlays {
        text = envfile::enable_overlay(&text, overlay);
    }
    std::fs::write(&path, &text).map_err(file_err)?;
    observer.env_written();
    log.push(&format!(
        "$ (settings) {} values, {} overlays written to {}",
        app.env.len(),
        app.overlays.len(),
        path.display()
    ));

    observer.step(Step::Secrets);
    if app.generate_secrets {
        // abra prints what it generated: the output never reaches the log.
        Call::new(Step::Secrets, &["app", "secret", "generate"])
            .switch("--all")
            .switch("--no-input")
            .args(&[domain])
            .withhold_output()
            .run(abra, &mut log, &mut observer)?;
    }
    for s in &app.secrets {
        // The value goes to abra's standard input (`--file /dev/stdin`), never its
        // command line, where /proc/<pid>/cmdline would show it.
        Call::new(Step::Secrets, &["app", "secret", "insert"])
            .switch("--file")
            .switch("--no-input")
            .args(&[domain, &s.name, &s.version, "/dev/stdin"])
            .stdin(&s.value)
            .run(abra, &mut log, &mut observer)?;
    }
    if let Some(admin) = admin {
        let key = format!("SECRET_{}_VERSION", admin.name.to_uppercase());
        let secrets_err = |source| JobError::File {
            step: Step::Secrets,
            path: path.display().to_string(),
            source,
        };
        let text = std::fs::read_to_string(&path).map_err(secrets_err)?;
        let version = next_version(envfile::get(&text, &key).as_deref());
        std::fs::write(&path, envfile::set(&text, &key, &version)).map_err(secrets_err)?;
        log.push(&format!(
            "$ (settings) {key}={version}: the administrator's credential, made by this server"
        ));
        Call::new(Step::Secrets, &["app", "secret", "insert"])
            .switch("--file")
            .switch("--no-input")
            .args(&[domain, &admin.name, &version, "/dev/stdin"])
            .stdin(&admin.value)
            .run(abra, &mut log, &mut observer)?;
    }

    observer.step(Step::Deploy);
    Call::new(Step::Deploy, &["app", "deploy"])
        .switch("--no-input")
        .args(&[domain])
        .run(abra, &mut log, &mut observer)?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let deployed = envfile::get(&text, "TYPE")
        .or_else(|| envfile::get(&text, "RECIPE"))
        .filter(|t| t.contains(':'))
        .unwrap_or_else(|| match &app.version {
            Some(v) => format!("{}:{v}", app.recipe),
            None => app.recipe.clone(),
        });
    Ok(Outcome {
        deployed,
        log: log.text,
    })
}

/// One abra command: its verb, flags, then `--` and the positional arguments, so
/// that nothing from a request can be read as a flag whatever abra's parser does.
struct Call<'a> {
    step: Step,
    argv: Vec<&'a str>,
    /// Flag values and positional arguments: from requests, so checked.
    checked: Vec<&'a str>,
    positional: Vec<&'a str>,
    stdin: Option<&'a str>,
    withhold: bool,
}

impl<'a> Call<'a> {
    fn new(step: Step, verb: &[&'a str]) -> Self {
        Call {
            step,
            argv: verb.to_vec(),
            checked: Vec::new(),
            positional: Vec::new(),
            stdin: None,
            withhold: false,
        }
    }
    fn flag(mut self, name: &'a str, value: &'a str) -> Self {
        self.argv.extend([name, value]);
        self.checked.push(value);
        self
    }
    fn switch(mut self, name: &'a str) -> Self {
        self.argv.push(name);
        self
    }
    fn args(mut self, values: &[&'a str]) -> Self {
        self.positional.extend(values);
        self
    }
    fn stdin(mut self, value: &'a str) -> Self {
        self.stdin = Some(value);
        self
    }
    fn withhold_output(mut self) -> Self {
        self.withhold = true;
        self
    }

    fn run(self, abra: &Abra, log: &mut Log, observer: &mut impl Observer) -> Result<(), JobError> {
        if let Some(bad) = self
            .checked
            .iter()
            .chain(&self.positional)
            .find(|a| a.starts_with('-') || a.is_empty())
        {
            return Err(JobError::UnsafeArgument {
                step: self.step,
                argument: bad.chars().take(64).collect(),
            });
        }
        let mut argv = self.argv;
        argv.push("--");
        argv.extend(self.positional);
        abra_cmd(
            abra,
            self.step,
            &argv,
            self.stdin,
            self.withhold,
            log,
            observer,
        )
    }
}

/// Runs abra with `args` (no shell), adding what it printed to the log (unless
/// `withhold`), with `stdin` written to its standard input.
fn abra_cmd(
    abra: &Abra,
    step: Step,
    args: &[&str],
    stdin: Option<&str>,
    withhold: bool,
    log: &mut Log,
    observer: &mut impl Observer,
) -> Result<(), JobError> {
    log.push(&format!("$ abra {}", args.join(" ")));
    // Its own process group, so that a timeout stops abra and everything it started
    // (docker, ssh); killing only abra would leave them holding the output pipes.
    let mut child = Command::new(&abra.exe)
        .process_group(0)
        .args(args)
        .env("ABRA_DIR", &abra.abra_dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| JobError::Spawn {
            exe: abra.exe.display().to_string(),
            source,
        })?;
    observer.spawned(child.id());
    if let (Some(value), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A secret is at most 4 kB, less than a pipe holds: this never waits on abra.
        // abra may exit without reading it; that is its answer, not ours to report.
        let _ = pipe.write_all(value.as_bytes());
    }
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = reader(Box::new(child.stdout.take().expect("piped")));
    let err = reader(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= abra.timeout => {
                let group = nix::unistd::Pid::from_raw(child.id() as i32);
                let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    observer.exited();
    let printed: Vec<String> = [out.join(), err.join()].into_iter().flatten().collect();
    if withhold {
        if printed.iter().any(|t| !t.is_empty()) {
            log.push("(abra's output is not kept: it shows the secrets it generated)");
        }
    } else {
        for text in printed.iter().filter(|t| !t.is_empty()) {
            log.push(text);
        }
    }
    match status {
        Some(s) if s.success() => Ok(()),
        Some(s) => Err(JobError::Failed {
            step,
            code: s.code(),
            log: log.text.clone(),
        }),
        None => Err(JobError::TimedOut {
            step,
            secs: abra.timeout.as_secs(),
            log: log.text.clone(),
        }),
    }
}

/// The last `lines` lines of a log, for status answers.
pub fn excerpt(log: &str, lines: usize) -> String {
    let all: Vec<&str> = log.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Whether `path` is inside `dir` (after resolving `..`), for files named from requests.
pub fn is_inside(dir: &Path, path: &Path) -> bool {
    path.components()
        .all(|c| !matches!(c, std::path::Component::ParentDir))
        && path.starts_with(dir)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_admin_secret_goes_one_version_up() {
        use super::next_version;
        assert_eq!(next_version(Some("v1")), "v2");
        assert_eq!(next_version(Some("v9 # length=64")), "v10");
        assert_eq!(next_version(None), "v2");
        let a = super::AdminSecret::generate("admin_password");
        let b = super::AdminSecret::generate("admin_password");
        assert_eq!(a.value.len(), 64);
        assert_ne!(a.value, b.value);
        assert!(!format!("{a:?}").contains(&a.value));
    }
}
