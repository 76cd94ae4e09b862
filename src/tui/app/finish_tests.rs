//! Issue 13's search box, process details and messages: `App::update` and
//! what a frame of it shows, at 80×24 and larger.

use super::search::closest_names;
use super::test_msgs::{NOW, ch, ev, key};
use super::*;
use crate::api::Id;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn init(logged_in: bool) -> AppInit {
    AppInit {
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
        ..super::test_msgs::init(logged_in)
    }
}

fn typed(app: &mut App, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| app.update(ch(c))).collect()
}

fn req_of(commands: &[Command]) -> Option<ReqId> {
    commands.iter().find_map(|c| match c {
        Command::FetchProcess { req, .. } => Some(*req),
        _ => None,
    })
}

fn query_of(commands: &[Command]) -> Option<ProcessQuery> {
    commands.iter().find_map(|c| match c {
        Command::FetchProcess { query, .. } => Some(query.clone()),
        _ => None,
    })
}

/// The sandbox's process 12346: nested additional data.
fn vat_filing() -> Process {
    let body = r#"{
        "process_id": "12346", "name": "Quarterly VAT Filing Q1", "status": "Completed",
        "created_at": "2024-04-02T08:15:00Z", "customer": "Acme Trading AG", "amount": 1234.56,
        "currency": "EUR", "paid": true, "tags": ["vat", "q1", "germany"],
        "approval": {"by": "Ana Weber", "at": "2024-04-03T09:00:00Z", "level": 2, "comments": null},
        "note": "Filed late because the bank statement for March arrived only on the second of April",
        "documents": [
            {"doc_id": "98766", "doc_name": "XRechnung_2024_0042.xml", "doc_type": "E-Invoice"},
            {"doc_id": "98767", "doc_name": "Q1_Receipts.zip", "doc_type": "Archive"}
        ]
    }"#;
    crate::api::model::parse_processes(body.as_bytes()).unwrap().remove(0)
}

fn named(id: &str, name: &str, documents: &[&str]) -> Process {
    Process {
        process_id: Id::new(id),
        name: Some(name.into()),
        status: Some("Completed".into()),
        created_at: None,
        documents: documents
            .iter()
            .enumerate()
            .map(|(i, n)| crate::api::Document {
                doc_id: Id::new(format!("{id}{i}")),
                doc_name: Some((*n).into()),
                doc_type: None,
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    }
}

/// Sizes the app like a terminal of `w`×`h` (as the runtime does before the first frame).
fn sized(mut app: App, w: u16, h: u16) -> App {
    app.update(Msg::Resize { width: w, height: h });
    app
}

/// Looks `text` up from the search box and answers with `result`.
fn look_up(app: &mut App, text: &str, result: Result<Vec<Process>, ApiError>) {
    typed(app, text);
    let req = req_of(&app.update(key(KeyCode::Enter))).unwrap();
    app.update(ev(Event::ProcessLoaded { req, result }));
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

/// The process pane's rows (the right-hand pane of the wide layout), inside its border.
fn process_rows(lines: &[String]) -> Vec<String> {
    let top = lines.iter().position(|l| l.contains("╭ Process")).unwrap();
    let head = &lines[top][..lines[top].find("╭ Process").unwrap()];
    let column = head.chars().count();
    lines[top + 1..]
        .iter()
        .take_while(|l| l.chars().nth(column).is_none_or(|c| c != '╰'))
        .map(|l| {
            l.chars()
                .skip(column + 2)
                .collect::<String>()
                .trim_end_matches(['│', ' '])
                .to_string()
        })
        .collect()
}

// ----- the search box ------------------------------------------------------

#[test]
fn slash_selects_the_old_text_so_typing_replaces_it() {
    let mut app = App::new(init(true));
    look_up(
        &mut app,
        "Month-End Close",
        Ok(vec![named("12360", "Month-End Close", &["a.pdf"])]),
    );
    assert_eq!(app.focus(), Focus::Documents);
    app.update(ch('/'));
    typed(&mut app, "odoo");
    assert_eq!(app.search.value(), "odoo", "not Month-End Closeodoo");

    // Backspace clears a selected text; an arrow unselects it and edits as usual.
    app.update(key(KeyCode::Esc));
    app.update(ch('/'));
    app.update(key(KeyCode::Backspace));
    assert_eq!(app.search.value(), "");
    typed(&mut app, "12345");
    app.update(key(KeyCode::Esc));
    app.update(ch('/'));
    app.update(key(KeyCode::End));
    typed(&mut app, "6");
    assert_eq!(app.search.value(), "123456");

    // A paste replaces a selected text too; Tab into the box selects it.
    app.update(key(KeyCode::Esc));
    app.update(ch('/'));
    app.update(Msg::Paste("31337".into()));
    assert_eq!(app.search.value(), "31337");
    app.update(key(KeyCode::BackTab));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Search);
    typed(&mut app, "a/b");
    assert_eq!(app.search.value(), "a/b", "inside the box / is a character");
}

#[test]
fn the_selected_text_is_drawn_selected() {
    let mut app = sized(App::new(init(true)), 80, 24);
    look_up(
        &mut app,
        "12360",
        Ok(vec![named("12360", "Month-End Close", &["a.pdf"])]),
    );
    app.update(ch('/'));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| crate::tui::view::draw(f, &app, NOW)).unwrap();
    let buffer = terminal.backend().buffer();
    let x = (0..80).find(|x| buffer[(*x, 2)].symbol() == "1").unwrap();
    assert_eq!(buffer[(x, 2)].style().bg, app.theme.selected.bg);
    app.update(ch('9'));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| crate::tui::view::draw(f, &app, NOW)).unwrap();
    assert_ne!(terminal.backend().buffer()[(x, 2)].style().bg, app.theme.selected.bg);
}

