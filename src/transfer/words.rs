//! [`TransferError`] in a [`Lang`], beside its English `Display` (the English
//! catalogue holds the same words); what the OS said is kept as sent.

use super::TransferError;
use crate::i18n::Lang;
use crate::tr;
use std::io;
use std::path::Path;

fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl TransferError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            TransferError::Api(e) => e.localized(lang),
            TransferError::Io { path, source } => tr!(
                lang,
                "transfer-io",
                path = shown(path),
                reason = said_by(lang, source),
                hint = io_hint(lang, source)
            ),
            TransferError::Exists { path } => tr!(lang, "transfer-exists", path = shown(path)),
            TransferError::Incomplete {
                expected,
                received,
                part,
            } => tr!(
                lang,
                "transfer-incomplete",
                received = received.to_string(),
                expected = expected.to_string(),
                part = shown(part)
            ),
            TransferError::TooLong { expected } => tr!(lang, "transfer-too-long", expected = expected.to_string()),
            TransferError::Interrupted { received, reason, part } => tr!(
                lang,
                "transfer-interrupted",
                received = received.to_string(),
                reason = reason.text_in(lang),
                part = shown(part)
            ),
            TransferError::Cancelled { .. } => tr!(lang, "transfer-cancelled"),
        }
    }
}

/// What the OS said in `error`, as it said it; trackline's own words inside
/// one (a name that leaves the folder, no free numbered name) in `lang`.
fn said_by(lang: Lang, error: &io::Error) -> String {
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<crate::i18n::Message>())
    {
        Some(words) => words.text_in(lang),
        None => crate::i18n::Message::of_io(error).text_in(lang),
    }
}

fn io_hint(lang: Lang, error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded => {
            tr!(lang, "transfer-hint-full")
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => tr!(lang, "transfer-hint-read-only"),
        io::ErrorKind::NotADirectory => tr!(lang, "transfer-hint-not-a-folder"),
        _ => String::new(),
    }
}

impl TransferError {
    /// [`TransferError::short_reason`] in `lang`.
    pub(super) fn short_reason_in(&self, lang: Lang) -> String {
        match self {
            TransferError::Incomplete { expected, received, .. } => tr!(
                lang,
                "transfer-ended-after",
                received = received.to_string(),
                expected = expected.to_string()
            ),
            TransferError::Interrupted { received, reason, .. } => tr!(
                lang,
                "transfer-broke-after",
                received = received.to_string(),
                reason = reason.text_in(lang)
            ),
            other => other.localized(lang),
        }
    }
}
