//! `ferry-cli sso plan|apply|verify|members` against Rauthy's contract server on loopback.

mod common;

use common::{command, out};
use ferry_core::model::Decision;
use ferry_sso::testing::{FakeIdp, RAUTHY_API_KEY};

fn ferry_sso(data: &std::path::Path, args: &[&str], token: &str) -> std::process::Output {
    command(data)
        .arg("sso")
        .args(args)
        .env("FERRY_IDP_TOKEN", token)
        .output()
        .unwrap()
}

fn keyring_works() -> bool {
    ferry_secrets::get("sso-probe").is_ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_apply_verify_and_members_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeIdp::rauthy().await;
    let mut plan = ferry_core::Plan::new("Partilaget Vest", ferry_core::Language::En).unwrap();
    for (need, recipe) in [("files", "nextcloud"), ("forum", "discourse")] {
        plan.recipes.set(
            need,
            Decision::Recipe {
                name: recipe.into(),
            },
        );
    }
    plan.deploy.base_domain = "vest.example".into();
    let file = dir.path().join("plan.ferry.json");
    ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
    let f = file.to_str().unwrap();
    let target = ["--idp", "rauthy", "--url", fake.url.as_str()];

    let o = ferry_sso(
        dir.path(),
        &[&["plan", f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("Create the sign-in partilaget-vest-nextcloud for nextcloud (returns to https://nextcloud.vest.example/apps/user_oidc/code)"), "{text}");
    assert!(
        text.contains("Create the group partilaget-vest/app-discourse"),
        "{text}"
    );
    assert_eq!(fake.writes(), 0, "plan changes nothing");

    let o = ferry_sso(
        dir.path(),
        &[&["apply", f][..], &target].concat(),
        "wrong$key",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("Rauthy did not accept the sign-in details"),
        "{}",
        out(&o)
    );
    assert!(!out(&o).contains("wrong$key"));

    let o = ferry_sso(
        dir.path(),
        &[&["apply", f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("secrets kept for: partilaget-vest-nextcloud, partilaget-vest-discourse"),
        "{text}"
    );
    let mut ids = fake.client_ids();
    ids.sort();
    assert_eq!(
        ids,
        ["partilaget-vest-discourse", "partilaget-vest-nextcloud"]
    );
    let saved = ferry_core::exchange::read_plan_file(&file).unwrap();
    assert_eq!(saved.sso.results.len(), 2);
    let on_disk = std::fs::read_to_string(&file).unwrap();
    for secret in fake.snapshot()["secrets"].as_array().unwrap() {
        assert!(
            !on_disk.contains(secret[1].as_str().unwrap()),
            "no secret in the plan file"
        );
        assert!(
            !text.contains(secret[1].as_str().unwrap()),
            "no secret printed"
        );
    }

    let o = ferry_sso(
        dir.path(),
        &[&["apply", f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    // Without a keyring the secrets lived only in the last command and are fetched again.
    let expected = if keyring_works() {
        "Changes: 0; writes to the sign-in service: 0;"
    } else {
        "Changes: 0;"
    };
    assert!(out(&o).contains(expected), "{}", out(&o));

    if keyring_works() {
        assert!(
            saved.sso.results.iter().all(|r| r.works),
            "{:?}",
            saved.sso.results
        );
        let o = ferry_sso(
            dir.path(),
            &[&["verify", f][..], &target].concat(),
            RAUTHY_API_KEY,
        );
        assert!(o.status.success(), "{}", out(&o));
        assert!(out(&o).contains("nextcloud: works"), "{}", out(&o));
        for id in ["partilaget-vest-nextcloud", "partilaget-vest-discourse"] {
            let key = ferry_sso::secrets::client_secret_key(&saved.id.to_string(), id);
            ferry_secrets::delete(&key).unwrap();
        }
    } else {
        assert!(std::env::var("CI").is_err(), "CI provides a keyring");
        eprintln!("no keyring here: secrets lived only during each command");
    }

    let csv = dir.path().join("members.csv");
    std::fs::write(
        &csv,
        "name,email,groups\nKari,kari@vest.example,board\nOla,ola@,\n",
    )
    .unwrap();
    let c = csv.to_str().unwrap();
    let o = ferry_sso(
        dir.path(),
        &[&["members", c, f, "--dry-run"][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    let text = out(&o);
    assert!(
        text.contains("Line 3: “ola@” is not an e-mail address."),
        "{text}"
    );
    assert!(
        text.contains(
            "kari@vest.example: would be added, in partilaget-vest/members, partilaget-vest/board"
        ),
        "{text}"
    );
    // A row that cannot be used is a row not done: scripts see it in the exit code.
    assert_eq!(o.status.code(), Some(3), "{text}");
    let o = ferry_sso(
        dir.path(),
        &[&["members", c, f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    assert!(
        out(&o).contains(
            "kari@vest.example: added, in partilaget-vest/members, partilaget-vest/board"
        ),
        "{}",
        out(&o)
    );
    assert_eq!(o.status.code(), Some(3));
    // Only good rows: 0.
    std::fs::write(&csv, "name,email,groups\nKari,kari@vest.example,board\n").unwrap();
    let o = ferry_sso(
        dir.path(),
        &[&["members", c, f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // A row the provider refuses (Rauthy's person-name and group rules hold, so an
    // address it refuses): the run says it was not added, and exits 3.
    fake.fail_writes(0, 1, ferry_sso::testing::FailMode::Refuse("email: invalid"));
    std::fs::write(&csv, "name,email,groups\nNy,ny@vest.example,\n").unwrap();
    let o = ferry_sso(
        dir.path(),
        &[&["members", c, f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    assert!(
        out(&o).contains("ny@vest.example: not added: "),
        "{}",
        out(&o)
    );
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    fake.stop_failing();
    std::fs::write(
        &csv,
        "name,email,groups\nKari,kari@vest.example,board\nOla,ola@,\n",
    )
    .unwrap();
    let o = ferry_sso(
        dir.path(),
        &[&["members", c, f][..], &target].concat(),
        RAUTHY_API_KEY,
    );
    assert!(
        out(&o).contains("kari@vest.example: already there"),
        "{}",
        out(&o)
    );
}
