//! Writes the exit plan of each example organisation in each language, and the
//! request to a hosting co-op (from an organisation whose name has an emoji and
//! characters XML escapes), and one plan whose data was moved, as PDFs into the folder given (for veraPDF and for
//! looking at): `cargo run -p ferry-report --example sample_pdfs -- DIR`.

use std::path::PathBuf;

use ferry_core::Language;
use ferry_core::examples::{Example, build};
use ferry_core::moves::{
    DataKind, KindReport, LeftBehind, MoveMode, MoveReport, PersonReport, Reason, ReasonCount,
    Verified,
};

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: sample_pdfs DIR"));
    std::fs::create_dir_all(&dir).expect("the folder can be made");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("a real date");
    let catalogue = ferry_catalogue::Store::new(&dir.join("no-catalogue")).load();
    for lang in Language::ALL {
        for example in Example::ALL {
            let plan = build(example, lang);
            let doc = ferry_report::build(&plan, &catalogue, today);
            let name = format!("plan-{}-{}.pdf", example.key(), lang.code());
            std::fs::write(
                dir.join(name),
                ferry_report::pdf::render(&doc).expect("made"),
            )
            .expect("written");
        }
        // A plan whose data was moved: the moves' tables and reasons checked too.
        let mut plan = build(Example::ALL[0], lang);
        plan.deploy.moves.push(moved());
        let doc = ferry_report::build(&plan, &catalogue, today);
        let name = format!("plan-moved-{}.pdf", lang.code());
        std::fs::write(
            dir.join(name),
            ferry_report::pdf::render(&doc).expect("made"),
        )
        .expect("written");
        let mut plan = build(Example::PatientGroup, lang);
        // Text a user might type that the fonts or XML cannot hold as it is.
        plan.organisation.name = "Grupo \u{1F30D} <Ávila & Co> \u{7}".into();
        let doc = ferry_report::request::build(&plan, today);
        let name = format!("request-{}.pdf", lang.code());
        std::fs::write(
            dir.join(name),
            ferry_report::pdf::render(&doc).expect("made"),
        )
        .expect("written");
    }
}

/// A finished move of two people's mail and files, with items not moved and why.
fn moved() -> MoveReport {
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().expect("a time");
    let kind = |kind, app: &str, held, moved, not_moved, reasons: Vec<(Reason, u64)>| KindReport {
        kind,
        app: app.to_owned(),
        in_export: held,
        moved,
        already_there: held - moved - not_moved,
        not_moved,
        bytes: moved * 80_000,
        reasons: reasons
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect(),
        verified: Some(Verified {
            found: held - not_moved,
            missing: 0,
            checksums_match: true,
            at: at("2026-11-19T16:45:00Z"),
        }),
    };
    MoveReport {
        id: "sample-move".into(),
        mode: MoveMode::Own,
        started_at: at("2026-11-18T09:05:00Z"),
        finished_at: Some(at("2026-11-19T16:45:00Z")),
        people: vec![
            PersonReport {
                login: "kari@example.org".into(),
                kinds: vec![
                    kind(
                        DataKind::Mail,
                        "mailu",
                        1210,
                        1198,
                        3,
                        vec![(Reason::TooLarge, 3)],
                    ),
                    kind(
                        DataKind::Files,
                        "nextcloud",
                        380,
                        380,
                        0,
                        vec![(Reason::SharingNotCarried, 41)],
                    ),
                ],
            },
            PersonReport {
                login: "ola@example.org".into(),
                kinds: vec![kind(DataKind::Mail, "mailu", 640, 634, 0, vec![])],
            },
        ],
        left_in_export: vec![LeftBehind {
            product: "Google Photos".into(),
            files: 2345,
            bytes: 1_500_000_000,
        }],
    }
}
