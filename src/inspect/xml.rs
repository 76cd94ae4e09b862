//! XML read safely (no DTD, so no entities to expand and nothing external;
//! a cap on nodes) and walked by namespace and local name, whatever prefix
//! a file uses, or none.

use roxmltree::{Document, Node, ParsingOptions};

/// Parses `text`; a DOCTYPE is refused.
pub(crate) fn parse(text: &str, max_nodes: u32) -> Result<Document<'_>, String> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: max_nodes,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            "the XML declares a DTD (DOCTYPE), which is not processed: entities and external references are refused for safety".to_owned()
        }
        roxmltree::Error::NodesLimitReached => format!("the XML has more than {max_nodes} nodes: not read"),
        other => format!("the XML is not well-formed: {other}"),
    })
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
    node.is_element() && node.tag_name().name() == name && ns.matches(node.tag_name().namespace())
}

/// The first child element `ns:name` of `node`.
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, ns: Ns<'_>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, name))
}

/// Every child element `ns:name` of `node`.
pub(crate) fn children<'a, 'i: 'a, 'n>(
    node: Node<'a, 'i>,
    ns: Ns<'n>,
    name: &'n str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'n
where
    'a: 'n,
{
    node.children().filter(move |c| is(*c, ns, name))
}

/// The element at `path` below `node`, each step a child `(ns, name)`.
pub(crate) fn path<'a, 'i>(node: Node<'a, 'i>, steps: &[(Ns<'_>, &str)]) -> Option<Node<'a, 'i>> {
    steps.iter().try_fold(node, |at, &(ns, name)| child(at, ns, name))
}

/// The trimmed text of an element, `None` when empty.
pub(crate) fn text<'a>(node: Option<Node<'a, '_>>) -> Option<&'a str> {
    node?.text().map(str::trim).filter(|t| !t.is_empty())
}

/// The trimmed text at `path` below `node`, owned.
pub(crate) fn text_at(node: Node<'_, '_>, steps: &[(Ns<'_>, &str)]) -> Option<String> {
    text(path(node, steps)).map(str::to_owned)
}

/// An attribute without a namespace, trimmed, `None` when empty.
pub(crate) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute(name).map(str::trim).filter(|t| !t.is_empty())
}

/// The XML Signature namespace (XAdES and the CFDI seal build on it).
pub(crate) const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Whether the document holds an XML Signature.
pub(crate) fn has_signature(doc: &Document<'_>) -> bool {
    doc.descendants().any(|n| is(n, Ns::Is(DSIG), "Signature"))
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
    fn the_node_cap_holds() {
        let many = format!("<r>{}</r>", "<a/>".repeat(100));
        assert!(parse(&many, 50).unwrap_err().contains("more than 50 nodes"));
        assert!(parse(&many, 500).is_ok());
    }
}
