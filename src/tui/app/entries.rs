//! Choosing an entry of the archive the preview shows: `e` gives the keys
//! to a cursor over its entries, Enter previews the chosen one with the same
//! readers (a nested archive in turn, at most
//! [`Limits::max_archive_depth`](crate::inspect::Limits) deep), Esc goes
//! back up. The entry is read by the worker from the archive's copy on
//! disk; a reply to an entry the user has left is dropped like any stale
//! preview, and a folder, an encrypted entry or one nested too deep gets a
//! line without asking the worker.

use super::preview::{PreviewState, Ready};
use super::*;
use crate::inspect::Body;

/// The way down into an archive: the archives opened, the cursor in what
/// is shown, and whether the keys move it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entries {
    /// Whether the keys move the cursor over the entries (`e`).
    pub(crate) browsing: bool,
    /// The entry the cursor is on, among those the archive shown lists.
    pub(crate) cursor: usize,
    /// The archives opened on the way to what is shown, outermost first.
    pub(crate) trail: Vec<Level>,
}

/// An archive opened on the way down, and the entry chosen in it.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    /// The archive as the pane showed it.
    pub(crate) ready: Box<Ready>,
    /// Where the cursor was in it.
    pub(crate) cursor: usize,
    /// The chosen entry's name (already safe to show).
    pub(crate) name: String,
    /// The chosen entry's index in the archive.
    pub(crate) index: usize,
}

impl PreviewPane {
    /// The archive shown, as its summary's entries and how many of them its
    /// lines list (the last lines of the summary, one an entry).
    fn shown_entries(&self) -> Option<(&[crate::inspect::archive::Entry], usize)> {
        let PreviewState::Ready(ready) = &self.state else {
            return None;
        };
        let report = &ready.previewed.report;
        let archive = report.archive.as_ref()?;
        let listed = match &report.body {
            Body::Table(rows) => rows.len().saturating_sub(1).min(archive.entries.len()),
            _ => 0,
        };
        (listed > 0).then_some((archive.entries.as_slice(), listed))
    }

    /// Whether it shows an archive with entries to choose.
    pub(crate) fn shows_entries(&self) -> bool {
        self.shown_entries().is_some()
    }

    /// The line of the summary the entry cursor is on, while the keys move it.
    pub(crate) fn entry_line(&self) -> Option<usize> {
        if !self.entries.browsing {
            return None;
        }
        let (_, listed) = self.shown_entries()?;
        Some(self.lines().saturating_sub(listed) + self.entries.cursor.min(listed - 1))
    }

    /// The document's name and the entries chosen on the way down:
    /// `invoices.zip ▸ 2024/inv.xml`.
    pub(crate) fn path_title(&self) -> String {
        let mut title = self.name.clone();
        for level in &self.entries.trail {
            title.push_str(" ▸ ");
            title.push_str(&level.name);
        }
        title
    }
}

impl App {
    /// `e` in the documents: the keys move over the entries of the archive
    /// shown (or of the entry shown inside one); again, they leave them.
    pub(super) fn toggle_entries(&mut self) -> Vec<Command> {
        if self.preview.entries.browsing {
            self.preview.entries.browsing = false;
        } else if self.preview.open && (self.preview.shows_entries() || !self.preview.entries.trail.is_empty()) {
            self.preview.entries.browsing = true;
            self.keep_entry_in_view();
        }
        Vec::new()
    }

    /// An action while the keys move over the entries (the table of [`crate::tui::bindings::Pane::Entries`]).
    pub(super) fn entries_action(&mut self, action: Action) -> Option<Vec<Command>> {
        let done = Some(Vec::new());
        match action {
            Action::Submit => Some(self.choose_entry()),
            Action::Cancel => Some(self.entry_back()),
            Action::Entries => Some(self.toggle_entries()),
            Action::Preview => Some(self.toggle_preview()),
            Action::PreviewDown | Action::PreviewUp => {
                self.scroll_preview(if action == Action::PreviewDown {
                    Move::Down
                } else {
                    Move::Up
                });
                done
            }
            Action::NextPane | Action::PrevPane => {
                self.preview.entries.browsing = false;
                self.cycle_focus(action == Action::NextPane);
                done
            }
            Action::Help => {
                self.help = Some(ListCursor::default());
                done
            }
            Action::Quit => Some(self.ask_quit()),
            other => {
                let mv = list_move(other)?;
                match self.preview.shown_entries() {
                    Some((_, listed)) => {
                        let mut cursor = ListCursor::default();
                        cursor.select(self.preview.entries.cursor, listed);
                        cursor.apply(mv, listed, self.list_rows().preview);
                        self.preview.entries.cursor = cursor.selected();
                        self.keep_entry_in_view();
                    }
                    None => self.scroll_preview(mv),
                }
                done
            }
        }
    }

