//! The download queue both front ends use: at most `concurrency` downloads at
//! once (a slot is freed only when its download has really stopped), a cancel
//! token per download (and one for all), progress and retry news, and one
//! renewal of the session when the server refuses it.

use super::session::SessionManager;
use crate::api::RetryPolicy;
use crate::api::client::RetryNotice;
use crate::transfer::{self, DownloadRequest, Downloaded, Progress, TransferError, TransferOptions};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

/// News about one download, in order: `Verifying` while a `.part` left
/// before is hashed again, `Started` once the body starts arriving, then
/// `Progress` (about ten a second) and `Retrying` (then `Verifying` again
/// when the retry resumes) as they come.
#[derive(Debug, Clone)]
pub enum DownloadEvent {
    /// The bytes of a `.part` left before are read and hashed again, to resume it.
    Verifying {
        /// Its size.
        bytes: u64,
    },
    /// The server answered and the file is being written.
    Started {
        /// Bytes already on disk (a resumed `.part`), or 0.
        received: u64,
        /// The size, if the server said.
        total: Option<u64>,
    },
    /// Bytes arrived.
    Progress(Progress),
    /// The download failed in a way that may pass, and is tried again.
    Retrying(RetryNotice),
}

/// Receives the [`DownloadEvent`]s of one download.
pub type EventHook = Arc<dyn Fn(DownloadEvent) + Send + Sync>;

/// The id a front end gives a download, to cancel it later.
pub type DownloadKey = u64;

/// Downloads through one session, `concurrency` at a time.
#[derive(Debug)]
pub struct DownloadQueue {
    session: Arc<SessionManager>,
    slots: Arc<Semaphore>,
    retry: RetryPolicy,
    cancels: Mutex<HashMap<DownloadKey, CancellationToken>>,
    /// The parent of every registered token; replaced by a fresh one when cancelled.
    all: Mutex<CancellationToken>,
}

impl DownloadQueue {
    /// A queue running at most `concurrency` (at least 1) downloads at once,
    /// retrying each as the session's client factory says.
    pub fn new(session: Arc<SessionManager>, concurrency: usize) -> Self {
        let retry = session.factory().retry_policy().clone();
        DownloadQueue {
            session,
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            retry,
            cancels: Mutex::new(HashMap::new()),
            all: Mutex::new(CancellationToken::new()),
        }
    }

    /// The session downloads are made with.
    pub fn session(&self) -> &Arc<SessionManager> {
        &self.session
    }

    /// How many downloads may start now.
    pub fn free_slots(&self) -> usize {
        self.slots.available_permits()
    }

    /// Registers download `key`, so [`DownloadQueue::cancel`] can stop it;
    /// the token is cancelled by [`DownloadQueue::cancel_all`] too.
    pub fn register(&self, key: DownloadKey) -> CancellationToken {
        let token = self.all.lock().unwrap_or_else(PoisonError::into_inner).child_token();
        self.cancels
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, token.clone());
        token
    }

    /// Stops download `key` (queued or running; its `.part` stays); `false`
    /// when no such download is registered.
    pub fn cancel(&self, key: DownloadKey) -> bool {
        let token = self.cancels.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
        token.map(|t| t.cancel()).is_some()
    }

    /// Stops every download registered so far, queued or running; downloads
    /// registered after it run as usual.
    pub fn cancel_all(&self) {
        let fresh = CancellationToken::new();
        std::mem::replace(&mut *self.all.lock().unwrap_or_else(PoisonError::into_inner), fresh).cancel();
    }

    /// Downloads `request` once a slot is free: resumes a `.part`, retries
    /// what may pass, renews a refused session once. Cancelling `cancel` stops
    /// it at any point, waiting included. With `key`, the registration made by
    /// [`DownloadQueue::register`] is removed when the download ends.
    pub async fn download(
        &self,
        key: Option<DownloadKey>,
        request: &DownloadRequest,
        cancel: &CancellationToken,
        on_event: EventHook,
    ) -> Result<Downloaded, TransferError> {
        let result = self.download_in_slot(request, cancel, on_event).await;
        if let Some(key) = key {
            self.cancels.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
        }
        result
    }

    async fn download_in_slot(
        &self,
        request: &DownloadRequest,
        cancel: &CancellationToken,
        on_event: EventHook,
    ) -> Result<Downloaded, TransferError> {
        let _slot = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(TransferError::Cancelled { part: None }),
            slot = self.slots.clone().acquire_owned() => slot
                .map_err(|_| TransferError::Cancelled { part: None })?,
        };
        let (retry_events, verify_events) = (on_event.clone(), on_event.clone());
        let options = TransferOptions {
            on_verify: Some(Arc::new(move |bytes| verify_events(DownloadEvent::Verifying { bytes }))),
            ..TransferOptions::with_retry(RetryPolicy {
                on_retry: Some(Arc::new(move |notice: &RetryNotice| {
                    retry_events(DownloadEvent::Retrying(notice.clone()));
                })),
                ..self.retry.clone()
            })
        };
        tracing::info!(attachment = %request.attachment_id, "download starts");
        let started = AtomicBool::new(false);
        let result = self
            .session
            .run(|client| {
                let (options, on_event, started) = (&options, &on_event, &started);
                async move {
                    transfer::download_with(&client, request, options, cancel, |progress: Progress| {
                        if !started.swap(true, Ordering::Relaxed) {
                            on_event(DownloadEvent::Started {
                                received: progress.received,
                                total: progress.total,
                            });
                        }
                        on_event(DownloadEvent::Progress(progress));
                    })
                    .await
                }
            })
            .await;
        match &result {
            Ok(saved) => tracing::info!(attachment = %request.attachment_id, bytes = saved.bytes, "download saved"),
            Err(TransferError::Cancelled { .. }) => {
                tracing::info!(attachment = %request.attachment_id, "download cancelled")
            }
            Err(error) => tracing::warn!(attachment = %request.attachment_id, %error, "download failed"),
        }
        result
    }
}
