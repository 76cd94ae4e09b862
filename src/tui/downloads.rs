//! The downloads pane's state: one transfer per row, its state with the data
//! that state has, and rate and ETA from timed progress samples.
//!
//! Every download is asked of the worker at once; the worker decides how many
//! run together, so a row stays [`TransferState::Queued`] until the worker
//! says it started.

use super::list::ListCursor;
use crate::api::Document;
use crate::worker::{Command, DownloadId, ProcessRef};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

/// How far back progress samples count for the rate.
const RATE_WINDOW: Duration = Duration::seconds(5);

/// How long a resumed download shows where it resumed (then its rate and ETA).
pub(crate) const RESUME_NOTE: Duration = Duration::seconds(5);

/// Where a transfer is, with what is known in that state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TransferState {
    /// Asked of the worker, which has not started it yet.
    Queued,
    /// Refused for the session: asked of the worker again after the next login.
    AwaitingLogin,
    /// The worker is on it; bytes may be arriving.
    Running(Progress),
    /// Saved.
    Done {
        /// Where the file was saved.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// Its SHA-256, hex.
        sha256: String,
    },
    /// Failed; `r` retries.
    Failed {
        /// Why (already safe to show).
        error: String,
        /// Whether a retry may help.
        retryable: bool,
        /// Bytes the failed attempt had received.
        received: u64,
        /// The size, when known.
        total: Option<u64>,
    },
    /// Cancelled by the user; `r` starts it again.
    Cancelled {
        /// Bytes received before the cancel (kept in the `.part` file).
        received: u64,
        /// The size, when known.
        total: Option<u64>,
    },
}

impl TransferState {
    /// The state as shown.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            TransferState::Queued | TransferState::AwaitingLogin => "queued",
            TransferState::Running(_) => "running",
            TransferState::Done { .. } => "done",
            TransferState::Failed { .. } => "failed",
            TransferState::Cancelled { .. } => "cancelled",
        }
    }

    /// Whether the transfer is still to finish: queued (for the worker or a login) or running.
    pub(crate) fn is_active(&self) -> bool {
        matches!(
            self,
            TransferState::Queued | TransferState::AwaitingLogin | TransferState::Running(_)
        )
    }

    /// Bytes received and the size, for the states that have them.
    pub(crate) fn bytes(&self) -> Option<(u64, Option<u64>)> {
        match self {
            TransferState::Running(Progress { received, total, .. })
            | TransferState::Failed { received, total, .. }
            | TransferState::Cancelled { received, total } => Some((*received, *total)),
            TransferState::Done { bytes, .. } => Some((*bytes, Some(*bytes))),
            TransferState::Queued | TransferState::AwaitingLogin => None,
        }
    }
}

/// How far a running transfer is.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Progress {
    /// Bytes received so far.
    pub received: u64,
    /// The size, when known.
    pub total: Option<u64>,
    /// While a failed attempt waits to be retried: "retrying in 3 s (attempt 2 of 5)".
    pub retry_note: Option<String>,
    /// While the `.part` left before is hashed again: its size.
    pub verifying: Option<u64>,
    /// Where a resumed download went on from, and when; kept for [`RESUME_NOTE`].
    pub resumed: Option<(u64, OffsetDateTime)>,
    /// Timed byte counts of the last few seconds, for the rate.
    samples: VecDeque<(OffsetDateTime, u64)>,
}

impl Progress {
    fn sample(&mut self, now: OffsetDateTime, received: u64) {
        self.samples.push_back((now, received));
        while self.samples.len() > 2 && self.samples.front().is_some_and(|(t, _)| now - *t > RATE_WINDOW) {
            self.samples.pop_front();
        }
    }
}

/// How a message about the downloads is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// News.
    Info,
    /// Something being retried.
    Warn,
    /// Something that failed.
    Error,
    /// Details of the selected row.
    Muted,
}

