//! The TUI's state and its pure update function.
//!
//! [`App::update`] takes one [`Msg`] (a key, a paste, a resize, a tick or a worker
//! event, each carrying the time it needs) and returns the [`Command`]s for the
//! worker; what the event loop itself must do (suspend, quit, copy) is taken with
//! [`App::take_effects`]. It reads no clock and does no I/O, so every behaviour is testable
//! without a terminal.

use super::documents::DocumentsPane;
use super::downloads::{Downloads, Transfer};
use super::keymap::{Action, Key, Keymap};
use super::layout::{self, ListRows};
use super::list::{ListCursor, Move};
use super::theme::Theme;
use crate::api::{ApiError, Process, ProcessQuery};
use crate::text::safe_line;
use crate::worker::{Command, DownloadId, Event, ProcessRef, RecentEntry, ReqId, RetryTarget, SignedIn};
use crossterm::event::{Event as TermEvent, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use time::{OffsetDateTime, UtcOffset};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

/// How long before the session ends the top bar offers to log in again.
pub(crate) const EXPIRY_NOTICE: time::Duration = time::Duration::minutes(5);

/// The process details' lines before the additional data: status, name, id, created.
pub(crate) const FIXED_DETAILS: usize = 4;

/// How many recent processes are kept.
pub(crate) const MAX_RECENT: usize = 20;

/// The spinner's frames, one per tick.
pub(crate) const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Something that happened, for [`App::update`].
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text was pasted (bracketed paste).
    Paste(String),
    /// The terminal changed size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// Time passed while something animates (see [`App::is_animating`]).
    Tick {
        /// The wall-clock time now.
        now: OffsetDateTime,
    },
    /// The worker reported something.
    Event {
        /// What happened.
        event: Event,
        /// When it was received (rates and ETAs are computed from these).
        now: OffsetDateTime,
    },
}

/// What the event loop does to the terminal or the program itself (not work for the worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Ctrl-Z: restore the terminal, stop, re-enter on resume.
    Suspend,
    /// Leave the event loop (see `App::interrupted` for the exit code).
    Quit,
    /// Put this text on the clipboard (the terminal host writes OSC 52).
    Copy(String),
    /// Ring the terminal bell (a watched process changed).
    Bell,
}

/// A session the app starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The signed-in email.
    pub email: String,
    /// When the session ends, if known.
    pub expires_at: Option<OffsetDateTime>,
}

/// Everything [`App::new`] needs.
pub struct AppInit {
    /// The server's base URL (prefills the login dialog's Server field).
    pub base_url: String,
    /// Where the server came from when it is not the profile's own
    /// (`Settings::base_url_origin`), for the top bar.
    pub base_url_origin: Option<String>,
    /// The last email used (prefills the login dialog).
    pub email: Option<String>,
    /// A password to prefill (only `trackline demo` does this).
    pub password_prefill: Option<SecretString>,
    /// The stored session, if any; a valid one opens the app on the search box.
    pub session: Option<SessionInfo>,
    /// The recent processes, most recent first.
    pub recent: Vec<RecentEntry>,
    /// The keys.
    pub keymap: Keymap,
    /// The colours.
    pub theme: Theme,
    /// The time now.
    pub now: OffsetDateTime,
    /// The local UTC offset, for showing dates (read once by the runtime).
    pub local_offset: UtcOffset,
}

/// The panes that can have the focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    /// The search box (typing).
    Search,
    /// The recent processes under it.
    Recent,
    /// The watched processes, in the place of the recent ones.
    Watched,
    /// The process details (or the chooser when a name matches several).
    Process,
    /// The documents table.
    Documents,
    /// The downloads.
    Downloads,
}

const FOCUS_ORDER: [Focus; 6] = [
    Focus::Search,
    Focus::Recent,
    Focus::Watched,
    Focus::Process,
    Focus::Documents,
    Focus::Downloads,
];

/// How many ticks an information message stays without a key (the tick is
/// the runtime's animation tick, about a tenth of a second).
pub(crate) const NOTICE_TICKS: u32 = 50;

/// How many ticks an error message stays without a key.
pub(crate) const ERROR_NOTICE_TICKS: u32 = 100;

