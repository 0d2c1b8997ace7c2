//! `ferry-cli plan pdf` and `ferry-cli plan markdown` on a real plan file.

mod common;

use common::*;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ferry-report/tests/fixtures/union-branch-nb.ferry.json"
);

#[test]
fn pdf_and_markdown_in_the_plan_language_or_the_one_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("plan.pdf");
    let o = ferry(
        dir.path(),
        &["plan", "pdf", FIXTURE, "-o", pdf.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", out(&o));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));

    let o = ferry(dir.path(), &["plan", "markdown", FIXTURE]);
    assert!(o.status.success(), "{}", out(&o));
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(
        md.starts_with("# Exit-plan — Fagforbundet Bergen og omland"),
        "{md}"
    );

    let o = ferry(dir.path(), &["plan", "markdown", FIXTURE, "--lang", "en"]);
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(
        md.starts_with("# Exit plan — Fagforbundet Bergen og omland"),
        "{md}"
    );
    assert!(md.contains("## 5. Getting the data out"));
}

#[test]
fn a_missing_plan_or_an_unwritable_output_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let o = ferry(
        dir.path(),
        &["plan", "pdf", "/no/such/plan.ferry.json", "-o", "x.pdf"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).starts_with("ferry-cli: "), "{}", out(&o));
    let o = ferry(
        dir.path(),
        &[
            "plan",
            "pdf",
            FIXTURE,
            "-o",
            "/no/such/folder/x.pdf",
            "--lang",
            "en",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("Could not read or write /no/such/folder/x.pdf"),
        "{}",
        out(&o)
    );
}
