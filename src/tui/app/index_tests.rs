//! `App::update` and the screen for issue 14's TUI part: matches as you
//! type, a process opened from the index (cached, then fresh or stale), when
//! its status changed, and documents saved before.

use super::test_msgs::{NOW, ch, ev, init, key};
use super::*;
use crate::api::{Document, Id};
use crate::index::{CachedProcess, Hit, HitKind};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::HashMap;
use std::path::PathBuf;
use time::Duration;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

fn app(w: u16, h: u16) -> App {
    let mut app = App::new(init(true));
    app.update(Msg::Resize { width: w, height: h });
    app
}

fn process(id: &str, docs: usize) -> Process {
    Process {
        process_id: Id::new(id),
        name: Some(format!("Odoo Billing {id}")),
        status: Some("In Progress".into()),
        created_at: None,
        documents: (0..docs)
            .map(|i| Document {
                doc_id: Id::new(format!("{}", 1000 + i)),
                doc_name: Some(format!("Invoice_{i:03}.pdf")),
                doc_type: Some("Invoice".into()),
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    }
}

fn hit(process_id: &str, doc: Option<usize>) -> Hit {
    Hit {
        kind: if doc.is_some() {
            HitKind::Document
        } else {
            HitKind::Process
        },
        process_id: process_id.into(),
        process_name: Some(format!("Odoo Billing {process_id}")),
        doc_id: doc.map(|i| format!("{}", 1000 + i)),
        doc_name: doc.map(|i| format!("Invoice_{i:03}.pdf")),
        status: Some("In Progress".into()),
        score: 100,
        last_seen: NOW - Duration::hours(3),
    }
}

fn typed(app: &mut App, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| app.update(ch(c))).collect()
}

fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::super::view::draw(f, app, NOW)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

fn req_of(commands: &[Command]) -> ReqId {
    match commands.iter().find_map(|c| match c {
        Command::FetchProcess { req, .. } => Some(*req),
        _ => None,
    }) {
        Some(req) => req,
        None => panic!("no lookup in {commands:?}"),
    }
}

/// Typed "odoo", with `hits` found for it.
fn with_matches(w: u16, h: u16, hits: Vec<Hit>) -> App {
    let mut app = app(w, h);
    let asked = typed(&mut app, "odoo");
    assert!(
        matches!(asked.last(), Some(Command::SearchIndex(q)) if q == "odoo"),
        "{asked:?}"
    );
    app.update(ev(Event::IndexMatches {
        query: "odoo".into(),
        hits: Ok(hits),
    }));
    app
}

fn cached(p: Process) -> Event {
    Event::CachedProcess {
        process_id: p.process_id.as_str().to_string(),
        cached: Some(Box::new(CachedProcess {
            process: p,
            first_seen: NOW - Duration::days(2),
            last_seen: NOW - Duration::hours(3),
            status_changed_at: Some(NOW - Duration::days(1)),
        })),
    }
}

#[test]
fn each_keystroke_asks_the_index_and_the_matches_replace_the_recent_list() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        let asked = typed(&mut app, "od");
        assert_eq!(
            asked
                .iter()
                .filter_map(|c| match c {
                    Command::SearchIndex(q) => Some(q.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            ["o", "od"]
        );
        // The answer for "o" comes after "od" was typed: dropped.
        app.update(ev(Event::IndexMatches {
            query: "o".into(),
            hits: Ok(vec![hit("1", None)]),
        }));
        assert!(app.index.matches.is_empty(), "a stale answer is dropped");
        app.update(ev(Event::IndexMatches {
            query: "od".into(),
            hits: Ok(vec![hit("4711", None), hit("4711", Some(2))]),
        }));
        let shown = screen(&app);
        assert!(shown.contains("Matches 2"), "{w}×{h}:\n{shown}");
        assert!(shown.contains("4711 Odoo Billing 4711"), "{shown}");
        assert!(
            shown.contains("▪ Invoice_002") && shown.contains(" · 4711"),
            "a document shows its process:\n{shown}"
        );
        assert!(!shown.contains("Onboarding"), "the recent list gives way:\n{shown}");

        // Emptied: the recent list is back and nothing is asked.
        assert!(
            app.update(key(KeyCode::Backspace))
                .iter()
                .any(|c| matches!(c, Command::SearchIndex(q) if q == "o"))
        );
        assert!(app.update(key(KeyCode::Backspace)).is_empty());
        assert!(screen(&app).contains("Onboarding"));
    }
}

#[test]
fn enter_on_typed_text_still_asks_the_server_and_the_recent_list_returns() {
    let mut app = with_matches(80, 24, vec![hit("4711", None)]);
    let commands = app.update(key(KeyCode::Enter));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::FetchProcess { query: ProcessQuery::Name(n), .. } if n == "odoo")),
        "{commands:?}"
    );
    assert!(!app.showing_matches());
}

