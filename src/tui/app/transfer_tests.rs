//! `App::update` and the screen for issue 13's downloads items: quitting
//! while downloads run, `D` that skips and asks, `X`, `y`, and resumes and
//! retries that show what happens.

use super::test_msgs::{NOW, ch, ev, init, key};
use super::*;
use crate::api::{Document, Id};
use crate::tui::downloads::{RESUME_NOTE, TransferState};
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use time::Duration;

fn app() -> App {
    App::new(init(true))
}

fn ev_at(event: Event, seconds: i64) -> Msg {
    Msg::Event {
        event,
        now: NOW + Duration::seconds(seconds),
    }
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

/// The hint line's rows (a message may wrap onto more than one), its words joined by single spaces.
fn hint_line(app: &App) -> String {
    let screen = screen(app);
    let rows: Vec<&str> = screen.lines().collect();
    let height = crate::tui::layout::hint_message(app, app.size.0).map_or(1, |m| m.len());
    rows[rows.len().saturating_sub(height)..]
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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

// ----- resume and retry ------------------------------------------------------------

#[test]
fn a_resume_shows_verifying_then_where_it_resumed_then_its_rate() {
    for (w, h) in SIZES {
        let mut app = loaded(process("1", 1), w, h);
        let id = downloads_of(&app.update(ch('d')))[0];
        app.update(ev(Event::DownloadVerifying { id, bytes: 12_300_000 }));
        let shown = screen(&app);
        assert!(shown.contains("verifying"), "{shown}");
        if w >= 80 {
            assert!(shown.contains("verifying the partial file"), "{shown}");
        }
        if w >= 120 {
            assert!(shown.contains("verifying the partial file (12 MB)"), "{shown}");
        }
        assert!(!shown.contains("0 B"), "{shown}");

        app.update(ev(Event::DownloadStarted {
            id,
            received: 12_300_000,
            total: Some(30_000_000),
        }));
        let shown = screen(&app);
        if w >= 80 {
            assert!(shown.contains("resuming at 12 MB"), "{shown}");
        }
        if w >= 120 {
            assert!(shown.contains("12 MB / 30 MB"), "{shown}");
        } else {
            assert!(shown.contains("resuming"), "{shown}");
        }
        assert!(shown.contains(" 41%"), "not from zero: {shown}");

        let later = RESUME_NOTE.whole_seconds() + 1;
        app.update(ev_at(
            Event::Progress {
                id,
                received: 18_300_000,
                total: Some(30_000_000),
            },
            later,
        ));
        let shown = screen(&app);
        assert!(!shown.contains("resuming"), "{shown}");
        if w >= 120 {
            assert!(shown.contains("1.0 MB/s") && shown.contains("ETA 11s"), "{shown}");
        }
    }
}

#[test]
fn r_on_a_failed_download_shows_what_it_did() {
    for (w, h) in SIZES {
        let mut app = loaded(process("1", 1), w, h);
        let id = downloads_of(&app.update(ch('d')))[0];
        failed(&mut app, id, "attachment 1000 was not found");
        app.update(key(KeyCode::Tab));
        let again = downloads_of(&app.update(ch('r')));
        assert!(screen(&app).contains("Trying Quarterly_statement_0.pdf again"));
        let shown = screen(&app);
        assert!(!shown.contains("0%") && !shown.contains("0 B"), "{shown}");
        failed(&mut app, again[0], "attachment 1000 was not found");
        let shown = screen(&app);
        assert!(shown.contains("failed ×2"), "{shown}");
        assert!(shown.contains("failed again (try 2)"), "{shown}");
    }
}

#[test]
fn the_retry_message_goes_once_the_worker_answers() {
    let mut app = loaded(process("1", 1), 80, 24);
    let id = downloads_of(&app.update(ch('d')))[0];
    app.update(ev(Event::DownloadCancelled { id }));
    app.update(key(KeyCode::Tab));
    let again = downloads_of(&app.update(ch('r')))[0];
    assert!(screen(&app).contains("Trying Quarterly_statement_0.pdf again"));
    app.update(ev(Event::DownloadVerifying {
        id: again,
        bytes: 5_000,
    }));
    let shown = screen(&app);
    assert!(!shown.contains("Trying"), "{shown}");
    assert!(shown.contains("verifying the partial file"), "{shown}");
}

#[test]
fn a_new_download_is_scrolled_into_view() {
    let mut app = loaded(process("1", 6), 80, 24);
    for _ in 0..5 {
        app.update(ch('d'));
        app.update(ch('j'));
    }
    assert_eq!(app.downloads.cursor.selected(), 4, "the newest row");
    let shown = screen(&app);
    let row = shown
        .lines()
        .find(|l| l.contains("Quarterly_statement_4.pdf") && l.contains("─────"));
    assert!(row.is_some(), "{shown}");
}

#[test]
fn a_new_failure_is_scrolled_into_view() {
    let mut app = loaded(process("1", 12), 80, 24);
    let ids = downloads_of(&app.update(ch('D')));
    failed(&mut app, ids[11], "attachment 1011 was not found");
    assert_eq!(app.downloads.cursor.selected(), 11);
    let shown = screen(&app);
    let row = shown
        .lines()
        .find(|l| l.contains("Quarterly_statement_11.pdf") && l.contains("failed"));
    assert!(row.is_some(), "{shown}");
}

#[test]
fn the_saved_path_of_another_process_is_not_shown_under_the_next_one() {
    let mut app = loaded(process("1", 1), 120, 36);
    let id = downloads_of(&app.update(ch('d')))[0];
    done(&mut app, id, "/tmp/dl/1 Process 1/Quarterly_statement_0.pdf");
    assert!(screen(&app).contains("saved /tmp/dl/1 Process 1/"));
    app.update(ch('/'));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    for c in "2".chars() {
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
        result: Ok(vec![process("2", 1)]),
    }));
    assert!(!screen(&app).contains("saved /tmp/dl/1 Process 1/"), "{}", screen(&app));
    // In the downloads pane, the selected row's path shows whatever process it belongs to.
    app.update(key(KeyCode::Tab));
    assert!(screen(&app).contains("saved /tmp/dl/1 Process 1/"), "{}", screen(&app));
}

