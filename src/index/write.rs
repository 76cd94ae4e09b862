//! Writing to the index: the processes a lookup returned (one transaction a
//! lookup, so a process killed mid-run keeps every lookup before the one it
//! was writing), saved downloads, and forgetting everything.

use super::{Index, IndexError, SavedFile};
use crate::api::{Document, Process};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use time::OffsetDateTime;

/// How much one recording wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Processes seen for the first time.
    pub new_processes: usize,
    /// Processes whose status differs from the one last seen.
    pub status_changes: usize,
    /// Documents of the processes recorded.
    pub documents: usize,
}

impl Index {
    /// Records `processes` as seen at `at`: their fields, their documents as
    /// now listed, and a status change when the status is not the one last seen.
    pub fn record_processes(&self, processes: &[Process], at: OffsetDateTime) -> Result<Recorded, IndexError> {
        self.check_writable()?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let mut recorded = Recorded::default();
        for process in processes {
            record_one(&tx, process, at.unix_timestamp(), &mut recorded).map_err(|e| self.sql_error(e))?;
        }
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(recorded)
    }

    /// Records one status seen for `process_id` at `at` (a watch's check):
    /// its name when one came, its status, and a status change when the
    /// status is not the one last seen; its documents stay as recorded.
    /// Whether it was a change.
    pub fn record_status(
        &self,
        process_id: &str,
        name: Option<&str>,
        status: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<bool, IndexError> {
        self.check_writable()?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let changed = status_one(&tx, process_id, name, status, at.unix_timestamp()).map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(changed)
    }

    /// Remembers a saved download.
    pub fn record_saved(&self, saved: &SavedFile) -> Result<(), IndexError> {
        self.check_writable()?;
        let Some(path) = saved.path.to_str() else {
            tracing::info!(path = %saved.path.display(), "a path that is not UTF-8 is not remembered");
            return Ok(());
        };
        let sha256 = hex::decode(&saved.sha256).unwrap_or_default();
        self.lock()
            .execute(
                "INSERT OR REPLACE INTO saved (attachment_id, path, bytes, sha256, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    saved.attachment_id,
                    path,
                    i64::try_from(saved.bytes).unwrap_or(i64::MAX),
                    sha256,
                    saved.at.unix_timestamp()
                ],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Forgets everything this index holds, the watched set too; the counts
    /// of processes and documents it held. Other processes using it at the time see it empty.
    pub fn clear(&self) -> Result<(usize, usize), IndexError> {
        self.check_writable()?;
        let counts = self.counts()?;
        let conn = self.lock();
        conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM document; DELETE FROM status_change; DELETE FROM process; DELETE FROM saved;
             DELETE FROM watched;
             COMMIT;",
        )
        .map_err(|e| self.sql_error(e))?;
        // Give the space back when nobody else has the file open; fine to skip otherwise.
        if let Err(error) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;") {
            tracing::info!(%error, "the cleared index was not compacted");
        }
        Ok(counts)
    }
}

fn record_one(tx: &Transaction<'_>, process: &Process, at: i64, recorded: &mut Recorded) -> rusqlite::Result<()> {
    let extra = json_or_null(&process.extra);
    let existing: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT id, status FROM process WHERE process_id = ?1")?
        .query_row([process.process_id.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let id = match existing {
        Some((id, status)) => {
            tx.prepare_cached(
                "UPDATE process SET name = ?2, status = ?3, created_at = ?4, extra = ?5, last_seen = max(last_seen, ?6)
                 WHERE id = ?1",
            )?
            .execute(params![id, process.name, process.status, process.created_at, extra, at])?;
            if status != process.status {
                add_status(tx, id, at, process.status.as_deref())?;
                recorded.status_changes += 1;
            }
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO process (process_id, name, status, created_at, extra, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?
            .execute(params![
                process.process_id.as_str(),
                process.name,
                process.status,
                process.created_at,
                extra,
                at
            ])?;
            let id = tx.last_insert_rowid();
            add_status(tx, id, at, process.status.as_deref())?;
            recorded.new_processes += 1;
            id
        }
    };
    recorded.documents += process.documents.len();
    if !same_documents(tx, id, &process.documents)? {
        tx.prepare_cached("DELETE FROM document WHERE process = ?1")?
            .execute([id])?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO document (process, position, doc_id, name, type, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (position, document) in process.documents.iter().enumerate() {
            insert.execute(params![
                id,
                position as i64,
                document.doc_id.as_str(),
                document.doc_name,
                document.doc_type,
                json_or_null(&document.extra)
            ])?;
        }
    }
    Ok(())
}

fn status_one(
    tx: &Transaction<'_>,
    process_id: &str,
    name: Option<&str>,
    status: Option<&str>,
    at: i64,
) -> rusqlite::Result<bool> {
    let existing: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT id, status FROM process WHERE process_id = ?1")?
        .query_row([process_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match existing {
        Some((id, seen)) => {
            tx.prepare_cached(
                "UPDATE process SET name = coalesce(?2, name), status = ?3, last_seen = max(last_seen, ?4) WHERE id = ?1",
            )?
            .execute(params![id, name, status, at])?;
            let changed = seen.as_deref() != status;
            if changed {
                add_status(tx, id, at, status)?;
            }
            Ok(changed)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO process (process_id, name, status, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
            )?
            .execute(params![process_id, name, status, at])?;
            add_status(tx, tx.last_insert_rowid(), at, status)?;
            Ok(true)
        }
    }
}

fn add_status(tx: &Transaction<'_>, process: i64, at: i64, status: Option<&str>) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO status_change (process, at, status) VALUES (?1, ?2, ?3)")?
        .execute(params![process, at, status])
        .map(drop)
}

/// Whether the index already lists exactly `documents` for the process (so a
/// process seen again unchanged costs no document writes).
fn same_documents(tx: &Transaction<'_>, process: i64, documents: &[Document]) -> rusqlite::Result<bool> {
    let mut statement =
        tx.prepare_cached("SELECT doc_id, name, type, extra FROM document WHERE process = ?1 ORDER BY position")?;
    let mut rows = statement.query([process])?;
    let mut expected = documents.iter();
    while let Some(row) = rows.next()? {
        let Some(document) = expected.next() else {
            return Ok(false);
        };
        let same = row.get_ref(0)?.as_str()? == document.doc_id.as_str()
            && row.get_ref(1)?.as_str_or_null()? == document.doc_name.as_deref()
            && row.get_ref(2)?.as_str_or_null()? == document.doc_type.as_deref()
            && row.get_ref(3)?.as_str_or_null()? == json_or_null(&document.extra).as_deref();
        if !same {
            return Ok(false);
        }
    }
    Ok(expected.next().is_none())
}

fn json_or_null(fields: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    if fields.is_empty() {
        None
    } else {
        serde_json::to_string(fields).ok()
    }
}