#[test]
fn down_enter_on_a_document_match_shows_its_cached_process_with_the_document_selected_then_the_fresh_one() {
    for (w, h) in SIZES {
        let mut app = with_matches(w, h, vec![hit("4711", None), hit("4711", Some(2))]);
        app.update(key(KeyCode::Down));
        assert_eq!(app.focus(), Focus::Recent);
        app.update(key(KeyCode::Down));
        let commands = app.update(key(KeyCode::Enter));
        let req = req_of(&commands);
        assert!(
            commands
                .iter()
                .any(|c| matches!(c, Command::FetchProcess { query: ProcessQuery::Id(id), .. } if id == "4711"))
        );
        assert!(
            commands
                .iter()
                .any(|c| matches!(c, Command::CachedProcess(id) if id == "4711"))
        );

        app.update(ev(cached(process("4711", 4))));
        assert_eq!(app.focus(), Focus::Documents);
        assert_eq!(app.documents.selected_doc(), Some(2), "the document found is selected");
        let shown = screen(&app);
        assert!(shown.contains("cached, 3 hours ago"), "{w}×{h}:\n{shown}");
        assert!(shown.contains("changed 1 day ago"), "{shown}");
        assert!(shown.contains("Invoice_002.pdf"));

        let mut fresh = process("4711", 4);
        fresh.status = Some("Completed".into());
        app.update(ev(Event::ProcessLoaded {
            req,
            result: Ok(vec![fresh]),
        }));
        let shown = screen(&app);
        assert!(!shown.contains("cached"), "fresh now:\n{shown}");
        assert!(shown.contains("Completed"));
        assert_eq!(app.documents.selected_doc(), Some(2), "the selection stays");
        assert_eq!(app.focus(), Focus::Documents);
    }
}

#[test]
fn a_failed_refresh_leaves_the_cached_process_usable_and_marked_offline() {
    let mut app = with_matches(80, 24, vec![hit("4711", None)]);
    app.update(key(KeyCode::Down));
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(cached(process("4711", 3))));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::Timeout { host: "h".into() }),
    }));
    let shown = screen(&app);
    assert!(shown.contains("offline: cached, 3 hours ago"), "{shown}");
    assert!(shown.contains("Invoice_000.pdf"), "still shown:\n{shown}");
    app.update(ch('j'));
    assert_eq!(app.documents.selected_doc(), Some(1), "still usable");

    // The refresh failed before the cached data came: shown, stale at once.
    let mut app = with_matches(80, 24, vec![hit("4711", None)]);
    app.update(key(KeyCode::Down));
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::Timeout { host: "h".into() }),
    }));
    app.update(ev(cached(process("4711", 3))));
    assert!(screen(&app).contains("offline: cached"), "{}", screen(&app));
}

#[test]
fn cached_data_of_a_process_asked_for_by_typing_is_not_shown() {
    let mut app = app(80, 24);
    typed(&mut app, "4711");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(cached(process("4711", 3))));
    assert!(
        app.current.is_none(),
        "only a process opened from the index shows its cache"
    );
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("4711", 3)]),
    }));
    assert!(screen(&app).contains("changed 1 day ago"), "{}", screen(&app));
}

#[test]
fn a_status_never_seen_changing_says_no_when() {
    let mut app = app(80, 24);
    typed(&mut app, "4711");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("4711", 3)]),
    }));
    app.update(ev(Event::CachedProcess {
        process_id: "4711".into(),
        cached: Some(Box::new(CachedProcess {
            process: process("4711", 3),
            first_seen: NOW,
            last_seen: NOW,
            status_changed_at: None,
        })),
    }));
    let shown = screen(&app);
    assert!(shown.contains("● In Progress"), "{shown}");
    assert!(
        !shown.contains("changed"),
        "seen once, its change is not known:\n{shown}"
    );
}

