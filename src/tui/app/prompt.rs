//! Questions on the hint line that the next key answers: quitting while
//! downloads run, downloading more than [`ASK_ABOVE`] documents at once, and
//! saving a new copy of a document saved before.

use super::*;
use crate::tr;
use crossterm::event::{KeyCode, KeyModifiers};

/// `D` asks first when it would queue more documents than this.
pub(crate) const ASK_ABOVE: usize = 50;

/// A question waiting for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Prompt {
    /// `q` while downloads are unfinished: `q` again quits, Esc stays.
    Quit {
        /// How many downloads are queued or running.
        running: usize,
    },
    /// `D` of many documents: Enter or `y` queues them, Esc does not.
    Download {
        /// The process they belong to (the answer is void if another one is shown by then).
        process_id: String,
        /// The documents (indices into the process's documents).
        docs: Vec<usize>,
    },
    /// `d` of a document saved before: `d` again saves a new copy, any other key does not.
    SaveAgain {
        /// The process it belongs to (the answer is void if another one is shown by then).
        process_id: String,
        /// The document (an index into the process's documents).
        doc: usize,
    },
}

impl App {
    /// The question on the hint line, in words, with its keys from the keymap.
    pub(crate) fn prompt_text(&self, short: bool) -> Option<String> {
        let prompt = self.prompt.as_ref()?;
        let stay = self.first_key(Action::Cancel);
        Some(match prompt {
            Prompt::Quit { running } => {
                let quit = self.first_key(Action::Quit);
                let what = tr!(
                    self.lang,
                    "prompt-running",
                    count = *running,
                    n = crate::tui::format::thousands_in(self.lang, *running)
                );
                if short {
                    tr!(self.lang, "prompt-quit-short", what = what, quit = quit, stay = stay)
                } else {
                    tr!(self.lang, "prompt-quit", what = what, quit = quit, stay = stay)
                }
            }
            Prompt::Download { docs, .. } => tr!(
                self.lang,
                "prompt-download-many",
                n = crate::tui::format::thousands_in(self.lang, docs.len()),
                stay = stay
            ),
            Prompt::SaveAgain { .. } => {
                let again = self.keymap.keys_for(Action::Download).join("/");
                if short {
                    tr!(self.lang, "prompt-save-again-short", again = again)
                } else {
                    tr!(self.lang, "prompt-save-again", again = again, stay = stay)
                }
            }
        })
    }

    /// `q`: quits, or asks first while downloads are unfinished.
    pub(super) fn ask_quit(&mut self) -> Vec<Command> {
        let running = self.downloads.items().iter().filter(|t| t.state.is_active()).count();
        if running == 0 {
            return self.quit();
        }
        self.prompt = Some(Prompt::Quit { running });
        Vec::new()
    }

    /// Answers the question with `key` (its `action` here, if any): `Some`
    /// when the key was the answer, `None` when it goes on to do its own
    /// thing (the question is dropped).
    pub(super) fn answer(&mut self, prompt: Prompt, key: &KeyEvent, action: Option<Action>) -> Option<Vec<Command>> {
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match prompt {
            Prompt::Quit { .. } => match action {
                Some(Action::Quit) => Some(self.quit()),
                Some(Action::Cancel) => Some(Vec::new()),
                Some(Action::Suspend) => {
                    self.prompt = Some(prompt);
                    None
                }
                _ => None,
            },
            Prompt::Download { process_id, docs } => {
                let yes = key.code == KeyCode::Enter || (plain && matches!(key.code, KeyCode::Char('y' | 'Y')));
                let no = action == Some(Action::Cancel) || (plain && matches!(key.code, KeyCode::Char('n' | 'N')));
                if yes {
                    Some(self.queue_documents(&process_id, docs))
                } else if no {
                    self.documents_notice = Some(Notice {
                        error: false,
                        text: tr!(self.lang, "nothing-downloaded"),
                    });
                    Some(Vec::new())
                } else if action == Some(Action::Suspend) {
                    self.prompt = Some(Prompt::Download { process_id, docs });
                    None
                } else {
                    None
                }
            }
            Prompt::SaveAgain { process_id, doc } => match action {
                Some(Action::Download) => Some(self.save_again(&process_id, doc)),
                Some(Action::Cancel) => Some(Vec::new()),
                Some(Action::Suspend) => {
                    self.prompt = Some(Prompt::SaveAgain { process_id, doc });
                    None
                }
                _ => None,
            },
        }
    }
}
