//! What a watch tells its front end: each check ([`Check`], and how it
//! [`Change`]d), each failure ([`Failure`] and whose it is, [`Scope`]), as
//! [`WatchEvent`]s; and [`StatusLog`], where every status seen can be recorded.

use crate::api::ApiError;
use std::time::Duration;
use time::OffsetDateTime;

/// What one successful check found, compared with the check before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The first status seen for this process.
    First,
    /// The status differs from the one seen before, which was `previous`.
    Changed {
        /// The status seen before (`None`: the process had none).
        previous: Option<String>,
    },
    /// The same status as before.
    Same,
}

/// One successful check of a watched process. Strings are as the server sent
/// them: make them safe ([`crate::text`]) before they reach a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The watched id, as given.
    pub process_id: String,
    /// The process's name, when the server sent one.
    pub process_name: Option<String>,
    /// Its status, when the server sent one.
    pub status: Option<String>,
    /// How it compares with the check before.
    pub change: Change,
    /// When the answer came.
    pub at: OffsetDateTime,
}

impl Check {
    /// Whether a front end shows it: the first status, or a change.
    pub fn is_news(&self) -> bool {
        self.change != Change::Same
    }

    /// The status before this check: `None` on the first one.
    pub fn previous(&self) -> Option<&str> {
        match &self.change {
            Change::First => None,
            Change::Changed { previous } => previous.as_deref(),
            Change::Same => self.status.as_deref(),
        }
    }
}

/// Whose failure a failed check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// This process's own (not found, an answer that cannot be read): the others go on.
    Process,
    /// The server's (unreachable, 5xx, rate limiting after the client's retries): every check waits.
    Server,
    /// The session's (refused, and no way to log in again): every check waits for a login.
    Session,
}

impl Scope {
    /// The scope of `error`.
    pub fn of(error: &ApiError) -> Scope {
        if error.needs_login() || matches!(error, ApiError::BadCredentials { .. }) {
            Scope::Session
        } else if error.is_retryable() {
            Scope::Server
        } else {
            Scope::Process
        }
    }
}

/// One failed check.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The watched id.
    pub process_id: String,
    /// What went wrong (already retried by the client where that may help).
    pub error: ApiError,
    /// Whose failure it is.
    pub scope: Scope,
    /// The same error as this process's previous check (a front end says it once).
    pub repeated: bool,
    /// When it failed.
    pub at: OffsetDateTime,
}

/// News from a running watch, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// A check answered (every check: [`Check::is_news`] says whether to show it).
    Checked(Check),
    /// A check failed.
    Failed(Failure),
    /// The server or the session failed: no check goes out until a probe in `retry_in` answers.
    Paused {
        /// Why.
        error: ApiError,
        /// When the first probe goes out.
        retry_in: Duration,
    },
    /// A check answered after [`WatchEvent::Paused`]: the rounds go on.
    Resumed,
    /// Every watched process has been checked this many times (a failure of its own counts).
    Round(u64),
}

/// Records every status a watch sees, e.g. into the local index. Called on
/// the watch's task for every successful check, before its event: it must
/// not block (hand slow work to `spawn_blocking` or a channel).
pub trait StatusLog: Send + Sync {
    /// `check` was just seen.
    fn status_seen(&self, check: &Check);
}