fn loaded_with_saved(docs: usize, saved: &[usize]) -> App {
    let mut app = app(80, 24);
    typed(&mut app, "4711");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("4711", docs)]),
    }));
    let files: HashMap<String, Option<PathBuf>> = (0..docs)
        .map(|i| {
            let path = saved
                .contains(&i)
                .then(|| PathBuf::from(format!("/dl/Invoice_{i:03}.pdf")));
            (format!("{}", 1000 + i), path)
        })
        .collect();
    app.update(ev(Event::SavedFiles { files }));
    app
}

#[test]
fn d_on_a_saved_document_says_where_it_is_and_d_again_saves_a_new_copy() {
    let mut app = loaded_with_saved(2, &[0]);
    let shown = screen(&app);
    assert!(shown.contains("✓ saved"), "{shown}");
    assert_eq!(shown.matches("✓ saved").count(), 1);

    assert!(app.update(ch('d')).is_empty(), "nothing downloaded");
    let shown = screen(&app);
    assert!(shown.contains("Already saved: /dl/Invoice_000.pdf"), "{shown}");
    assert!(shown.contains("again saves a new copy"), "{shown}");

    let commands = app.update(ch('d'));
    assert!(
        matches!(commands.as_slice(), [Command::Download { force: true, doc, .. }] if doc.doc_id.as_str() == "1000"),
        "{commands:?}"
    );

    // Another key is no answer: it does its own thing, and nothing is saved.
    let mut app = loaded_with_saved(2, &[0]);
    app.update(ch('d'));
    assert!(app.update(ch('j')).is_empty());
    assert!(app.prompt.is_none());
    assert_eq!(app.documents.selected_doc(), Some(1));
    let commands = app.update(ch('d'));
    assert!(
        matches!(commands.as_slice(), [Command::Download { force: false, .. }]),
        "{commands:?}"
    );
}

#[test]
fn capital_d_skips_saved_documents_and_says_how_many() {
    let mut app = loaded_with_saved(4, &[1, 3]);
    let commands = app.update(ch('D'));
    let ids: Vec<&str> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Download { doc, force: false, .. } => Some(doc.doc_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["1000", "1002"]);
    assert!(
        screen(&app).contains("Queued 2 downloads; skipped 2 already saved"),
        "{}",
        screen(&app)
    );

    let mut app = loaded_with_saved(2, &[0, 1]);
    assert!(app.update(ch('D')).is_empty());
    assert!(
        screen(&app).contains("2 already saved: nothing downloaded"),
        "{}",
        screen(&app)
    );
}

#[test]
fn a_copy_found_by_the_worker_is_shown_done_and_where_it_is() {
    let mut app = loaded_with_saved(1, &[]);
    let commands = app.update(ch('d'));
    let Some(id) = commands.iter().find_map(|c| match c {
        Command::Download { id, .. } => Some(*id),
        _ => None,
    }) else {
        panic!("{commands:?}")
    };
    app.update(ev(Event::AlreadySaved {
        id,
        path: PathBuf::from("/dl/Invoice_000.pdf"),
        bytes: 10,
        sha256: "ab".repeat(32),
    }));
    assert!(screen(&app).contains("Already saved: /dl/Invoice_000.pdf"));
    assert!(app.update(ch('d')).is_empty(), "d again asks first");
}

#[test]
fn up_from_the_first_match_goes_back_to_the_box_and_y_copies_a_matchs_process_id() {
    let mut app = with_matches(80, 24, vec![hit("4711", Some(1)), hit("4712", None)]);
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(ch('y'));
    assert_eq!(app.take_effects(), [Effect::Copy("4712".into())]);
    app.update(key(KeyCode::Up));
    assert_eq!(app.focus(), Focus::Recent);
    app.update(key(KeyCode::Up));
    assert_eq!(app.focus(), Focus::Search);
    assert!(app.showing_matches(), "the matches stay while the box has the focus");
    app.update(key(KeyCode::Tab));
    assert!(app.showing_matches(), "Tab goes into them");
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Process);
    assert!(!app.showing_matches(), "and they go with the focus");
    app.update(ch('/'));
    assert!(
        !app.showing_matches(),
        "back in the box, the recent list until the text changes"
    );
}
