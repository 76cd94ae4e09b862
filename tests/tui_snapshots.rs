//! Render snapshots of every pane in its states (empty, loading, loaded, error,
//! 10,000 documents, narrow, too small), at 100×30 and 60×20, at a fixed time.
#![allow(clippy::unwrap_used)] // test helpers

mod tui_fixtures;

use crossterm::event::KeyCode;
use trackline::api::{ApiError, Id, Process};
use trackline::tui::App;
use trackline::worker::Event;
use tui_fixtures::*;

const SIZES: [(u16, u16); 2] = [(100, 30), (60, 20)];

fn snapshot(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}@{w}x{h}"), render(app, w, h));
    }
}

fn looked_up(text: &str) -> (App, trackline::worker::ReqId) {
    let mut app = logged_in();
    type_text(&mut app, text);
    let req = fetched(&app.update(key(KeyCode::Enter))).unwrap();
    (app, req)
}

fn named(id: &str, name: &str, status: &str) -> Process {
    Process {
        process_id: Id::new(id),
        name: Some(name.into()),
        status: Some(status.into()),
        created_at: None,
        documents: Vec::new(),
        extra: Default::default(),
    }
}

#[test]
fn login_dialog() {
    snapshot("login", &App::new(init(false, recent())));
}

#[test]
fn login_dialog_without_an_email() {
    let mut init = init(false, Vec::new());
    init.email = None;
    snapshot("login_blank", &App::new(init));
}

#[test]
fn login_in_flight() {
    let mut app = App::new(init(false, recent()));
    type_text(&mut app, "demo");
    app.update(key(KeyCode::Enter));
    snapshot("login_in_flight", &app);
}

#[test]
fn login_failed() {
    let mut app = App::new(init(false, recent()));
    type_text(&mut app, "wrong");
    app.update(key(KeyCode::Enter));
    app.update(ev(Event::LoginFailed(ApiError::BadCredentials { message: None })));
    snapshot("login_failed", &app);
}

#[test]
fn login_returns_when_the_session_ends() {
    let mut app = with_process(guide_process());
    app.update(ev(Event::SessionExpired));
    snapshot("session_expired", &app);
}

#[test]
fn search_empty() {
    snapshot("search_empty", &App::new(init(true, Vec::new())));
}

#[test]
fn search_with_recent() {
    snapshot("search_recent", &logged_in());
}

#[test]
fn recent_focused() {
    let mut app = logged_in();
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    snapshot("recent_focused", &app);
}

#[test]
fn search_parse_error() {
    let mut app = logged_in();
    type_text(&mut app, "id:");
    app.update(key(KeyCode::Enter));
    snapshot("search_error", &app);
}

#[test]
fn process_loading() {
    let (app, _) = looked_up("12345");
    snapshot("process_loading", &app);
}

#[test]
fn process_loaded() {
    snapshot("process_loaded", &with_process(guide_process()));
}

#[test]
fn process_focused_and_reloading() {
    let mut app = with_process(guide_process());
    app.update(key(KeyCode::BackTab));
    app.update(ch('r'));
    snapshot("process_reloading", &app);
}

#[test]
fn process_not_found() {
    let (mut app, req) = looked_up("999");
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::NotFound {
            what: "process 999".into(),
            message: None,
        }),
    }));
    snapshot("process_not_found", &app);
}

#[test]
fn process_server_error() {
    let (mut app, req) = looked_up("12345");
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::Server {
            status: 503,
            message: Some("maintenance".into()),
            retry_after: None,
        }),
    }));
    snapshot("process_server_error", &app);
}

#[test]
fn process_chooser() {
    let (mut app, req) = looked_up("Odoo");
    let result = Ok(vec![
        named("12345", "Odoo Billing Process", "In Progress"),
        named("12346", "Odoo Billing Process (copy)", "Completed"),
        named("12399", "Odoo Billing Process 2023", "Failed"),
    ]);
    app.update(ev(Event::ProcessLoaded { req, result }));
    app.update(key(KeyCode::Down));
    snapshot("process_chooser", &app);
}

#[test]
fn process_without_documents() {
    let mut p = named("4242", "Empty folder", "Pending");
    p.created_at = Some("not a date".into());
    snapshot("process_no_documents", &with_process(p));
}

#[test]
fn hostile_names_are_shown_escaped() {
    let mut p = guide_process();
    p.name = Some("Evil\x1b[2J\x1b]52;c;cGF5bG9hZA==\x07 name".into());
    p.documents[0].doc_name = Some("invoice\u{202e}fdp.exe".into());
    p.documents[1].doc_name = Some("../../etc/passwd".into());
    p.documents[2].doc_name = Some("Счёт № 5 — 請求書.pdf".into());
    p.extra
        .insert("note\x1b[31m".into(), serde_json::json!("line one\nline two\x07"));
    let screen = render(&with_process(p), 100, 30);
    assert!(!screen.contains('\x1b') && !screen.contains('\x07') && !screen.contains('\u{202e}'));
    snapshot(
        "hostile_names",
        &with_process({
            let mut p = guide_process();
            p.name = Some("Evil\x1b[2J name".into());
            p.documents[0].doc_name = Some("invoice\u{202e}fdp.exe".into());
            p.documents[2].doc_name = Some("Счёт № 5 — 請求書.pdf".into());
            p
        }),
    );
}

#[test]
fn documents_filtered() {
    let mut app = with_process(guide_process());
    app.update(ch('f'));
    type_text(&mut app, "inv");
    snapshot("documents_filter", &app);
}

#[test]
fn documents_filter_matches_nothing() {
    let mut app = with_process(guide_process());
    app.update(ch('f'));
    type_text(&mut app, "zzz");
    snapshot("documents_filter_empty", &app);
}

#[test]
fn documents_marked() {
    let mut app = with_process(guide_process());
    app.update(ch(' '));
    app.update(ch('j'));
    app.update(ch(' '));
    snapshot("documents_marked", &app);
}

#[test]
fn ten_thousand_documents() {
    let mut app = with_process(big_process(10_000));
    app.update(ch('G'));
    app.update(key(KeyCode::PageUp));
    app.update(ch(' '));
    app.update(ch(' '));
    snapshot("documents_10000", &app);
}

#[test]
fn downloads_in_every_state() {
    let mut app = with_downloads();
    // The failure came while the focus was elsewhere, so its row is selected.
    app.update(key(KeyCode::Tab));
    snapshot("downloads", &app);
}

#[test]
fn downloads_unfocused() {
    snapshot("downloads_unfocused", &with_downloads());
}

#[test]
fn help_overlay() {
    let mut app = with_process(guide_process());
    app.update(ch('?'));
    snapshot("help", &app);
}

#[test]
fn terminal_too_small() {
    let app = with_process(guide_process());
    insta::assert_snapshot!("too_small@59x15", render(&app, 59, 15));
    insta::assert_snapshot!("too_small@100x10", render(&app, 100, 10));
}

#[test]
fn no_color_theme_draws_the_same_text() {
    let mut init = init(true, recent());
    init.theme = trackline::tui::Theme::new(trackline::tui::ThemeName::Dark, true);
    let app = load(App::new(init), guide_process());
    assert_eq!(render(&app, 100, 30), render(&with_process(guide_process()), 100, 30));
    let terminal = terminal(&app, 100, 30);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
}
