//! The body of one answer on its way to disk: streamed through a bounded
//! batch, hashed and written in the blocking pool with writeback hints,
//! checked against its `Content-Length`, synced, and reported as progress
//! at most about ten times a second.

use super::Progress;
use super::error::TransferError;
use super::range::announced_length;
use super::writeback::Writeback;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::io;
use std::path::Path;
use std::time::Duration;
use tokio::fs::File;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// The longest a received chunk waits in memory for its batch when the body pauses.
const IDLE_FLUSH: Duration = Duration::from_millis(500);

/// How many bytes of the body [`BatchWriter`] hashes and writes at once.
const WRITE_BUFFER_BYTES: usize = 1024 * 1024;

/// The shortest time between two progress reports.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// What [`write_body`] wrote.
pub(super) struct Body {
    pub(super) bytes: u64,
    pub(super) sha256: String,
}

/// Streams the body of `response` into `file` (the `.part` at `part`, which
/// already holds `offset` bytes that `hasher` has seen, and is positioned
/// after them), checks the length, and syncs the file.
pub(super) async fn write_body(
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
                    reason: broke_because(&error),
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

/// Why a body stopped: its error chain in English, said by the OS error's
/// kind (a reset, a time-out) in the other languages, else kept in brackets.
fn broke_because(error: &(dyn std::error::Error + 'static)) -> crate::i18n::Message {
    let words = error_chain(error);
    let mut kind = None;
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<io::Error>()
            && io.kind() != io::ErrorKind::Other
        {
            kind = Some(io.kind());
        }
        current = e.source();
    }
    crate::i18n::Message::os_words(kind, &words)
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

/// Hashes and writes a body's chunks in the blocking pool, about
/// [`WRITE_BUFFER_BYTES`] at a time, while the next batch arrives: the bytes
/// are never copied, and neither SHA-256 nor the disk runs on the async
/// threads that receive (and, in the TUI, deliver progress). One thread per
/// download, not two (hashing beside writing): on 2 cores the extra thread
/// made key presses in the TUI wait longer for no gain in speed.
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

    /// Adds `chunk` to the batch; a full batch starts writing.
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

    /// Waits for the batch in flight and takes its file back.
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
    /// A throttle whose first report may pass one interval after `now`.
    fn new(now: Instant) -> Self {
        Throttle {
            next: now + PROGRESS_INTERVAL,
        }
    }

    /// Whether a report may pass at `now`; if so, the next waits an interval.
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
}
