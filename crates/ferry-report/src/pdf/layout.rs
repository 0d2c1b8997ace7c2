//! Page layout: positioned text, fills and rules on A4 pages, each marked with the
//! structure element it belongs to or as an artifact ([`super::tags`]). The blocks
//! themselves are laid out in `blocks.rs`. Coordinates here run from the top of the
//! page down, in points; the writer in `mod.rs` flips them for PDF.

use super::fonts::{ASCENT, DESCENT, Face, Fonts};
use super::tags::{Artifact, Mark, NodeId, ROOT, Role, Tree};

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;
pub const MARGIN_X: f32 = 20.0 * MM;
pub const MARGIN_TOP: f32 = 25.0 * MM;
pub const MARGIN_BOTTOM: f32 = 22.0 * MM;
pub const BODY_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Header and footer sit in the margins, this far from the page edge.
pub const HEADER_Y: f32 = 12.0 * MM;
pub const FOOTER_Y: f32 = PAGE_H - 12.0 * MM;

pub const BODY: f32 = 10.0;
pub const SMALL: f32 = 8.0;
const LEADING: f32 = 1.38;

pub type Rgb = (f32, f32, f32);
pub const INK: Rgb = (0.10, 0.12, 0.16);
pub const GREY: Rgb = (0.38, 0.40, 0.45);
pub const ACCENT: Rgb = (0.05, 0.32, 0.45);
pub const HEADER_FILL: Rgb = (0.87, 0.92, 0.95);
pub const ROW_RULE: Rgb = (0.78, 0.80, 0.84);
pub const MISSING_FILL: Rgb = (0.99, 0.95, 0.85);
pub const MISSING_BAR: Rgb = (0.80, 0.52, 0.05);
pub const MISSING_INK: Rgb = (0.40, 0.25, 0.0);

#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// `baseline` is measured from the top of the page.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        face: Face,
        color: Rgb,
        text: String,
    },
    Fill {
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: Rgb,
    },
    /// A clickable area that goes to a page (0-based).
    Link {
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        page: usize,
    },
}

impl Draw {
    pub fn is_text(&self) -> bool {
        matches!(self, Draw::Text { .. })
    }
}

#[derive(Debug, Default)]
pub struct Page {
    pub draws: Vec<(Mark, Draw)>,
}

