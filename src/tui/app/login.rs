//! The login dialog and the session's lifetime (its end, renewal and logout).

use super::*;
use crate::tr;
use crate::tui::secret_field::SecretField;
use tui_input::backend::crossterm::to_input_request;

/// A field of the login dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginField {
    /// The email.
    Email,
    /// The password (masked).
    Password,
    /// The server's base URL.
    Server,
    /// The "keep password in memory" checkbox (Space toggles it).
    KeepPassword,
}

/// Where the login dialog is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LoginState {
    /// Not showing.
    Hidden,
    /// Showing and taking keys, with what went wrong last time.
    Editing {
        /// The last try's error (already safe to show), until the next edit.
        error: Option<String>,
    },
    /// A login is in flight: the fields are locked.
    LoggingIn,
}

/// The login dialog.
pub(crate) struct LoginForm {
    pub(crate) state: LoginState,
    pub(crate) email: Input,
    pub(crate) password: SecretField,
    pub(crate) server: Input,
    pub(crate) field: LoginField,
    /// Keep the password in memory to renew the session silently once (off by default).
    pub(crate) keep_password: bool,
    /// Why the dialog is back (a session that ended), shown above the fields.
    pub(crate) reason: Option<String>,
}

impl LoginForm {
    /// Whether the dialog is showing.
    pub(crate) fn visible(&self) -> bool {
        self.state != LoginState::Hidden
    }

    /// Whether a login is in flight.
    pub(crate) fn in_flight(&self) -> bool {
        self.state == LoginState::LoggingIn
    }

    /// The last try's error.
    pub(crate) fn error(&self) -> Option<&str> {
        match &self.state {
            LoginState::Editing { error } => error.as_deref(),
            _ => None,
        }
    }

    /// Shows the dialog for editing (an error shown stays).
    fn open(&mut self) {
        if !matches!(self.state, LoginState::Editing { .. }) {
            self.state = LoginState::Editing { error: None };
        }
    }

    /// Shows `error` under the fields.
    pub(super) fn fail(&mut self, error: String) {
        self.state = LoginState::Editing { error: Some(error) };
    }

    /// The field a new dialog starts on: the password when the email is known.
    fn first_field(&self) -> LoginField {
        if self.email.value().is_empty() {
            LoginField::Email
        } else {
            LoginField::Password
        }
    }

    pub(super) fn input_mut(&mut self) -> Option<&mut Input> {
        match self.field {
            LoginField::Email => Some(&mut self.email),
            LoginField::Password => None,
            LoginField::Server => Some(&mut self.server),
            LoginField::KeepPassword => None,
        }
    }

    /// Edits the focused field with `key`; `true` when it changed.
    pub(super) fn edit(&mut self, key: &KeyEvent) -> bool {
        if self.field == LoginField::Password {
            return to_input_request(&crossterm::event::Event::Key(*key)).is_some_and(|r| self.password.handle(r));
        }
        self.input_mut().is_some_and(|input| super::edit(input, key))
    }

