//! The document as an A4 PDF: cover, contents with page numbers and links, running
//! header and "page X of Y" footer, outline (bookmarks), title/author/language
//! metadata, DejaVu Sans embedded as a subset.

mod fonts;
mod layout;

use printpdf::{
    Actions, BorderArray, Color, Destination, Line, LinePoint, LinkAnnotation, Mm, Op, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

use crate::document::Document;
use fonts::Face;
use layout::{
    ACCENT, BODY, BODY_W, Draw, FOOTER_Y, GREY, HEADER_Y, INK, Layout, MARGIN_TOP, MARGIN_X,
    PAGE_H, PAGE_W, SMALL,
};

pub use layout::{
    MARGIN_BOTTOM as BOTTOM_MARGIN_PT, MARGIN_X as SIDE_MARGIN_PT, PAGE_H as PAGE_HEIGHT_PT,
    PAGE_W as PAGE_WIDTH_PT,
};

/// Lays out and writes the PDF.
pub fn render(doc: &Document) -> Vec<u8> {
    let fonts = fonts::fonts();
    let mut l = Layout::new(fonts);

    cover(&mut l, doc);
    if doc.with_contents {
        l.new_page(); // contents, filled in once the page numbers are known
    }
    let mut starts = Vec::with_capacity(doc.sections.len());
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            l.new_page();
        }
        l.section_heading(&s.title, if i == 0 { 0.0 } else { 14.0 });
        starts.push(l.page_index());
        for b in &s.blocks {
            l.block(b);
        }
    }
    if doc.with_contents {
        contents(&mut l, doc, &starts);
    }
    let total = l.pages.len();
    header_and_footer(&mut l, doc, total);

    let mut pdf = PdfDocument::new(&format!("{} — {}", doc.title, doc.organisation));
    pdf.metadata.info.author = doc.organisation.clone();
    pdf.metadata.info.subject = doc.subject.clone();
    pdf.metadata.info.creator = "Ferry".into();
    pdf.metadata.info.producer = "Ferry (printpdf)".into();
    let regular = pdf.add_font(&fonts.regular.parsed);
    let bold = pdf.add_font(&fonts.bold.parsed);
    if doc.with_contents {
        pdf.add_bookmark(&doc.contents_title, 2);
    }
    for (s, page) in doc.sections.iter().zip(&starts) {
        pdf.add_bookmark(&s.title, page + 1);
    }
    let pages = l
        .pages
        .iter()
        .map(|p| {
            let ops = p
                .draws
                .iter()
                .flat_map(|d| ops(d, &regular, &bold))
                .collect();
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    pdf.with_pages(pages);

    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    // printpdf has no field for the document language; screen readers and
    // hyphenation need it, so it is set on the catalogue directly.
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Lang", lopdf::Object::string_literal(doc.lang));
    }
    // printpdf stamps an empty PDF/X version and the Unix epoch into the info
    // dictionary; a plain PDF with the document's date is the honest description.
    let info = lo
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference);
    if let Ok(id) = info
        && let Ok(dict) = lo.get_object_mut(id).and_then(lopdf::Object::as_dict_mut)
    {
        dict.remove(b"GTS_PDFXVersion");
        dict.remove(b"Trapped");
        dict.remove(b"Identifier");
        let stamp = format!("D:{}000000Z", doc.date.format("%Y%m%d"));
        dict.set("CreationDate", lopdf::Object::string_literal(stamp.clone()));
        dict.set("ModDate", lopdf::Object::string_literal(stamp));
    }
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .expect("writing a PDF into memory cannot fail");
    out
}

fn cover(l: &mut Layout, doc: &Document) {
    l.new_page();
    l.fill(0.0, 0.0, PAGE_W, 14.0, ACCENT);
    let mut y = 250.0;
    for line in l.wrap(&doc.title, 30.0, Face::Bold, BODY_W) {
        l.text_at(MARGIN_X, y, 30.0, Face::Bold, ACCENT, &line);
        y += Layout::line_height(30.0);
    }
    y += 8.0;
    for line in l.wrap(&doc.organisation, 20.0, Face::Bold, BODY_W) {
        l.text_at(MARGIN_X, y, 20.0, Face::Bold, INK, &line);
        y += Layout::line_height(20.0);
    }
    y += 14.0;
    l.rule(MARGIN_X, MARGIN_X + 80.0, y, 2.0, ACCENT);
    y += 16.0;
    for line in l.wrap(&doc.subtitle, 12.0, Face::Regular, BODY_W) {
        l.text_at(MARGIN_X, y, 12.0, Face::Regular, INK, &line);
        y += Layout::line_height(12.0);
    }
    y += 24.0;
    for line in l.wrap(&doc.status, BODY, Face::Bold, BODY_W) {
        l.text_at(MARGIN_X, y, BODY, Face::Bold, GREY, &line);
        y += Layout::line_height(BODY);
    }
}

