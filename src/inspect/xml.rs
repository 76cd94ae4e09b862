//! XML read safely and fast: quick-xml's reader builds a compact tree of
//! elements (names, namespace, direct text, attributes). A DOCTYPE is
//! refused, so no entity is declared, expanded or fetched; only the five
//! predefined entities and character references are understood; the nodes
//! are capped. The tree is walked by namespace and local name, whatever
//! prefix a file uses, or none; nothing walks it recursively.

use super::Warning;
use crate::i18n::message;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::borrow::Cow;

const NONE: u32 = u32::MAX;
/// The deepest nesting read; deeper documents are refused before quick-xml's
/// own nesting counter could overflow.
const MAX_NESTING: usize = 4096;
const NO_NS: u16 = u16::MAX;

/// A parsed document: its elements in document order, the first the root.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    elements: Vec<Element<'a>>,
    attributes: Vec<Attr<'a>>,
    namespaces: Vec<String>,
}

#[derive(Debug)]
struct Element<'a> {
    qualified: &'a str,
    local: &'a str,
    ns: u16,
    text: Option<Cow<'a, str>>,
    attrs: (u32, u32),
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
}

#[derive(Debug)]
struct Attr<'a> {
    qualified: &'a str,
    value: Cow<'a, str>,
}

/// One element of a [`Doc`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'d, 'a> {
    doc: &'d Doc<'a>,
    id: u32,
}

impl<'d, 'a> Node<'d, 'a> {
    fn element(&self) -> Option<&'d Element<'a>> {
        self.doc.elements.get(self.id as usize)
    }

    /// The local name (without a prefix).
    pub(crate) fn name(&self) -> &'a str {
        self.element().map(|e| e.local).unwrap_or_default()
    }

    /// The name as written, prefix included.
    pub(crate) fn qualified(&self) -> &'a str {
        self.element().map(|e| e.qualified).unwrap_or_default()
    }

    /// The namespace URI, `None` when unqualified.
    pub(crate) fn namespace(&self) -> Option<&'d str> {
        let ns = self.element()?.ns;
        self.doc.namespaces.get(usize::from(ns)).map(String::as_str)
    }

    /// The element's own text (its text and CDATA, not its children's), if any.
    pub(crate) fn text(&self) -> Option<&'d str> {
        self.element()?.text.as_deref()
    }

    /// The child elements, in order.
    pub(crate) fn children(self) -> impl Iterator<Item = Node<'d, 'a>> + 'd {
        let doc = self.doc;
        let first = self.element().map_or(NONE, |e| e.first_child);
        std::iter::successors((first != NONE).then_some(first), move |&id| {
            doc.elements
                .get(id as usize)
                .map(|e| e.next_sibling)
                .filter(|&n| n != NONE)
        })
        .map(move |id| Node { doc, id })
    }

    /// Whether it has child elements.
    pub(crate) fn has_children(&self) -> bool {
        self.element().is_some_and(|e| e.first_child != NONE)
    }

    /// The attribute written `name` (no prefix: attributes of e-invoices are unqualified).
    pub(crate) fn attribute(self, name: &str) -> Option<&'d str> {
        self.attributes().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The attributes as written (name with its prefix, value), namespace declarations left out.
    pub(crate) fn attributes(self) -> impl Iterator<Item = (&'a str, &'d str)> + 'd {
        let (from, to) = self.element().map_or((0, 0), |e| e.attrs);
        self.doc
            .attributes
            .get(from as usize..to as usize)
            .unwrap_or_default()
            .iter()
            .map(|a| (a.qualified, a.value.as_ref()))
    }
}

impl<'a> Doc<'a> {
    /// The root element.
    pub(crate) fn root_element(&self) -> Node<'_, 'a> {
        Node { doc: self, id: 0 }
    }