    /// Types pasted text into the focused field.
    pub(super) fn paste(&mut self, text: &str) {
        if self.field == LoginField::Password {
            self.password.insert_str(text);
        } else if let Some(input) = self.input_mut() {
            for c in text.chars() {
                input.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
    }

    pub(super) fn cycle(&mut self, forward: bool) {
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

/// How near its end a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionEnd {
    /// More than [`EXPIRY_NOTICE`] left, or no known end.
    Later,
    /// It ends within [`EXPIRY_NOTICE`]: the top bar offers to log in again.
    Soon,
    /// It ended and the worker is renewing it with the password kept in memory.
    Renewing,
}

/// Where the session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Not signed in.
    SignedOut {
        /// The lookup the ended session refused, run again after the next login.
        then: Option<ProcessQuery>,
    },
    /// Signed in.
    SignedIn {
        /// The signed-in email.
        email: String,
        /// When the session ends, if known.
        expires_at: Option<OffsetDateTime>,
        /// Logged in with the password kept in memory, so the worker can renew it once.
        renewable: bool,
        /// How near its end it is.
        end: SessionEnd,
    },
}

impl Phase {
    /// Signed in as `email` until `expires_at`, far from the end.
    pub(super) fn signed_in(email: String, expires_at: Option<OffsetDateTime>, renewable: bool) -> Phase {
        Phase::SignedIn {
            email,
            expires_at,
            renewable,
            end: SessionEnd::Later,
        }
    }
}

/// The profiles and the session's lifetime, as the app sees them.
#[derive(Debug)]
pub(crate) struct SessionState {
    /// The active profile.
    pub(crate) profile: String,
    /// Every profile there is, for the chooser.
    pub(crate) profiles: Vec<String>,
    /// The profile chooser overlay and its cursor, when open.
    pub(crate) chooser: Option<ListCursor>,
    /// Where the session is.
    pub(crate) phase: Phase,
    /// A message in the top bar until the next key (a warning, a renewal).
    pub(crate) notice: Option<Notice>,
}

impl App {
    pub(super) fn login_action(&mut self, action: Action) -> Option<Vec<Command>> {
        match action {
            Action::Cancel => {
                if !self.login.in_flight() {
                    self.login.state = LoginState::Hidden;
                    if let Phase::SignedOut { then } = &mut self.sessions.phase {
                        *then = None;
                    }
                }
            }
            Action::NextPane | Action::Down => self.login.cycle(true),
            Action::PrevPane | Action::Up => self.login.cycle(false),
            Action::Submit => return Some(self.submit_login()),
            Action::Mark => {
                if self.login.field == LoginField::KeepPassword && !self.login.in_flight() {
                    self.login.keep_password = !self.login.keep_password;
                }
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    pub(super) fn submit_login(&mut self) -> Vec<Command> {
        if self.login.in_flight() {
            return Vec::new();
        }
        let email = self.login.email.value().trim().to_string();
        let server = self.login.server.value().trim().to_string();
        let missing = if email.is_empty() {
            Some((LoginField::Email, tr!(self.lang, "login-type-email")))
        } else if self.login.password.is_empty() {
            Some((LoginField::Password, tr!(self.lang, "login-type-password")))
        } else if server.is_empty() {
            Some((LoginField::Server, tr!(self.lang, "login-type-server")))
        } else {
            None
        };
        if let Some((field, message)) = missing {
            self.login.field = field;
            self.login.fail(message);
            return Vec::new();
        }
        self.login.state = LoginState::LoggingIn;
        // The box keeps it (zeroised memory) until the login works, so a failed try can be sent again.
        let password = self.login.password.secret();
        vec![Command::Login {
            email,
            password,
            base_url: server,
            remember_password: self.login.keep_password,
        }]
    }

    pub(super) fn logout(&mut self) -> Vec<Command> {
        self.login.keep_password = false;
        self.login.state = LoginState::Editing { error: None };
        self.login.reason = None;
        self.login.field = LoginField::Password;
        self.login.password.clear();
        if self.sign_out() {
            vec![Command::Logout]
        } else {
            Vec::new()
        }
    }

    /// Ends the session as the app sees it (a lookup waiting for a login
    /// stays); true if there was one.
    pub(super) fn sign_out(&mut self) -> bool {
        if matches!(self.sessions.phase, Phase::SignedIn { .. }) {
            self.sessions.phase = Phase::SignedOut { then: None };
            return true;
        }
        false
    }

    /// Whether a signed-in session is near its end (or renewing), so `L` offers a new login.
    pub(crate) fn session_ends_soon(&self) -> bool {
        matches!(&self.sessions.phase, Phase::SignedIn { end, .. } if *end != SessionEnd::Later)
    }

    /// The session is gone: the login dialog, with why.
    pub(super) fn ask_login(&mut self, reason: Option<&str>) {
        self.sign_out();
        self.help = None;
        self.login.open();
        self.login.reason = reason.map(str::to_string);
        self.login.field = self.login.first_field();
        self.sessions.chooser = None;
    }

    /// The login dialog over a session that is about to end; the session stays
    /// until the new login replaces it (Esc keeps the old one).
    pub(super) fn ask_relogin(&mut self) {
        self.help = None;
        self.login.state = LoginState::Editing { error: None };
        self.login.reason = Some(tr!(self.lang, "login-ends-soon"));
        self.login.field = self.login.first_field();
    }

    // ----- session lifetime and profiles -------------------------------------

    /// Offers a new login shortly before the session ends, and at its end renews
    /// it (when the password is kept in memory) or asks for a login.
    pub(super) fn check_expiry(&mut self, now: OffsetDateTime) -> Vec<Command> {
        let Phase::SignedIn {
            expires_at: Some(at),
            renewable,
            end,
            ..
        } = &mut self.sessions.phase
        else {
            return Vec::new();
        };
        if now >= *at && *end != SessionEnd::Renewing {
            if *renewable {
                *end = SessionEnd::Renewing;
                return vec![Command::Renew];
            }
            self.ask_login(Some(&tr!(self.lang, "login-session-ended")));
        } else if now >= *at - EXPIRY_NOTICE && *end == SessionEnd::Later {
            *end = SessionEnd::Soon;
        }
        Vec::new()
    }

    /// When the session next needs a look without any input (see [`App::next_deadline`]).
    pub(super) fn session_deadline(&self) -> Option<OffsetDateTime> {
        let Phase::SignedIn {
            expires_at: Some(at),
            end,
            ..
        } = &self.sessions.phase
        else {
            return None;
        };
        match end {
            SessionEnd::Later => Some(*at - EXPIRY_NOTICE),
            SessionEnd::Soon => Some(*at),
            SessionEnd::Renewing => None,
        }
    }
}