#[test]
fn after_a_failed_lookup_the_hint_names_keys_that_work_where_the_focus_is() {
    let mut app = sized(App::new(init(true)), 80, 24);
    let not_found = ApiError::NotFound {
        what: "process 999".into(),
        message: None,
    };
    look_up(&mut app, "999", Err(not_found));
    assert_eq!(app.focus(), Focus::Search);
    let lines = screen(&app, 80, 24);
    assert!(shows(&lines, "Edit the search and press Enter"), "{lines:#?}");
    assert!(!shows(&lines, "Press / to search"), "/ types a slash in the box");
    app.update(key(KeyCode::Esc));
    assert!(shows(&screen(&app, 80, 24), "Press / to search again"));

    let mut app = sized(App::new(init(true)), 80, 24);
    let down = ApiError::Server {
        status: 503,
        message: None,
        retry_after: None,
    };
    look_up(&mut app, "12345", Err(down));
    assert!(shows(&screen(&app, 80, 24), "Press Enter to try again"));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.focus(), Focus::Recent);
    let text = process_rows(&screen(&app, 80, 24)).join(" ");
    assert!(text.contains("r in the process pane to try again"), "{text}");
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Process);
    assert!(shows(&screen(&app, 80, 24), "Press r to try again"));
    assert_eq!(query_of(&app.update(ch('r'))), Some(ProcessQuery::Id("12345".into())));
}

#[test]
fn a_lookup_before_any_sign_in_asks_for_a_login_and_runs_after_it() {
    let mut app = App::new(init(false));
    app.update(key(KeyCode::Esc));
    assert!(!app.login.visible());
    typed(&mut app, "12345");
    let commands = app.update(key(KeyCode::Enter));
    assert!(
        query_of(&commands).is_none(),
        "nothing to ask the server with: {commands:?}"
    );
    assert!(app.login.visible());
    let reason = app.login.reason.clone().unwrap_or_default();
    assert!(reason.starts_with("You are not signed in"), "{reason}");
    assert!(!reason.contains("ended"));
    let lines = screen(&app, 100, 30);
    assert!(shows(&lines, "You are not signed in"), "{lines:#?}");
    assert!(!shows(&lines, "session has ended"));
    // Closed without logging in, the box says how to go on from there.
    app.update(key(KeyCode::Esc));
    assert!(shows(&screen(&app, 100, 30), "Press Enter to log in and look it up"));
    assert!(query_of(&app.update(key(KeyCode::Enter))).is_none());
    assert!(app.login.visible());
    let commands = app.update(ev(Event::LoggedIn {
        email: "demo@trackline.local".into(),
        base_url: "http://127.0.0.1:8080/api".into(),
        expires_at: None,
    }));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("12345".into())));
}