    /// Scrolls the preview as little as it takes to show the entry cursor.
    fn keep_entry_in_view(&mut self) {
        if let Some(line) = self.preview.entry_line() {
            let (lines, rows) = (self.preview.lines(), self.list_rows().preview);
            self.preview.scroll.select(line, lines);
            self.preview.scroll.scroll(lines, rows);
        }
    }

    /// Enter on an entry: previews it (asking the worker), or says at once
    /// why it cannot be (a folder, encrypted, nested too deep).
    fn choose_entry(&mut self) -> Vec<Command> {
        let Some((entries, _)) = self.preview.shown_entries() else {
            return Vec::new();
        };
        let Some(entry) = entries.get(self.preview.entries.cursor).cloned() else {
            return Vec::new();
        };
        let PreviewState::Ready(ready) = std::mem::take(&mut self.preview.state) else {
            return Vec::new();
        };
        let archive = self
            .preview
            .entries
            .trail
            .first()
            .map_or_else(|| ready.previewed.path.clone(), |l| l.ready.previewed.path.clone());
        self.preview.entries.trail.push(Level {
            ready,
            cursor: self.preview.entries.cursor,
            name: entry.name.clone(),
            index: entry.index,
        });
        self.preview.entries.cursor = 0;
        self.preview.scroll.reset();
        self.preview.req = None;
        let mut commands = Vec::new();
        let max = crate::inspect::Limits::default().max_archive_depth;
        let refused = if entry.is_dir {
            Some(crate::tr!(
                self.lang,
                "preview-entry-folder",
                name = entry.name.as_str()
            ))
        } else if entry.encrypted {
            Some(crate::tr!(
                self.lang,
                "preview-entry-encrypted",
                name = entry.name.as_str()
            ))
        } else if self.preview.entries.trail.len() > usize::from(max) {
            Some(crate::tr!(
                self.lang,
                "preview-entry-too-deep",
                name = entry.name.as_str(),
                max = max.to_string()
            ))
        } else {
            None
        };
        match refused {
            Some(line) => self.preview.state = PreviewState::Failed(line),
            None => {
                self.preview.state = PreviewState::Loading;
                commands.extend(self.ask_entry(archive));
            }
        }
        commands
    }

    /// The command that reads the entry the trail leads to, as a new request.
    fn ask_entry(&mut self, archive: PathBuf) -> Option<Command> {
        let (_, doc_id) = self.preview.target.clone()?;
        let req = ReqId(self.next_req);
        self.next_req += 1;
        self.preview.req = Some(req);
        Some(Command::PreviewEntry {
            req,
            doc_id,
            archive,
            entry: self.preview.entries.trail.iter().map(|l| l.index).collect(),
            picture: self.wanted_picture(),
        })
    }

    /// The entry shown read again (for a picture made for other cells);
    /// `None` when the pane shows no entry.
    pub(super) fn ask_entry_again(&mut self) -> Option<Command> {
        let archive = self.preview.entries.trail.first()?.ready.previewed.path.clone();
        self.ask_entry(archive)
    }

    /// Esc: back to the archive the entry shown is in, the cursor where it
    /// was (a reading in flight stops); at the top, the keys leave the entries.
    fn entry_back(&mut self) -> Vec<Command> {
        let Some(level) = self.preview.entries.trail.pop() else {
            self.preview.entries.browsing = false;
            return Vec::new();
        };
        let commands = self
            .preview
            .req
            .take()
            .map(Command::CancelPreview)
            .into_iter()
            .collect();
        self.preview.state = PreviewState::Ready(level.ready);
        self.preview.entries.cursor = level.cursor;
        self.preview.scroll.reset();
        self.relayout_preview();
        self.keep_entry_in_view();
        commands
    }
}
