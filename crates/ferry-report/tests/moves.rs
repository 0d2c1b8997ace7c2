//! What Ferry's data moves did, in the exit plan (issue #32, 5): from the move
//! reports the plan keeps (`plan.deploy.moves`), when each ran, whose accounts it
//! used, into which apps, per kind and person how much the export held, moved,
//! already there, not moved and read back, and what was not moved and why — the
//! plan's numbers and reasons only, read back from the PDF in every language. A plan
//! without a move says one sentence that nothing has been moved yet, and no more.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::moves::*;
use common::*;
use ferry_core::messages::text;
use ferry_core::model::{Language, Plan};
use ferry_core::moves::{DataKind, KindReport, LeftBehind, MoveMode, PersonReport, Reason};
use ferry_report::Block;
use proptest::prelude::*;

/// Two runs: an administrator's that moved Ola's and Kari's mail (Ola's too large
/// messages and cut-off ones not moved), then Ola's own, which moved more of his
/// mail and his files. The second report's row for Ola's mail replaces the first's.
fn two_moves(mut plan: Plan) -> Plan {
    let first = report(
        MoveMode::Admin,
        Some("2026-11-18T11:30:00Z"),
        vec![
            person(
                "ola@lag.example",
                vec![row(
                    DataKind::Mail,
                    "mailu",
                    [1210, 900, 0, 310],
                    &[(Reason::TooLarge, 3)],
                    None,
                )],
            ),
            person(
                "kari@lag.example",
                vec![row(
                    DataKind::Mail,
                    "mailu",
                    [1200, 1200, 0, 0],
                    &[],
                    Some((1200, 0, true)),
                )],
            ),
        ],
    );
    let mut second = report(
        MoveMode::Own,
        Some("2026-11-19T16:45:00Z"),
        vec![person(
            "ola@lag.example",
            vec![
                row(
                    DataKind::Mail,
                    "mailu",
                    [1210, 1196, 5, 9],
                    &[(Reason::TooLarge, 3), (Reason::CutOff, 6)],
                    Some((1199, 2, false)),
                ),
                row(
                    DataKind::Files,
                    "nextcloud",
                    [380, 380, 0, 0],
                    &[(Reason::SharingNotCarried, 41)],
                    Some((380, 0, true)),
                ),
            ],
        )],
    );
    second.left_in_export = vec![LeftBehind {
        product: "Google Photos".into(),
        files: 2345,
        bytes: 3 * 1024 * 1024 * 1024 / 2,
    }];
    plan.deploy.moves = vec![first, second];
    plan
}

#[test]
fn the_pdf_reads_back_each_move_its_counts_and_reasons_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    for lang in Language::ALL {
        let body = pdf_text(
            &two_moves(union_in(lang)),
            &dir,
            &format!("{}.pdf", lang.code()),
        );
        let tt = |key: &str| t(lang, key);
        let line = |key: &str, k: DataKind, count: u64, r: Reason| {
            text(
                lang,
                key,
                &[
                    ("kind", &kind(lang, k)),
                    ("count", &num(lang, count)),
                    ("reason", &reason(lang, r)),
                ],
            )
        };
        let (_, after_contents) = body.split_once(&flat(&tt("report.section.roles"))).unwrap();
        let (_, export) = after_contents
            .split_once(&flat(&tt("report.section.export")))
            .unwrap();
        let (moves, _) = export
            .split_once(&flat(&tt("report.section.identity")))
            .unwrap();
        in_order(
            moves,
            &[
                tt("report.moves.title"),
                tt("report.moves.intro"),
                // Each run: when, whose accounts, how many people, into which apps.
                at(lang, 18, "09:05"),
                at(lang, 18, "11:30"),
                tt("report.moves.mode.admin"),
                "2".into(),
                at(lang, 18, "09:05"),
                at(lang, 19, "16:45"),
                tt("report.moves.mode.own"),
                "1".into(),
                tt("report.moves.totals"),
                // Mail: Ola's newer row and Kari's, added up.
                kind(lang, DataKind::Mail),
                num(lang, 2410),
                num(lang, 2396),
                "5".into(),
                "9".into(),
                text(
                    lang,
                    "report.moves.read_back",
                    &[("found", &num(lang, 2399)), ("missing", "2")],
                ),
                tt("report.moves.contents_differ"),
                kind(lang, DataKind::Files),
                "380".into(),
                tt("report.moves.per_person"),
                "kari@lag.example".into(),
                "ola@lag.example".into(),
                text(lang, "report.moves.cell_missing", &[("n", "2")]),
                tt("report.moves.not_moved.title"),
                tt("report.moves.not_moved.intro"),
                line(
                    "report.moves.not_moved.line",
                    DataKind::Mail,
                    3,
                    Reason::TooLarge,
                ),
                line(
                    "report.moves.not_moved.line",
                    DataKind::Mail,
                    6,
                    Reason::CutOff,
                ),
                tt("report.moves.partly.intro"),
                line(
                    "report.moves.partly.line",
                    DataKind::Files,
                    41,
                    Reason::SharingNotCarried,
                ),
                tt("report.moves.left.intro"),
                "Google Photos".into(),
                num(lang, 2345),
                tt("report.moves.keep_export"),
            ],
        );
        // Every word of the tables reads back whole: no column is too narrow for it.
        let words: BTreeSet<&str> = moves.split(' ').collect();
        let doc = ferry_report::build(&two_moves(union_in(lang)), &catalogue(), today());
        for table in tables(&moves_part(&doc, lang)) {
            for cell in table.headers.iter().chain(table.rows.iter().flatten()) {
                for word in cell.split_whitespace().filter(|w| !w.contains('@')) {
                    assert!(
                        words.contains(word),
                        "{lang:?}: {word:?} is broken in {moves}"
                    );
                }
            }
        }
        // The first report's row for Ola's mail is not added to the second's.
        assert!(!moves.contains(&flat(&num(lang, 3620))), "{lang:?}");
        assert!(!moves.contains(&flat(&tt("report.moves.not_yet"))));
        assert!(!moves.contains(&flat(&tt("report.moves.nothing_left"))));
    }
}

