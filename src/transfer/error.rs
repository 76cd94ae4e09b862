//! Why a download failed: [`TransferError`], with its exit code, whether a
//! retry may help, and what the user can do about a disk that refuses it.

use crate::api::ApiError;
use crate::api::error::exit;
use std::io;
use std::path::{Path, PathBuf};

/// Why a download failed. Every variant that leaves a `.part` file names it.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The request itself failed (login, not found, server down, …).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A file or directory could not be created, written or renamed.
    #[error("cannot write {}: {source}{}", .path.display(), io_hint(.source))]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The error from the operating system.
        #[source]
        source: io::Error,
    },
    /// `--output` names a file that exists.
    #[error("{} already exists; not overwriting it (remove it or choose another --output)", .path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// The body ended before the `Content-Length` the server announced.
    #[error(
        "the download ended after {received} of {expected} bytes; the partial file is kept at {}; try again",
        .part.display()
    )]
    Incomplete {
        /// The announced size.
        expected: u64,
        /// The bytes that arrived.
        received: u64,
        /// The partial file.
        part: PathBuf,
    },
    /// The body was longer than the `Content-Length` the server announced.
    #[error("the server sent more than the {expected} bytes it announced; the file was discarded")]
    TooLong {
        /// The announced size.
        expected: u64,
    },
    /// The connection broke while the body was streaming.
    #[error(
        "the connection broke after {received} bytes ({reason}); the partial file is kept at {}; try again",
        .part.display()
    )]
    Interrupted {
        /// The bytes that arrived.
        received: u64,
        /// What went wrong, from the network stack.
        reason: String,
        /// The partial file.
        part: PathBuf,
    },
    /// The download was cancelled.
    #[error("cancelled")]
    Cancelled {
        /// The partial file, if the body had started.
        part: Option<PathBuf>,
    },
}

impl TransferError {
    /// The process exit code of SPEC.md for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            TransferError::Api(e) => e.exit_code(),
            TransferError::Incomplete { .. } | TransferError::TooLong { .. } | TransferError::Interrupted { .. } => {
                exit::UNAVAILABLE
            }
            TransferError::Io { .. } | TransferError::Exists { .. } | TransferError::Cancelled { .. } => exit::OTHER,
        }
    }

    /// Whether starting the same download again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            TransferError::Api(e) => e.is_retryable(),
            TransferError::Incomplete { .. } | TransferError::Interrupted { .. } => true,
            TransferError::Io { .. }
            | TransferError::Exists { .. }
            | TransferError::TooLong { .. }
            | TransferError::Cancelled { .. } => false,
        }
    }

    /// What went wrong, in a few words, for a "retrying" line.
    pub(super) fn short_reason(&self) -> String {
        match self {
            TransferError::Incomplete { expected, received, .. } => {
                format!("the download ended after {received} of {expected} bytes")
            }
            TransferError::Interrupted { received, reason, .. } => {
                format!("the connection broke after {received} bytes ({reason})")
            }
            other => other.to_string(),
        }
    }

    /// The `.part` file left behind, if any.
    pub fn part_path(&self) -> Option<&Path> {
        match self {
            TransferError::Incomplete { part, .. } | TransferError::Interrupted { part, .. } => Some(part),
            TransferError::Cancelled { part } => part.as_deref(),
            _ => None,
        }
    }
}

/// What to do about a write error the user can fix.
fn io_hint(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded => {
            " — the disk is full or a file size limit was reached; free some space (the partial download is \
             kept and resumes) or choose another folder with --output-dir or download_dir in the config"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            " — the folder is not writable; fix its permissions or choose another folder with --output-dir \
             or download_dir in the config"
        }
        io::ErrorKind::NotADirectory => {
            " — the download folder cannot be created there; choose another folder with --output-dir or \
             download_dir in the config"
        }
        _ => "",
    }
}
