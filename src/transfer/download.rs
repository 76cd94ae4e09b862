//! Streams one attachment to disk: the engine behind `trackline download`,
//! `trackline export` and the TUI's downloads pane.
//!
//! The body goes to a `.part` file beside the final name (opened with
//! `create_new`, so concurrent downloads never share one), through a
//! fixed-size buffer and a SHA-256 hasher, so memory does not grow with the
//! file. A body shorter or longer than its `Content-Length` is an error and no
//! final file appears. A finished file is synced to disk and then given its
//! final name without ever replacing an existing file.
//!
//! A download that breaks keeps its `.part` file and a resume record (see
//! [`super::resume`]). The next attempt, an automatic retry with backoff in
//! the same run ([`download_with`]) or a later run, re-hashes the bytes
//! already there and sends `Range: bytes=N-` with `If-Range`. It appends only
//! to a `206` whose `Content-Range` starts at `N`; a `200` (the file changed,
//! or the server ignores ranges) empties the `.part` and starts over.

use super::naming::{choose_name, ensure_inside, part_name, persist_exact, persist_no_clobber};
use super::resume::{self, Found, Part};
use super::writeback::Writeback;
use crate::api::client::{ResumeFrom, RetryNotice, RetryPolicy};
use crate::api::{ApiError, Client};
use crate::exit;
use backon::{BackoffBuilder, ExponentialBuilder};
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, LAST_MODIFIED,
};
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::fs::{File, OpenOptions};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// The longest a received chunk waits in memory for its batch when the body pauses.
const IDLE_FLUSH: Duration = Duration::from_millis(500);

/// How many bytes of the body [`BatchWriter`] hashes and writes at once.
const WRITE_BUFFER_BYTES: usize = 1024 * 1024;

/// The shortest time between two progress reports.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// How many `.part` names (`x.part`, `x (1).part`, …) are tried.
const MAX_PART_NAMES: u32 = 1_000;

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

    /// Whether the body broke off with the `.part` kept: a retry resumes it.
    fn broke_off(&self) -> bool {
        matches!(
            self,
            TransferError::Incomplete { .. } | TransferError::Interrupted { .. }
        )
    }

    /// What went wrong, in a few words, for a "retrying" line.
    fn short_reason(&self) -> String {
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

/// Where to resume `part` from: only when it holds bytes and a validator
/// the server can check with `If-Range`.
fn resume_point(part: &Part) -> Option<ResumeFrom> {
    let validator = part.validator.as_deref()?;
    (part.offset > 0 && HeaderValue::from_str(validator).is_ok()).then(|| ResumeFrom {
        offset: part.offset,
        validator: Some(validator.to_string()),
    })
}

/// Whether a 206's `Content-Range` starts at `start` and runs to the end of
/// the file.
fn content_range_fits(headers: &HeaderMap, start: u64) -> bool {
    let Some(value) = headers.get(CONTENT_RANGE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    parse_content_range(value).is_some_and(|(first, last, complete)| {
        first == start && complete.is_none_or(|len| last.checked_add(1) == Some(len))
    })
}

/// `bytes FIRST-LAST/LENGTH` (LENGTH may be `*`).
fn parse_content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let spec = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, complete) = spec.split_once('/')?;
    let (first, last) = range.trim().split_once('-')?;
    let first = first.trim().parse().ok()?;
    let last = last.trim().parse().ok()?;
    let complete = match complete.trim() {
        "*" => None,
        len => Some(len.parse().ok()?),
    };
    (first <= last).then_some((first, last, complete))
}

/// The validator to resume with: a strong `ETag`, else `Last-Modified`.
fn validator_of(headers: &HeaderMap) -> Option<String> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::trim)
    };
    text(ETAG)
        .filter(|etag| !etag.is_empty() && !etag.starts_with("W/"))
        .or_else(|| text(LAST_MODIFIED).filter(|date| !date.is_empty()))
        .map(str::to_string)
}

/// The folder the `.part` file and the final file go into.
fn target_dir(request: &DownloadRequest) -> PathBuf {
    match &request.output {
        Some(output) => match output.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        },
        None => request.dir.clone(),
    }
}