pub struct Layout<'f> {
    fonts: &'f Fonts,
    pub pages: Vec<Page>,
    /// Top of the free space on the current page.
    pub(super) y: f32,
    /// Draw onto this page instead of the last one (the contents page is filled in last).
    pub target: Option<usize>,
    pub tree: Tree,
    /// The element new elements go into.
    container: NodeId,
    /// What text drawn now belongs to.
    mark: Mark,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: Vec::new(),
            y: MARGIN_TOP,
            target: None,
            tree: Tree::new(),
            container: ROOT,
            mark: Mark::Node(ROOT),
        }
    }

    /// An empty layout whose only page is filled down to where this one is: to try
    /// what follows without drawing it (keep-together rules).
    pub(super) fn trial(&self) -> Layout<'f> {
        let mut t = Layout::new(self.fonts);
        t.new_page();
        t.y = self.y;
        t
    }

    /// Whether the cursor is below the top of its page.
    pub(super) fn below_top(&self) -> bool {
        self.y > MARGIN_TOP
    }

    /// Adds an element to the current one and lays out `f` inside it.
    pub fn within<R>(&mut self, role: Role, f: impl FnOnce(&mut Self) -> R) -> R {
        let node = self.tree.add(self.container, role);
        self.inside(node, f)
    }

    /// Lays out `f` inside an element made earlier (a table cell, the contents).
    pub fn inside<R>(&mut self, node: NodeId, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = (self.container, self.mark);
        self.container = node;
        self.mark = Mark::Node(node);
        let r = f(self);
        (self.container, self.mark) = saved;
        r
    }

    /// The element being laid out.
    pub fn current(&self) -> NodeId {
        self.container
    }

    /// An element added to the current one, for `inside` later.
    pub fn element(&mut self, role: Role) -> NodeId {
        self.tree.add(self.container, role)
    }

    /// Lays out `f` as an artifact: drawn, but not read out.
    pub fn artifact<R>(&mut self, kind: Artifact, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = self.mark;
        self.mark = Mark::Artifact(kind);
        let r = f(self);
        self.mark = saved;
        r
    }

    pub fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN_TOP;
    }

    fn bottom() -> f32 {
        PAGE_H - MARGIN_BOTTOM
    }

    pub(super) fn room(&self) -> f32 {
        Self::bottom() - self.y
    }

    /// Starts a new page unless `h` points still fit on this one.
    pub(super) fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || (h > self.room() && self.y > MARGIN_TOP) {
            self.new_page();
        }
    }

    pub fn gap(&mut self, h: f32) {
        if self.y > MARGIN_TOP {
            self.y = (self.y + h).min(Self::bottom());
        }
    }

    fn draw(&mut self, d: Draw) {
        // Fills and rules are decoration wherever they are drawn.
        let mark = match (self.mark, &d) {
            (Mark::Node(_), Draw::Fill { .. } | Draw::Rule { .. }) => {
                Mark::Artifact(Artifact::Layout)
            }
            (mark, _) => mark,
        };
        if self.pages.is_empty() {
            self.new_page();
        }
        let i = self.target.unwrap_or(self.page_index());
        self.pages[i].draws.push((mark, d));
    }

    pub fn line_height(size: f32) -> f32 {
        size * LEADING
    }

    pub fn width(&self, text: &str, size: f32, face: Face) -> f32 {
        self.fonts.get(face).width(text, size)
    }

    /// Puts `text` on a baseline `top + ascent`, returning nothing; for fixed places
    /// such as the cover, headers and footers.
    pub fn text_at(&mut self, x: f32, top: f32, size: f32, face: Face, color: Rgb, text: &str) {
        let text = self.fonts.get(face).drawable(text).into_owned();
        self.draw(Draw::Text {
            x,
            baseline: top + ASCENT * size,
            size,
            face,
            color,
            text,
        });
    }

    pub fn fill(&mut self, x: f32, top: f32, w: f32, h: f32, color: Rgb) {
        self.draw(Draw::Fill {
            x,
            top,
            w,
            h,
            color,
        });
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Rgb) {
        self.draw(Draw::Rule {
            x1,
            x2,
            y,
            width,
            color,
        });
    }

    pub fn link(&mut self, x: f32, top: f32, w: f32, h: f32, page: usize) {
        self.draw(Draw::Link { x, top, w, h, page });
    }

    /// Splits `text` into lines no wider than `max` points (not counting the space
    /// a line broken between words ends with), by the fonts' real glyph widths;
    /// words longer than a line are broken between characters.
    pub fn wrap(&self, text: &str, size: f32, face: Face, max: f32) -> Vec<String> {
        let font = self.fonts.get(face);
        let space = font.width(" ", size);
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in para.split_whitespace() {
                let mut word_w = font.width(word, size);
                let mut word = word.to_owned();
                while word_w > max {
                    // Break an overlong word (a URL, say) at the last character that fits.
                    if !line.is_empty() {
                        lines.push(std::mem::take(&mut line) + " ");
                        line_w = 0.0;
                    }
                    let mut head = String::new();
                    let mut head_w = 0.0;
                    for c in word.chars() {
                        let cw = font.width(c.encode_utf8(&mut [0; 4]), size);
                        if head_w + cw > max && !head.is_empty() {
                            break;
                        }
                        head.push(c);
                        head_w += cw;
                    }
                    word = word[head.len()..].to_owned();
                    word_w = font.width(&word, size);
                    lines.push(head);
                }
                if word.is_empty() {
                    continue;
                }
                if line.is_empty() {
                    line = word;
                    line_w = word_w;
                } else if line_w + space + word_w <= max {
                    line.push(' ');
                    line.push_str(&word);
                    line_w += space + word_w;
                } else {
                    // The space stays at the line's end, invisible, so that text
                    // read out or copied keeps its words apart.
                    lines.push(std::mem::replace(&mut line, word) + " ");
                    line_w = word_w;
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Wrapped text from the cursor down, breaking pages between lines.
    pub fn paragraph(&mut self, text: &str, size: f32, face: Face, color: Rgb, indent: f32) {
        let lh = Self::line_height(size);
        for line in self.wrap(text, size, face, BODY_W - indent) {
            self.ensure(lh);
            let top = self.y + (lh - (ASCENT + DESCENT) * size) / 2.0;
            self.text_at(MARGIN_X + indent, top, size, face, color, &line);
            self.y += lh;
        }
    }
}