// ----- the process details -------------------------------------------------

#[test]
fn nested_data_is_an_indented_tree_and_more_than_one_field_shows_at_80x24() {
    let mut app = sized(App::new(init(true)), 80, 24);
    look_up(&mut app, "12346", Ok(vec![vat_filing()]));
    let rows = process_rows(&screen(&app, 80, 24));
    let extra: Vec<&String> = rows.iter().skip(FIXED_DETAILS).collect();
    assert!(extra.len() >= 3, "{rows:#?}");
    assert!(rows[FIXED_DETAILS].starts_with("amount"), "{rows:#?}");
    assert!(!shows(&rows, "{\""), "no raw JSON: {rows:#?}");
    // The pane shows where it is, and ↓ scrolls at once.
    let title = screen(&app, 80, 24)
        .into_iter()
        .find(|l| l.contains("╭ Process"))
        .unwrap();
    assert!(
        title.contains(&format!("1–{} of {}", rows.len(), app.detail_lines())),
        "{title}"
    );
    app.update(key(KeyCode::BackTab));
    assert_eq!(app.focus(), Focus::Process);
    app.update(key(KeyCode::Down));
    let after = process_rows(&screen(&app, 80, 24));
    assert_eq!(after[0], rows[1], "one ↓, one line");
    // Scrolled down to the approval: its fields are a tree under it.
    let indent = " ".repeat("approval ▸ ".chars().count());
    let mut seen = after;
    while !seen.iter().any(|r| r.starts_with(&format!("{indent}level"))) {
        app.update(key(KeyCode::Down));
        seen = process_rows(&screen(&app, 80, 24));
    }
    let approval = seen.iter().position(|r| r.starts_with("approval ▸ at")).unwrap();
    assert!(seen[approval + 1].starts_with(&format!("{indent}by")), "{seen:#?}");
    assert!(seen[approval + 1].ends_with("Ana Weber"), "{seen:#?}");
    assert!(seen[approval + 3].ends_with(" 2"), "{seen:#?}");
    app.update(key(KeyCode::End));
    let end = process_rows(&screen(&app, 80, 24));
    assert!(
        end.last().unwrap().starts_with("tags") && end.last().unwrap().ends_with("vat, q1, germany"),
        "{end:#?}"
    );
    // A value too long for the pane is cut, and the cut is marked.
    let note = end.iter().find(|r| r.starts_with("note")).unwrap();
    assert!(note.ends_with('…'), "{note}");
}

#[test]
fn a_taller_terminal_gives_the_process_pane_the_room_to_show_everything() {
    let mut app = sized(App::new(init(true)), 120, 36);
    look_up(&mut app, "12346", Ok(vec![vat_filing()]));
    let lines = screen(&app, 120, 36);
    let rows = process_rows(&lines);
    assert_eq!(rows.len(), app.detail_lines(), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("╭ Process") && l.contains(" of ")));
    assert!(shows(&lines, "Q1_Receipts.zip"), "the documents keep their rows");
}

// ----- the chooser, messages, help -----------------------------------------