/// The second half of [`download`], for a caller that made the request
/// itself: saves the body of `response` (status already checked, a whole
/// file) as `request` says, into a new `.part` file.
pub async fn save_response(
    response: reqwest::Response,
    request: &DownloadRequest,
    cancel: &CancellationToken,
    mut on_progress: impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    let claim = !resume::has_live_record(&target_dir(request), &request.attachment_id).await;
    save(response, request, None, claim, cancel, &mut on_progress).await
}

/// Saves the body of `response` into `part` (resumed or emptied), or a new
/// `.part` file; `claim` says whether this download keeps the resume record.
async fn save(
    response: reqwest::Response,
    request: &DownloadRequest,
    part: Option<Part>,
    claim: bool,
    cancel: &CancellationToken,
    on_progress: &mut impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    let target = Target::new(request, response.headers()).await?;
    let dir = target.dir().to_path_buf();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|source| TransferError::Io {
            path: dir.clone(),
            source,
        })?;
    let part = match part {
        Some(part) => part,
        None => {
            let (path, file) = create_part(&dir, target.part_base()).await?;
            Part {
                path,
                file,
                offset: 0,
                hasher: Sha256::new(),
                validator: None,
            }
        }
    };
    if let Target::Named { name, .. } = &target {
        ensure_inside(&dir, &part.path).map_err(|source| TransferError::Io {
            path: dir.join(name),
            source,
        })?;
    }
    let Part {
        path: part_path,
        file,
        offset,
        hasher,
        ..
    } = part;
    if claim {
        let total = announced_length(&response).map(|len| offset.saturating_add(len));
        let validator = validator_of(response.headers());
        if let Err(error) =
            resume::write_record(&dir, &request.attachment_id, &part_path, validator.as_deref(), total).await
        {
            tracing::debug!(dir = %dir.display(), %error, "cannot write the resume record");
        }
    }
    let body = match write_body(response, file, &part_path, offset, hasher, cancel, on_progress).await {
        Ok(body) => body,
        Err(error) => {
            if matches!(error, TransferError::TooLong { .. }) {
                let _ = tokio::fs::remove_file(&part_path).await;
                if claim {
                    resume::remove_record(&dir, &request.attachment_id, &part_path).await;
                }
            }
            return Err(error);
        }
    };
    let path = persist(part_path.clone(), target).await?;
    if claim {
        resume::remove_record(&dir, &request.attachment_id, &part_path).await;
    }
    Ok(Downloaded {
        attachment_id: request.attachment_id.clone(),
        path: std::path::absolute(&path).unwrap_or(path),
        bytes: body.bytes,
        sha256: body.sha256,
    })
}

/// The body's length as the server announced it.
fn announced_length(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .or_else(|| response.content_length())
}

/// Where a finished download goes.
enum Target {
    /// A safe name in `dir`, numbered if taken.
    Named { dir: PathBuf, name: String },
    /// Exactly this file (`--output`), which must not exist.
    Exact { dir: PathBuf, file: PathBuf, base: String },
}