/// A message shown until the next key, or a few seconds of ticks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Notice {
    pub(crate) error: bool,
    pub(crate) text: String,
}
/// The whole state of the TUI.
pub struct App {
    /// The language of every word drawn.
    pub(crate) lang: crate::i18n::Lang,
    pub(crate) keymap: Keymap,
    pub(crate) theme: Theme,
    pub(crate) local_offset: UtcOffset,
    pub(crate) base_url: String,
    pub(crate) base_url_origin: Option<String>,
    pub(crate) login: LoginForm,
    pub(crate) focus: Focus,
    pub(crate) help: Option<ListCursor>,
    pub(crate) search: Input,
    /// The search box's text is selected: typing replaces it.
    pub(crate) search_selected: bool,
    pub(crate) search_error: Option<String>,
    pub(crate) recent: Vec<RecentEntry>,
    pub(crate) recent_cursor: ListCursor,
    /// The watched processes.
    pub(crate) watch: WatchList,
    pub(crate) lookup: Lookup,
    pub(crate) choices: Vec<Process>,
    pub(crate) choice_cursor: ListCursor,
    pub(crate) current: Option<Process>,
    pub(crate) details_scroll: ListCursor,
    /// The current process's additional data, as tree rows.
    pub(crate) details: Vec<super::details::DetailRow>,
    pub(crate) documents: DocumentsPane,
    pub(crate) documents_notice: Option<Notice>,
    /// The preview of the selected document (`p`).
    pub(crate) preview: PreviewPane,
    /// How the terminal draws pictures, when it was asked (see `tui::graphics`).
    pub(crate) picker: Option<ratatui_image::picker::Picker>,
    pub(crate) downloads: Downloads,
    pub(crate) downloads_notice: Option<Notice>,
    /// A question on the hint line that the next key answers.
    pub(crate) prompt: Option<Prompt>,
    /// A message on the hint line until the next key ("copied …").
    pub(crate) hint_notice: Option<Notice>,
    /// The download whose saved path `y` copied last: `y` again copies its SHA-256.
    copied_path: Option<DownloadId>,
    /// The download the "Trying … again" notice is about: it goes once the worker answers.
    retry_notice: Option<DownloadId>,
    pub(crate) spinner: usize,
    pub(crate) size: (u16, u16),
    /// Ticks since the messages shown appeared.
    notice_ticks: u32,
    next_req: u64,
    quit: bool,
    /// Whether the quit was Ctrl-C (an interrupt) rather than `q`.
    interrupted: bool,
    /// The effects asked for and not yet taken by the event loop.
    effects: Vec<Effect>,
    /// Profiles and the session's lifetime.
    pub(crate) sessions: SessionState,
    /// What the local index says: matches as you type, cached data, saved copies.
    pub(crate) index: matches::IndexState,
}

impl App {
    /// The same app speaking `lang` (English unless this is called, right after [`App::new`]).
    pub fn with_lang(mut self, lang: crate::i18n::Lang) -> App {
        self.lang = lang;
        self.keymap = self.keymap.named_in(lang);
        self
    }

