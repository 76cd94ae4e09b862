//! Why a download failed: [`TransferError`], with its exit code, whether a
//! retry may help, and what the user can do about a disk that refuses it.

use crate::api::ApiError;
use crate::exit;
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
    /// The exact file asked for (`--output`) exists.
    #[error("{} already exists; not overwriting it (remove it or choose another file name)", .path.display())]
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
        reason: crate::i18n::Message,
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
            TransferError::Incomplete { .. } | TransferError::Interrupted { .. } => {
                self.short_reason_in(crate::i18n::Lang::En)
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

/// What to do about a write error the user can fix, in words every front
/// end can show (no command-line flags: each front end adds its own way to
/// choose a folder).
fn io_hint(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded => {
            " — the disk is full or a file size limit was reached: free some space (the partial download is kept \
             and resumes) or choose another folder for downloads"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            " — the folder is not writable: fix its permissions or choose another folder for downloads"
        }
        io::ErrorKind::NotADirectory => {
            " — the download folder cannot be created there: choose another folder for downloads"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Message};

    #[test]
    fn the_short_reasons_of_a_retry_are_spanish_and_english_as_before() {
        let ended = TransferError::Incomplete {
            expected: 20,
            received: 10,
            part: PathBuf::from("/d/a.part"),
        };
        assert_eq!(ended.short_reason(), "the download ended after 10 of 20 bytes");
        assert_eq!(
            ended.short_reason_in(Lang::Es),
            "la descarga terminó tras 10 de 20 bytes"
        );
        let words = "error decoding response body: end of file before message length reached";
        let broke = TransferError::Interrupted {
            received: 10,
            reason: Message::os_words(Some(io::ErrorKind::UnexpectedEof), words),
            part: PathBuf::from("/d/a.part"),
        };
        assert_eq!(
            broke.short_reason(),
            format!("the connection broke after 10 bytes ({words})")
        );
        assert_eq!(
            broke.short_reason_in(Lang::Es),
            "la conexión se cortó tras 10 bytes (el otro extremo cerró la conexión antes de tiempo)"
        );
    }

    #[test]
    fn a_name_outside_the_folder_is_said_in_spanish_and_english_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = std::env::temp_dir().join("a.pdf");
        let outside = super::super::naming::ensure_inside(dir.path(), &elsewhere).unwrap_err();
        let error = TransferError::Io {
            path: elsewhere.clone(),
            source: outside,
        };
        let english = format!("{} is not inside {}", elsewhere.display(), dir.path().display());
        assert!(error.to_string().contains(&english), "{error}");
        assert!(
            error.localized(Lang::Es).contains(&format!(
                "{} no está dentro de {}",
                elsewhere.display(),
                dir.path().display()
            )),
            "{}",
            error.localized(Lang::Es)
        );
    }

    fn io_error(kind: io::ErrorKind) -> TransferError {
        TransferError::Io {
            path: PathBuf::from("/downloads/a.pdf.part"),
            source: io::Error::new(kind, "refused"),
        }
    }

    #[test]
    fn disk_errors_say_what_to_do_without_naming_a_flag() {
        let kinds = [
            io::ErrorKind::StorageFull,
            io::ErrorKind::FileTooLarge,
            io::ErrorKind::QuotaExceeded,
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::ReadOnlyFilesystem,
            io::ErrorKind::NotADirectory,
        ];
        for kind in kinds {
            let message = io_error(kind).to_string();
            assert!(message.contains("/downloads/a.pdf.part"), "{message}");
            assert!(message.contains("choose another folder for downloads"), "{message}");
            assert!(!message.contains("--"), "{message}");
        }
        let full = io_error(io::ErrorKind::StorageFull).to_string();
        assert!(
            full.contains("the disk is full") && full.contains("free some space"),
            "{full}"
        );
    }

    #[test]
    fn an_existing_file_is_named_without_a_flag() {
        let message = TransferError::Exists {
            path: PathBuf::from("/downloads/mine.pdf"),
        }
        .to_string();
        assert!(message.contains("/downloads/mine.pdf already exists"), "{message}");
        assert!(!message.contains("--"), "{message}");
    }
}
