//! The document as an A4 PDF: cover, contents with page numbers and links, running
//! header and "page X of Y" footer, outline (bookmarks), title/author/language
//! metadata, DejaVu Sans embedded as a subset. Tagged (a structure tree of
//! headings, paragraphs, lists and tables; headers, footers and decoration as
//! artifacts) to PDF/UA-1, and archivable as PDF/A-2a.

mod archive;
mod blocks;
mod fonts;
mod layout;
mod ops;
mod structure;
mod tags;

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use crate::document::Document;
use fonts::Face;
use layout::{
    ACCENT, BODY, BODY_W, Draw, FOOTER_Y, GREY, HEADER_Y, INK, Layout, MARGIN_TOP, MARGIN_X,
    PAGE_W, SMALL,
};
use tags::{Artifact, Mark, Role};

pub use layout::{
    MARGIN_BOTTOM as BOTTOM_MARGIN_PT, MARGIN_X as SIDE_MARGIN_PT, PAGE_H as PAGE_HEIGHT_PT,
    PAGE_W as PAGE_WIDTH_PT,
};

/// What can go wrong between printpdf's document and the tagged file: each means
/// printpdf wrote something other than what the layout made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the PDF's objects are not as printpdf writes them: {0}")]
    Pdf(lopdf::Error),
    #[error("{laid_out} pages were laid out but {written} written")]
    PageCount { laid_out: usize, written: usize },
    #[error("page {page} has other links than were laid out")]
    LinkCount { page: usize },
    #[error("the PDF could not be written out: {0}")]
    Write(std::io::Error),
}

/// Lays out and writes the PDF.
pub fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    let fonts = fonts::fonts();
    let mut l = Layout::new(fonts);

    cover(&mut l, doc);
    let toc = doc.with_contents.then(|| {
        l.new_page(); // contents, filled in once the page numbers are known
        l.element(Role::Sect)
    });
    let mut starts = Vec::with_capacity(doc.sections.len());
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            l.new_page();
        }
        let space = if i == 0 { 0.0 } else { 14.0 };
        starts.push(l.section(&s.title, space, &s.blocks));
    }
    if let Some(toc) = toc {
        l.inside(toc, |l| contents(l, doc, &starts));
    }
    let total = l.pages.len();
    header_and_footer(&mut l, doc, total);

    let title = format!("{} — {}", doc.title, doc.organisation);
    let mut pdf = PdfDocument::new(&title);
    let regular = pdf.add_font(&fonts.regular.parsed);
    let bold = pdf.add_font(&fonts.bold.parsed);
    if doc.with_contents {
        pdf.add_bookmark(&doc.contents_title, 2);
    }
    for (s, page) in doc.sections.iter().zip(&starts) {
        pdf.add_bookmark(&s.title, page + 1);
    }
    let mut tree = std::mem::take(&mut l.tree);
    let marked = ops::marked(&l.pages, &mut tree, &regular, &bold);
    tree.prune();
    let pages = marked
        .pages
        .iter()
        .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops.clone()))
        .collect();
    pdf.with_pages(pages);

    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    structure::write(&mut lo, &tree, &marked)?;
    archive::write(
        &mut lo,
        &archive::Meta {
            title: &title,
            author: &doc.organisation,
            subject: &doc.subject,
            lang: doc.lang,
            date: doc.date,
        },
    )?;
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(Error::Write)?;
    Ok(out)
}

fn cover(l: &mut Layout, doc: &Document) {
    l.new_page();
    l.fill(0.0, 0.0, PAGE_W, 14.0, ACCENT);
    let mut y = 250.0;
    l.within(Role::H1, |l| {
        for line in l.wrap(&doc.title, 30.0, Face::Bold, BODY_W) {
            l.text_at(MARGIN_X, y, 30.0, Face::Bold, ACCENT, &line);
            y += Layout::line_height(30.0);
        }
    });
    y += 8.0;
    l.within(Role::P, |l| {
        for line in l.wrap(&doc.organisation, 20.0, Face::Bold, BODY_W) {
            l.text_at(MARGIN_X, y, 20.0, Face::Bold, INK, &line);
            y += Layout::line_height(20.0);
        }
    });
    y += 14.0;
    l.rule(MARGIN_X, MARGIN_X + 80.0, y, 2.0, ACCENT);
    y += 16.0;
    l.within(Role::P, |l| {
        for line in l.wrap(&doc.subtitle, 12.0, Face::Regular, BODY_W) {
            l.text_at(MARGIN_X, y, 12.0, Face::Regular, INK, &line);
            y += Layout::line_height(12.0);
        }
    });
    y += 24.0;
    l.within(Role::P, |l| {
        for line in l.wrap(&doc.status, BODY, Face::Bold, BODY_W) {
            l.text_at(MARGIN_X, y, BODY, Face::Bold, GREY, &line);
            y += Layout::line_height(BODY);
        }
    });
}

