//! The same document as Markdown, for pads, e-mail and wikis.

use crate::document::{Block, Document};

/// Markdown (CommonMark with GitHub tables).
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {} — {}\n\n", doc.title, doc.organisation));
    out.push_str(&format!("{}\n\n*{}*\n\n", doc.subtitle, doc.status));
    for s in &doc.sections {
        out.push_str(&format!("## {}\n\n", s.title));
        for b in &s.blocks {
            block(&mut out, b);
        }
    }
    out.push_str(&format!("---\n\n*{}*\n", doc.generated));
    out
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Paragraph(t) => out.push_str(&format!("{}\n\n", inline(t))),
        Block::Subheading(t) => out.push_str(&format!("### {}\n\n", inline(t))),
        Block::Facts(facts) => {
            for (label, value) in facts {
                out.push_str(&format!("- **{}:** {}\n", inline(label), inline(value)));
            }
            out.push('\n');
        }
        Block::Table(t) => {
            let row = |cells: &[String]| {
                format!(
                    "| {} |\n",
                    cells
                        .iter()
                        .map(|c| cell(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )
            };
            out.push_str(&row(&t.headers));
            out.push_str(&format!("|{}\n", " --- |".repeat(t.headers.len())));
            for r in &t.rows {
                out.push_str(&row(r));
            }
            out.push('\n');
        }
        Block::Bullets(items) => {
            for i in items {
                out.push_str(&format!("- {}\n", inline(i)));
            }
            out.push('\n');
        }
        Block::Missing(t) => out.push_str(&format!("> **⚠** {}\n\n", inline(t))),
        Block::Note(t) => out.push_str(&format!("*{}*\n\n", inline(t))),
        Block::Signatures { labels, signers } => {
            for _ in 0..*signers {
                for l in labels {
                    out.push_str(&format!("{l}: ______________________________\n\n"));
                }
            }
        }
        Block::Together(blocks) => blocks.iter().for_each(|b| block(out, b)),
    }
}

/// Text that cannot start a Markdown structure by accident.
fn inline(t: &str) -> String {
    t.replace('\n', " ").replace('*', "\\*").replace('_', "\\_")
}

fn cell(t: &str) -> String {
    inline(t).replace('|', "\\|")
}
