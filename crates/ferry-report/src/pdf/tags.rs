//! The document's logical structure (PDF's tagged structure tree) as the layout
//! builds it: what a screen reader reads, in reading order, and what it skips
//! (artifacts: running headers and footers, fills, rules, leader dots).

/// Standard structure types of PDF 1.7 (ISO 32000-1 §14.8.4), the ones Ferry uses,
/// spelt as the standard spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms)]
pub enum Role {
    Document,
    Sect,
    Div,
    H1,
    H2,
    H3,
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    TH,
    TD,
    TOC,
    TOCI,
    Reference,
    Link,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Sect => "Sect",
            Role::Div => "Div",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::H3 => "H3",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Table => "Table",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
            Role::Reference => "Reference",
            Role::Link => "Link",
        }
    }
}

/// Which cells a header cell heads (PDF/UA-1 §7.5: every TH says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Row,
    Column,
}

/// Content that is not part of what the document says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// Fills, rules, bullets' boxes, leader dots: decoration.
    Layout,
    /// The running header and footer (pagination artifacts).
    Header,
    Footer,
    /// A table's header row repeated on a following page.
    Repeated,
}

pub type NodeId = usize;

/// What a piece of page content belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Artifact(Artifact),
    Node(NodeId),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kid {
    Node(NodeId),
    /// A marked-content sequence on a page (0-based), by its MCID.
    Content {
        page: usize,
        mcid: usize,
    },
    /// A link annotation on a page, by its place in the page's annotations.
    Annotation {
        page: usize,
        index: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    pub parent: Option<NodeId>,
    pub kids: Vec<Kid>,
    pub scope: Option<Scope>,
    /// What a screen reader says for it; for a link, the annotation's /Contents.
    pub alt: Option<String>,
}

/// The structure tree; node 0 is the Document element.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

pub const ROOT: NodeId = 0;

impl Tree {
    pub fn new() -> Tree {
        Tree {
            nodes: vec![Node {
                role: Role::Document,
                parent: None,
                kids: Vec::new(),
                scope: None,
                alt: None,
            }],
        }
    }

    /// Adds an element as the last child of `parent`.
    pub fn add(&mut self, parent: NodeId, role: Role) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node {
            role,
            parent: Some(parent),
            kids: Vec::new(),
            scope: None,
            alt: None,
        });
        self.nodes[parent].kids.push(Kid::Node(id));
        id
    }

    /// Every element that holds nothing, removed with its place in its parent
    /// (a table cell left empty, say): PDF/UA wants no empty structure.
    pub fn prune(&mut self) {
        loop {
            let empty: Vec<NodeId> = (1..self.nodes.len())
                .filter(|&n| {
                    self.nodes[n].kids.is_empty()
                        && self.nodes[n].parent.is_some()
                        // Header and data cells keep their place so columns line up.
                        && !matches!(self.nodes[n].role, Role::TH | Role::TD)
                })
                .collect();
            if empty.is_empty() {
                return;
            }
            for n in empty {
                if let Some(p) = self.nodes[n].parent.take() {
                    self.nodes[p].kids.retain(|k| *k != Kid::Node(n));
                }
            }
        }
    }

    /// Whether `n` is still in the tree (not pruned).
    pub fn attached(&self, n: NodeId) -> bool {
        n == ROOT || self.nodes[n].parent.is_some()
    }
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}
