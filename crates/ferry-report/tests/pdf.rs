//! The PDF read back with poppler: what a reader, a printer and a screen reader get.

mod common;

use common::*;
use ferry_core::messages::text;
use ferry_core::model::Language;
use ferry_report::pdf::{BOTTOM_MARGIN_PT, PAGE_HEIGHT_PT, PAGE_WIDTH_PT, SIDE_MARGIN_PT};

fn write_pdf(plan: &ferry_core::Plan, dir: &tempfile::TempDir, name: &str) -> String {
    let doc = ferry_report::build(plan, &catalogue(), today());
    let bytes = ferry_report::pdf::render(&doc).expect("the PDF is made");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Text of the PDF with lines joined, so that phrases wrapped over lines still match.
fn flat_text(path: &str) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", path, "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_in_order(haystack: &str, needles: &[String]) {
    let mut from = 0;
    for n in needles {
        match haystack[from..].find(n.as_str()) {
            Some(i) => from += i + n.len(),
            None => panic!(
                "{n:?} is missing or out of order; text after the previous item: {:?}",
                &haystack[from..haystack.len().min(from + 300)]
            ),
        }
    }
}

#[test]
fn the_norwegian_union_plan_has_every_section_and_key_fact_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let plan = union_branch();
    let path = write_pdf(&plan, &dir, "union.pdf");
    let body = flat_text(&path);
    let nb = |key: &str| text(Language::Nb, key, &[]);

    // Contents first, then every section heading in order after it.
    let sections = [
        "scope",
        "triggers",
        "inventory",
        "target",
        "export",
        "identity",
        "timeline",
        "backups",
        "leaving_host",
        "roles",
    ]
    .map(|s| nb(&format!("report.section.{s}")));
    let (_, after_contents) = body
        .split_once(&sections[9])
        .expect("contents list section 10");
    assert_in_order(after_contents, &sections);

    // The organisation, æ ø å exactly as typed.
    for fact in [
        "Fagforbundet Bergen og omland",
        "Ståle Øvrebø",
        "Åse Lærum",
        "Fjordhost SA (samvirke)",
        "Nordlys Drift AS",
        "45 000 NOK",
    ] {
        assert!(body.contains(fact), "{fact:?} missing");
    }
    // Every trigger, in the order the plan lists them.
    let triggers: Vec<String> = plan
        .exit_plan
        .triggers
        .iter()
        .map(|t| nb(&format!("trigger.{}", t.trigger.key())))
        .collect();
    assert_in_order(&body, &triggers);
    // Every chosen app, in the target table, in the order of the needs board.
    let apps: Vec<String> = ferry_core::exit::chosen_apps(&plan)
        .iter()
        .map(|(_, r)| format!(" {} ", nb(&format!("recipe.{r}.title"))))
        .collect();
    assert_eq!(apps.len(), 12);
    let (_, target) = after_contents.split_once(&sections[3]).unwrap();
    assert_in_order(target, &apps);
    // Credential holders in the identity section; the plan names two, so no warning.
    let (_, identity) = after_contents.split_once(&sections[5]).unwrap();
    assert_in_order(identity, &["Ståle Øvrebø".into(), "Åse Lærum".into()]);
    assert!(!body.contains("Personer med administrator- og gjenopprettingstilgang: "));
    // Each tool in use, with how its data leaves and what stays behind.
    let (_, export) = after_contents.split_once(&sections[4]).unwrap();
    assert_in_order(
        export,
        &[
            nb("tool.gmail"),
            nb("tool.google_drive"),
            nb("friction.sharing_links_break"),
            nb("tool.facebook_groups"),
            nb("friction.facebook_groups"),
        ],
    );
    // What will not migrate is said, per service, including the user's own words.
    assert!(body.contains("Kommentarer og forslag i Google Dokumenter"));
    assert!(body.contains(&text(Language::Nb, "friction.shared_with_me", &[])));
    // Page X of Y on every page.
    let pages: usize = poppler("pdfinfo", &[&path])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 6, "{pages} pages");
    for p in 1..=pages {
        assert!(
            body.contains(&format!("Side {p} av {pages}")),
            "footer of page {p}"
        );
    }
}

#[test]
fn spanish_and_norwegian_letters_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(&spanish_group(), &dir, "es.pdf");
    let body = flat_text(&path);
    for s in [
        "Asociación de Pacientes del Señorío de Ávila",
        "Begoña Muñoz Álvarez",
        "Íñigo Peña",
        "Enviaremos un correo a cada socio; mañana habrá una sesión de acogida.",
    ] {
        assert!(body.contains(s), "{s:?} did not survive: {body}");
    }
}

