//! Documents that are read as text: XML (an e-invoice, or pretty-printed),
//! JSON (pretty-printed), CSV (rows), text in UTF-8, UTF-16 or Latin-1; and
//! the hex view of anything else.

use super::report::{Body, Kind, Report};
use super::{InspectError, Options, Warning, invoice, xml};
use std::borrow::Cow;

/// Text decoded from a document's bytes, and the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without a byte order mark.
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE` or `Latin-1`.
    pub encoding: &'static str,
}

/// `bytes` as text: a BOM decides, then an XML declaration's encoding, then
/// UTF-8, then Latin-1 (Windows-1252) for bytes that are not UTF-8 but look
/// like text. `None` for binary data.
pub fn decode(bytes: &[u8]) -> Option<Decoded<'_>> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return std::str::from_utf8(rest)
            .ok()
            .map(|t| decoded(Cow::Borrowed(t), "UTF-8"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(rest, u16::from_le_bytes).map(|t| decoded(Cow::Owned(t), "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(rest, u16::from_be_bytes).map(|t| decoded(Cow::Owned(t), "UTF-16BE"));
    }
    if bytes.starts_with(b"<\x00?\x00") {
        return utf16(bytes, u16::from_le_bytes).map(|t| decoded(Cow::Owned(t), "UTF-16LE"));
    }
    if bytes.starts_with(b"\x00<\x00?") {
        return utf16(bytes, u16::from_be_bytes).map(|t| decoded(Cow::Owned(t), "UTF-16BE"));
    }
    let latin1_declared = declared_encoding(bytes).is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        e.starts_with("iso-8859-1") || e == "latin1" || e == "latin-1" || e.starts_with("windows-1252") || e == "cp1252"
    });
    if !latin1_declared && let Ok(text) = std::str::from_utf8(bytes) {
        return looks_like_text(text.chars()).then(|| decoded(Cow::Borrowed(text), "UTF-8"));
    }
    let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
    (latin1_declared || looks_like_text(text.chars())).then(|| decoded(Cow::Owned(text), "Latin-1"))
}

fn decoded<'a>(text: Cow<'a, str>, encoding: &'static str) -> Decoded<'a> {
    Decoded { text, encoding }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes
        .chunks_exact(2)
        .map(|p| word([p[0], p.get(1).copied().unwrap_or(0)]));
    let text: String = char::decode_utf16(units).collect::<Result<_, _>>().ok()?;
    looks_like_text(text.chars()).then_some(text)
}

/// No NUL, and at most one character in ten a control (other than tab and line ends).
fn looks_like_text(chars: impl Iterator<Item = char>) -> bool {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in chars.take(64 * 1024) {
        total += 1;
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b') {
            odd += 1;
        }
    }
    odd * 10 <= total
}

/// The `encoding` of an XML declaration at the very start.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let head = bytes.get(..bytes.len().min(200))?;
    let end = head.iter().position(|&b| b == b'>')?;
    let decl = std::str::from_utf8(head.get(..end)?).ok()?;
    let decl = decl.strip_prefix("<?xml")?;
    let at = decl.find("encoding")?;
    let rest = decl
        .get(at + "encoding".len()..)?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next()?;
    let rest = rest.get(1..)?;
    rest.get(..rest.find(quote)?)
}

/// A byte of Windows-1252 (Latin-1 with printable characters in 0x80–0x9F).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH.get(usize::from(b - 0x80)).copied().unwrap_or('\u{fffd}'),
        _ => char::from(b),
    }
}

/// Summarises a document that has no magic number.
pub(crate) fn inspect(bytes: &[u8], options: &Options, report: &mut Report) -> Result<(), InspectError> {
    let Some(decoded) = decode(bytes) else {
        binary(bytes, "application/octet-stream", options, report);
        return Ok(());
    };
    let text = decoded.text.as_ref();
    let start = text.trim_start();
    let limits = &options.limits;
    if start.starts_with('<') {
        report.media_type = "application/xml".to_owned();
        match xml::parse(text, limits.max_xml_nodes) {
            Ok(doc) => {
                options.budget.check()?;
                if let Some(found) = invoice::from_document(&doc, options)? {
                    report.kind = Kind::Invoice;
                    report.warnings.extend(found.warnings);
                    report.invoice = Some(found.invoice);
                } else {
                    report.kind = Kind::Xml;
                }
                let (lines, cut) = pretty_xml(&doc, limits.max_lines, limits.max_depth);
                report.warnings.extend(cut);
                report.set_lines(lines);
                return Ok(());
            }
            Err(error) => {
                report.kind = Kind::Xml;
                report.warnings.push(error);
                report.set_lines(text_lines(text, limits.max_lines));
                return Ok(());
            }
        }
    }
    if start.starts_with('{') || start.starts_with('[') {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value) => {
                report.kind = Kind::Json;
                report.media_type = "application/json".to_owned();
                report.set_lines(pretty_json(&value, limits.max_lines));
                return Ok(());
            }
            Err(error) if error.to_string().contains("recursion limit") => {
                report.kind = Kind::Json;
                report.media_type = "application/json".to_owned();
                report.warnings.push(crate::i18n::message!("inspect-warn-json-deep"));
                report.set_lines(text_lines(text, limits.max_lines));
                return Ok(());
            }
            Err(_) => {}
        }
    }
    if let Some(rows) = csv_rows(text, limits.max_lines) {
        report.kind = Kind::Csv;
        report.media_type = "text/csv".to_owned();
        report.body = Body::Table(rows);
        return Ok(());
    }
    report.kind = Kind::Text;
    report.media_type = "text/plain".to_owned();
    if decoded.encoding != "UTF-8" {
        report.warnings.push(crate::i18n::message!(
            "inspect-warn-encoding",
            encoding = decoded.encoding
        ));
    }
    report.set_lines(text_lines(text, limits.max_lines));
    Ok(())
}

/// A binary file of `media_type`: the hex view of its first bytes.
pub(crate) fn binary(bytes: &[u8], media_type: &str, options: &Options, report: &mut Report) {
    report.kind = Kind::Binary;
    report.media_type = media_type.to_owned();
    report.set_lines(hex_lines(bytes, options.limits.max_lines.min(64)));
}

/// Lines of a readable body and, when some were left out, the marker that
/// says so (shown under them in the reader's language).
pub type Lines = (Vec<String>, Option<Warning>);

/// At most `max` lines of `text`, and a marker when there are more.
pub fn text_lines(text: &str, max: usize) -> Lines {
    let lines: Vec<String> = text.lines().take(max).map(str::to_owned).collect();
    let more = (lines.len() == max && text.lines().nth(max).is_some()).then(|| more_lines(max));
    (lines, more)
}

/// The marker of a body cut at `max` lines.
fn more_lines(max: usize) -> Warning {
    crate::i18n::message!("inspect-body-more-lines", max = max)
}

/// A hex view of `bytes`: offset, 16 bytes, and the printable ones; at most
/// `max` lines, and a marker saying how many bytes there are when they do not fit.
pub fn hex_lines(bytes: &[u8], max: usize) -> Lines {
    let lines: Vec<String> = bytes
        .chunks(16)
        .take(max)
        .enumerate()
        .map(|(i, chunk)| {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let shown: String = chunk
                .iter()
                .map(|&b| {
                    if b.is_ascii_graphic() || b == b' ' {
                        char::from(b)
                    } else {
                        '.'
                    }
                })
                .collect();
            format!("{:08x}  {:<47}  {shown}", i * 16, hex.join(" "))
        })
        .collect();
    let more =
        (bytes.len() > max * 16).then(|| crate::i18n::message!("inspect-body-bytes-in-all", bytes = bytes.len()));
    (lines, more)
}

/// JSON indented by two spaces, at most `max` lines.
pub fn pretty_json(value: &serde_json::Value, max: usize) -> Lines {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    text_lines(&pretty, max)
}

/// XML indented by two spaces per level, one element a line, at most
/// `max_lines` lines and `max_depth` levels; the warning says which levels were cut.
pub(crate) fn pretty_xml(doc: &xml::Doc<'_>, max_lines: usize, max_depth: usize) -> (Lines, Option<Warning>) {
    enum Step<'d, 'a> {
        Open(xml::Node<'d, 'a>, usize),
        Close(xml::Node<'d, 'a>, usize),
    }
    let mut lines = Vec::new();
    let mut more = None;
    let mut too_deep = false;
    let mut stack = vec![Step::Open(doc.root_element(), 0)];
    while let Some(step) = stack.pop() {
        if lines.len() >= max_lines {
            more = Some(more_lines(max_lines));
            break;
        }
        match step {
            Step::Open(node, depth) => {
                if depth >= max_depth {
                    too_deep = true;
                    continue;
                }
                let indent = "  ".repeat(depth);
                let name = node.qualified();
                let attrs: String = node.attributes().map(|(k, v)| format!(" {k}=\"{v}\"")).collect();
                let text = node.text().map(str::trim).unwrap_or_default();
                if !node.has_children() && text.is_empty() {
                    lines.push(format!("{indent}<{name}{attrs}/>"));
                } else if !node.has_children() {
                    lines.push(format!("{indent}<{name}{attrs}>{text}</{name}>"));
                } else {
                    lines.push(format!("{indent}<{name}{attrs}>"));
                    if !text.is_empty() {
                        lines.push(format!("{indent}  {text}"));
                    }
                    stack.push(Step::Close(node, depth));
                    let kids: Vec<xml::Node<'_, '_>> = node.children().collect();
                    stack.extend(kids.into_iter().rev().map(|c| Step::Open(c, depth + 1)));
                }
            }
            Step::Close(node, depth) => lines.push(format!("{}</{}>", "  ".repeat(depth), node.qualified())),
        }
    }
    let warning = too_deep.then(|| crate::i18n::message!("inspect-warn-xml-deep", levels = max_depth));
    ((lines, more), warning)
}

/// `text` as rows of a CSV (`,`, `;` or tab), if its first lines agree on a
/// delimiter and have at least two columns; at most `max` rows.
pub fn csv_rows(text: &str, max: usize) -> Option<Vec<Vec<String>>> {
    let sample: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(10).collect();
    if sample.len() < 2 {
        return None;
    }
    let delimiter = [b',', b';', b'\t'].into_iter().find(|&d| {
        let counts: Vec<usize> = sample.iter().map(|l| fields(l, d)).collect();
        counts
            .first()
            .is_some_and(|&first| first >= 2 && counts.iter().all(|&c| c == first))
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(max) {
        let record = record.ok()?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Some(rows)
}

/// The number of fields of one CSV line, quotes respected.
fn fields(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 1;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodings_are_recognised() {
        let utf16le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Grüße\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&utf16le).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("Grüße\n", "UTF-16LE"));
        let utf16be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("Año".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&utf16be).unwrap().text, "Año");
        let latin1 = b"Se\xf1or Mu\xf1oz, 12 \x80";
        let d = decode(latin1).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("Señor Muñoz, 12 €", "Latin-1"));
        let declared = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>";
        assert_eq!(
            decode(declared).unwrap().text,
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>"
        );
        assert_eq!(decode(b"\x00\x01\x02\x03binary\x00"), None);
    }

    #[test]
    fn csv_needs_agreeing_columns() {
        let rows = csv_rows("id;name\n1;\"Ana; Weber\"\n2;Jonas\n", 10).unwrap();
        assert_eq!(rows[1], vec!["1", "Ana; Weber"]);
        assert_eq!(rows.len(), 3);
        assert!(csv_rows("Dear Ana,\nthanks for the invoice.\n", 10).is_none());
    }

    #[test]
    fn pretty_xml_indents_and_keeps_prefixes() {
        let doc = xml::parse(r#"<a:r xmlns:a="urn:a"><a:b x="1">t</a:b><c><d/></c></a:r>"#, 100).unwrap();
        let ((lines, more), warning) = pretty_xml(&doc, 100, 10);
        assert_eq!(more, None);
        assert_eq!(
            lines,
            [
                "<a:r>",
                "  <a:b x=\"1\">t</a:b>",
                "  <c>",
                "    <d/>",
                "  </c>",
                "</a:r>"
            ]
        );
        assert_eq!(warning, None);
        let ((lines, _), warning) = pretty_xml(&doc, 100, 1);
        assert_eq!(lines, ["<a:r>", "</a:r>"]);
        assert!(warning.is_some());
        let ((lines, more), _) = pretty_xml(&doc, 2, 10);
        assert_eq!(lines.len(), 2);
        assert_eq!(more.map(|m| m.to_string()).as_deref(), Some("… (more than 2 lines)"));
    }

    /// The markers say what the body leaves out, outside its lines: in
    /// English as the last line said before, in Spanish for a Spanish reader.
    #[test]
    fn cut_bodies_carry_a_marker_beside_their_lines() {
        let (lines, more) = text_lines("a\nb\nc\n", 2);
        assert_eq!(lines, ["a", "b"]);
        let more = more.unwrap();
        assert_eq!(more.as_str(), "… (more than 2 lines)");
        assert_eq!(more.text_in(crate::i18n::Lang::Es), "… (más de 2 líneas)");
        assert_eq!(text_lines("a\nb\n", 2).1, None);
        let (lines, more) = hex_lines(&[0u8; 100], 2);
        assert_eq!(lines.len(), 2);
        let more = more.unwrap();
        assert_eq!(more.as_str(), "… (100 bytes in all)");
        assert_eq!(more.text_in(crate::i18n::Lang::Es), "… (100 bytes en total)");
    }

    #[test]
    fn hex_shows_offsets_bytes_and_printables() {
        let (lines, more) = hex_lines(b"\x00\x01ABC", 4);
        assert_eq!(
            lines,
            ["00000000  00 01 41 42 43                                   ..ABC"]
        );
        assert_eq!(more, None);
        assert_eq!(hex_lines(&[0u8; 100], 2).0.len(), 2);
    }

    proptest! {
        #[test]
        fn readable_bodies_stay_within_their_line_cap(text in ".{0,2000}", max in 1usize..50) {
            prop_assert!(text_lines(&text, max).0.len() <= max);
            prop_assert!(hex_lines(text.as_bytes(), max).0.len() <= max);
            if let Some(rows) = csv_rows(&text, max) {
                prop_assert!(rows.len() <= max);
            }
        }

        #[test]
        fn utf16_text_decodes_back_to_itself(text in "[a-zA-Z0-9 äöüñ€\n]{1,200}") {
            let bytes: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
            prop_assert_eq!(decode(&bytes).map(|d| d.text.into_owned()), Some(text));
        }
    }
}
