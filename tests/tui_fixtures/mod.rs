//! Apps in known states at a fixed time, shared by the TUI snapshot tests and
//! `examples/screenshots.rs`.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use time::macros::datetime;
use time::{Duration, OffsetDateTime, UtcOffset};
use trackline::api::model::parse_processes;
use trackline::api::{Document, Id, Process};
use trackline::tui::{App, AppInit, Keymap, Msg, SessionInfo, Theme};
use trackline::worker::{Command, DownloadId, Event, RecentEntry, ReqId};

/// The time every scenario is drawn at.
pub const NOW: OffsetDateTime = datetime!(2024-02-12 10:30 UTC);

pub const BASE_URL: &str = "http://127.0.0.1:8080/api";
pub const EMAIL: &str = "demo@trackline.local";

/// The guides' example with some additional data.
pub fn guide_process() -> Process {
    let body = r#"{
        "process_id": "12345",
        "name": "Odoo Billing Process",
        "status": "In Progress",
        "created_at": "2024-02-09T10:30:00Z",
        "customer": "ACME GmbH",
        "amount": 1249.5,
        "currency": "EUR",
        "tags": ["billing", "q1"],
        "approval": {"by": "ana@example.com", "level": 2},
        "documents": [
            {"doc_id": "98765", "doc_name": "Invoice_001.pdf", "doc_type": "Invoice"},
            {"doc_id": "98766", "doc_name": "Invoice_001.xml", "doc_type": "E-Invoice"},
            {"doc_id": "98767", "doc_name": "Delivery note 2024-02.pdf", "doc_type": "Delivery Note"},
            {"doc_id": "98768", "doc_name": "Photos.zip", "doc_type": "Bundle"},
            {"doc_id": "98769", "doc_name": "Receipt.jpg", "doc_type": "Photo"}
        ]
    }"#;
    parse_processes(body.as_bytes()).unwrap().remove(0)
}

/// A process with `n` documents.
pub fn big_process(n: usize) -> Process {
    let documents = (0..n)
        .map(|i| Document {
            doc_id: Id::new(format!("{}", 500_000 + i)),
            doc_name: Some(format!("Scan_{i:05}.pdf")),
            doc_type: Some(if i % 3 == 0 { "Invoice".into() } else { "Scan".into() }),
            extra: Default::default(),
        })
        .collect();
    Process {
        process_id: Id::new("77777"),
        name: Some("Archive import 2023".into()),
        status: Some("Completed".into()),
        created_at: Some("2023-12-01T08:00:00Z".into()),
        documents,
        extra: Default::default(),
    }
}

pub fn recent() -> Vec<RecentEntry> {
    vec![
        RecentEntry {
            process_id: "12345".into(),
            name: Some("Odoo Billing Process".into()),
            status: None,
        },
        RecentEntry {
            process_id: "20001".into(),
            name: Some("Supplier onboarding".into()),
            status: None,
        },
        RecentEntry {
            process_id: "31337".into(),
            name: Some("Travel expenses March".into()),
            status: None,
        },
    ]
}

pub fn init(logged_in: bool, recent: Vec<RecentEntry>) -> AppInit {
    AppInit {
        base_url: BASE_URL.into(),
        base_url_origin: None,
        email: Some(EMAIL.into()),
        password_prefill: None,
        session: logged_in.then(|| SessionInfo {
            email: EMAIL.into(),
            expires_at: Some(NOW + Duration::minutes(58)),
        }),
        recent,
        keymap: Keymap::default(),
        theme: Theme::default(),
        now: NOW,
        local_offset: UtcOffset::UTC,
    }
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn ev(event: Event) -> Msg {
    Msg::Event { event, now: NOW }
}

pub fn ev_at(event: Event, secs: i64) -> Msg {
    Msg::Event {
        event,
        now: NOW + Duration::seconds(secs),
    }
}

pub fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| app.update(ch(c))).collect()
}

/// The request id of the lookup among the commands.
pub fn fetched(commands: &[Command]) -> Option<ReqId> {
    commands.iter().find_map(|c| match c {
        Command::FetchProcess { req, .. } => Some(*req),
        _ => None,
    })
}

/// The download ids started among the commands.
pub fn started(commands: &[Command]) -> Vec<DownloadId> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Download { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

/// Logged in, on the search box.
pub fn logged_in() -> App {
    App::new(init(true, recent()))
}

/// Logged in, `process` looked up and shown.
pub fn with_process(process: Process) -> App {
    load(logged_in(), process)
}

/// `app` after looking `process` up.
pub fn load(mut app: App, process: Process) -> App {
    type_text(&mut app, process.process_id.as_str());
    let req = fetched(&app.update(key(KeyCode::Enter))).unwrap();
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process]),
    }));
    app
}

/// The guide's process, with downloads in every state.
pub fn with_downloads() -> App {
    downloads_on(App::new(init(true, recent())))
}

/// `app` (signed in) with the guide's process and downloads in every state.
pub fn downloads_on(app: App) -> App {
    let mut app = load(app, guide_process());
    // Download all five: every one is asked of the worker at once.
    let ids = started(&app.update(ch('D')));
    assert_eq!(ids.len(), 5);
    app.update(ev(Event::DownloadStarted {
        id: ids[0],
        received: 0,
        total: Some(2_400_000),
    }));
    app.update(ev_at(
        Event::Progress {
            id: ids[0],
            received: 1_100_000,
            total: Some(2_400_000),
        },
        2,
    ));
    app.update(ev(Event::DownloadStarted {
        id: ids[1],
        received: 0,
        total: Some(48_213),
    }));
    app.update(ev_at(
        Event::Downloaded {
            id: ids[1],
            path: PathBuf::from("/home/ana/Downloads/Trackline/12345 Odoo Billing Process/Invoice_001.xml"),
            bytes: 48_213,
            sha256: "00".repeat(32),
        },
        1,
    ));
    app.update(ev(Event::DownloadFailed {
        id: ids[2],
        error: "the server answered 503 (maintenance)".into(),
        retryable: true,
        needs_login: false,
    }));
    // The fourth runs without a known size; the worker has not started the fifth.
    app.update(ev(Event::DownloadStarted {
        id: ids[3],
        received: 0,
        total: None,
    }));
    app.update(ev_at(
        Event::Progress {
            id: ids[3],
            received: 350_000,
            total: None,
        },
        1,
    ));
    app
}

/// Draws the app into a test terminal.
pub fn terminal(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| trackline::tui::view::draw(f, app, NOW + Duration::seconds(2)))
        .unwrap();
    terminal
}

/// The screen as text.
pub fn render(app: &App, width: u16, height: u16) -> String {
    terminal(app, width, height).backend().to_string()
}
