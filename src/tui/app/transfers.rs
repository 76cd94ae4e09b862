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
        if self.downloads.enqueue(document, process) == Enqueued::AlreadyActive {
            self.documents_notice = Some(Notice {
                error: false,
                text: format!("{name} is already downloading"),
            });
            return Vec::new();
        }
        self.downloads.pump()
    }

    pub(super) fn download_all(&mut self) -> Vec<Command> {
        let Some(process) = self.process_ref() else {
            return Vec::new();
        };
        let docs = self.documents.take_marked_or_shown();
        let mut added = 0usize;
        for i in docs {
            let Some(document) = self.current.as_ref().and_then(|p| p.documents.get(i)).cloned() else {
                continue;
            };
            if self.downloads.enqueue(document, process.clone()) == Enqueued::Added {
                added += 1;
            }
        }
        if added > 0 {
            let plural = if added == 1 { "" } else { "s" };
            self.documents_notice = Some(Notice {
                error: false,
                text: format!("Queued {added} download{plural}"),
            });
        }
        self.downloads.pump()
    }

    pub(super) fn open_selected_document(&mut self) -> Vec<Command> {
        let (Some(doc), Some(p)) = (self.documents.selected_doc(), self.current.as_ref()) else {
            return Vec::new();
        };
        let Some(document) = p.documents.get(doc) else {
            return Vec::new();
        };
        let transfer = self.downloads.for_doc(p.process_id.as_str(), document.doc_id.as_str());
        match transfer.and_then(|t| t.path.clone().filter(|_| t.state == TransferState::Done)) {
            Some(path) => vec![Command::Open(path)],
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
        match (&t.path, t.state) {
            (Some(path), TransferState::Done) => vec![Command::Open(path.clone())],
            _ => {
                self.downloads_notice = Some(Notice {
                    error: false,
                    text: "That download has not finished yet".into(),
                });
                Vec::new()
            }
        }
    }
}
