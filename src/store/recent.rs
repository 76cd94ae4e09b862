//! The recent processes listed under the search box, kept across runs.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One entry of the recent processes list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentEntry {
    /// The process id; choosing the entry looks this id up.
    pub process_id: String,
    /// The process name as last seen (untrusted: draw it through [`crate::text`]).
    #[serde(default)]
    pub name: Option<String>,
    /// The status as last seen (untrusted).
    #[serde(default)]
    pub status: Option<String>,
}

/// The recent processes in `file`, most recent first; a missing or damaged file is an empty list.
pub(crate) fn load(file: &Path) -> Vec<RecentEntry> {
    super::list_file::load(file)
}

/// Replaces the list in `file` (private, atomic).
pub(crate) fn save(file: &Path, entries: &[RecentEntry]) -> std::io::Result<()> {
    super::list_file::save(file, entries)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_list_round_trips_and_a_damaged_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data").join("recent.json");
        assert!(load(&file).is_empty());
        let entries = vec![RecentEntry {
            process_id: "12345".into(),
            name: Some("Odoo Billing Process".into()),
            status: Some("In Progress".into()),
        }];
        save(&file, &entries).unwrap();
        assert_eq!(load(&file), entries);
        std::fs::write(&file, "{garbage").unwrap();
        assert!(load(&file).is_empty());
    }
}
