//! Keys: a key's action in the pane that has the keyboard (looked up in the
//! pane's table in [`crate::tui::bindings`]), and typing into text boxes.

use super::*;
use crate::tui::bindings::Pane;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let pane = self.pane();
        let typing = self.takes_text(pane);
        let action = if typing && Key::from_event(&key).is_text() {
            None
        } else {
            self.keymap.actions(&key).into_iter().find(|a| pane.binds(*a))
        };
        if !matches!(action, Some(Action::ForceQuit | Action::Suspend)) {
            self.documents_notice = None;
            self.downloads_notice = None;
            self.sessions.notice = None;
            self.hint_notice = None;
        }
        if action != Some(Action::Copy) {
            self.copied_path = None;
        }
        if let Some(prompt) = self.prompt.take()
            && let Some(commands) = self.answer(prompt, &key, action)
        {
            return commands;
        }
        let commands = match action {
            Some(action) => self.act(pane, action).unwrap_or_default(),
            None if typing => {
                self.type_key(pane, &key);
                Vec::new()
            }
            None => Vec::new(),
        };
        self.see_selected_watch();
        commands
    }

    /// The pane that has the keyboard: an overlay, else the focused pane.
    pub(crate) fn pane(&self) -> Pane {
        if self.login.visible() {
            return Pane::Login;
        }
        if self.sessions.chooser.is_some() {
            return Pane::Profiles;
        }
        if self.help.is_some() {
            return Pane::Help;
        }
        match self.focus {
            Focus::Search => Pane::Search,
            Focus::Recent => Pane::Recent,
            Focus::Watched => Pane::Watched,
            Focus::Process if !self.choices.is_empty() => Pane::Choices,
            Focus::Process => Pane::Process,
            Focus::Documents if self.documents.filtering => Pane::Filter,
            Focus::Documents if self.preview.open && self.preview.entries.browsing => Pane::Entries,
            Focus::Documents => Pane::Documents,
            Focus::Downloads => Pane::Downloads,
        }
    }

    /// Whether character keys type into a text box in `pane` (rather than act).
    fn takes_text(&self, pane: Pane) -> bool {
        match pane {
            Pane::Search | Pane::Filter => true,
            Pane::Login => self.login.field != LoginField::KeepPassword,
            _ => false,
        }
    }

    /// Does `action` in `pane`; `None` if the pane does not take it (a pane's
    /// table in [`crate::tui::bindings`] lists exactly the actions it takes).
    pub(super) fn act(&mut self, pane: Pane, action: Action) -> Option<Vec<Command>> {
        match (pane, action) {
            (_, Action::ForceQuit) => {
                self.interrupted = true;
                Some(self.quit())
            }
            (_, Action::Suspend) => {
                self.effects.push(Effect::Suspend);
                Some(Vec::new())
            }
            (Pane::Login, action) => self.login_action(action),
            (Pane::Profiles, action) => self.chooser_action(action),
            (Pane::Help, action) => self.help_action(action),
            (Pane::Search, action) => self.search_action(action),
            (Pane::Filter, action) => self.filter_action(action),
            (Pane::Entries, action) => self.entries_action(action),
            (pane, action) => self.pane_action(pane, action),
        }
    }

    fn help_action(&mut self, action: Action) -> Option<Vec<Command>> {
        match action {
            Action::Help | Action::Cancel => self.help = None,
            Action::Quit => return Some(self.ask_quit()),
            other => {
                let mv = list_move(other)?;
                let rows = self.list_rows().help;
                if let Some(help) = &mut self.help {
                    help.scroll_view(mv, Action::ALL.len(), rows);
                }
            }
        }
        Some(Vec::new())
    }

    fn search_action(&mut self, action: Action) -> Option<Vec<Command>> {
        match action {
            Action::Submit => return Some(self.submit_search()),
            Action::Down if self.showing_matches() => {
                if !self.index.matches.is_empty() {
                    self.focus = Focus::Recent;
                }
            }
            Action::Down if !self.recent.is_empty() => self.focus = Focus::Recent,
            Action::Down if !self.watch.rows.is_empty() => self.focus = Focus::Watched,
            Action::Down => {}
            Action::NextPane | Action::PrevPane => self.cycle_focus(action == Action::NextPane),
            Action::Cancel => {
                if let Some(commands) = self.cancel_lookup() {
                    return Some(commands);
                }
                self.focus = if self.current.is_some() || !self.choices.is_empty() || self.recent.is_empty() {
                    Focus::Process
                } else {
                    Focus::Recent
                };
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    fn filter_action(&mut self, action: Action) -> Option<Vec<Command>> {
        match action {
            Action::Submit | Action::Cancel => self.documents.filtering = false,
            Action::NextPane | Action::PrevPane => self.cycle_focus(action == Action::NextPane),
            other => {
                let mv = list_move(other)?;
                self.move_in_pane(Pane::Documents, mv);
            }
        }
        Some(Vec::new())
    }

    /// An action in one of the panes that do not take text.
    fn pane_action(&mut self, pane: Pane, action: Action) -> Option<Vec<Command>> {
        let done = Some(Vec::new());
        match (pane, action) {
            (_, Action::Quit) => Some(self.ask_quit()),
            (_, Action::Help) => {
                self.help = Some(ListCursor::default());
                done
            }
            (_, Action::FocusSearch) => {
                self.focus_search();
                done
            }
            (_, Action::NextPane | Action::PrevPane) => {
                self.cycle_focus(action == Action::NextPane);
                done
            }
            (_, Action::Logout) if self.session_ends_soon() => {
                self.ask_relogin();
                done
            }
            (_, Action::Logout) => Some(self.logout()),
            (_, Action::SwitchProfile) => {
                self.open_chooser();
                done
            }
            (_, Action::Cancel) => Some(self.cancel_lookup().unwrap_or_default()),
            (Pane::Recent, Action::Submit) if self.showing_matches() => Some(self.open_match()),
            (_, Action::Watch) => Some(self.toggle_watch(pane)),
            (Pane::Watched, Action::Submit) => Some(self.open_watched()),
            (Pane::Recent, Action::Submit) => {
                let query = self
                    .recent
                    .get(self.recent_cursor.selected())
                    .map(|entry| ProcessQuery::Id(entry.process_id.clone()));
                Some(query.map(|q| self.fetch(q)).unwrap_or_default())
            }
            (Pane::Choices, Action::Submit) => Some(self.choose_process()),
            (Pane::Process | Pane::Choices, Action::Retry) => Some(self.reload()),
            (Pane::Documents, Action::Download) => Some(self.download_selected()),
            (Pane::Documents, Action::Mark) => {
                if self.documents.toggle_mark() {
                    self.move_in_pane(Pane::Documents, Move::Down);
                }
                done
            }
            (Pane::Documents, Action::DownloadAll) => Some(self.download_all()),
            (Pane::Documents, Action::Open) => Some(self.open_selected_document()),
            (Pane::Documents, Action::Filter) => {
                if self.current.is_some() {
                    self.documents.filtering = true;
                }
                done
            }
            (Pane::Documents, Action::Preview) => Some(self.toggle_preview()),
            (Pane::Documents, Action::Entries) => Some(self.toggle_entries()),
            (Pane::Documents, Action::PreviewDown | Action::PreviewUp) => {
                self.scroll_preview(if action == Action::PreviewDown {
                    Move::Down
                } else {
                    Move::Up
                });
                done
            }
            (Pane::Downloads, Action::CancelDownload) => Some(self.cancel_selected_download()),
            (Pane::Downloads, Action::CancelAll) => Some(self.cancel_all_downloads()),
            (
                Pane::Recent | Pane::Watched | Pane::Process | Pane::Choices | Pane::Documents | Pane::Downloads,
                Action::Copy,
            ) => Some(self.copy_selected(pane)),
            (Pane::Downloads, Action::Retry) => Some(self.retry_selected_download()),
            (Pane::Downloads, Action::Open) => Some(self.open_selected_download()),
            (
                Pane::Recent | Pane::Watched | Pane::Process | Pane::Choices | Pane::Documents | Pane::Downloads,
                other,
            ) => {
                let mv = list_move(other)?;
                self.move_in_pane(pane, mv);
                done
            }
            _ => None,
        }
    }

    fn move_in_pane(&mut self, pane: Pane, mv: Move) {
        let rows = self.list_rows();
        match pane {
            Pane::Recent if self.showing_matches() => {
                if mv == Move::Up && self.index.cursor.selected() == 0 {
                    self.focus = Focus::Search;
                } else {
                    self.index.cursor.apply(mv, self.index.matches.len(), rows.recent);
                }
            }
            Pane::Recent => self.recent_cursor.apply(mv, self.recent.len(), rows.recent),
            Pane::Watched => self.watch.cursor.apply(mv, self.watch.rows.len(), rows.watched),
            Pane::Choices => self.choice_cursor.apply(mv, self.choices.len(), rows.choices),
            Pane::Process => {
                let lines = self.detail_lines();
                self.details_scroll.scroll_view(mv, lines, rows.details);
            }
            Pane::Documents | Pane::Filter => {
                self.documents
                    .cursor
                    .apply(mv, self.documents.rows().len(), rows.documents)
            }
            Pane::Downloads => self
                .downloads
                .cursor
                .apply(mv, self.downloads.items().len(), rows.downloads),
            _ => {}
        }
    }

    pub(super) fn cycle_focus(&mut self, forward: bool) {
        self.documents.filtering = false;
        let i = FOCUS_ORDER.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = FOCUS_ORDER.len();
        let mut next = if forward { (i + 1) % n } else { (i + n - 1) % n };
        let empty = |focus: Focus| match focus {
            Focus::Recent => self.recent.is_empty(),
            Focus::Watched => self.watch.rows.is_empty(),
            _ => false,
        };
        while empty(FOCUS_ORDER[next]) {
            next = if forward { (next + 1) % n } else { (next + n - 1) % n };
        }
        if FOCUS_ORDER[next] == Focus::Search {
            self.focus_search();
        } else {
            self.focus = FOCUS_ORDER[next];
        }
    }

    /// Focuses the search box with its text selected, so typing replaces it.
    fn focus_search(&mut self) {
        if self.focus != Focus::Search {
            self.search_selected = !self.search.value().is_empty();
        }
        self.focus = Focus::Search;
    }

    /// A key in the search box: with its text selected, a character replaces
    /// the text and Backspace or Delete clears it; any other key unselects it.
    fn type_in_search(&mut self, key: &KeyEvent) {
        use crossterm::event::{KeyCode, KeyModifiers};
        let replaces = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let changed = match key.code {
            KeyCode::Char(_) if replaces && std::mem::take(&mut self.search_selected) => {
                self.search.reset();
                edit(&mut self.search, key);
                true
            }
            KeyCode::Backspace | KeyCode::Delete if std::mem::take(&mut self.search_selected) => {
                self.search.reset();
                true
            }
            _ => {
                self.search_selected = false;
                edit(&mut self.search, key)
            }
        };
        if changed {
            self.search_error = None;
        }
    }

    /// A key that is no action here goes into the pane's text box.
    fn type_key(&mut self, pane: Pane, key: &KeyEvent) {
        match pane {
            Pane::Login if !self.login.in_flight() && self.login.edit(key) => {
                self.login.state = LoginState::Editing { error: None };
            }
            Pane::Search => self.type_in_search(key),
            Pane::Filter if edit(&mut self.documents.filter, key) => self.documents.refilter(),
            _ => {}
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) {
        // A pasted password is wiped with this copy.
        let flat: zeroize::Zeroizing<String> =
            zeroize::Zeroizing::new(text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect());
        let flat = flat.trim();
        let pane = self.pane();
        let input = match pane {
            Pane::Login => {
                self.login.paste(flat);
                return;
            }
            Pane::Search => {
                if std::mem::take(&mut self.search_selected) {
                    self.search.reset();
                }
                self.search_error = None;
                &mut self.search
            }
            Pane::Filter => &mut self.documents.filter,
            _ => return,
        };
        for c in flat.chars() {
            input.handle(InputRequest::InsertChar(c));
        }
        if pane == Pane::Filter {
            self.documents.refilter();
        }
    }
}
