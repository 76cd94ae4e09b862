//! `manifest.csv`, the record of an export: one row per document
//! (`process_id, doc_id, doc_name, doc_type, path, bytes, sha256, status,
//! error`; `path` relative to the export folder; `status` is `downloaded`,
//! `unchanged` or `failed`), and the check that a file it lists is still there.

use super::CliError;
use crate::api::{Document, Process};
use crate::text::safe_line;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Component, Path};

/// The manifest's file name in the export folder.
pub(crate) const MANIFEST_NAME: &str = "manifest.csv";

/// `status` of a document saved by this export.
pub(crate) const STATUS_DOWNLOADED: &str = "downloaded";
/// `status` of a document whose file from an earlier export is still there.
pub(crate) const STATUS_UNCHANGED: &str = "unchanged";
/// `status` of a document (or a whole process) that could not be saved.
pub(crate) const STATUS_FAILED: &str = "failed";

/// One row of `manifest.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ManifestRow {
    pub(crate) process_id: String,
    pub(crate) doc_id: String,
    pub(crate) doc_name: String,
    pub(crate) doc_type: String,
    pub(crate) path: String,
    pub(crate) bytes: Option<u64>,
    pub(crate) sha256: String,
    pub(crate) status: String,
    pub(crate) error: String,
}

impl ManifestRow {
    pub(crate) fn for_document(process: &Process, document: &Document) -> ManifestRow {
        ManifestRow {
            process_id: process.process_id.to_string(),
            doc_id: document.doc_id.to_string(),
            doc_name: document
                .doc_name
                .as_deref()
                .map(|n| safe_line(n, 500))
                .unwrap_or_default(),
            doc_type: document
                .doc_type
                .as_deref()
                .map(|t| safe_line(t, 200))
                .unwrap_or_default(),
            ..ManifestRow::default()
        }
    }

    pub(crate) fn failed_process(process_id: &str, error: &CliError) -> ManifestRow {
        ManifestRow {
            process_id: safe_line(process_id, 200),
            status: STATUS_FAILED.to_string(),
            error: safe_line(&error.to_string(), 500),
            ..ManifestRow::default()
        }
    }
}

/// The rows of a manifest; no file is no rows.
pub(crate) fn read_manifest(path: &Path) -> Result<Vec<ManifestRow>, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.to_string()),
    };
    csv::Reader::from_reader(file)
        .deserialize()
        .collect::<Result<Vec<ManifestRow>, _>>()
        .map_err(|e| e.to_string())
}

/// Replaces the manifest atomically (see [`crate::store::atomic`]), so a
/// reader never sees half a manifest.
pub(crate) fn write_manifest(path: &Path, rows: &[ManifestRow]) -> std::io::Result<()> {
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        writer
            .write_record([
                "process_id",
                "doc_id",
                "doc_name",
                "doc_type",
                "path",
                "bytes",
                "sha256",
                "status",
                "error",
            ])
            .map_err(csv_error)?;
    }
    for row in rows {
        writer.serialize(row).map_err(csv_error)?;
    }
    let bytes = writer.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::store::atomic::write(path, &bytes, crate::store::atomic::Access::Shared)
}

/// `path` relative to `dir` when it is inside it, with `/` between parts.
pub(crate) fn relative_path(dir: &Path, path: &Path) -> String {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    match path.strip_prefix(&dir) {
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// Whether a manifest path names a file directly in `folder` (a relative
/// path of two plain parts, so a damaged manifest cannot point elsewhere).
pub(crate) fn in_folder(path: &str, folder: &str) -> bool {
    let parts: Vec<Component<'_>> = Path::new(path).components().collect();
    matches!(parts.as_slice(), [Component::Normal(f), Component::Normal(_)] if f.to_string_lossy() == folder)
}

/// Whether the file an earlier export saved is still there, with the same
/// size and SHA-256.
pub(crate) async fn still_there(dir: &Path, earlier: &ManifestRow) -> bool {
    let path = dir.join(&earlier.path);
    let (Some(bytes), expected) = (earlier.bytes, earlier.sha256.clone()) else {
        return false;
    };
    match tokio::fs::metadata(&path).await {
        Ok(meta) if meta.is_file() && meta.len() == bytes => {}
        _ => return false,
    }
    tokio::task::spawn_blocking(move || sha256_of(&path).is_ok_and(|sha| sha.eq_ignore_ascii_case(&expected)))
        .await
        .unwrap_or(false)
}

/// The SHA-256 of a file, read through a fixed buffer.
fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(buffer.get(..n).unwrap_or_default());
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_round_trips_hostile_text() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(MANIFEST_NAME);
        let rows = vec![
            ManifestRow {
                process_id: "12345".into(),
                doc_id: "98765".into(),
                doc_name: "a, \"quoted\"\nname".into(),
                doc_type: "Invoice".into(),
                path: "12345 Odoo/Invoice_001.pdf".into(),
                bytes: Some(736),
                sha256: "ab".into(),
                status: STATUS_DOWNLOADED.into(),
                error: String::new(),
            },
            ManifestRow::failed_process("999", &CliError::Other("not found".into())),
        ];
        write_manifest(&path, &rows)?;
        assert_eq!(read_manifest(&path)?, rows);
        let text = std::fs::read_to_string(&path)?;
        assert!(text.starts_with("process_id,doc_id,doc_name,doc_type,path,bytes,sha256,status,error\n"));
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        write_manifest(&path, &[])?;
        assert!(read_manifest(&path)?.is_empty());
        Ok(())
    }

    #[test]
    fn manifest_paths_must_stay_in_the_process_folder() {
        assert!(in_folder("12345 Odoo/Invoice_001.pdf", "12345 Odoo"));
        assert!(!in_folder("12345 Odoo/../../etc/passwd", "12345 Odoo"));
        assert!(!in_folder("/etc/passwd", "12345 Odoo"));
        assert!(!in_folder("other/Invoice_001.pdf", "12345 Odoo"));
        assert!(!in_folder("Invoice_001.pdf", "12345 Odoo"));
    }
}
