//! Page layout: turns the document's blocks into positioned text, fills and rules on
//! A4 pages. Coordinates here run from the top of the page down, in points; the
//! writer in `mod.rs` flips them for PDF.

use super::fonts::{ASCENT, DESCENT, Face, Fonts};
use crate::document::{Block, Table};

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
const HEADER_FILL: Rgb = (0.87, 0.92, 0.95);
const ROW_RULE: Rgb = (0.78, 0.80, 0.84);
const MISSING_FILL: Rgb = (0.99, 0.95, 0.85);
const MISSING_BAR: Rgb = (0.80, 0.52, 0.05);
const MISSING_INK: Rgb = (0.40, 0.25, 0.0);

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

#[derive(Debug, Default)]
pub struct Page {
    pub draws: Vec<Draw>,
}

pub struct Layout<'f> {
    fonts: &'f Fonts,
    pub pages: Vec<Page>,
    /// Top of the free space on the current page.
    y: f32,
    /// Draw onto this page instead of the last one (the contents page is filled in last).
    pub target: Option<usize>,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: Vec::new(),
            y: MARGIN_TOP,
            target: None,
        }
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

    fn room(&self) -> f32 {
        Self::bottom() - self.y
    }

    /// Starts a new page unless `h` points still fit on this one.
    fn ensure(&mut self, h: f32) {
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
        if self.pages.is_empty() {
            self.new_page();
        }
        let i = self.target.unwrap_or(self.page_index());
        self.pages[i].draws.push(d);
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
        self.draw(Draw::Text {
            x,
            baseline: top + ASCENT * size,
            size,
            face,
            color,
            text: text.to_owned(),
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

    /// Splits `text` into lines no wider than `max` points, by the fonts' real
    /// glyph widths; words longer than a line are broken between characters.
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
                        lines.push(std::mem::take(&mut line));
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
                    lines.push(std::mem::replace(&mut line, word));
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

    /// A section heading, kept with the start of its section (its first
    /// subheading and a few lines under it).
    pub fn section_heading(&mut self, text: &str, space_before: f32) {
        self.heading_keeping(text, 15.0, ACCENT, space_before, 8);
    }

    /// A heading kept together with at least three lines of what follows.
    pub fn heading(&mut self, text: &str, size: f32, color: Rgb, space_before: f32) {
        self.heading_keeping(text, size, color, space_before, 3);
    }

    fn heading_keeping(
        &mut self,
        text: &str,
        size: f32,
        color: Rgb,
        space_before: f32,
        keep: usize,
    ) {
        let lines = self.wrap(text, size, Face::Bold, BODY_W);
        let lh = Self::line_height(size);
        self.ensure(space_before + lh * lines.len() as f32 + keep as f32 * Self::line_height(BODY));
        self.gap(space_before);
        for line in lines {
            self.text_at(MARGIN_X, self.y, size, Face::Bold, color, &line);
            self.y += lh;
        }
        self.y += size * 0.3;
    }

    pub fn block(&mut self, b: &Block) {
        match b {
            Block::Paragraph(t) => {
                self.paragraph(t, BODY, Face::Regular, INK, 0.0);
                self.gap(BODY * 0.6);
            }
            Block::Subheading(t) => self.heading(t, 11.5, INK, 8.0),
            Block::Facts(facts) => self.facts(facts),
            Block::Table(t) => self.table(t),
            Block::Bullets(items) => {
                for item in items {
                    self.bullet(item);
                }
                self.gap(BODY * 0.6);
            }
            Block::Missing(t) => self.missing(t),
            Block::Note(t) => {
                self.paragraph(t, SMALL, Face::Regular, GREY, 0.0);
                self.gap(BODY * 0.6);
            }
            Block::Signatures { labels, signers } => self.signatures(labels, *signers),
        }
    }

    fn bullet(&mut self, text: &str) {
        let indent = 14.0;
        let lh = Self::line_height(BODY);
        let lines = self.wrap(text, BODY, Face::Regular, BODY_W - indent);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lh);
            if i == 0 {
                self.text_at(MARGIN_X + 3.0, self.y, BODY, Face::Regular, ACCENT, "•");
            }
            self.text_at(MARGIN_X + indent, self.y, BODY, Face::Regular, INK, line);
            self.y += lh;
        }
    }

    fn facts(&mut self, facts: &[(String, String)]) {
        let label_w = BODY_W * 0.36;
        let lh = Self::line_height(BODY);
        for (label, value) in facts {
            let labels = self.wrap(label, BODY, Face::Bold, label_w - 8.0);
            let values = self.wrap(value, BODY, Face::Regular, BODY_W - label_w);
            let n = labels.len().max(values.len());
            for i in 0..n {
                self.ensure(lh);
                if let Some(l) = labels.get(i) {
                    self.text_at(MARGIN_X, self.y, BODY, Face::Bold, GREY, l);
                }
                if let Some(v) = values.get(i) {
                    self.text_at(MARGIN_X + label_w, self.y, BODY, Face::Regular, INK, v);
                }
                self.y += lh;
            }
            self.y += 2.0;
        }
        self.gap(BODY * 0.6);
    }

    fn missing(&mut self, text: &str) {
        let pad = 5.0;
        let indent = 14.0;
        let lh = Self::line_height(BODY);
        let lines = self.wrap(text, BODY, Face::Regular, BODY_W - indent - pad);
        self.ensure(lh + 2.0 * pad);
        let mut first = true;
        for (i, line) in lines.iter().enumerate() {
            let last = i + 1 == lines.len();
            let h = lh + if first { pad } else { 0.0 } + if last { pad } else { 0.0 };
            self.ensure(h);
            let top = self.y;
            self.fill(MARGIN_X, top, BODY_W, h, MISSING_FILL);
            self.fill(MARGIN_X, top, 3.0, h, MISSING_BAR);
            let text_top = top + if first { pad } else { 0.0 };
            self.text_at(
                MARGIN_X + indent,
                text_top,
                BODY,
                Face::Regular,
                MISSING_INK,
                line,
            );
            self.y += h;
            first = false;
        }
        self.gap(BODY * 0.8);
    }

    fn table(&mut self, t: &Table) {
        let total: f32 = t.widths.iter().sum::<f32>().max(f32::EPSILON);
        let widths: Vec<f32> = t.widths.iter().map(|w| w / total * BODY_W).collect();
        let pad = 4.0;
        let size = 9.0;
        let lh = Self::line_height(size);
        let cells = |l: &Self, row: &[String], face: Face| -> Vec<Vec<String>> {
            row.iter()
                .zip(&widths)
                .map(|(c, w)| l.wrap(c, size, face, w - 2.0 * pad))
                .collect()
        };
        let header = cells(self, &t.headers, Face::Bold);
        let header_h = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
        let draw_row = |l: &mut Self,
                        row: &[Vec<String>],
                        from: usize,
                        to: usize,
                        face: Face,
                        fill: Option<Rgb>| {
            let h = (to - from) as f32 * lh + 2.0 * pad;
            let top = l.y;
            if let Some(color) = fill {
                l.fill(MARGIN_X, top, BODY_W, h, color);
            }
            let mut x = MARGIN_X;
            for (lines, w) in row.iter().zip(&widths) {
                for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                    let top = top + pad + (i - from) as f32 * lh;
                    l.text_at(x + pad, top, size, face, INK, line);
                }
                x += w;
            }
            l.y += h;
            l.rule(MARGIN_X, MARGIN_X + BODY_W, l.y, 0.5, ROW_RULE);
        };
        let header_rows = header.iter().map(Vec::len).max().unwrap_or(1);
        // The header and at least one row start together.
        self.ensure(header_h + lh + 2.0 * pad);
        draw_row(self, &header, 0, header_rows, Face::Bold, Some(HEADER_FILL));
        for row in &t.rows {
            let lines = cells(self, row, Face::Regular);
            let n = lines.iter().map(Vec::len).max().unwrap_or(1);
            let mut from = 0;
            let mut fresh = false;
            while from < n {
                // As many of the row's lines as fit; a new page repeats the header.
                let mut fit =
                    (((self.room() - 2.0 * pad) / lh).floor().max(0.0) as usize).min(n - from);
                if !fresh && (fit == 0 || fit < n - from) {
                    self.new_page();
                    draw_row(self, &header, 0, header_rows, Face::Bold, Some(HEADER_FILL));
                    fresh = true;
                    continue;
                }
                fit = fit.max(1);
                draw_row(self, &lines, from, from + fit, Face::Regular, None);
                from += fit;
                fresh = false;
            }
        }
        self.gap(BODY);
    }

    fn signatures(&mut self, labels: &[String], signers: usize) {
        let lh = 26.0;
        let col_w = (BODY_W - 20.0) / signers.max(1) as f32;
        self.ensure(lh * labels.len() as f32 + 10.0);
        let top = self.y + 10.0;
        for s in 0..signers {
            let x = MARGIN_X + s as f32 * (col_w + 20.0);
            for (i, label) in labels.iter().enumerate() {
                let y = top + (i as f32 + 1.0) * lh;
                self.text_at(x, y - SMALL * 1.3 - 2.0, SMALL, Face::Regular, GREY, label);
                self.rule(x, x + col_w, y, 0.7, INK);
            }
        }
        self.y = top + lh * labels.len() as f32 + 10.0;
    }
}