    /// Every element, in document order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = Node<'_, 'a>> + '_ {
        (0..self.elements.len() as u32).map(move |id| Node { doc: self, id })
    }

    fn intern(&mut self, ns: &[u8]) -> Result<u16, Warning> {
        let ns = std::str::from_utf8(ns).map_err(|_| message!("inspect-warn-xml-namespace-utf8"))?;
        if let Some(i) = self.namespaces.iter().position(|n| n == ns) {
            return u16::try_from(i).map_err(|_| message!("inspect-warn-xml-namespaces"));
        }
        if self.namespaces.len() >= usize::from(NO_NS) {
            return Err(message!("inspect-warn-xml-namespaces"));
        }
        self.namespaces.push(ns.to_owned());
        u16::try_from(self.namespaces.len() - 1).map_err(|_| message!("inspect-warn-xml-namespaces"))
    }
}

/// Parses `text`; a DOCTYPE is refused, and more than `max_nodes` elements
/// and attributes are not read.
pub(crate) fn parse(text: &str, max_nodes: u32) -> Result<Doc<'_>, Warning> {
    let mut reader = quick_xml::NsReader::from_str(text);
    // About one element per two tags: reserved once, not grown by copying.
    let tags = text.bytes().filter(|&b| b == b'<').count();
    let mut doc = Doc {
        elements: Vec::with_capacity((tags / 2 + 1).min(max_nodes as usize)),
        attributes: Vec::new(),
        namespaces: Vec::new(),
    };
    let mut open: Vec<u32> = Vec::new();
    let malformed =
        |e: quick_xml::Error, at: u64| message!("inspect-warn-xml-malformed", at = at, error = e.to_string());
    loop {
        let at = reader.buffer_position();
        let (resolved, event) = reader.read_resolved_event().map_err(|e| malformed(e, at))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_vec()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => {
                return Err(message!(
                    "inspect-warn-xml-prefix",
                    prefix = String::from_utf8_lossy(&prefix).into_owned()
                ));
            }
        };
        match event {
            Event::Start(start) | Event::Empty(start) if open.is_empty() && !doc.elements.is_empty() => {
                let _ = start;
                return Err(message!("inspect-warn-xml-roots"));
            }
            Event::Start(start) => {
                let id = push_element(&mut doc, text, &open, &start, ns.as_deref(), max_nodes)?;
                open.push(id);
                if open.len() >= MAX_NESTING {
                    return Err(message!("inspect-warn-xml-nesting", levels = MAX_NESTING));
                }
            }
            Event::Empty(start) => {
                push_element(&mut doc, text, &open, &start, ns.as_deref(), max_nodes)?;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                let piece = t
                    .decode()
                    .map_err(|e| message!("inspect-warn-xml-text-utf8", error = e.to_string()))?;
                add_text(&mut doc, &open, piece);
            }
            Event::CData(c) => {
                let piece = c
                    .decode()
                    .map_err(|e| message!("inspect-warn-xml-text-utf8", error = e.to_string()))?;
                add_text(&mut doc, &open, piece);
            }
            Event::GeneralRef(r) => {
                let name = r
                    .decode()
                    .map_err(|e| message!("inspect-warn-xml-utf8", error = e.to_string()))?;
                let ch = match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ if r.is_char_ref() => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .ok_or_else(|| message!("inspect-warn-xml-char-ref", name = name.as_ref()))?,
                    _ => return Err(message!("inspect-warn-xml-entity", name = name.as_ref())),
                };
                add_text(&mut doc, &open, Cow::Owned(ch.to_string()));
            }
            Event::DocType(_) => {
                return Err(message!("inspect-warn-xml-dtd"));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if doc.elements.is_empty() {
        return Err(message!("inspect-warn-xml-no-root"));
    }
    if !open.is_empty() {
        return Err(message!("inspect-warn-xml-unclosed"));
    }
    Ok(doc)
}

/// `piece` as the same bytes of `input`, so that it lives as long as the
/// input (quick-xml lends a tag's name and attributes for the event only).
fn in_input<'a>(input: &'a str, piece: &[u8]) -> Option<&'a str> {
    let start = (piece.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    input.get(start..start.checked_add(piece.len())?)
}

