//! A short list kept across runs as one private JSON file (the recent
//! processes, the watched ones): read whole, replaced atomically.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

use super::atomic;

/// The list in `file`; a missing or damaged file is an empty list.
pub(crate) fn load<T: DeserializeOwned>(file: &Path) -> Vec<T> {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Replaces the list in `file` (private, atomic).
pub(crate) fn save<T: Serialize>(file: &Path, entries: &[T]) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(entries)?;
    atomic::write(file, &json, atomic::Access::Private)
}