// ----- room on the screen ----------------------------------------------------------------

#[test]
fn download_rows_show_their_names_at_80_and_90_columns() {
    for w in [80, 90, 120] {
        let mut app = loaded(process("1", 3), w, 24);
        app.update(ch('D'));
        let shown = screen(&app);
        assert!(shown.contains("› Quarterly_statement_0.pdf") || shown.contains("  Quarterly_statement_0.pdf"));
        let rows: Vec<_> = shown.lines().filter(|l| l.contains("─────── ")).collect();
        assert_eq!(rows.len(), 3, "{shown}");
        for row in rows {
            assert!(row.contains("Quarterly_statement_"), "{w}: {row}");
        }
    }
}

#[test]
fn a_long_name_is_cut_with_an_ellipsis() {
    let mut p = process("1", 1);
    p.documents[0].doc_name = Some(format!("{}.pdf", "Very_long_document_name_".repeat(6)));
    let mut app = loaded(p, 80, 24);
    app.update(ch('d'));
    let shown = screen(&app);
    let row = shown.lines().find(|l| l.contains("queued")).unwrap_or_default();
    assert!(row.contains("Very_long_document_name_") && row.contains('…'), "{row}");
}

#[test]
fn at_60_by_16_the_documents_show_rows() {
    let app = loaded(process("1", 6), 60, 16);
    let shown = screen(&app);
    let rows = shown.lines().filter(|l| l.contains("Quarterly_statement_")).count();
    assert!(rows >= 2, "{shown}");
    assert!(shown.contains("╭ Process"), "the pane above keeps a line: {shown}");
    // With the focus elsewhere, at least one row (its header gives way).
    let mut app = app;
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Process);
    let shown = screen(&app);
    assert!(shown.contains("Quarterly_statement_0.pdf"), "{shown}");
}

/// The screen's text inside the panes, without spaces or borders: what a
/// message says, wherever its lines were broken.
fn squashed(app: &App) -> String {
    screen(app)
        .lines()
        .map(|l| l.trim_matches(['│', ' ', '╰', '╯', '─']))
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_sha256_and_a_failed_open_are_shown_whole() {
    // At 60×16 there is no room for all of it: `y` copies the path and the SHA-256 there.
    for (w, h) in [(80, 24), (120, 36), (60, 24)] {
        let mut app = loaded(process("1", 1), w, h);
        let id = downloads_of(&app.update(ch('d')))[0];
        let path = "/home/ana/Downloads/Trackline/1 Process 1/Quarterly_statement_0.pdf";
        done(&mut app, id, path);
        app.update(key(KeyCode::Tab));
        let saved = format!("saved {path} · sha256 {}", "ab".repeat(32));
        assert!(squashed(&app).contains(&squash(&saved)), "{w}×{h}:\n{}", screen(&app));
        assert!(!screen(&app).contains('…'), "nothing cut at {w}×{h}:\n{}", screen(&app));

        let error = "xdg-open: no application is registered for application/pdf";
        app.update(ev(Event::OpenFailed {
            path: PathBuf::from(path),
            error: error.into(),
        }));
        let said = format!("Could not open Quarterly_statement_0.pdf: {error} — the file is at {path}");
        assert!(squashed(&app).contains(&squash(&said)), "{w}×{h}:\n{}", screen(&app));
        app.update(ch('k'));
        assert!(
            !screen(&app).contains("Could not open"),
            "the message goes with the next key"
        );
    }
}
