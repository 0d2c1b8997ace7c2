//! The sign-in service ordered first (Deploy step, "Sign-in service first";
//! `ferry-cli deploy arrive`): the exit plan says which service was ordered, on which
//! domain, from which co-op, whether and when its administrator key came, where that
//! key is kept, the order of work and what happens when the co-op does not answer —
//! from what the plan records only. Without such an order nothing says one was made.

mod common;

use common::*;
use ferry_core::messages::text;
use ferry_core::model::{IdpKind, Language, OrderRecord, Plan, SignInOrder};
use ferry_hosting::{AppState, AppStatus, OrderStatus};

const DOMAIN: &str = "login.bergen-fag.example.no";
const ORDER_ID: &str = "0b7e4a12-3c5d-4e6f-8a9b-1c2d3e4f5a6b";

/// The sign-in order as the guided path records it: sent on 19 November 2026 and,
/// when `received`, its key opened on 20 November 2026 (the provider filled in).
fn ordered(mut plan: Plan, idp: IdpKind, confirmed: bool, received: bool) -> Plan {
    let status = confirmed.then(|| OrderStatus {
        id: ORDER_ID.parse().unwrap(),
        organisation: "Fagforbundet Bergen og omland".into(),
        created_at: "2026-11-19T09:30:00Z".parse().unwrap(),
        apps: vec![AppStatus {
            recipe: idp.key().into(),
            domain: DOMAIN.into(),
            state: if received {
                AppState::Deployed
            } else {
                AppState::Running
            },
            progress: 2,
            steps: 4,
            message: String::new(),
            deployed: None,
            log_excerpt: String::new(),
            handover: None,
        }],
    });
    plan.deploy.base_domain = "bergen-fag.example.no".into();
    plan.deploy.sign_in = Some(SignInOrder {
        idp,
        domain: DOMAIN.into(),
        order: OrderRecord {
            idempotency_key: "4d3c2b1a-0000-4000-8000-000000000001".into(),
            order_id: confirmed.then(|| ORDER_ID.into()),
            coop_name: "Fjordhost SA".into(),
            api_url: "https://api.fjordhost.example".into(),
            submitted_at: "2026-11-19T09:30:00Z".parse().unwrap(),
            status,
        },
        received_at: received.then(|| "2026-11-20T14:05:00Z".parse().unwrap()),
    });
    if received {
        plan.sso.idp = Some(idp);
        plan.sso.url = format!("https://{DOMAIN}");
    }
    plan
}

fn markdown(plan: &Plan) -> String {
    ferry_report::markdown::render(&ferry_report::build(plan, &catalogue(), today()))
}

/// A date as the document writes it in `lang`.
fn date(lang: Language, day: u32, month: u32) -> String {
    text(
        lang,
        "report.date",
        &[
            ("day", &day.to_string()),
            ("month", &text(lang, &format!("report.month.{month}"), &[])),
            ("year", "2026"),
        ],
    )
}

fn in_order(haystack: &str, needles: &[String]) {
    let mut from = 0;
    for n in needles {
        match haystack[from..].find(n.as_str()) {
            Some(i) => from += i + n.len(),
            None => panic!("{n:?} is missing or out of order in {haystack}"),
        }
    }
}

#[test]
fn an_ordered_sign_in_service_is_named_with_its_domain_coop_and_the_day_its_key_came() {
    let mut plan = union_branch();
    plan.language = Language::En;
    let md = markdown(&ordered(plan, IdpKind::Keycloak, true, true));
    let en = |key: &str| text(Language::En, key, &[]);
    let (_, identity) = md
        .split_once(&format!("## {}", en("report.section.identity")))
        .unwrap();
    let (identity, _) = identity.split_once("\n## ").unwrap();
    in_order(
        identity,
        &[
            format!("### {}", en("report.arrive.title")),
            "- **Sign-in service:** Keycloak".into(),
            format!("- **Domain:** {DOMAIN}"),
            "- **Hosting co-op:** Fjordhost SA".into(),
            "- **Ordered:** 19 November 2026".into(),
            "- **State:** Running".into(),
            "- **Administrator key:** Received on 20 November 2026".into(),
            text(
                Language::En,
                "report.arrive.key_kept",
                &[("service", "Keycloak")],
            ),
            // The order of work: sign-in service, single sign-on, apps, members.
            text(
                Language::En,
                "report.arrive.order.sign_in",
                &[("domain", DOMAIN)],
            ),
            en("report.arrive.order.sign_on"),
            en("report.arrive.order.apps"),
            en("report.arrive.order.members"),
            // What happens when the co-op's server does not answer.
            en("report.arrive.no_answer.intro"),
            en("report.arrive.no_answer.retry"),
            text(
                Language::En,
                "report.arrive.no_answer.resend",
                &[("continue", &en("arrive.continue"))],
            ),
            en("report.arrive.no_answer.waits"),
            en("report.arrive.no_answer.lost"),
            format!("### {}", en("report.identity.holders")),
        ],
    );
    assert!(identity.contains("password store, not in this document"));
    // Not the advice for a plan that has ordered nothing yet.
    assert!(!md.contains(&en("report.arrive.recommended")), "{md}");
    // Nothing of the order's key or the co-op's access is printed.
    assert!(!md.contains("4d3c2b1a-0000-4000-8000-000000000001"));
    assert!(!md.contains("api.fjordhost.example"));
}

