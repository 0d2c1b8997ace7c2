//! The document's blocks on the page, each as its structure element (paragraph,
//! heading, list, table…), with the keep-together rules: a heading never ends a
//! page, and a `Together` group (the sign-off) never splits.

use super::fonts::Face;
use super::layout::{
    ACCENT, BODY, BODY_W, GREY, HEADER_FILL, INK, Layout, MARGIN_X, MISSING_BAR, MISSING_FILL,
    MISSING_INK, ROW_RULE, Rgb, SMALL,
};
use super::tags::{Artifact, Mark, Role, Scope};
use crate::document::{Block, Table};

impl Layout<'_> {
    /// A section: its heading (kept with what follows) and its blocks. Returns the
    /// page (0-based) its heading is on.
    pub fn section(&mut self, title: &str, space_before: f32, blocks: &[Block]) -> usize {
        self.within(Role::Sect, |l| {
            l.heading(Role::H2, title, 15.0, ACCENT, space_before, blocks);
            let page = l.page_index();
            l.blocks(blocks);
            page
        })
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for (i, b) in blocks.iter().enumerate() {
            self.block(b, &blocks[i + 1..]);
        }
    }

    /// Lays out `b`; `rest` is what follows it in its section, for a heading to
    /// stay with.
    pub fn block(&mut self, b: &Block, rest: &[Block]) {
        match b {
            Block::Paragraph(t) => self.within(Role::P, |l| {
                l.paragraph(t, BODY, Face::Regular, INK, 0.0);
                l.gap(BODY * 0.6);
            }),
            Block::Subheading(t) => self.heading(Role::H3, t, 11.5, INK, 8.0, rest),
            Block::Facts(facts) => self.facts(facts),
            Block::Table(t) => self.table(t),
            Block::Bullets(items) => {
                self.within(Role::L, |l| items.iter().for_each(|item| l.bullet(item)));
                self.gap(BODY * 0.6);
            }
            Block::Missing(t) => self.within(Role::P, |l| l.missing(t)),
            Block::Note(t) => self.within(Role::P, |l| {
                l.paragraph(t, SMALL, Face::Regular, GREY, 0.0);
                l.gap(BODY * 0.6);
            }),
            Block::Signatures { labels, signers } => {
                self.within(Role::Div, |l| l.signatures(labels, *signers))
            }
            Block::Together(blocks) => self.together(blocks),
        }
    }

    /// A heading that is never the last thing on its page: when the start of what
    /// follows would go to the next page, the heading goes with it.
    fn heading(
        &mut self,
        role: Role,
        text: &str,
        size: f32,
        color: Rgb,
        space_before: f32,
        rest: &[Block],
    ) {
        if self.below_top() && !self.next_starts_beside(role, text, size, space_before, rest) {
            self.new_page();
        }
        self.within(role, |l| l.heading_lines(text, size, color, space_before));
    }

    /// Tries the heading and the block after it on a copy of this page: does any
    /// of that block's text land on the heading's page?
    fn next_starts_beside(
        &self,
        role: Role,
        text: &str,
        size: f32,
        space_before: f32,
        rest: &[Block],
    ) -> bool {
        let Some((next, after)) = rest.split_first() else {
            return true;
        };
        let mut trial = self.trial();
        trial.within(role, |l| l.heading_lines(text, size, INK, space_before));
        let page = trial.page_index();
        let drawn = trial.pages[page].draws.len();
        trial.block(next, after);
        trial.pages[page].draws[drawn..]
            .iter()
            .any(|(mark, d)| matches!(mark, Mark::Node(_)) && d.is_text())
    }

    fn heading_lines(&mut self, text: &str, size: f32, color: Rgb, space_before: f32) {
        let lines = self.wrap(text, size, Face::Bold, BODY_W);
        let lh = Self::line_height(size);
        self.ensure(space_before + lh * lines.len() as f32);
        self.gap(space_before);
        for line in lines {
            self.text_at(MARGIN_X, self.y, size, Face::Bold, color, &line);
            self.y += lh;
        }
        self.y += size * 0.3;
    }

    /// Blocks kept on one page: if they do not fit on what is left of this one but
    /// would on a fresh page, they start on the next.
    fn together(&mut self, blocks: &[Block]) {
        let mut trial = self.trial();
        trial.blocks(blocks);
        if trial.pages.len() > 1 && self.below_top() {
            self.new_page();
        }
        self.within(Role::Div, |l| l.blocks(blocks));
    }

    fn bullet(&mut self, text: &str) {
        let indent = 14.0;
        let lh = Self::line_height(BODY);
        let lines = self.wrap(text, BODY, Face::Regular, BODY_W - indent);
        self.within(Role::LI, |l| {
            let label = l.element(Role::Lbl);
            let body = l.element(Role::LBody);
            for (i, line) in lines.iter().enumerate() {
                l.ensure(lh);
                if i == 0 {
                    l.inside(label, |l| {
                        l.text_at(MARGIN_X + 3.0, l.y, BODY, Face::Regular, ACCENT, "•")
                    });
                }
                l.inside(body, |l| {
                    l.text_at(MARGIN_X + indent, l.y, BODY, Face::Regular, INK, line)
                });
                l.y += lh;
            }
        });
    }

    /// Label–value pairs as a two-column table whose first column heads its row.
    fn facts(&mut self, facts: &[(String, String)]) {
        let label_w = BODY_W * 0.36;
        let lh = Self::line_height(BODY);
        self.within(Role::Table, |l| {
            for (label, value) in facts {
                let labels = l.wrap(label, BODY, Face::Bold, label_w - 8.0);
                let values = l.wrap(value, BODY, Face::Regular, BODY_W - label_w);
                l.within(Role::TR, |l| {
                    let th = l.element(Role::TH);
                    l.tree.nodes[th].scope = Some(Scope::Row);
                    let td = l.element(Role::TD);
                    for i in 0..labels.len().max(values.len()) {
                        l.ensure(lh);
                        if let Some(label) = labels.get(i) {
                            l.inside(th, |l| {
                                l.text_at(MARGIN_X, l.y, BODY, Face::Bold, GREY, label)
                            });
                        }
                        if let Some(v) = values.get(i) {
                            l.inside(td, |l| {
                                l.text_at(MARGIN_X + label_w, l.y, BODY, Face::Regular, INK, v)
                            });
                        }
                        l.y += lh;
                    }
                });
                l.y += 2.0;
            }
        });
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
        let cells = |l: &Self, row: &[String], face: Face| -> Vec<Vec<String>> {
            row.iter()
                .zip(&widths)
                .map(|(c, w)| l.wrap(c, CELL, face, w - 2.0 * PAD))
                .collect()
        };
        let header = cells(self, &t.headers, Face::Bold);
        let lh = Self::line_height(CELL);
        let header_rows = header.iter().map(Vec::len).max().unwrap_or(1);
        let header_h = header_rows as f32 * lh + 2.0 * PAD;
        self.within(Role::Table, |l| {
            // The header and at least one row start together.
            l.ensure(header_h + lh + 2.0 * PAD);
            l.within(Role::TR, |l| {
                let ths = (0..header.len())
                    .map(|_| {
                        let th = l.element(Role::TH);
                        l.tree.nodes[th].scope = Some(Scope::Column);
                        Mark::Node(th)
                    })
                    .collect::<Vec<_>>();
                l.row(&header, &widths, &ths, 0, header_rows, Face::Bold, true);
            });
            // A new page repeats the header, as decoration: it was read once.
            let repeated = vec![Mark::Artifact(Artifact::Repeated); header.len()];
            for row in &t.rows {
                let lines = cells(l, row, Face::Regular);
                let n = lines.iter().map(Vec::len).max().unwrap_or(1);
                l.within(Role::TR, |l| {
                    let tds = (0..lines.len())
                        .map(|_| Mark::Node(l.element(Role::TD)))
                        .collect::<Vec<_>>();
                    let mut from = 0;
                    let mut fresh = false;
                    while from < n {
                        // As many of the row's lines as fit.
                        let fit =
                            (((l.room() - 2.0 * PAD) / lh).floor().max(0.0) as usize).min(n - from);
                        if !fresh && (fit == 0 || fit < n - from) {
                            l.new_page();
                            l.row(
                                &header,
                                &widths,
                                &repeated,
                                0,
                                header_rows,
                                Face::Bold,
                                true,
                            );
                            fresh = true;
                            continue;
                        }
                        let fit = fit.max(1);
                        l.row(
                            &lines,
                            &widths,
                            &tds,
                            from,
                            from + fit,
                            Face::Regular,
                            false,
                        );
                        from += fit;
                        fresh = false;
                    }
                });
            }
        });
        self.gap(BODY);
    }

    /// Lines `from..to` of a row's cells, each cell's text marked as `marks` says.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        row: &[Vec<String>],
        widths: &[f32],
        marks: &[Mark],
        from: usize,
        to: usize,
        face: Face,
        filled: bool,
    ) {
        let lh = Self::line_height(CELL);
        let h = (to - from) as f32 * lh + 2.0 * PAD;
        let top = self.y;
        if filled {
            self.fill(MARGIN_X, top, BODY_W, h, HEADER_FILL);
        }
        let mut x = MARGIN_X;
        for ((lines, w), mark) in row.iter().zip(widths).zip(marks) {
            for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                let top = top + PAD + (i - from) as f32 * lh;
                self.marked(*mark, |l| l.text_at(x + PAD, top, CELL, face, INK, line));
            }
            x += w;
        }
        self.y += h;
        self.rule(MARGIN_X, MARGIN_X + BODY_W, self.y, 0.5, ROW_RULE);
    }

    fn marked(&mut self, mark: Mark, f: impl FnOnce(&mut Self)) {
        match mark {
            Mark::Node(n) => self.inside(n, f),
            Mark::Artifact(a) => self.artifact(a, f),
        }
    }

    fn signatures(&mut self, labels: &[String], signers: usize) {
        let lh = 26.0;
        let col_w = (BODY_W - 20.0) / signers.max(1) as f32;
        self.ensure(lh * labels.len() as f32 + 10.0);
        let top = self.y + 10.0;
        for s in 0..signers {
            let x = MARGIN_X + s as f32 * (col_w + 20.0);
            // One signer's labels read together; the lines are decoration.
            self.within(Role::Div, |l| {
                for (i, label) in labels.iter().enumerate() {
                    let y = top + (i as f32 + 1.0) * lh;
                    l.within(Role::P, |l| {
                        l.text_at(x, y - SMALL * 1.3 - 2.0, SMALL, Face::Regular, GREY, label)
                    });
                    l.rule(x, x + col_w, y, 0.7, INK);
                }
            });
        }
        self.y = top + lh * labels.len() as f32 + 10.0;
    }
}

/// Table cells: type size and padding.
const CELL: f32 = 9.0;
const PAD: f32 = 4.0;
