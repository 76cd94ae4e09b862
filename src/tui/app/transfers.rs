//! Download keys: downloading the selected or marked documents and opening saved files.

use super::*;
use crate::tui::format::thousands;

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
        match self.downloads.enqueue(document, process) {
            Some(command) => vec![command],
            None => {
                self.documents_notice = Some(Notice {
                    error: false,
                    text: format!("{name} is already downloading"),
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
            process
                .documents
                .get(i)
                .is_some_and(|d| !self.downloads.has(&pid, d.doc_id.as_str()))
        });
        if docs.is_empty() {
            let open = self.first_key(Action::Open);
            self.documents_notice = Some(Notice {
                error: false,
                text: match skipped.len() {
                    0 => "No document to download".to_string(),
                    1 => format!("That document is already downloaded or on its way — {open} opens it"),
                    n => format!("All {} are already downloaded or on their way", thousands(n)),
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
                text: "Another process is shown now: nothing downloaded".into(),
            });
            return Vec::new();
        };
        let skipped = self.documents.marked_or_shown().len().saturating_sub(docs.len());
        self.documents.clear_marks();
        let mut commands = Vec::new();
        for i in docs {
            let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(i)).cloned() else {
                continue;
            };
            commands.extend(self.downloads.enqueue(document, process.clone()));
        }
        let added = commands.len();
        let plural = if added == 1 { "" } else { "s" };
        let mut text = format!("Queued {} download{plural}", thousands(added));
        if skipped > 0 {
            text.push_str(&format!(" ({} already downloaded or on their way)", thousands(skipped)));
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
                    text: format!("Not downloaded yet — press {key} to download it"),
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
                    text: "That download has not finished yet".into(),
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
                    text: "Nothing to cancel: that download is not queued or running".into(),
                });
                Vec::new()
            }
        }
    }

    pub(super) fn retry_selected_download(&mut self) -> Vec<Command> {
        match self.downloads.retry_selected() {
            Some(command) => vec![command],
            None => {
                self.downloads_notice = self.downloads.selected().map(|_| Notice {
                    error: false,
                    text: "Only a failed or cancelled download can be retried".into(),
                });
                Vec::new()
            }
        }
    }

    /// `X`: cancels every queued and running download.
    pub(super) fn cancel_all_downloads(&mut self) -> Vec<Command> {
        let cancelled = self.downloads.cancel_all();
        let plural = if cancelled == 1 { "" } else { "s" };
        self.downloads_notice = Some(Notice {
            error: false,
            text: match cancelled {
                0 => "Nothing to cancel: no download is queued or running".to_string(),
                n => format!("Cancelled {} download{plural}; r on one starts it again", thousands(n)),
            },
        });
        if cancelled == 0 {
            Vec::new()
        } else {
            vec![Command::CancelAllDownloads]
        }
    }
}
