//! The laid-out pages as printpdf operations. Each run of draws with the same mark
//! is one marked-content sequence: `/P <</MCID n>> BDC … EMC` for content (the MCID
//! ties it to its structure element), `/Artifact <<…>> BDC … EMC` for the rest.

use std::collections::BTreeMap;

use printpdf::{
    Actions, BorderArray, Color, Destination, DictItem, FontId, Line, LinePoint, LinkAnnotation,
    Op, PdfFontHandle, Point, Pt, Rect, TextItem,
};

use super::fonts::Face;
use super::layout::{Draw, PAGE_H, Page, Rgb};
use super::tags::{Artifact, Kid, Mark, NodeId, Tree};

/// The pages' operations and what the structure tree needs to point into them.
pub struct Marked {
    pub pages: Vec<Vec<Op>>,
    /// Per page, the structure element of each MCID, in MCID order.
    pub mcids: Vec<Vec<NodeId>>,
    /// Per page, the Link element of each link annotation, in the page's order.
    pub links: Vec<Vec<NodeId>>,
}

/// Turns the pages into operations and records in `tree` which marked content and
/// which annotations belong to which element.
pub fn marked(pages: &[Page], tree: &mut Tree, regular: &FontId, bold: &FontId) -> Marked {
    let mut out = Marked {
        pages: Vec::with_capacity(pages.len()),
        mcids: Vec::with_capacity(pages.len()),
        links: Vec::with_capacity(pages.len()),
    };
    for (page, p) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        let mut mcids = Vec::new();
        let mut links = Vec::new();
        let mut open: Option<Mark> = None;
        for (mark, d) in &p.draws {
            if let (Draw::Link { .. }, Mark::Node(n)) = (d, mark) {
                // An annotation is not page content: no marked-content sequence.
                let index = links.len();
                tree.nodes[*n].kids.push(Kid::Annotation { page, index });
                links.push(*n);
                ops.extend(draw_ops(d, regular, bold));
                continue;
            }
            if open != Some(*mark) {
                if open.is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                ops.push(begin(*mark, tree, page, &mut mcids));
                open = Some(*mark);
            }
            ops.extend(draw_ops(d, regular, bold));
        }
        if open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        out.pages.push(ops);
        out.mcids.push(mcids);
        out.links.push(links);
    }
    out
}

fn begin(mark: Mark, tree: &mut Tree, page: usize, mcids: &mut Vec<NodeId>) -> Op {
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let (tag, props) = match mark {
        Mark::Node(n) => {
            let mcid = mcids.len();
            mcids.push(n);
            tree.nodes[n].kids.push(Kid::Content { page, mcid });
            let mcid = DictItem::Int(mcid as i64);
            (tree.nodes[n].role.name(), vec![("MCID", mcid)])
        }
        Mark::Artifact(Artifact::Layout) => ("Artifact", vec![("Type", name("Layout"))]),
        Mark::Artifact(Artifact::Repeated) => ("Artifact", vec![("Type", name("Pagination"))]),
        Mark::Artifact(Artifact::Header) => (
            "Artifact",
            vec![("Type", name("Pagination")), ("Subtype", name("Header"))],
        ),
        Mark::Artifact(Artifact::Footer) => (
            "Artifact",
            vec![("Type", name("Pagination")), ("Subtype", name("Footer"))],
        ),
    };
    Op::BeginMarkedContentWithProperties {
        tag: tag.to_owned(),
        properties: DictItem::Dict {
            map: props
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<BTreeMap<_, _>>(),
        },
    }
}

fn rgb((r, g, b): Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn draw_ops(d: &Draw, regular: &FontId, bold: &FontId) -> Vec<Op> {
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
