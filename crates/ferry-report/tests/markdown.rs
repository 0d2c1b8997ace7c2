//! The Markdown export carries the same content as the PDF.

mod common;

use common::*;
use ferry_core::messages::text;
use ferry_core::model::Language;

#[test]
fn markdown_has_every_section_as_a_heading_and_tables_with_every_row() {
    let plan = union_branch();
    let doc = ferry_report::build(&plan, &catalogue(), today());
    let md = ferry_report::markdown::render(&doc);
    let headings: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let want: Vec<String> = doc.sections.iter().map(|s| s.title.clone()).collect();
    assert_eq!(headings, want);
    assert!(md.starts_with("# Exitplan — Fagforbundet Bergen og omland\n"));
    // The target table: header, separator and one row per chosen app.
    let app_header = format!("| {} |", text(Language::Nb, "report.col.service", &[]));
    let table: Vec<&str> = md
        .split("\n\n")
        .find(|b| b.starts_with(&app_header) && b.contains("| mailu |"))
        .expect("target table")
        .lines()
        .collect();
    assert_eq!(table.len(), 2 + 12);
    assert!(md.contains("- **Godkjennes av:** Styret i Fagforbundet Bergen og omland"));
}

#[test]
fn table_cells_cannot_break_the_table() {
    let mut plan = union_branch();
    plan.exit_plan.owners[0].role = "Leder | kasserer\nog *alt* annet".into();
    let md = ferry_report::markdown::render(&ferry_report::build(&plan, &catalogue(), today()));
    assert!(
        md.contains("| Kari Nordmann | Leder \\| kasserer og \\*alt\\* annet |"),
        "{md}"
    );
}
