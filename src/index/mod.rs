//! The local index of each profile: every process and document trackline
//! has seen, the status changes it saw, the downloads it saved and the
//! processes the TUI watches, in an embedded SQLite database in the data dir
//! (`index/<profile>.sqlite`, mode 0600, no tokens), and the fuzzy search over it.
//!
//! Below `engine`, beside `store`: it knows files and SQLite, nothing of HTTP
//! or terminals. The engine records into it ([`crate::engine::index`]); the
//! front ends search it.
//!
//! - `open`: the file, WAL mode (several trackline processes at once), the
//!   schema, and the repairs (a damaged file moved aside, a read-only folder read as it is);
//! - `write`, `read`: recording and reading processes, history and saved files;
//! - `watched`: the watched set of the TUI (schema 2; a file of schema 1 is migrated when opened);
//! - [`SearchQuery`] and the scoring of a query word against a word;
//! - [`Index::search`]: one search straight from the file (`trackline search`);
//! - [`SearchIndex`]: the same search held in memory, for searching as you type.

mod entry;
mod hits;
mod open;
mod query;
mod read;
mod scan;
mod snapshot;
#[cfg(test)]
mod tests;
mod vocab;
mod watched;
#[cfg(test)]
mod watched_tests;
mod words;
mod write;

pub use hits::{Hit, HitKind, SearchResults};
pub use open::{Index, Opened, Repair};
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS, SearchQuery, SearchQueryError};
pub use read::{CachedProcess, SavedFile, StatusChange};
pub use snapshot::SearchIndex;
pub use write::Recorded;

use std::path::PathBuf;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The folder or file cannot be written (a read-only data dir, say).
    #[error("cannot write the index {} ({reason}); make its folder writable to have searches remember processes", path.display())]
    ReadOnly {
        /// The index file.
        path: PathBuf,
        /// What the system said.
        reason: crate::i18n::Message,
    },
    /// The file is damaged in a way that opening could not repair.
    #[error("the index {} is damaged ({reason}); `trackline index --clear` starts it over", path.display())]
    Damaged {
        /// The index file.
        path: PathBuf,
        /// What SQLite said.
        reason: crate::i18n::Message,
    },
    /// The file was written by a newer trackline.
    #[error("the index {} is from a newer trackline ({reason})", path.display())]
    Newer {
        /// The index file.
        path: PathBuf,
        /// What is different.
        reason: crate::i18n::Message,
    },
    /// The empty string is not a profile name.
    #[error("a profile name cannot be empty")]
    EmptyProfile,
    /// Any other failure of SQLite.
    #[error("the index {} failed: {source}", path.display())]
    Sql {
        /// The index file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
}
