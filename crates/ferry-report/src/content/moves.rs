//! The end of section 5 of the exit plan: what Ferry's data moves did
//! (`plan.deploy.moves`) — when each ran, whose accounts it used, into which apps, per
//! kind and per person how much the export held, moved, already there, not moved and
//! read back, and in words what was not moved and why. Only what the reports hold:
//! without a report, one sentence that nothing has been moved with Ferry yet (and
//! nothing at all when the plan has no app Ferry moves data into).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use ferry_core::moves::{DataKind, KindReport, LeftBehind, MoveMode, MoveReport, Reason};

use super::*;

/// The newest row for each person and kind. A run's report counts what the move's
/// record holds for the plan so far, so an older report's rows are replaced by a
/// newer one's, never added to them.
type Latest<'a> = BTreeMap<(&'a str, DataKind), &'a KindReport>;

fn latest(moves: &[MoveReport]) -> Latest<'_> {
    let mut out = Latest::new();
    for m in moves {
        for p in &m.people {
            for k in &p.kinds {
                out.insert((p.login.as_str(), k.kind), k);
            }
        }
    }
    out
}

/// The rows of one kind, by person.
fn of_kind<'a>(rows: &Latest<'a>, kind: DataKind) -> Vec<&'a KindReport> {
    rows.iter()
        .filter(|((_, k), _)| *k == kind)
        .map(|(_, r)| *r)
        .collect()
}

pub(super) fn moved(w: &Words, plan: &Plan) -> Vec<Block> {
    let moves = &plan.deploy.moves;
    let title = Block::Subheading(w.t("report.moves.title"));
    if moves.is_empty() {
        let movable = chosen_apps(plan)
            .iter()
            .any(|(need, _)| DataKind::ALL.iter().any(|k| k.need() == *need));
        return if movable {
            vec![title, Block::Paragraph(w.t("report.moves.not_yet"))]
        } else {
            Vec::new()
        };
    }
    let mut blocks = vec![
        title,
        Block::Paragraph(w.t("report.moves.intro")),
        runs(w, moves),
    ];
    let rows = latest(moves);
    if rows.is_empty() {
        blocks.push(Block::Paragraph(w.t("report.moves.no_rows")));
    } else {
        blocks.push(Block::Paragraph(w.t("report.moves.totals")));
        blocks.push(totals(w, &rows));
        blocks.push(Block::Paragraph(w.t("report.moves.per_person")));
        blocks.push(per_person(w, &rows));
    }
    blocks.extend(not_moved(w, &rows, moves));
    blocks
}

fn kind_name(w: &Words, kind: DataKind) -> String {
    w.t(&format!("report.moves.kind.{}", kind.key()))
}

/// A moment as "21 November 2026, 14:05 UTC".
fn at(w: &Words, t: DateTime<Utc>) -> String {
    w.ta(
        "report.moves.at",
        &[
            ("date", &w.date(t.date_naive())),
            ("time", &t.format("%H:%M").to_string()),
        ],
    )
}

/// The apps each kind went into, as the rows name them: "Mail → Mailu, Files → …".
fn into<'a>(w: &Words, rows: impl Iterator<Item = &'a KindReport>) -> String {
    let mut apps: BTreeMap<DataKind, BTreeSet<&str>> = BTreeMap::new();
    for k in rows {
        apps.entry(k.kind).or_default().insert(k.app.as_str());
    }
    if apps.is_empty() {
        return w.t("report.moves.cell_none");
    }
    apps.iter()
        .flat_map(|(kind, apps)| {
            apps.iter().map(|app| {
                w.ta(
                    "report.moves.into",
                    &[("kind", &kind_name(w, *kind)), ("app", &w.app(app))],
                )
            })
        })
        .collect::<Vec<_>>()
        // A line each in the PDF; one line in Markdown.
        .join(",\n")
}

/// Each run kept in the plan, oldest first.
fn runs(w: &Words, moves: &[MoveReport]) -> Block {
    table(
        vec![
            w.t("report.moves.col.started"),
            w.t("report.moves.col.ended"),
            w.t("report.moves.col.mode"),
            w.t("report.moves.col.people"),
            w.t("report.moves.col.into"),
        ],
        &[2.2, 2.2, 2.0, 1.3, 2.5],
        moves
            .iter()
            .map(|m| {
                let mode = match m.mode {
                    MoveMode::Own => "report.moves.mode.own",
                    MoveMode::Admin => "report.moves.mode.admin",
                };
                vec![
                    at(w, m.started_at),
                    m.finished_at
                        .map_or_else(|| w.t("report.moves.not_finished"), |t| at(w, t)),
                    w.t(mode),
                    w.number(m.people.len() as u64),
                    into(w, m.people.iter().flat_map(|p| &p.kinds)),
                ]
            })
            .collect(),
    )
}

