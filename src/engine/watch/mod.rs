//! Watching processes: each watched process is looked up once at the start
//! and then once a round, and every check becomes a [`WatchEvent`], so both
//! front ends show the same thing: `trackline watch` prints the first status
//! and every change, the TUI's worker forwards the events to the app.
//!
//! - At most one request is in flight per process; the first checks go out
//!   a few at a time ([`WatchOptions::first_checks_at_once`]), the later ones
//!   spread evenly over the interval with jitter (see `schedule.rs`): 1,000
//!   processes every 60 s is an even 17 requests a second, not a burst.
//! - Each check is one lookup through the session: the client retries it as
//!   it retries every idempotent request (backoff, `Retry-After`, a renewal
//!   after a 401), quietly. A check that fails after that is either the
//!   process's own ([`Scope::Process`]: not found, an answer that cannot be
//!   read): reported, and the process is checked again next round; or the
//!   server's ([`Scope::Server`]: unreachable, 5xx, still rate limiting) or
//!   the session's ([`Scope::Session`]): then every check waits
//!   ([`WatchEvent::Paused`]), one probe goes out after a pause that doubles
//!   (and is never shorter than the server's `Retry-After`), and the first
//!   answer resumes the rounds where their slots fall, without a burst.
//! - Between checks it sleeps until the next one is due: no tick, no CPU.
//!   Memory holds one small entry per process.
//! - Processes can be watched and unwatched while it runs ([`WatchControl`]).
//! - Every status seen can be recorded (the local index) through a [`StatusLog`].

mod events;
mod schedule;

pub use events::{Change, Check, Failure, Scope, StatusLog, WatchEvent};

use super::lookup;
use super::session::SessionManager;
use crate::api::client::RetryHook;
use crate::api::{ApiError, ProcessQuery};
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::time::Instant;

/// How a watch runs.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchOptions {
    /// Time between two checks of the same process (a round).
    pub interval: Duration,
    /// How many first checks (of processes not seen yet) may be in flight at once.
    pub first_checks_at_once: usize,
    /// Seed of the jitter; `None` picks one at random.
    pub seed: Option<u64>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            interval: Duration::from_secs(60),
            first_checks_at_once: 4,
            seed: None,
        }
    }
}

enum Control {
    Watch(String),
    Unwatch(String),
}

/// Changes the set of watched processes of a running [`Watcher`]. Dropping
/// every control leaves the set as it is.
#[derive(Debug, Clone)]
pub struct WatchControl {
    commands: UnboundedSender<Control>,
}

impl WatchControl {
    /// Starts watching `process_id` (its first check goes out at once); no
    /// change if it is watched already.
    pub fn watch(&self, process_id: impl Into<String>) {
        let _ = self.commands.send(Control::Watch(process_id.into()));
    }

    /// Stops watching `process_id`; a check in flight is forgotten.
    pub fn unwatch(&self, process_id: impl Into<String>) {
        let _ = self.commands.send(Control::Unwatch(process_id.into()));
    }
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Control::Watch(id) => write!(f, "Watch({id})"),
            Control::Unwatch(id) => write!(f, "Unwatch({id})"),
        }
    }
}

struct Entry {
    /// The first of its slots; the others follow every interval.
    first_slot: Instant,
    /// The slot its last check was scheduled for: the next one comes after it.
    last_slot: Option<Instant>,
    /// The status seen last (`None` inside: the process has none); `None`: never seen.
    seen: Option<Option<String>>,
    /// The error of the previous check, when it failed.
    last_error: Option<ApiError>,
    /// Checks done: answers and failures of its own.
    checks: u64,
    /// When its next check is due, unless it is in flight or waiting for its first.
    due: Option<Instant>,
    /// Which schedule is current: a heap item or an answer with another ticket is stale.
    ticket: u64,
}

struct Outcome {
    id: String,
    ticket: u64,
    first: bool,
    result: Result<(Option<String>, Option<String>), ApiError>,
}

struct Pause {
    until: Instant,
    failures: u32,
    /// The one check in flight to see whether the server answers again.
    probe: Option<(String, u64)>,
}

