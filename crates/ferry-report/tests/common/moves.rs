//! Move reports for the report tests (`plan.deploy.moves`), and reading the moves
//! part back from the document and its PDF.

use std::collections::BTreeSet;

use ferry_core::messages::text;
use ferry_core::model::{Language, Plan};
use ferry_core::moves::{
    DataKind, KindReport, MoveMode, MoveReport, PersonReport, Reason, ReasonCount, Verified,
};
use ferry_report::{Block, Document, Table};

use super::{catalogue, poppler, today, union_branch};

/// A person's row of one kind: `[held, moved, already there, not moved]`, reasons
/// with counts, and what reading back found (`found, missing, contents match`).
pub fn row(
    kind: DataKind,
    app: &str,
    [held, moved, there, not]: [u64; 4],
    reasons: &[(Reason, u64)],
    verified: Option<(u64, u64, bool)>,
) -> KindReport {
    KindReport {
        kind,
        app: app.into(),
        in_export: held,
        moved,
        already_there: there,
        not_moved: not,
        bytes: moved * 1000,
        reasons: reasons
            .iter()
            .map(|&(reason, count)| ReasonCount { reason, count })
            .collect(),
        verified: verified.map(|(found, missing, checksums_match)| Verified {
            found,
            missing,
            checksums_match,
            at: "2026-11-19T17:00:00Z".parse().unwrap(),
        }),
    }
}

pub fn person(login: &str, kinds: Vec<KindReport>) -> PersonReport {
    PersonReport {
        login: login.into(),
        kinds,
    }
}

pub fn report(mode: MoveMode, finished: Option<&str>, people: Vec<PersonReport>) -> MoveReport {
    MoveReport {
        id: "plan-id".into(),
        mode,
        started_at: "2026-11-18T09:05:00Z".parse().unwrap(),
        finished_at: finished.map(|f| f.parse().unwrap()),
        people,
        left_in_export: Vec::new(),
    }
}

pub fn union_in(lang: Language) -> Plan {
    let mut plan = union_branch();
    plan.language = lang;
    plan
}

pub fn t(lang: Language, key: &str) -> String {
    text(lang, key, &[])
}

/// A number as the document groups its digits.
pub fn num(lang: Language, n: u64) -> String {
    let sep = match lang {
        Language::En => ",",
        Language::Nb => "\u{a0}",
        Language::De | Language::Es => ".",
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

pub fn date(lang: Language, day: u32) -> String {
    text(
        lang,
        "report.date",
        &[
            ("day", &day.to_string()),
            ("month", &t(lang, "report.month.11")),
            ("year", "2026"),
        ],
    )
}

pub fn at(lang: Language, day: u32, time: &str) -> String {
    text(
        lang,
        "report.moves.at",
        &[("date", &date(lang, day)), ("time", time)],
    )
}

pub fn kind(lang: Language, k: DataKind) -> String {
    t(lang, &format!("report.moves.kind.{}", k.key()))
}

pub fn reason(lang: Language, r: Reason) -> String {
    t(lang, &format!("move.reason.{}", r.key()))
}

/// Words as `pdftotext` gives them back: any run of spaces (the no-break space in
/// Norwegian numbers too) one space.
pub fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn in_order(haystack: &str, needles: &[String]) {
    let mut from = 0;
    for n in needles.iter().map(|n| flat(n)) {
        match haystack[from..].find(n.as_str()) {
            Some(i) => from += i + n.len(),
            None => panic!(
                "{n:?} is missing or out of order; after the previous: {:?}",
                &haystack[from..haystack.len().min(from + 400)]
            ),
        }
    }
}

pub fn pdf_text(plan: &Plan, dir: &tempfile::TempDir, name: &str) -> String {
    let doc = ferry_report::build(plan, &catalogue(), today());
    let bytes = ferry_report::pdf::render(&doc).expect("the PDF is made");
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).unwrap();
    if let Some(keep) = std::env::var_os("FERRY_KEEP_PDF_DIR") {
        std::fs::write(std::path::Path::new(&keep).join(name), &bytes).unwrap();
    }
    flat(&poppler(
        "pdftotext",
        &["-enc", "UTF-8", path.to_str().unwrap(), "-"],
    ))
}

/// The blocks of the moves part: from its heading to the end of section 5.
pub fn moves_part(doc: &Document, lang: Language) -> Vec<Block> {
    let export = doc
        .sections
        .iter()
        .find(|s| s.title == t(lang, "report.section.export"))
        .expect("section 5");
    let title = Block::Subheading(t(lang, "report.moves.title"));
    export
        .blocks
        .iter()
        .skip_while(|b| **b != title)
        .cloned()
        .collect()
}

pub fn tables(blocks: &[Block]) -> Vec<&Table> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The text of `blocks` alone, one piece a line.
pub fn texts(doc: &Document, blocks: &[Block]) -> String {
    let only = Document {
        sections: vec![ferry_report::Section {
            title: String::new(),
            blocks: blocks.to_vec(),
        }],
        ..doc.clone()
    };
    // After the title, subtitle, status and the section's (empty) title.
    only.texts()[4..].join("\n")
}

pub fn bullets(blocks: &[Block]) -> BTreeSet<String> {
    blocks
        .iter()
        .flat_map(|b| match b {
            Block::Bullets(items) => items.clone(),
            _ => Vec::new(),
        })
        .collect()
}
