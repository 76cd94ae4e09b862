//! PDF: pages, title, producer, created date, embedded files (and the
//! e-invoice of a Factur-X / ZUGFeRD PDF among them), the text of the first
//! page. Parsing is lopdf's; the walks over its objects are ours, each with
//! a set of visited objects and a step cap, so an object that refers back
//! to itself ends the walk instead of looping. Streams are inflated with a
//! cap. Page 1 is drawn, for the preview pane only, by [`super::render`].

use super::report::{Kind, Report};
use super::{InspectError, Options, invoice};
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// What a PDF holds (SPEC.md's `pdf` object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PdfSummary {
    /// How many pages.
    pub pages: usize,
    /// The document's title.
    pub title: Option<String>,
    /// The program that made the PDF.
    pub producer: Option<String>,
    /// When it was made, `YYYY-MM-DD` or RFC 3339.
    pub created: Option<String>,
    /// The text of the first page; empty for a scan.
    pub text: String,
    /// The names of the files embedded in it.
    pub embedded: Vec<String>,
}

/// The most characters of the first page's text that are kept.
const MAX_TEXT: usize = 8_000;

/// The names a Factur-X, ZUGFeRD or XRechnung PDF gives its invoice.
const INVOICE_NAMES: [&str; 5] = [
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
    "zugferd_2p0_invoice.xml",
    "order-x.xml",
];

/// Summarises a PDF.
pub(crate) fn inspect(bytes: &[u8], options: &Options, report: &mut Report) -> Result<(), InspectError> {
    report.kind = Kind::Pdf;
    report.media_type = "application/pdf".to_owned();
    let loaded = super::render::guarded(|| Document::load_mem(bytes));
    let doc = match loaded {
        Some(Ok(doc)) => doc,
        Some(Err(error)) => {
            report.warnings.push(crate::i18n::message!(
                "inspect-warn-pdf-unreadable",
                error = error.to_string()
            ));
            return Ok(());
        }
        None => {
            report
                .warnings
                .push(crate::i18n::message!("inspect-warn-pdf-malformed"));
            return Ok(());
        }
    };
    options.budget.check()?;
    let mut walk = Walk::new(&doc, options.limits.max_pdf_steps);
    let mut summary = PdfSummary::default();
    let pages = walk.pages();
    summary.pages = pages.len();
    if walk.looped {
        report.warnings.push(crate::i18n::message!("inspect-warn-pdf-loop"));
    }
    if let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(|o| walk.resolve(o))
        .and_then(Object::as_dict)
    {
        summary.title = info.get(b"Title").ok().and_then(|o| walk.text_string(o));
        summary.producer = info.get(b"Producer").ok().and_then(|o| walk.text_string(o));
        summary.created = info
            .get(b"CreationDate")
            .ok()
            .and_then(|o| walk.text_string(o))
            .and_then(|d| pdf_date(&d));
    }
    options.budget.check()?;
    let files = walk.embedded_files();
    summary.embedded = files.iter().map(|(name, _)| name.clone()).collect();
    if doc.is_encrypted() {
        report
            .warnings
            .push(crate::i18n::message!("inspect-warn-pdf-encrypted"));
    } else if let Some(&first) = pages.first() {
        summary.text = walk.page_text(first, options.limits.max_entry);
    }
    if summary.text.trim().is_empty() && summary.pages > 0 {
        report.warnings.push(crate::i18n::message!("inspect-warning-scan"));
    }
    options.budget.check()?;
    if let Some(found) = embedded_invoice(&walk, &files, options, &mut report.warnings)? {
        report.kind = Kind::Invoice;
        report.warnings.extend(found.warnings);
        report.invoice = Some(found.invoice);
    }
    report.set_lines(super::body::text_lines(&summary.text, options.limits.max_lines));
    report.pdf = Some(summary);
    Ok(())
}

