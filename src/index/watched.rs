//! The watched set of the profile (schema 2): the processes the TUI watches,
//! in the order they were watched, each as its watch last saw it.

use super::{Index, IndexError};
use crate::store::WatchedEntry;
use rusqlite::{Transaction, TransactionBehavior, params};

impl Index {
    /// The watched processes, in the order they were watched. A read-only
    /// file of schema 1 has none.
    pub fn watched(&self) -> Result<Vec<WatchedEntry>, IndexError> {
        let conn = self.lock();
        let read = || -> rusqlite::Result<Vec<WatchedEntry>> {
            let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
            if version < 2 {
                return Ok(Vec::new());
            }
            let mut statement = conn.prepare_cached(
                "SELECT process_id, name, status, changed_at FROM watched ORDER BY position, process_id",
            )?;
            let rows = statement.query_map([], |row| {
                Ok(WatchedEntry {
                    process_id: row.get(0)?,
                    name: row.get(1)?,
                    status: row.get(2)?,
                    changed_at: row.get(3)?,
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| self.sql_error(e))
    }

    /// Replaces the watched set with `entries` (in their order), in one transaction.
    pub fn save_watched(&self, entries: &[WatchedEntry]) -> Result<(), IndexError> {
        self.check_writable()?;
        let mut conn = self.lock();
        let write = |tx: &Transaction<'_>| -> rusqlite::Result<()> {
            tx.execute("DELETE FROM watched", [])?;
            insert(tx, entries, 0)
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        write(&tx).map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))
    }

    /// Adds the `entries` not watched yet after the ones that are, in one
    /// transaction; how many were added.
    pub fn add_watched(&self, entries: &[WatchedEntry]) -> Result<usize, IndexError> {
        self.check_writable()?;
        let mut conn = self.lock();
        let write = |tx: &Transaction<'_>| -> rusqlite::Result<usize> {
            let next: i64 = tx.query_row("SELECT coalesce(max(position) + 1, 0) FROM watched", [], |row| {
                row.get(0)
            })?;
            let before: i64 = tx.query_row("SELECT count(*) FROM watched", [], |row| row.get(0))?;
            insert(tx, entries, next)?;
            let after: i64 = tx.query_row("SELECT count(*) FROM watched", [], |row| row.get(0))?;
            Ok(usize::try_from(after - before).unwrap_or(0))
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let added = write(&tx).map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(added)
    }
}

/// Inserts `entries` from position `first` on; an id already there keeps its row.
fn insert(tx: &Transaction<'_>, entries: &[WatchedEntry], first: i64) -> rusqlite::Result<()> {
    let mut statement = tx.prepare_cached(
        "INSERT OR IGNORE INTO watched (process_id, position, name, status, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (offset, entry) in entries.iter().enumerate() {
        let position = first.saturating_add(i64::try_from(offset).unwrap_or(i64::MAX));
        statement.execute(params![
            entry.process_id,
            position,
            entry.name,
            entry.status,
            entry.changed_at
        ])?;
    }
    Ok(())
}
