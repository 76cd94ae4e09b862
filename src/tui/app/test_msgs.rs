//! What the unit tests of `update` start from and send: a signed-in app's
//! init, keys and worker events at one fixed time.

use super::Msg;
use super::{AppInit, Keymap, RecentEntry, SessionInfo, Theme};
use crate::worker::Event;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::datetime;
use time::{Duration, OffsetDateTime, UtcOffset};

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

/// The app's start at [`NOW`] against the local sandbox's address, signed in
/// as the demo user for another hour when `logged_in`, one process recent.
pub(super) fn init(logged_in: bool) -> AppInit {
    AppInit {
        base_url: "http://127.0.0.1:8080/api".into(),
        base_url_origin: None,
        email: Some("demo@trackline.local".into()),
        password_prefill: None,
        session: logged_in.then(|| SessionInfo {
            email: "demo@trackline.local".into(),
            expires_at: Some(NOW + Duration::hours(1)),
        }),
        recent: vec![RecentEntry {
            process_id: "20001".into(),
            name: Some("Onboarding".into()),
            status: None,
        }],
        keymap: Keymap::default(),
        theme: Theme::default(),
        now: NOW,
        local_offset: UtcOffset::UTC,
    }
}

/// The rows of `app` drawn on a `w`×`h` screen at [`NOW`].
pub(super) fn rows_drawn(app: &super::App, w: u16, h: u16) -> Vec<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| crate::tui::view::draw(f, app, NOW)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

/// The words of `rows` between their borders, joined by single spaces: a
/// text wrapped onto several rows of a pane reads as one.
pub(super) fn words_inside(rows: &[String]) -> String {
    rows.iter()
        .flat_map(|row| row.split('│'))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}