/// What reading back found over several people's rows of one kind.
fn read_back(w: &Words, rows: &[&KindReport]) -> String {
    let verified: Vec<_> = rows.iter().filter_map(|k| k.verified.as_ref()).collect();
    if verified.is_empty() {
        return w.t("report.moves.not_read_back");
    }
    let found: u64 = verified.iter().map(|v| v.found).sum();
    let missing: u64 = verified.iter().map(|v| v.missing).sum();
    let mut parts = vec![
        w.ta(
            "report.moves.read_back",
            &[("found", &w.number(found)), ("missing", &w.number(missing))],
        ),
        w.t(if verified.iter().all(|v| v.checksums_match) {
            "report.moves.contents_match"
        } else {
            "report.moves.contents_differ"
        }),
    ];
    if verified.len() < rows.len() {
        parts.push(w.ta(
            "report.moves.some_not_read_back",
            &[
                ("n", &w.number((rows.len() - verified.len()) as u64)),
                ("of", &w.number(rows.len() as u64)),
            ],
        ));
    }
    parts.join("; ")
}

/// One row per kind: the newest counts of every person added up (the apps are in
/// the table of runs). Widths fit the longest header words of all four languages.
fn totals(w: &Words, rows: &Latest) -> Block {
    let body = DataKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let rs = of_kind(rows, kind);
            if rs.is_empty() {
                return None;
            }
            let sum = |f: fn(&KindReport) -> u64| w.number(rs.iter().map(|k| f(k)).sum::<u64>());
            Some(vec![
                kind_name(w, kind),
                sum(|k| k.in_export),
                sum(|k| k.moved),
                sum(|k| k.already_there),
                sum(|k| k.not_moved),
                read_back(w, &rs),
            ])
        })
        .collect();
    table(
        vec![
            w.t("report.moves.col.what"),
            w.t("report.moves.col.held"),
            w.t("report.moves.col.moved"),
            w.t("report.moves.col.there"),
            w.t("report.moves.col.not_moved"),
            w.t("report.moves.col.read_back"),
        ],
        &[1.45, 1.5, 1.5, 1.5, 1.5, 2.55],
        body,
    )
}

/// One person's kind in a few words: "1,204 of 1,210, 6 not moved; read back".
fn cell(w: &Words, k: &KindReport) -> String {
    let done = k.moved.saturating_add(k.already_there);
    let mut out = w.ta(
        "report.moves.cell",
        &[("done", &w.number(done)), ("held", &w.number(k.in_export))],
    );
    if k.not_moved > 0 {
        out.push_str(", ");
        out.push_str(&w.ta(
            "report.moves.cell_not_moved",
            &[("n", &w.number(k.not_moved))],
        ));
    }
    let checked = match &k.verified {
        None => w.t("report.moves.cell_not_read_back"),
        Some(v) if v.missing > 0 => {
            w.ta("report.moves.cell_missing", &[("n", &w.number(v.missing))])
        }
        Some(v) if !v.checksums_match => w.t("report.moves.contents_differ"),
        Some(_) => w.t("report.moves.cell_read_back"),
    };
    format!("{out}; {checked}")
}

/// One row per person, a column per kind moved: compact enough for forty people.
fn per_person(w: &Words, rows: &Latest) -> Block {
    let kinds: Vec<DataKind> = DataKind::ALL
        .into_iter()
        .filter(|kind| rows.keys().any(|(_, k)| k == kind))
        .collect();
    let people: BTreeSet<&str> = rows.keys().map(|(login, _)| *login).collect();
    let mut headers = vec![w.t("report.moves.col.account")];
    headers.extend(kinds.iter().map(|k| kind_name(w, *k)));
    let mut widths = vec![2.6];
    widths.extend(kinds.iter().map(|_| 2.0));
    let body = people
        .into_iter()
        .map(|login| {
            let mut row = vec![login.to_owned()];
            row.extend(kinds.iter().map(|kind| {
                rows.get(&(login, *kind))
                    .map_or_else(|| w.t("report.moves.cell_none"), |k| cell(w, k))
            }));
            row
        })
        .collect();
    table(headers, &widths, body)
}

