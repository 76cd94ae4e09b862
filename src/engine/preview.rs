//! Previews for both front ends: an attachment is read from its saved copy
//! when the caller knows one, else fetched into a bounded cache under
//! [`Paths::cache_dir`] (never into the download dir), then inspected off
//! the async threads within a time budget and a cancel flag.
//!
//! The TUI's worker calls [`preview_attachment`] on its own task for the
//! selected document, with an [`inspect::Budget`] whose flag it raises when
//! the selection moves; the CLI calls the same function, or
//! [`inspect_path`] for `--file`.

use super::session::SessionManager;
use crate::config::Paths;
use crate::i18n::message;
use crate::inspect::{self, InspectError, Options, Report};
use crate::transfer::{self, DownloadRequest, TransferError};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};
use tokio_util::sync::CancellationToken;

/// How long a cached copy is used before it is fetched again.
const MAX_AGE: Duration = Duration::from_secs(60 * 60);

/// The name of a cached copy inside its slot.
const DOCUMENT: &str = "document";

/// Copies of attachments fetched to be previewed, at most `max_bytes` in all
/// (the oldest go first), one folder per server and attachment.
#[derive(Debug, Clone)]
pub struct PreviewCache {
    dir: PathBuf,
    max_bytes: u64,
}

impl PreviewCache {
    /// The cache of the server `base_url` under `paths`' cache dir, `max_bytes`
    /// at most (the `preview_cache_mb` setting).
    pub fn new(paths: &Paths, base_url: &str, max_bytes: u64) -> PreviewCache {
        let server = hex::encode(Sha256::digest(base_url.as_bytes()));
        PreviewCache {
            dir: paths
                .cache_dir
                .join("previews")
                .join(server.get(..16).unwrap_or_default()),
            max_bytes,
        }
    }

    /// The folder of one attachment's copy.
    fn slot(&self, attachment_id: &str) -> PathBuf {
        let key = hex::encode(Sha256::digest(attachment_id.as_bytes()));
        self.dir.join(key.get(..32).unwrap_or_default())
    }

    /// The cached copy of `attachment_id`, if there is a recent one.
    pub fn cached(&self, attachment_id: &str) -> Option<PathBuf> {
        let path = self.slot(attachment_id).join(DOCUMENT);
        let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
        let age = SystemTime::now().duration_since(modified).unwrap_or_default();
        (age <= MAX_AGE).then_some(path)
    }

    /// Removes the oldest copies until the cache holds at most its size,
    /// never the slot `keep`.
    fn trim(&self, keep: &Path) {
        let Ok(slots) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut found: Vec<(SystemTime, u64, PathBuf)> = slots
            .flatten()
            .filter(|slot| slot.path() != keep)
            .map(|slot| {
                let (mut bytes, mut newest) = (0, SystemTime::UNIX_EPOCH);
                for file in std::fs::read_dir(slot.path()).into_iter().flatten().flatten() {
                    if let Ok(meta) = file.metadata() {
                        bytes += meta.len();
                        newest = newest.max(meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
                    }
                }
                (newest, bytes, slot.path())
            })
            .collect();
        let kept_bytes: u64 = std::fs::read_dir(keep)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|f| f.metadata().ok())
            .map(|m| m.len())
            .sum();
        let mut total = kept_bytes + found.iter().map(|(_, b, _)| b).sum::<u64>();
        found.sort();
        for (_, bytes, path) in found {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_dir_all(&path).is_ok() {
                total = total.saturating_sub(bytes);
            }
        }
    }
}

/// Why a preview could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    /// The attachment could not be fetched.
    #[error(transparent)]
    Fetch(#[from] TransferError),
    /// The attachment is larger than the preview cache.
    #[error(
        "attachment {attachment_id} has {} MiB, more than the {} MiB preview cache (the preview_cache_mb setting); download it and read the saved file",
        .bytes >> 20, .max >> 20
    )]
    TooLarge {
        /// The attachment.
        attachment_id: String,
        /// Its size.
        bytes: u64,
        /// The cache's size.
        max: u64,
    },
    /// The document could not be read.
    #[error(transparent)]
    Inspect(#[from] InspectError),
}

impl PreviewError {
    /// The exit code of SPEC.md: 4 for no such attachment, 1 for an unreadable file.
    pub fn exit_code(&self) -> u8 {
        match self {
            PreviewError::Fetch(error) => error.exit_code(),
            PreviewError::TooLarge { .. } | PreviewError::Inspect(_) => crate::exit::OTHER,
        }
    }
}

