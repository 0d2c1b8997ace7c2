//! `ferry-cli deploy arrive`: the whole path from a plan file to apps that sign in,
//! on the real Keycloak of the run (scripts/keycloak) through a real ferry-hostd whose
//! abra gives it the admin credential the server made — and the same path killed with
//! SIGKILL at moments spread over it, then run again until it ends: every app deployed
//! once, the sign-in service's key received once, nothing lost.
//!
//! One test function: every run gives the recipe's one administrator a new password.

mod common;

use std::io::BufRead;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use ferry_core::model::{Decision, IdpKind, Language};

const TOKEN: &str = "cli-arrive-token-8e4";

async fn coop(dir: &Path, keycloak: &str) -> ferry_hostd::Running {
    let mut config = ferry_hostd::testing::loopback_config(dir, &["swarm1.coop.example"], TOKEN);
    // A pause before each abra call, so that the kills land in every phase.
    ferry_hostd::testing::deploys_keycloak_to(
        &mut config,
        dir,
        keycloak,
        &[("FAKE_ABRA_DELAY", "0.2")],
    );
    ferry_hostd::start(config).await.unwrap()
}

fn plan_file(dir: &Path, org: &str) -> std::path::PathBuf {
    let mut plan = ferry_core::Plan::new(org, Language::Nb).unwrap();
    plan.recipes.set(
        "notes",
        Decision::Recipe {
            name: "hedgedoc".into(),
        },
    );
    plan.recipes.set(
        "files",
        Decision::Recipe {
            name: "nextcloud".into(),
        },
    );
    plan.deploy.base_domain = format!("{}.example.no", &plan.id.to_string()[..8]);
    plan.sso.idp = Some(IdpKind::Keycloak);
    let file = dir.join("plan.ferry.json");
    ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
    file
}

fn arrive_command(data: &Path, file: &Path, url: &str) -> std::process::Command {
    let mut c = command(data);
    c.args(["--lang", "en", "deploy", "arrive"])
        .arg(file)
        .args(["--api-url", url])
        .env("FERRY_COOP_TOKEN", TOKEN);
    c
}

fn domains(file: &Path) -> Vec<String> {
    let plan = ferry_core::exchange::read_plan_file(file).unwrap();
    let mut all = vec![ferry_core::deploy::sign_in_domain(&plan).unwrap()];
    all.extend(
        ferry_core::deploy::preview(&plan)
            .into_iter()
            .filter_map(|a| a.domain),
    );
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_arrives_and_a_kill_anywhere_continues() {
    let Some(kc) = ferry_testkit::keycloak::keycloak().await else {
        return;
    };
    // The order's private key must outlive a killed process: the keyring does that
    // (make test runs under scripts/with-display, which unlocks a test keyring).
    if !ferry_sso::secrets::Vault::detect().is_secure() {
        assert!(
            std::env::var("CI").map_or(true, |v| v.is_empty()),
            "no keyring: run under scripts/with-display"
        );
        eprintln!("SKIPPED: no unlocked keyring (run under scripts/with-display)");
        return;
    }

    // Once through, in one go.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let running = coop(dir.path(), &kc.url).await;
    let url = format!("http://{}", running.addr);
    let file = plan_file(dir.path(), "Leieboerforeningen Nord");
    let (d, f, u) = (data.clone(), file.clone(), url.clone());
    let o = tokio::task::spawn_blocking(move || arrive_command(&d, &f, &u).output().unwrap())
        .await
        .unwrap();
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    for step in [
        "Order the sign-in service",
        "The co-op sets it up",
        "Receive its administrator key, sealed",
        "Set up sign-in for each app and check it",
        "Order the apps, ready to sign in",
        "The co-op sets up the apps",
    ] {
        assert!(text.contains(&format!("→ {step}")), "{step}:\n{text}");
    }
    assert!(
        has_line(
            &text,
            &["Done: keycloak at", &kc.url, "hedgedoc", "nextcloud"]
        ),
        "{text}"
    );
    let plan = ferry_core::exchange::read_plan_file(&file).unwrap();
    assert!(plan.deploy.sign_in.as_ref().unwrap().received_at.is_some());
    assert_eq!(plan.sso.results.iter().filter(|r| r.works).count(), 2);
    for d in domains(&file) {
        assert_eq!(ferry_hostd::testing::deploys_of(dir.path(), &d), 1, "{d}");
    }

    // Killed in every step of the path, each time run again until it ends: a set time
    // after the step's line appears (the CLI's lines are written as they come), so that
    // a busy machine moves the kills no more than the step's own length. The sign-in
    // set-up gets three: a kill there once left Keycloak half set up for good (CI).
    let aims: [(&str, f64); 7] = [
        ("Order the sign-in service", 0.05),
        ("The co-op sets it up", 0.3),
        ("Receive its administrator key, sealed", 0.0),
        ("Set up sign-in for each app and check it", 0.05),
        ("Set up sign-in for each app and check it", 0.25),
        ("Set up sign-in for each app and check it", 0.6),
        ("The co-op sets up the apps", 0.3),
    ];
    let rounds = aims.len();
    let mut kills = 0;
    for (round, (step, delay)) in aims.into_iter().enumerate() {
        let kill_after = format!("{delay} s into \"{step}\"");
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let running = coop(dir.path(), &kc.url).await;
        let url = format!("http://{}", running.addr);
        // Names no other test uses on this Keycloak: an organisation's realm of the same
        // name made by another plan is that plan's, and Ferry leaves it alone.
        let file = plan_file(dir.path(), &format!("Velforeningen Øst {round}"));
        let (d, f, u) = (data.clone(), file.clone(), url.clone());
        let killed = tokio::task::spawn_blocking(move || {
            let mut child = arrive_command(&d, &f, &u)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
            let mark = format!("→ {step}");
            // The step's line, or the end of the run (nothing to kill then).
            if !lines.any(|l| l.is_ok_and(|l| l.contains(&mark))) {
                child.wait().unwrap();
                return false;
            }
            let seen = Instant::now();
            while seen.elapsed() < Duration::from_secs_f64(delay) {
                if child.try_wait().unwrap().is_some() {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            let ended = child.try_wait().unwrap().is_some();
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            !ended
        })
        .await
        .unwrap();
        kills += usize::from(killed);
        let mut runs = 0;
        loop {
            runs += 1;
            let (d, f, u) = (data.clone(), file.clone(), url.clone());
            let o =
                tokio::task::spawn_blocking(move || arrive_command(&d, &f, &u).output().unwrap())
                    .await
                    .unwrap();
            if o.status.success() {
                break;
            }
            assert!(
                runs < 4,
                "killed {kill_after}, run {runs}:\n{}\nsign-on results: {:?}",
                out(&o),
                ferry_core::exchange::read_plan_file(&file)
                    .map(|p| p.sso.results)
                    .ok()
            );
        }
        let plan = ferry_core::exchange::read_plan_file(&file).unwrap();
        assert_eq!(
            plan.deploy.orders.len(),
            1,
            "killed {kill_after} (killed: {killed})"
        );
        assert_eq!(
            plan.sso.results.iter().filter(|r| r.works).count(),
            2,
            "killed {kill_after} (killed: {killed}): {:?}",
            plan.sso.results
        );
        for d in domains(&file) {
            assert_eq!(
                ferry_hostd::testing::deploys_of(dir.path(), &d),
                1,
                "{d}: killed {kill_after} (killed: {killed})"
            );
        }
    }
    assert!(
        kills + 1 >= rounds,
        "the kills landed while the path ran ({kills} of {rounds})"
    );
}
