//! Reading documents: what a file is (by its content, never its name) and a
//! summary of it, for `trackline inspect` and the TUI's preview.
//!
//! A layer below `engine`: it knows bytes and formats, nothing of HTTP or
//! terminals. Every file is hostile until read: inputs, unpacked entries,
//! pixels, nodes and nesting are capped by [`Limits`], and a [`Budget`]
//! (a deadline and a cancel flag) stops the work between steps. The strings
//! of a [`Report`] are the document's own; a front end passes them through
//! [`crate::text`] before they reach a terminal.
//!
//! - [`invoice`]: e-invoices (UBL, CII, Facturae, CFDI, FatturaPA) and their checks;
//! - [`pdf`]: pages, metadata, embedded files (Factur-X / ZUGFeRD), first page's text;
//! - [`render`]: page 1 of a PDF drawn as a picture, bounded and guarded;
//! - [`image`]: dimensions, EXIF orientation, the picture turned upright;
//! - [`archive`]: ZIP entries, and one entry read back to be inspected in turn;
//! - [`body`]: XML, JSON, CSV and text made readable, anything else as hex;
//! - [`describe`]: a summary as safe text of a given width, for either front end.

pub mod archive;
pub mod body;
mod budget;
mod decimal;
mod describe;
pub mod image;
pub mod invoice;
pub mod pdf;
pub mod render;
mod report;
mod sniff;
pub(crate) mod warning;
mod xml;

pub use budget::Budget;
pub use decimal::Amount;
pub use describe::{describe, describe_in};
pub use report::{Body, Kind, Report};
pub use warning::Warning;

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The caps that keep a hostile file from costing more than a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes of a file that are read; a larger file gets its type and a warning.
    pub max_input: u64,
    /// The most bytes one archive entry or embedded file may unpack to.
    pub max_entry: u64,
    /// The most bytes all entries of an archive may claim before it counts as a bomb.
    pub max_unpacked_total: u64,
    /// The highest unpacked-to-packed ratio of an entry larger than a MiB.
    pub max_ratio: u64,
    /// How many archives deep an entry may be inspected.
    pub max_archive_depth: u8,
    /// The deepest nesting of XML elements or JSON values that is shown.
    pub max_depth: usize,
    /// The most XML nodes parsed.
    pub max_xml_nodes: u32,
    /// The most pixels of a picture that is decoded.
    pub max_pixels: u64,
    /// The most lines (or rows) of a readable body.
    pub max_lines: usize,
    /// The most archive entries listed.
    pub max_entries: usize,
    /// The most PDF objects visited while walking pages and name trees.
    pub max_pdf_steps: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input: 64 << 20,
            max_entry: 32 << 20,
            max_unpacked_total: 1 << 30,
            max_ratio: 200,
            max_archive_depth: 3,
            max_depth: 256,
            max_xml_nodes: 8_000_000,
            max_pixels: 24_000_000,
            max_lines: 2_000,
            max_entries: 10_000,
            max_pdf_steps: 200_000,
        }
    }
}

/// The limits and the budget of one inspection.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The caps.
    pub limits: Limits,
    /// When to stop.
    pub budget: Budget,
}

/// Why a document has no summary.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}; check that it exists and that you may read it")]
    Unreadable {
        /// The file.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The caller moved on (the TUI's selection moved, say).
    #[error("the preview was cancelled")]
    Cancelled,
    /// The work took longer than its budget.
    #[error("reading the document took longer than {seconds} s; it may be hostile or very large")]
    OutOfTime {
        /// The budget, in seconds.
        seconds: u64,
    },
    /// The document exceeds a safety limit or cannot be read as what it
    /// claims to be: why, as a catalogue message (English here, any language
    /// through `localized`).
    #[error("{0}")]
    Refused(Warning),
}

/// Summarises `bytes`, the whole of a document.
pub fn inspect_bytes(bytes: &[u8], options: &Options) -> Result<Report, InspectError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    inspect_summary(bytes, bytes.len() as u64, sha256, options)
}

/// Summarises the file at `path`: its size and SHA-256 are of the whole
/// file; at most [`Limits::max_input`] bytes of it are read into memory.
pub fn inspect_file(path: &Path, options: &Options) -> Result<Report, InspectError> {
    let unreadable = |source| InspectError::Unreadable {
        path: path.display().to_string(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut kept = Vec::with_capacity(usize::try_from(size.min(options.limits.max_input)).unwrap_or(0));
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        options.budget.check()?;
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        let chunk = buf.get(..n).unwrap_or_default();
        hasher.update(chunk);
        let room = usize::try_from(options.limits.max_input.saturating_sub(total)).unwrap_or(usize::MAX);
        kept.extend_from_slice(chunk.get(..n.min(room)).unwrap_or_default());
        total += n as u64;
    }
    let sha256 = hex::encode(hasher.finalize());
    inspect_summary(&kept, total, sha256, options)
}

/// The summary of `bytes`, the first bytes of a document of `total` bytes.
pub(crate) fn inspect_summary(
    bytes: &[u8],
    total: u64,
    sha256: String,
    options: &Options,
) -> Result<Report, InspectError> {
    options.budget.check()?;
    let mut report = Report::new(total, sha256);
    if total > options.limits.max_input || (bytes.len() as u64) < total {
        report.kind = Kind::Binary;
        report.media_type = sniff::media_type(bytes)
            .unwrap_or("application/octet-stream")
            .to_owned();
        report.warnings.push(crate::i18n::message!(
            "inspect-warn-too-large",
            bytes = total,
            limit = options.limits.max_input >> 20
        ));
        report.set_lines(body::hex_lines(bytes, 16));
        return Ok(report);
    }
    match sniff::sniff(bytes) {
        sniff::Sniffed::Pdf => pdf::inspect(bytes, options, &mut report)?,
        sniff::Sniffed::Zip => archive::inspect(bytes, options, &mut report)?,
        sniff::Sniffed::Image(media_type) => {
            report.media_type = media_type.to_owned();
            image::inspect(bytes, options, &mut report)?;
        }
        sniff::Sniffed::Binary(media_type) => body::binary(bytes, media_type, options, &mut report),
        sniff::Sniffed::Unknown => body::inspect(bytes, options, &mut report)?,
    }
    Ok(report)
}
