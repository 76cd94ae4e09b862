//! Download keys: downloading the selected or marked documents and opening saved files.

use super::*;

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

    pub(super) fn download_all(&mut self) -> Vec<Command> {
        let Some(process) = self.process_ref() else {
            return Vec::new();
        };
        let docs = self.documents.take_marked_or_shown();
        let mut commands = Vec::new();
        for i in docs {
            let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(i)).cloned() else {
                continue;
            };
            commands.extend(self.downloads.enqueue(document, process.clone()));
        }
        let added = commands.len();
        if added > 0 {
            let plural = if added == 1 { "" } else { "s" };
            self.documents_notice = Some(Notice {
                error: false,
                text: format!("Queued {added} download{plural}"),
            });
        }
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
}
