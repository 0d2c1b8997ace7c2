//! The abra flow against the fake abra in this folder: exact commands, the `.env`
//! produced, failures, hangs, and no supplied secret in the log.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ferry_hostd::runner::{self, Abra, JobError, Step};
use ferry_hosting::{AppRequest, SuppliedSecret};

const SECRET: &str = "s3cr3t-0idc-value-\"'$(touch /tmp/pwned)";

struct Fake {
    _dir: tempfile::TempDir,
    abra: Abra,
    record: PathBuf,
}

fn fake(env: &[(&str, &str)]) -> Fake {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = ferry_hostd::testing::fake_abra(dir.path(), env);
    Fake {
        abra: Abra {
            exe: wrapper,
            abra_dir: dir.path().join("abra-home"),
            timeout: Duration::from_secs(5),
        },
        record: dir.path().to_owned(),
        _dir: dir,
    }
}

fn calls(f: &Fake) -> Vec<Vec<String>> {
    ferry_hostd::testing::recorded_calls(&f.record)
}

fn nextcloud() -> AppRequest {
    AppRequest {
        recipe: "nextcloud".into(),
        version: Some("7.0.2+29.0.4".into()),
        domain: "cloud.union.example".into(),
        env: BTreeMap::from([
            ("LETS_ENCRYPT_ENV".into(), "staging".into()),
            ("SMTP_HOST".into(), "mail.union.example".into()),
        ]),
        overlays: vec!["compose.smtp.yml".into()],
        generate_secrets: true,
        secrets: vec![SuppliedSecret {
            name: "oidc_client_secret".into(),
            version: "v1".into(),
            value: SECRET.into(),
        }],
    }
}

#[test]
fn the_documented_abra_flow_in_order_and_the_env_it_leaves() {
    let f = fake(&[]);
    let mut steps = Vec::new();
    let out = runner::run(&f.abra, "swarm1.coop.example", &nextcloud(), |s| {
        steps.push(s)
    })
    .unwrap();
    assert_eq!(steps, [Step::New, Step::Env, Step::Secrets, Step::Deploy]);
    let want: Vec<Vec<&str>> = vec![
        vec![
            "app",
            "new",
            "--server",
            "swarm1.coop.example",
            "--domain",
            "cloud.union.example",
            "--no-input",
            "--",
            "nextcloud",
            "7.0.2+29.0.4",
        ],
        vec![
            "app",
            "secret",
            "generate",
            "--all",
            "--no-input",
            "--",
            "cloud.union.example",
        ],
        vec![
            "app",
            "secret",
            "insert",
            "--file",
            "--no-input",
            "--",
            "cloud.union.example",
            "oidc_client_secret",
            "v1",
            "/dev/stdin",
        ],
        vec!["app", "deploy", "--no-input", "--", "cloud.union.example"],
    ];
    assert_eq!(calls(&f), want);
    assert_eq!(out.deployed, "nextcloud:7.0.2+29.0.4");

    let env = std::fs::read_to_string(runner::env_path(
        &f.abra,
        "swarm1.coop.example",
        "cloud.union.example",
    ))
    .unwrap();
    assert!(env.contains("\nLETS_ENCRYPT_ENV=staging\n"), "{env}");
    assert!(
        env.contains("\nSMTP_HOST=mail.union.example\n") && !env.contains("#SMTP_HOST"),
        "{env}"
    );
    assert!(
        env.contains("\nCOMPOSE_FILE=\"$COMPOSE_FILE:compose.smtp.yml\"\n"),
        "{env}"
    );
    assert!(
        !env.contains(SECRET),
        "secrets live in the swarm, not the .env"
    );

    assert!(
        !out.log.contains(SECRET),
        "the job log never holds a supplied secret: {}",
        out.log
    );
    assert!(out.log.contains(
        "$ abra app secret insert --file --no-input -- cloud.union.example oidc_client_secret v1 /dev/stdin"
    ));
    assert!(out.log.contains("deploy succeeded"));
    assert!(
        !Path::new("/tmp/pwned").exists(),
        "no argument went through a shell"
    );
}

