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
    assert!(md.starts_with("# Exit-plan — Fagforbundet Bergen og omland\n"));
    // The target table: header, separator and one row per chosen app.
    let app_header = format!("| {} |", text(Language::Nb, "report.col.service", &[]));
    let table: Vec<&str> = md
        .split("\n\n")
        .find(|b| b.starts_with(&app_header) && b.contains("| Mailu |"))
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

#[test]
fn the_latest_order_and_its_outcome_are_in_the_document() {
    use ferry_hosting::{AppState, AppStatus, OrderStatus};
    let mut plan = union_branch();
    plan.deploy.orders.push(ferry_core::model::OrderRecord {
        idempotency_key: "k".into(),
        order_id: Some("6f1d3c2a-8b4e-4a51-9c77-2f0e5d9a1b33".into()),
        coop_name: "Fjordhost SA".into(),
        api_url: "https://api.fjordhost.example".into(),
        submitted_at: "2026-11-20T10:00:00Z".parse().unwrap(),
        status: Some(OrderStatus {
            id: "6f1d3c2a-8b4e-4a51-9c77-2f0e5d9a1b33".parse().unwrap(),
            organisation: "Fagforbundet Bergen og omland".into(),
            created_at: "2026-11-20T10:00:00Z".parse().unwrap(),
            apps: vec![AppStatus {
                recipe: "nextcloud".into(),
                domain: "nextcloud.bergen-fag.example.no".into(),
                state: AppState::Deployed,
                progress: 4,
                steps: 4,
                message: String::new(),
                deployed: Some("nextcloud:7.0.2+29.0.4".into()),
                log_excerpt: String::new(),
                handover: None,
            }],
        }),
    });
    let md = ferry_report::markdown::render(&ferry_report::build(&plan, &catalogue(), today()));
    assert!(
        md.contains("### Bestilt fra Fjordhost SA 20. november 2026"),
        "{md}"
    );
    assert!(
        md.contains(
            "| Nextcloud | nextcloud.bergen-fag.example.no | I drift | nextcloud:7.0.2+29.0.4 |"
        ),
        "{md}"
    );
}

#[test]
fn the_sign_in_section_shows_the_provider_and_each_apps_last_check() {
    let mut plan = union_branch();
    plan.language = Language::En;
    let doc = ferry_report::build(&plan, &catalogue(), today());
    let md = ferry_report::markdown::render(&doc);
    assert!(md.contains(&text(Language::En, "report.identity.sso_pending", &[])));

    plan.sso.idp = Some(ferry_core::model::IdpKind::Rauthy);
    plan.sso.url = "https://login.bergen-fag.example.no".into();
    plan.sso.results = vec![
        ferry_core::model::SsoAppResult {
            recipe: "nextcloud".into(),
            client_id: "nextcloud".into(),
            works: true,
            problem: None,
        },
        ferry_core::model::SsoAppResult {
            recipe: "outline".into(),
            client_id: "outline".into(),
            works: false,
            problem: Some("secret_not_kept".into()),
        },
    ];
    let doc = ferry_report::build(&plan, &catalogue(), today());
    let md = ferry_report::markdown::render(&doc);
    assert!(!md.contains(&text(Language::En, "report.identity.sso_pending", &[])));
    assert!(md.contains("- **Sign-in service:** Rauthy"), "{md}");
    assert!(md.contains("| Nextcloud | Works |"), "{md}");
    assert!(md.contains("| Outline | Not yet |"), "{md}");
}

#[test]
fn the_storage_the_new_host_needs_is_in_the_plan_and_the_request() {
    let mut plan = union_branch();
    let label = text(Language::Nb, "report.fact.storage", &[]);
    let md = ferry_report::markdown::render(&ferry_report::build(&plan, &catalogue(), today()));
    let undecided = text(Language::Nb, "report.not_decided", &[]);
    assert!(md.contains(&format!("- **{label}:** {undecided}")), "{md}");

    plan.exit_plan.storage_needed_gb = Some(1250);
    let md = ferry_report::markdown::render(&ferry_report::build(&plan, &catalogue(), today()));
    let value = text(
        Language::Nb,
        "report.fact.storage_value",
        &[("gb", "1\u{a0}250")],
    );
    assert!(md.contains(&format!("- **{label}:** {value}")), "{md}");
    let request = ferry_report::markdown::render(&ferry_report::request::build(&plan, today()));
    assert!(
        request.contains(&format!("- **{label}:** {value}")),
        "{request}"
    );
}

#[test]
fn countries_are_named_in_the_documents_language() {
    let mut plan = union_branch();
    plan.organisation.countries = vec!["NO".into(), "SE".into()];
    let md = ferry_report::markdown::render(&ferry_report::build(&plan, &catalogue(), today()));
    let label = text(Language::Nb, "report.fact.countries", &[]);
    assert!(
        md.contains(&format!("- **{label}:** Norge, Sverige")),
        "{md}"
    );
}
