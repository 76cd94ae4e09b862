//! `App::update` and the screen for issue 13's downloads items: quitting
//! while downloads run, `D` that skips and asks, `X` and `y`.

use super::*;
use crate::api::{Document, Id};
use crate::tui::downloads::TransferState;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use time::Duration;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2024-02-12 10:30 UTC);

fn app() -> App {
    App::new(AppInit {
        base_url: "http://127.0.0.1:8080/api".into(),
        email: Some("demo@trackline.local".into()),
        password_prefill: None,
        session: Some(SessionInfo {
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
    })
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

fn process(id: &str, docs: usize) -> Process {
    Process {
        process_id: Id::new(id),
        name: Some(format!("Process {id}")),
        status: Some("In Progress".into()),
        created_at: None,
        documents: (0..docs)
            .map(|i| Document {
                doc_id: Id::new(format!("{}", 1000 + i)),
                doc_name: Some(format!("Quarterly_statement_{i}.pdf")),
                doc_type: Some("Invoice".into()),
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    }
}

/// Signed in, in a `w`×`h` terminal, with `p` shown and the documents focused.
fn loaded(p: Process, w: u16, h: u16) -> App {
    let mut app = app();
    app.update(Msg::Resize { width: w, height: h });
    for c in p.process_id.as_str().chars() {
        app.update(ch(c));
    }
    let commands = app.update(key(KeyCode::Enter));
    let Some(req) = commands.iter().find_map(|c| match c {
        Command::FetchProcess { req, .. } => Some(*req),
        _ => None,
    }) else {
        panic!("no lookup in {commands:?}");
    };
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![p]),
    }));
    assert_eq!(app.focus(), Focus::Documents);
    app
}

fn downloads_of(commands: &[Command]) -> Vec<DownloadId> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Download { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

fn done(app: &mut App, id: DownloadId, path: &str) {
    app.update(ev(Event::Downloaded {
        id,
        path: PathBuf::from(path),
        bytes: 10,
        sha256: "ab".repeat(32),
    }));
}

fn failed(app: &mut App, id: DownloadId, error: &str) {
    app.update(ev(Event::DownloadFailed {
        id,
        error: error.into(),
        retryable: false,
        needs_login: false,
    }));
}

/// The screen at the app's size.
fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| super::super::view::draw(f, app, NOW + Duration::seconds(2)))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

/// The last row of the screen.
fn hint_line(app: &App) -> String {
    screen(app).lines().last().unwrap_or_default().to_string()
}

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 36), (60, 16)];

// ----- quitting --------------------------------------------------------------

#[test]
fn q_while_downloads_run_asks_and_q_again_quits() {
    for (w, h) in SIZES {
        let mut app = loaded(process("1", 3), w, h);
        app.update(ch('D'));
        assert!(app.update(ch('q')).is_empty());
        assert!(app.take_effects().is_empty() && !app.should_quit(), "q asks first");
        let hint = hint_line(&app);
        if w >= 80 {
            assert!(
                hint.contains("3 downloads running — q again to quit (they resume next time), Esc to stay"),
                "{hint}"
            );
        } else {
            assert!(
                hint.contains("3 downloads running — q again quits, Esc stays"),
                "{hint}"
            );
        }
        app.update(ch('q'));
        assert_eq!(app.take_effects(), [Effect::Quit]);
        assert!(app.should_quit() && !app.interrupted());
    }
}

#[test]
fn esc_stays_and_other_keys_carry_on_while_ctrl_c_quits_at_once() {
    let mut app = loaded(process("1", 3), 80, 24);
    app.update(ch('D'));
    app.update(ch('q'));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(!app.should_quit());
    assert!(
        !hint_line(&app).contains("downloads running"),
        "Esc took the question away"
    );
    assert_eq!(app.focus(), Focus::Documents, "Esc only answered the question");

    app.update(ch('q'));
    app.update(ch('j'));
    assert_eq!(app.documents.cursor.selected(), 1, "another key does its own thing");
    assert!(app.prompt.is_none());

    app.update(ch('q'));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.should_quit() && app.interrupted());

    // Finished downloads do not hold `q` up.
    let mut app = loaded(process("1", 1), 80, 24);
    let ids = downloads_of(&app.update(ch('d')));
    done(&mut app, ids[0], "/tmp/a.pdf");
    app.update(ch('q'));
    assert_eq!(app.take_effects(), [Effect::Quit]);
}

// ----- D, and X ----------------------------------------------------------------

#[test]
fn capital_d_skips_what_is_downloaded_or_on_its_way() {
    let mut app = loaded(process("1", 4), 80, 24);
    let first = downloads_of(&app.update(ch('d')));
    done(&mut app, first[0], "/tmp/Quarterly_statement_0.pdf");
    app.update(ch('j'));
    let second = downloads_of(&app.update(ch('d')));
    assert_eq!(second.len(), 1);

    let rest = downloads_of(&app.update(ch('D')));
    assert_eq!(rest.len(), 2, "only the two not asked for yet");
    assert_eq!(app.downloads.items().len(), 4, "no second copy of any");
    assert!(screen(&app).contains("Queued 2 downloads (2 already downloaded or on their way)"));

    assert!(app.update(ch('D')).is_empty());
    assert!(screen(&app).contains("All 4 are already downloaded or on their way"));
}

