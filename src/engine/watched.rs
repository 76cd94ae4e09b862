//! The watched set of each profile, kept in its index ([`IndexBook`]), and
//! the one import of the `watched.json` earlier versions kept for every
//! profile. Every call here is blocking: run it off the async threads.

use super::IndexBook;
use crate::index::IndexError;
use crate::store::WatchedEntry;
use std::path::{Path, PathBuf};

/// A profile's watched set as loaded.
#[derive(Debug)]
pub struct LoadedWatched {
    /// The watched processes, in the order they were watched.
    pub entries: Vec<WatchedEntry>,
    /// Why the set cannot be kept (the index cannot be written), when it cannot.
    pub not_kept: Option<IndexError>,
}

/// Where an imported `watched.json` goes: `watched.json.imported` beside it.
pub fn imported_name(legacy: &Path) -> PathBuf {
    let mut name = legacy.as_os_str().to_os_string();
    name.push(".imported");
    PathBuf::from(name)
}

impl IndexBook {
    /// `profile`'s watched set. When `legacy` (the old shared
    /// `watched.json`) exists, it is first added to this profile's set and
    /// renamed to [`imported_name`], so it is imported once. When the index
    /// cannot be written the set is what it holds (or, without one, what
    /// `legacy` lists, left in place) and [`LoadedWatched::not_kept`] says why.
    pub fn load_watched_blocking(&self, profile: &str, legacy: &Path) -> LoadedWatched {
        let index = match self.open_blocking(profile) {
            Ok(index) => index,
            Err(error) => {
                let entries = match self.open_to_read_blocking(profile) {
                    Ok(Some(index)) => index.watched().unwrap_or_default(),
                    _ => Vec::new(),
                };
                let entries = if entries.is_empty() {
                    crate::store::watched::load(legacy)
                } else {
                    entries
                };
                tracing::warn!(profile, %error, "the watched set cannot be kept in the index");
                return LoadedWatched {
                    entries,
                    not_kept: Some(error),
                };
            }
        };
        import_legacy(&index, profile, legacy);
        match index.watched() {
            Ok(entries) => LoadedWatched {
                entries,
                not_kept: None,
            },
            Err(error) => {
                tracing::warn!(profile, %error, "cannot read the watched set");
                LoadedWatched {
                    entries: Vec::new(),
                    not_kept: Some(error),
                }
            }
        }
    }

    /// Replaces `profile`'s watched set with `entries`.
    pub fn save_watched_blocking(&self, profile: &str, entries: &[WatchedEntry]) -> Result<(), IndexError> {
        self.open_blocking(profile)?.save_watched(entries)
    }

    /// `profile`'s watched set as its index holds it (empty without an index).
    pub async fn watched(&self, profile: &str) -> Result<Vec<WatchedEntry>, IndexError> {
        let name = profile.to_string();
        self.run(move |book| match book.open_to_read_blocking(&name)? {
            Some(index) => index.watched(),
            None => Ok(Vec::new()),
        })
        .await
    }
}

/// Adds the processes `legacy` lists to `index`'s set. The file is renamed
/// first (so two tracklines starting at once import it once) and renamed
/// back when the index refuses them; a kill in between leaves it under its
/// new name, nothing lost.
fn import_legacy(index: &crate::index::Index, profile: &str, legacy: &Path) {
    if !legacy.exists() {
        return;
    }
    let imported = imported_name(legacy);
    match std::fs::rename(legacy, &imported) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return,
        Err(error) => {
            tracing::warn!(%error, file = %legacy.display(), "cannot import the watched processes");
            return;
        }
    }
    let entries = crate::store::watched::load(&imported);
    match index.add_watched(&entries) {
        Ok(added) => tracing::info!(
            profile,
            listed = entries.len(),
            added,
            from = %legacy.display(),
            kept_as = %imported.display(),
            "imported the watched processes into the profile's index"
        ),
        Err(error) => {
            tracing::warn!(%error, file = %legacy.display(), "cannot import the watched processes; trying again next time");
            let _ = std::fs::rename(&imported, legacy);
        }
    }
}