#[test]
fn a_failing_step_stops_the_job_and_says_which_step() {
    let f = fake(&[("FAKE_ABRA_FAIL", "deploy")]);
    let err = runner::run(&f.abra, "swarm1.coop.example", &nextcloud(), |_| {}).unwrap_err();
    assert!(
        matches!(
            err,
            JobError::Failed {
                step: Step::Deploy,
                code: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "could not deploy it: abra exited with code Some(1)"
    );
    assert!(err.log().contains("something went wrong on the server"));
    assert!(!err.log().contains(SECRET));
}

#[test]
fn a_hanging_abra_is_stopped_at_the_timeout() {
    let mut f = fake(&[("FAKE_ABRA_HANG", "secret")]);
    f.abra.timeout = Duration::from_millis(300);
    let started = std::time::Instant::now();
    let err = runner::run(&f.abra, "swarm1.coop.example", &nextcloud(), |_| {}).unwrap_err();
    assert!(
        matches!(
            err,
            JobError::TimedOut {
                step: Step::Secrets,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(calls(&f).len(), 2, "nothing runs after the step that hung");
}

#[test]
fn a_missing_abra_is_reported() {
    let mut f = fake(&[]);
    f.abra.exe = PathBuf::from("/nonexistent/abra");
    let err = runner::run(&f.abra, "swarm1.coop.example", &nextcloud(), |_| {}).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("could not start abra (/nonexistent/abra)"),
        "{err}"
    );
}

/// A supplied secret that looks like a flag, and one that is the start of another.
fn with_tricky_secrets() -> AppRequest {
    let mut app = nextcloud();
    app.secrets = vec![
        SuppliedSecret {
            name: "oidc_client_secret".into(),
            version: "v1".into(),
            value: "--server=evil.example".into(),
        },
        SuppliedSecret {
            name: "smtp_password".into(),
            version: "v1".into(),
            value: "--server=evil.example-and-its-tail".into(),
        },
    ];
    app
}

#[test]
fn secrets_reach_abra_on_its_standard_input_and_no_argument_can_be_a_flag() {
    let f = fake(&[("FAKE_ABRA_ECHO", "1")]);
    let out = runner::run(
        &f.abra,
        "swarm1.coop.example",
        &with_tricky_secrets(),
        |_| {},
    )
    .unwrap();
    for call in calls(&f) {
        assert!(
            !call.iter().any(|a| a.contains("evil.example")),
            "a secret on abra's command line: {call:?}"
        );
        let after = call
            .iter()
            .position(|a| a == "--")
            .expect("-- before the positionals");
        assert!(
            call[after + 1..].iter().all(|a| !a.starts_with('-')),
            "{call:?}"
        );
    }
    let sums = std::fs::read_to_string(f.record.join("calls.secrets")).unwrap();
    assert!(sums.contains(&format!(
        "smtp_password v1 {}",
        ferry_hostd::config::hash_token("--server=evil.example-and-its-tail")
    )));
    // The fake echoes what it was given: masked whole, the longer secret first.
    assert!(
        !out.log.contains("evil") && !out.log.contains("its-tail"),
        "{}",
        out.log
    );
    assert!(out.log.contains("inserted [secret]"), "{}", out.log);
}

#[test]
fn what_abra_prints_when_it_generates_secrets_never_reaches_the_log() {
    let f = fake(&[]);
    let out = runner::run(&f.abra, "swarm1.coop.example", &nextcloud(), |_| {}).unwrap();
    assert!(!out.log.contains("FAKE-GENERATED"), "{}", out.log);
    assert!(out.log.contains("not kept"), "{}", out.log);
}

#[test]
fn an_argument_that_abra_could_read_as_a_flag_is_refused_before_abra_runs() {
    let f = fake(&[]);
    let mut app = nextcloud();
    app.version = Some("--chaos".into());
    let err = runner::run(&f.abra, "swarm1.coop.example", &app, |_| {}).unwrap_err();
    assert!(
        matches!(
            err,
            JobError::UnsafeArgument {
                step: Step::New,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(calls(&f).is_empty());
}