#[test]
fn fonts_are_embedded_subsets_and_metadata_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(&union_branch(), &dir, "fonts.pdf");
    let fonts = poppler("pdffonts", &[&path]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type… encoding emb sub uni object-id generation
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "not an embedded subset: {row}"
        );
        assert!(cols[0].contains('+'), "subset fonts carry a tag: {row}");
    }
    let info = poppler("pdfinfo", &[&path]);
    assert!(
        info.contains("Title:           Exit-plan — Fagforbundet Bergen og omland"),
        "{info}"
    );
    assert!(
        info.contains("Author:          Fagforbundet Bergen og omland"),
        "{info}"
    );
    assert!(
        !info.contains("PDF/X"),
        "no conformance the file does not meet: {info}"
    );
    let raw = std::fs::read(&path).unwrap();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Lang (nb)") || has(b"/Lang(nb)"), "document language");
    assert!(has(b"/Outlines"), "bookmarks");
    let size = raw.len();
    assert!(
        size < 200_000,
        "subset fonts keep the file small, got {size} bytes"
    );
}

#[test]
fn a_thirty_app_plan_paginates_inside_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let plan = thirty_apps();
    assert_eq!(ferry_core::exit::chosen_apps(&plan).len(), 30);
    let path = write_pdf(&plan, &dir, "thirty.pdf");
    let html = poppler("pdftotext", &["-bbox", &path, "-"]);
    let attr = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut words = 0;
    let mut pages = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            pages += 1;
            assert_eq!(attr(line, "width").round(), PAGE_WIDTH_PT.round());
            assert_eq!(attr(line, "height").round(), PAGE_HEIGHT_PT.round());
        }
        if !line.starts_with("<word ") {
            continue;
        }
        words += 1;
        let (x0, x1) = (attr(line, "xMin"), attr(line, "xMax"));
        let (y0, y1) = (attr(line, "yMin"), attr(line, "yMax"));
        let word = line
            .split('>')
            .nth(1)
            .and_then(|w| w.split('<').next())
            .unwrap_or("");
        assert!(
            x0 >= SIDE_MARGIN_PT - 0.5 && x1 <= PAGE_WIDTH_PT - SIDE_MARGIN_PT + 0.5,
            "page {pages}: {word:?} crosses a side margin ({x0}–{x1})"
        );
        // Header and footer sit in the top and bottom margins, 12 mm from the edge.
        let edge = 12.0 * 72.0 / 25.4 - 1.0;
        assert!(
            y0 >= edge && y1 <= PAGE_HEIGHT_PT - edge + 10.0,
            "page {pages}: {word:?} is off the page area ({y0}–{y1})"
        );
        // Body text stays above the footer area.
        if y0 <= PAGE_HEIGHT_PT - BOTTOM_MARGIN_PT {
            assert!(
                y1 <= PAGE_HEIGHT_PT - BOTTOM_MARGIN_PT + 1.0,
                "{word:?} runs into the footer"
            );
        }
    }
    assert!(words > 2000, "{words} words");
    assert!(pages >= 12, "30 apps should take many pages, got {pages}");

    // A table that breaks across pages repeats its header row.
    let body = poppler("pdftotext", &["-layout", &path, "-"]);
    let header = text(Language::En, "report.col.impact", &[]);
    let repeats = body
        .split('\u{c}')
        .filter(|page| page.contains(&header))
        .count();
    assert!(
        repeats >= 2,
        "the inventory table's header is on {repeats} page(s)"
    );
}

#[test]
fn an_empty_plan_says_what_is_missing_instead_of_leaving_sections_out() {
    let dir = tempfile::tempdir().unwrap();
    let plan = ferry_core::Plan::new("Ny forening", Language::Nb).unwrap();
    let path = write_pdf(&plan, &dir, "empty.pdf");
    let body = flat_text(&path);
    for key in [
        "report.section.target",
        "report.section.backups",
        "gap.no_owners",
        "gap.no_apps_chosen",
        "gap.no_restore_drill",
        "gap.no_fallback_coop",
        "report.identity.sso_pending",
    ] {
        let want = text(Language::Nb, key, &[]);
        assert!(body.contains(&want), "{key}: {want:?} missing");
    }
    let holders = text(
        Language::Nb,
        "gap.too_few_credential_holders",
        &[("count", "0"), ("min", "2")],
    );
    assert!(body.contains(&holders), "warning about credential holders");
}