/// What the downloads pane has to say below its rows: a message, or about the selected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detail {
    /// The text, already safe to show.
    pub(crate) text: String,
    /// Its colour.
    pub(crate) tone: Tone,
    /// Whether it gets lines of its own when it does not fit on the border
    /// (else it is cut there).
    pub(crate) wrap: bool,
}

/// One download.
#[derive(Debug, Clone)]
pub(crate) struct Transfer {
    /// The id of the current attempt.
    pub id: DownloadId,
    /// The document.
    pub doc: Document,
    /// The process it belongs to.
    pub process: ProcessRef,
    /// Where it is.
    pub state: TransferState,
    /// How many times it was asked for: 1, and one more for each retry.
    pub tries: u32,
    /// A new copy, even when one saved before is still intact.
    pub force: bool,
}

impl Transfer {
    /// Bytes per second over the last few seconds of samples, once there are two.
    pub(crate) fn rate(&self) -> Option<f64> {
        let TransferState::Running(progress) = &self.state else {
            return None;
        };
        let (t0, b0) = *progress.samples.front()?;
        let (t1, b1) = *progress.samples.back()?;
        let secs = (t1 - t0).as_seconds_f64();
        (secs > 0.0 && b1 >= b0).then(|| (b1 - b0) as f64 / secs)
    }

    /// Time left at the current rate, when the size is known.
    pub(crate) fn eta(&self) -> Option<Duration> {
        let TransferState::Running(progress) = &self.state else {
            return None;
        };
        let rate = self.rate().filter(|r| *r > 0.0)?;
        let left = progress.total?.saturating_sub(progress.received);
        Some(Duration::seconds_f64(left as f64 / rate))
    }

    /// The fraction done, when the size is known.
    pub(crate) fn ratio(&self) -> Option<f64> {
        match (&self.state, self.state.bytes()) {
            (TransferState::Done { .. }, _) => Some(1.0),
            (_, Some((_, Some(0)))) => Some(0.0),
            (_, Some((received, Some(total)))) => Some((received as f64 / total as f64).clamp(0.0, 1.0)),
            _ => None,
        }
    }

