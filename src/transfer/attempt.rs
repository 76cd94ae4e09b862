//! One attempt at a download: one request (or, when the server refuses to
//! resume, one more without `Range`) and, if it is answered, its body saved.
//! Decides whether to resume: sends `Range` and `If-Range` for a `.part`
//! with bytes and a validator, appends only to a `206` whose range starts
//! where the `.part` ends, and empties the `.part` for a `200`.

use super::error::TransferError;
use super::range::{content_range_fits, resume_point};
use super::resume::{self, Found, Part};
use super::save::save;
use super::target::target_dir;
use super::{DownloadRequest, Downloaded, Progress, VerifyHook};
use crate::api::client::ResumeFrom;
use crate::api::{ApiError, Client};
use reqwest::StatusCode;
use std::path::Path;
use tokio_util::sync::CancellationToken;

/// What an attempt found to resume, kept for the next attempt when the
/// request failed before a body began, so the `.part` stays locked and is
/// not hashed again.
pub(super) struct Resume {
    /// The `.part` to continue, locked by this download.
    part: Option<Part>,
    /// Whether this download keeps the resume record (not when another
    /// download is writing the recorded `.part`).
    claim: bool,
    /// The range to ask for; `None` once the server refused to resume.
    from: Option<ResumeFrom>,
}

impl Resume {
    /// Looks for the recorded `.part` of `request`; `on_verify` hears of one
    /// about to be hashed again.
    async fn find(request: &DownloadRequest, on_verify: Option<&VerifyHook>) -> Self {
        let verifying = |bytes| {
            if let Some(hook) = on_verify {
                hook(bytes);
            }
        };
        let (part, claim) = match resume::find(&target_dir(request), &request.attachment_id, verifying).await {
            Found::Part(part) => (Some(*part), true),
            Found::Busy => (None, false),
            Found::Nothing => (None, true),
        };
        let from = part.as_ref().and_then(resume_point);
        if let Some(from) = &from {
            tracing::info!(attachment = %request.attachment_id, offset = from.offset, "resuming a partial download");
        }
        Resume { part, claim, from }
    }

    /// The `.part` file held, if any.
    pub(super) fn part_path(&self) -> Option<&Path> {
        self.part.as_ref().map(|part| part.path.as_path())
    }
}

/// One request and its body: resumes what `held` found before, or what is
/// recorded now (telling `on_verify` before hashing it). A request that
/// fails leaves what it found in `held` for the next attempt; a body that
/// starts takes it.
pub(super) async fn attempt_once(
    client: &Client,
    request: &DownloadRequest,
    held: &mut Option<Resume>,
    on_verify: Option<&VerifyHook>,
    cancel: &CancellationToken,
    on_progress: &mut impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    let mut resume = match held.take() {
        Some(resume) => resume,
        None => Resume::find(request, on_verify).await,
    };
    loop {
        let answer = tokio::select! {
            biased;
            () = cancel.cancelled() => {
                return Err(TransferError::Cancelled { part: resume.part.map(|p| p.path) });
            }
            answer = client.attachment_once(&request.attachment_id, resume.from.as_ref()) => answer,
        };
        let response = match answer {
            Ok(response) => response,
            Err(ApiError::Server { status: 416, .. }) if resume.from.is_some() => {
                // The part is as long as the file or longer: it changed. Start over.
                resume.from = None;
                continue;
            }
            Err(error) => {
                *held = Some(resume);
                return Err(error.into());
            }
        };
        if response.status() == StatusCode::PARTIAL_CONTENT {
            let expected_start = resume.from.as_ref().map_or(0, |r| r.offset);
            if !content_range_fits(response.headers(), expected_start) {
                if resume.from.take().is_some() {
                    tracing::debug!("the server answered a resume with another range; starting over");
                    continue;
                }
                return Err(ApiError::Http(crate::i18n::message!("api-partial-unasked")).into());
            }
        } else if let Some(part) = resume.part.as_mut() {
            part.truncate().await.map_err(|source| TransferError::Io {
                path: part.path.clone(),
                source,
            })?;
        }
        return save(response, request, resume.part, resume.claim, cancel, on_progress).await;
    }
}
