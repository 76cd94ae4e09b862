//! The messages between the TUI and the worker that does its slow work.
//!
//! The TUI ([`crate::tui::app::App`]) never awaits the network or the disk: every slow
//! thing it wants done is a [`Command`], and every result comes back as an [`Event`]
//! that carries its data. Replies carry the id of the request they answer, so the
//! app can drop a reply to a request the user has moved past.

use crate::api::{ApiError, Document, Id, ProcessQuery};
use secrecy::SecretString;
use std::path::PathBuf;
use time::OffsetDateTime;

/// The id of one process lookup; a reply with an older id than the current one is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReqId(pub u64);

/// The id of one download attempt (a retry gets a new id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DownloadId(pub u64);

/// What a retry notice is about: a lookup or a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryTarget {
    /// A process lookup.
    Lookup(ReqId),
    /// A download.
    Download(DownloadId),
}

/// The process a download belongs to, enough to name its folder
/// (`<download dir>/<process_id> <process name>/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessRef {
    /// The process id.
    pub id: Id,
    /// The process name, when the server sent one.
    pub name: Option<String>,
}

pub use crate::store::{RecentEntry, WatchedEntry};

/// A valid stored session of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The signed-in email.
    pub email: String,
    /// When the session ends, if known.
    pub expires_at: Option<OffsetDateTime>,
}

/// Something slow the app wants done.
#[derive(Debug)]
pub enum Command {
    /// Log in and store the session; answered by [`Event::LoggedIn`] or [`Event::LoginFailed`].
    Login {
        /// The account's email.
        email: String,
        /// The account's password.
        password: SecretString,
        /// The server's base URL (including `/api`).
        base_url: String,
        /// Keep the password in memory (only) to renew the session once when it ends.
        remember_password: bool,
    },
    /// Forget the session and any password kept in memory; answered by [`Event::LoggedOut`].
    Logout,
    /// Log in again with the password kept in memory (the session is about to end);
    /// answered by [`Event::SessionRenewed`], or [`Event::SessionExpired`] when no
    /// password is kept or it no longer works.
    Renew,
    /// Work for another profile from now on (its server, download dir and session);
    /// answered by [`Event::ProfileSwitched`] or [`Event::ProfileSwitchFailed`].
    SwitchProfile(String),
    /// Look a process up; answered by [`Event::ProcessLoaded`] with the same `req`.
    FetchProcess {
        /// The request id the reply carries.
        req: ReqId,
        /// What to look up.
        query: ProcessQuery,
    },
    /// Stop a lookup; no reply is expected (a late one is dropped as stale).
    CancelRequest(ReqId),
    /// Download one document; answered by `DownloadStarted`, `Progress`, then one of
    /// `Downloaded`, `DownloadFailed` or `DownloadCancelled`.
    Download {
        /// The id every event about this transfer carries.
        id: DownloadId,
        /// The document to download (`doc_id` is the attachment id).
        doc: Document,
        /// The process it belongs to, for the folder name.
        process: ProcessRef,
        /// Save a new copy even when one saved before is still intact.
        force: bool,
    },
    /// Stop a download, keeping its `.part` file; answered by [`Event::DownloadCancelled`].
    CancelDownload(DownloadId),
    /// Stop every download asked for so far, keeping their `.part` files;
    /// answered by an [`Event::DownloadCancelled`] for each.
    CancelAllDownloads,
    /// Open a downloaded file with the configured opener.
    Open(PathBuf),
    /// Store the recent processes list (most recent first).
    SaveRecent(Vec<RecentEntry>),
    /// Watch a process (checked at once, then every `watch_interval`) and
    /// keep it in the watched set; answered by [`Event::Watch`]es.
    Watch(String),
    /// Stop watching a process and drop it from the watched set.
    Unwatch(String),
    /// Read one document for the preview pane: its saved copy `saved` when it
    /// still exists, else a copy fetched into the preview cache (never the
    /// download dir). A new preview cancels the one before; answered by
    /// [`Event::Previewed`] with the same `req` unless cancelled.
    Preview {
        /// The request id the reply carries.
        req: ReqId,
        /// The attachment.
        doc_id: String,
        /// A copy saved in this session, if any.
        saved: Option<PathBuf>,
        /// For a picture: how the terminal draws pictures, and the cells
        /// (columns, rows) it is drawn into.
        picture: Option<(ratatui_image::picker::Picker, (u16, u16))>,
        /// For a PDF: the cells (columns, rows) its first page is drawn
        /// into, with the same picker when it is not halfblocks; (0, 0): none.
        page: (u16, u16),
    },
    /// Read one entry of an archive for the preview pane (nested archives
    /// by the path of entries to it), bounded by the inspect limits, from
    /// the archive's saved or cached copy. A new preview cancels the one
    /// before; answered by [`Event::Previewed`] with the same `req` unless cancelled.
    PreviewEntry {
        /// The request id the reply carries.
        req: ReqId,
        /// The attachment the archive is.
        doc_id: String,
        /// The archive's copy on disk (what [`Previewed::path`] said).
        archive: PathBuf,
        /// The index of each entry on the way down: the first in `archive`,
        /// the next in that entry, and so on.
        entry: Vec<usize>,
        /// For a picture: how the terminal draws pictures, and the cells it is drawn into.
        picture: Option<(ratatui_image::picker::Picker, (u16, u16))>,
    },
    /// Stop the preview in flight, if it is `req`; no reply is expected.
    CancelPreview(ReqId),
    /// Search the local index for what the search box holds; answered by
    /// [`Event::IndexMatches`] with the same text (unless a newer search came first).
    SearchIndex(String),
    /// Read a process as the local index last saw it; answered by
    /// [`Event::CachedProcess`] and [`Event::SavedFiles`] for its documents.
    CachedProcess(String),
    /// Which of these attachments have an intact saved copy; answered by [`Event::SavedFiles`].
    SavedFiles(Vec<String>),
}