/// Watches a set of processes through one session; see the module's documentation.
pub struct Watcher {
    session: Arc<SessionManager>,
    options: WatchOptions,
    commands: Option<UnboundedReceiver<Control>>,
    log: Option<Arc<dyn StatusLog>>,
    rng: fastrand::Rng,
    entries: HashMap<String, Entry>,
    due: BinaryHeap<Reverse<(Instant, u64, String)>>,
    unseen: VecDeque<(String, u64)>,
    first_in_flight: usize,
    in_flight: FuturesUnordered<BoxFuture<'static, Outcome>>,
    next_ticket: u64,
    pause: Option<Pause>,
    rounds: u64,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("options", &self.options)
            .field("watched", &self.entries.len())
            .field("in_flight", &self.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// A watcher of `process_ids` (each once, in order) through `session`,
    /// and the control to change the set while it runs.
    pub fn new(
        session: Arc<SessionManager>,
        process_ids: impl IntoIterator<Item = String>,
        options: WatchOptions,
    ) -> (Watcher, WatchControl) {
        let (commands, receiver) = unbounded_channel();
        let rng = match options.seed {
            Some(seed) => fastrand::Rng::with_seed(seed),
            None => fastrand::Rng::new(),
        };
        let mut watcher = Watcher {
            session,
            options,
            commands: Some(receiver),
            log: None,
            rng,
            entries: HashMap::new(),
            due: BinaryHeap::new(),
            unseen: VecDeque::new(),
            first_in_flight: 0,
            in_flight: FuturesUnordered::new(),
            next_ticket: 0,
            pause: None,
            rounds: 0,
        };
        let mut ids: Vec<String> = Vec::new();
        for id in process_ids {
            let id = id.trim().to_string();
            if !id.is_empty() && !ids.contains(&id) {
                ids.push(id);
            }
        }
        let start = Instant::now();
        let interval = watcher.interval();
        for (index, id) in ids.iter().enumerate() {
            watcher.add(id.clone(), schedule::first_slot(start, index, ids.len(), interval));
        }
        (watcher, WatchControl { commands })
    }

    /// The same, recording every status seen in `log`.
    pub fn with_status_log(mut self, log: Arc<dyn StatusLog>) -> Self {
        self.log = Some(log);
        self
    }

    /// How many processes are watched.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no process is watched.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn interval(&self) -> Duration {
        self.options
            .interval
            .clamp(schedule::MIN_INTERVAL, schedule::MAX_INTERVAL)
    }

    fn ticket(&mut self) -> u64 {
        self.next_ticket += 1;
        self.next_ticket
    }

    fn add(&mut self, id: String, first_slot: Instant) {
        if self.entries.contains_key(&id) {
            return;
        }
        let ticket = self.ticket();
        self.unseen.push_back((id.clone(), ticket));
        self.entries.insert(
            id,
            Entry {
                first_slot,
                last_slot: None,
                seen: None,
                last_error: None,
                checks: 0,
                due: None,
                ticket,
            },
        );
    }

    /// Runs until `on_event` breaks, or until nothing is watched and every
    /// [`WatchControl`] is gone. Dropping the future stops it at once
    /// (requests in flight are dropped).
    pub async fn run(mut self, mut on_event: impl FnMut(WatchEvent) -> ControlFlow<()>) {
        loop {
            self.start_due(Instant::now());
            if self.entries.is_empty() && self.in_flight.is_empty() && self.commands.is_none() {
                return;
            }
            let wake = self.next_wake();
            let woke = tokio::select! {
                Some(outcome) = self.in_flight.next(), if !self.in_flight.is_empty() => Woke::Answer(outcome),
                () = tokio::time::sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => Woke::Due,
                command = recv(&mut self.commands), if self.commands.is_some() => Woke::Command(command),
                else => {
                    // Nothing is due, in flight or able to arrive: look again after a round.
                    tokio::time::sleep(self.interval()).await;
                    Woke::Due
                }
            };
            let events = match woke {
                Woke::Answer(outcome) => self.finish(outcome),
                Woke::Command(command) => {
                    self.apply(command);
                    Vec::new()
                }
                Woke::Due => Vec::new(),
            };
            for event in events {
                if on_event(event).is_break() {
                    return;
                }
            }
        }
    }

    fn apply(&mut self, command: Option<Control>) {
        match command {
            Some(Control::Watch(id)) => {
                let id = id.trim().to_string();
                if !id.is_empty() {
                    let first_slot = Instant::now() + self.interval();
                    self.add(id, first_slot);
                }
            }
            Some(Control::Unwatch(id)) => {
                self.entries.remove(id.trim());
                self.compact();
            }
            None => self.commands = None,
        }
    }