    /// The saved file, once done.
    pub(crate) fn saved_path(&self) -> Option<&Path> {
        match &self.state {
            TransferState::Done { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The command that asks the worker for this transfer.
    fn command(&self) -> Command {
        Command::Download {
            id: self.id,
            doc: self.doc.clone(),
            process: self.process.clone(),
            force: self.force,
        }
    }

    /// The running state, entered now if the worker had not said it started.
    fn running(&mut self) -> Option<&mut Progress> {
        if self.state == TransferState::Queued {
            self.state = TransferState::Running(Progress::default());
        }
        match &mut self.state {
            TransferState::Running(progress) => Some(progress),
            _ => None,
        }
    }
}

/// Every transfer of this run and the selection.
#[derive(Debug)]
pub(crate) struct Downloads {
    items: Vec<Transfer>,
    by_id: HashMap<DownloadId, usize>,
    by_doc: HashMap<(String, String), usize>,
    next_id: u64,
    /// The selected row.
    pub(crate) cursor: ListCursor,
}

impl Default for Downloads {
    fn default() -> Self {
        Downloads {
            items: Vec::new(),
            by_id: HashMap::new(),
            by_doc: HashMap::new(),
            next_id: 1,
            cursor: ListCursor::default(),
        }
    }
}

impl Downloads {
    /// The transfers, oldest first.
    pub(crate) fn items(&self) -> &[Transfer] {
        &self.items
    }

    /// The selected transfer.
    pub(crate) fn selected(&self) -> Option<&Transfer> {
        self.items.get(self.cursor.selected())
    }

    /// The latest transfer of a document.
    pub(crate) fn for_doc(&self, process_id: &str, doc_id: &str) -> Option<&Transfer> {
        let i = self.by_doc.get(&(process_id.to_string(), doc_id.to_string()))?;
        self.items.get(*i)
    }

    /// Whether a document is saved or on its way in this session, so that
    /// downloading "all" leaves it alone.
    pub(crate) fn has(&self, process_id: &str, doc_id: &str) -> bool {
        self.for_doc(process_id, doc_id)
            .is_some_and(|t| t.state.is_active() || matches!(t.state, TransferState::Done { .. }))
    }

    /// The row of the current attempt `id`.
    pub(crate) fn row_of(&self, id: DownloadId) -> Option<usize> {
        self.by_id
            .get(&id)
            .copied()
            .filter(|&i| self.items.get(i).is_some_and(|t| t.id == id))
    }

    /// Whether any transfer is asked of the worker and not finished (one
    /// waiting for a login is not).
    pub(crate) fn active(&self) -> bool {
        self.items
            .iter()
            .any(|t| matches!(t.state, TransferState::Queued | TransferState::Running(_)))
    }

    fn new_id(&mut self) -> DownloadId {
        let id = DownloadId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Adds a transfer of a document (or asks again for its failed or
    /// cancelled row) and returns the command that asks the worker for it;
    /// `None` if the document is already queued or running.
    pub(crate) fn enqueue(&mut self, doc: Document, process: ProcessRef) -> Option<Command> {
        self.enqueue_as(doc, process, false)
    }

    /// Like [`Downloads::enqueue`], saving a new copy even when one saved before is intact.
    pub(crate) fn enqueue_copy(&mut self, doc: Document, process: ProcessRef) -> Option<Command> {
        self.enqueue_as(doc, process, true)
    }

    fn enqueue_as(&mut self, doc: Document, process: ProcessRef, force: bool) -> Option<Command> {
        let key = (process.id.as_str().to_string(), doc.doc_id.as_str().to_string());
        let latest = self.by_doc.get(&key).copied();
        match latest.and_then(|i| self.items.get(i)).map(|t| &t.state) {
            Some(state) if state.is_active() => return None,
            Some(TransferState::Failed { .. } | TransferState::Cancelled { .. }) => {
                if let Some(t) = latest.and_then(|i| self.items.get_mut(i)) {
                    t.force = force;
                }
                return latest.and_then(|i| self.again(i));
            }
            _ => {}
        }
        let id = self.new_id();
        let transfer = Transfer {
            id,
            doc,
            process,
            state: TransferState::Queued,
            tries: 1,
            force,
        };
        let command = transfer.command();
        self.items.push(transfer);
        let index = self.items.len() - 1;
        self.by_id.insert(id, index);
        self.by_doc.insert(key, index);
        Some(command)
    }

    fn get_mut(&mut self, id: DownloadId) -> Option<&mut Transfer> {
        let i = *self.by_id.get(&id)?;
        self.items.get_mut(i).filter(|t| t.id == id)
    }

    /// The worker is hashing again the `.part` of `bytes` the transfer left before.
    pub(crate) fn verifying(&mut self, id: DownloadId, bytes: u64) {
        if let Some(running) = self.get_mut(id).and_then(Transfer::running) {
            running.verifying = Some(bytes);
            running.retry_note = None;
        }
    }

    /// The worker started the transfer, `received` bytes in (a resume).
    pub(crate) fn started(&mut self, id: DownloadId, received: u64, total: Option<u64>, now: OffsetDateTime) {
        if let Some(running) = self.get_mut(id).and_then(Transfer::running) {
            running.total = total.or(running.total);
            running.received = received;
            running.verifying = None;
            running.resumed = (received > 0).then_some((received, now));
            running.samples.clear();
            running.sample(now, received);
        }
    }

    /// An attempt failed and will be retried: `note` says when.
    pub(crate) fn retrying(&mut self, id: DownloadId, note: String) {
        if let Some(running) = self.get_mut(id).and_then(Transfer::running) {
            running.retry_note = Some(note);
        }
    }

    /// Bytes arrived.
    pub(crate) fn progress(&mut self, id: DownloadId, received: u64, total: Option<u64>, now: OffsetDateTime) {
        if let Some(running) = self.get_mut(id).and_then(Transfer::running) {
            if received > running.received {
                running.retry_note = None;
            }
            if running.verifying.take().is_some() && received > 0 {
                running.resumed = Some((received, now));
                running.samples.clear();
            }
            if running.resumed.is_some_and(|(_, at)| now - at > RESUME_NOTE) {
                running.resumed = None;
            }
            running.received = received;
            running.total = total.or(running.total);
            running.sample(now, received);
        }
    }

    /// The file is saved (even after a late cancel: the file is there).
    pub(crate) fn done(&mut self, id: DownloadId, path: PathBuf, bytes: u64, sha256: String) {
        if let Some(t) = self.get_mut(id) {
            t.state = TransferState::Done { path, bytes, sha256 };
        }
    }

    /// The transfer failed; one that needs a login waits for it.
    pub(crate) fn failed(&mut self, id: DownloadId, error: String, retryable: bool, needs_login: bool) {
        let Some(t) = self.get_mut(id) else { return };
        if !matches!(t.state, TransferState::Queued | TransferState::Running(_)) {
            return;
        }
        t.state = if needs_login {
            TransferState::AwaitingLogin
        } else {
            let (received, total) = t.state.bytes().unwrap_or((0, None));
            TransferState::Failed {
                error,
                retryable,
                received,
                total,
            }
        };
    }

    /// The worker confirmed a cancel.
    pub(crate) fn cancelled(&mut self, id: DownloadId) {
        if let Some(t) = self.get_mut(id)
            && !matches!(t.state, TransferState::Done { .. })
        {
            let (received, total) = t.state.bytes().unwrap_or((0, None));
            t.state = TransferState::Cancelled { received, total };
        }
    }

    /// Cancels the selected transfer, telling the worker when it has it;
    /// `None` if it is not queued or running.
    pub(crate) fn cancel_selected(&mut self) -> Option<Vec<Command>> {
        let t = self.items.get_mut(self.cursor.selected())?;
        let commands = match t.state {
            TransferState::AwaitingLogin => Vec::new(),
            TransferState::Queued | TransferState::Running(_) => vec![Command::CancelDownload(t.id)],
            _ => return None,
        };
        let (received, total) = t.state.bytes().unwrap_or((0, None));
        t.state = TransferState::Cancelled { received, total };
        Some(commands)
    }

    /// Cancels every transfer that is queued or running (or waits for a
    /// login); returns how many.
    pub(crate) fn cancel_all(&mut self) -> usize {
        let mut cancelled = 0;
        for t in self.items.iter_mut().filter(|t| t.state.is_active()) {
            let (received, total) = t.state.bytes().unwrap_or((0, None));
            t.state = TransferState::Cancelled { received, total };
            cancelled += 1;
        }
        cancelled
    }

    /// Queues the selected failed or cancelled transfer again, under a new id;
    /// `None` if it is neither.
    pub(crate) fn retry_selected(&mut self) -> Option<Command> {
        self.again(self.cursor.selected())
    }

    /// Queues the failed or cancelled transfer of row `index` again, under a new id.
    fn again(&mut self, index: usize) -> Option<Command> {
        let state = &self.items.get(index)?.state;
        if !matches!(state, TransferState::Failed { .. } | TransferState::Cancelled { .. }) {
            return None;
        }
        let id = self.new_id();
        let t = self.items.get_mut(index)?;
        self.by_id.remove(&t.id);
        t.id = id;
        t.state = TransferState::Queued;
        t.tries += 1;
        self.by_id.insert(id, index);
        Some(t.command())
    }

    /// After a login: the transfers that waited for it are asked of the worker again.
    pub(crate) fn resume_after_login(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        for t in &mut self.items {
            if t.state == TransferState::AwaitingLogin {
                t.state = TransferState::Queued;
                commands.push(t.command());
            }
        }
        commands
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
        let mut d = Downloads::default();
        assert!(d.enqueue(doc("a"), process()).is_some());
        let id = d.items()[0].id;
        let t0 = datetime!(2024-02-12 10:00 UTC);
        d.started(id, 0, Some(10_000_000), t0);
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