#[test]
fn capital_d_asks_again_for_a_failed_one_on_its_own_row() {
    let mut app = loaded(process("1", 2), 80, 24);
    let ids = downloads_of(&app.update(ch('D')));
    failed(&mut app, ids[1], "attachment 1001 was not found");
    let again = downloads_of(&app.update(ch('D')));
    assert_eq!(again.len(), 1);
    assert_eq!(
        app.downloads.items().len(),
        2,
        "the failed row is tried again, not doubled"
    );
    assert_eq!(app.downloads.items()[1].state, TransferState::Queued);
}

#[test]
fn capital_d_of_more_than_fifty_asks_first() {
    for (w, h) in SIZES {
        let mut app = loaded(process("1", 10_000), w, h);
        assert!(app.update(ch('D')).is_empty(), "nothing queued before the answer");
        assert!(
            hint_line(&app).contains("Download 10,000 documents? Enter/y yes, Esc no"),
            "{}",
            hint_line(&app)
        );
        assert!(app.update(key(KeyCode::Esc)).is_empty());
        assert!(app.downloads.items().is_empty());
        assert!(screen(&app).contains("Nothing downloaded"));

        app.update(ch('D'));
        assert_eq!(downloads_of(&app.update(key(KeyCode::Enter))).len(), 10_000);
        assert!(screen(&app).contains("Queued 10,000 downloads"));
    }
    let mut app = loaded(process("1", 51), 80, 24);
    app.update(ch('D'));
    assert_eq!(downloads_of(&app.update(ch('y'))).len(), 51, "y says yes too");
    let mut app = loaded(process("1", 50), 80, 24);
    assert_eq!(
        downloads_of(&app.update(ch('D'))).len(),
        50,
        "fifty go without a question"
    );
}

#[test]
fn capital_x_cancels_every_download_in_the_downloads_pane() {
    let mut app = loaded(process("1", 3), 80, 24);
    let ids = downloads_of(&app.update(ch('D')));
    done(&mut app, ids[0], "/tmp/a.pdf");
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Downloads);
    let commands = app.update(ch('X'));
    assert!(
        matches!(commands.as_slice(), [Command::CancelAllDownloads]),
        "{commands:?}"
    );
    let states: Vec<_> = app.downloads.items().iter().map(|t| t.state.label()).collect();
    assert_eq!(states, ["done", "cancelled", "cancelled"]);
    assert!(screen(&app).contains("Cancelled 2 downloads"));
    assert!(app.update(ch('X')).is_empty());
    assert!(screen(&app).contains("Nothing to cancel"));
    // A cancelled one starts again with r.
    app.update(ch('j'));
    assert_eq!(downloads_of(&app.update(ch('r'))).len(), 1);
}

// ----- copying -----------------------------------------------------------------

fn copied(app: &mut App) -> Vec<String> {
    app.take_effects()
        .into_iter()
        .filter_map(|e| match e {
            Effect::Copy(text) => Some(text),
            _ => None,
        })
        .collect()
}

#[test]
fn y_copies_what_is_selected_and_says_so_on_the_hint_line() {
    for (w, h) in SIZES {
        let mut app = loaded(process("12345", 2), w, h);
        app.update(ch('y'));
        assert_eq!(copied(&mut app), ["1000"], "a document not downloaded: its id");
        assert!(
            hint_line(&app).contains("copied the document id"),
            "{}",
            hint_line(&app)
        );

        let ids = downloads_of(&app.update(ch('d')));
        done(&mut app, ids[0], "/tmp/dl/Quarterly_statement_0.pdf");
        app.update(ch('y'));
        assert_eq!(copied(&mut app), ["/tmp/dl/Quarterly_statement_0.pdf"]);
        assert!(hint_line(&app).contains("copied the saved path"));

        app.update(key(KeyCode::Tab));
        app.update(ch('y'));
        assert_eq!(copied(&mut app), ["/tmp/dl/Quarterly_statement_0.pdf"]);
        assert!(
            hint_line(&app).contains("y again copies its SHA-256"),
            "{}",
            hint_line(&app)
        );
        app.update(ch('y'));
        assert_eq!(copied(&mut app), ["ab".repeat(32)]);
        assert!(hint_line(&app).contains("copied the SHA-256"));

        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Tab));
        assert_eq!(app.focus(), Focus::Process);
        app.update(ch('y'));
        assert_eq!(copied(&mut app), ["12345"]);
        assert!(hint_line(&app).contains("copied the process id"));
        app.update(ch('j'));
        assert!(
            !hint_line(&app).contains("copied"),
            "the message goes with the next key"
        );
    }
}
