//! Keep-together rules on random plans, read back from the PDF with
//! `pdftotext -bbox-layout`: no page ends with a heading, and the sign-off block
//! (heading, text and both signers' lines) is on one page.

mod common;

use common::*;
use ferry_core::examples::{Example, build};
use ferry_core::messages::text;
use ferry_core::model::{Language, Person};
use ferry_report::Block;
use ferry_report::pdf::{BOTTOM_MARGIN_PT, PAGE_HEIGHT_PT};
use proptest::prelude::*;

const VOCABULARY: &[&str] = &[
    "members",
    "board",
    "the",
    "archive",
    "we",
    "agree",
    "before",
    "migration",
    "co-op",
    "shared",
    "calendar",
    "and",
    "volunteers",
    "restore",
    "a",
    "week",
];

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..max).prop_map(|w| w.join(" "))
}

/// One line of text on a page, as poppler found it.
struct Line {
    top: f32,
    bottom: f32,
    text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let start = tag.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
    tag[start..].split('"').next().unwrap().parse().unwrap()
}

/// Pages of lines, from `pdftotext -bbox-layout`.
fn pages(path: &str) -> Vec<Vec<Line>> {
    let html = poppler("pdftotext", &["-bbox-layout", path, "-"]);
    let mut pages: Vec<Vec<Line>> = Vec::new();
    for raw in html.lines() {
        let tag = raw.trim();
        if tag.starts_with("<page ") {
            pages.push(Vec::new());
        } else if tag.starts_with("<line ") {
            let line = Line {
                top: attr(tag, "yMin"),
                bottom: attr(tag, "yMax"),
                text: String::new(),
            };
            pages.last_mut().expect("a line is on a page").push(line);
        } else if tag.starts_with("<word ") {
            let word = tag.split('>').nth(1).and_then(|w| w.split('<').next());
            let line = pages
                .last_mut()
                .and_then(|p| p.last_mut())
                .expect("in a line");
            if !line.text.is_empty() {
                line.text.push(' ');
            }
            line.text.push_str(&unescape(word.unwrap_or("")));
        }
    }
    pages
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Headings are set in 11.5 and 15 pt, the contents in 11 pt and body text in
/// 10 pt or less: a heading's line is taller than 13 pt and has a heading's words.
fn is_heading(l: &Line, headings: &[String]) -> bool {
    l.bottom - l.top > 13.0 && headings.iter().any(|h| h.contains(&l.text))
}

/// Section titles and subheadings, also those inside a group kept together.
fn headings(doc: &ferry_report::Document) -> Vec<String> {
    fn sub(blocks: &[Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Subheading(t) => out.push(t.clone()),
                Block::Together(inner) => sub(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for s in &doc.sections {
        out.push(s.title.clone());
        sub(&s.blocks, &mut out);
    }
    out
}

fn check(path: &str, lang: Language, headings: &[String]) -> Result<(), String> {
    let pages = pages(path);
    let body_bottom = PAGE_HEIGHT_PT - BOTTOM_MARGIN_PT + 1.0;
    // Page 1 is the cover, set in display sizes.
    for (i, page) in pages.iter().enumerate().skip(1) {
        let last = page
            .iter()
            .filter(|l| l.bottom < body_bottom && l.top > 50.0)
            .max_by(|a, b| a.bottom.total_cmp(&b.bottom));
        if let Some(last) = last
            && is_heading(last, headings)
        {
            return Err(format!(
                "page {} ends with the heading {:?}",
                i + 1,
                last.text
            ));
        }
    }
    let heading = text(lang, "report.section.sign_off", &[]);
    let on: Vec<usize> = (0..pages.len())
        .filter(|&p| {
            pages[p]
                .iter()
                .any(|l| l.text == heading && is_heading(l, headings))
        })
        .collect();
    let [page] = on[..] else {
        return Err(format!("the sign-off heading is on pages {on:?}"));
    };
    let mut lines: Vec<&Line> = pages[page].iter().collect();
    lines.sort_by(|a, b| a.top.total_cmp(&b.top));
    let from = lines
        .iter()
        .position(|l| l.text == heading)
        .expect("found above");
    let after: Vec<&str> = lines[from..].iter().map(|l| l.text.as_str()).collect();
    let intro = text(lang, "report.sign.intro", &[("body", "")]);
    let intro_start = intro.split_whitespace().next().unwrap_or_default();
    if !after.iter().any(|l| l.starts_with(intro_start)) {
        return Err(format!(
            "page {}: the sign-off text is not under its heading",
            page + 1
        ));
    }
    for key in [
        "report.sign.signature",
        "report.sign.place",
        "report.sign.date",
    ] {
        let label = text(lang, key, &[]);
        let n = after
            .iter()
            .filter(|l| l.split(' ').any(|w| w == label))
            .count();
        if n < 2 {
            return Err(format!(
                "page {}: {label:?} {n} time(s) under the sign-off heading, not once per signer",
                page + 1
            ));
        }
    }
    Ok(())
}

proptest! {
    // Each case writes a PDF and runs poppler: few cases, none stored.
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_page_ends_with_a_heading_and_the_sign_off_stays_whole(
        example in prop::sample::select(Example::ALL.to_vec()),
        lang in prop::sample::select(Language::ALL.to_vec()),
        criteria in prop::collection::vec(words(30), 0..14),
        owners in 0..7usize,
        notes in words(120),
        communication in words(200),
        sign_off_by in words(12),
    ) {
        let mut plan = build(example, lang);
        let e = &mut plan.exit_plan;
        e.success_criteria = criteria;
        e.owners = (0..owners)
            .map(|i| Person {
                name: format!("Person {i}"),
                role: "board".into(),
                email: format!("p{i}@example.org"),
            })
            .collect();
        e.budget.notes = notes;
        e.member_communication = communication;
        e.sign_off_by = sign_off_by;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.pdf");
        let doc = ferry_report::build(&plan, &catalogue(), today());
        std::fs::write(&path, ferry_report::pdf::render(&doc).unwrap()).unwrap();
        let result = check(path.to_str().unwrap(), lang, &headings(&doc));
        prop_assert!(result.is_ok(), "{:?} in {lang:?}: {}", example, result.unwrap_err());
    }
}