#[test]
fn while_a_name_matches_several_the_documents_pane_lists_none() {
    let mut app = sized(App::new(init(true)), 80, 24);
    look_up(
        &mut app,
        "12345",
        Ok(vec![named("12345", "Odoo", &["Invoice_001.pdf"])]),
    );
    assert!(shows(&screen(&app, 80, 24), "Invoice_001.pdf"));
    app.update(ch('/'));
    let both = vec![
        named("12360", "Month-End Close", &["a.pdf"]),
        named("12361", "Month-End Close", &["b.pdf"]),
    ];
    look_up(&mut app, "Month-End Close", Ok(both));
    let lines = screen(&app, 80, 24);
    assert!(shows(&lines, "2 processes match"), "{lines:#?}");
    assert!(!shows(&lines, "Invoice_001.pdf"), "{lines:#?}");
    assert!(shows(&lines, "Choose a process above"));
    assert!(app.update(ch('D')).is_empty(), "nothing of the old process to download");
}

#[test]
fn a_long_lookup_message_wraps_instead_of_being_cut() {
    for (w, h) in [(80, 24), (60, 20), (120, 36)] {
        let mut app = sized(App::new(init(true)), w, h);
        let name = "Quarterly report of the northern region";
        let not_found = ApiError::NotFound {
            what: name.into(),
            message: None,
        };
        look_up(&mut app, name, Err(not_found));
        let lines = screen(&app, w, h);
        let pane = if w >= 80 { process_rows(&lines) } else { lines.clone() };
        let text = pane.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        for words in ["must match exactly, capitals included", "press Enter"] {
            assert!(text.contains(words), "{w}×{h}: {words:?} in {lines:#?}");
        }
        assert!(!shows(&pane, "…"), "{w}×{h}: {lines:#?}");
    }
}

#[test]
fn a_name_not_found_shows_the_closest_recent_names() {
    let mut app = sized(App::new(init(true)), 80, 24);
    let not_found = ApiError::NotFound {
        what: "process".into(),
        message: None,
    };
    look_up(&mut app, "odoo billing process", Err(not_found));
    let lines = screen(&app, 80, 24);
    let text = process_rows(&lines)
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Names must match exactly, capitals included"),
        "{lines:#?}"
    );
    assert!(
        text.contains("Closest recent: Odoo Billing Process (12345)"),
        "{lines:#?}"
    );
    assert!(!text.contains("Month-End"), "only names that are close");
    // ↓ goes to the recent list with the closest selected; Enter looks it up.
    app.update(key(KeyCode::Down));
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("12345".into())));
}

#[test]
fn closest_names_rank_case_then_containment_then_edits() {
    let recent: Vec<RecentEntry> = [
        "Payroll Export",
        "Odoo Billing Process 2023",
        "Odoo Billing Process",
        "Odo Biling",
    ]
    .iter()
    .enumerate()
    .map(|(i, n)| RecentEntry {
        process_id: format!("{i}"),
        name: Some((*n).into()),
        status: None,
    })
    .collect();
    assert_eq!(closest_names("odoo billing process", &recent), [2, 1]);
    assert_eq!(closest_names("Odoo Biling", &recent), [3]);
    assert_eq!(closest_names("Odoo Billing", &recent), [2, 1, 3]);
    assert_eq!(closest_names("payrol export", &recent), [0]);
    assert!(closest_names("Month-End Close", &recent).is_empty());
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
fn in_help_at_80x24_the_first_down_scrolls() {
    let mut app = sized(App::new(init(true)), 80, 24);
    app.update(key(KeyCode::Tab));
    app.update(ch('?'));
    let before = screen(&app, 80, 24);
    app.update(key(KeyCode::Down));
    let after = screen(&app, 80, 24);
    assert_ne!(before, after, "the first ↓ moves the list");
    let first_row = |lines: &[String]| lines.iter().find(|l| l.contains("quit at once")).cloned();
    assert!(
        first_row(&before).is_some() && first_row(&after).is_none(),
        "{after:#?}"
    );
    app.update(key(KeyCode::Up));
    assert_eq!(screen(&app, 80, 24), before);
}

// ----- the top bar ---------------------------------------------------------

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
