//! The TUI's state and its pure update function.
//!
//! [`App::update`] takes one [`Msg`] (a key, a paste, a resize, a tick or a worker
//! event, each carrying the time it needs) and returns the [`Command`]s for the
//! worker. It reads no clock and does no I/O, so every behaviour is testable
//! without a terminal.

use super::documents::DocumentsPane;
use super::downloads::{Downloads, Enqueued, TransferState};
use super::keymap::{Action, Key, Keymap};
use super::list::{ListCursor, Move};
use super::theme::Theme;
use crate::api::{ApiError, Process, ProcessQuery};
use crate::text::safe_line;
use crate::worker::{Command, Event, ProcessRef, RecentEntry, ReqId, RetryTarget, SignedIn};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind};
use secrecy::SecretString;
use std::path::Path;
use time::{OffsetDateTime, UtcOffset};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

/// How long before the session ends the top bar offers to log in again.
pub const EXPIRY_NOTICE: time::Duration = time::Duration::minutes(5);

/// How many recent processes are kept.
pub const MAX_RECENT: usize = 20;

/// The spinner's frames, one per tick.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Ctrl-Z: restore the terminal, stop, re-enter on resume.
    Suspend,
    /// Leave the event loop (see [`App::interrupted`] for the exit code).
    Quit,
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
    /// How many downloads run at once.
    pub concurrency: usize,
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
    /// The process details (or the chooser when a name matches several).
    Process,
    /// The documents table.
    Documents,
    /// The downloads.
    Downloads,
}

const FOCUS_ORDER: [Focus; 5] = [
    Focus::Search,
    Focus::Recent,
    Focus::Process,
    Focus::Documents,
    Focus::Downloads,
];

/// A field of the login dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginField {
    /// The email.
    Email,
    /// The password (masked).
    Password,
    /// The server's base URL.
    Server,
    /// The "keep password in memory" checkbox (Space toggles it).
    KeepPassword,
}

/// The login dialog.
pub(crate) struct LoginForm {
    pub(crate) visible: bool,
    pub(crate) email: Input,
    pub(crate) password: Input,
    pub(crate) server: Input,
    pub(crate) field: LoginField,
    /// Keep the password in memory to renew the session silently once (off by default).
    pub(crate) keep_password: bool,
    pub(crate) in_flight: bool,
    pub(crate) error: Option<String>,
    /// Why the dialog is back (a session that ended), shown above the fields.
    pub(crate) reason: Option<String>,
}

impl LoginForm {
    fn input_mut(&mut self) -> Option<&mut Input> {
        match self.field {
            LoginField::Email => Some(&mut self.email),
            LoginField::Password => Some(&mut self.password),
            LoginField::Server => Some(&mut self.server),
            LoginField::KeepPassword => None,
        }
    }

    fn cycle(&mut self, forward: bool) {
        const ORDER: [LoginField; 4] = [
            LoginField::Email,
            LoginField::Password,
            LoginField::KeepPassword,
            LoginField::Server,
        ];
        let i = ORDER.iter().position(|f| *f == self.field).unwrap_or(0);
        let next = if forward { i + 1 } else { i + ORDER.len() - 1 };
        self.field = ORDER[next % ORDER.len()];
    }
}

/// Where the process lookup is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lookup {
    /// Nothing asked (or the last answer is shown).
    Idle,
    /// A lookup is in flight.
    Loading {
        req: ReqId,
        query: ProcessQuery,
        /// The focus when it was asked; if it has not moved, the answer takes it.
        from: Focus,
    },
    /// The last lookup failed.
    Failed {
        query: ProcessQuery,
        message: String,
        hint: String,
    },
}

/// A message shown in a pane until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Notice {
    pub(crate) error: bool,
    pub(crate) text: String,
}

/// The profiles and the session's lifetime, as the app sees them.
#[derive(Debug, Default)]
pub(crate) struct SessionState {
    /// The active profile.
    pub(crate) profile: String,
    /// Every profile there is, for the chooser.
    pub(crate) profiles: Vec<String>,
    /// The profile chooser overlay and its cursor, when open.
    pub(crate) chooser: Option<ListCursor>,
    /// The profile being switched to.
    pub(crate) switching: Option<String>,
    /// The session was logged in with the password kept in memory, so the worker can renew it.
    pub(crate) renewable: bool,
    /// The session ends within [`EXPIRY_NOTICE`]: the top bar offers to log in again.
    pub(crate) ending: bool,
    /// The session's end has been dealt with (renewed, or the dialog shown).
    pub(crate) ended: bool,
    /// A message in the top bar until the next key (a warning, a renewal).
    pub(crate) notice: Option<Notice>,
}