    /// Starts every check that is due at `now` (while paused: one probe, once the pause is over).
    fn start_due(&mut self, now: Instant) {
        if let Some(pause) = &self.pause {
            if pause.probe.is_some() || now < pause.until {
                return;
            }
            let probe = self.pop_unseen().or_else(|| self.pop_due(now));
            if let Some((id, ticket, first)) = probe {
                if let Some(pause) = &mut self.pause {
                    pause.probe = Some((id.clone(), ticket));
                }
                self.start(id, ticket, first);
            }
            return;
        }
        while self.first_in_flight < self.options.first_checks_at_once.max(1) {
            match self.pop_unseen() {
                Some((id, ticket, first)) => self.start(id, ticket, first),
                None => break,
            }
        }
        while let Some((id, ticket, first)) = self.pop_due(now) {
            self.start(id, ticket, first);
        }
    }

    fn pop_unseen(&mut self) -> Option<(String, u64, bool)> {
        while let Some((id, ticket)) = self.unseen.pop_front() {
            if self.entries.get(&id).is_some_and(|e| e.ticket == ticket) {
                return Some((id, ticket, true));
            }
        }
        None
    }

    fn pop_due(&mut self, now: Instant) -> Option<(String, u64, bool)> {
        while let Some(Reverse((at, ticket, _))) = self.due.peek() {
            if *at > now {
                return None;
            }
            let (at, ticket) = (*at, *ticket);
            let Reverse((_, _, id)) = self.due.pop()?;
            if let Some(entry) = self.entries.get_mut(&id)
                && entry.ticket == ticket
                && entry.due == Some(at)
            {
                entry.due = None;
                return Some((id, ticket, false));
            }
        }
        None
    }

    fn start(&mut self, id: String, ticket: u64, first: bool) {
        if first {
            self.first_in_flight += 1;
        }
        let session = self.session.clone();
        self.in_flight.push(Box::pin(async move {
            let result = check(&session, &id).await;
            Outcome {
                id,
                ticket,
                first,
                result,
            }
        }));
    }

    /// When the loop must wake up by itself: the next due check, or the end of a pause.
    fn next_wake(&self) -> Option<Instant> {
        let next_due = self.due.peek().map(|Reverse((at, _, _))| *at);
        match &self.pause {
            Some(pause) if pause.probe.is_some() => None,
            Some(pause) => {
                let unseen_waiting = !self.unseen.is_empty();
                match (unseen_waiting, next_due) {
                    (true, _) => Some(pause.until),
                    (false, Some(due)) => Some(due.max(pause.until)),
                    (false, None) => None,
                }
            }
            None => next_due,
        }
    }

    fn schedule(&mut self, id: &str, at: Instant) {
        let ticket = self.ticket();
        if let Some(entry) = self.entries.get_mut(id) {
            entry.ticket = ticket;
            entry.due = Some(at);
            self.due.push(Reverse((at, ticket, id.to_string())));
        }
    }

    fn schedule_next(&mut self, id: &str, now: Instant) {
        let (interval, width) = (
            self.interval(),
            schedule::jitter_width(self.interval(), self.entries.len()),
        );
        let jitter = self.rng.f64();
        let Some(entry) = self.entries.get_mut(id) else {
            return;
        };
        let after = entry.last_slot.map_or(now, |slot| slot.max(now));
        let slot = schedule::next_slot(entry.first_slot, interval, after);
        entry.last_slot = Some(slot);
        self.schedule(id, schedule::jittered(slot, width, jitter));
    }

    fn finish(&mut self, outcome: Outcome) -> Vec<WatchEvent> {
        if outcome.first {
            self.first_in_flight = self.first_in_flight.saturating_sub(1);
        }
        let was_probe = self
            .pause
            .as_ref()
            .and_then(|p| p.probe.as_ref())
            .is_some_and(|(id, ticket)| *id == outcome.id && *ticket == outcome.ticket);
        let current = self
            .entries
            .get(&outcome.id)
            .is_some_and(|e| e.ticket == outcome.ticket);
        let now = Instant::now();
        let at = OffsetDateTime::now_utc();
        let mut events = Vec::new();
        match outcome.result {
            Ok((name, status)) => {
                if self.pause.take().is_some() {
                    events.push(WatchEvent::Resumed);
                    self.resume(now);
                }
                if current && let Some(check) = self.answered(&outcome.id, name, status, at) {
                    if let Some(log) = &self.log {
                        log.status_seen(&check);
                    }
                    events.push(WatchEvent::Checked(check));
                    self.schedule_next(&outcome.id, now);
                }
            }
            Err(error) => {
                let scope = Scope::of(&error);
                if let Some(entry) = self.entries.get_mut(&outcome.id).filter(|_| current) {
                    let repeated = entry.last_error.as_ref() == Some(&error);
                    entry.last_error = Some(error.clone());
                    events.push(WatchEvent::Failed(Failure {
                        process_id: outcome.id.clone(),
                        error: error.clone(),
                        scope,
                        repeated,
                        at,
                    }));
                    if scope == Scope::Process {
                        entry.checks += 1;
                        self.schedule_next(&outcome.id, now);
                    } else if outcome.first {
                        self.unseen.push_front((outcome.id.clone(), outcome.ticket));
                    } else {
                        self.schedule(&outcome.id, now);
                    }
                }
                if scope != Scope::Process {
                    events.extend(self.paused(&error, now, was_probe));
                }
            }
        }
        if was_probe && let Some(pause) = &mut self.pause {
            pause.probe = None;
        }
        events.extend(self.round_done());
        events
    }

