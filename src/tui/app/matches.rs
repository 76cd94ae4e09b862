//! The local index in the TUI: matches under the search box as the user
//! types (in place of the recent list), a process opened from the index
//! shown at once from its cached data while the server is asked again, when
//! its status last changed, and which documents have an intact saved copy.

use super::*;
use crate::index::{CachedProcess, Hit, HitKind};
use crate::tr;
use std::collections::HashMap;
use std::path::PathBuf;

/// What the app knows from the local index.
#[derive(Debug, Default)]
pub(crate) struct IndexState {
    /// The text last asked of the index (a change of the search box asks again).
    asked: String,
    /// The matches of `matched`, best first.
    pub(crate) matches: Vec<Hit>,
    /// The text the matches are for.
    pub(crate) matched: String,
    /// Why the text typed is no search, when it is not.
    pub(crate) error: Option<String>,
    /// The text was typed since the last lookup: the matches replace the recent list.
    open: bool,
    /// The selected match.
    pub(crate) cursor: ListCursor,
    /// The process opened from the index and the document to select in it.
    pending: Option<(String, Option<String>)>,
    /// The process shown is its cached data.
    pub(crate) cached: Option<CachedMark>,
    /// When each process's status last changed, as the index saw it.
    changed: HashMap<String, OffsetDateTime>,
    /// Each attachment id with an intact saved copy, and its path.
    saved: HashMap<String, PathBuf>,
}

/// The process shown is cached data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CachedMark {
    /// When it was last seen.
    pub(crate) seen: OffsetDateTime,
    /// The server could not be asked again: it is stale.
    pub(crate) offline: bool,
}

impl IndexState {
    /// The path of `attachment_id`'s intact saved copy, if the index knows one.
    pub(crate) fn saved(&self, attachment_id: &str) -> Option<&PathBuf> {
        self.saved.get(attachment_id)
    }

    /// When the status of `process_id` last changed, if the index knows.
    pub(crate) fn status_changed(&self, process_id: &str) -> Option<OffsetDateTime> {
        self.changed.get(process_id).copied()
    }
}

impl App {
    /// Whether the index's matches are listed in place of the recent processes.
    pub(crate) fn showing_matches(&self) -> bool {
        self.index.open && !self.search.value().trim().is_empty() && matches!(self.focus, Focus::Search | Focus::Recent)
    }

    /// After any message: a search box whose text changed asks the index again.
    pub(super) fn search_as_you_type(&mut self) -> Vec<Command> {
        if !matches!(self.focus, Focus::Search | Focus::Recent) {
            self.index.open = false;
        }
        if self.focus != Focus::Search || self.search.value() == self.index.asked {
            return Vec::new();
        }
        self.index.asked = self.search.value().to_string();
        self.index.cursor.reset();
        if self.index.asked.trim().is_empty() {
            self.index.open = false;
            self.index.matches.clear();
            self.index.error = None;
            return Vec::new();
        }
        self.index.open = true;
        vec![Command::SearchIndex(self.index.asked.clone())]
    }

    /// Another profile: what its index said is forgotten (the text in the box is not asked again).
    pub(super) fn forget_index(&mut self) {
        self.index = IndexState {
            asked: self.search.value().to_string(),
            ..IndexState::default()
        };
    }

    /// A lookup asked for the typed text (or another): the matches give way to the recent list.
    pub(super) fn close_matches(&mut self) {
        self.index.open = false;
    }

    /// The index's answer for `query`; dropped when the box holds something else by now.
    pub(super) fn matches_found(&mut self, query: String, hits: Result<Vec<Hit>, String>) {
        if query != self.search.value() {
            return;
        }
        let keep = self.index.matched == query;
        match hits {
            Ok(hits) => {
                self.index.matches = hits;
                self.index.error = None;
            }
            Err(error) => {
                self.index.matches.clear();
                self.index.error = Some(safe_line(&error, 200));
            }
        }
        self.index.matched = query;
        if !keep {
            self.index.cursor.reset();
        }
    }

    /// Enter on a match: its process is asked of the server, and shown from
    /// the index at once when the index has it (a document's process with
    /// that document selected).
    pub(super) fn open_match(&mut self) -> Vec<Command> {
        let Some(hit) = self.index.matches.get(self.index.cursor.selected()).cloned() else {
            return Vec::new();
        };
        self.close_matches();
        let doc = match hit.kind {
            HitKind::Document => hit.doc_id.clone(),
            HitKind::Process => None,
        };
        self.index.pending = Some((hit.process_id.clone(), doc));
        let mut commands = self.fetch(ProcessQuery::Id(hit.process_id.clone()));
        if matches!(self.lookup, Lookup::Loading { .. }) {
            commands.push(Command::CachedProcess(hit.process_id));
        }
        commands
    }

