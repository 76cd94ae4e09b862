//! The worker's watch of the TUI's watched processes: one [`Watcher`] for
//! the whole set, processes added and removed while it runs, the set kept in
//! `watched.json`, every status seen recorded in the profile's index (through
//! the watcher's [`StatusLog`]) before the app hears of it, and a desktop
//! notification of each change when the config asks for one.

use crate::engine::watch::{Change, Check, Scope, StatusLog, WatchEvent, WatchOptions, Watcher};
use crate::engine::{IndexBook, SessionManager};
use crate::store::watched;
use crate::text::safe_line;
use crate::worker::{Event, WatchNews, WatchedEntry};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// A change to the watched set.
#[derive(Debug)]
pub(super) enum SetChange {
    /// Watch this process.
    Watch(String),
    /// Stop watching it.
    Unwatch(String),
}

/// What the watch runs with.
pub(super) struct Watching {
    /// The worker's session: every check goes through it.
    pub(super) session: Arc<SessionManager>,
    /// Where each status seen is recorded.
    pub(super) book: IndexBook,
    /// The file of the watched set.
    pub(super) file: PathBuf,
    /// Time between two checks of one process.
    pub(super) interval: Duration,
    /// Whether a change raises a desktop notification.
    pub(super) notify: bool,
    /// Where the news goes.
    pub(super) events: UnboundedSender<Event>,
}

/// Passes each check the watcher sees on to the watch's loop.
struct Forward(UnboundedSender<Check>);

impl StatusLog for Forward {
    fn status_seen(&self, check: &Check) {
        let _ = self.0.send(check.clone());
    }
}

impl Watching {
    /// Loads the set, then watches it until the worker stops (the caller
    /// runs this inside the worker's shutdown select), applying `changes`.
    pub(super) async fn run(self, mut changes: UnboundedReceiver<SetChange>) {
        let file = self.file.clone();
        let mut set = tokio::task::spawn_blocking(move || watched::load(&file))
            .await
            .unwrap_or_default();
        let _ = self.events.send(Event::Watch(WatchNews::Loaded(set.clone())));
        let (checks_tx, mut checks) = unbounded_channel();
        let options = WatchOptions {
            interval: self.interval,
            ..WatchOptions::default()
        };
        let ids = set.iter().map(|e| e.process_id.clone());
        let (watcher, control) = Watcher::new(self.session.clone(), ids, options);
        let watcher = watcher.with_status_log(Arc::new(Forward(checks_tx)));
        let events = self.events.clone();
        let run = watcher.run(move |event| {
            if let Some(news) = news_of(event) {
                let _ = events.send(Event::Watch(news));
            }
            ControlFlow::Continue(())
        });
        tokio::pin!(run);
        let notifying = Arc::new(AtomicBool::new(false));
        loop {
            tokio::select! {
                () = &mut run => break,
                change = changes.recv() => {
                    let changed = match change {
                        Some(SetChange::Watch(id)) if !set.iter().any(|e| e.process_id == id) => {
                            control.watch(id.clone());
                            set.push(WatchedEntry::new(id));
                            true
                        }
                        Some(SetChange::Unwatch(id)) => {
                            control.unwatch(id.clone());
                            let before = set.len();
                            set.retain(|e| e.process_id != id);
                            set.len() != before
                        }
                        Some(SetChange::Watch(_)) => false,
                        None => break,
                    };
                    if changed {
                        self.save(&set).await;
                    }
                }
                Some(check) = checks.recv() => {
                    let Some(entry) = set.iter_mut().find(|e| e.process_id == check.process_id) else {
                        continue;
                    };
                    let profile = self.session.profile().name;
                    self.book.record_status(&profile, &check).await;
                    let changed = match &check.change {
                        Change::First => entry.status.is_some() && entry.status != check.status,
                        Change::Changed { .. } => true,
                        Change::Same => false,
                    };
                    let stored = entry.changed_at.and_then(|at| OffsetDateTime::from_unix_timestamp(at).ok());
                    let changed_at = match &check.change {
                        _ if changed => Some(check.at),
                        Change::First => self.last_change(&profile, &check.process_id).await.or(stored),
                        _ => stored,
                    };
                    let previous = entry.status.clone();
                    let stale = entry.status != check.status
                        || entry.name != check.process_name && check.process_name.is_some()
                        || entry.changed_at != changed_at.map(OffsetDateTime::unix_timestamp);
                    entry.status = check.status.clone();
                    entry.name = check.process_name.clone().or(entry.name.take());
                    entry.changed_at = changed_at.map(OffsetDateTime::unix_timestamp);
                    if stale {
                        self.save(&set).await;
                    }
                    if changed && self.notify {
                        notify(&check, previous.as_deref(), &notifying);
                    }
                    let _ = self.events.send(Event::Watch(WatchNews::Checked {
                        process_id: check.process_id,
                        name: check.process_name,
                        status: check.status,
                        changed,
                        changed_at,
                        at: check.at,
                    }));
                }
            }
        }
    }

    /// When the index says `process_id`'s status last changed.
    async fn last_change(&self, profile: &str, process_id: &str) -> Option<OffsetDateTime> {
        match self.book.cached_process(profile, process_id).await {
            Ok(cached) => cached.map(|c| c.status_changed_at),
            Err(error) => {
                tracing::info!(%error, "cannot read when a watched status changed");
                None
            }
        }
    }

    async fn save(&self, set: &[WatchedEntry]) {
        let (file, set) = (self.file.clone(), set.to_vec());
        let saved = tokio::task::spawn_blocking(move || watched::save(&file, &set)).await;
        if let Ok(Err(error)) = saved {
            tracing::warn!(%error, file = %self.file.display(), "cannot save the watched processes");
        }
    }
}

/// The app's news of a watch event; checks come through the status log instead.
fn news_of(event: WatchEvent) -> Option<WatchNews> {
    match event {
        WatchEvent::Checked(_) | WatchEvent::Round(_) => None,
        WatchEvent::Failed(failure) if failure.scope == Scope::Process => Some(WatchNews::Failed {
            process_id: failure.process_id,
            error: safe_line(&failure.error.to_string(), 300),
            at: failure.at,
        }),
        WatchEvent::Failed(_) => None,
        WatchEvent::Paused { error, .. } => Some(WatchNews::Paused(safe_line(&error.to_string(), 300))),
        WatchEvent::Resumed => Some(WatchNews::Resumed),
    }
}

/// Raises a desktop notification of `check`'s change from `previous`, on a blocking thread,
/// one at a time; where no notification service runs it fails and is skipped.
fn notify(check: &Check, previous: Option<&str>, busy: &Arc<AtomicBool>) {
    if busy.swap(true, Ordering::AcqRel) {
        return;
    }
    let name = check.process_name.as_deref().unwrap_or(&check.process_id);
    let summary = format!("trackline: {}", safe_line(name, 80));
    let body = format!(
        "{} → {}",
        safe_line(previous.unwrap_or("no status"), 60),
        safe_line(check.status.as_deref().unwrap_or("no status"), 60)
    );
    let busy = busy.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(error) = notify_rust::Notification::new().summary(&summary).body(&body).show() {
            tracing::info!(%error, "no desktop notification");
        }
        busy.store(false, Ordering::Release);
    });
}
