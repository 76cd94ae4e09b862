//! Where a download's bytes go: the folder, the `.part` file (a new name
//! for each download, created with `create_new`), an `--output` file that
//! must not exist yet, and the final name, given without overwriting
//! anything and made durable by syncing the folder.

use super::DownloadRequest;
use super::error::TransferError;
use super::naming::{choose_name, part_name, persist_exact, persist_no_clobber};
use super::range::header_text;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderMap};
use std::io;
use std::path::{Path, PathBuf};
use tokio::fs::{File, OpenOptions};

/// How many `.part` names (`x.part`, `x (1).part`, …) are tried.
const MAX_PART_NAMES: u32 = 1_000;

/// The folder the `.part` file and the final file go into.
impl DownloadRequest {
    /// The folder the file and its `.part` go into.
    pub fn folder(&self) -> PathBuf {
        target_dir(self)
    }
}

pub(super) fn target_dir(request: &DownloadRequest) -> PathBuf {
    match &request.output {
        Some(output) => match output.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        },
        None => request.dir.clone(),
    }
}

/// Where a finished download goes.
pub(super) enum Target {
    /// A safe name in `dir`, numbered if taken.
    Named { dir: PathBuf, name: String },
    /// Exactly this file (`--output`), which must not exist.
    Exact { dir: PathBuf, file: PathBuf, base: String },
}

impl Target {
    /// The target `request` asks for: its `--output` file (refused if it
    /// exists), else a safe name from the answer's `headers` in its folder.
    pub(super) async fn new(request: &DownloadRequest, headers: &HeaderMap) -> Result<Self, TransferError> {
        if let Some(output) = &request.output {
            refuse_existing(output).await?;
            let base = output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| TransferError::Io {
                    path: output.clone(),
                    source: io::Error::new(io::ErrorKind::InvalidInput, "the file to save to has no name"),
                })?;
            return Ok(Target::Exact {
                dir: target_dir(request),
                file: output.clone(),
                base,
            });
        }
        let disposition = headers.get(CONTENT_DISPOSITION).map(|v| header_text(v.as_bytes()));
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let name = choose_name(
            disposition.as_deref(),
            request.doc_name.as_deref(),
            &request.attachment_id,
            content_type,
        );
        Ok(Target::Named {
            dir: request.dir.clone(),
            name,
        })
    }

    /// The folder the file goes into.
    pub(super) fn dir(&self) -> &Path {
        match self {
            Target::Named { dir, .. } | Target::Exact { dir, .. } => dir,
        }
    }

    /// The name its `.part` file is made from.
    pub(super) fn part_base(&self) -> &str {
        match self {
            Target::Named { name, .. } => name,
            Target::Exact { base, .. } => base,
        }
    }
}

/// Fails with [`TransferError::Exists`] when something is already at `output`.
pub(super) async fn refuse_existing(output: &Path) -> Result<(), TransferError> {
    match tokio::fs::symlink_metadata(output).await {
        Ok(_) => Err(TransferError::Exists {
            path: output.to_path_buf(),
        }),
        Err(_) => Ok(()),
    }
}

/// Opens a new `.part` file for `name` in `dir`: `name.part`, or the first
/// free `name (1).part`, …, so two downloads never write the same file;
/// locked (like a resumed `.part`, see [`super::resume`]) while this
/// download writes it.
pub(super) async fn create_part(dir: &Path, name: &str) -> Result<(PathBuf, File), TransferError> {
    for n in 0..MAX_PART_NAMES {
        let path = dir.join(part_name(name, n));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .await
        {
            Ok(file) => {
                let std_file = file.into_std().await;
                if let Err(error) = fs4::FileExt::try_lock(&std_file) {
                    tracing::debug!(part = %path.display(), %error, "cannot lock a new .part file");
                }
                return Ok((path, File::from_std(std_file)));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(TransferError::Io { path, source }),
        }
    }
    Err(TransferError::Io {
        path: dir.join(part_name(name, 0)),
        source: io::Error::new(
            io::ErrorKind::AlreadyExists,
            "too many unfinished downloads of this name",
        ),
    })
}

/// Gives the finished `part` its final name and syncs the directory.
pub(super) async fn persist(part: PathBuf, target: Target) -> Result<PathBuf, TransferError> {
    let fallback_path = part.clone();
    let joined = tokio::task::spawn_blocking(move || {
        let result = match &target {
            Target::Named { dir, name } => persist_no_clobber(&part, dir, name).map_err(|source| TransferError::Io {
                path: dir.join(name),
                source,
            }),
            Target::Exact { file, .. } => match persist_exact(&part, file) {
                Ok(()) => Ok(file.clone()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(TransferError::Exists { path: file.clone() }),
                Err(source) => Err(TransferError::Io {
                    path: file.clone(),
                    source,
                }),
            },
        };
        if result.is_ok() {
            sync_dir(target.dir());
        }
        result
    })
    .await;
    joined.unwrap_or_else(|e| {
        Err(TransferError::Io {
            path: fallback_path,
            source: io::Error::other(e),
        })
    })
}

/// Makes a rename durable: on Unix, a directory's entries reach the disk only
/// when the directory itself is synced. Best effort: some file systems refuse.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(error) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), %error, "could not sync the download directory");
    }
    #[cfg(not(unix))]
    let _ = dir;
}