    /// A new app: on the search box if `init.session` is still valid, else on the login dialog.
    pub fn new(init: AppInit) -> App {
        let session = init.session.filter(|s| s.expires_at.is_none_or(|at| at > init.now));
        let password = init.password_prefill.map(|p| {
            use secrecy::ExposeSecret;
            super::secret_field::SecretField::with_text(p.expose_secret())
        });
        let email = init
            .email
            .or_else(|| session.as_ref().map(|s| s.email.clone()))
            .unwrap_or_default();
        let field = if email.is_empty() {
            LoginField::Email
        } else {
            LoginField::Password
        };
        let login = LoginForm {
            state: if session.is_some() {
                LoginState::Hidden
            } else {
                LoginState::Editing { error: None }
            },
            email: Input::new(email),
            password: password.unwrap_or_default(),
            server: Input::new(init.base_url.clone()),
            field,
            keep_password: false,
            reason: None,
        };
        let phase = match session {
            Some(s) => Phase::signed_in(s.email, s.expires_at, false),
            None => Phase::SignedOut { then: None },
        };
        let mut recent = init.recent;
        recent.truncate(MAX_RECENT);
        App {
            lang: crate::i18n::Lang::En,
            keymap: init.keymap,
            theme: init.theme,
            local_offset: init.local_offset,
            base_url: init.base_url,
            base_url_origin: init.base_url_origin,
            login,
            focus: Focus::Search,
            help: None,
            search: Input::default(),
            search_selected: false,
            search_error: None,
            recent,
            recent_cursor: ListCursor::default(),
            watch: WatchList::default(),
            lookup: Lookup::Idle,
            choices: Vec::new(),
            choice_cursor: ListCursor::default(),
            current: None,
            details_scroll: ListCursor::default(),
            details: Vec::new(),
            documents: DocumentsPane::default(),
            documents_notice: None,
            preview: PreviewPane::default(),
            picker: None,
            downloads: Downloads::default(),
            downloads_notice: None,
            prompt: None,
            hint_notice: None,
            copied_path: None,
            retry_notice: None,
            spinner: 0,
            size: (0, 0),
            notice_ticks: 0,
            next_req: 1,
            quit: false,
            interrupted: false,
            effects: Vec::new(),
            sessions: SessionState {
                profile: crate::config::DEFAULT_PROFILE.to_string(),
                profiles: Vec::new(),
                chooser: None,
                phase,
                notice: None,
            },
            index: matches::IndexState::default(),
        }
    }

    /// The same app for `profile`, with `profiles` to switch between (`P`).
    pub fn with_profiles(mut self, profile: impl Into<String>, profiles: Vec<String>) -> App {
        self.sessions.profile = profile.into();
        self.sessions.profiles = profiles;
        self
    }

    /// The same app drawing pictures in the preview with `picker`.
    pub fn with_picker(mut self, picker: ratatui_image::picker::Picker) -> App {
        self.picker = Some(picker);
        self
    }

    /// When the app next needs to look at the clock without any input: five
    /// minutes before the session ends (to offer a new login), then at its end
    /// (to renew it or ask for a login). The runtime wakes up once at that
    /// time with a [`Msg::Tick`]; between deadlines no timer runs.
    pub fn next_deadline(&self) -> Option<OffsetDateTime> {
        self.session_deadline()
    }

    /// Whether the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The effects asked for since the last call, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Asks the event loop to quit.
    fn quit(&mut self) -> Vec<Command> {
        self.quit = true;
        self.effects.push(Effect::Quit);
        Vec::new()
    }

    /// Whether the user quit with the force-quit key (Ctrl-C): an interrupt,
    /// which exits with 130 like a headless command stopped by Ctrl-C.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// The retry notice of the lookup in flight, if it is being retried.
    pub(crate) fn lookup_retry(&self) -> Option<&str> {
        match &self.lookup {
            Lookup::Loading { retry, .. } => retry.as_deref(),
            _ => None,
        }
    }

    /// Whether something animates (a spinner, a running download), so the runtime
    /// should send [`Msg::Tick`]s; when false, no tick is needed.
    pub fn is_animating(&self) -> bool {
        self.login.in_flight()
            || matches!(self.lookup, Lookup::Loading { .. })
            || matches!(self.preview.state, PreviewState::Loading)
            || self.downloads.active()
            || self.notices().any(|n| n.is_some())
    }

    /// The transient messages (each slot, shown or not).
    fn notices(&self) -> impl Iterator<Item = &Option<Notice>> {
        [&self.sessions.notice, &self.documents_notice, &self.downloads_notice].into_iter()
    }

    /// Counts a tick against the messages shown; clears them once they have
    /// been up long enough (an error longer).
    fn age_notices(&mut self) {
        if self.notices().all(Option::is_none) {
            return;
        }
        self.notice_ticks += 1;
        let error = self.notices().flatten().any(|n| n.error);
        if self.notice_ticks >= if error { ERROR_NOTICE_TICKS } else { NOTICE_TICKS } {
            self.sessions.notice = None;
            self.documents_notice = None;
            self.downloads_notice = None;
        }
    }

