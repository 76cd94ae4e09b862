//! The login dialog and the session's lifetime (its end, renewal and logout).

use super::*;

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
    pub(super) fn input_mut(&mut self) -> Option<&mut Input> {
        match self.field {
            LoginField::Email => Some(&mut self.email),
            LoginField::Password => Some(&mut self.password),
            LoginField::Server => Some(&mut self.server),
            LoginField::KeepPassword => None,
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

impl App {
    pub(super) fn login_key(&mut self, key: KeyEvent, actions: &[Action]) -> Vec<Command> {
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

    pub(super) fn submit_login(&mut self) -> Vec<Command> {
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

    pub(super) fn logout(&mut self) -> Vec<Command> {
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

    pub(super) fn ask_login(&mut self, reason: Option<&str>) {
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
    pub(super) fn ask_relogin(&mut self) {
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
    pub(super) fn check_expiry(&mut self, now: OffsetDateTime) -> Vec<Command> {
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
}
