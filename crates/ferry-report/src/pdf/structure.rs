//! Writes the structure tree into the PDF printpdf made (printpdf has no structure
//! tree of its own; lopdf, the layer under it, writes the objects): the
//! StructTreeRoot, one element per node, the parent tree that leads from each
//! marked-content sequence and link back to its element, and the catalogue and page
//! entries a tagged PDF (ISO 32000-1 §14.8, PDF/UA-1) needs.

use lopdf::{Dictionary, Document, Object, ObjectId, text_string};

use super::Error;
use super::ops::Marked;
use super::tags::{Kid, NodeId, Role, Scope, Tree};

pub fn write(lo: &mut Document, tree: &Tree, marked: &Marked) -> Result<(), Error> {
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    if pages.len() != marked.mcids.len() {
        return Err(Error::PageCount {
            laid_out: marked.mcids.len(),
            written: pages.len(),
        });
    }
    let root_id = lo.new_object_id();
    let ids: Vec<ObjectId> = tree.nodes.iter().map(|_| lo.new_object_id()).collect();

    // Link annotations become objects of their own (a structure element points at
    // them), each with a text for screen readers and the print flag PDF/A asks for.
    let mut annotations: Vec<Vec<ObjectId>> = Vec::with_capacity(pages.len());
    let mut next_key = pages.len() as i64;
    let mut nums: Vec<Object> = Vec::new();
    for (i, page_id) in pages.iter().enumerate() {
        let annots = page_dict(lo, *page_id)?
            .get(b"Annots")
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        if annots.len() != marked.links[i].len() {
            return Err(Error::LinkCount { page: i + 1 });
        }
        let mut refs = Vec::with_capacity(annots.len());
        let mut page_ids = Vec::with_capacity(annots.len());
        for (annot, node) in annots.into_iter().zip(&marked.links[i]) {
            let Object::Dictionary(mut annot) = annot else {
                return Err(Error::LinkCount { page: i + 1 });
            };
            annot.set("StructParent", next_key);
            annot.set("F", 4);
            let text = tree.nodes[*node].alt.as_deref().unwrap_or_default();
            annot.set("Contents", text_string(text));
            let id = lo.add_object(annot);
            nums.extend([Object::Integer(next_key), Object::Reference(ids[*node])]);
            next_key += 1;
            refs.push(Object::Reference(id));
            page_ids.push(id);
        }
        let page = page_dict(lo, *page_id)?;
        page.set("StructParents", i as i64);
        if !refs.is_empty() {
            page.set("Annots", refs);
            // Tab through links in structure order (PDF/UA-1 §7.18.3).
            page.set("Tabs", Object::Name(b"S".to_vec()));
        }
        annotations.push(page_ids);
    }
    // The parent tree: page i's array maps each MCID to its element.
    let mut page_nums: Vec<Object> = Vec::with_capacity(pages.len() * 2 + nums.len());
    for (i, mcids) in marked.mcids.iter().enumerate() {
        let elements = mcids.iter().map(|n| Object::Reference(ids[*n])).collect();
        page_nums.extend([Object::Integer(i as i64), Object::Array(elements)]);
    }
    page_nums.extend(nums);
    let parent_tree = lo.add_object(Dictionary::from_iter([("Nums", Object::Array(page_nums))]));

    for (n, node) in tree.nodes.iter().enumerate() {
        if !tree.attached(n) {
            continue;
        }
        let parent = node.parent.map_or(root_id, |p| ids[p]);
        let kids: Vec<Object> = node
            .kids
            .iter()
            .map(|k| kid(k, &ids, &pages, &annotations))
            .collect();
        let mut e = Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(node.role.name().as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
            ("K", Object::Array(kids)),
        ]);
        if let Some(page) = first_page(tree, n) {
            e.set("Pg", Object::Reference(pages[page]));
        }
        if let Some(scope) = node.scope {
            let scope = match scope {
                Scope::Row => "Row",
                Scope::Column => "Column",
            };
            e.set(
                "A",
                Dictionary::from_iter([
                    ("O", Object::Name(b"Table".to_vec())),
                    ("Scope", Object::Name(scope.as_bytes().to_vec())),
                ]),
            );
        }
        if node.role != Role::Link
            && let Some(alt) = &node.alt
        {
            e.set("Alt", text_string(alt));
        }
        lo.set_object(ids[n], e);
    }
    lo.set_object(
        root_id,
        Dictionary::from_iter([
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Array(vec![Object::Reference(ids[0])])),
            ("ParentTree", Object::Reference(parent_tree)),
            ("ParentTreeNextKey", Object::Integer(next_key)),
        ]),
    );
    let catalog = lo.catalog_mut().map_err(Error::Pdf)?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set(
        "MarkInfo",
        Dictionary::from_iter([("Marked", Object::Boolean(true))]),
    );
    Ok(())
}

fn page_dict(lo: &mut Document, id: ObjectId) -> Result<&mut Dictionary, Error> {
    lo.get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(Error::Pdf)
}

fn kid(k: &Kid, ids: &[ObjectId], pages: &[ObjectId], annots: &[Vec<ObjectId>]) -> Object {
    match *k {
        Kid::Node(n) => Object::Reference(ids[n]),
        Kid::Content { page, mcid } => Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"MCR".to_vec())),
            ("Pg", Object::Reference(pages[page])),
            ("MCID", Object::Integer(mcid as i64)),
        ])),
        Kid::Annotation { page, index } => Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"OBJR".to_vec())),
            ("Pg", Object::Reference(pages[page])),
            ("Obj", Object::Reference(annots[page][index])),
        ])),
    }
}

/// The first page anything of element `n` is on.
fn first_page(tree: &Tree, n: NodeId) -> Option<usize> {
    tree.nodes[n].kids.iter().find_map(|k| match *k {
        Kid::Node(c) => first_page(tree, c),
        Kid::Content { page, .. } | Kid::Annotation { page, .. } => Some(page),
    })
}