/// The e-invoice among the embedded files: one of the standard names first,
/// then any XML file that is an invoice.
fn embedded_invoice(
    walk: &Walk<'_>,
    files: &[(String, Option<ObjectId>)],
    options: &Options,
    warnings: &mut Vec<crate::inspect::Warning>,
) -> Result<Option<invoice::Found>, InspectError> {
    let mut candidates: Vec<&(String, Option<ObjectId>)> = files
        .iter()
        .filter(|(name, _)| INVOICE_NAMES.iter().any(|n| name.eq_ignore_ascii_case(n)))
        .collect();
    candidates.extend(files.iter().filter(|(name, _)| {
        name.to_ascii_lowercase().ends_with(".xml") && !INVOICE_NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
    }));
    for (name, stream) in candidates {
        let Some(id) = stream else { continue };
        let Ok(stream) = walk.doc.get_object(*id).and_then(Object::as_stream) else {
            continue;
        };
        match inflate(stream, options.limits.max_entry) {
            Ok(bytes) => {
                if let Some(found) = invoice::from_xml_bytes(&bytes, options)? {
                    return Ok(Some(found));
                }
            }
            Err(why) => warnings.push(why.warning(crate::text::safe_line(name, 100))),
        }
    }
    Ok(None)
}

/// Why an embedded file is not read.
enum NotInflated {
    /// Its deflate stream is broken (what flate2 said).
    Broken(String),
    /// It inflates to more than this many MiB.
    Large(u64),
    /// Its filters, which are not FlateDecode alone.
    Filters(String),
}

impl NotInflated {
    /// The warning of the embedded file `name`.
    fn warning(self, name: String) -> crate::inspect::Warning {
        use crate::i18n::message;
        match self {
            NotInflated::Broken(error) => message!("inspect-warn-embedded-inflate", name = name, error = error),
            NotInflated::Large(mib) => message!("inspect-warn-embedded-large", name = name, mib = mib),
            NotInflated::Filters(filters) => message!("inspect-warn-embedded-filters", name = name, filters = filters),
        }
    }
}