/// The whole state of the TUI.
pub struct App {
    pub(crate) keymap: Keymap,
    pub(crate) theme: Theme,
    pub(crate) local_offset: UtcOffset,
    pub(crate) base_url: String,
    pub(crate) session: Option<SessionInfo>,
    pub(crate) login: LoginForm,
    pub(crate) focus: Focus,
    pub(crate) help: Option<ListCursor>,
    pub(crate) search: Input,
    pub(crate) search_error: Option<String>,
    pub(crate) recent: Vec<RecentEntry>,
    pub(crate) recent_cursor: ListCursor,
    pub(crate) lookup: Lookup,
    pub(crate) choices: Vec<Process>,
    pub(crate) choice_cursor: ListCursor,
    pub(crate) current: Option<Process>,
    pub(crate) details_scroll: ListCursor,
    pub(crate) documents: DocumentsPane,
    pub(crate) documents_notice: Option<Notice>,
    pub(crate) downloads: Downloads,
    pub(crate) downloads_notice: Option<Notice>,
    pub(crate) spinner: usize,
    pub(crate) size: (u16, u16),
    next_req: u64,
    /// Lookups to run again once the user has logged in.
    pending_after_login: Vec<ProcessQuery>,
    /// The retry notice of the lookup in flight, e.g. "retrying in 3 s (attempt 2 of 5)".
    pub(crate) lookup_retry: Option<(ReqId, String)>,
    quit: bool,
    /// Whether the quit was Ctrl-C (an interrupt) rather than `q`.
    interrupted: bool,
    /// What the event loop should do, oldest first (see [`App::take_effects`]).
    effects: Vec<Effect>,
    /// Profiles and the session's lifetime.
    pub(crate) sessions: SessionState,
}

impl App {
    /// A new app: on the search box if `init.session` is still valid, else on the login dialog.
    pub fn new(init: AppInit) -> App {
        let session = init.session.filter(|s| s.expires_at.is_none_or(|at| at > init.now));
        let password = init.password_prefill.map(|p| {
            use secrecy::ExposeSecret;
            Input::new(p.expose_secret().to_string())
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
            visible: session.is_none(),
            email: Input::new(email),
            password: password.unwrap_or_default(),
            server: Input::new(init.base_url.clone()),
            field,
            keep_password: false,
            in_flight: false,
            error: None,
            reason: None,
        };
        let mut recent = init.recent;
        recent.truncate(MAX_RECENT);
        App {
            keymap: init.keymap,
            theme: init.theme,
            local_offset: init.local_offset,
            base_url: init.base_url,
            session,
            login,
            focus: Focus::Search,
            help: None,
            search: Input::default(),
            search_error: None,
            recent,
            recent_cursor: ListCursor::default(),
            lookup: Lookup::Idle,
            choices: Vec::new(),
            choice_cursor: ListCursor::default(),
            current: None,
            details_scroll: ListCursor::default(),
            documents: DocumentsPane::default(),
            documents_notice: None,
            downloads: Downloads::new(init.concurrency),
            downloads_notice: None,
            spinner: 0,
            size: (0, 0),
            next_req: 1,
            pending_after_login: Vec::new(),
            lookup_retry: None,
            quit: false,
            interrupted: false,
            effects: Vec::new(),
            sessions: SessionState {
                profile: crate::config::DEFAULT_PROFILE.to_string(),
                ..SessionState::default()
            },
        }
    }

    /// The same app for `profile`, with `profiles` to switch between (`P`).
    pub fn with_profiles(mut self, profile: impl Into<String>, profiles: Vec<String>) -> App {
        self.sessions.profile = profile.into();
        self.sessions.profiles = profiles;
        self
    }

    /// The active profile.
    pub fn profile(&self) -> &str {
        &self.sessions.profile
    }

    /// Whether the profile chooser is showing.
    pub fn profile_chooser_visible(&self) -> bool {
        self.sessions.chooser.is_some()
    }

    /// When the app next needs to look at the clock without any input: five
    /// minutes before the session ends (to offer a new login), then at its end
    /// (to renew it or ask for a login). The runtime wakes up once at that
    /// time with a [`Msg::Tick`]; between deadlines no timer runs.
    pub fn next_deadline(&self) -> Option<OffsetDateTime> {
        let at = self.session.as_ref()?.expires_at?;
        if !self.sessions.ending {
            Some(at - EXPIRY_NOTICE)
        } else if !self.sessions.ended {
            Some(at)
        } else {
            None
        }
    }

    /// Whether the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The effects asked for since the last call, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Whether the user quit with the force-quit key (Ctrl-C): an interrupt,
    /// which exits with 130 like a headless command stopped by Ctrl-C.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// The retry notice of the lookup in flight, if it is being retried.
    pub fn lookup_retry(&self) -> Option<&str> {
        match (&self.lookup, &self.lookup_retry) {
            (Lookup::Loading { req, .. }, Some((retried, text))) if req == retried => Some(text),
            _ => None,
        }
    }

    /// Whether something animates (a spinner, a running download), so the runtime
    /// should send [`Msg::Tick`]s; when false, no tick is needed.
    pub fn is_animating(&self) -> bool {
        self.login.in_flight || matches!(self.lookup, Lookup::Loading { .. }) || self.downloads.active()
    }

    /// The pane with the focus.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Whether the login dialog is showing.
    pub fn login_visible(&self) -> bool {
        self.login.visible
    }

    /// Whether the help overlay is showing.
    pub fn help_visible(&self) -> bool {
        self.help.is_some()
    }

    /// Whether keys go into a text box (so `q` types a q).
    pub fn is_typing(&self) -> bool {
        self.login.visible
            || self.focus == Focus::Search
            || (self.focus == Focus::Documents && self.documents.filtering)
    }

    /// The recent processes, most recent first.
    pub fn recent(&self) -> &[RecentEntry] {
        &self.recent
    }

    /// The process shown, if any.
    pub fn current_process(&self) -> Option<&Process> {
        self.current.as_ref()
    }

    /// The current spinner frame.
    pub(crate) fn spinner_frame(&self) -> &'static str {
        SPINNER[self.spinner % SPINNER.len()]
    }

