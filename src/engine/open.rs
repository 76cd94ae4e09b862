//! Handing a saved file to the user's application, off the async threads.

use std::path::Path;

/// Opens `path` with `opener` (a command taking the path), or the system's
/// default application when `None`; the error is already phrased for the user.
pub async fn open(path: &Path, opener: Option<&str>) -> Result<(), crate::i18n::Message> {
    let (path, opener) = (path.to_path_buf(), opener.map(str::to_string));
    tokio::task::spawn_blocking(move || crate::transfer::open_path(&path, opener.as_deref()))
        .await
        .unwrap_or_else(|e| Err(crate::i18n::Message::library_words(&e.to_string())))
}
