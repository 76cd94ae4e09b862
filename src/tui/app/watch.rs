//! `w` and the watched list: which processes are watched, what their last
//! check said, and which changes the user has not seen yet (a change stays
//! highlighted until its row is selected or the process is opened; it rings
//! the bell once, as an [`Effect::Bell`]).

use super::*;
use crate::tr;
use crate::tui::bindings::Pane;
use crate::worker::{WatchNews, WatchedEntry};

/// One watched process, as the watched list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WatchRow {
    /// The process id.
    pub(crate) process_id: String,
    /// Its name as last seen (untrusted).
    pub(crate) name: Option<String>,
    /// Its status as last seen (untrusted).
    pub(crate) status: Option<String>,
    /// When its status last changed, when known.
    pub(crate) changed_at: Option<OffsetDateTime>,
    /// When it was last checked in this run.
    pub(crate) checked_at: Option<OffsetDateTime>,
    /// A change the user has not seen yet.
    pub(crate) unseen: bool,
    /// Why the last check failed (already safe), until one answers.
    pub(crate) error: Option<String>,
}

impl WatchRow {
    fn new(process_id: String, name: Option<String>, status: Option<String>) -> WatchRow {
        WatchRow {
            process_id,
            name,
            status,
            changed_at: None,
            checked_at: None,
            unseen: false,
            error: None,
        }
    }

    fn stored(entry: WatchedEntry) -> WatchRow {
        WatchRow {
            changed_at: entry
                .changed_at
                .and_then(|at| OffsetDateTime::from_unix_timestamp(at).ok()),
            ..WatchRow::new(entry.process_id, entry.name, entry.status)
        }
    }
}

/// The watched list's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct WatchList {
    /// The watched processes, in the order they were watched.
    pub(crate) rows: Vec<WatchRow>,
    /// The selected row.
    pub(crate) cursor: ListCursor,
    /// The pane beside the search box shows this list rather than Recent
    /// while neither has the focus.
    pub(crate) shown: bool,
    /// Why the checks wait, while the server or the session fails (already safe).
    pub(crate) paused: Option<String>,
}

impl WatchList {
    /// How many rows have a change not seen yet.
    pub(crate) fn unseen(&self) -> usize {
        self.rows.iter().filter(|r| r.unseen).count()
    }

    fn row(&mut self, process_id: &str) -> Option<&mut WatchRow> {
        self.rows.iter_mut().find(|r| r.process_id == process_id)
    }
}

impl App {
    /// Whether the pane beside the search box shows the watched list (else Recent).
    pub(crate) fn shows_watched(&self) -> bool {
        match self.focus {
            Focus::Watched => true,
            Focus::Recent => false,
            _ => !self.watch.rows.is_empty() && (self.watch.shown || self.recent.is_empty()),
        }
    }

    /// `w`: in the watched list, stops watching the selected process;
    /// elsewhere watches or stops watching the process shown.
    pub(super) fn toggle_watch(&mut self, pane: Pane) -> Vec<Command> {
        let target = if pane == Pane::Watched {
            self.watch
                .rows
                .get(self.watch.cursor.selected())
                .map(|r| (r.process_id.clone(), r.name.clone(), r.status.clone()))
        } else {
            self.current
                .as_ref()
                .map(|p| (p.process_id.as_str().to_string(), p.name.clone(), p.status.clone()))
        };
        let Some((id, name, status)) = target else {
            self.hint_notice = Some(Notice {
                error: false,
                text: tr!(self.lang, "watch-nothing-shown"),
            });
            return Vec::new();
        };
        let shown_id = safe_line(&id, 40);
        if self.watch.rows.iter().any(|r| r.process_id == id) {
            self.watch.rows.retain(|r| r.process_id != id);
            let len = self.watch.rows.len();
            let selected = self.watch.cursor.selected().min(len.saturating_sub(1));
            self.watch.cursor.select(selected, len);
            if self.watch.rows.is_empty() && self.focus == Focus::Watched {
                self.focus = if self.recent.is_empty() {
                    Focus::Search
                } else {
                    Focus::Recent
                };
            }
            self.hint_notice = Some(Notice {
                error: false,
                text: tr!(self.lang, "watch-stopped", id = shown_id),
            });
            vec![Command::Unwatch(id)]
        } else {
            self.watch.rows.push(WatchRow::new(id.clone(), name, status));
            self.watch.shown = true;
            self.hint_notice = Some(Notice {
                error: false,
                text: tr!(
                    self.lang,
                    "watch-started",
                    id = shown_id,
                    key = self.first_key(Action::Watch)
                ),
            });
            vec![Command::Watch(id)]
        }
    }