#[test]
fn the_tables_hold_the_newest_counts_per_person_and_their_sums_per_kind() {
    let mut plan = union_branch();
    plan.language = Language::En;
    let doc = ferry_report::build(&two_moves(plan), &catalogue(), today());
    let part = moves_part(&doc, Language::En);
    let tables = tables(&part);
    assert_eq!(tables.len(), 3, "runs, totals, per person");
    let cells = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert_eq!(
        tables[0].rows,
        vec![
            cells(&[
                "18 November 2026, 09:05 UTC",
                "18 November 2026, 11:30 UTC",
                "An administrator's account",
                "2",
                "Mail → Mailu",
            ]),
            cells(&[
                "18 November 2026, 09:05 UTC",
                "19 November 2026, 16:45 UTC",
                "Each person's own account",
                "1",
                "Mail → Mailu,\nFiles → Nextcloud",
            ]),
        ]
    );
    assert_eq!(
        tables[1].rows,
        vec![
            cells(&[
                "Mail",
                "2,410",
                "2,396",
                "5",
                "9",
                "2,399 found, 2 missing; contents differ",
            ]),
            cells(&[
                "Files",
                "380",
                "380",
                "0",
                "0",
                "380 found, 0 missing; contents match",
            ]),
        ]
    );
    // In Markdown, each run's apps on one line.
    let md = ferry_report::markdown::render(&doc);
    assert!(
        md.contains("| Each person's own account | 1 | Mail → Mailu, Files → Nextcloud |"),
        "{md}"
    );
    assert!(
        md.contains("| Mail | 2,410 | 2,396 | 5 | 9 | 2,399 found, 2 missing; contents differ |")
    );
    assert_eq!(tables[2].headers, cells(&["Account", "Mail", "Files"]));
    assert_eq!(
        tables[2].rows,
        vec![
            cells(&["kari@lag.example", "1,200 of 1,200; read back", "–"]),
            cells(&[
                "ola@lag.example",
                "1,201 of 1,210, 9 not moved; 2 missing on reading back",
                "380 of 380; read back",
            ]),
        ]
    );
    assert_eq!(
        bullets(&part),
        BTreeSet::from([
            "Mail: 3 not moved — larger than the new app accepts (mail over 52 MB, an event over 8 MB)".to_owned(),
            "Mail: 6 not moved — the export ends in the middle of it".to_owned(),
            "Files: 41 — moved, but sharing, comment threads and permissions stay in Google Drive".to_owned(),
            "Google Photos: 2,345 files, 1.5 GB".to_owned(),
        ])
    );
}