#[test]
fn every_page_renders_with_ink_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(&union_branch(), &dir, "pages.pdf");
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &["-r", "20", "-gray", &path, prefix.to_str().unwrap()],
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 6, "{} pages rendered", pages.len());
    for page in pages {
        let bytes = std::fs::read(&page).unwrap();
        // P5 header: magic, width, height, maxval, then one byte per pixel.
        let header_end = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(2)
            .map(|(i, _)| i + 1)
            .unwrap();
        let pixels = &bytes[header_end..];
        let dark = pixels.iter().filter(|p| **p < 160).count();
        assert!(
            dark * 200 > pixels.len(),
            "{} looks blank ({dark} dark pixels of {})",
            page.display(),
            pixels.len()
        );
    }
}

#[test]
fn the_document_is_written_in_german_and_spanish_too() {
    let dir = tempfile::tempdir().unwrap();
    for lang in [Language::De, Language::Es] {
        let mut plan = union_branch();
        plan.language = lang;
        let path = write_pdf(&plan, &dir, &format!("{}.pdf", lang.code()));
        let body = flat_text(&path);
        let t = |key: &str| text(lang, key, &[]);
        // Headings in the plan's language, in order, and its page footer.
        assert_in_order(
            &body,
            &[
                t("report.contents"),
                t("report.section.scope"),
                t("report.section.leaving_host"),
                t("report.section.sign_off"),
            ],
        );
        let footer = text(lang, "report.page_of", &[("page", "1"), ("pages", "")]);
        assert!(body.contains(footer.trim()), "{lang:?}: {footer}");
        // Not the English or Norwegian words for the same headings.
        for other in [Language::En, Language::Nb] {
            assert!(
                !body.contains(&text(other, "report.section.leaving_host", &[])),
                "{lang:?} document has {other:?} text"
            );
        }
    }
}

/// The request to a hosting co-op, as a co-op reads it: title, the chosen apps and
/// the questions, in the plan's language.
#[test]
fn the_request_to_a_hosting_coop_reads_back_in_norwegian() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan =
        ferry_core::examples::build(ferry_core::examples::Example::PatientGroup, Language::Nb);
    plan.sso.idp = None;
    let path = dir.path().join("request.pdf");
    ferry_report::export::write_request(&plan, today(), ferry_report::DocumentFormat::Pdf, &path)
        .unwrap();
    let text = flat_text(path.to_str().unwrap());
    let mut want = vec![
        text_nb("request.title"),
        text_nb("request.about"),
        text_nb("request.apps"),
    ];
    want.extend(
        ferry_core::exit::chosen_apps(&plan)
            .iter()
            .map(|(_, r)| (*r).to_owned()),
    );
    want.extend([
        text_nb("request.sign_in"),
        text_nb("request.questions"),
        text_nb("request.question.backups"),
    ]);
    assert_in_order(&text, &want);
}

fn text_nb(key: &str) -> String {
    text(Language::Nb, key, &[])
}

/// What a screen reader gets: the structure tree as poppler reads it, with the
/// headings at their levels, lists, tables with header cells, and no running header
/// or footer in it (that they are marked as artifacts, not left untagged, is what
/// veraPDF checks in make test-pdf).
#[test]
fn the_pdf_is_tagged_with_headings_lists_and_tables_and_no_page_furniture() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(&union_branch(), &dir, "tagged.pdf");
    let info = poppler("pdfinfo", &[&path]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("PDF version:     1.7"), "{info}");
    let tree = poppler("pdfinfo", &["-struct-text", &path]);
    let nb = |key: &str| text(Language::Nb, key, &[]);
    // A line of the tree starts with its element's role ("TH:" when attributes follow).
    let role = |l: &str| {
        l.split_whitespace()
            .next()
            .map(|w| w.trim_end_matches(':').to_owned())
    };
    let first = |r: &str| tree.lines().position(|l| role(l).as_deref() == Some(r));
    for r in [
        "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "TH", "TD", "TOCI", "Link",
    ] {
        assert!(first(r).is_some(), "no {r} in the structure tree");
    }
    // The title is the one H1, and it comes before every H2.
    assert_eq!(
        tree.lines()
            .filter(|l| l.trim_start() == "H1 (block)")
            .count(),
        1
    );
    assert!(first("H1") < first("H2"));
    assert!(tree.contains("/Scope /Column") && tree.contains("/Scope /Row"));
    assert!(tree.contains(&format!("\"{}\"", nb("report.section.roles"))));
    // Page furniture is not read out: no "page X of Y" in the tree.
    let footer = text(
        Language::Nb,
        "report.page_of",
        &[("page", "1"), ("pages", "")],
    );
    assert!(
        !tree.contains(footer.trim()),
        "the footer is in the structure tree"
    );
}
