//! One watched process ([`WatchedEntry`]), and the `watched.json` where
//! earlier versions kept the TUI's watched set for every profile: read once,
//! to import it into a profile's index (`crate::engine::watched`).

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One watched process, as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedEntry {
    /// The process id.
    pub process_id: String,
    /// The process name as last seen (untrusted: draw it through [`crate::text`]).
    #[serde(default)]
    pub name: Option<String>,
    /// The status as last seen (untrusted).
    #[serde(default)]
    pub status: Option<String>,
    /// When the status last changed, in Unix seconds, when a change was seen.
    #[serde(default)]
    pub changed_at: Option<i64>,
}

impl WatchedEntry {
    /// An entry of `process_id` not checked yet.
    pub fn new(process_id: impl Into<String>) -> WatchedEntry {
        WatchedEntry {
            process_id: process_id.into(),
            name: None,
            status: None,
            changed_at: None,
        }
    }
}

/// The watched processes in `file`, in the order they were added; a missing
/// or damaged file is an empty list.
pub(crate) fn load(file: &Path) -> Vec<WatchedEntry> {
    super::list_file::load(file)
}

/// Replaces the list in `file` (private, atomic), as earlier versions did.
#[cfg(test)]
pub(crate) fn save(file: &Path, entries: &[WatchedEntry]) -> std::io::Result<()> {
    super::list_file::save(file, entries)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_list_round_trips_and_a_damaged_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data").join("watched.json");
        assert!(load(&file).is_empty());
        let entries = vec![WatchedEntry {
            status: Some("Completed".into()),
            changed_at: Some(1_700_000_000),
            ..WatchedEntry::new("12345")
        }];
        save(&file, &entries).unwrap();
        assert_eq!(load(&file), entries);
        std::fs::write(&file, "[{\"id\": 1}]").unwrap();
        assert!(load(&file).is_empty());
    }
}
