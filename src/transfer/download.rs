//! Downloads one attachment: what to fetch and where, what was saved, and
//! the one loop that retries a download: every request it makes counts
//! against one budget of attempts, and each retry resumes the `.part` the
//! attempt before it left.

use super::attempt::{Resume, attempt_once};
use super::error::TransferError;
use super::target::refuse_existing;
use crate::api::Client;
use crate::api::client::{RetryNotice, RetryPolicy};
use backon::BackoffBuilder;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// What to download and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRequest {
    /// The attachment's id (`attachment_id`).
    pub attachment_id: String,
    /// The directory to save into (created if missing); the file name comes
    /// from the server or `doc_name`, numbered if taken.
    pub dir: PathBuf,
    /// The document's name from the process metadata, used when the response
    /// has no `Content-Disposition` file name.
    pub doc_name: Option<String>,
    /// An exact file to save to (`--output FILE`) instead of a name in `dir`;
    /// an existing file there is an error, never overwritten.
    pub output: Option<PathBuf>,
}

impl DownloadRequest {
    /// A request for `attachment_id` into `dir`, named by the server.
    pub fn new(attachment_id: impl Into<String>, dir: impl Into<PathBuf>) -> Self {
        DownloadRequest {
            attachment_id: attachment_id.into(),
            dir: dir.into(),
            doc_name: None,
            output: None,
        }
    }
}

/// A saved file: what `download --json` prints, one per line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Downloaded {
    /// The attachment's id.
    pub attachment_id: String,
    /// The absolute path of the saved file.
    pub path: PathBuf,
    /// The file's size in bytes.
    pub bytes: u64,
    /// The SHA-256 of the file, lowercase hex.
    pub sha256: String,
}

/// How far a download has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes on disk so far.
    pub received: u64,
    /// The whole size, when the server said (`Content-Length`).
    pub total: Option<u64>,
}

/// Told the size of a `.part` file before its bytes are read and hashed
/// again to resume it, which takes a while for a large file.
pub type VerifyHook = Arc<dyn Fn(u64) + Send + Sync>;

/// How a download is retried, and who hears of a resume being verified.
#[derive(Clone, Default)]
pub struct TransferOptions {
    /// Attempts and waits: `max_attempts` counts every request made for the
    /// download, the first one included, whether it failed to connect, got a
    /// retryable status (honouring `Retry-After`) or broke off in the body;
    /// each retry resumes the `.part`. The client does not retry attachment
    /// requests on its own.
    pub retry: RetryPolicy,
    /// Told before an existing `.part` is hashed again to be resumed.
    pub on_verify: Option<VerifyHook>,
}

impl TransferOptions {
    /// Options that retry as `retry` says.
    pub fn with_retry(retry: RetryPolicy) -> Self {
        TransferOptions { retry, on_verify: None }
    }
}

impl fmt::Debug for TransferOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransferOptions")
            .field("retry", &self.retry)
            .field("on_verify", &self.on_verify.is_some())
            .finish()
    }
}

/// Downloads one attachment: requests it, streams it to a `.part` file,
/// verifies its length, and saves it under a safe name that does not
/// overwrite anything. Resumes an unfinished `.part` of the same attachment
/// in the same folder, and retries with the client's own
/// [`RetryPolicy`] (see [`download_with`]).
///
/// `on_progress` is called when the body starts, then at most about ten
/// times a second, then once at the end. Cancelling `cancel` stops the
/// download at once; the `.part` file is kept.
pub async fn download(
    client: &Client,
    request: &DownloadRequest,
    cancel: &CancellationToken,
    on_progress: impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    let options = TransferOptions::with_retry(client.retry_policy().clone());
    download_with(client, request, &options, cancel, on_progress).await
}

/// [`download`] with the retry policy of `options` (the configured
/// `retry.max_attempts` and `retry.max_delay_secs`): a request that fails
/// in a way that may pass, or a body that breaks off, is tried again after
/// a backoff, resuming where it stopped, until `max_attempts` requests
/// have been made. Each retry is announced to the policy's `on_retry`.
pub async fn download_with(
    client: &Client,
    request: &DownloadRequest,
    options: &TransferOptions,
    cancel: &CancellationToken,
    mut on_progress: impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    if let Some(output) = &request.output {
        refuse_existing(output).await?;
    }
    let policy = &options.retry;
    let max_attempts = policy.max_attempts.max(1);
    let mut delays = policy.backoff().build();
    let mut resume: Option<Resume> = None;
    let mut attempt = 1;
    loop {
        let verify = options.on_verify.as_ref();
        let error = match attempt_once(client, request, &mut resume, verify, cancel, &mut on_progress).await {
            Ok(saved) => return Ok(saved),
            Err(error) if error.is_retryable() => error,
            Err(error) => return Err(error),
        };
        let Some(backoff) = delays.next() else {
            return Err(error);
        };
        let delay = match &error {
            TransferError::Api(api) => policy.wait_after(api, backoff),
            _ => backoff,
        };
        attempt += 1;
        let reason = error.short_reason();
        tracing::warn!(attempt, max_attempts, ?delay, %reason, "retrying the download");
        if let Some(hook) = &policy.on_retry {
            hook(&RetryNotice {
                attempt,
                max_attempts,
                delay,
                reason,
                reasons: crate::i18n::Lang::ALL
                    .iter()
                    .map(|lang| error.short_reason_in(*lang))
                    .collect(),
            });
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => {
                let part = resume
                    .as_ref()
                    .and_then(Resume::part_path)
                    .or_else(|| error.part_path())
                    .map(Path::to_path_buf);
                return Err(TransferError::Cancelled { part });
            }
            () = tokio::time::sleep(delay) => {}
        }
    }
}