    /// Records an answer; the check it makes.
    fn answered(
        &mut self,
        id: &str,
        name: Option<String>,
        status: Option<String>,
        at: OffsetDateTime,
    ) -> Option<Check> {
        let entry = self.entries.get_mut(id)?;
        entry.checks += 1;
        entry.last_error = None;
        let change = match entry.seen.replace(status.clone()) {
            None => Change::First,
            Some(previous) if previous == status => Change::Same,
            Some(previous) => Change::Changed { previous },
        };
        Some(Check {
            process_id: id.to_string(),
            process_name: name,
            status,
            change,
            at,
        })
    }

    /// A failure of the server or the session: pause (or pause longer, after a failed probe).
    fn paused(&mut self, error: &ApiError, now: Instant, was_probe: bool) -> Option<WatchEvent> {
        let policy = self.session.factory().retry_policy().clone();
        let max = policy.max_delay.min(self.interval()).max(policy.min_delay);
        match &mut self.pause {
            Some(pause) if was_probe => {
                pause.failures = pause.failures.saturating_add(1);
                let wait = schedule::pause(pause.failures, policy.min_delay, max, error.retry_after());
                pause.until = now + wait;
                tracing::info!(%error, ?wait, "watch: the probe failed; waiting longer");
                None
            }
            Some(_) => None,
            None => {
                let wait = schedule::pause(0, policy.min_delay, max, error.retry_after());
                tracing::warn!(%error, ?wait, "watch: pausing every check");
                self.pause = Some(Pause {
                    until: now + wait,
                    failures: 0,
                    probe: None,
                });
                Some(WatchEvent::Paused {
                    error: error.clone(),
                    retry_in: wait,
                })
            }
        }
    }

    /// After a pause: every check that fell due meanwhile moves to its next slot.
    fn resume(&mut self, now: Instant) {
        let overdue: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| e.due.is_some_and(|due| due <= now))
            .map(|(id, _)| id.clone())
            .collect();
        for id in overdue {
            self.schedule_next(&id, now);
        }
        self.compact();
    }

    /// Drops stale heap items once they outnumber the live ones, so memory stays flat.
    fn compact(&mut self) {
        if self.due.len() <= 2 * self.entries.len() + 16 {
            return;
        }
        let entries = &self.entries;
        self.due.retain(|Reverse((at, ticket, id))| {
            entries
                .get(id)
                .is_some_and(|e| e.ticket == *ticket && e.due == Some(*at))
        });
    }

    fn round_done(&mut self) -> Option<WatchEvent> {
        let done = self.entries.values().map(|e| e.checks).min()?;
        (done > self.rounds).then(|| {
            self.rounds = done;
            WatchEvent::Round(done)
        })
    }
}

enum Woke {
    Answer(Outcome),
    Command(Option<Control>),
    Due,
}

async fn recv(commands: &mut Option<UnboundedReceiver<Control>>) -> Option<Control> {
    match commands {
        Some(commands) => commands.recv().await,
        None => std::future::pending().await,
    }
}

/// One check: the process's name and status, retried as the client retries
/// lookups, without telling anyone about each retry (the log has them).
async fn check(session: &SessionManager, id: &str) -> Result<(Option<String>, Option<String>), ApiError> {
    let quiet: RetryHook = Arc::new(|_| {});
    let processes = lookup::process(session, &ProcessQuery::Id(id.to_string()), Some(quiet)).await?;
    let process = processes
        .iter()
        .find(|p| p.process_id.as_str() == id)
        .or_else(|| processes.first())
        .ok_or_else(|| ApiError::NotFound {
            what: format!("process {id}"),
            message: None,
        })?;
    Ok((process.name.clone(), process.status.clone()))
}