#[test]
fn a_plan_without_moves_states_no_move_facts() {
    for lang in Language::ALL {
        let tt = |key: &str| t(lang, key);
        let mut plan = union_branch();
        plan.language = lang;
        assert!(plan.deploy.moves.is_empty());
        let doc = ferry_report::build(&plan, &catalogue(), today());
        let all = doc.texts().join("\n");
        // Apps for mail and files are chosen: one sentence, once.
        assert_eq!(
            moves_part(&doc, lang),
            vec![
                Block::Subheading(tt("report.moves.title")),
                Block::Paragraph(tt("report.moves.not_yet")),
            ],
            "{lang:?}"
        );
        assert_eq!(all.matches(&tt("report.moves.not_yet")).count(), 1);
        for key in [
            "report.moves.intro",
            "report.moves.totals",
            "report.moves.per_person",
            "report.moves.not_moved.title",
            "report.moves.nothing_left",
            "report.moves.keep_export",
            "report.moves.mode.own",
            "report.moves.mode.admin",
        ] {
            assert!(!all.contains(&tt(key)), "{lang:?} {key}");
        }
        for r in Reason::ALL {
            assert!(!all.contains(&reason(lang, r)), "{lang:?} {r:?}");
        }

        // No app Ferry moves data into (a forum only, or nothing chosen): nothing at all.
        let mut forum = Plan::new("Forening", lang).unwrap();
        forum.recipes.set(
            "forum",
            ferry_core::model::Decision::Recipe {
                name: "discourse".into(),
            },
        );
        for plan in [forum, Plan::new("Ny forening", lang).unwrap()] {
            let doc = ferry_report::build(&plan, &catalogue(), today());
            assert!(moves_part(&doc, lang).is_empty(), "{lang:?}");
            assert!(!doc.texts().join("\n").contains(&tt("report.moves.title")));
        }
    }
}

#[test]
fn a_move_that_left_nothing_out_says_so_and_lists_nothing_as_not_moved() {
    let mut plan = union_branch();
    plan.language = Language::Nb;
    plan.deploy.moves = vec![report(
        MoveMode::Own,
        None,
        vec![person(
            "per@lag.example",
            vec![row(
                DataKind::Calendar,
                "nextcloud",
                [40, 38, 2, 0],
                &[],
                None,
            )],
        )],
    )];
    let doc = ferry_report::build(&plan, &catalogue(), today());
    let part = moves_part(&doc, Language::Nb);
    let tt = |key: &str| t(Language::Nb, key);
    assert!(part.contains(&Block::Paragraph(tt("report.moves.nothing_left"))));
    assert!(bullets(&part).is_empty());
    assert!(!part.contains(&Block::Note(tt("report.moves.keep_export"))));
    let runs = tables(&part)[0];
    assert_eq!(runs.rows[0][1], tt("report.moves.not_finished"));
    assert_eq!(
        tables(&part)[1].rows[0][5],
        tt("report.moves.not_read_back")
    );
}