    /// The pane with the focus.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The current spinner frame.
    pub(crate) fn spinner_frame(&self) -> &'static str {
        SPINNER[self.spinner % SPINNER.len()]
    }

    /// Handles one message and returns what the worker should do.
    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        let before: Vec<Option<Notice>> = self.notices().cloned().collect();
        let mut commands = self.handle(msg);
        commands.extend(self.search_as_you_type());
        if !self.notices().eq(before.iter()) {
            self.notice_ticks = 0;
        }
        if self.focus != Focus::Search {
            self.search_selected = false;
        }
        match self.focus {
            Focus::Watched => self.watch.shown = true,
            Focus::Recent => self.watch.shown = false,
            _ => {}
        }
        self.scroll_lists();
        commands.extend(self.follow_selection());
        commands
    }

    fn handle(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Paste(text) => {
                self.on_paste(&text);
                Vec::new()
            }
            Msg::Resize { width, height } => {
                self.size = (width, height);
                Vec::new()
            }
            Msg::Tick { now } => {
                self.spinner = self.spinner.wrapping_add(1);
                self.age_notices();
                self.check_expiry(now)
            }
            Msg::Event { event, now } => {
                let mut commands = self.on_event(event, now);
                commands.extend(self.check_expiry(now));
                commands
            }
        }
    }

    /// How many rows each list shows at the terminal's size, from the layout.
    pub(crate) fn list_rows(&self) -> ListRows {
        layout::list_rows(Rect::new(0, 0, self.size.0, self.size.1), self)
    }

    /// How many lines the process details have: the fixed ones (status, name,
    /// id, created) and the additional data's rows.
    pub(crate) fn detail_lines(&self) -> usize {
        self.current.as_ref().map_or(0, |_| FIXED_DETAILS + self.details.len())
    }

    /// Keeps every list's selection in view after a change of state or size.
    fn scroll_lists(&mut self) {
        let rows = self.list_rows();
        self.recent_cursor.scroll(self.recent.len(), rows.recent);
        self.watch.cursor.scroll(self.watch.rows.len(), rows.watched);
        self.index.cursor.scroll(self.index.matches.len(), rows.recent);
        self.choice_cursor.scroll(self.choices.len(), rows.choices);
        self.documents
            .cursor
            .scroll(self.documents.rows().len(), rows.documents);
        self.downloads
            .cursor
            .scroll(self.downloads.items().len(), rows.downloads);
        if let Some(help) = &mut self.help {
            help.scroll(Action::ALL.len(), rows.help);
        }
        if let Some(chooser) = &mut self.sessions.chooser {
            chooser.scroll(self.sessions.profiles.len(), rows.profiles);
        }
    }
}

fn file_name(path: &Path) -> String {
    safe_line(&path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(), 120)
}

/// The list move an action makes, if it is one.
fn list_move(action: Action) -> Option<Move> {
    match action {
        Action::Up => Some(Move::Up),
        Action::Down => Some(Move::Down),
        Action::PageUp => Some(Move::PageUp),
        Action::PageDown => Some(Move::PageDown),
        Action::Home => Some(Move::Home),
        Action::End => Some(Move::End),
        _ => None,
    }
}

/// Edits a text box with a key; true if its text changed.
fn edit(input: &mut Input, key: &KeyEvent) -> bool {
    to_input_request(&TermEvent::Key(*key))
        .and_then(|req| input.handle(req))
        .is_some_and(|changed| changed.value)
}

mod chooser;
mod copy;
mod entries;
mod events;
mod keys;
mod login;
mod matches;
mod preview;
mod prompt;
mod search;
mod transfers;
mod watch;

pub(crate) use login::{LoginField, LoginForm, LoginState, Phase, SessionEnd, SessionState};
pub(crate) use preview::{PreviewPane, PreviewState};
pub(crate) use prompt::Prompt;
pub(crate) use search::{LineKind, Lookup, query_in};
pub(crate) use watch::{WatchList, WatchRow};

#[cfg(test)]
mod test_msgs;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod session_tests;

#[cfg(test)]
mod bindings_tests;

#[cfg(test)]
mod entries_tests;
#[cfg(test)]
mod finish_tests;
#[cfg(test)]
mod index_tests;
#[cfg(test)]
mod preview_tests;
#[cfg(test)]
mod transfer_tests;