fn push_element<'a>(
    doc: &mut Doc<'a>,
    input: &'a str,
    open: &[u32],
    start: &BytesStart<'_>,
    ns: Option<&[u8]>,
    max_nodes: u32,
) -> Result<u32, Warning> {
    let unreadable = || message!("inspect-warn-xml-in-place");
    let qualified = in_input(input, start.name().as_ref()).ok_or_else(unreadable)?;
    let local = qualified.rsplit(':').next().unwrap_or(qualified);
    let ns = match ns {
        Some(ns) => doc.intern(ns)?,
        None => NO_NS,
    };
    let from = doc.attributes.len() as u32;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| message!("inspect-warn-xml-attribute", error = e.to_string()))?;
        let key = attribute.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        let qualified = in_input(input, key).ok_or_else(unreadable)?;
        let value = match in_input(input, &attribute.value) {
            Some(raw) if !raw.contains('&') => Cow::Borrowed(raw),
            _ => Cow::Owned(
                attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| message!("inspect-warn-xml-attribute-value", error = e.to_string()))?
                    .into_owned(),
            ),
        };
        doc.attributes.push(Attr { qualified, value });
    }
    let id = doc.elements.len() as u32;
    if id as u64 + doc.attributes.len() as u64 >= u64::from(max_nodes) {
        return Err(message!("inspect-warn-xml-nodes", max = max_nodes));
    }
    doc.elements.push(Element {
        qualified,
        local,
        ns,
        text: None,
        attrs: (from, doc.attributes.len() as u32),
        first_child: NONE,
        last_child: NONE,
        next_sibling: NONE,
    });
    if let Some(&parent) = open.last() {
        let previous = doc.elements.get(parent as usize).map_or(NONE, |p| p.last_child);
        if let Some(previous) = doc.elements.get_mut(previous as usize) {
            previous.next_sibling = id;
        }
        if let Some(parent) = doc.elements.get_mut(parent as usize) {
            if parent.first_child == NONE {
                parent.first_child = id;
            }
            parent.last_child = id;
        }
    }
    Ok(id)
}

fn add_text<'a>(doc: &mut Doc<'a>, open: &[u32], piece: Cow<'a, str>) {
    let Some(element) = open.last().and_then(|&id| doc.elements.get_mut(id as usize)) else {
        return;
    };
    element.text = match element.text.take() {
        None => Some(piece),
        Some(before) => Some(Cow::Owned(before.into_owned() + &piece)),
    };
}

/// Which namespace a name must be in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ns<'a> {
    /// Exactly this namespace URI.
    Is(&'a str),
    /// This namespace, or none (FatturaPA's children are unqualified, but
    /// some files put them in the root's namespace).
    OrNone(&'a str),
}

impl Ns<'_> {
    fn matches(self, uri: Option<&str>) -> bool {
        match self {
            Ns::Is(ns) => uri == Some(ns),
            Ns::OrNone(ns) => uri.is_none_or(|u| u == ns || u.is_empty()),
        }
    }
}

/// Whether `node` is the element `ns:name`.
pub(crate) fn is(node: Node<'_, '_>, ns: Ns<'_>, name: &str) -> bool {
    node.name() == name && ns.matches(node.namespace())
}

/// The first child element `ns:name` of `node`.
pub(crate) fn child<'d, 'a>(node: Node<'d, 'a>, ns: Ns<'_>, name: &str) -> Option<Node<'d, 'a>> {
    node.children().find(|c| is(*c, ns, name))
}

/// Every child element `ns:name` of `node`.
pub(crate) fn children<'d, 'a: 'd, 'n>(
    node: Node<'d, 'a>,
    ns: Ns<'n>,
    name: &'n str,
) -> impl Iterator<Item = Node<'d, 'a>> + 'n
where
    'd: 'n,
{
    node.children().filter(move |c| is(*c, ns, name))
}

