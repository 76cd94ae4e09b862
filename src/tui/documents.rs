//! The documents table's state: the filter (cached, recomputed only when it
//! changes), the marks and the selection. Rows are indices into the current
//! process's documents, so nothing is cloned per frame.

use super::list::ListCursor;
use crate::api::Document;
use std::collections::BTreeSet;
use tui_input::Input;

/// The documents table of the current process.
#[derive(Debug, Default)]
pub(crate) struct DocumentsPane {
    /// Lower-cased "name type" of every document, to filter without allocating.
    keys: Vec<String>,
    /// The rows shown: indices of the documents that pass the filter, in order.
    filtered: Vec<usize>,
    /// Marked documents (indices into the documents).
    marks: BTreeSet<usize>,
    /// The selected row (an index into `filtered`).
    pub(crate) cursor: ListCursor,
    /// The filter text box.
    pub(crate) filter: Input,
    /// Whether the filter box has the keyboard.
    pub(crate) filtering: bool,
}

impl DocumentsPane {
    /// A table for these documents, unfiltered and unmarked.
    pub(crate) fn new(documents: &[Document]) -> DocumentsPane {
        let keys = documents
            .iter()
            .map(|d| {
                let mut key = d.display_name().to_lowercase();
                if let Some(t) = &d.doc_type {
                    key.push('\u{1f}');
                    key.push_str(&t.to_lowercase());
                }
                key
            })
            .collect();
        DocumentsPane {
            keys,
            filtered: (0..documents.len()).collect(),
            ..DocumentsPane::default()
        }
    }

    /// The number of documents (unfiltered).
    pub(crate) fn total(&self) -> usize {
        self.keys.len()
    }

    /// The rows shown, as document indices.
    pub(crate) fn rows(&self) -> &[usize] {
        &self.filtered
    }

    /// The document index of the selected row.
    pub(crate) fn selected_doc(&self) -> Option<usize> {
        self.filtered.get(self.cursor.selected()).copied()
    }

    /// Recomputes the rows after the filter text changed.
    pub(crate) fn refilter(&mut self) {
        let needle = self.filter.value().trim().to_lowercase();
        self.filtered = if needle.is_empty() {
            (0..self.keys.len()).collect()
        } else {
            self.keys
                .iter()
                .enumerate()
                .filter(|(_, k)| k.contains(&needle))
                .map(|(i, _)| i)
                .collect()
        };
        self.cursor.reset();
    }

    /// Marks or unmarks the selected document; true if something was selected.
    pub(crate) fn toggle_mark(&mut self) -> bool {
        let Some(doc) = self.selected_doc() else { return false };
        if !self.marks.remove(&doc) {
            self.marks.insert(doc);
        }
        true
    }

    /// Whether a document is marked.
    pub(crate) fn is_marked(&self, doc: usize) -> bool {
        self.marks.contains(&doc)
    }

    /// How many documents are marked.
    pub(crate) fn marked_count(&self) -> usize {
        self.marks.len()
    }

    /// The marked documents, or every shown one if none is marked.
    pub(crate) fn marked_or_shown(&self) -> Vec<usize> {
        if self.marks.is_empty() {
            self.filtered.clone()
        } else {
            self.marks.iter().copied().collect()
        }
    }

    /// Unmarks every document.
    pub(crate) fn clear_marks(&mut self) {
        self.marks.clear();
    }
}