fn contents(l: &mut Layout, doc: &Document, starts: &[usize]) {
    // Drawn onto the second page, which was left empty for it.
    l.target = Some(1);
    let mut y = MARGIN_TOP;
    l.text_at(MARGIN_X, y, 15.0, Face::Bold, ACCENT, &doc.contents_title);
    y += 36.0;
    let lh = Layout::line_height(11.0) + 6.0;
    for (s, page) in doc.sections.iter().zip(starts) {
        let number = (page + 1).to_string();
        let number_w = l.width(&number, 11.0, Face::Regular);
        let title = l
            .wrap(&s.title, 11.0, Face::Regular, BODY_W - 40.0)
            .into_iter()
            .next()
            .unwrap_or_default();
        let title_w = l.width(&title, 11.0, Face::Regular);
        l.text_at(MARGIN_X, y, 11.0, Face::Regular, INK, &title);
        // Dotted leader from the title to the page number.
        let dot_w = l.width(".", 11.0, Face::Regular) * 2.0;
        let from = MARGIN_X + title_w + 6.0;
        let to = MARGIN_X + BODY_W - number_w - 6.0;
        if to > from {
            let dots = ((to - from) / dot_w).floor() as usize;
            l.text_at(
                to - dots as f32 * dot_w,
                y,
                11.0,
                Face::Regular,
                GREY,
                &". ".repeat(dots),
            );
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
        if i > 0 {
            extra.push(text(MARGIN_X, HEADER_Y, SMALL, GREY, &head));
            extra.push(Draw::Rule {
                x1: MARGIN_X,
                x2: MARGIN_X + BODY_W,
                y: HEADER_Y + SMALL * 1.5,
                width: 0.5,
                color: GREY,
            });
        }
        extra.push(text(MARGIN_X, FOOTER_Y, SMALL, GREY, &generated));
        extra.push(text(
            MARGIN_X + BODY_W - page_of_w,
            FOOTER_Y,
            SMALL,
            GREY,
            &page_of,
        ));
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
        text: s.to_owned(),
    }
}

fn rgb((r, g, b): layout::Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn ops(d: &Draw, regular: &printpdf::FontId, bold: &printpdf::FontId) -> Vec<Op> {
    match d {
        Draw::Text {
            x,
            baseline,
            size,
            face,
            color,
            text,
        } => {
            let font = match face {
                Face::Regular => regular,
                Face::Bold => bold,
            };
            vec![
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::External(font.clone()),
                    size: Pt(*size),
                },
                Op::SetFillColor { col: rgb(*color) },
                Op::SetTextCursor {
                    pos: Point {
                        x: Pt(*x),
                        y: Pt(PAGE_H - baseline),
                    },
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                },
                Op::EndTextSection,
            ]
        }
        Draw::Fill {
            x,
            top,
            w,
            h,
            color,
        } => vec![
            Op::SetFillColor { col: rgb(*color) },
            Op::DrawPolygon {
                polygon: Rect::from_xywh(Pt(*x), Pt(PAGE_H - top - h), Pt(*w), Pt(*h)).to_polygon(),
            },
        ],
        Draw::Rule {
            x1,
            x2,
            y,
            width,
            color,
        } => {
            let point = |x: f32| LinePoint {
                p: Point {
                    x: Pt(x),
                    y: Pt(PAGE_H - y),
                },
                bezier: false,
            };
            vec![
                Op::SetOutlineColor { col: rgb(*color) },
                Op::SetOutlineThickness { pt: Pt(*width) },
                Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1), point(*x2)],
                        is_closed: false,
                    },
                },
            ]
        }
        Draw::Link { x, top, w, h, page } => vec![Op::LinkAnnotation {
            link: LinkAnnotation::new(
                Rect::from_xywh(Pt(*x), Pt(PAGE_H - top - h), Pt(*w), Pt(*h)),
                Actions::Goto(Destination::Xyz {
                    page: page + 1,
                    left: None,
                    top: None,
                    zoom: None,
                }),
                // No visible box around the link: the contents look like a printed page.
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                None,
                None,
            ),
        }],
    }
}
