//! One language a run, all of it from the message catalogues: `--lang`, else the plan
//! file's, else the computer's, else English; never a line in another language.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{command, foreign_lines, out};
use ferry_core::Language;
use ferry_core::messages::text;
use ferry_core::model::{Decision, NeedEntry};
use ferry_sso::testing::{FakeIdp, RAUTHY_API_KEY};

fn norwegian_plan(dir: &Path) -> PathBuf {
    let mut plan = ferry_core::Plan::new("Partilaget Vest", Language::Nb).unwrap();
    for (need, recipe) in [("files", "nextcloud"), ("forum", "discourse")] {
        plan.recipes.set(
            need,
            Decision::Recipe {
                name: recipe.into(),
            },
        );
    }
    for need in ["notes", "scheduling_polls"] {
        plan.needs.needs.push(NeedEntry {
            need: need.into(),
            priority: Default::default(),
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
    }
    plan.deploy.base_domain = "vest.example".into();
    let file = dir.join("plan.ferry.json");
    ferry_core::exchange::write_plan_file(&file, &plan).unwrap();
    file
}

/// `sso plan`, `plan validate` and `recommend` on the plan, with `extra` arguments.
fn three_commands(dir: &Path, file: &Path, idp_url: &str, extra: &[&str]) -> String {
    let f = file.to_str().unwrap();
    let runs: [Vec<&str>; 3] = [
        vec!["sso", "plan", f, "--idp", "rauthy", "--url", idp_url],
        vec!["plan", "validate", f],
        vec!["recommend", f],
    ];
    let mut all = String::new();
    for args in runs {
        let o: Output = command(dir)
            .args(&args)
            .args(extra)
            .env("FERRY_IDP_TOKEN", RAUTHY_API_KEY)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", out(&o));
        all.push_str(&out(&o));
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn a_norwegian_plan_is_spoken_of_in_norwegian_and_in_german_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeIdp::rauthy().await;
    let file = norwegian_plan(dir.path());

    // The computer says English (LANG=C); the plan says Norwegian, and wins.
    let nb = three_commands(dir.path(), &file, &fake.url, &[]);
    let t = |key: &str, args: &[(&str, &str)]| text(Language::Nb, key, args);
    for expected in [
        t(
            "cli.sso.change.client",
            &[
                ("name", "partilaget-vest-nextcloud"),
                ("app", "nextcloud"),
                (
                    "address",
                    "https://nextcloud.vest.example/apps/user_oidc/code",
                ),
            ],
        ),
        t(
            "sso.change.group",
            &[("name", "partilaget-vest/app-discourse")],
        ),
        format!("{}:", t("sso.access", &[])),
        t(
            "sso.access.enforced",
            &[("group", "partilaget-vest/app-nextcloud")],
        ),
        "en gyldig Ferry-plan («Partilaget Vest»".to_owned(),
        t("need.notes.name", &[]),
        t("priority.should", &[]),
        "(poeng: ".to_owned(),
    ] {
        assert!(nb.contains(&expected), "{expected:?} in:\n{nb}");
    }
    assert_eq!(foreign_lines(&nb, "nb"), Vec::<String>::new(), "{nb}");
    // The check finds what it looks for: an English line under a Norwegian heading.
    let mixed = "Hvem kan logge inn:\n  Create the group partilaget-vest/members";
    assert_eq!(
        foreign_lines(mixed, "nb"),
        ["  Create the group partilaget-vest/members"]
    );

    // --lang de: the same plan in German, Norwegian nowhere.
    let de = three_commands(dir.path(), &file, &fake.url, &["--lang", "de"]);
    let t = |key: &str, args: &[(&str, &str)]| text(Language::De, key, args);
    for expected in [
        t(
            "sso.change.group",
            &[("name", "partilaget-vest/app-discourse")],
        ),
        format!("{}:", t("sso.access", &[])),
        "ein gültiger Ferry-Plan („Partilaget Vest“".to_owned(),
        t("need.notes.name", &[]),
        "(Punkte: ".to_owned(),
    ] {
        assert!(de.contains(&expected), "{expected:?} in:\n{de}");
    }
    assert_eq!(foreign_lines(&de, "de"), Vec::<String>::new(), "{de}");
    assert_eq!(fake.writes(), 0, "sso plan changes nothing");
}

#[test]
fn a_plans_problems_are_told_in_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let file = norwegian_plan(dir.path());
    let body = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"countries\": []", "\"countries\": [\"Narnia\"]");
    std::fs::write(&file, body).unwrap();
    let o = command(dir.path())
        .args(["plan", "validate", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let t = |key: &str, args: &[(&str, &str)]| text(Language::Nb, key, args);
    let expected = format!(
        "ferry-cli: {}\n  - {} (plan.organisation.countries.0): {}\n",
        t("error.plan.invalid", &[]),
        t("field.organisation.countries", &[]),
        t("problem.unknown_country", &[("value", "Narnia")])
    );
    assert_eq!(String::from_utf8_lossy(&o.stderr), expected);
}

/// `catalogue show wordpress` and an unknown plan id, with these locale variables.
fn without_a_plan(dir: &Path, env: &[(&str, &str)], extra: &[&str]) -> String {
    let mut all = String::new();
    for args in [
        &["catalogue", "show", "wordpress"][..],
        &["plan", "export", "zzzzzzzz", "-o", "x"],
    ] {
        let mut c = command(dir);
        c.args(args).args(extra);
        for (k, v) in env {
            c.env(k, v);
        }
        all.push_str(&out(&c.output().unwrap()));
    }
    all
}

/// Environment variables to set for one run.
type Env<'a> = &'a [(&'a str, &'a str)];

#[test]
fn without_a_plan_file_the_computers_language_else_english() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(Env, &[&str], Language)] = &[
        (&[("LANG", "de_DE.UTF-8")], &[], Language::De),
        (
            &[("LANG", "de_DE.UTF-8"), ("LC_ALL", "nb_NO.UTF-8")],
            &[],
            Language::Nb,
        ),
        (&[("LANG", "fr_FR.UTF-8")], &[], Language::En),
        (
            &[("FERRY_LANG", "es"), ("LANG", "de_DE")],
            &[],
            Language::Es,
        ),
        (&[("FERRY_LANG", "es")], &["--lang", "en"], Language::En),
    ];
    for (env, extra, lang) in cases {
        let said = without_a_plan(dir.path(), env, extra);
        let sso = format!("{}:", text(*lang, "cli.catalogue.field.sso", &[]));
        let no_id = text(*lang, "cli.plan.id.none", &[("text", "zzzzzzzz")]);
        assert!(said.contains(&sso), "{env:?} {extra:?}: {said}");
        assert!(said.contains(&no_id), "{env:?} {extra:?}: {said}");
        assert_eq!(
            foreign_lines(&said, lang.code()),
            Vec::<String>::new(),
            "{env:?}"
        );
    }
}
