//! The downloads pane's state: one transfer per row, the queue that keeps at most
//! `concurrency` downloads running, and rate and ETA from timed progress samples.

use super::list::ListCursor;
use crate::api::Document;
use crate::worker::{Command, DownloadId, ProcessRef};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use time::{Duration, OffsetDateTime};

/// How far back progress samples count for the rate.
const RATE_WINDOW: Duration = Duration::seconds(5);

/// Where a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferState {
    /// Waiting for a free slot (or for a login).
    Queued,
    /// Asked of the worker, bytes may be arriving.
    Running,
    /// Saved.
    Done,
    /// Failed; `r` retries.
    Failed,
    /// Cancelled by the user; `r` starts it again.
    Cancelled,
}

impl TransferState {
    /// The state as shown.
    pub fn label(self) -> &'static str {
        match self {
            TransferState::Queued => "queued",
            TransferState::Running => "running",
            TransferState::Done => "done",
            TransferState::Failed => "failed",
            TransferState::Cancelled => "cancelled",
        }
    }
}

/// One download.
#[derive(Debug, Clone)]
pub struct Transfer {
    /// The id of the current attempt.
    pub id: DownloadId,
    /// The document.
    pub doc: Document,
    /// The process it belongs to.
    pub process: ProcessRef,
    /// Where it is.
    pub state: TransferState,
    /// Bytes received.
    pub received: u64,
    /// The size, when known.
    pub total: Option<u64>,
    /// Where the file was saved.
    pub path: Option<PathBuf>,
    /// The saved file's SHA-256, hex.
    pub sha256: Option<String>,
    /// Why it failed (already safe).
    pub error: Option<String>,
    /// Whether a retry may help.
    pub retryable: bool,
    /// Queued until the user logs in again.
    pub awaiting_login: bool,
    /// While a failed attempt waits to be retried: "retrying in 3 s (attempt 2 of 5)".
    pub retry_note: Option<String>,
    samples: VecDeque<(OffsetDateTime, u64)>,
}

impl Transfer {
    /// Bytes per second over the last few seconds of samples, once there are two.
    pub fn rate(&self) -> Option<f64> {
        let (t0, b0) = *self.samples.front()?;
        let (t1, b1) = *self.samples.back()?;
        let secs = (t1 - t0).as_seconds_f64();
        (secs > 0.0 && b1 >= b0).then(|| (b1 - b0) as f64 / secs)
    }

    /// Time left at the current rate, when the size is known.
    pub fn eta(&self) -> Option<Duration> {
        let rate = self.rate().filter(|r| *r > 0.0)?;
        let left = self.total?.saturating_sub(self.received);
        Some(Duration::seconds_f64(left as f64 / rate))
    }

    /// The fraction done, when the size is known.
    pub fn ratio(&self) -> Option<f64> {
        match (self.state, self.total) {
            (TransferState::Done, _) => Some(1.0),
            (_, Some(0)) => Some(0.0),
            (_, Some(total)) => Some((self.received as f64 / total as f64).clamp(0.0, 1.0)),
            (_, None) => None,
        }
    }

    fn sample(&mut self, now: OffsetDateTime, received: u64) {
        self.samples.push_back((now, received));
        while self.samples.len() > 2 && self.samples.front().is_some_and(|(t, _)| now - *t > RATE_WINDOW) {
            self.samples.pop_front();
        }
    }

    fn restart(&mut self, id: DownloadId) {
        self.id = id;
        self.state = TransferState::Queued;
        self.received = 0;
        self.path = None;
        self.error = None;
        self.samples.clear();
    }
}

/// Every transfer of this run, the queue and the selection.
#[derive(Debug)]
pub struct Downloads {
    items: Vec<Transfer>,
    by_id: HashMap<DownloadId, usize>,
    by_doc: HashMap<(String, String), usize>,
    concurrency: usize,
    next_id: u64,
    /// The selected row.
    pub(crate) cursor: ListCursor,
}

/// What became of a request to download a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// Added to the queue.
    Added,
    /// Already queued or running.
    AlreadyActive,
}