    /// A process as the index last saw it: when its status changed, and,
    /// while its lookup from the index is still out, its data at once.
    pub(super) fn cached_process(&mut self, process_id: String, cached: Option<Box<CachedProcess>>) -> Vec<Command> {
        let Some(cached) = cached else { return Vec::new() };
        if let Some(at) = cached.status_changed_at {
            self.index.changed.insert(process_id.clone(), at);
        }
        let waiting = self.index.pending.as_ref().is_some_and(|(id, _)| *id == process_id);
        let offline = match &self.lookup {
            Lookup::Loading {
                query: ProcessQuery::Id(id),
                ..
            } if *id == process_id => false,
            Lookup::Failed {
                query: ProcessQuery::Id(id),
                ..
            } if *id == process_id => true,
            _ => return Vec::new(),
        };
        let shown = self
            .current
            .as_ref()
            .is_some_and(|p| p.process_id.as_str() == process_id);
        if !waiting || shown {
            return Vec::new();
        }
        let from = match &self.lookup {
            Lookup::Loading { from, .. } => Some(*from),
            _ => None,
        };
        let (lookup, pending) = (self.lookup.clone(), self.index.pending.clone());
        let commands = self.show_process(cached.process);
        self.lookup = lookup;
        self.index.pending = pending;
        self.index.cached = Some(CachedMark {
            seen: cached.last_seen,
            offline,
        });
        if from.is_none_or(|from| from == self.focus) {
            self.focus = if self.documents.total() > 0 {
                Focus::Documents
            } else {
                Focus::Process
            };
        }
        commands
    }

    /// Called by [`App::show_process`] with the process shown before and
    /// its selected document: the process now shown is fresh (a cached one
    /// marks itself after); the document opened from the index, or the one
    /// selected in the same process before, stays selected.
    pub(super) fn process_shown(&mut self, before: Option<(String, Option<String>)>) {
        self.index.cached = None;
        let Some(process) = &self.current else { return };
        let id = process.process_id.as_str();
        let before = before.filter(|(b, _)| b == id).and_then(|(_, d)| d);
        let wanted = match self.index.pending.take() {
            Some((pending, doc)) if pending == id => doc.or(before),
            _ => before,
        };
        let Some(doc) = wanted else { return };
        let row = process
            .documents
            .iter()
            .position(|d| d.doc_id.as_str() == doc)
            .and_then(|i| self.documents.rows().iter().position(|r| *r == i));
        if let Some(row) = row {
            let len = self.documents.rows().len();
            self.documents.cursor.select(row, len);
        }
    }

    /// The shown process and its selected document, for [`App::process_shown`].
    pub(super) fn shown_selection(&self) -> Option<(String, Option<String>)> {
        let process = self.current.as_ref()?;
        let doc = self
            .documents
            .selected_doc()
            .and_then(|i| process.documents.get(i))
            .map(|d| d.doc_id.as_str().to_string());
        Some((process.process_id.as_str().to_string(), doc))
    }

    /// A lookup failed: a cached process shown for it is now stale.
    pub(super) fn lookup_failed(&mut self) {
        if let (Some(mark), Lookup::Failed { query, .. }) = (&mut self.index.cached, &self.lookup)
            && self
                .current
                .as_ref()
                .is_some_and(|p| ProcessQuery::Id(p.process_id.as_str().to_string()) == *query)
        {
            mark.offline = true;
        }
    }

    /// The index says which attachments have an intact saved copy.
    pub(super) fn saved_files(&mut self, files: HashMap<String, Option<PathBuf>>) {
        for (id, path) in files {
            match path {
                Some(path) => self.index.saved.insert(id, path),
                None => self.index.saved.remove(&id),
            };
        }
    }

    /// A download of `id` saved a file (or found the saved one): remember it as saved.
    pub(super) fn remember_saved(&mut self, id: DownloadId, path: &Path) {
        if let Some(t) = self
            .downloads
            .row_of(id)
            .and_then(|row| self.downloads.items().get(row))
        {
            let attachment = t.doc.doc_id.as_str().to_string();
            self.index.saved.insert(attachment, path.to_path_buf());
        }
    }

    /// Says in the documents pane where the copy saved before is.
    pub(super) fn say_already_saved(&mut self, path: &Path) {
        self.documents_notice = Some(Notice {
            error: false,
            text: tr!(
                self.lang,
                "already-saved",
                path = safe_line(&path.to_string_lossy(), 300)
            ),
        });
    }

    /// `d` on a document saved before: says where the copy is and asks
    /// whether to save a new copy (`d` again) instead of downloading.
    pub(super) fn ask_save_again(&mut self, process_id: String, doc: usize, path: PathBuf) {
        self.say_already_saved(&path);
        self.prompt = Some(Prompt::SaveAgain { process_id, doc });
    }

    /// The answer yes to [`Prompt::SaveAgain`]: a new copy of the document.
    pub(super) fn save_again(&mut self, process_id: &str, doc: usize) -> Vec<Command> {
        let Some(process) = self.process_ref().filter(|p| p.id.as_str() == process_id) else {
            return Vec::new();
        };
        let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(doc)).cloned() else {
            return Vec::new();
        };
        match self.downloads.enqueue_copy(document, process) {
            Some(command) => {
                self.documents_notice = Some(Notice {
                    error: false,
                    text: tr!(self.lang, "saving-new-copy"),
                });
                vec![command]
            }
            None => Vec::new(),
        }
    }
}
