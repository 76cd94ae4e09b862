//! The summary of one document: what `inspect --json` prints (SPEC.md,
//! "Reading documents": every key present, `null` when absent) and the
//! readable body a front end shows under it.

use super::archive::ArchiveSummary;
use super::image::ImageSummary;
use super::invoice::Invoice;
use super::pdf::PdfSummary;
use serde::Serialize;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An e-invoice, or a PDF that embeds one.
    Invoice,
    /// A PDF.
    Pdf,
    /// A JPEG, PNG, GIF or WebP picture.
    Image,
    /// A ZIP archive.
    Archive,
    /// XML that is no e-invoice.
    Xml,
    /// JSON.
    Json,
    /// Comma-, semicolon- or tab-separated values.
    Csv,
    /// Text.
    Text,
    /// Anything else.
    Binary,
}

impl Kind {
    /// The name SPEC.md gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice",
            Kind::Pdf => "pdf",
            Kind::Image => "image",
            Kind::Archive => "archive",
            Kind::Xml => "xml",
            Kind::Json => "json",
            Kind::Csv => "csv",
            Kind::Text => "text",
            Kind::Binary => "binary",
        }
    }
}

/// The readable content of a document, for a preview: raw lines (a front end
/// makes each one safe), a table, or nothing beyond the summary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Body {
    /// Nothing more to show.
    #[default]
    Empty,
    /// Lines of text: pretty XML or JSON, text, a hex view.
    Lines(Vec<String>),
    /// Rows of cells, the first one the header when the file has one.
    Table(Vec<Vec<String>>),
}

/// The summary of one document.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What it is.
    pub kind: Kind,
    /// Its media type, from its content.
    pub media_type: String,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
    /// What could not be read, or was refused for safety.
    pub warnings: Vec<super::Warning>,
    /// The e-invoice it is or embeds.
    pub invoice: Option<Invoice>,
    /// A PDF's pages, metadata, text and embedded files.
    pub pdf: Option<PdfSummary>,
    /// A picture's size, format and orientation.
    pub image: Option<ImageSummary>,
    /// An archive's entries.
    pub archive: Option<ArchiveSummary>,
    /// The readable content (not part of the JSON).
    #[serde(skip)]
    pub body: Body,
    /// What the body leaves out (`… (more than 2000 lines)`), said under it
    /// in the reader's language (not part of the JSON).
    #[serde(skip)]
    pub body_more: Option<super::Warning>,
}

impl Report {
    /// An empty report of a document of `bytes` bytes.
    pub(crate) fn new(bytes: u64, sha256: String) -> Report {
        Report {
            kind: Kind::Binary,
            media_type: "application/octet-stream".to_owned(),
            bytes,
            sha256,
            warnings: Vec::new(),
            invoice: None,
            pdf: None,
            image: None,
            archive: None,
            body: Body::Empty,
            body_more: None,
        }
    }

    /// The body `lines`, and the marker of what they leave out.
    pub(crate) fn set_lines(&mut self, (lines, more): super::body::Lines) {
        self.body = Body::Lines(lines);
        self.body_more = more;
    }
}