/// Sizes as the reports hold them, in the document's decimal sign.
fn size(w: &Words, bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    let (key, n) = if b >= KB * KB * KB {
        ("report.moves.gb", format!("{:.1}", b / (KB * KB * KB)))
    } else if b >= KB * KB {
        ("report.moves.mb", format!("{:.1}", b / (KB * KB)))
    } else {
        ("report.moves.kb", bytes.div_ceil(1024).to_string())
    };
    let n = match w.lang {
        Language::En => n,
        Language::Nb | Language::De | Language::Es => n.replace('.', ","),
    };
    w.ta(key, &[("n", &n)])
}

/// What did not move, and why, in words: items not in the new apps, items moved
/// without something, and the parts of the export Ferry does not move.
fn not_moved(w: &Words, rows: &Latest, moves: &[MoveReport]) -> Vec<Block> {
    let (mut gone, mut partly) = (Vec::new(), Vec::new());
    for kind in DataKind::ALL {
        let rs = of_kind(rows, kind);
        if rs.is_empty() {
            continue;
        }
        let name = kind_name(w, kind);
        let mut reasons: BTreeMap<Reason, u64> = BTreeMap::new();
        for r in rs.iter().flat_map(|k| &k.reasons) {
            let n = reasons.entry(r.reason).or_default();
            *n = n.saturating_add(r.count);
        }
        let mut explained = 0u64;
        for (reason, count) in reasons.into_iter().filter(|(_, n)| *n > 0) {
            let args = [
                ("kind", name.as_str()),
                ("count", &w.number(count)),
                ("reason", &w.t(&format!("move.reason.{}", reason.key()))),
            ];
            if reason.item_moved() {
                partly.push(w.ta("report.moves.partly.line", &args));
            } else {
                explained = explained.saturating_add(count);
                gone.push(w.ta("report.moves.not_moved.line", &args));
            }
        }
        let total = |f: fn(&KindReport) -> u64| rs.iter().map(|k| f(k)).sum::<u64>();
        let not_moved = total(|k| k.not_moved);
        if not_moved > explained {
            gone.push(w.ta(
                "report.moves.not_moved.no_reason",
                &[("kind", &name), ("count", &w.number(not_moved - explained))],
            ));
        }
        let accounted = total(|k| k.moved)
            .saturating_add(total(|k| k.already_there))
            .saturating_add(not_moved);
        let held = total(|k| k.in_export);
        if held > accounted {
            gone.push(w.ta(
                "report.moves.not_moved.unaccounted",
                &[("kind", &name), ("count", &w.number(held - accounted))],
            ));
        }
    }
    // The newest count of each part of the export left behind.
    let mut left: BTreeMap<&str, &LeftBehind> = BTreeMap::new();
    for l in moves.iter().flat_map(|m| &m.left_in_export) {
        left.insert(l.product.as_str(), l);
    }
    let mut blocks = vec![Block::Subheading(w.t("report.moves.not_moved.title"))];
    if gone.is_empty() && partly.is_empty() && left.is_empty() {
        if rows.is_empty() {
            return Vec::new();
        }
        blocks.push(Block::Paragraph(w.t("report.moves.nothing_left")));
        return blocks;
    }
    let keep_export = !gone.is_empty() || !left.is_empty();
    if !gone.is_empty() {
        blocks.push(Block::Paragraph(w.t("report.moves.not_moved.intro")));
        blocks.push(Block::Bullets(gone));
    }
    if !partly.is_empty() {
        blocks.push(Block::Paragraph(w.t("report.moves.partly.intro")));
        blocks.push(Block::Bullets(partly));
    }
    if !left.is_empty() {
        blocks.push(Block::Paragraph(w.t("report.moves.left.intro")));
        blocks.push(Block::Bullets(
            left.values()
                .map(|l| {
                    let key = if l.files == 1 {
                        "report.moves.left.one"
                    } else {
                        "report.moves.left.other"
                    };
                    w.ta(
                        key,
                        &[
                            ("product", &l.product),
                            ("files", &w.number(l.files)),
                            ("size", &size(w, l.bytes)),
                        ],
                    )
                })
                .collect(),
        ));
    }
    if keep_export {
        blocks.push(Block::Note(w.t("report.moves.keep_export")));
    }
    blocks
}