/// The element at `path` below `node`, each step a child `(ns, name)`.
pub(crate) fn path<'d, 'a>(node: Node<'d, 'a>, steps: &[(Ns<'_>, &str)]) -> Option<Node<'d, 'a>> {
    steps.iter().try_fold(node, |at, &(ns, name)| child(at, ns, name))
}

/// The trimmed text of an element, `None` when empty.
pub(crate) fn text<'d>(node: Option<Node<'d, '_>>) -> Option<&'d str> {
    node?.text().map(str::trim).filter(|t| !t.is_empty())
}

/// The trimmed text at `path` below `node`, owned.
pub(crate) fn text_at(node: Node<'_, '_>, steps: &[(Ns<'_>, &str)]) -> Option<String> {
    text(path(node, steps)).map(str::to_owned)
}

/// An attribute without a prefix, trimmed, `None` when empty.
pub(crate) fn attr<'d>(node: Node<'d, '_>, name: &str) -> Option<&'d str> {
    node.attribute(name).map(str::trim).filter(|t| !t.is_empty())
}

/// The XML Signature namespace (XAdES and the CFDI seal build on it).
pub(crate) const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Whether the document holds an XML Signature.
pub(crate) fn has_signature(doc: &Doc<'_>) -> bool {
    doc.elements().any(|n| is(n, Ns::Is(DSIG), "Signature"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_by_namespace_whatever_the_prefix() {
        for text in [
            r#"<a:Root xmlns:a="urn:x"><a:Name>one</a:Name></a:Root>"#,
            r#"<Root xmlns="urn:x"><Name> one </Name></Root>"#,
            r#"<z:Root xmlns:z="urn:x" xmlns="urn:other"><z:Name>one</z:Name></z:Root>"#,
        ] {
            let doc = parse(text, 1000).unwrap();
            let root = doc.root_element();
            assert!(is(root, Ns::Is("urn:x"), "Root"), "{text}");
            assert_eq!(text_at(root, &[(Ns::Is("urn:x"), "Name")]).as_deref(), Some("one"));
        }
        let doc = parse(r#"<Root xmlns="urn:y"><Name>one</Name></Root>"#, 1000).unwrap();
        assert!(!is(doc.root_element(), Ns::Is("urn:x"), "Root"));
        let doc = parse(r#"<p:R xmlns:p="urn:x"><C>1</C></p:R>"#, 1000).unwrap();
        let c = child(doc.root_element(), Ns::OrNone("urn:x"), "C");
        assert_eq!(text(c), Some("1"));
    }

    #[test]
    fn text_attributes_and_entities_read_as_written() {
        let doc = parse(
            r#"<r a="x &amp; y" b='2'>Fish &amp; chips &#x20AC;5<![CDATA[ <raw> ]]><c/>tail</r>"#,
            1000,
        )
        .unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("a"), Some("x & y"));
        assert_eq!(root.attribute("b"), Some("2"));
        assert_eq!(root.text(), Some("Fish & chips €5 <raw> tail"));
        assert_eq!(root.children().count(), 1);
        assert!(parse("<r>&nbsp;</r>", 1000).unwrap_err().contains("entity &nbsp;"));
        assert!(parse("<r><a></r>", 1000).is_err());
        assert!(parse("<r/><s/>", 1000).is_err());
        assert!(parse("<x:r/>", 1000).unwrap_err().contains("prefix x"));
    }

    #[test]
    fn a_doctype_is_refused_so_no_entity_is_ever_expanded() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        let error = parse(bomb, 1000).unwrap_err();
        assert!(error.contains("DTD"), "{error}");
        let external = r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#;
        assert!(parse(external, 1000).is_err());
    }

    #[test]
    fn nesting_beyond_the_cap_is_refused_not_overflowed() {
        let deep = format!("{}{}", "<a>".repeat(70_000), "</a>".repeat(70_000));
        assert!(parse(&deep, u32::MAX).unwrap_err().contains("deeper than 4096"));
        let fine = format!("{}{}", "<a>".repeat(1000), "</a>".repeat(1000));
        assert!(parse(&fine, u32::MAX).is_ok());
    }

    #[test]
    fn the_node_cap_holds() {
        let many = format!("<r>{}</r>", "<a/>".repeat(100));
        assert!(parse(&many, 50).unwrap_err().contains("more than 50 nodes"));
        assert!(parse(&many, 500).is_ok());
    }
}
