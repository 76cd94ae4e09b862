//! Issue 13's search box, process details and messages: `App::update` and
//! what a frame of it shows, at 80×24 and larger.

use super::*;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::Duration;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2024-02-12 10:30 UTC);

fn init(logged_in: bool) -> AppInit {
    AppInit {
        base_url: "http://127.0.0.1:8080/api".into(),
        base_url_origin: None,
        email: Some("demo@trackline.local".into()),
        password_prefill: None,
        session: logged_in.then(|| SessionInfo {
            email: "demo@trackline.local".into(),
            expires_at: Some(NOW + Duration::hours(1)),
        }),
        recent: vec![
            RecentEntry {
                process_id: "12345".into(),
                name: Some("Odoo Billing Process".into()),
                status: None,
            },
            RecentEntry {
                process_id: "12360".into(),
                name: Some("Month-End Close".into()),
                status: None,
            },
        ],
        keymap: Keymap::default(),
        theme: Theme::default(),
        now: NOW,
        local_offset: UtcOffset::UTC,
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ev(event: Event) -> Msg {
    Msg::Event { event, now: NOW }
}

/// Sizes the app like a terminal of `w`×`h` (as the runtime does before the first frame).
fn sized(mut app: App, w: u16, h: u16) -> App {
    app.update(Msg::Resize { width: w, height: h });
    app
}

fn screen(app: &App, w: u16, h: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| crate::tui::view::draw(f, app, NOW)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

fn shows(lines: &[String], text: &str) -> bool {
    lines.iter().any(|l| l.contains(text))
}

#[test]
fn messages_go_to_the_hint_line_and_clear_by_themselves() {
    let mut app = sized(
        App::new(init(true)).with_profiles("default", vec!["default".into()]),
        80,
        24,
    );
    app.update(key(KeyCode::Tab));
    app.update(ch('P'));
    let lines = screen(&app, 80, 24);
    assert!(lines[0].contains("default"), "{}", lines[0]);
    assert!(!lines[0].contains("Only one profile"), "{}", lines[0]);
    let text = lines[22..].join(" ");
    assert!(
        text.contains("Only one profile") && text.contains("[profiles.NAME]"),
        "{lines:#?}"
    );
    assert!(app.is_animating(), "ticks run while a message shows");
    for _ in 0..NOTICE_TICKS {
        app.update(Msg::Tick { now: NOW });
    }
    assert!(!shows(&screen(&app, 80, 24), "Only one profile"));
    assert!(!app.is_animating());

    // A newer message starts its own time.
    app.update(ch('P'));
    for _ in 0..NOTICE_TICKS - 1 {
        app.update(Msg::Tick { now: NOW });
    }
    app.update(ev(Event::Warning("the OS keyring is not available".into())));
    app.update(Msg::Tick { now: NOW });
    assert!(shows(&screen(&app, 80, 24), "keyring is not available"));
}

#[test]
fn the_top_bar_says_where_the_server_came_from() {
    let mut init = init(true);
    init.base_url_origin = Some("from TRACKLINE_BASE_URL, not the profile's https://api.example.com/api".into());
    let app = App::new(init);
    let wide = screen(&app, 180, 30);
    assert!(
        wide[0].contains(
            "http://127.0.0.1:8080/api (from TRACKLINE_BASE_URL, not the profile's https://api.example.com/api)"
        ),
        "{}",
        wide[0]
    );
    for w in [80, 100, 120] {
        let top = &screen(&app, w, 24)[0];
        let origin = if w > 80 {
            "from TRACKLINE_BASE_URL"
        } else {
            "from TRACKLINE_BASE"
        };
        assert!(top.contains(origin), "{w}: {top}");
        assert!(top.contains("demo@trackline.local"), "{w}: {top}");
    }
    let plain = App::new(self::init(true));
    assert!(!screen(&plain, 180, 30)[0].contains("from "));
}
