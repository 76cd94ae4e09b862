//! The choosers: among the processes a name matched, and among the profiles
//! (and switching to one).

use super::*;
use crate::tr;

impl App {
    pub(super) fn open_chooser(&mut self) {
        if self.sessions.profiles.len() < 2 {
            self.sessions.notice = Some(Notice {
                error: false,
                text: tr!(
                    self.lang,
                    "profiles-only-one",
                    profile = safe_line(&self.sessions.profile, 40)
                ),
            });
            return;
        }
        let mut cursor = ListCursor::default();
        let current = self.sessions.profiles.iter().position(|p| *p == self.sessions.profile);
        cursor.select(current.unwrap_or(0), self.sessions.profiles.len());
        self.sessions.chooser = Some(cursor);
    }

    pub(super) fn chooser_action(&mut self, action: Action) -> Option<Vec<Command>> {
        match action {
            Action::Cancel | Action::SwitchProfile => self.sessions.chooser = None,
            Action::Submit => {
                let chosen = (self.sessions.chooser.take())
                    .and_then(|cursor| self.sessions.profiles.get(cursor.selected()).cloned());
                if let Some(profile) = chosen.filter(|p| *p != self.sessions.profile) {
                    return Some(vec![Command::SwitchProfile(profile)]);
                }
            }
            Action::Quit => return Some(self.ask_quit()),
            other => {
                let mv = list_move(other)?;
                let rows = self.list_rows().profiles;
                if let Some(cursor) = &mut self.sessions.chooser {
                    cursor.apply(mv, self.sessions.profiles.len(), rows);
                }
            }
        }
        Some(Vec::new())
    }

    /// Shows the process chosen among several that matched a name.
    pub(super) fn choose_process(&mut self) -> Vec<Command> {
        let i = self.choice_cursor.selected();
        if i >= self.choices.len() {
            return Vec::new();
        }
        let process = self.choices.swap_remove(i);
        self.choices.clear();
        let commands = self.show_process(process);
        self.focus = Focus::Documents;
        commands
    }

    /// The worker now works for `profile`: its server, email and session replace
    /// the old ones, and what was shown of the old server is cleared.
    pub(super) fn profile_switched(
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
        self.sessions.profile = profile;
        self.base_url = base_url.clone();
        self.current = None;
        self.details.clear();
        self.choices.clear();
        self.documents = DocumentsPane::default();
        self.lookup = Lookup::Idle;
        self.login.server = Input::new(base_url);
        self.login.password.clear();
        let email = email.or_else(|| session.as_ref().map(|s| s.email.clone()));
        self.login.email = Input::new(email.unwrap_or_default());
        match session {
            Some(s) => {
                self.sessions.phase = Phase::signed_in(s.email, s.expires_at, false);
                self.login.state = LoginState::Hidden;
            }
            None => {
                self.sessions.phase = Phase::SignedOut { then: None };
                self.login.state = LoginState::Editing { error: None };
                self.ask_login(Some(&tr!(self.lang, "login-profile-signed-out")));
            }
        }
        self.focus = Focus::Search;
        commands
    }
}