#[test]
fn a_sign_in_order_still_on_its_way_says_its_key_has_not_come_and_not_that_none_was_chosen() {
    for lang in Language::ALL {
        let mut plan = union_branch();
        plan.language = lang;
        plan.sso.idp = None;
        let t = |key: &str| text(lang, key, &[]);
        // Sent but not yet confirmed by the co-op (it did not answer): no date of order.
        let md = markdown(&ordered(plan.clone(), IdpKind::Rauthy, false, false));
        let unconfirmed = text(
            lang,
            "report.arrive.unconfirmed",
            &[("date", &date(lang, 19, 11))],
        );
        assert!(md.contains(&unconfirmed), "{lang:?}: {md}");
        assert!(md.contains(DOMAIN), "{lang:?}");
        assert!(
            md.contains(&t("report.arrive.key_not_received")),
            "{lang:?}"
        );
        assert!(
            md.contains(&text(
                lang,
                "report.arrive.key_waiting",
                &[("service", "Rauthy")]
            )),
            "{lang:?}"
        );
        assert!(!md.contains(&t("report.identity.sso_pending")), "{lang:?}");
        let kept = text(lang, "report.arrive.key_kept", &[("service", "Rauthy")]);
        assert!(!md.contains(&kept), "{lang:?}: claims the key came");
        let received = text(
            lang,
            "report.arrive.key_received",
            &[("date", &date(lang, 20, 11))],
        );
        assert!(!md.contains(&received), "{lang:?}");

        // Confirmed and being set up: the day of the order and the co-op's last word.
        let md = markdown(&ordered(plan, IdpKind::Rauthy, true, false));
        let fact = |label: &str, value: &str| format!("- **{}:** {value}", t(label));
        assert!(
            md.contains(&fact("report.arrive.fact.ordered", &date(lang, 19, 11))),
            "{lang:?}: {md}"
        );
        assert!(
            md.contains(&fact("report.col.state", &t("deploy.state.running"))),
            "{lang:?}"
        );
        assert!(!md.contains(&unconfirmed), "{lang:?}");
    }
}

#[test]
fn without_a_sign_in_order_nothing_says_one_was_ordered() {
    for lang in Language::ALL {
        let t = |key: &str| text(lang, key, &[]);
        let mut plan = union_branch();
        plan.language = lang;
        assert!(plan.deploy.sign_in.is_none());
        let md = markdown(&plan);
        for key in [
            "report.arrive.title",
            "report.arrive.fact.key",
            "report.arrive.key_not_received",
            "report.arrive.order_intro",
            "report.arrive.no_answer.intro",
        ] {
            assert!(!md.contains(&t(key)), "{lang:?} {key}: {md}");
        }
        // The plan has apps to order: the recommended order of work, once.
        assert_eq!(
            md.matches(&t("report.arrive.recommended")).count(),
            1,
            "{lang:?}"
        );

        // No apps chosen: not even that.
        let empty = Plan::new("Ny forening", lang).unwrap();
        let md = markdown(&empty);
        assert!(!md.contains(&t("report.arrive.recommended")), "{lang:?}");
        assert!(!md.contains(&t("report.arrive.title")), "{lang:?}");
        assert!(md.contains(&t("report.identity.sso_pending")), "{lang:?}");
    }
}

/// The PDF is made with the new part in every language, and reads back with the
/// domain, the co-op and the day the key came.
#[test]
fn the_pdf_reads_back_the_sign_in_order_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    for lang in Language::ALL {
        let mut plan = union_branch();
        plan.language = lang;
        let plan = ordered(plan, IdpKind::Authentik, true, true);
        let doc = ferry_report::build(&plan, &catalogue(), today());
        let bytes = ferry_report::pdf::render(&doc).expect("the PDF is made");
        let path = dir.path().join(format!("{}.pdf", lang.code()));
        std::fs::write(&path, bytes).unwrap();
        let body = poppler("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let t = |key: &str| text(lang, key, &[]);
        in_order(
            &body,
            &[
                t("report.section.identity"),
                t("report.arrive.title"),
                DOMAIN.into(),
                "Fjordhost SA".into(),
                text(
                    lang,
                    "report.arrive.key_received",
                    &[("date", &date(lang, 20, 11))],
                ),
                t("report.arrive.order_intro"),
                t("report.arrive.no_answer.intro"),
                t("report.identity.holders"),
            ],
        );
    }
}