impl Target {
    async fn new(request: &DownloadRequest, headers: &HeaderMap) -> Result<Self, TransferError> {
        if let Some(output) = &request.output {
            refuse_existing(output).await?;
            let base = output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| TransferError::Io {
                    path: output.clone(),
                    source: io::Error::new(io::ErrorKind::InvalidInput, "--output must name a file"),
                })?;
            let dir = match output.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            };
            return Ok(Target::Exact {
                dir,
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

    fn dir(&self) -> &Path {
        match self {
            Target::Named { dir, .. } | Target::Exact { dir, .. } => dir,
        }
    }

    fn part_base(&self) -> &str {
        match self {
            Target::Named { name, .. } => name,
            Target::Exact { base, .. } => base,
        }
    }
}

/// A header value as text: UTF-8 if it is, else ISO-8859-1 (RFC 9110's
/// historical header charset).
fn header_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

async fn refuse_existing(output: &Path) -> Result<(), TransferError> {
    match tokio::fs::symlink_metadata(output).await {
        Ok(_) => Err(TransferError::Exists {
            path: output.to_path_buf(),
        }),
        Err(_) => Ok(()),
    }
}

/// Opens a new `.part` file for `name` in `dir`: `name.part`, or the first
/// free `name (1).part`, …, so two downloads never write the same file;
/// locked (see [`resume::lock`]) while this download writes it.
async fn create_part(dir: &Path, name: &str) -> Result<(PathBuf, File), TransferError> {
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

/// What [`write_body`] wrote.
struct Body {
    bytes: u64,
    sha256: String,
}

/// Streams the body of `response` into `file` (the `.part` at `part`, which
/// already holds `offset` bytes that `hasher` has seen, and is positioned
/// after them), checks the length, and syncs the file.
async fn write_body(
    response: reqwest::Response,
    file: File,
    part: &Path,
    offset: u64,
    hasher: Sha256,
    cancel: &CancellationToken,
    on_progress: &mut impl FnMut(Progress),
) -> Result<Body, TransferError> {
    let total = announced_length(&response).map(|len| offset.saturating_add(len));
    let io_error = |source| TransferError::Io {
        path: part.to_path_buf(),
        source,
    };
    let mut writer = BatchWriter::new(file.into_std().await, hasher, offset);
    let mut stream = response.bytes_stream();
    let mut received = offset;
    let mut throttle = Throttle::new(Instant::now());
    on_progress(Progress { received, total });
    // Bytes gathered for a batch reach the disk within IDLE_FLUSH even when
    // the body pauses, so a stall or a kill loses little of what arrived.
    let idle_flush = tokio::time::sleep(IDLE_FLUSH);
    tokio::pin!(idle_flush);
    loop {
        let next = tokio::select! {
            biased;
            () = cancel.cancelled() => {
                let _ = writer.finish().await;
                return Err(TransferError::Cancelled { part: Some(part.to_path_buf()) });
            }
            () = &mut idle_flush, if writer.has_pending() => {
                writer.submit().await.map_err(io_error)?;
                continue;
            }
            next = stream.next() => next,
        };
        let chunk = match next {
            None => break,
            Some(Ok(chunk)) => chunk,
            Some(Err(error)) => {
                let _ = writer.finish().await;
                return Err(TransferError::Interrupted {
                    received,
                    reason: error_chain(&error),
                    part: part.to_path_buf(),
                });
            }
        };
        let len = chunk.len() as u64;
        if let Some(expected) = total
            && received.saturating_add(len) > expected
        {
            return Err(TransferError::TooLong { expected });
        }
        if !writer.has_pending() {
            idle_flush.as_mut().reset(Instant::now() + IDLE_FLUSH);
        }
        writer.push(chunk).await.map_err(io_error)?;
        received += len;
        if throttle.ready(Instant::now()) {
            on_progress(Progress { received, total });
        }
    }
    let (file, hasher) = writer.finish().await.map_err(io_error)?;
    if let Some(expected) = total
        && received < expected
    {
        return Err(TransferError::Incomplete {
            expected,
            received,
            part: part.to_path_buf(),
        });
    }
    tokio::task::spawn_blocking(move || file.sync_all())
        .await
        .map_err(io::Error::other)
        .and_then(|synced| synced)
        .map_err(io_error)?;
    on_progress(Progress { received, total });
    Ok(Body {
        bytes: received,
        sha256: hex::encode(hasher.finalize()),
    })
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

/// An error and its sources, made safe to show.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    crate::text::safe_line(&text, 300)
}

/// Gives the finished `part` its final name and syncs the directory.
async fn persist(part: PathBuf, target: Target) -> Result<PathBuf, TransferError> {
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

/// Hashes and writes a body's chunks in the blocking pool, about
/// [`WRITE_BUFFER_BYTES`] at a time, while the next batch arrives: the bytes
/// are never copied, and neither SHA-256 nor the disk runs on the async
/// threads that receive (and, in the TUI, deliver progress). One thread per
/// download, not two (hashing beside writing): on 2 cores the extra thread
/// made key presses in the TUI wait (p99 37 ms vs 8 ms) for no gain in speed.
struct BatchWriter<B> {
    batch: Vec<B>,
    batch_len: usize,
    idle: Option<Sink>,
    running: Option<tokio::task::JoinHandle<io::Result<Sink>>>,
}

/// Where a batch goes: the file, the hash of everything written, and the
/// writeback hints that keep the final `fsync` short.
struct Sink {
    file: std::fs::File,
    hasher: Sha256,
    writeback: Writeback,
}

impl<B: AsRef<[u8]> + Send + 'static> BatchWriter<B> {
    /// Appends to `file`, which already holds `offset` bytes that `hasher` has seen.
    fn new(file: std::fs::File, hasher: Sha256, offset: u64) -> Self {
        BatchWriter {
            batch: Vec::new(),
            batch_len: 0,
            idle: Some(Sink {
                file,
                hasher,
                writeback: Writeback::new(offset),
            }),
            running: None,
        }
    }

    async fn push(&mut self, chunk: B) -> io::Result<()> {
        self.batch_len += chunk.as_ref().len();
        self.batch.push(chunk);
        if self.batch_len >= WRITE_BUFFER_BYTES {
            self.submit().await?;
        }
        Ok(())
    }

    /// Whether chunks are gathered and not yet given to the disk.
    fn has_pending(&self) -> bool {
        !self.batch.is_empty()
    }

    /// Waits for the batch in flight, then starts writing the one gathered.
    async fn submit(&mut self) -> io::Result<()> {
        self.settle().await?;
        let Some(mut sink) = self.idle.take() else {
            return Err(io::Error::other("the download's file was lost after an earlier error"));
        };
        let batch = std::mem::take(&mut self.batch);
        let batch_len = std::mem::take(&mut self.batch_len);
        self.running = Some(tokio::task::spawn_blocking(move || {
            use std::io::Write;
            for chunk in &batch {
                sink.hasher.update(chunk.as_ref());
                sink.file.write_all(chunk.as_ref())?;
            }
            sink.writeback.wrote(&sink.file, batch_len);
            Ok(sink)
        }));
        Ok(())
    }

    async fn settle(&mut self) -> io::Result<()> {
        if let Some(running) = self.running.take() {
            self.idle = Some(running.await.map_err(io::Error::other)??);
        }
        Ok(())
    }

    /// Writes what is left; gives the file (everything written) and the hasher back.
    async fn finish(mut self) -> io::Result<(std::fs::File, Sha256)> {
        if !self.batch.is_empty() {
            self.submit().await?;
        }
        self.settle().await?;
        self.idle
            .take()
            .map(|sink| (sink.file, sink.hasher))
            .ok_or_else(|| io::Error::other("the download's file was lost after an earlier error"))
    }
}

/// Lets a progress report through at most once per [`PROGRESS_INTERVAL`].
struct Throttle {
    next: Instant,
}

impl Throttle {
    fn new(now: Instant) -> Self {
        Throttle {
            next: now + PROGRESS_INTERVAL,
        }
    }

    fn ready(&mut self, now: Instant) -> bool {
        if now >= self.next {
            self.next = now + PROGRESS_INTERVAL;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;
    use std::fs;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// A response as reqwest would hand it over, with these headers and a
    /// body made of these chunks.
    fn response<S>(headers: &[(&str, &str)], body: S) -> Result<reqwest::Response, http::Error>
    where
        S: futures_util::Stream<Item = Result<Vec<u8>, io::Error>> + Send + Sync + 'static,
    {
        let mut builder = http::Response::builder().status(200);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        Ok(reqwest::Response::from(builder.body(reqwest::Body::wrap_stream(body))?))
    }

    fn chunks(parts: &[&[u8]]) -> impl futures_util::Stream<Item = Result<Vec<u8>, io::Error>> + Send + Sync + 'static {
        stream::iter(parts.iter().map(|p| Ok(p.to_vec())).collect::<Vec<_>>())
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// The files in `dir`, resume records left out.
    fn names_in(dir: &Path) -> io::Result<Vec<String>> {
        let mut names = fs::read_dir(dir)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.as_ref().map_or(true, |n| !resume::is_record_name(n)))
            .collect::<io::Result<Vec<_>>>()?;
        names.sort();
        Ok(names)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_past_several_writeback_windows_is_saved_whole() -> TestResult {
        // 40 MiB in 256 KiB chunks: the writer hints (and drops clean pages)
        // twice while more is written; every byte must still reach the file.
        let dir = tempfile::tempdir()?;
        let body: Vec<u8> = (0..40u32 << 20)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let len = body.len().to_string();
        let headers = [
            ("content-disposition", "attachment; filename=big.bin"),
            ("content-length", &len),
        ];
        let parts: Vec<Vec<u8>> = body.chunks(256 << 10).map(<[u8]>::to_vec).collect();
        let stream = stream::iter(parts.into_iter().map(Ok::<_, io::Error>));
        let saved = save_response(
            response(&headers, stream)?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(saved.bytes, body.len() as u64);
        assert_eq!(saved.sha256, sha256_hex(&body));
        assert!(fs::read(&saved.path)? == body, "the saved bytes differ from the body");
        Ok(())
    }

    #[tokio::test]
    async fn saves_the_body_under_the_server_name() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("new").join("folder");
        let headers = [
            ("content-disposition", "attachment; filename=\"Invoice_001.pdf\""),
            ("content-type", "application/pdf"),
            ("content-length", "11"),
        ];
        let mut reports = Vec::new();
        let saved = save_response(
            response(&headers, chunks(&[b"%PDF-", b"1.7\n", b"%%"]))?,
            &DownloadRequest::new("98765", &target),
            &CancellationToken::new(),
            |p| reports.push(p),
        )
        .await?;
        assert_eq!(saved.path, target.join("Invoice_001.pdf"));
        assert!(saved.path.is_absolute());
        assert_eq!(saved.bytes, 11);
        assert_eq!(saved.sha256, sha256_hex(b"%PDF-1.7\n%%"));
        assert_eq!(fs::read(&saved.path)?, b"%PDF-1.7\n%%");
        assert_eq!(names_in(&target)?, ["Invoice_001.pdf"]);
        assert_eq!(
            reports.first(),
            Some(&Progress {
                received: 0,
                total: Some(11)
            })
        );
        assert_eq!(
            reports.last(),
            Some(&Progress {
                received: 11,
                total: Some(11)
            })
        );
        Ok(())
    }

    #[tokio::test]
    async fn hostile_names_stay_in_the_directory() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [(
            "content-disposition",
            "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd",
        )];
        let saved = save_response(
            response(&headers, chunks(&[b"x"]))?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(names_in(dir.path())?, ["_.._etc_passwd"]);
        assert_eq!(saved.path.parent(), Some(std::path::absolute(dir.path())?.as_path()));
        Ok(())
    }

    #[tokio::test]
    async fn names_fall_back_to_the_document_then_the_id() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut request = DownloadRequest::new("42", dir.path());
        request.doc_name = Some("Счёт №5.xml".into());
        save_response(
            response(&[], chunks(&[b"<a/>"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        request.doc_name = None;
        save_response(
            response(&[("content-type", "application/zip")], chunks(&[b"PK"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(names_in(dir.path())?, ["attachment-42.zip", "Счёт №5.xml"]);
        Ok(())
    }

    #[tokio::test]
    async fn two_downloads_of_one_name_give_two_files() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [("content-disposition", "attachment; filename=\"Invoice_001.pdf\"")];
        let request = DownloadRequest::new("98765", dir.path());
        let cancel = CancellationToken::new();
        let (first, second) = tokio::join!(
            save_response(response(&headers, chunks(&[b"first"]))?, &request, &cancel, |_| {}),
            save_response(response(&headers, chunks(&[b"second"]))?, &request, &cancel, |_| {}),
        );
        let (first, second) = (first?, second?);
        assert_ne!(first.path, second.path);
        assert_eq!(names_in(dir.path())?, ["Invoice_001 (1).pdf", "Invoice_001.pdf"]);
        let mut contents = vec![fs::read(&first.path)?, fs::read(&second.path)?];
        contents.sort();
        assert_eq!(contents, [b"first".to_vec(), b"second".to_vec()]);
        Ok(())
    }

    #[tokio::test]
    async fn a_short_body_keeps_the_part_and_saves_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [
            ("content-disposition", "attachment; filename=a.pdf"),
            ("content-length", "10"),
        ];
        let error = save_response(
            response(&headers, chunks(&[b"12345"]))?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("a short body must fail")?;
        assert!(
            matches!(
                error,
                TransferError::Incomplete {
                    expected: 10,
                    received: 5,
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(error.exit_code(), exit::UNAVAILABLE);
        assert!(error.is_retryable());
        assert_eq!(names_in(dir.path())?, ["a.pdf.part"]);
        assert_eq!(fs::read(dir.path().join("a.pdf.part"))?, b"12345");
        assert_eq!(error.part_path(), Some(dir.path().join("a.pdf.part").as_path()));
        assert!(resume::record_path(dir.path(), "1").exists());
        Ok(())
    }

    #[tokio::test]
    async fn a_long_body_is_discarded() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [
            ("content-disposition", "attachment; filename=a.pdf"),
            ("content-length", "3"),
        ];
        let error = save_response(
            response(&headers, chunks(&[b"12", b"345"]))?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("a long body must fail")?;
        assert!(matches!(error, TransferError::TooLong { expected: 3 }), "{error}");
        assert_eq!(fs::read_dir(dir.path())?.count(), 0);
        Ok(())
    }

    #[tokio::test]
    async fn a_broken_stream_keeps_what_arrived() -> TestResult {
        let dir = tempfile::tempdir()?;
        let body = chunks(&[b"abc"]).chain(stream::iter([Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "reset",
        ))]));
        let error = save_response(
            response(&[("content-disposition", "attachment; filename=b.xml")], body)?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("a broken stream must fail")?;
        assert!(
            matches!(error, TransferError::Interrupted { received: 3, .. }),
            "{error}"
        );
        assert_eq!(names_in(dir.path())?, ["b.xml.part"]);
        assert_eq!(fs::read(dir.path().join("b.xml.part"))?, b"abc");
        Ok(())
    }

    #[tokio::test]
    async fn cancelling_stops_and_keeps_the_part() -> TestResult {
        let dir = tempfile::tempdir()?;
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        let body = chunks(&[b"first chunk"]).chain(stream::once(async move {
            trigger.cancel();
            std::future::pending::<Result<Vec<u8>, io::Error>>().await
        }));
        let error = save_response(
            response(&[("content-disposition", "attachment; filename=c.zip")], body)?,
            &DownloadRequest::new("1", dir.path()),
            &cancel,
            |_| {},
        )
        .await
        .err()
        .ok_or("a cancelled download must fail")?;
        assert!(matches!(error, TransferError::Cancelled { part: Some(_) }), "{error}");
        assert_eq!(names_in(dir.path())?, ["c.zip.part"]);
        assert_eq!(fs::read(dir.path().join("c.zip.part"))?, b"first chunk");
        Ok(())
    }

    #[tokio::test]
    async fn output_writes_the_exact_file_and_never_overwrites() -> TestResult {
        let dir = tempfile::tempdir()?;
        let output = dir.path().join("mine.bin");
        let mut request = DownloadRequest::new("1", dir.path().join("unused"));
        request.output = Some(output.clone());
        let headers = [("content-disposition", "attachment; filename=server.pdf")];
        let saved = save_response(
            response(&headers, chunks(&[b"one"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(saved.path, output);
        assert_eq!(fs::read(&output)?, b"one");

        let error = save_response(
            response(&headers, chunks(&[b"two"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("an existing --output must fail")?;
        assert!(matches!(error, TransferError::Exists { .. }), "{error}");
        assert_eq!(fs::read(&output)?, b"one");
        assert_eq!(names_in(dir.path())?, ["mine.bin"]);
        Ok(())
    }

    #[tokio::test]
    async fn a_stale_part_file_is_left_alone() -> TestResult {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("d.pdf.part"), b"someone else's")?;
        let saved = save_response(
            response(
                &[("content-disposition", "attachment; filename=d.pdf")],
                chunks(&[b"mine"]),
            )?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(fs::read(&saved.path)?, b"mine");
        assert_eq!(fs::read(dir.path().join("d.pdf.part"))?, b"someone else's");
        assert_eq!(names_in(dir.path())?, ["d.pdf", "d.pdf.part"]);
        Ok(())
    }

    #[test]
    fn progress_is_coalesced() {
        let start = Instant::now();
        let mut throttle = Throttle::new(start);
        assert!(!throttle.ready(start));
        assert!(!throttle.ready(start + Duration::from_millis(99)));
        assert!(throttle.ready(start + Duration::from_millis(100)));
        assert!(!throttle.ready(start + Duration::from_millis(150)));
        assert!(throttle.ready(start + Duration::from_millis(250)));
    }

    #[test]
    fn latin1_headers_are_read() {
        assert_eq!(
            header_text(b"attachment; filename=\xa3.txt"),
            "attachment; filename=£.txt"
        );
        assert_eq!(header_text("Счёт".as_bytes()), "Счёт");
    }
}