/// A result of a [`Command`], or news from the worker.
#[derive(Debug, Clone)]
pub enum Event {
    /// The login worked.
    LoggedIn {
        /// The signed-in email.
        email: String,
        /// The server logged in to.
        base_url: String,
        /// When the session ends, if the token says.
        expires_at: Option<OffsetDateTime>,
    },
    /// The login failed.
    LoginFailed(ApiError),
    /// The session was forgotten.
    LoggedOut,
    /// The session ended (expired or refused); the login dialog should return.
    SessionExpired,
    /// The session was renewed without the user, with the password kept in memory.
    SessionRenewed {
        /// When the new session ends, if the token says.
        expires_at: Option<OffsetDateTime>,
    },
    /// Something the user should know that is not an error of a request
    /// (the keyring was unavailable, say); already safe to show.
    Warning(String),
    /// The worker now works for another profile.
    ProfileSwitched {
        /// The profile.
        profile: String,
        /// Its server.
        base_url: String,
        /// Where the server came from when it is not the profile's own
        /// (`Settings::base_url_origin`).
        base_url_origin: Option<String>,
        /// The email its login starts with.
        email: Option<String>,
        /// Its stored session, if still valid for that server.
        session: Option<SignedIn>,
    },
    /// The profile could not be switched to (its config is wrong, say).
    ProfileSwitchFailed {
        /// The profile asked for.
        profile: String,
        /// Why, already safe to show.
        error: String,
    },
    /// The answer to [`Command::FetchProcess`].
    ProcessLoaded {
        /// The request this answers.
        req: ReqId,
        /// The processes found (several when a name matches more than one), or why not.
        result: Result<Vec<crate::api::Process>, ApiError>,
    },
    /// The `.part` file a download left before is read and hashed again, to resume it.
    DownloadVerifying {
        /// The download.
        id: DownloadId,
        /// The size of the `.part` file.
        bytes: u64,
    },
    /// The server answered a download and the file is being written.
    DownloadStarted {
        /// The download.
        id: DownloadId,
        /// Bytes already on disk: where a resumed download goes on from (0 for a new one).
        received: u64,
        /// The size, if the server said.
        total: Option<u64>,
    },
    /// Bytes arrived (coalesced by the worker to about 10 a second).
    Progress {
        /// The download.
        id: DownloadId,
        /// Bytes received so far.
        received: u64,
        /// The size, if known.
        total: Option<u64>,
    },
    /// The file is complete and renamed into place.
    Downloaded {
        /// The download.
        id: DownloadId,
        /// Where it was saved.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// Its SHA-256, hex.
        sha256: String,
    },
    /// The download failed.
    DownloadFailed {
        /// The download.
        id: DownloadId,
        /// What went wrong, already safe to show.
        error: String,
        /// Whether trying again may help.
        retryable: bool,
        /// Whether the session is gone: the app asks for a login and then retries.
        needs_login: bool,
    },
    /// A request failed in a way that may pass and will be tried again after `delay`.
    Retrying {
        /// The lookup or download concerned.
        target: RetryTarget,
        /// The attempt about to be made (2 for the first retry).
        attempt: usize,
        /// The most attempts that will be made.
        max_attempts: usize,
        /// The wait before it.
        delay: std::time::Duration,
    },
    /// The download was cancelled; its `.part` file stays for a resume.
    DownloadCancelled {
        /// The download.
        id: DownloadId,
    },
    /// The download was not made: the copy saved before is still intact there.
    AlreadySaved {
        /// The download.
        id: DownloadId,
        /// Where the copy is.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// Its SHA-256, hex.
        sha256: String,
    },
    /// The answer to [`Command::SearchIndex`]: the best matches, best first.
    IndexMatches {
        /// The text searched for.
        query: String,
        /// The matches, or why the text is no search (already safe to show).
        hits: Result<Vec<crate::index::Hit>, String>,
    },
    /// The answer to [`Command::CachedProcess`], also sent after each lookup
    /// of one process (for when its status last changed).
    CachedProcess {
        /// The process asked for.
        process_id: String,
        /// It as last seen, or `None` when the index never saw it.
        cached: Option<Box<crate::index::CachedProcess>>,
    },
    /// Which of a process's documents have an intact saved copy (sent after
    /// each lookup and cached read, and for [`Command::SavedFiles`]).
    SavedFiles {
        /// Each attachment id asked about: the path of its intact saved copy, or `None`.
        files: std::collections::HashMap<String, Option<PathBuf>>,
    },
    /// A file was handed to the opener.
    Opened(PathBuf),
    /// The opener failed.
    OpenFailed {
        /// The file.
        path: PathBuf,
        /// What went wrong, already safe to show.
        error: String,
    },
    /// The answer to [`Command::Preview`].
    Previewed {
        /// The request this answers.
        req: ReqId,
        /// The attachment.
        doc_id: String,
        /// The document read, or why not (already safe to show).
        result: Result<Previewed, String>,
    },
    /// News from the watch of the watched processes.
    Watch(WatchNews),
}