    /// News from the worker's watch.
    pub(super) fn on_watch(&mut self, news: WatchNews) -> Vec<Command> {
        match news {
            WatchNews::Loaded(entries) => {
                let mut rows: Vec<WatchRow> = entries.into_iter().map(WatchRow::stored).collect();
                // Rows watched before the stored set arrived stay, after it.
                for row in std::mem::take(&mut self.watch.rows) {
                    if !rows.iter().any(|r| r.process_id == row.process_id) {
                        rows.push(row);
                    }
                }
                // What is watched shows first after a start, until Recent gets the focus.
                self.watch.shown |= !rows.is_empty() && self.focus != Focus::Recent;
                self.watch.rows = rows;
            }
            WatchNews::Replaced(entries) => {
                self.watch.rows = entries.into_iter().map(WatchRow::stored).collect();
                self.watch.cursor.select(0, self.watch.rows.len());
                self.watch.paused = None;
                if self.watch.rows.is_empty() && self.focus == Focus::Watched {
                    self.focus = if self.recent.is_empty() {
                        Focus::Search
                    } else {
                        Focus::Recent
                    };
                }
                self.watch.shown = !self.watch.rows.is_empty() && self.focus != Focus::Recent;
            }
            WatchNews::Checked {
                process_id,
                name,
                status,
                changed,
                changed_at,
                at,
            } => {
                if let Some(current) = self.current.as_mut().filter(|p| p.process_id.as_str() == process_id) {
                    current.status = status.clone();
                }
                let Some(row) = self.watch.row(&process_id) else {
                    return Vec::new();
                };
                // The first check of a process just watched differs from what was shown when `w` was pressed.
                let changed = changed || row.checked_at.is_none() && row.status.is_some() && row.status != status;
                row.name = name.or(row.name.take());
                row.status = status;
                row.changed_at = changed_at.or(row.changed_at);
                row.checked_at = Some(at);
                row.error = None;
                if changed {
                    row.unseen = true;
                    self.effects.push(Effect::Bell);
                    if self.focus != Focus::Recent {
                        self.watch.shown = true;
                    }
                }
                self.watch.paused = None;
            }
            WatchNews::Failed { process_id, error, at } => {
                if let Some(row) = self.watch.row(&process_id) {
                    row.error = Some(error);
                    row.checked_at = Some(at);
                }
            }
            WatchNews::Paused(error) => self.watch.paused = Some(error),
            WatchNews::Resumed => self.watch.paused = None,
        }
        Vec::new()
    }

    /// The selected watched row counts as seen while the list has the focus.
    pub(super) fn see_selected_watch(&mut self) {
        if self.focus == Focus::Watched
            && let Some(row) = self.watch.rows.get_mut(self.watch.cursor.selected())
        {
            row.unseen = false;
        }
    }

    /// `process` was opened: its change is seen, and its row learns what it shows.
    pub(super) fn saw_watched(&mut self, process: &Process) {
        if let Some(row) = self.watch.row(process.process_id.as_str()) {
            row.unseen = false;
            if process.name.is_some() {
                row.name = process.name.clone();
            }
        }
    }

    /// Enter in the watched list: opens the selected process.
    pub(super) fn open_watched(&mut self) -> Vec<Command> {
        let query = self
            .watch
            .rows
            .get(self.watch.cursor.selected())
            .map(|r| ProcessQuery::Id(r.process_id.clone()));
        query.map(|q| self.fetch(q)).unwrap_or_default()
    }
}
