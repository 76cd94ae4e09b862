//! The worker's watch of the TUI's watched processes: one [`Watcher`] for
//! the whole set, processes added and removed while it runs, the set kept in
//! `watched.json` ([`WatchedSet`]), every status seen recorded in the
//! profile's index (through the watcher's [`StatusLog`]) before the app
//! hears of it, and a desktop notification of each change when the config
//! asks for one.

use crate::engine::watch::{Change, Check, Scope, StatusLog, WatchControl, WatchEvent, WatchOptions, Watcher};
use crate::engine::{IndexBook, SessionManager};
use crate::store::watched;
use crate::text::safe_line;
use crate::worker::{Event, WatchNews, WatchedEntry};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// The watched set and its file. Every change is written at once, on a
/// blocking thread that holds an event sender until it is done, so quitting
/// (which waits for every sender) never loses the last change.
pub(super) struct WatchedSet {
    entries: Mutex<Vec<WatchedEntry>>,
    file: PathBuf,
    /// Taken while writing: the last writer writes the newest set.
    writing: Mutex<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl WatchedSet {
    /// The set stored in `file` (blocking: call it off the async threads).
    fn load_blocking(file: PathBuf) -> WatchedSet {
        WatchedSet {
            entries: Mutex::new(watched::load(&file)),
            file,
            writing: Mutex::new(()),
        }
    }

    /// Adds `id`; whether it was not watched yet.
    pub(super) fn add(&self, id: &str) -> bool {
        let mut entries = lock(&self.entries);
        if entries.iter().any(|e| e.process_id == id) {
            return false;
        }
        entries.push(WatchedEntry::new(id));
        true
    }

    /// Removes `id`; whether it was watched.
    pub(super) fn remove(&self, id: &str) -> bool {
        let mut entries = lock(&self.entries);
        let before = entries.len();
        entries.retain(|e| e.process_id != id);
        entries.len() != before
    }

    /// Writes the set as it is then; `events` is held until the file is written.
    pub(super) fn save(self: &Arc<Self>, events: UnboundedSender<Event>) {
        let set = self.clone();
        tokio::task::spawn_blocking(move || {
            let _writing = lock(&set.writing);
            let entries = lock(&set.entries).clone();
            if let Err(error) = watched::save(&set.file, &entries) {
                tracing::warn!(%error, file = %set.file.display(), "cannot save the watched processes");
            }
            drop(events);
        });
    }
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
    /// The language of the errors in the news.
    pub(super) lang: crate::i18n::Lang,
}

/// Passes each check the watcher sees on to the watch's loop.
struct Forward(UnboundedSender<Check>);

impl StatusLog for Forward {
    fn status_seen(&self, check: &Check) {
        let _ = self.0.send(check.clone());
    }
}

/// A running watch: the set, and the control that changes the watcher's.
pub(super) struct Running {
    /// The watched set.
    pub(super) set: Arc<WatchedSet>,
    /// The watcher's control.
    pub(super) control: WatchControl,
}

impl Watching {
    /// Loads the set, tells the app, and starts watching it on a task that
    /// `wrap` runs (the worker's shutdown select).
    pub(super) async fn start(self, wrap: impl FnOnce(futures_util::future::BoxFuture<'static, ()>)) -> Running {
        let file = self.file.clone();
        let set = match tokio::task::spawn_blocking(move || WatchedSet::load_blocking(file)).await {
            Ok(set) => set,
            Err(_) => WatchedSet {
                entries: Mutex::new(Vec::new()),
                file: self.file.clone(),
                writing: Mutex::new(()),
            },
        };
        let set = Arc::new(set);
        let entries = lock(&set.entries).clone();
        let _ = self.events.send(Event::Watch(WatchNews::Loaded(entries.clone())));
        let options = WatchOptions {
            interval: self.interval,
            ..WatchOptions::default()
        };
        let ids = entries.into_iter().map(|e| e.process_id);
        let (watcher, control) = Watcher::new(self.session.clone(), ids, options);
        let (checks_tx, checks) = unbounded_channel();
        let watcher = watcher.with_status_log(Arc::new(Forward(checks_tx)));
        let running = Running {
            set: set.clone(),
            control,
        };
        wrap(Box::pin(self.run(watcher, set, checks)));
        running
    }

    async fn run(self, watcher: Watcher, set: Arc<WatchedSet>, mut checks: UnboundedReceiver<Check>) {
        let (events, lang) = (self.events.clone(), self.lang);
        let run = watcher.run(move |event| {
            if let Some(news) = news_of(event, lang) {
                let _ = events.send(Event::Watch(news));
            }
            ControlFlow::Continue(())
        });
        tokio::pin!(run);
        let notifying = Arc::new(AtomicBool::new(false));
        loop {
            tokio::select! {
                () = &mut run => break,
                Some(check) = checks.recv() => self.seen(check, &set, &notifying).await,
            }
        }
    }

    /// One status seen: into the index, the set, the app (and a notification).
    async fn seen(&self, check: Check, set: &Arc<WatchedSet>, notifying: &Arc<AtomicBool>) {
        let Some(stored) = lock(&set.entries)
            .iter()
            .find(|e| e.process_id == check.process_id)
            .cloned()
        else {
            return;
        };
        let profile = self.session.profile().name;
        self.book.record_status(&profile, &check).await;
        let changed = match &check.change {
            Change::First => stored.status.is_some() && stored.status != check.status,
            Change::Changed { .. } => true,
            Change::Same => false,
        };
        let stored_change = stored
            .changed_at
            .and_then(|at| OffsetDateTime::from_unix_timestamp(at).ok());
        let changed_at = match &check.change {
            _ if changed => Some(check.at),
            Change::First => self.last_change(&profile, &check.process_id).await.or(stored_change),
            _ => stored_change,
        };
        let updated = WatchedEntry {
            process_id: check.process_id.clone(),
            name: check.process_name.clone().or(stored.name.clone()),
            status: check.status.clone(),
            changed_at: changed_at.map(OffsetDateTime::unix_timestamp),
        };
        if updated != stored {
            let mut entries = lock(&set.entries);
            if let Some(entry) = entries.iter_mut().find(|e| e.process_id == check.process_id) {
                *entry = updated;
            }
            drop(entries);
            set.save(self.events.clone());
        }
        if changed && self.notify {
            notify(self.lang, &check, stored.status.as_deref(), notifying);
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
}

/// The app's news of a watch event; checks come through the status log instead.
fn news_of(event: WatchEvent, lang: crate::i18n::Lang) -> Option<WatchNews> {
    match event {
        WatchEvent::Checked(_) | WatchEvent::Round(_) => None,
        WatchEvent::Failed(failure) if failure.scope == Scope::Process => Some(WatchNews::Failed {
            process_id: failure.process_id,
            error: safe_line(&failure.error.localized(lang), 300),
            at: failure.at,
        }),
        WatchEvent::Failed(_) => None,
        WatchEvent::Paused { error, .. } => Some(WatchNews::Paused(safe_line(&error.localized(lang), 300))),
        WatchEvent::Resumed => Some(WatchNews::Resumed),
    }
}

/// Raises a desktop notification of `check`'s change from `previous`, on a
/// blocking thread, one at a time; where no notification service runs it
/// fails and is skipped.
fn notify(lang: crate::i18n::Lang, check: &Check, previous: Option<&str>, busy: &Arc<AtomicBool>) {
    if busy.swap(true, Ordering::AcqRel) {
        return;
    }
    let name = check.process_name.as_deref().unwrap_or(&check.process_id);
    let summary = format!("trackline: {}", safe_line(name, 80));
    let none = crate::tr!(lang, "notify-no-status");
    let body = format!(
        "{} → {}",
        safe_line(previous.unwrap_or(&none), 60),
        safe_line(check.status.as_deref().unwrap_or(&none), 60)
    );
    let busy = busy.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(error) = notify_rust::Notification::new().summary(&summary).body(&body).show() {
            tracing::info!(%error, "no desktop notification");
        }
        busy.store(false, Ordering::Release);
    });
}
