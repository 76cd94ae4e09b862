//! `y`: copies what is selected to the clipboard (the terminal host writes
//! it as OSC 52, which works over SSH and in tmux), and says so on the hint line.
//!
//! What each place copies:
//! - recent processes, the name chooser, the process pane: the process id;
//! - documents: the saved path of a downloaded document, else its id (the attachment id);
//! - downloads: the saved path of a finished download, and on a second `y`
//!   its SHA-256; the attachment id of one not finished.

use super::*;
use crate::tr;
use crate::tui::bindings::Pane;
use crate::tui::downloads::TransferState;

impl App {
    pub(super) fn copy_selected(&mut self, pane: Pane) -> Vec<Command> {
        let copied_path = self.copied_path.take();
        let what = match pane {
            Pane::Recent if self.showing_matches() => self
                .index
                .matches
                .get(self.index.cursor.selected())
                .map(|hit| ("process id", hit.process_id.clone())),
            Pane::Recent => self
                .recent
                .get(self.recent_cursor.selected())
                .map(|r| ("process id", r.process_id.clone())),
            Pane::Watched => self
                .watch
                .rows
                .get(self.watch.cursor.selected())
                .map(|r| ("process id", r.process_id.clone())),
            Pane::Choices => self
                .choices
                .get(self.choice_cursor.selected())
                .map(|p| ("process id", p.process_id.as_str().to_string())),
            Pane::Process => self
                .current
                .as_ref()
                .map(|p| ("process id", p.process_id.as_str().to_string())),
            Pane::Documents => self.selected_document_copy(),
            Pane::Downloads => match self.downloads.selected() {
                Some(t) => match &t.state {
                    TransferState::Done { sha256, .. } if copied_path == Some(t.id) => {
                        Some(("SHA-256", sha256.clone()))
                    }
                    TransferState::Done { path, .. } => {
                        self.copied_path = Some(t.id);
                        Some(("saved path", path.to_string_lossy().into_owned()))
                    }
                    _ => Some(("document id", t.doc.doc_id.as_str().to_string())),
                },
                None => None,
            },
            _ => None,
        };
        let Some((label, text)) = what else {
            self.hint_notice = Some(Notice {
                error: false,
                text: tr!(self.lang, "copy-nothing"),
            });
            return Vec::new();
        };
        let again = if self.copied_path.is_some() {
            tr!(self.lang, "copy-again-sha", key = self.first_key(Action::Copy))
        } else {
            String::new()
        };
        self.hint_notice = Some(Notice {
            error: false,
            text: tr!(
                self.lang,
                "copied",
                what = self
                    .lang
                    .t(&format!("copy-what-{}", crate::i18n::slug(label).to_lowercase())),
                again = again,
                text = safe_line(&text, 200)
            ),
        });
        self.effects.push(Effect::Copy(text));
        Vec::new()
    }

    /// The selected document's saved path, else its id.
    fn selected_document_copy(&self) -> Option<(&'static str, String)> {
        let process = self.current.as_ref()?;
        let doc = process.documents.get(self.documents.selected_doc()?)?;
        let saved = self
            .downloads
            .for_doc(process.process_id.as_str(), doc.doc_id.as_str())
            .and_then(Transfer::saved_path);
        Some(match saved {
            Some(path) => ("saved path", path.to_string_lossy().into_owned()),
            None => ("document id", doc.doc_id.as_str().to_string()),
        })
    }
}
