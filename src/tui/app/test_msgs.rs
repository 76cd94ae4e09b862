//! The messages the unit tests of `update` send: keys and worker events at
//! one fixed time.

use super::Msg;
use crate::worker::Event;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;
use time::macros::datetime;

/// The time every event of these tests arrives at.
pub(super) const NOW: OffsetDateTime = datetime!(2024-02-12 10:30 UTC);

/// A key press without modifiers.
pub(super) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A typed character.
pub(super) fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// A worker event at [`NOW`].
pub(super) fn ev(event: Event) -> Msg {
    Msg::Event { event, now: NOW }
}
