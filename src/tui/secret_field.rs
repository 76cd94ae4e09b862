//! The login dialog's password box. Its text lives in one buffer reserved up
//! front, so typing never reallocates it and leaves a copy behind in freed
//! memory, it keeps no cut-and-paste copy (tui-input's `Input` keeps one),
//! and it is wiped when cleared and when dropped.

use secrecy::SecretString;
use tui_input::InputRequest;
use zeroize::Zeroizing;

/// The most bytes a password may have; a longer one is not typed further.
const CAPACITY: usize = 1024;

/// A masked text field whose contents are zeroised.
pub(crate) struct SecretField {
    text: Zeroizing<String>,
    /// Characters before the cursor.
    cursor: usize,
}

impl Default for SecretField {
    fn default() -> Self {
        SecretField {
            text: Zeroizing::new(String::with_capacity(CAPACITY)),
            cursor: 0,
        }
    }
}

impl std::fmt::Debug for SecretField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretField")
            .field("chars", &self.chars())
            .finish_non_exhaustive()
    }
}

impl SecretField {
    /// A field holding `text` (the demo's prefilled password), cursor at the end.
    pub(crate) fn with_text(text: &str) -> Self {
        let mut field = SecretField::default();
        field.insert_str(text);
        field
    }

    /// How many characters it holds (what the mask shows).
    pub(crate) fn chars(&self) -> usize {
        self.text.chars().count()
    }

    /// The cursor, in characters from the start.
    pub(crate) fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether it is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The password, as the secret the login sends.
    pub(crate) fn secret(&self) -> SecretString {
        SecretString::from(self.text.as_str())
    }

    /// The text, for tests that check what was typed.
    #[cfg(test)]
    pub(crate) fn value(&self) -> &str {
        &self.text
    }

    /// Wipes the text.
    pub(crate) fn clear(&mut self) {
        use zeroize::Zeroize as _;
        self.text.zeroize();
        self.cursor = 0;
    }

    fn byte(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(i, _)| i)
    }

    /// Types `text` at the cursor (a paste), as far as the buffer has room.
    pub(crate) fn insert_str(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            if self.text.len() + c.len_utf8() > CAPACITY {
                break;
            }
            let at = self.byte(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
        }
    }

    /// Applies one editing request; `true` when something changed.
    pub(crate) fn handle(&mut self, request: InputRequest) -> bool {
        use InputRequest::*;
        let len = self.chars();
        let before = (self.cursor, self.text.len());
        match request {
            InsertChar(c) => self.insert_str(c.encode_utf8(&mut [0; 4])),
            DeletePrevChar if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            DeleteNextChar if self.cursor < len => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            GoToPrevChar | GoToPrevWord => self.cursor = self.cursor.saturating_sub(1),
            GoToNextChar | GoToNextWord => self.cursor = (self.cursor + 1).min(len),
            GoToStart => self.cursor = 0,
            GoToEnd => self.cursor = len,
            SetCursor(at) => self.cursor = at.min(len),
            DeleteLine => self.clear(),
            DeleteTillEnd => {
                let at = self.byte(self.cursor);
                self.text.truncate(at);
            }
            DeleteFromStart | DeletePrevWord => {
                let at = self.byte(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
            }
            DeleteNextWord => {
                let at = self.byte(self.cursor);
                self.text.truncate(at);
            }
            _ => {}
        }
        before != (self.cursor, self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret as _;

    #[test]
    fn typing_edits_like_a_text_box_and_never_grows_the_buffer() {
        let mut field = SecretField::default();
        let start = field.text.as_ptr();
        for c in "pässword".chars() {
            assert!(field.handle(InputRequest::InsertChar(c)));
        }
        field.handle(InputRequest::GoToPrevChar);
        field.handle(InputRequest::DeletePrevChar);
        field.handle(InputRequest::InsertChar('X'));
        assert_eq!(field.secret().expose_secret(), "pässwoXd");
        assert_eq!((field.chars(), field.cursor()), (8, 7));
        field.insert_str(&"a".repeat(2 * CAPACITY));
        assert!(field.text.len() <= CAPACITY);
        assert_eq!(
            field.text.as_ptr(),
            start,
            "the buffer was reallocated, leaving a copy behind"
        );
        field.clear();
        assert!(field.is_empty() && field.cursor() == 0);
        assert!(!format!("{field:?}").contains("pässwo"));
    }

    #[test]
    fn clearing_wipes_the_bytes_in_place() {
        let mut field = SecretField::with_text("hunter2");
        let buffer = field.text.as_ptr();
        field.clear();
        // The same allocation, now holding nothing: zeroize cleared its bytes
        // before truncating (reading them back would need `unsafe`; the crate
        // documents that `Zeroize for String` wipes the whole capacity).
        assert_eq!(field.text.as_ptr(), buffer);
        assert_eq!(field.text.capacity(), CAPACITY);
        field.handle(InputRequest::InsertChar('a'));
        assert_eq!(field.secret().expose_secret(), "a");
    }
}
