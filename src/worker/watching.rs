//! The worker's watch of the TUI's watched processes: one [`Watcher`] for
//! the whole set, processes added and removed while it runs, the set kept in
//! the profile's index ([`WatchedSet`]; the profile's own after a switch),
//! every status seen recorded there too (through the watcher's
//! [`StatusLog`]) before the app hears of it, and a desktop notification of
//! each change when the config asks for one.

use crate::engine::index::lock;
use crate::engine::watch::{Change, Check, Scope, StatusLog, WatchControl, WatchEvent, WatchOptions, Watcher};
use crate::engine::{IndexBook, SessionManager};
use crate::text::safe_line;
use crate::worker::{Event, WatchNews, WatchedEntry};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// The watched set of the profile in use, kept in its index. Every change is
/// written at once, on a blocking thread that holds an event sender until it
/// is done, so quitting (which waits for every sender) never loses the last change.
pub(super) struct WatchedSet {
    held: Mutex<Held>,
    book: IndexBook,
    /// Taken while writing: the last writer writes the newest set.
    writing: Mutex<()>,
    /// Whether the user has heard that a save failed.
    warned: AtomicBool,
    lang: crate::i18n::Lang,
}

/// The set and whose it is, changed together.
struct Held {
    entries: Vec<WatchedEntry>,
    profile: String,
    /// False when the index cannot be written: the set lasts for the session.
    kept: bool,
}

/// What the user hears when the watched set cannot be kept.
fn not_kept_notice(lang: crate::i18n::Lang, error: &crate::index::IndexError) -> Event {
    Event::Warning(crate::tr!(
        lang,
        "watch-not-kept",
        reason = safe_line(&error.localized(lang), 300)
    ))
}

impl WatchedSet {
    /// `profile`'s set from its index (importing `legacy` once), on a blocking
    /// thread; a notice on `events` when it cannot be kept.
    async fn load(
        book: &IndexBook,
        profile: String,
        legacy: PathBuf,
        events: &UnboundedSender<Event>,
        lang: crate::i18n::Lang,
    ) -> Held {
        let (reader, name) = (book.clone(), profile.clone());
        let loaded = tokio::task::spawn_blocking(move || reader.load_watched_blocking(&name, &legacy)).await;
        let (entries, kept) = match loaded {
            Ok(loaded) => {
                if let Some(error) = &loaded.not_kept {
                    let _ = events.send(not_kept_notice(lang, error));
                }
                (loaded.entries, loaded.not_kept.is_none())
            }
            Err(error) => {
                tracing::warn!(%error, "cannot load the watched processes");
                (Vec::new(), false)
            }
        };
        Held { entries, profile, kept }
    }

    /// The watched processes now.
    fn entries(&self) -> Vec<WatchedEntry> {
        lock(&self.held).entries.clone()
    }

    /// Adds `id`; whether it was not watched yet.
    pub(super) fn add(&self, id: &str) -> bool {
        let entries = &mut lock(&self.held).entries;
        if entries.iter().any(|e| e.process_id == id) {
            return false;
        }
        entries.push(WatchedEntry::new(id));
        true
    }

    /// Removes `id`; whether it was watched.
    pub(super) fn remove(&self, id: &str) -> bool {
        let entries = &mut lock(&self.held).entries;
        let before = entries.len();
        entries.retain(|e| e.process_id != id);
        entries.len() != before
    }

    /// Writes the set as it is then into its profile's index; `events` is
    /// held until it is written. The first failure is told to the user.
    pub(super) fn save(self: &Arc<Self>, events: UnboundedSender<Event>) {
        let set = self.clone();
        tokio::task::spawn_blocking(move || {
            let _writing = lock(&set.writing);
            let (profile, entries) = {
                let held = lock(&set.held);
                if !held.kept {
                    return;
                }
                (held.profile.clone(), held.entries.clone())
            };
            if let Err(error) = set.book.save_watched_blocking(&profile, &entries) {
                tracing::warn!(%error, profile, "cannot save the watched processes");
                if !set.warned.swap(true, Ordering::AcqRel) {
                    let _ = events.send(not_kept_notice(set.lang, &error));
                }
            }
            drop(events);
        });
    }
}

/// Works for `profile` from now on: its watched set replaces the one
/// watched, in the watcher and in the app ([`WatchNews::Replaced`]).
pub(super) async fn switch_to(
    set: &Arc<WatchedSet>,
    control: &WatchControl,
    profile: String,
    legacy: PathBuf,
    events: &UnboundedSender<Event>,
) {
    let held = WatchedSet::load(&set.book, profile, legacy, events, set.lang).await;
    let entries = held.entries.clone();
    let before = std::mem::replace(&mut *lock(&set.held), held).entries;
    for gone in before
        .iter()
        .filter(|b| !entries.iter().any(|e| e.process_id == b.process_id))
    {
        control.unwatch(gone.process_id.clone());
    }
    for new in entries
        .iter()
        .filter(|e| !before.iter().any(|b| b.process_id == e.process_id))
    {
        control.watch(new.process_id.clone());
    }
    let _ = events.send(Event::Watch(WatchNews::Replaced(entries)));
}

/// What the watch runs with.
pub(super) struct Watching {
    /// The worker's session: every check goes through it.
    pub(super) session: Arc<SessionManager>,
    /// Where each status seen and the watched set are recorded.
    pub(super) book: IndexBook,
    /// The `watched.json` of earlier versions, imported once.
    pub(super) legacy: PathBuf,
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
        let profile = self.session.profile().name;
        let held = WatchedSet::load(&self.book, profile, self.legacy.clone(), &self.events, self.lang).await;
        let set = Arc::new(WatchedSet {
            held: Mutex::new(held),
            book: self.book.clone(),
            writing: Mutex::new(()),
            warned: AtomicBool::new(false),
            lang: self.lang,
        });
        let entries = set.entries();
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
        let Some(stored) = lock(&set.held)
            .entries
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
            let mut held = lock(&set.held);
            if let Some(entry) = held.entries.iter_mut().find(|e| e.process_id == check.process_id) {
                *entry = updated;
            }
            drop(held);
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
            // Never seen changing: it has had this status at least since it was first seen.
            Ok(cached) => cached.map(|c| c.status_changed_at.unwrap_or(c.first_seen)),
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
