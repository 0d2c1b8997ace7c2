//! The exit plan as a language-neutral document: sections of blocks, already in the
//! plan's language. The PDF and Markdown writers only lay it out.

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// BCP 47 tag of the text, for the PDF's `/Lang`.
    pub lang: &'static str,
    pub title: String,
    pub subtitle: String,
    pub organisation: String,
    /// "Draft for decision by …".
    pub status: String,
    /// "Made with Ferry on …", printed in every page footer.
    pub generated: String,
    /// "Page {page} of {pages}" with the placeholders left in.
    pub page_of: String,
    pub contents_title: String,
    /// Whether the PDF has a contents page (not for a one-page document).
    pub with_contents: bool,
    pub subject: String,
    /// The day the document was made (also its PDF creation date).
    pub date: chrono::NaiveDate,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// A heading inside a section (one per service, say).
    Subheading(String),
    /// Label–value pairs, e.g. "Members: 2,000".
    Facts(Vec<(String, String)>),
    Table(Table),
    Bullets(Vec<String>),
    /// Something the plan does not say yet, said plainly instead of left out.
    Missing(String),
    /// Small print under a block, e.g. where advice comes from.
    Note(String),
    /// Lines for people to sign: labels per line, one set per signer.
    Signatures {
        labels: Vec<String>,
        signers: usize,
    },
    /// Blocks that stay on one page, moved to the next page together when they do
    /// not fit: the sign-off (its heading, text and signature lines).
    Together(Vec<Block>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Relative column widths; the writer scales them to the page.
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
}

impl Document {
    /// Every piece of text in reading order (for tests and search).
    pub fn texts(&self) -> Vec<&str> {
        let mut out = vec![self.title.as_str(), &self.subtitle, &self.status];
        for s in &self.sections {
            out.push(&s.title);
            for b in &s.blocks {
                b.texts(&mut out);
            }
        }
        out
    }
}

impl Block {
    fn texts<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Block::Paragraph(t) | Block::Subheading(t) | Block::Missing(t) | Block::Note(t) => {
                out.push(t)
            }
            Block::Facts(f) => f.iter().for_each(|(l, v)| out.extend([l.as_str(), v])),
            Block::Table(t) => {
                out.extend(t.headers.iter().map(String::as_str));
                t.rows.iter().flatten().for_each(|c| out.push(c));
            }
            Block::Bullets(items) => out.extend(items.iter().map(String::as_str)),
            Block::Signatures { labels, .. } => out.extend(labels.iter().map(String::as_str)),
            Block::Together(blocks) => blocks.iter().for_each(|b| b.texts(out)),
        }
    }
}
