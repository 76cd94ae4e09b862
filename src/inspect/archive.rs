//! ZIP archives: the entries (names made safe, sizes, dates) from the
//! central directory, and one entry read back, bounded, to be inspected with
//! the same readers, at most [`Limits::max_archive_depth`](super::Limits)
//! archives deep. An archive whose entries claim too much, or unpack at a
//! ratio no real document has, is listed but not unpacked.

use super::report::{Body, Kind, Report};
use super::{InspectError, Options, inspect_summary};
use crate::i18n::message;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Cursor, Read};

/// One entry of an archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Its name, made safe to show (control characters escaped).
    pub name: String,
    /// Its size unpacked, as the archive claims.
    pub bytes: u64,
    /// Its size packed.
    pub compressed_bytes: u64,
    /// When it was last changed, `YYYY-MM-DDTHH:MM:SS` (local time of whoever made the archive).
    pub modified: Option<String>,
    /// Whether it is a folder.
    pub is_dir: bool,
    /// Its place in the archive, for [`read_entry`] (not part of the JSON).
    #[serde(skip)]
    pub index: usize,
    /// Whether it is encrypted, so never read (not part of the JSON).
    #[serde(skip)]
    pub encrypted: bool,
}

/// An archive's entries (SPEC.md's `archive` object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArchiveSummary {
    /// The entries, in the archive's order (at most [`Limits::max_entries`](super::Limits)).
    pub entries: Vec<Entry>,
}

/// Summarises a ZIP archive.
pub(crate) fn inspect(bytes: &[u8], options: &Options, report: &mut Report) -> Result<(), InspectError> {
    report.kind = Kind::Archive;
    report.media_type = "application/zip".to_owned();
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(error) => {
            report.warnings.push(crate::i18n::message!(
                "inspect-warn-archive-unreadable",
                error = error.to_string()
            ));
            report.archive = Some(ArchiveSummary::default());
            return Ok(());
        }
    };
    let limits = &options.limits;
    let mut summary = ArchiveSummary::default();
    let mut claimed: u64 = 0;
    let mut climbing = 0usize;
    for index in 0..zip.len() {
        if index % 256 == 0 {
            options.budget.check()?;
        }
        if summary.entries.len() >= limits.max_entries {
            report.warnings.push(crate::i18n::message!(
                "inspect-warn-archive-many",
                count = zip.len(),
                listed = limits.max_entries
            ));
            break;
        }
        let Ok(file) = zip.by_index_raw(index) else { continue };
        claimed = claimed.saturating_add(file.size());
        if file.enclosed_name().is_none() {
            climbing += 1;
        }
        summary.entries.push(Entry {
            name: crate::text::safe_line(file.name(), 300),
            bytes: file.size(),
            compressed_bytes: file.compressed_size(),
            modified: file.last_modified().map(|d| {
                format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    d.year(),
                    d.month(),
                    d.day(),
                    d.hour(),
                    d.minute(),
                    d.second()
                )
            }),
            is_dir: file.is_dir(),
            index,
            encrypted: file.encrypted(),
        });
    }
    if climbing > 0 {
        report
            .warnings
            .push(crate::i18n::message!("inspect-warn-archive-climbing", count = climbing));
    }
    if claimed > limits.max_unpacked_total {
        report.warnings.push(crate::i18n::message!(
            "inspect-warn-archive-claims",
            claimed = claimed >> 20,
            allowed = limits.max_unpacked_total >> 20,
            entry = limits.max_entry >> 20
        ));
    }
    if let Some(entry) = summary.entries.iter().find(|e| is_bomb(e, options)) {
        report.warnings.push(crate::i18n::message!(
            "inspect-warn-archive-ratio",
            name = entry.name.as_str(),
            times = entry.bytes / entry.compressed_bytes.max(1)
        ));
    }
    report.body = Body::Table(
        std::iter::once(vec!["name".to_owned(), "bytes".to_owned(), "modified".to_owned()])
            .chain(summary.entries.iter().take(limits.max_lines).map(|e| {
                vec![
                    e.name.clone(),
                    e.bytes.to_string(),
                    e.modified.clone().unwrap_or_default(),
                ]
            }))
            .collect(),
    );
    report.archive = Some(summary);
    Ok(())
}

/// Whether an entry is too large, or packed at a ratio only a bomb has.
fn is_bomb(entry: &Entry, options: &Options) -> bool {
    let limits = &options.limits;
    entry.bytes > 1 << 20 && entry.bytes / entry.compressed_bytes.max(1) > limits.max_ratio
}

/// The bytes of entry `index` of the archive `bytes`: refused when it is
/// larger than [`Limits::max_entry`](super::Limits), packed at a bomb's
/// ratio, encrypted, or unpacks to more than it claims.
pub fn read_entry(bytes: &[u8], index: usize, options: &Options) -> Result<Vec<u8>, InspectError> {
    let refuse = InspectError::Refused;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(message!("inspect-warn-archive-unreadable", error = e.to_string())))?;
    let limits = &options.limits;
    let (size, packed) = {
        let raw = zip.by_index_raw(index).map_err(|e| {
            refuse(message!(
                "inspect-refused-no-entry",
                index = index,
                error = e.to_string()
            ))
        })?;
        if raw.encrypted() {
            return Err(refuse(message!("inspect-refused-encrypted")));
        }
        (raw.size(), raw.compressed_size())
    };
    if size > limits.max_entry {
        return Err(refuse(message!(
            "inspect-refused-entry-large",
            mib = size >> 20,
            max = limits.max_entry >> 20
        )));
    }
    if size > 1 << 20 && size / packed.max(1) > limits.max_ratio {
        return Err(refuse(message!(
            "inspect-refused-entry-ratio",
            times = size / packed.max(1)
        )));
    }
    let unpack = |e: &dyn std::fmt::Display| refuse(message!("inspect-refused-unpack", error = e.to_string()));
    let file = zip.by_index(index).map_err(|e| unpack(&e))?;
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut limited = file.take(size.min(limits.max_entry) + 1);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        options.budget.check()?;
        let n = limited.read(&mut buf).map_err(|e| unpack(&e))?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    if out.len() as u64 > size {
        return Err(refuse(message!("inspect-refused-overrun")));
    }
    Ok(out)
}

/// Entry `index` of the archive `bytes`, inspected with the same readers.
/// `depth` is how many archives deep `bytes` itself is (0 for a file).
pub fn inspect_entry(bytes: &[u8], index: usize, options: &Options, depth: u8) -> Result<Report, InspectError> {
    if depth >= options.limits.max_archive_depth {
        return Err(InspectError::Refused(message!(
            "inspect-refused-nested",
            depth = u64::from(options.limits.max_archive_depth)
        )));
    }
    let entry = read_entry(bytes, index, options)?;
    let sha256 = hex::encode(Sha256::digest(&entry));
    inspect_summary(&entry, entry.len() as u64, sha256, options)
}