/// The contents page: one entry per section, each a link to its page.
fn contents(l: &mut Layout, doc: &Document, starts: &[usize]) {
    // Drawn onto the second page, which was left empty for it.
    l.target = Some(1);
    let mut y = MARGIN_TOP;
    // The contents' title reads as a heading: it names a part of the document.
    l.within(Role::H2, |l| {
        l.text_at(MARGIN_X, y, 15.0, Face::Bold, ACCENT, &doc.contents_title)
    });
    y += 36.0;
    let lh = Layout::line_height(11.0) + 6.0;
    let toc = l.element(Role::TOC);
    for (s, page) in doc.sections.iter().zip(starts) {
        let number = (page + 1).to_string();
        let number_w = l.width(&number, 11.0, Face::Regular);
        let title = l
            .wrap(&s.title, 11.0, Face::Regular, BODY_W - 40.0)
            .into_iter()
            .next()
            .unwrap_or_default();
        let title_w = l.width(&title, 11.0, Face::Regular);
        l.inside(toc, |l| {
            l.within(Role::TOCI, |l| {
                l.within(Role::Reference, |l| {
                    l.within(Role::Link, |l| {
                        let link = l.current();
                        l.tree.nodes[link].alt = Some(format!("{} {}", s.title, number));
                        l.text_at(MARGIN_X, y, 11.0, Face::Regular, INK, &title);
                        // Dotted leader from the title to the page number.
                        let dot_w = l.width(".", 11.0, Face::Regular) * 2.0;
                        let from = MARGIN_X + title_w + 6.0;
                        let to = MARGIN_X + BODY_W - number_w - 6.0;
                        if to > from {
                            let dots = ((to - from) / dot_w).floor() as usize;
                            l.artifact(Artifact::Layout, |l| {
                                l.text_at(
                                    to - dots as f32 * dot_w,
                                    y,
                                    11.0,
                                    Face::Regular,
                                    GREY,
                                    &". ".repeat(dots),
                                )
                            });
                        }
                        l.text_at(
                            MARGIN_X + BODY_W - number_w,
                            y,
                            11.0,
                            Face::Regular,
                            INK,
                            &number,
                        );
                        l.link(MARGIN_X, y - 2.0, BODY_W, lh - 2.0, *page);
                    })
                })
            })
        });
        y += lh;
    }
    l.target = None;
}

fn header_and_footer(l: &mut Layout, doc: &Document, total: usize) {
    let head = format!("{} — {}", doc.title, doc.organisation);
    let head = l
        .wrap(&head, SMALL, Face::Regular, BODY_W)
        .into_iter()
        .next()
        .unwrap_or_default();
    let generated = l
        .wrap(&doc.generated, SMALL, Face::Regular, BODY_W * 0.6)
        .into_iter()
        .next()
        .unwrap_or_default();
    for i in 0..total {
        let page_of = doc
            .page_of
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &total.to_string());
        let page_of_w = l.width(&page_of, SMALL, Face::Regular);
        let mut extra = Vec::new();
        let header = Mark::Artifact(Artifact::Header);
        let footer = Mark::Artifact(Artifact::Footer);
        if i > 0 {
            extra.push((header, text(MARGIN_X, HEADER_Y, SMALL, GREY, &head)));
            let rule = Draw::Rule {
                x1: MARGIN_X,
                x2: MARGIN_X + BODY_W,
                y: HEADER_Y + SMALL * 1.5,
                width: 0.5,
                color: GREY,
            };
            extra.push((header, rule));
        }
        extra.push((footer, text(MARGIN_X, FOOTER_Y, SMALL, GREY, &generated)));
        let x = MARGIN_X + BODY_W - page_of_w;
        extra.push((footer, text(x, FOOTER_Y, SMALL, GREY, &page_of)));
        l.pages[i].draws.extend(extra);
    }
}

fn text(x: f32, top: f32, size: f32, color: layout::Rgb, s: &str) -> Draw {
    Draw::Text {
        x,
        baseline: top + fonts::ASCENT * size,
        size,
        face: Face::Regular,
        color,
        text: fonts::fonts().regular.drawable(s).into_owned(),
    }
}