    /// Handles one message and returns what the worker should do.
    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
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
                self.check_expiry(now)
            }
            Msg::Event { event, now } => {
                let mut commands = self.on_event(event, now);
                commands.extend(self.check_expiry(now));
                commands
            }
        }
    }

    /// Asks the event loop for `effect`; nothing for the worker.
    fn effect(&mut self, effect: Effect) -> Vec<Command> {
        self.effects.push(effect);
        Vec::new()
    }

    // ----- keys -------------------------------------------------------------

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let actions = self.keymap.actions(&key);
        if actions.contains(&Action::ForceQuit) {
            self.quit = true;
            self.interrupted = true;
            return self.effect(Effect::Quit);
        }
        if actions.contains(&Action::Suspend) {
            return self.effect(Effect::Suspend);
        }
        self.documents_notice = None;
        self.downloads_notice = None;
        self.sessions.notice = None;
        if self.login.visible {
            return self.login_key(key, &actions);
        }
        if self.sessions.chooser.is_some() {
            return self.chooser_key(&actions);
        }
        if let Some(help) = &mut self.help {
            if actions.contains(&Action::Help) || actions.contains(&Action::Cancel) {
                self.help = None;
            } else if actions.contains(&Action::Quit) {
                self.quit = true;
                return self.effect(Effect::Quit);
            } else if let Some(mv) = list_move(&actions) {
                help.apply(mv, Action::ALL.len());
            }
            return Vec::new();
        }
        if self.is_typing() {
            return self.text_key(key, &actions);
        }
        for action in &actions {
            let handled = match action {
                Action::Quit => {
                    self.quit = true;
                    return self.effect(Effect::Quit);
                }
                Action::Help => {
                    self.help = Some(ListCursor::default());
                    return Vec::new();
                }
                Action::FocusSearch => {
                    self.focus = Focus::Search;
                    return Vec::new();
                }
                Action::NextPane | Action::PrevPane => {
                    self.cycle_focus(*action == Action::NextPane);
                    return Vec::new();
                }
                Action::Logout if self.sessions.ending && self.session.is_some() => {
                    self.ask_relogin();
                    return Vec::new();
                }
                Action::Logout => return self.logout(),
                Action::SwitchProfile => {
                    self.open_chooser();
                    return Vec::new();
                }
                Action::Cancel => return self.cancel_lookup().unwrap_or_default(),
                _ => self.pane_action(*action),
            };
            if let Some(commands) = handled {
                return commands;
            }
        }
        Vec::new()
    }

    /// A pane-specific action; `None` if it does nothing in the focused pane.
    fn pane_action(&mut self, action: Action) -> Option<Vec<Command>> {
        if let Some(mv) = list_move(&[action]) {
            self.move_in_pane(mv);
            return Some(Vec::new());
        }
        match (self.focus, action) {
            (Focus::Recent, Action::Submit) => {
                let entry = self.recent.get(self.recent_cursor.selected())?;
                let query = ProcessQuery::Id(entry.process_id.clone());
                Some(self.fetch(query))
            }
            (Focus::Process, Action::Submit) if !self.choices.is_empty() => {
                let i = self.choice_cursor.selected();
                if i >= self.choices.len() {
                    return Some(Vec::new());
                }
                let process = self.choices.swap_remove(i);
                self.choices.clear();
                let commands = self.show_process(process);
                self.focus = Focus::Documents;
                Some(commands)
            }
            (Focus::Process, Action::Retry) => Some(self.reload()),
            (Focus::Documents, Action::Download) => Some(self.download_selected()),
            (Focus::Documents, Action::Mark) => {
                if self.documents.toggle_mark() {
                    self.documents.cursor.apply(Move::Down, self.documents.rows().len());
                }
                Some(Vec::new())
            }
            (Focus::Documents, Action::DownloadAll) => Some(self.download_all()),
            (Focus::Documents, Action::Open) => Some(self.open_selected_document()),
            (Focus::Documents, Action::Filter) => {
                if self.current.is_some() {
                    self.documents.filtering = true;
                }
                Some(Vec::new())
            }
            (Focus::Downloads, Action::CancelDownload) => match self.downloads.cancel_selected() {
                Some(commands) => Some(commands),
                None => {
                    self.downloads_notice = self.downloads.selected().map(|_| Notice {
                        error: false,
                        text: "Nothing to cancel: that download is not queued or running".into(),
                    });
                    Some(Vec::new())
                }
            },
            (Focus::Downloads, Action::Retry) => match self.downloads.retry_selected() {
                Some(commands) => Some(commands),
                None => {
                    self.downloads_notice = self.downloads.selected().map(|_| Notice {
                        error: false,
                        text: "Only a failed or cancelled download can be retried".into(),
                    });
                    Some(Vec::new())
                }
            },
            (Focus::Downloads, Action::Open) => Some(self.open_selected_download()),
            _ => None,
        }
    }

    fn move_in_pane(&mut self, mv: Move) {
        match self.focus {
            Focus::Recent => self.recent_cursor.apply(mv, self.recent.len()),
            Focus::Process if !self.choices.is_empty() => self.choice_cursor.apply(mv, self.choices.len()),
            Focus::Process => {
                let lines = self.current.as_ref().map_or(0, |p| p.extra.len() + 5);
                self.details_scroll.apply(mv, lines);
            }
            Focus::Documents => self.documents.cursor.apply(mv, self.documents.rows().len()),
            Focus::Downloads => self.downloads.cursor.apply(mv, self.downloads.items().len()),
            Focus::Search => {}
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        self.documents.filtering = false;
        let i = FOCUS_ORDER.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = FOCUS_ORDER.len();
        let mut next = if forward { (i + 1) % n } else { (i + n - 1) % n };
        if FOCUS_ORDER[next] == Focus::Recent && self.recent.is_empty() {
            next = if forward { (next + 1) % n } else { (next + n - 1) % n };
        }
        self.focus = FOCUS_ORDER[next];
    }

    /// Keys while a text box has the keyboard: only non-character keys act.
    fn text_key(&mut self, key: KeyEvent, actions: &[Action]) -> Vec<Command> {
        let actions: &[Action] = if Key::from_event(&key).is_text() { &[] } else { actions };
        let filtering = self.focus == Focus::Documents;
        if actions.contains(&Action::NextPane) || actions.contains(&Action::PrevPane) {
            self.cycle_focus(actions.contains(&Action::NextPane));
            return Vec::new();
        }
        if actions.contains(&Action::Cancel) {
            if filtering {
                self.documents.filtering = false;
                return Vec::new();
            }
            if let Some(commands) = self.cancel_lookup() {
                return commands;
            }
            self.focus = if self.current.is_some() || !self.choices.is_empty() {
                Focus::Process
            } else if !self.recent.is_empty() {
                Focus::Recent
            } else {
                Focus::Process
            };
            return Vec::new();
        }
        if filtering {
            if actions.contains(&Action::Submit) || actions.contains(&Action::Download) {
                self.documents.filtering = false;
                return Vec::new();
            }
            if let Some(mv) = list_move(actions) {
                self.documents.cursor.apply(mv, self.documents.rows().len());
                return Vec::new();
            }
            if edit(&mut self.documents.filter, &key) {
                self.documents.refilter();
            }
            return Vec::new();
        }
        if actions.contains(&Action::Submit) {
            return self.submit_search();
        }
        if actions.contains(&Action::Down) && !self.recent.is_empty() {
            self.focus = Focus::Recent;
            return Vec::new();
        }
        if edit(&mut self.search, &key) {
            self.search_error = None;
        }
        Vec::new()
    }

    fn on_paste(&mut self, text: &str) {
        let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let flat = flat.trim();
        let input = if self.login.visible {
            match self.login.input_mut() {
                Some(input) => input,
                None => return,
            }
        } else if self.focus == Focus::Search {
            &mut self.search
        } else if self.focus == Focus::Documents && self.documents.filtering {
            &mut self.documents.filter
        } else {
            return;
        };
        for c in flat.chars() {
            input.handle(InputRequest::InsertChar(c));
        }
        if self.focus == Focus::Documents && self.documents.filtering && !self.login.visible {
            self.documents.refilter();
        }
    }

    fn login_key(&mut self, key: KeyEvent, actions: &[Action]) -> Vec<Command> {
        let text = Key::from_event(&key).is_text();
        let has = |a: Action| !text && actions.contains(&a);
        if has(Action::Cancel) {
            if !self.login.in_flight {
                self.login.visible = false;
                self.login.error = None;
                self.pending_after_login.clear();
            }
            return Vec::new();
        }
        if has(Action::NextPane) || key.code == KeyCode::Down {
            self.login.cycle(true);
            return Vec::new();
        }
        if has(Action::PrevPane) || key.code == KeyCode::Up {
            self.login.cycle(false);
            return Vec::new();
        }
        if has(Action::Submit) {
            return self.submit_login();
        }
        if self.login.field == LoginField::KeepPassword {
            if key.code == KeyCode::Char(' ') && !self.login.in_flight {
                self.login.keep_password = !self.login.keep_password;
            }
            return Vec::new();
        }
        if !self.login.in_flight && self.login.input_mut().is_some_and(|input| edit(input, &key)) {
            self.login.error = None;
        }
        Vec::new()
    }

    fn submit_login(&mut self) -> Vec<Command> {
        if self.login.in_flight {
            return Vec::new();
        }
        let email = self.login.email.value().trim().to_string();
        let server = self.login.server.value().trim().to_string();
        let missing = if email.is_empty() {
            Some((LoginField::Email, "Type your email"))
        } else if self.login.password.value().is_empty() {
            Some((LoginField::Password, "Type your password"))
        } else if server.is_empty() {
            Some((
                LoginField::Server,
                "Type the server's address, such as https://api.example.com/api",
            ))
        } else {
            None
        };
        if let Some((field, message)) = missing {
            self.login.field = field;
            self.login.error = Some(message.to_string());
            return Vec::new();
        }
        self.login.in_flight = true;
        self.login.error = None;
        vec![Command::Login {
            email,
            password: SecretString::from(self.login.password.value().to_string()),
            base_url: server,
            remember_password: self.login.keep_password,
        }]
    }

    fn logout(&mut self) -> Vec<Command> {
        self.sessions.renewable = false;
        self.login.keep_password = false;
        self.login.visible = true;
        self.login.reason = None;
        self.login.error = None;
        self.login.field = LoginField::Password;
        self.login.password.reset();
        if self.session.take().is_some() {
            vec![Command::Logout]
        } else {
            Vec::new()
        }
    }

    // ----- lookups ----------------------------------------------------------

    fn submit_search(&mut self) -> Vec<Command> {
        match ProcessQuery::parse(self.search.value()) {
            Ok(query) => {
                self.search_error = None;
                self.fetch(query)
            }
            Err(e) => {
                self.search_error = Some(e.to_string());
                Vec::new()
            }
        }
    }

    fn fetch(&mut self, query: ProcessQuery) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Lookup::Loading { req, .. } = self.lookup {
            commands.push(Command::CancelRequest(req));
        }
        let req = ReqId(self.next_req);
        self.next_req += 1;
        self.lookup = Lookup::Loading {
            req,
            query: query.clone(),
            from: self.focus,
        };
        commands.push(Command::FetchProcess { req, query });
        commands
    }

    fn reload(&mut self) -> Vec<Command> {
        if matches!(self.lookup, Lookup::Loading { .. }) {
            return Vec::new();
        }
        if let Some(p) = &self.current {
            let query = ProcessQuery::Id(p.process_id.as_str().to_string());
            return self.fetch(query);
        }
        if let Lookup::Failed { query, .. } = &self.lookup {
            let query = query.clone();
            return self.fetch(query);
        }
        Vec::new()
    }

    fn cancel_lookup(&mut self) -> Option<Vec<Command>> {
        if let Lookup::Loading { req, .. } = self.lookup {
            self.lookup = Lookup::Idle;
            return Some(vec![Command::CancelRequest(req)]);
        }
        None
    }

    fn loaded(&mut self, req: ReqId, result: Result<Vec<Process>, ApiError>) -> Vec<Command> {
        let (query, from) = match &self.lookup {
            Lookup::Loading {
                req: current,
                query,
                from,
            } if *current == req => (query.clone(), *from),
            _ => return Vec::new(),
        };
        match result {
            Ok(mut processes) if processes.len() == 1 => {
                let commands = processes.pop().map(|p| self.show_process(p)).unwrap_or_default();
                if self.focus == from {
                    self.focus = if self.documents.total() > 0 {
                        Focus::Documents
                    } else {
                        Focus::Process
                    };
                }
                commands
            }
            Ok(processes) if processes.is_empty() => {
                self.lookup = Lookup::Failed {
                    query: query.clone(),
                    message: format!(
                        "No {} — check it, or search another way",
                        safe_line(&query.to_string(), 120)
                    ),
                    hint: String::new(),
                };
                Vec::new()
            }
            Ok(processes) => {
                self.lookup = Lookup::Idle;
                self.choices = processes;
                self.choice_cursor.reset();
                if self.focus == from {
                    self.focus = Focus::Process;
                }
                Vec::new()
            }
            Err(e) if e.needs_login() => {
                self.lookup = Lookup::Failed {
                    query: query.clone(),
                    message: "The session has ended".into(),
                    hint: "Log in to continue; the lookup runs again after".into(),
                };
                self.pending_after_login.retain(|q| *q != query);
                self.pending_after_login.push(query);
                self.ask_login(Some("Your session has ended. Log in again to continue."));
                Vec::new()
            }
            Err(ApiError::Cancelled) => {
                self.lookup = Lookup::Idle;
                Vec::new()
            }
            Err(e) => {
                let (message, hint) = self.lookup_error(&query, &e);
                self.lookup = Lookup::Failed { query, message, hint };
                Vec::new()
            }
        }
    }

    fn lookup_error(&self, query: &ProcessQuery, e: &ApiError) -> (String, String) {
        let retry = self.first_key(Action::Retry);
        let search = self.first_key(Action::FocusSearch);
        match (e, query) {
            (ApiError::NotFound { .. }, ProcessQuery::Id(id)) => (
                format!("No process {} — check the id, or search by name", safe_line(id, 60)),
                format!("Press {search} to search again"),
            ),
            (ApiError::NotFound { .. }, ProcessQuery::Name(name)) => (
                format!(
                    "No process named \"{}\" — check the spelling, or search by id",
                    safe_line(name, 60)
                ),
                format!("Press {search} to search again"),
            ),
            (e, _) if e.is_retryable() => (safe_line(&e.to_string(), 300), format!("Press {retry} to try again")),
            (e, _) => (
                safe_line(&e.to_string(), 300),
                format!("Press {retry} to try again, or {search} to search"),
            ),
        }
    }

    fn first_key(&self, action: Action) -> String {
        self.keymap
            .keys_for(action)
            .into_iter()
            .next()
            .unwrap_or_else(|| action.config_name().to_string())
    }

    /// Shows a process: details, documents, and remembers it as recent.
    fn show_process(&mut self, process: Process) -> Vec<Command> {
        self.lookup = Lookup::Idle;
        self.choices.clear();
        self.documents = DocumentsPane::new(&process.documents);
        self.details_scroll.reset();
        let entry = RecentEntry {
            process_id: process.process_id.as_str().to_string(),
            name: process.name.clone(),
            status: process.status.clone(),
        };
        self.current = Some(process);
        self.recent.retain(|r| r.process_id != entry.process_id);
        self.recent.insert(0, entry);
        self.recent.truncate(MAX_RECENT);
        self.recent_cursor.reset();
        vec![Command::SaveRecent(self.recent.clone())]
    }

    fn ask_login(&mut self, reason: Option<&str>) {
        self.session = None;
        self.help = None;
        self.login.visible = true;
        self.login.in_flight = false;
        self.login.reason = reason.map(str::to_string);
        self.login.field = if self.login.email.value().is_empty() {
            LoginField::Email
        } else {
            LoginField::Password
        };
        self.sessions.chooser = None;
    }

    /// The login dialog over a session that is about to end; the session stays
    /// until the new login replaces it (Esc keeps the old one).
    fn ask_relogin(&mut self) {
        self.help = None;
        self.login.visible = true;
        self.login.in_flight = false;
        self.login.error = None;
        self.login.reason = Some("Your session ends soon. Log in again to start a new one.".to_string());
        self.login.field = if self.login.email.value().is_empty() {
            LoginField::Email
        } else {
            LoginField::Password
        };
    }

    // ----- session lifetime and profiles -------------------------------------

    /// Offers a new login shortly before the session ends, and at its end renews
    /// it (when the password is kept in memory) or asks for a login.
    fn check_expiry(&mut self, now: OffsetDateTime) -> Vec<Command> {
        let Some(at) = self.session.as_ref().and_then(|s| s.expires_at) else {
            return Vec::new();
        };
        if now >= at && !self.sessions.ended {
            self.sessions.ending = true;
            self.sessions.ended = true;
            if self.sessions.renewable {
                return vec![Command::Renew];
            }
            self.ask_login(Some("Your session has ended. Log in again to continue."));
        } else if now >= at - EXPIRY_NOTICE && !self.sessions.ending {
            self.sessions.ending = true;
        }
        Vec::new()
    }

    fn open_chooser(&mut self) {
        if self.sessions.profiles.len() < 2 {
            self.sessions.notice = Some(Notice {
                error: false,
                text: format!(
                    "Only one profile ({}): add a [profiles.NAME] table to config.toml for more",
                    safe_line(&self.sessions.profile, 40)
                ),
            });
            return;
        }
        let mut cursor = ListCursor::default();
        let current = self.sessions.profiles.iter().position(|p| *p == self.sessions.profile);
        cursor.select(current.unwrap_or(0), self.sessions.profiles.len());
        self.sessions.chooser = Some(cursor);
    }

    fn chooser_key(&mut self, actions: &[Action]) -> Vec<Command> {
        let Some(cursor) = &mut self.sessions.chooser else {
            return Vec::new();
        };
        if actions.contains(&Action::Cancel) || actions.contains(&Action::SwitchProfile) {
            self.sessions.chooser = None;
        } else if actions.contains(&Action::Submit) {
            let chosen = self.sessions.profiles.get(cursor.selected()).cloned();
            self.sessions.chooser = None;
            if let Some(profile) = chosen.filter(|p| *p != self.sessions.profile) {
                self.sessions.switching = Some(profile.clone());
                return vec![Command::SwitchProfile(profile)];
            }
        } else if actions.contains(&Action::Quit) {
            self.quit = true;
            return self.effect(Effect::Quit);
        } else if let Some(mv) = list_move(actions) {
            cursor.apply(mv, self.sessions.profiles.len());
        }
        Vec::new()
    }

    /// The worker now works for `profile`: its server, email and session replace
    /// the old ones, and what was shown of the old server is cleared.
    fn profile_switched(
        &mut self,
        profile: String,
        base_url: String,
        email: Option<String>,
        session: Option<SignedIn>,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(command) = self.cancel_lookup() {
            commands.extend(command);
        }
        self.sessions.switching = None;
        self.sessions.profile = profile;
        self.sessions.renewable = false;
        self.sessions.ending = false;
        self.sessions.ended = false;
        self.base_url = base_url.clone();
        self.current = None;
        self.choices.clear();
        self.documents = DocumentsPane::default();
        self.lookup = Lookup::Idle;
        self.pending_after_login.clear();
        self.login.server = Input::new(base_url);
        self.login.password.reset();
        self.login.error = None;
        let email = email.or_else(|| session.as_ref().map(|s| s.email.clone()));
        self.login.email = Input::new(email.unwrap_or_default());
        match session {
            Some(s) => {
                self.session = Some(SessionInfo {
                    email: s.email,
                    expires_at: s.expires_at,
                });
                self.login.visible = false;
            }
            None => self.ask_login(Some("This profile is not signed in. Log in to continue.")),
        }
        self.focus = Focus::Search;
        commands
    }

    // ----- downloads --------------------------------------------------------

    fn process_ref(&self) -> Option<ProcessRef> {
        self.current.as_ref().map(|p| ProcessRef {
            id: p.process_id.clone(),
            name: p.name.clone(),
        })
    }

    fn download_selected(&mut self) -> Vec<Command> {
        let (Some(doc), Some(process)) = (self.documents.selected_doc(), self.process_ref()) else {
            return Vec::new();
        };
        let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(doc)).cloned() else {
            return Vec::new();
        };
        let name = safe_line(&document.display_name(), 80);
        if self.downloads.enqueue(document, process) == Enqueued::AlreadyActive {
            self.documents_notice = Some(Notice {
                error: false,
                text: format!("{name} is already downloading"),
            });
            return Vec::new();
        }
        self.downloads.pump()
    }

    fn download_all(&mut self) -> Vec<Command> {
        let Some(process) = self.process_ref() else {
            return Vec::new();
        };
        let docs = self.documents.take_marked_or_shown();
        let mut added = 0usize;
        for i in docs {
            let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(i)).cloned() else {
                continue;
            };
            if self.downloads.enqueue(document, process.clone()) == Enqueued::Added {
                added += 1;
            }
        }
        if added > 0 {
            let plural = if added == 1 { "" } else { "s" };
            self.documents_notice = Some(Notice {
                error: false,
                text: format!("Queued {added} download{plural}"),
            });
        }
        self.downloads.pump()
    }

    fn open_selected_document(&mut self) -> Vec<Command> {
        let (Some(doc), Some(p)) = (self.documents.selected_doc(), self.current.as_ref()) else {
            return Vec::new();
        };
        let Some(document) = p.documents.get(doc) else {
            return Vec::new();
        };
        let transfer = self.downloads.for_doc(p.process_id.as_str(), document.doc_id.as_str());
        match transfer.and_then(|t| t.path.clone().filter(|_| t.state == TransferState::Done)) {
            Some(path) => vec![Command::Open(path)],
            None => {
                let key = self.first_key(Action::Download);
                self.documents_notice = Some(Notice {
                    error: false,
                    text: format!("Not downloaded yet — press {key} to download it"),
                });
                Vec::new()
            }
        }
    }

    fn open_selected_download(&mut self) -> Vec<Command> {
        let Some(t) = self.downloads.selected() else {
            return Vec::new();
        };
        match (&t.path, t.state) {
            (Some(path), TransferState::Done) => vec![Command::Open(path.clone())],
            _ => {
                self.downloads_notice = Some(Notice {
                    error: false,
                    text: "That download has not finished yet".into(),
                });
                Vec::new()
            }
        }
    }

    // ----- worker events ----------------------------------------------------

    fn on_event(&mut self, event: Event, now: OffsetDateTime) -> Vec<Command> {
        match event {
            Event::LoggedIn {
                email,
                base_url,
                expires_at,
            } => {
                self.session = Some(SessionInfo { email, expires_at });
                self.base_url = base_url;
                self.sessions.renewable = self.login.keep_password;
                self.sessions.ending = false;
                self.sessions.ended = false;
                self.login.visible = false;
                self.login.in_flight = false;
                self.login.error = None;
                self.login.reason = None;
                self.login.password.reset();
                let mut commands = Vec::new();
                if let Some(query) = self.pending_after_login.pop() {
                    commands.extend(self.fetch(query));
                }
                self.pending_after_login.clear();
                commands.extend(self.downloads.resume_after_login());
                commands
            }
            Event::LoginFailed(e) => {
                self.login.in_flight = false;
                let message = match &e {
                    ApiError::BadCredentials { .. } => {
                        self.login.field = LoginField::Password;
                        self.login.password.reset();
                        "Wrong email or password — check them and press Enter".to_string()
                    }
                    e if e.exit_code() == crate::exit::UNAVAILABLE => {
                        self.login.field = LoginField::Server;
                        format!(
                            "{} — check the Server field and try again",
                            safe_line(&e.to_string(), 200)
                        )
                    }
                    ApiError::InsecureUrl { .. } | ApiError::InvalidUrl { .. } => {
                        self.login.field = LoginField::Server;
                        safe_line(&e.to_string(), 200)
                    }
                    e => safe_line(&e.to_string(), 200),
                };
                self.login.error = Some(message);
                Vec::new()
            }
            Event::LoggedOut => {
                self.session = None;
                if !self.login.visible {
                    self.ask_login(None);
                }
                Vec::new()
            }
            Event::SessionExpired => {
                self.ask_login(Some("Your session has ended. Log in again to continue."));
                Vec::new()
            }
            Event::SessionRenewed { expires_at } => {
                if let Some(session) = &mut self.session {
                    session.expires_at = expires_at;
                }
                self.sessions.ending = false;
                self.sessions.ended = false;
                self.sessions.notice = Some(Notice {
                    error: false,
                    text: "Session renewed with the password kept in memory".into(),
                });
                Vec::new()
            }
            Event::Warning(text) => {
                self.sessions.notice = Some(Notice {
                    error: true,
                    text: safe_line(&text, 300),
                });
                Vec::new()
            }
            Event::ProfileSwitched {
                profile,
                base_url,
                email,
                session,
            } => self.profile_switched(profile, base_url, email, session),
            Event::ProfileSwitchFailed { profile, error } => {
                self.sessions.switching = None;
                self.sessions.notice = Some(Notice {
                    error: true,
                    text: format!(
                        "Cannot switch to profile {}: {}",
                        safe_line(&profile, 40),
                        safe_line(&error, 200)
                    ),
                });
                Vec::new()
            }
            Event::ProcessLoaded { req, result } => self.loaded(req, result),
            Event::DownloadStarted { id, total, .. } => {
                self.downloads.started(id, total, now);
                Vec::new()
            }
            Event::Progress { id, received, total } => {
                self.downloads.progress(id, received, total, now);
                Vec::new()
            }
            Event::Downloaded {
                id,
                path,
                bytes,
                sha256,
            } => self.downloads.done(id, path, bytes, sha256),
            Event::DownloadFailed {
                id,
                error,
                retryable,
                needs_login,
            } => {
                let commands = self
                    .downloads
                    .failed(id, safe_line(&error, 300), retryable, needs_login);
                if needs_login {
                    self.ask_login(Some(
                        "Your session has ended. Log in again; the download continues after.",
                    ));
                }
                commands
            }
            Event::Retrying {
                target,
                attempt,
                max_attempts,
                delay,
            } => {
                let text = crate::api::client::retry_summary(attempt, max_attempts, delay);
                match target {
                    RetryTarget::Lookup(req) => self.lookup_retry = Some((req, text)),
                    RetryTarget::Download(id) => self.downloads.retrying(id, text),
                }
                Vec::new()
            }
            Event::DownloadCancelled { id } => self.downloads.cancelled(id),
            Event::Opened(path) => {
                self.downloads_notice = Some(Notice {
                    error: false,
                    text: format!("Opened {}", file_name(&path)),
                });
                Vec::new()
            }
            Event::OpenFailed { path, error } => {
                self.downloads_notice = Some(Notice {
                    error: true,
                    text: format!(
                        "Could not open {}: {} — the file is at {}",
                        file_name(&path),
                        safe_line(&error, 200),
                        safe_line(&path.to_string_lossy(), 200)
                    ),
                });
                Vec::new()
            }
        }
    }
}

fn file_name(path: &Path) -> String {
    safe_line(&path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(), 120)
}

/// The list move among these actions, if any.
fn list_move(actions: &[Action]) -> Option<Move> {
    actions.iter().find_map(|a| match a {
        Action::Up => Some(Move::Up),
        Action::Down => Some(Move::Down),
        Action::PageUp => Some(Move::PageUp),
        Action::PageDown => Some(Move::PageDown),
        Action::Home => Some(Move::Home),
        Action::End => Some(Move::End),
        _ => None,
    })
}

/// Edits a text box with a key; true if its text changed.
fn edit(input: &mut Input, key: &KeyEvent) -> bool {
    to_input_request(&TermEvent::Key(*key))
        .and_then(|req| input.handle(req))
        .is_some_and(|changed| changed.value)
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "app_session_tests.rs"]
mod session_tests;
