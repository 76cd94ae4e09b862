//! Profiles, the session's lifetime and the login dialog's password checkbox.

use super::*;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::Duration;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2024-02-12 10:30 UTC);
const BASE: &str = "http://127.0.0.1:8080/api";

fn init(expires_at: Option<OffsetDateTime>, logged_in: bool) -> AppInit {
    AppInit {
        base_url: BASE.into(),
        base_url_origin: None,
        email: Some("ana@example.com".into()),
        password_prefill: None,
        session: logged_in.then_some(SessionInfo {
            email: "ana@example.com".into(),
            expires_at,
        }),
        recent: Vec::new(),
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

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

fn ev(event: Event, now: OffsetDateTime) -> Msg {
    Msg::Event { event, now }
}

fn tick(now: OffsetDateTime) -> Msg {
    Msg::Tick { now }
}

fn screen(app: &App, now: OffsetDateTime) -> String {
    let mut terminal = Terminal::new(TestBackend::new(110, 30)).unwrap();
    terminal.draw(|f| crate::tui::view::draw(f, app, now)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

fn top_line(app: &App, now: OffsetDateTime) -> String {
    screen(app, now).lines().next().unwrap_or_default().to_string()
}

/// The hint line, where messages go (a long one takes the rows above it too).
fn hint_lines(app: &App, now: OffsetDateTime) -> String {
    let screen = screen(app, now);
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len().saturating_sub(3)..].join("\n")
}

/// Logs in through the dialog, ticking the checkbox when `keep` is set.
fn log_in(app: &mut App, keep: bool, expires_at: Option<OffsetDateTime>) -> Vec<Command> {
    typed(app, "s3cret-typed");
    if keep {
        app.update(key(KeyCode::Tab));
        assert_eq!(app.login.field, LoginField::KeepPassword);
        app.update(ch(' '));
    }
    let commands = app.update(key(KeyCode::Enter));
    app.update(ev(
        Event::LoggedIn {
            email: "ana@example.com".into(),
            base_url: BASE.into(),
            expires_at,
        },
        NOW,
    ));
    commands
}

#[test]
fn the_checkbox_is_off_by_default_and_space_ticks_it() {
    let mut app = App::new(init(None, false));
    typed(&mut app, "pw");
    match app.update(key(KeyCode::Enter)).as_slice() {
        [Command::Login { remember_password, .. }] => assert!(!remember_password),
        other => panic!("{other:?}"),
    }
    app.update(ev(Event::LoginFailed(ApiError::Http("connection reset".into())), NOW));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.login.field, LoginField::KeepPassword);
    assert!(screen(&app, NOW).contains("[ ] Keep password in memory"));
    app.update(ch(' '));
    assert!(app.login.keep_password);
    assert!(screen(&app, NOW).contains("[x] Keep password in memory"));
    app.update(ch(' '));
    assert!(!app.login.keep_password, "Space toggles it back");
    app.update(ch(' '));
    match app.update(key(KeyCode::Enter)).as_slice() {
        [Command::Login { remember_password, .. }] => assert!(remember_password),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_password_field_is_masked_and_not_kept_after_login() {
    let mut app = App::new(init(None, false));
    typed(&mut app, "s3cret-typed");
    assert!(!screen(&app, NOW).contains("s3cret-typed"));
    log_in(&mut app, true, None);
    assert_eq!(app.login.password.value(), "");
}

#[test]
fn the_top_bar_shows_the_profile_and_the_time_left() {
    let app = App::new(init(Some(NOW + Duration::hours(2)), true)).with_profiles("prod", vec!["prod".into()]);
    let top = top_line(&app, NOW);
    assert!(top.contains("prod"), "{top}");
    assert!(top.contains("session 2h 00m left"), "{top}");
    assert_eq!(app.profile(), "prod");
}

#[test]
fn an_idle_app_wakes_only_five_minutes_before_the_end_and_at_the_end() {
    let end = NOW + Duration::hours(1);
    let mut app = App::new(init(Some(end), true));
    assert_eq!(app.next_deadline(), Some(end - Duration::minutes(5)));
    assert!(app.update(tick(end - Duration::minutes(5))).is_empty());
    let top = top_line(&app, end - Duration::minutes(5));
    assert!(top.contains("session ends in 5m — L to log in again"), "{top}");
    assert_eq!(app.next_deadline(), Some(end));
    assert!(app.update(tick(end)).is_empty());
    assert!(app.login_visible(), "no password kept: the dialog returns");
    assert!(app.login.reason.as_deref().unwrap_or_default().contains("ended"));
    assert_eq!(app.next_deadline(), None);
}

#[test]
fn no_expiry_no_deadline() {
    let app = App::new(init(None, true));
    assert_eq!(app.next_deadline(), None);
    assert!(!app.is_animating());
}

#[test]
fn l_near_the_end_offers_a_new_login_and_keeps_the_session_until_then() {
    let end = NOW + Duration::hours(1);
    let mut app = App::new(init(Some(end), true));
    app.update(tick(end - Duration::minutes(4)));
    app.update(key(KeyCode::Tab));
    let commands = app.update(ch('L'));
    assert!(commands.is_empty(), "not a logout: {commands:?}");
    assert!(app.login_visible());
    assert!(matches!(app.sessions.phase, Phase::SignedIn { .. }));
    app.update(key(KeyCode::Esc));
    assert!(!app.login_visible());
    assert!(
        matches!(app.sessions.phase, Phase::SignedIn { .. }),
        "Esc keeps the old session"
    );
}

#[test]
fn with_the_password_kept_the_end_renews_silently_once() {
    let end = NOW + Duration::hours(1);
    let mut app = App::new(init(None, false));
    match log_in(&mut app, true, Some(end)).as_slice() {
        [Command::Login { remember_password, .. }] => assert!(remember_password),
        other => panic!("{other:?}"),
    }
    app.update(tick(end - Duration::minutes(5)));
    assert!(top_line(&app, end - Duration::minutes(5)).contains("renews by itself"));
    assert!(matches!(app.update(tick(end)).as_slice(), [Command::Renew]));
    assert!(!app.login_visible());
    assert!(app.update(tick(end)).is_empty(), "one renewal per end");
    let later = end + Duration::hours(1);
    app.update(ev(
        Event::SessionRenewed {
            expires_at: Some(later),
        },
        end,
    ));
    assert_eq!(app.next_deadline(), Some(later - Duration::minutes(5)));
    assert!(hint_lines(&app, end).contains("Session renewed"));
    // The renewal failed (the password changed): the worker says the session expired.
    app.update(tick(later));
    app.update(ev(Event::SessionExpired, later));
    assert!(app.login_visible());
}

#[test]
fn logging_out_forgets_that_the_password_was_kept() {
    let mut app = App::new(init(None, false));
    log_in(&mut app, true, Some(NOW + Duration::hours(1)));
    assert!(matches!(app.sessions.phase, Phase::SignedIn { renewable: true, .. }));
    app.update(key(KeyCode::Tab));
    assert!(matches!(app.update(ch('L')).as_slice(), [Command::Logout]));
    assert!(!matches!(app.sessions.phase, Phase::SignedIn { renewable: true, .. }));
    assert!(!app.login.keep_password, "the checkbox is back to off");
}

#[test]
fn p_lists_the_profiles_and_switches() {
    let mut app = App::new(init(Some(NOW + Duration::hours(1)), true))
        .with_profiles("a", vec!["a".into(), "b".into(), "default".into()]);
    app.update(key(KeyCode::Tab));
    assert!(app.update(ch('P')).is_empty());
    assert!(app.profile_chooser_visible());
    let shown = screen(&app, NOW);
    assert!(shown.contains("Switch profile"), "{shown}");
    assert!(shown.contains("a  (active)"), "{shown}");
    app.update(ch('j'));
    let commands = app.update(key(KeyCode::Enter));
    assert!(
        matches!(commands.as_slice(), [Command::SwitchProfile(p)] if p == "b"),
        "{commands:?}"
    );
    assert!(!app.profile_chooser_visible());
    app.update(ev(
        Event::ProfileSwitched {
            profile: "b".into(),
            base_url: "http://127.0.0.1:9090/api".into(),
            base_url_origin: None,
            email: Some("bo@example.com".into()),
            session: None,
        },
        NOW,
    ));
    assert_eq!(app.profile(), "b");
    assert!(app.login_visible(), "b has no session: log in");
    assert_eq!(app.login.server.value(), "http://127.0.0.1:9090/api");
    assert_eq!(app.login.email.value(), "bo@example.com");
    assert!(top_line(&app, NOW).contains("│ b │"));
}

#[test]
fn switching_to_a_signed_in_profile_opens_on_the_search_box() {
    let mut app = App::new(init(None, true)).with_profiles("a", vec!["a".into(), "b".into()]);
    app.update(ev(
        Event::ProfileSwitched {
            profile: "b".into(),
            base_url: "http://127.0.0.1:9090/api".into(),
            base_url_origin: None,
            email: None,
            session: Some(SignedIn {
                email: "bo@example.com".into(),
                expires_at: Some(NOW + Duration::hours(3)),
            }),
        },
        NOW,
    ));
    assert!(!app.login_visible());
    assert_eq!(app.focus(), Focus::Search);
    let top = top_line(&app, NOW);
    assert!(
        top.contains("bo@example.com") && top.contains("session 3h 00m left"),
        "{top}"
    );
}

#[test]
fn p_with_one_profile_says_how_to_add_one_and_esc_closes_the_chooser() {
    let mut app = App::new(init(None, true)).with_profiles("default", vec!["default".into()]);
    app.update(key(KeyCode::Tab));
    app.update(ch('P'));
    assert!(!app.profile_chooser_visible());
    assert!(hint_lines(&app, NOW).contains("[profiles.NAME]"));
    let top = top_line(&app, NOW);
    assert!(top.contains(BASE), "the server stays: {top}");
    app.sessions.profiles.push("other".into());
    app.update(ch('P'));
    assert!(app.profile_chooser_visible());
    app.update(key(KeyCode::Esc));
    assert!(!app.profile_chooser_visible());
    app.update(ch('P'));
    assert!(
        app.update(key(KeyCode::Enter)).is_empty(),
        "choosing the active profile changes nothing"
    );
}

#[test]
fn a_keyring_warning_shows_on_the_hint_line() {
    let mut app = App::new(init(None, true));
    app.update(ev(Event::Warning("the OS keyring is not available".into()), NOW));
    assert!(hint_lines(&app, NOW).contains("keyring is not available"));
    assert!(!top_line(&app, NOW).contains("keyring"));
}

#[test]
fn a_long_login_error_is_shown_whole_at_80x24() {
    let mut app = App::new(init(None, false));
    typed(&mut app, "pw");
    app.update(key(KeyCode::Enter));
    let reason =
        "Connection refused (os error 111) through the proxy http://proxy.example.com:3128 of the office network";
    app.update(ev(
        Event::LoginFailed(ApiError::Connect {
            host: "https://trackline.example.com".into(),
            reason: reason.into(),
        }),
        NOW,
    ));
    let rows = super::test_msgs::rows_drawn(&app, 80, 24);
    let shown = super::test_msgs::words_inside(&rows);
    assert!(
        shown.contains("of the office network"),
        "the error's last words are on the screen:\n{}",
        rows.join("\n")
    );
}