/// A stream's bytes, inflated when FlateDecode, at most `max` bytes.
fn inflate(stream: &lopdf::Stream, max: u64) -> Result<Vec<u8>, NotInflated> {
    let filters = stream.filters().unwrap_or_default();
    match filters.as_slice() {
        [] => Ok(stream.content.clone()),
        [b"FlateDecode"] => {
            let mut out = Vec::new();
            let mut reader = flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(max + 1);
            if let Err(error) = reader.read_to_end(&mut out)
                && out.is_empty()
            {
                return Err(NotInflated::Broken(error.to_string()));
            }
            if out.len() as u64 > max {
                return Err(NotInflated::Large(max >> 20));
            }
            Ok(out)
        }
        other => Err(NotInflated::Filters(
            other
                .iter()
                .map(|f| String::from_utf8_lossy(f))
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Walks over a document's objects, each reference followed once, at most `max_steps` in all.
struct Walk<'a> {
    doc: &'a Document,
    steps: usize,
    max_steps: usize,
    looped: bool,
}

impl<'a> Walk<'a> {
    fn new(doc: &'a Document, max_steps: usize) -> Self {
        Walk {
            doc,
            steps: 0,
            max_steps,
            looped: false,
        }
    }

    fn step(&mut self) -> bool {
        self.steps += 1;
        self.steps <= self.max_steps
    }

    /// `object`, or what it refers to (a chain of references followed a few times).
    fn resolve(&self, object: &'a Object) -> lopdf::Result<&'a Object> {
        let mut at = object;
        for _ in 0..8 {
            match at {
                Object::Reference(id) => at = self.doc.get_object(*id)?,
                other => return Ok(other),
            }
        }
        Err(lopdf::Error::ReferenceLimit)
    }

    fn dict(&self, object: &'a Object) -> Option<&'a Dictionary> {
        self.resolve(object).ok()?.as_dict().ok()
    }

    /// The leaf pages in order, from the catalog's page tree.
    fn pages(&mut self) -> Vec<ObjectId> {
        let mut pages = Vec::new();
        let Ok(root) = self.doc.trailer.get(b"Root") else {
            return pages;
        };
        let Some(catalog) = self.dict(root) else { return pages };
        let Ok(Object::Reference(top)) = catalog.get(b"Pages") else {
            return pages;
        };
        let mut seen = HashSet::new();
        let mut stack = vec![*top];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                self.looped = true;
                continue;
            }
            if !self.step() {
                break;
            }
            let Ok(node) = self.doc.get_dictionary(id) else {
                continue;
            };
            match node
                .get(b"Kids")
                .ok()
                .and_then(|k| self.resolve(k).ok())
                .and_then(|k| k.as_array().ok())
            {
                Some(kids) => {
                    stack.extend(kids.iter().rev().filter_map(|k| k.as_reference().ok()));
                }
                None if node.has_type(b"Pages") => {}
                None => pages.push(id),
            }
        }
        pages
    }

    /// A PDF text string: UTF-16BE after its BOM, UTF-8 after its BOM, else PDFDocEncoding (Latin-1 here).
    fn text_string(&self, object: &'a Object) -> Option<String> {
        let Ok(Object::String(bytes, _)) = self.resolve(object) else {
            return None;
        };
        let text = if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
            let units = rest.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
            char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect()
        } else if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
            String::from_utf8_lossy(rest).into_owned()
        } else {
            bytes.iter().map(|&b| char::from(b)).collect::<String>()
        };
        let text = text.trim().to_owned();
        (!text.is_empty()).then_some(text)
    }

    /// The embedded files, by name, with the stream of each: from the
    /// catalog's EmbeddedFiles name tree and its associated files (AF).
    fn embedded_files(&mut self) -> Vec<(String, Option<ObjectId>)> {
        let mut specs: Vec<&'a Dictionary> = Vec::new();
        let Some(catalog) = self.doc.trailer.get(b"Root").ok().and_then(|r| self.dict(r)) else {
            return Vec::new();
        };
        let tree = catalog
            .get(b"Names")
            .ok()
            .and_then(|n| self.dict(n))
            .and_then(|n| n.get(b"EmbeddedFiles").ok());
        let mut seen = HashSet::new();
        let mut stack: Vec<&'a Object> = tree.into_iter().collect();
        while let Some(node) = stack.pop() {
            if !self.step() {
                break;
            }
            if let Object::Reference(id) = node
                && !seen.insert(*id)
            {
                continue;
            }
            let Some(dict) = self.dict(node) else { continue };
            if let Some(kids) = dict
                .get(b"Kids")
                .ok()
                .and_then(|k| self.resolve(k).ok())
                .and_then(|k| k.as_array().ok())
            {
                stack.extend(kids.iter());
            }
            if let Some(names) = dict
                .get(b"Names")
                .ok()
                .and_then(|n| self.resolve(n).ok())
                .and_then(|n| n.as_array().ok())
            {
                specs.extend(names.iter().skip(1).step_by(2).filter_map(|s| self.dict(s)));
            }
        }
        if let Some(af) = catalog
            .get(b"AF")
            .ok()
            .and_then(|a| self.resolve(a).ok())
            .and_then(|a| a.as_array().ok())
        {
            specs.extend(af.iter().filter_map(|s| self.dict(s)));
        }
        let mut files: Vec<(String, Option<ObjectId>)> = Vec::new();
        for spec in specs {
            let name = spec
                .get(b"UF")
                .ok()
                .and_then(|n| self.text_string(n))
                .or_else(|| spec.get(b"F").ok().and_then(|n| self.text_string(n)));
            let Some(name) = name else { continue };
            let stream = spec
                .get(b"EF")
                .ok()
                .and_then(|ef| self.dict(ef))
                .and_then(|ef| ef.get(b"F").or_else(|_| ef.get(b"UF")).ok())
                .and_then(|s| s.as_reference().ok());
            if !files.iter().any(|(n, _)| *n == name) {
                files.push((name, stream));
            }
        }
        files
    }

    /// The text a page shows, in content order: the strings of its text
    /// operators, decoded with their fonts' encodings where lopdf knows them.
    fn page_text(&mut self, page: ObjectId, max_stream: u64) -> String {
        let Ok(dict) = self.doc.get_dictionary(page) else {
            return String::new();
        };
        let mut data = Vec::new();
        let contents = dict.get(b"Contents").ok().and_then(|c| self.resolve(c).ok());
        let streams: Vec<&Object> = match contents {
            Some(Object::Array(parts)) => parts.iter().collect(),
            Some(other) => vec![other],
            None => Vec::new(),
        };
        for part in streams {
            let Ok(stream) = self.resolve(part).and_then(Object::as_stream) else {
                continue;
            };
            if let Ok(bytes) = inflate(stream, max_stream) {
                data.extend_from_slice(&bytes);
                data.push(b'\n');
            }
        }
        let Ok(content) = lopdf::content::Content::decode(&data) else {
            return String::new();
        };
        let fonts = self.doc.get_page_fonts(page).unwrap_or_default();
        let mut encodings: HashMap<&[u8], Option<lopdf::Encoding<'_>>> = HashMap::new();
        let mut font: Option<&[u8]> = None;
        let mut line_y: Option<f32> = None;
        let mut out = String::new();
        let number = |o: Option<&Object>| o.and_then(|v| v.as_float().ok());
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    font = op.operands.first().and_then(|n| n.as_name().ok());
                    if let Some(name) = font {
                        let doc = self.doc;
                        encodings
                            .entry(name)
                            .or_insert_with(|| fonts.get(name).and_then(|f| f.get_font_encoding(doc).ok()));
                    }
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if matches!(op.operator.as_str(), "'" | "\"") {
                        new_line(&mut out);
                    }
                    let encoding = font.and_then(|f| encodings.get(f)).and_then(Option::as_ref);
                    for operand in &op.operands {
                        let pieces: Vec<&Object> = match operand {
                            Object::Array(items) => items.iter().collect(),
                            other => vec![other],
                        };
                        for piece in pieces {
                            match piece {
                                Object::String(bytes, _) => {
                                    let decoded = encoding
                                        .and_then(|e| Document::decode_text(e, bytes).ok())
                                        .unwrap_or_else(|| bytes.iter().map(|&b| char::from(b)).collect());
                                    out.push_str(&decoded);
                                }
                                // A wide negative kern is how many PDFs space their words.
                                Object::Integer(_) | Object::Real(_)
                                    if number(Some(piece)).is_some_and(|k| k < -200.0) =>
                                {
                                    space(&mut out);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                "T*" => new_line(&mut out),
                "Td" | "TD" => match number(op.operands.get(1)) {
                    Some(ty) if ty.abs() > 0.01 => new_line(&mut out),
                    _ => space(&mut out),
                },
                "Tm" => {
                    let y = number(op.operands.get(5));
                    if line_y.is_some() && y.zip(line_y).is_some_and(|(a, b)| (a - b).abs() > 0.01) {
                        new_line(&mut out);
                    } else {
                        space(&mut out);
                    }
                    line_y = y;
                }
                _ => {}
            }
            if out.len() >= MAX_TEXT * 4 {
                break;
            }
        }
        out.chars().take(MAX_TEXT).collect::<String>().trim().to_owned()
    }
}

/// Ends the text's current line, unless it is empty or ended.
fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Separates the next words from the last, unless something does already.
fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

/// A PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`) as RFC 3339, or as `YYYY-MM-DD` when it has no time.
fn pdf_date(text: &str) -> Option<String> {
    let digits: String = text
        .trim()
        .trim_start_matches("D:")
        .chars()
        .take(14)
        .take_while(char::is_ascii_digit)
        .collect();
    let part = |from: usize, to: usize, default: &'static str| digits.get(from..to).unwrap_or(default).to_owned();
    if digits.len() < 4 {
        return None;
    }
    let date = format!("{}-{}-{}", part(0, 4, "0000"), part(4, 6, "01"), part(6, 8, "01"));
    if digits.len() < 12 {
        return Some(date);
    }
    let rest = text
        .trim()
        .trim_start_matches("D:")
        .get(digits.len()..)
        .unwrap_or_default();
    let zone = match rest.chars().next() {
        Some('Z') | None => "Z".to_owned(),
        Some(sign @ ('+' | '-')) => {
            let tz: String = rest.chars().skip(1).filter(char::is_ascii_digit).take(4).collect();
            let hours = tz.get(0..2).unwrap_or("00");
            let minutes = tz.get(2..4).unwrap_or("00");
            format!("{sign}{hours}:{minutes}")
        }
        Some(_) => "Z".to_owned(),
    };
    Some(format!(
        "{date}T{}:{}:{}{zone}",
        part(8, 10, "00"),
        part(10, 12, "00"),
        part(12, 14, "00")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_rfc_3339() {
        assert_eq!(
            pdf_date("D:20240209103000+01'00'").as_deref(),
            Some("2024-02-09T10:30:00+01:00")
        );
        assert_eq!(pdf_date("D:20240209103000Z").as_deref(), Some("2024-02-09T10:30:00Z"));
        assert_eq!(pdf_date("D:20240209").as_deref(), Some("2024-02-09"));
        assert_eq!(pdf_date("yesterday"), None);
    }
}
