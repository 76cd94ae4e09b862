//! Downloads one attachment: what to fetch and where, what was saved, and
//! the loop that retries a download, each attempt resuming the `.part` the
//! one before left.

use super::error::TransferError;
use super::range::{content_range_fits, resume_point};
use super::resume::{self, Found};
use super::save::save;
use super::target::{refuse_existing, target_dir};
use crate::api::client::{RetryNotice, RetryPolicy};
use crate::api::{ApiError, Client};
use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
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

/// How a download is retried when its body breaks off.
#[derive(Debug, Clone, Default)]
pub struct TransferOptions {
    /// Attempts and waits: `max_attempts` counts every attempt at the whole
    /// download, the first one included; each retry resumes the `.part`.
    /// (Connecting and the status line are also retried by the client itself.)
    pub retry: RetryPolicy,
}

impl TransferOptions {
    /// Options that retry as `retry` says.
    pub fn with_retry(retry: RetryPolicy) -> Self {
        TransferOptions { retry }
    }
}

/// Downloads one attachment: requests it, streams it to a `.part` file,
/// verifies its length, and saves it under a safe name that does not
/// overwrite anything. Resumes an unfinished `.part` of the same attachment
/// in the same folder, and retries a body that breaks off with the default
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
    download_with(client, request, &TransferOptions::default(), cancel, on_progress).await
}

/// [`download`] with the retry policy of `options` (the configured
/// `retry.max_attempts` and `retry.max_delay_secs`): a body that breaks off
/// is tried again after a backoff, resuming where it stopped.
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
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(policy.min_delay)
        .with_max_delay(policy.max_delay)
        .with_max_times(max_attempts - 1)
        .with_jitter()
        .build();
    let mut attempt = 1;
    loop {
        let error = match attempt_once(client, request, cancel, &mut on_progress).await {
            Ok(saved) => return Ok(saved),
            Err(error) if error.broke_off() => error,
            Err(error) => return Err(error),
        };
        let Some(delay) = delays.next() else {
            return Err(error);
        };
        attempt += 1;
        let reason = error.short_reason();
        tracing::warn!(attempt, max_attempts, ?delay, %reason, "download broke off; resuming");
        if let Some(hook) = &policy.on_retry {
            hook(&RetryNotice {
                attempt,
                max_attempts,
                delay,
                reason,
            });
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => {
                return Err(TransferError::Cancelled { part: error.part_path().map(Path::to_path_buf) });
            }
            () = tokio::time::sleep(delay) => {}
        }
    }
}

/// One request and its body: resumes the recorded `.part` when there is one.
async fn attempt_once(
    client: &Client,
    request: &DownloadRequest,
    cancel: &CancellationToken,
    on_progress: &mut impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    let dir = target_dir(request);
    let (mut part, claim) = match resume::find(&dir, &request.attachment_id).await {
        Found::Part(part) => (Some(*part), true),
        Found::Busy => (None, false),
        Found::Nothing => (None, true),
    };
    let mut resume_from = part.as_ref().and_then(resume_point);
    loop {
        let answer = tokio::select! {
            biased;
            () = cancel.cancelled() => {
                return Err(TransferError::Cancelled { part: part.map(|p| p.path) });
            }
            answer = client.attachment(&request.attachment_id, resume_from.as_ref()) => answer,
        };
        let response = match answer {
            Ok(response) => response,
            Err(ApiError::Server { status: 416, .. }) if resume_from.is_some() => {
                // The part is as long as the file or longer: it changed. Start over.
                resume_from = None;
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        if response.status() == StatusCode::PARTIAL_CONTENT {
            let expected_start = resume_from.as_ref().map_or(0, |r| r.offset);
            if !content_range_fits(response.headers(), expected_start) {
                if resume_from.take().is_some() {
                    tracing::debug!("the server answered a resume with another range; starting over");
                    continue;
                }
                return Err(ApiError::Http("the server sent only part of the file, unasked".into()).into());
            }
        } else if let Some(part) = part.as_mut() {
            part.truncate().await.map_err(|source| TransferError::Io {
                path: part.path.clone(),
                source,
            })?;
        }
        return save(response, request, part, claim, cancel, on_progress).await;
    }
}
