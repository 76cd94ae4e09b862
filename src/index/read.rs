//! Reading the index: a process as last seen, its status history, and the
//! saved copies of an attachment.

use super::{Index, IndexError};
use crate::api::{Document, Id, Process};
use rusqlite::{OptionalExtension, Row, params};
use std::collections::HashMap;
use std::path::PathBuf;
use time::OffsetDateTime;

/// A process as it was last seen, for showing at once (marked cached) while
/// the server is asked again, or offline.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedProcess {
    /// Every field and document as last seen.
    pub process: Process,
    /// When trackline first saw it.
    pub first_seen: OffsetDateTime,
    /// When trackline last saw it.
    pub last_seen: OffsetDateTime,
    /// When its status was last seen changing (the latest entry of its
    /// history); `None` while it has had one status since it was first seen.
    pub status_changed_at: Option<OffsetDateTime>,
}

/// One entry of a process's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// When the status was first seen.
    pub at: OffsetDateTime,
    /// The status then (`None` when the server sent none).
    pub status: Option<String>,
}

/// A saved download as remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFile {
    /// The attachment (the document's `doc_id`).
    pub attachment_id: String,
    /// Where it was saved.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
    /// When it was saved.
    pub at: OffsetDateTime,
}

pub(crate) fn time_of(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn object(text: Option<&str>) -> serde_json::Map<String, serde_json::Value> {
    text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
}

impl Index {
    /// How many processes and documents the index holds.
    pub fn counts(&self) -> Result<(usize, usize), IndexError> {
        let conn = self.lock();
        let count = |table: &str| -> rusqlite::Result<usize> {
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        let processes = count("process").map_err(|e| self.sql_error(e))?;
        let documents = count("document").map_err(|e| self.sql_error(e))?;
        Ok((processes, documents))
    }

    /// The process `process_id` as last seen, or `None` when never seen.
    pub fn cached_process(&self, process_id: &str) -> Result<Option<CachedProcess>, IndexError> {
        let conn = self.lock();
        let read = || -> rusqlite::Result<Option<CachedProcess>> {
            let found = conn
                .prepare_cached(
                    "SELECT id, name, status, created_at, extra, first_seen, last_seen,
                            (SELECT CASE WHEN count(*) > 1 THEN max(at) END FROM status_change WHERE process = process.id)
                     FROM process WHERE process_id = ?1",
                )?
                .query_row([process_id], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        Process {
                            process_id: Id::new(process_id),
                            name: row.get(1)?,
                            status: row.get(2)?,
                            created_at: row.get(3)?,
                            documents: Vec::new(),
                            extra: object(row.get_ref(4)?.as_str_or_null()?),
                        },
                        row.get::<_, i64>(5)?,
                        row.get::<_, i64>(6)?,
                        row.get::<_, Option<i64>>(7)?,
                    ))
                })
                .optional()?;
            let Some((id, mut process, first_seen, last_seen, changed)) = found else {
                return Ok(None);
            };
            let mut statement = conn.prepare_cached(
                "SELECT doc_id, name, type, extra FROM document WHERE process = ?1 ORDER BY position",
            )?;
            process.documents = statement
                .query_map([id], |row: &Row<'_>| {
                    Ok(Document {
                        doc_id: Id::new(row.get::<_, String>(0)?),
                        doc_name: row.get(1)?,
                        doc_type: row.get(2)?,
                        extra: object(row.get_ref(3)?.as_str_or_null()?),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Some(CachedProcess {
                process,
                first_seen: time_of(first_seen),
                last_seen: time_of(last_seen),
                status_changed_at: changed.map(time_of),
            }))
        };
        read().map_err(|e| self.sql_error(e))
    }

    /// The status changes seen for `process_id`, oldest first; `None` when never seen.
    pub fn history(&self, process_id: &str) -> Result<Option<Vec<StatusChange>>, IndexError> {
        let conn = self.lock();
        let read = || -> rusqlite::Result<Option<Vec<StatusChange>>> {
            let id: Option<i64> = conn
                .prepare_cached("SELECT id FROM process WHERE process_id = ?1")?
                .query_row([process_id], |row| row.get(0))
                .optional()?;
            let Some(id) = id else { return Ok(None) };
            let mut statement =
                conn.prepare_cached("SELECT at, status FROM status_change WHERE process = ?1 ORDER BY at, rowid")?;
            let changes = statement
                .query_map([id], |row| {
                    Ok(StatusChange {
                        at: time_of(row.get(0)?),
                        status: row.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(changes))
        };
        read().map_err(|e| self.sql_error(e))
    }

    /// Every saved copy remembered for `attachment_id`, newest first (the files
    /// may have been moved or changed since: see [`SavedFile::is_intact`]).
    pub fn saved_copies(&self, attachment_id: &str) -> Result<Vec<SavedFile>, IndexError> {
        let conn = self.lock();
        let read = || -> rusqlite::Result<Vec<SavedFile>> {
            conn.prepare_cached(
                "SELECT attachment_id, path, bytes, sha256, at FROM saved WHERE attachment_id = ?1 ORDER BY at DESC, path",
            )?
            .query_map([attachment_id], saved_row)?
            .collect()
        };
        read().map_err(|e| self.sql_error(e))
    }

    /// For each of `attachment_ids`, the newest remembered copy whose file is
    /// still there with its recorded size (for a documents list's "saved").
    pub fn saved_files(&self, attachment_ids: &[&str]) -> Result<HashMap<String, SavedFile>, IndexError> {
        let mut found = HashMap::new();
        for id in attachment_ids {
            if found.contains_key(*id) {
                continue;
            }
            let copy = self
                .saved_copies(id)?
                .into_iter()
                .find(|copy| std::fs::metadata(&copy.path).is_ok_and(|m| m.is_file() && m.len() == copy.bytes));
            if let Some(copy) = copy {
                found.insert((*id).to_string(), copy);
            }
        }
        Ok(found)
    }

    /// Forgets a saved copy (its file is gone or changed).
    pub fn forget_saved(&self, attachment_id: &str, path: &std::path::Path) -> Result<(), IndexError> {
        self.check_writable()?;
        let Some(path) = path.to_str() else { return Ok(()) };
        self.lock()
            .execute(
                "DELETE FROM saved WHERE attachment_id = ?1 AND path = ?2",
                params![attachment_id, path],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }
}

fn saved_row(row: &Row<'_>) -> rusqlite::Result<SavedFile> {
    let sha256: Vec<u8> = row.get(3)?;
    Ok(SavedFile {
        attachment_id: row.get(0)?,
        path: PathBuf::from(row.get::<_, String>(1)?),
        bytes: u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
        sha256: hex::encode(sha256),
        at: time_of(row.get(4)?),
    })
}

impl SavedFile {
    /// Whether the file is still at its path with the recorded size and
    /// SHA-256 (it is read whole: call it off the async threads).
    pub fn is_intact(&self) -> bool {
        use sha2::{Digest, Sha256};
        use std::io::Read;
        let Ok(meta) = std::fs::metadata(&self.path) else {
            return false;
        };
        if !meta.is_file() || meta.len() != self.bytes {
            return false;
        }
        let Ok(mut file) = std::fs::File::open(&self.path) else {
            return false;
        };
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => hasher.update(buf.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        hex::encode(hasher.finalize()) == self.sha256
    }
}