impl Downloads {
    /// No transfers; at most `concurrency` (at least 1) at once.
    pub fn new(concurrency: usize) -> Downloads {
        Downloads {
            items: Vec::new(),
            by_id: HashMap::new(),
            by_doc: HashMap::new(),
            concurrency: concurrency.max(1),
            next_id: 1,
            cursor: ListCursor::default(),
        }
    }

    /// The transfers, oldest first.
    pub fn items(&self) -> &[Transfer] {
        &self.items
    }

    /// The selected transfer.
    pub fn selected(&self) -> Option<&Transfer> {
        self.items.get(self.cursor.selected())
    }

    /// The latest transfer of a document.
    pub fn for_doc(&self, process_id: &str, doc_id: &str) -> Option<&Transfer> {
        let i = self.by_doc.get(&(process_id.to_string(), doc_id.to_string()))?;
        self.items.get(*i)
    }

    /// How many are running.
    pub fn running(&self) -> usize {
        self.items.iter().filter(|t| t.state == TransferState::Running).count()
    }

    /// Whether any transfer is queued (and not waiting for a login) or running.
    pub fn active(&self) -> bool {
        self.items
            .iter()
            .any(|t| t.state == TransferState::Running || (t.state == TransferState::Queued && !t.awaiting_login))
    }