/// A document read for the preview pane.
#[derive(Debug, Clone)]
pub struct Previewed {
    /// Where the bytes were read from (the saved copy or the cache's).
    pub path: PathBuf,
    /// Its summary.
    pub report: std::sync::Arc<crate::inspect::Report>,
    /// A picture, decoded, turned upright and encoded for the terminal; for
    /// a PDF, its first page drawn.
    pub picture: Option<std::sync::Arc<Picture>>,
    /// Why a PDF's first page was not drawn, in the settings' language.
    pub page_error: Option<String>,
}

/// A picture ready to draw with the terminal's protocol.
#[derive(Clone)]
pub struct Picture {
    /// The encoded picture, for ratatui-image's `Image` widget.
    pub protocol: ratatui_image::protocol::Protocol,
    /// The cells (columns, rows) it was made for.
    pub cells: (u16, u16),
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("cells", &self.cells)
            .finish_non_exhaustive()
    }
}

/// What the watch of the watched processes tells the app. Strings from the
/// server are as it sent them (make them safe before they reach the screen);
/// errors are already safe.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchNews {
    /// The watched set as stored, at start, in the order it was watched.
    Loaded(Vec<WatchedEntry>),
    /// The watched set of the profile switched to, in the place of the one shown.
    Replaced(Vec<WatchedEntry>),
    /// A check of a watched process answered; it is in the index already.
    Checked {
        /// The process id.
        process_id: String,
        /// Its name, when the server sent one.
        name: Option<String>,
        /// Its status, when the server sent one.
        status: Option<String>,
        /// Whether the status differs from the one seen before (the one
        /// stored, for the first check after a start).
        changed: bool,
        /// When its status last changed, as far as trackline knows.
        changed_at: Option<OffsetDateTime>,
        /// When the answer came.
        at: OffsetDateTime,
    },
    /// A check of one process failed; it is checked again next round.
    Failed {
        /// The process id.
        process_id: String,
        /// What went wrong, already safe to show.
        error: String,
        /// When it failed.
        at: OffsetDateTime,
    },
    /// The server or the session fails: no check goes out until it answers again.
    Paused(String),
    /// The server answers again.
    Resumed,
}
pub mod index;
mod preview;
pub mod run;
mod watching;