/// Forty people, four kinds: the per-person list is one row each, and every person
/// reads back from the PDF once, with the totals.
#[test]
fn forty_people_are_one_row_each() {
    let mut plan = union_branch();
    plan.language = Language::En;
    let people = (0..40)
        .map(|i| {
            person(
                &format!("person{i:02}@lag.example"),
                DataKind::ALL
                    .into_iter()
                    .map(|k| {
                        let held = 100 + i * 37 + k as u64;
                        let not = i % 3;
                        row(
                            k,
                            if k == DataKind::Mail {
                                "mailu"
                            } else {
                                "nextcloud"
                            },
                            [held, held - not - 1, 1, not],
                            &[(Reason::Conflict, not)],
                            (i % 5 != 0).then_some((held - not, 0, true)),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    plan.deploy.moves = vec![report(
        MoveMode::Admin,
        Some("2026-11-20T08:00:00Z"),
        people,
    )];
    let doc = ferry_report::build(&plan, &catalogue(), today());
    let part = moves_part(&doc, Language::En);
    assert_eq!(tables(&part)[2].rows.len(), 40);
    let dir = tempfile::tempdir().unwrap();
    let body = pdf_text(&plan, &dir, "forty.pdf");
    for i in 0..40 {
        assert_eq!(
            body.matches(&format!("person{i:02}@lag.example")).count(),
            1
        );
    }
    assert!(body.contains("not read back for 8 of 40 people"));
}

/// One person's row in a run: who (of four), kind, moved / already there / not moved,
/// reasons with counts, and whether it was read back.
type RowSpec = (usize, DataKind, [u64; 3], Vec<(Reason, u64)>, bool);

fn kind_rows() -> impl Strategy<Value = Vec<RowSpec>> {
    prop::collection::vec(
        (
            0usize..4,
            prop::sample::select(DataKind::ALL.to_vec()),
            [0u64..5000, 0u64..300, 0u64..50],
            prop::collection::vec((prop::sample::select(Reason::ALL.to_vec()), 0u64..40), 0..3),
            any::<bool>(),
        ),
        0..8,
    )
}

// Random reports: every number in the tables and every reason in the lists is the
// plan's (the newest row per person and kind, added up per kind), and no reason the
// reports do not hold is named.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_number_and_reason_shown_is_the_plans(
        runs in prop::collection::vec(kind_rows(), 1..4),
        lang in prop::sample::select(Language::ALL.to_vec()),
    ) {
        let mut plan = union_branch();
        plan.language = lang;
        let logins = ["ola@a.example", "kari@a.example", "per@a.example", "åse@a.example"];
        for rows in &runs {
            let mut people: BTreeMap<usize, PersonReport> = BTreeMap::new();
            for (who, k, [moved, there, not], reasons, verified) in rows {
                let p = people.entry(*who).or_insert_with(|| person(logins[*who], Vec::new()));
                if p.kinds.iter().any(|r| r.kind == *k) {
                    continue;
                }
                let held = moved + there + not;
                p.kinds.push(row(*k, "nextcloud", [held, *moved, *there, *not], reasons,
                    verified.then_some((moved + there, 0, true))));
            }
            plan.deploy.moves.push(report(MoveMode::Own, Some("2026-11-19T10:00:00Z"),
                people.into_values().collect()));
        }
        // The newest row per person and kind, by hand.
        let mut newest: BTreeMap<(String, DataKind), KindReport> = BTreeMap::new();
        for m in &plan.deploy.moves {
            for p in &m.people {
                for k in &p.kinds {
                    newest.insert((p.login.clone(), k.kind), k.clone());
                }
            }
        }
        let doc = ferry_report::build(&plan, &catalogue(), today());
        let part = moves_part(&doc, lang);
        let all = texts(&doc, &part);
        let mut expected_bullets = BTreeSet::new();
        let mut expected_totals = Vec::new();
        for k in DataKind::ALL {
            let rows: Vec<&KindReport> = newest.iter().filter(|((_, kk), _)| *kk == k).map(|(_, r)| r).collect();
            if rows.is_empty() {
                continue;
            }
            let sum = |f: fn(&KindReport) -> u64| num(lang, rows.iter().map(|r| f(r)).sum());
            expected_totals.push(vec![kind(lang, k), sum(|r| r.in_export), sum(|r| r.moved),
                sum(|r| r.already_there), sum(|r| r.not_moved)]);
            let mut by_reason: BTreeMap<Reason, u64> = BTreeMap::new();
            for rc in rows.iter().flat_map(|r| &r.reasons) {
                *by_reason.entry(rc.reason).or_default() += rc.count;
            }
            let mut explained = 0;
            for (r, n) in by_reason.into_iter().filter(|(_, n)| *n > 0) {
                let key = if r.item_moved() { "report.moves.partly.line" } else {
                    explained += n;
                    "report.moves.not_moved.line"
                };
                expected_bullets.insert(text(lang, key, &[("kind", &kind(lang, k)),
                    ("count", &num(lang, n)), ("reason", &reason(lang, r))]));
            }
            let not: u64 = rows.iter().map(|r| r.not_moved).sum();
            if not > explained {
                expected_bullets.insert(text(lang, "report.moves.not_moved.no_reason",
                    &[("kind", &kind(lang, k)), ("count", &num(lang, not - explained))]));
            }
        }
        prop_assert_eq!(bullets(&part), expected_bullets.clone());
        let tables = tables(&part);
        prop_assert_eq!(tables[0].rows.len(), plan.deploy.moves.len());
        if newest.is_empty() {
            prop_assert_eq!(tables.len(), 1);
            prop_assert!(all.contains(&t(lang, "report.moves.no_rows")));
        } else {
            let totals: Vec<Vec<String>> = tables[1].rows.iter()
                .map(|r| r[..5].to_vec())
                .collect();
            prop_assert_eq!(totals, expected_totals);
            let people: BTreeSet<&str> = newest.keys().map(|(l, _)| l.as_str()).collect();
            prop_assert_eq!(tables[2].rows.len(), people.len());
            prop_assert_eq!(
                all.contains(&t(lang, "report.moves.nothing_left")),
                expected_bullets.is_empty()
            );
        }
        // No reason the reports do not hold is named.
        for r in Reason::ALL {
            let held = newest.values().flat_map(|k| &k.reasons).any(|rc| rc.reason == r && rc.count > 0);
            prop_assert_eq!(all.contains(&reason(lang, r)), held, "{:?}", r);
        }
    }
}

/// A server given by its address (no app of the plan's) is named in words in every
/// language, never by the engine's word for it.
#[test]
fn a_server_given_by_its_address_is_named_in_words() {
    for lang in Language::ALL {
        let mut plan = union_branch();
        plan.language = lang;
        plan.deploy.moves = vec![report(
            MoveMode::Own,
            Some("2026-11-18T11:30:00Z"),
            vec![person(
                "per@lag.example",
                vec![row(DataKind::Files, "custom", [3, 3, 0, 0], &[], None)],
            )],
        )];
        let doc = ferry_report::build(&plan, &catalogue(), today());
        let shown = texts(&doc, &moves_part(&doc, lang));
        assert!(
            shown.contains(&t(lang, "recipe.custom.title")),
            "{lang:?}: {shown}"
        );
        assert!(!shown.contains("custom"), "{lang:?}: {shown}");
    }
}