    fn new_id(&mut self) -> DownloadId {
        let id = DownloadId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Queues a document unless it is already queued or running.
    pub fn enqueue(&mut self, doc: Document, process: ProcessRef) -> Enqueued {
        let key = (process.id.as_str().to_string(), doc.doc_id.as_str().to_string());
        let active = self
            .by_doc
            .get(&key)
            .and_then(|&i| self.items.get(i))
            .is_some_and(|t| matches!(t.state, TransferState::Queued | TransferState::Running));
        if active {
            return Enqueued::AlreadyActive;
        }
        let id = self.new_id();
        self.items.push(Transfer {
            id,
            doc,
            process,
            state: TransferState::Queued,
            received: 0,
            total: None,
            path: None,
            sha256: None,
            error: None,
            retryable: false,
            awaiting_login: false,
            retry_note: None,
            samples: VecDeque::new(),
        });
        let index = self.items.len() - 1;
        self.by_id.insert(id, index);
        self.by_doc.insert(key, index);
        Enqueued::Added
    }

    /// Starts queued transfers while fewer than `concurrency` run.
    pub fn pump(&mut self) -> Vec<Command> {
        let mut running = self.running();
        let mut commands = Vec::new();
        for t in &mut self.items {
            if running >= self.concurrency {
                break;
            }
            if t.state == TransferState::Queued && !t.awaiting_login {
                t.state = TransferState::Running;
                running += 1;
                commands.push(Command::Download {
                    id: t.id,
                    doc: t.doc.clone(),
                    process: t.process.clone(),
                });
            }
        }
        commands
    }

    fn get_mut(&mut self, id: DownloadId) -> Option<&mut Transfer> {
        let i = *self.by_id.get(&id)?;
        self.items.get_mut(i).filter(|t| t.id == id)
    }

    /// The worker began writing the file.
    pub fn started(&mut self, id: DownloadId, total: Option<u64>, now: OffsetDateTime) {
        if let Some(t) = self.get_mut(id).filter(|t| t.state == TransferState::Running) {
            t.total = total.or(t.total);
            t.received = 0;
            t.samples.clear();
            t.sample(now, 0);
        }
    }

    /// An attempt failed and will be retried: `note` says when.
    pub fn retrying(&mut self, id: DownloadId, note: String) {
        if let Some(t) = self.get_mut(id).filter(|t| t.state == TransferState::Running) {
            t.retry_note = Some(note);
        }
    }

    /// Bytes arrived.
    pub fn progress(&mut self, id: DownloadId, received: u64, total: Option<u64>, now: OffsetDateTime) {
        if let Some(t) = self.get_mut(id).filter(|t| t.state == TransferState::Running) {
            if received > t.received {
                t.retry_note = None;
            }
            t.received = received;
            t.total = total.or(t.total);
            t.sample(now, received);
        }
    }

    /// The file is saved (even after a late cancel: the file is there).
    pub fn done(&mut self, id: DownloadId, path: PathBuf, bytes: u64, sha256: String) -> Vec<Command> {
        if let Some(t) = self.get_mut(id) {
            t.state = TransferState::Done;
            t.path = Some(path);
            t.sha256 = Some(sha256);
            t.received = bytes;
            t.total = Some(t.total.unwrap_or(bytes).max(bytes));
        }
        self.pump()
    }

    /// The transfer failed; one that needs a login waits in the queue for it.
    pub fn failed(&mut self, id: DownloadId, error: String, retryable: bool, needs_login: bool) -> Vec<Command> {
        if let Some(t) = self.get_mut(id).filter(|t| t.state == TransferState::Running) {
            if needs_login {
                t.state = TransferState::Queued;
                t.awaiting_login = true;
            } else {
                t.state = TransferState::Failed;
                t.error = Some(error);
                t.retryable = retryable;
            }
        }
        self.pump()
    }

    /// The worker confirmed a cancel.
    pub fn cancelled(&mut self, id: DownloadId) -> Vec<Command> {
        if let Some(t) = self.get_mut(id).filter(|t| t.state != TransferState::Done) {
            t.state = TransferState::Cancelled;
        }
        self.pump()
    }

    /// Cancels the selected transfer; its slot is freed at once.
    pub fn cancel_selected(&mut self) -> Option<Vec<Command>> {
        let t = self.items.get_mut(self.cursor.selected())?;
        let was = t.state;
        let id = t.id;
        match was {
            TransferState::Queued => {
                t.state = TransferState::Cancelled;
                t.awaiting_login = false;
                Some(Vec::new())
            }
            TransferState::Running => {
                t.state = TransferState::Cancelled;
                let mut commands = vec![Command::CancelDownload(id)];
                commands.extend(self.pump());
                Some(commands)
            }
            _ => None,
        }
    }

    /// Queues the selected failed or cancelled transfer again, under a new id.
    pub fn retry_selected(&mut self) -> Option<Vec<Command>> {
        let index = self.cursor.selected();
        let state = self.items.get(index)?.state;
        if !matches!(state, TransferState::Failed | TransferState::Cancelled) {
            return None;
        }
        let id = self.new_id();
        let t = self.items.get_mut(index)?;
        self.by_id.remove(&t.id);
        t.restart(id);
        self.by_id.insert(id, index);
        Some(self.pump())
    }

    /// After a login: the transfers that waited for it go back in the queue.
    pub fn resume_after_login(&mut self) -> Vec<Command> {
        for t in &mut self.items {
            t.awaiting_login = false;
        }
        self.pump()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Id;
    use time::macros::datetime;

    fn doc(id: &str) -> Document {
        Document {
            doc_id: Id::new(id),
            doc_name: Some(format!("{id}.pdf")),
            doc_type: None,
            extra: Default::default(),
        }
    }

    fn process() -> ProcessRef {
        ProcessRef {
            id: Id::new("1"),
            name: None,
        }
    }

    #[test]
    fn rate_and_eta_come_from_samples() {
        let mut d = Downloads::new(3);
        d.enqueue(doc("a"), process());
        d.pump();
        let id = d.items()[0].id;
        let t0 = datetime!(2024-02-12 10:00 UTC);
        d.started(id, Some(10_000_000), t0);
        assert_eq!(d.items()[0].rate(), None);
        d.progress(id, 2_000_000, None, t0 + Duration::seconds(2));
        let t = &d.items()[0];
        assert_eq!(t.rate(), Some(1_000_000.0));
        assert_eq!(t.eta(), Some(Duration::seconds(8)));
        assert_eq!(t.ratio(), Some(0.2));
        // Old samples fall out of the window.
        d.progress(id, 2_000_000, None, t0 + Duration::seconds(20));
        d.progress(id, 2_000_000, None, t0 + Duration::seconds(21));
        assert_eq!(d.items()[0].rate(), Some(0.0));
        assert_eq!(d.items()[0].eta(), None);
    }
}
