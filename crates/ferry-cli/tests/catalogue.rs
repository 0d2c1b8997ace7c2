//! `ferry-cli catalogue` and `ferry-cli recommend` as a real binary, offline and against a
//! loopback server.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::{ferry, out};

/// Answers every request with `body`, for as many requests as the test makes.
fn serve(body: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body.as_bytes());
        }
    });
    port
}

#[test]
fn works_offline_on_the_bundled_catalogue_and_says_how_old_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let search = ferry(dir.path(), &["catalogue", "search", "wiki"]);
    assert!(search.status.success());
    let text = out(&search);
    assert!(
        text.contains("mediawiki") && text.contains("dokuwiki"),
        "{text}"
    );
    assert!(text.contains("shipped with Ferry"), "{text}");

    let show = ferry(dir.path(), &["catalogue", "show", "wordpress"]);
    let text = out(&show);
    let row = |label: &str, value: &str| {
        text.lines()
            .any(|l| l.trim_start().starts_with(label) && l.trim_end().ends_with(value))
    };
    assert!(row("status:", " 3/5 stable"), "{text}");
    assert!(row("single sign-on:", " no"), "{text}");
    assert!(
        text.contains("Scores from the app's own description in Co-op Cloud."),
        "{text}"
    );

    let missing = ferry(dir.path(), &["catalogue", "show", "no-such-app"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn update_downloads_and_a_failed_update_keeps_the_last_good_copy() {
    let dir = tempfile::tempdir().unwrap();
    let port = serve(
        r#"{"newapp": {"description": "Brand new", "features": {"status": "4", "sso": "3"}}}"#,
    );
    let url = format!("http://127.0.0.1:{port}/recipes.json");
    let update = ferry(dir.path(), &["catalogue", "update", "--url", &url]);
    assert!(update.status.success(), "{}", out(&update));
    assert!(
        out(&update).contains("The catalogue is updated. Apps in it: 1."),
        "{}",
        out(&update)
    );
    assert!(out(&ferry(dir.path(), &["catalogue", "show", "newapp"])).contains("4/5"));

    let dead = ferry_testkit::DeadPort::new();
    let url = format!("http://127.0.0.1:{}/recipes.json", dead.port());
    let failed = ferry(dir.path(), &["catalogue", "update", "--url", &url]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        out(&failed).contains("Ferry keeps using the catalogue of"),
        "{}",
        out(&failed)
    );
    assert!(out(&ferry(dir.path(), &["catalogue", "show", "newapp"])).contains("4/5"));
}

#[test]
fn recommend_explains_each_need_in_the_plans_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = ferry_core::Library::open_in(dir.path()).unwrap();
    let mut plan = lib
        .create("Pasientforeningen", ferry_core::Language::Nb)
        .unwrap();
    plan.organisation.members = Some(15);
    plan.organisation.technical_capacity = Some(ferry_core::model::TechnicalCapacity::Nobody);
    for need in ["notes", "scheduling_polls"] {
        plan.needs.needs.push(ferry_core::model::NeedEntry {
            need: need.into(),
            priority: Default::default(),
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
    }
    let plan = lib.save(&plan).unwrap();
    let file = dir.path().join("p.ferry.json");
    lib.export_to(plan.id, &file).unwrap();

    let text = out(&ferry(dir.path(), &["recommend", file.to_str().unwrap()]));
    assert!(text.contains("Notater og skriveblokker"), "{text}");
    assert!(text.contains("rallly"), "{text}");
    assert!(text.contains("Lett å drifte"), "{text}");

    let json = ferry(dir.path(), &["recommend", file.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["needs"][1]["options"][0]["recipe"], "rallly");
    assert_eq!(v["uncovered"].as_array().unwrap().len(), 0);

    let english = out(&ferry(
        dir.path(),
        &["recommend", file.to_str().unwrap(), "--lang", "en"],
    ));
    assert!(english.contains("Notes and pads"), "{english}");
}
