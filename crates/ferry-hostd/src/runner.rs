//! Carries out one app of an order with abra, step by step, capturing the output as
//! the job log with every supplied secret removed.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ferry_hosting::AppRequest;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    New,
    Env,
    Secrets,
    Deploy,
}

impl Step {
    pub const COUNT: u8 = 4;

    pub fn name(self) -> &'static str {
        match self {
            Step::New => "create the app",
            Step::Env => "write its settings",
            Step::Secrets => "set its secrets",
            Step::Deploy => "deploy it",
        }
    }
}

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
    secrets: Vec<String>,
}

impl Log {
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

pub fn env_path(abra: &Abra, server: &str, domain: &str) -> PathBuf {
    abra.abra_dir
        .join("servers")
        .join(server)
        .join(format!("{domain}.env"))
}

/// Runs the app's steps in order; `progress` hears each step as it starts.
pub fn run(
    abra: &Abra,
    server: &str,
    app: &AppRequest,
    mut progress: impl FnMut(Step),
) -> Result<Outcome, JobError> {
    let mut log = Log {
        text: String::new(),
        secrets: app.secrets.iter().map(|s| s.value.clone()).collect(),
    };
    let domain = app.domain.as_str();

    progress(Step::New);
    let path = env_path(abra, server, domain);
    if path.exists() {
        // A retry after a failure or a crash: abra refuses to create an app twice,
        // and the settings below are written again anyway.
        log.push(&format!("$ (the app exists already: {})", path.display()));
    } else {
        let mut new = vec!["app", "new", app.recipe.as_str()];
        if let Some(v) = &app.version {
            new.push(v);
        }
        new.extend(["--server", server, "--domain", domain, "--no-input"]);
        abra_cmd(abra, Step::New, &new, &mut log)?;
    }

    progress(Step::Env);
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
    log.push(&format!(
        "$ (settings) {} values, {} overlays written to {}",
        app.env.len(),
        app.overlays.len(),
        path.display()
    ));

    progress(Step::Secrets);
    if app.generate_secrets {
        abra_cmd(
            abra,
            Step::Secrets,
            &["app", "secret", "generate", domain, "--all", "--no-input"],
            &mut log,
        )?;
    }
    for s in &app.secrets {
        abra_cmd(
            abra,
            Step::Secrets,
            &[
                "app",
                "secret",
                "insert",
                domain,
                &s.name,
                &s.version,
                &s.value,
                "--no-input",
            ],
            &mut log,
        )?;
    }

    progress(Step::Deploy);
    abra_cmd(
        abra,
        Step::Deploy,
        &["app", "deploy", domain, "--no-input"],
        &mut log,
    )?;
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

/// Runs abra with `args` (no shell), adding what it printed to the log.
fn abra_cmd(abra: &Abra, step: Step, args: &[&str], log: &mut Log) -> Result<(), JobError> {
    log.push(&format!("$ abra {}", args.join(" ")));
    // Its own process group, so that a timeout stops abra and everything it started
    // (docker, ssh); killing only abra would leave them holding the output pipes.
    let mut child = Command::new(&abra.exe)
        .process_group(0)
        .args(args)
        .env("ABRA_DIR", &abra.abra_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| JobError::Spawn {
            exe: abra.exe.display().to_string(),
            source,
        })?;
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
    for text in [out.join(), err.join()].into_iter().flatten() {
        if !text.is_empty() {
            log.push(&text);
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
