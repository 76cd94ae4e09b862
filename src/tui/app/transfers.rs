//! Download keys: downloading the selected or marked documents and opening saved files.

use super::*;
use crate::tr;
use crate::tui::downloads::{Detail, Progress, Tone, TransferState};
use crate::tui::format::thousands_in;

impl App {
    pub(super) fn process_ref(&self) -> Option<ProcessRef> {
        self.current.as_ref().map(|p| ProcessRef {
            id: p.process_id.clone(),
            name: p.name.clone(),
        })
    }

    pub(super) fn download_selected(&mut self) -> Vec<Command> {
        let (Some(doc), Some(process)) = (self.documents.selected_doc(), self.process_ref()) else {
            return Vec::new();
        };
        let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(doc)).cloned() else {
            return Vec::new();
        };
        let name = safe_line(&document.display_name(), 80);
        let pid = process.id.as_str().to_string();
        if let Some(path) = self.index.saved(document.doc_id.as_str()).cloned()
            && !self
                .downloads
                .for_doc(&pid, document.doc_id.as_str())
                .is_some_and(|t| t.state.is_active())
        {
            self.ask_save_again(pid, doc, path);
            return Vec::new();
        }
        match self.downloads.enqueue(document, process) {
            Some(command) => {
                self.show_download(&command);
                vec![command]
            }
            None => {
                self.documents_notice = Some(Notice {
                    error: false,
                    text: tr!(self.lang, "already-downloading", name = name),
                });
                Vec::new()
            }
        }
    }

    /// `D`: the marked documents, or every one shown, less those saved or on
    /// their way in this session; asks first when that is more than [`prompt::ASK_ABOVE`].
    pub(super) fn download_all(&mut self) -> Vec<Command> {
        let Some(process) = self.current.as_ref() else {
            return Vec::new();
        };
        let pid = process.process_id.as_str().to_string();
        let chosen = self.documents.marked_or_shown();
        let (docs, skipped): (Vec<usize>, Vec<usize>) = chosen.into_iter().partition(|&i| {
            process.documents.get(i).is_some_and(|d| {
                !self.downloads.has(&pid, d.doc_id.as_str()) && self.index.saved(d.doc_id.as_str()).is_none()
            })
        });
        let saved = skipped
            .iter()
            .filter(|&&i| {
                process.documents.get(i).is_some_and(|d| {
                    !self.downloads.has(&pid, d.doc_id.as_str()) && self.index.saved(d.doc_id.as_str()).is_some()
                })
            })
            .count();
        if docs.is_empty() {
            let open = self.first_key(Action::Open);
            self.documents_notice = Some(Notice {
                error: false,
                text: match skipped.len() {
                    0 => tr!(self.lang, "no-document-to-download"),
                    n if n == saved => tr!(
                        self.lang,
                        "all-already-saved",
                        n = thousands_in(self.lang, n),
                        key = self.first_key(Action::Download)
                    ),
                    1 => tr!(self.lang, "one-already-downloaded", key = open),
                    n => tr!(self.lang, "all-already-downloaded", n = thousands_in(self.lang, n)),
                },
            });
            return Vec::new();
        }
        if docs.len() > prompt::ASK_ABOVE {
            self.prompt = Some(Prompt::Download { process_id: pid, docs });
            return Vec::new();
        }
        self.queue_documents(&pid, docs)
    }

    /// Queues `docs` of the process `process_id` (if it is still the one shown) and clears the marks.
    pub(super) fn queue_documents(&mut self, process_id: &str, docs: Vec<usize>) -> Vec<Command> {
        let Some(process) = self.process_ref().filter(|p| p.id.as_str() == process_id) else {
            self.documents_notice = Some(Notice {
                error: false,
                text: tr!(self.lang, "another-process-shown"),
            });
            return Vec::new();
        };
        let chosen = self.documents.marked_or_shown();
        let saved = self.current.as_ref().map_or(0, |p| {
            chosen
                .iter()
                .filter(|&&i| {
                    p.documents.get(i).is_some_and(|d| {
                        !docs.contains(&i)
                            && !self.downloads.has(process_id, d.doc_id.as_str())
                            && self.index.saved(d.doc_id.as_str()).is_some()
                    })
                })
                .count()
        });
        let skipped = chosen.len().saturating_sub(docs.len()).saturating_sub(saved);
        self.documents.clear_marks();
        let mut commands = Vec::new();
        for i in docs {
            let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(i)).cloned() else {
                continue;
            };
            commands.extend(self.downloads.enqueue(document, process.clone()));
        }
        if let Some(first) = commands.first() {
            self.show_download(first);
        }
        let added = commands.len();
        let lang = self.lang;
        let mut text = tr!(lang, "queued-downloads", count = added, n = thousands_in(lang, added));
        if saved > 0 {
            text.push_str(&tr!(lang, "queued-skipped-saved", n = thousands_in(lang, saved)));
        }
        if skipped > 0 {
            text.push_str(&tr!(lang, "queued-skipped-on-way", n = thousands_in(lang, skipped)));
        }
        self.documents_notice = Some(Notice { error: false, text });
        commands
    }

    pub(super) fn open_selected_document(&mut self) -> Vec<Command> {
        let (Some(doc), Some(p)) = (self.documents.selected_doc(), self.current.as_ref()) else {
            return Vec::new();
        };
        let Some(document) = p.documents.get(doc) else {
            return Vec::new();
        };
        let transfer = self.downloads.for_doc(p.process_id.as_str(), document.doc_id.as_str());
        match transfer.and_then(Transfer::saved_path) {
            Some(path) => vec![Command::Open(path.to_path_buf())],
            None => {
                let key = self.first_key(Action::Download);
                self.documents_notice = Some(Notice {
                    error: false,
                    text: tr!(self.lang, "not-downloaded-yet", key = key),
                });
                Vec::new()
            }
        }
    }

    pub(super) fn open_selected_download(&mut self) -> Vec<Command> {
        let Some(t) = self.downloads.selected() else {
            return Vec::new();
        };
        match t.saved_path() {
            Some(path) => vec![Command::Open(path.to_path_buf())],
            None => {
                self.downloads_notice = Some(Notice {
                    error: false,
                    text: tr!(self.lang, "download-not-finished"),
                });
                Vec::new()
            }
        }
    }

    pub(super) fn cancel_selected_download(&mut self) -> Vec<Command> {
        match self.downloads.cancel_selected() {
            Some(commands) => commands,
            None => {
                self.downloads_notice = self.downloads.selected().map(|_| Notice {
                    error: false,
                    text: tr!(self.lang, "nothing-to-cancel-one"),
                });
                Vec::new()
            }
        }
    }

    pub(super) fn retry_selected_download(&mut self) -> Vec<Command> {
        match self.downloads.retry_selected() {
            Some(command) => {
                if let Some(t) = self.downloads.selected() {
                    self.retry_notice = Some(t.id);
                    self.downloads_notice = Some(Notice {
                        error: false,
                        text: tr!(self.lang, "trying-again", name = safe_line(&t.doc.display_name(), 80)),
                    });
                }
                vec![command]
            }
            None => {
                self.downloads_notice = self.downloads.selected().map(|_| Notice {
                    error: false,
                    text: tr!(self.lang, "only-failed-retried"),
                });
                Vec::new()
            }
        }
    }

    /// `X`: cancels every queued and running download.
    pub(super) fn cancel_all_downloads(&mut self) -> Vec<Command> {
        let cancelled = self.downloads.cancel_all();
        self.downloads_notice = Some(Notice {
            error: false,
            text: match cancelled {
                0 => tr!(self.lang, "nothing-to-cancel"),
                n => tr!(
                    self.lang,
                    "cancelled-downloads",
                    count = n,
                    n = thousands_in(self.lang, n)
                ),
            },
        });
        if cancelled == 0 {
            Vec::new()
        } else {
            vec![Command::CancelAllDownloads]
        }
    }

    /// The worker answered about download `id`: a "Trying … again" notice about it has done its job.
    pub(super) fn heard_of(&mut self, id: DownloadId) {
        if self.retry_notice == Some(id) {
            self.retry_notice = None;
            self.downloads_notice = None;
        }
    }

    /// Selects (so scrolls into view) the row a download command just asked
    /// for, unless the user is moving in the downloads pane.
    fn show_download(&mut self, command: &Command) {
        if let Command::Download { id, .. } = command
            && self.focus != Focus::Downloads
            && let Some(row) = self.downloads.row_of(*id)
        {
            let len = self.downloads.items().len();
            self.downloads.cursor.select(row, len);
        }
    }

    /// A download failed: out of the downloads pane its row is selected, so
    /// it is in view; a retry that failed again says so.
    pub(super) fn download_failed(&mut self, id: DownloadId, error: String, retryable: bool, needs_login: bool) {
        let row = self.downloads.row_of(id);
        self.downloads.failed(id, error.clone(), retryable, needs_login);
        let Some(row) = row else { return };
        let Some(t) = self.downloads.items().get(row) else {
            return;
        };
        if !matches!(t.state, TransferState::Failed { .. }) {
            return;
        }
        if t.tries > 1 {
            self.downloads_notice = Some(Notice {
                error: true,
                text: tr!(
                    self.lang,
                    "failed-again",
                    name = safe_line(&t.doc.display_name(), 80),
                    tries = t.tries.to_string(),
                    error = error.as_str()
                ),
            });
        }
        if self.focus != Focus::Downloads {
            let len = self.downloads.items().len();
            self.downloads.cursor.select(row, len);
        }
    }

    /// What the downloads pane says below its rows: a message, a retry in
    /// wait, or (in the pane, or for a file of the process shown) the
    /// selected row's error or saved path and SHA-256.
    pub(crate) fn downloads_detail(&self) -> Option<Detail> {
        if let Some(notice) = &self.downloads_notice {
            return Some(Detail {
                text: safe_line(&notice.text, 600),
                tone: if notice.error { Tone::Error } else { Tone::Info },
                wrap: true,
            });
        }
        let focused = self.focus == Focus::Downloads && !self.login.visible() && self.help.is_none();
        let retrying = self.downloads.items().iter().find_map(|t| match &t.state {
            TransferState::Running(Progress {
                retry_note: Some(note), ..
            }) => Some(format!("{}: {note}", safe_line(&t.doc.display_name(), 60))),
            _ => None,
        });
        if let Some(text) = retrying {
            return Some(Detail {
                text,
                tone: Tone::Warn,
                wrap: focused,
            });
        }
        let t = self.downloads.selected()?;
        match &t.state {
            TransferState::Failed { error, .. } if focused => Some(Detail {
                text: crate::tr!(
                    self.lang,
                    "downloads-failed-retry",
                    error = safe_line(error, 300),
                    key = self.first_key(Action::Retry)
                ),
                tone: Tone::Error,
                wrap: true,
            }),
            TransferState::Done { path, sha256, .. }
                if focused || self.current.as_ref().is_some_and(|p| p.process_id == t.process.id) =>
            {
                Some(Detail {
                    text: crate::tr!(
                        self.lang,
                        "downloads-saved",
                        path = safe_line(&path.to_string_lossy(), 300),
                        sha256 = safe_line(sha256, 64)
                    ),
                    tone: Tone::Muted,
                    wrap: focused,
                })
            }
            _ => None,
        }
    }
}
