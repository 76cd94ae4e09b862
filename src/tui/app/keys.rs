//! Keys: the dispatch from a key to what it does in the focused pane, and text boxes.

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let actions = self.keymap.actions(&key);
        if actions.contains(&Action::ForceQuit) {
            self.interrupted = true;
            return self.quit();
        }
        if actions.contains(&Action::Suspend) {
            self.effects.push(Effect::Suspend);
            return Vec::new();
        }
        self.documents_notice = None;
        self.downloads_notice = None;
        self.sessions.notice = None;
        if self.login.visible() {
            return self.login_key(key, &actions);
        }
        if self.sessions.chooser.is_some() {
            return self.chooser_key(&actions);
        }
        if let Some(help) = &mut self.help {
            if actions.contains(&Action::Help) || actions.contains(&Action::Cancel) {
                self.help = None;
            } else if actions.contains(&Action::Quit) {
                return self.quit();
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
                    return self.quit();
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
                Action::Logout if self.session_ends_soon() => {
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
    pub(super) fn pane_action(&mut self, action: Action) -> Option<Vec<Command>> {
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
            (Focus::Downloads, Action::CancelDownload) => Some(self.cancel_selected_download()),
            (Focus::Downloads, Action::Retry) => Some(self.retry_selected_download()),
            (Focus::Downloads, Action::Open) => Some(self.open_selected_download()),
            _ => None,
        }
    }

    pub(super) fn move_in_pane(&mut self, mv: Move) {
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

    pub(super) fn cycle_focus(&mut self, forward: bool) {
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
    pub(super) fn text_key(&mut self, key: KeyEvent, actions: &[Action]) -> Vec<Command> {
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

    pub(super) fn on_paste(&mut self, text: &str) {
        let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let flat = flat.trim();
        let input = if self.login.visible() {
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
        if self.focus == Focus::Documents && self.documents.filtering && !self.login.visible() {
            self.documents.refilter();
        }
    }
}