/// Inspects the file at `path` on a blocking thread.
pub async fn inspect_path(path: PathBuf, options: Options) -> Result<Report, InspectError> {
    tokio::task::spawn_blocking(move || inspect::inspect_file(&path, &options))
        .await
        .map_err(|e| InspectError::Refused(message!("inspect-refused-stopped", error = e.to_string())))?
}

/// Fetches `attachment_id` into `cache` (or finds its recent copy there) and
/// returns the copy's path. A copy larger than the cache is refused as soon
/// as the server says its size; `cancel` stops the fetch (its `.part` stays
/// in the cache).
pub async fn fetch(
    session: &SessionManager,
    cache: &PreviewCache,
    attachment_id: &str,
    cancel: &CancellationToken,
) -> Result<PathBuf, PreviewError> {
    if let Some(path) = cache.cached(attachment_id) {
        return Ok(path);
    }
    let slot = cache.slot(attachment_id);
    let target = slot.join(DOCUMENT);
    if tokio::fs::metadata(&target).await.is_ok() {
        tokio::fs::remove_file(&target).await.map_err(|e| {
            PreviewError::Inspect(InspectError::Refused(message!(
                "inspect-refused-cache",
                path = target.display().to_string(),
                error = e.to_string()
            )))
        })?;
    }
    let request = DownloadRequest {
        output: Some(target.clone()),
        ..DownloadRequest::new(attachment_id, &slot)
    };
    let stop = cancel.child_token();
    let claimed = Arc::new(AtomicU64::new(0));
    let max = cache.max_bytes;
    let result = session
        .run(|client| {
            let (request, stop, claimed) = (&request, &stop, claimed.clone());
            async move {
                transfer::download(&client, request, stop, |progress| {
                    let size = progress.total.unwrap_or(progress.received).max(progress.received);
                    if size > max {
                        claimed.store(size, Ordering::Relaxed);
                        stop.cancel();
                    }
                })
                .await
            }
        })
        .await;
    let oversized = claimed.load(Ordering::Relaxed);
    match result {
        Ok(saved) => {
            cache.trim(&slot);
            Ok(saved.path)
        }
        Err(TransferError::Cancelled { .. }) if oversized > 0 => {
            let _ = tokio::fs::remove_dir_all(&slot).await;
            Err(PreviewError::TooLarge {
                attachment_id: attachment_id.to_owned(),
                bytes: oversized,
                max,
            })
        }
        Err(error) => Err(error.into()),
    }
}

/// Previews attachment `attachment_id`: its saved copy `saved` when the
/// caller knows one that still exists, else a copy fetched into `cache`.
/// Returns where the bytes were read from and the summary.
pub async fn preview_attachment(
    session: &SessionManager,
    cache: &PreviewCache,
    attachment_id: &str,
    saved: Option<PathBuf>,
    options: Options,
    cancel: &CancellationToken,
) -> Result<(PathBuf, Report), PreviewError> {
    let path = match saved {
        Some(path) if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file()) => path,
        _ => fetch(session, cache, attachment_id, cancel).await?,
    };
    let report = inspect_path(path.clone(), options).await?;
    Ok((path, report))
}

/// Reads the entry at `entries` of the archive file `archive` (the first
/// index in the file, the next in that entry, and so on) and inspects it:
/// the file is read only when within [`inspect::Limits::max_input`], each
/// entry through [`inspect::archive::read_entry`] (size and ratio caps,
/// deflate only, no encrypted entry), at most
/// [`inspect::Limits::max_archive_depth`] archives deep, within the budget.
/// Blocking: call it on a blocking thread.
pub fn read_entry_at(archive: &Path, entries: &[usize], options: &Options) -> Result<(Vec<u8>, Report), InspectError> {
    let unreadable = |source| InspectError::Unreadable {
        path: archive.display().to_string(),
        source,
    };
    let limits = &options.limits;
    if entries.len() > usize::from(limits.max_archive_depth) {
        return Err(InspectError::Refused(message!(
            "inspect-refused-nested",
            depth = u64::from(limits.max_archive_depth)
        )));
    }
    let size = std::fs::metadata(archive).map_err(unreadable)?.len();
    if size > limits.max_input {
        return Err(InspectError::Refused(message!(
            "inspect-refused-archive-large",
            mib = size >> 20,
            max = limits.max_input >> 20
        )));
    }
    let mut bytes = std::fs::read(archive).map_err(unreadable)?;
    for index in entries {
        options.budget.check()?;
        bytes = inspect::archive::read_entry(&bytes, *index, options)?;
    }
    let report = inspect::inspect_bytes(&bytes, options)?;
    Ok((bytes, report))
}
