//! `App::update` for every key of SPEC.md's table, and for the worker's events.

use super::test_msgs::{NOW, ch, ev, init, key};
use super::*;
use crate::api::{Document, Id};
use crate::tui::downloads::TransferState;
use crate::worker::DownloadId;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use time::Duration;

/// What the tests observe of the app (nothing else needs to ask).
impl App {
    /// The active profile.
    pub(crate) fn profile(&self) -> &str {
        &self.sessions.profile
    }

    /// Whether the profile chooser is showing.
    pub(crate) fn profile_chooser_visible(&self) -> bool {
        self.sessions.chooser.is_some()
    }

    /// Whether the login dialog is showing.
    pub(crate) fn login_visible(&self) -> bool {
        self.login.visible()
    }

    /// Whether the help overlay is showing.
    pub(crate) fn help_visible(&self) -> bool {
        self.help.is_some()
    }

    /// Whether keys go into a text box (so `q` types a q).
    pub(crate) fn is_typing(&self) -> bool {
        self.login.visible()
            || self.focus == Focus::Search
            || (self.focus == Focus::Documents && self.documents.filtering)
    }

    /// The recent processes, most recent first.
    pub(crate) fn recent(&self) -> &[RecentEntry] {
        &self.recent
    }

    /// The process shown, if any.
    pub(crate) fn current_process(&self) -> Option<&Process> {
        self.current.as_ref()
    }
}

fn app() -> App {
    App::new(init(true))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| app.update(ch(c))).collect()
}

fn process(id: &str, docs: usize) -> Process {
    Process {
        process_id: Id::new(id),
        name: Some(format!("Process {id}")),
        status: Some("In Progress".into()),
        created_at: Some("2024-02-09T10:30:00Z".into()),
        documents: (0..docs)
            .map(|i| Document {
                doc_id: Id::new(format!("{}", 1000 + i)),
                doc_name: Some(format!("doc_{i}.pdf")),
                doc_type: Some(if i % 2 == 0 { "Invoice".into() } else { "Photo".into() }),
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    }
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

fn query_of(commands: &[Command]) -> Option<ProcessQuery> {
    commands.iter().find_map(|c| match c {
        Command::FetchProcess { query, .. } => Some(query.clone()),
        _ => None,
    })
}

fn downloads_of(commands: &[Command]) -> Vec<(DownloadId, String)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Download { id, doc, .. } => Some((*id, doc.doc_id.as_str().to_string())),
            _ => None,
        })
        .collect()
}

/// Logged in, with `p` looked up; focus on the documents.
fn loaded(p: Process) -> App {
    let mut app = app();
    typed(&mut app, p.process_id.as_str());
    let req = req_of(&app.update(key(KeyCode::Enter)));
    let commands = app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![p]),
    }));
    assert!(matches!(commands.as_slice(), [Command::SaveRecent(_)]), "{commands:?}");
    app
}

fn draw(app: &App, w: u16, h: u16) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::super::view::draw(f, app, NOW)).unwrap();
}

/// Whether `msg` quits: no work for the worker, one quit for the event loop.
fn quits(app: &mut App, msg: Msg) -> bool {
    let commands = app.update(msg);
    commands.is_empty() && app.take_effects() == [Effect::Quit]
}

// ----- start -------------------------------------------------------------

#[test]
fn a_valid_session_opens_on_the_search_box() {
    let app = app();
    assert!(!app.login_visible());
    assert_eq!(app.focus(), Focus::Search);
    assert!(!app.is_animating());
}

#[test]
fn no_session_or_an_expired_one_opens_the_login_dialog() {
    assert!(App::new(init(false)).login_visible());
    let mut expired = init(true);
    expired.session = Some(SessionInfo {
        email: "a@b.c".into(),
        expires_at: Some(NOW - Duration::minutes(1)),
    });
    assert!(App::new(expired).login_visible());
}

// ----- keys anywhere -----------------------------------------------------

#[test]
fn ctrl_c_quits_at_once_even_while_typing_or_in_a_dialog() {
    let mut typing = app();
    typed(&mut typing, "12");
    assert!(quits(&mut typing, ctrl('c')));
    assert!(typing.should_quit());

    let mut login = App::new(init(false));
    assert!(quits(&mut login, ctrl('c')));

    let mut help = loaded(process("1", 1));
    help.update(ch('?'));
    assert!(quits(&mut help, ctrl('c')));
}

#[test]
fn q_quits_when_not_typing_and_types_a_q_in_the_search_box() {
    let mut app = app();
    let commands = app.update(ch('q'));
    assert!(
        matches!(commands.as_slice(), [Command::SearchIndex(q)] if q == "q"),
        "only the search as you type: {commands:?}"
    );
    assert!(!app.should_quit());
    assert_eq!(app.search.value(), "q");
    app.update(key(KeyCode::Tab));
    assert!(quits(&mut app, ch('q')));
    assert!(app.should_quit());
}

#[test]
fn question_mark_shows_help_and_esc_or_question_mark_close_it() {
    let mut app = loaded(process("1", 2));
    app.update(ch('?'));
    assert!(app.help_visible());
    // Keys for panes do nothing under the overlay.
    assert!(app.update(ch('d')).is_empty());
    app.update(key(KeyCode::Esc));
    assert!(!app.help_visible());
    app.update(ch('?'));
    app.update(ch('?'));
    assert!(!app.help_visible());
    // In the search box it is just a character.
    let mut typing = self::app();
    typing.update(ch('?'));
    assert!(!typing.help_visible());
    assert_eq!(typing.search.value(), "?");
}

#[test]
fn tab_and_shift_tab_cycle_the_panes() {
    let mut app = app();
    let mut seen = vec![app.focus()];
    for _ in 0..5 {
        app.update(key(KeyCode::Tab));
        seen.push(app.focus());
    }
    assert_eq!(
        seen,
        [
            Focus::Search,
            Focus::Recent,
            Focus::Process,
            Focus::Documents,
            Focus::Downloads,
            Focus::Search
        ]
    );
    app.update(Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert_eq!(app.focus(), Focus::Downloads);
}

#[test]
fn tab_skips_an_empty_recent_list() {
    let mut init = init(true);
    init.recent.clear();
    let mut app = App::new(init);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Process);
}

#[test]
fn slash_focuses_the_search_box_and_types_in_it() {
    let mut app = loaded(process("1", 1));
    assert_eq!(app.focus(), Focus::Documents);
    app.update(ch('/'));
    assert_eq!(app.focus(), Focus::Search);
    // The old text is selected: the first character replaces it, the next adds to it.
    app.update(ch('/'));
    assert_eq!(app.search.value(), "/");
    app.update(ch('/'));
    assert_eq!(app.search.value(), "//");
}

#[test]
fn ctrl_z_suspends() {
    let mut app = app();
    assert!(app.update(ctrl('z')).is_empty());
    assert_eq!(app.take_effects(), [Effect::Suspend]);
    app.update(key(KeyCode::Tab));
    assert!(app.update(ctrl('z')).is_empty());
    assert_eq!(app.take_effects(), [Effect::Suspend]);
    assert!(app.take_effects().is_empty(), "each effect is taken once");
    assert!(!app.should_quit());
}

#[test]
fn key_releases_do_nothing() {
    let mut app = app();
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(app.update(Msg::Key(release)).is_empty());
    assert_eq!(app.search.value(), "");
}

// ----- search ------------------------------------------------------------

#[test]
fn enter_in_the_search_box_looks_up_an_id_or_a_name() {
    let mut app = app();
    typed(&mut app, "12345");
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("12345".into())));
    assert!(app.is_animating(), "the spinner runs while the lookup is in flight");

    let mut app = self::app();
    typed(&mut app, "Odoo Billing");
    assert_eq!(
        query_of(&app.update(key(KeyCode::Enter))),
        Some(ProcessQuery::Name("Odoo Billing".into()))
    );
}

#[test]
fn a_bad_search_shows_an_error_and_sends_nothing() {
    let mut app = app();
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(app.search_error.is_some());
    app.update(ch('1'));
    assert!(app.search_error.is_none(), "typing clears the error");
}

#[test]
fn a_paste_goes_into_the_search_box_without_line_breaks() {
    let mut app = app();
    app.update(Msg::Paste("123\n45\x1b".into()));
    assert_eq!(app.search.value(), "123 45");
}

#[test]
fn a_loaded_process_takes_the_focus_and_is_remembered() {
    let mut app = app();
    typed(&mut app, "12345");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    let commands = app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("12345", 2)]),
    }));
    assert_eq!(app.focus(), Focus::Documents);
    assert!(!app.is_animating());
    match commands.as_slice() {
        [Command::SaveRecent(recent)] => {
            assert_eq!(recent[0].process_id, "12345");
            assert_eq!(recent[1].process_id, "20001");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn recent_processes_are_deduplicated_and_bounded() {
    let mut app = app();
    for i in 0..25 {
        app.update(ch('/'));
        app.search = Input::new(format!("{}", 100 + i % 22));
        let req = req_of(&app.update(key(KeyCode::Enter)));
        app.update(ev(Event::ProcessLoaded {
            req,
            result: Ok(vec![process(&format!("{}", 100 + i % 22), 0)]),
        }));
    }
    assert_eq!(app.recent().len(), MAX_RECENT);
    assert_eq!(app.recent()[0].process_id, "102");
    let mut ids: Vec<_> = app.recent().iter().map(|r| r.process_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), MAX_RECENT);
}

#[test]
fn enter_on_a_recent_process_looks_it_up() {
    let mut app = app();
    app.update(key(KeyCode::Down));
    assert_eq!(app.focus(), Focus::Recent);
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("20001".into())));
}

#[test]
fn esc_cancels_the_lookup_in_flight_then_leaves_the_box() {
    let mut app = app();
    typed(&mut app, "12345");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    let commands = app.update(key(KeyCode::Esc));
    assert!(matches!(commands.as_slice(), [Command::CancelRequest(r)] if *r == req));
    assert_eq!(app.focus(), Focus::Search);
    // The late reply is dropped.
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("12345", 1)]),
    }));
    assert!(app.current_process().is_none());
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_ne!(app.focus(), Focus::Search);
}

#[test]
fn a_stale_reply_is_dropped() {
    let mut app = app();
    typed(&mut app, "1");
    let first = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ch('/'));
    typed(&mut app, "2");
    let commands = app.update(key(KeyCode::Enter));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::CancelRequest(r) if *r == first))
    );
    let second = req_of(&commands);
    assert!(
        app.update(ev(Event::ProcessLoaded {
            req: first,
            result: Ok(vec![process("1", 1)])
        }))
        .is_empty()
    );
    assert!(app.current_process().is_none());
    app.update(ev(Event::ProcessLoaded {
        req: second,
        result: Ok(vec![process("12", 1)]),
    }));
    assert_eq!(app.current_process().map(|p| p.process_id.as_str()), Some("12"));
}

#[test]
fn not_found_says_what_to_do_next() {
    let mut app = app();
    typed(&mut app, "999");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::NotFound {
            what: "process 999".into(),
            message: None,
        }),
    }));
    match &app.lookup {
        Lookup::Failed { message, .. } => {
            assert_eq!(message, "No process 999 — check the id, or search by name")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_name_matching_several_processes_shows_a_chooser() {
    let mut app = app();
    typed(&mut app, "Odoo");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("1", 1), process("2", 3)]),
    }));
    assert_eq!(app.focus(), Focus::Process);
    assert!(app.current_process().is_none());
    app.update(ch('j'));
    let commands = app.update(key(KeyCode::Enter));
    assert!(matches!(commands.as_slice(), [Command::SaveRecent(_)]));
    assert_eq!(app.current_process().map(|p| p.process_id.as_str()), Some("2"));
    assert_eq!(app.focus(), Focus::Documents);
    assert_eq!(app.documents.total(), 3);
}

#[test]
fn r_in_the_process_pane_reloads_it() {
    let mut app = loaded(process("12345", 1));
    app.update(key(KeyCode::BackTab));
    assert_eq!(app.focus(), Focus::Process);
    let commands = app.update(ch('r'));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("12345".into())));
    assert!(
        app.update(ch('r')).is_empty(),
        "no second reload while one is in flight"
    );
}

#[test]
fn r_after_a_failed_lookup_tries_it_again() {
    let mut app = app();
    typed(&mut app, "5");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::Timeout { host: "h".into() }),
    }));
    app.update(key(KeyCode::Esc));
    app.focus = Focus::Process;
    assert_eq!(query_of(&app.update(ch('r'))), Some(ProcessQuery::Id("5".into())));
}

// ----- lists -------------------------------------------------------------

#[test]
fn list_keys_move_the_selection() {
    let mut app = loaded(process("1", 100));
    app.update(Msg::Resize { width: 100, height: 30 });
    assert!(app.list_rows().documents > 1);
    let sel = |app: &App| app.documents.cursor.selected();
    app.update(ch('j'));
    app.update(key(KeyCode::Down));
    assert_eq!(sel(&app), 2);
    app.update(ch('k'));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Up));
    assert_eq!(sel(&app), 0);
    app.update(ch('G'));
    assert_eq!(sel(&app), 99);
    app.update(ch('g'));
    assert_eq!(sel(&app), 0);
    app.update(key(KeyCode::End));
    assert_eq!(sel(&app), 99);
    app.update(key(KeyCode::Home));
    assert_eq!(sel(&app), 0);
    app.update(key(KeyCode::PageDown));
    let after_page = sel(&app);
    assert!(after_page > 1, "a page is more than one row");
    app.update(key(KeyCode::PageUp));
    assert_eq!(sel(&app), 0);
}

/// The document rows a screen of `w`×`h` shows.
fn document_rows_shown(app: &App, w: u16, h: u16) -> usize {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::super::view::draw(f, app, NOW)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .filter(|&y| {
            let line: String = (0..w).map(|x| buffer[(x, y)].symbol()).collect();
            line.contains("doc_")
        })
        .count()
}

#[test]
fn page_down_right_after_a_resize_moves_by_the_visible_page() {
    let mut app = loaded(process("1", 100));
    for (w, h) in [(100, 30), (100, 50), (70, 24)] {
        app.update(key(KeyCode::Home));
        app.update(Msg::Resize { width: w, height: h });
        app.update(key(KeyCode::PageDown));
        let shown = document_rows_shown(&app, w, h);
        assert!(shown > 2, "{w}×{h}");
        assert_eq!(
            app.documents.cursor.selected(),
            shown - 1,
            "{w}×{h}: a page is the rows shown less one"
        );
    }
}

#[test]
fn list_keys_move_in_recent_and_downloads_too() {
    let mut app = loaded(process("1", 5));
    app.update(ch('D'));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Downloads);
    app.update(ch('G'));
    assert_eq!(app.downloads.cursor.selected(), 4);
    app.update(ch('k'));
    assert_eq!(app.downloads.cursor.selected(), 3);
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Recent);
    app.update(ch('j'));
    assert_eq!(app.recent_cursor.selected(), 1);
}

// ----- documents -----------------------------------------------------------

#[test]
fn enter_or_d_downloads_the_selected_document() {
    let mut app = loaded(process("1", 3));
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(
        downloads_of(&commands)
            .iter()
            .map(|(_, d)| d.as_str())
            .collect::<Vec<_>>(),
        ["1000"]
    );
    app.update(ch('j'));
    let commands = app.update(ch('d'));
    assert_eq!(downloads_of(&commands)[0].1, "1001");
    assert!(app.is_animating());
    // Twice the same document while it runs: nothing new.
    assert!(app.update(ch('d')).is_empty());
    assert!(app.documents_notice.is_some());
}

#[test]
fn space_marks_and_unmarks() {
    let mut app = loaded(process("1", 3));
    app.update(ch(' '));
    assert!(app.documents.is_marked(0));
    assert_eq!(app.documents.cursor.selected(), 1, "marking moves down");
    app.update(ch('k'));
    app.update(ch(' '));
    assert!(!app.documents.is_marked(0));
}

#[test]
fn capital_d_downloads_the_marked_or_else_all() {
    let mut app = loaded(process("1", 6));
    app.update(ch('j'));
    app.update(ch(' '));
    app.update(ch(' '));
    let marked = app.update(ch('D'));
    let ids: Vec<_> = downloads_of(&marked).into_iter().map(|(_, d)| d).collect();
    assert_eq!(ids, ["1001", "1002"]);
    assert_eq!(app.documents.marked_count(), 0);

    let mut app = loaded(process("1", 6));
    let all = app.update(ch('D'));
    assert_eq!(downloads_of(&all).len(), 6, "every one is asked of the worker at once");
    assert_eq!(app.downloads.items().len(), 6);
    assert!(
        app.downloads.items().iter().all(|t| t.state == TransferState::Queued),
        "each waits for the worker to start it"
    );
}

#[test]
fn a_download_stays_queued_until_the_worker_starts_it() {
    let mut app = loaded(process("1", 3));
    let asked = downloads_of(&app.update(ch('D')));
    let (first, second, third) = (asked[0].0, asked[1].0, asked[2].0);
    let state = |app: &App, i: usize| app.downloads.items()[i].state.label();
    assert_eq!(state(&app, 0), "queued");
    app.update(ev(Event::DownloadStarted {
        id: first,
        received: 0,
        total: Some(10),
    }));
    assert_eq!(state(&app, 0), "running");
    assert_eq!(state(&app, 1), "queued");
    // The worker starts the next one itself: a finished download asks for nothing.
    let finished = app.update(ev(Event::Downloaded {
        id: first,
        path: "/tmp/a".into(),
        bytes: 10,
        sha256: String::new(),
    }));
    assert!(finished.is_empty(), "{finished:?}");
    assert_eq!(state(&app, 0), "done");
    // One that fails before it started is failed, with its error.
    assert!(
        app.update(ev(Event::DownloadFailed {
            id: second,
            error: "boom".into(),
            retryable: true,
            needs_login: false,
        }))
        .is_empty()
    );
    assert!(matches!(&app.downloads.items()[1].state, TransferState::Failed { error, .. } if error == "boom"));
    assert!(app.update(ev(Event::DownloadCancelled { id: third })).is_empty());
    assert_eq!(state(&app, 2), "cancelled");
}

#[test]
fn o_opens_a_downloaded_document_or_says_it_is_not_there_yet() {
    let mut app = loaded(process("1", 2));
    assert!(app.update(ch('o')).is_empty());
    assert!(
        app.documents_notice
            .as_ref()
            .is_some_and(|n| n.text.contains("Not downloaded yet"))
    );
    let (id, _) = downloads_of(&app.update(ch('d')))[0];
    let path = PathBuf::from("/tmp/x/doc_0.pdf");
    app.update(ev(Event::Downloaded {
        id,
        path: path.clone(),
        bytes: 10,
        sha256: String::new(),
    }));
    assert!(matches!(app.update(ch('o')).as_slice(), [Command::Open(p)] if *p == path));
}

#[test]
fn f_filters_by_name_or_type() {
    let mut app = loaded(process("1", 10));
    app.update(ch('f'));
    assert!(app.is_typing());
    typed(&mut app, "photo");
    assert_eq!(app.documents.rows().len(), 5);
    // Keys type into the filter: no download, no quit.
    assert!(app.update(ch('q')).is_empty());
    assert_eq!(app.documents.rows().len(), 0);
    app.update(key(KeyCode::Backspace));
    app.update(key(KeyCode::Enter));
    assert!(!app.is_typing());
    let commands = app.update(ch('d'));
    assert_eq!(downloads_of(&commands)[0].1, "1001", "the first photo");
    app.update(ch('f'));
    app.update(ctrl('u'));
    typed(&mut app, "_3");
    assert_eq!(app.documents.rows(), [3]);
    app.update(key(KeyCode::Esc));
    assert!(!app.is_typing());
    assert_eq!(app.documents.rows(), [3], "leaving the box keeps the filter");
}

#[test]
fn capital_d_with_a_filter_downloads_what_is_shown() {
    let mut app = loaded(process("1", 10));
    app.update(ch('f'));
    typed(&mut app, "doc_1");
    app.update(key(KeyCode::Enter));
    assert_eq!(downloads_of(&app.update(ch('D'))).len(), 1);
}

// ----- downloads -----------------------------------------------------------

#[test]
fn x_cancels_a_download() {
    let mut app = loaded(process("1", 4));
    let started = downloads_of(&app.update(ch('D')));
    app.update(ev(Event::DownloadStarted {
        id: started[0].0,
        received: 0,
        total: None,
    }));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Downloads);
    let commands = app.update(ch('x'));
    assert!(
        matches!(commands.as_slice(), [Command::CancelDownload(id)] if *id == started[0].0),
        "the worker starts the next one itself: {commands:?}"
    );
    assert!(matches!(
        app.downloads.items()[0].state,
        TransferState::Cancelled { .. }
    ));
    // Cancelling it again does nothing.
    assert!(app.update(ch('x')).is_empty());
}

#[test]
fn x_on_a_queued_download_takes_it_out_of_the_workers_queue() {
    let mut app = loaded(process("1", 4));
    app.update(ch('D'));
    app.update(key(KeyCode::Tab));
    app.update(ch('G'));
    let last = app.downloads.items()[3].id;
    let commands = app.update(ch('x'));
    assert!(
        matches!(commands.as_slice(), [Command::CancelDownload(id)] if *id == last),
        "{commands:?}"
    );
    assert!(matches!(
        app.downloads.items()[3].state,
        TransferState::Cancelled { .. }
    ));
    assert!(
        app.update(ev(Event::DownloadCancelled { id: last })).is_empty(),
        "the worker's confirmation asks for nothing"
    );
    assert!(matches!(
        app.downloads.items()[3].state,
        TransferState::Cancelled { .. }
    ));
}

#[test]
fn r_retries_a_failed_download_under_a_new_id() {
    let mut app = loaded(process("1", 1));
    let (id, _) = downloads_of(&app.update(ch('d')))[0];
    app.update(ev(Event::DownloadFailed {
        id,
        error: "503".into(),
        retryable: true,
        needs_login: false,
    }));
    app.update(key(KeyCode::Tab));
    let commands = app.update(ch('r'));
    let (new_id, doc) = downloads_of(&commands)[0].clone();
    assert_ne!(new_id, id);
    assert_eq!(doc, "1000");
    // Events of the old attempt no longer count.
    app.update(ev(Event::Downloaded {
        id,
        path: "/tmp/old".into(),
        bytes: 1,
        sha256: String::new(),
    }));
    assert_eq!(app.downloads.items()[0].state, TransferState::Queued);
    // A queued or running download cannot be retried.
    assert!(app.update(ch('r')).is_empty());
    app.update(ev(Event::DownloadStarted {
        id: new_id,
        received: 0,
        total: None,
    }));
    assert!(matches!(app.downloads.items()[0].state, TransferState::Running(_)));
    assert!(app.update(ch('r')).is_empty());
}

#[test]
fn o_in_downloads_opens_a_finished_file() {
    let mut app = loaded(process("1", 1));
    let (id, _) = downloads_of(&app.update(ch('d')))[0];
    app.update(key(KeyCode::Tab));
    assert!(app.update(ch('o')).is_empty());
    app.update(ev(Event::Downloaded {
        id,
        path: "/tmp/f.pdf".into(),
        bytes: 1,
        sha256: String::new(),
    }));
    assert!(matches!(app.update(ch('o')).as_slice(), [Command::Open(_)]));
    app.update(ev(Event::OpenFailed {
        path: "/tmp/f.pdf".into(),
        error: "no opener".into(),
    }));
    assert!(
        app.downloads_notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("/tmp/f.pdf"))
    );
}

#[test]
fn progress_gives_rate_and_eta() {
    let mut app = loaded(process("1", 1));
    let (id, _) = downloads_of(&app.update(ch('d')))[0];
    app.update(ev(Event::DownloadStarted {
        id,
        received: 0,
        total: Some(1000),
    }));
    app.update(Msg::Event {
        event: Event::Progress {
            id,
            received: 400,
            total: Some(1000),
        },
        now: NOW + Duration::seconds(2),
    });
    let t = &app.downloads.items()[0];
    assert_eq!(t.rate(), Some(200.0));
    assert_eq!(t.eta(), Some(Duration::seconds(3)));
}

// ----- login, logout, replay ------------------------------------------------

#[test]
fn enter_in_the_login_dialog_logs_in() {
    let mut app = App::new(init(false));
    assert!(app.update(key(KeyCode::Enter)).is_empty(), "no password yet");
    assert!(app.login.error().is_some());
    typed(&mut app, "demo");
    match app.update(key(KeyCode::Enter)).as_slice() {
        [
            Command::Login {
                email,
                password,
                base_url,
                remember_password: false,
            },
        ] => {
            use secrecy::ExposeSecret;
            assert_eq!(email, "demo@trackline.local");
            assert_eq!(password.expose_secret(), "demo");
            assert_eq!(base_url, "http://127.0.0.1:8080/api");
        }
        other => panic!("{other:?}"),
    }
    assert!(app.is_animating());
    assert!(app.update(key(KeyCode::Enter)).is_empty(), "one login at a time");
    app.update(ev(Event::LoggedIn {
        email: "demo@trackline.local".into(),
        base_url: "http://127.0.0.1:8080/api".into(),
        expires_at: None,
    }));
    assert!(!app.login_visible());
    assert_eq!(app.login.password.value(), "", "the password is not kept");
}

#[test]
fn tab_moves_between_login_fields_and_keys_type_into_them() {
    let mut app = App::new(init(false));
    assert_eq!(app.login.field, LoginField::Password);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.login.field, LoginField::KeepPassword);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.login.field, LoginField::Server);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.login.field, LoginField::Email);
    app.update(Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert_eq!(app.login.field, LoginField::Server);
    // q, ?, L and / are text here.
    typed(&mut app, "q?L/");
    assert!(app.login.server.value().ends_with("q?L/"));
    assert!(!app.should_quit());
}

#[test]
fn a_wrong_password_is_reported_in_the_dialog() {
    let mut app = App::new(init(false));
    typed(&mut app, "bad");
    app.update(key(KeyCode::Enter));
    app.update(ev(Event::LoginFailed(ApiError::BadCredentials { message: None })));
    assert!(app.login_visible());
    assert!(!app.is_animating());
    assert_eq!(
        app.login.error(),
        Some("Wrong email or password — check them and press Enter")
    );
    assert_eq!(app.login.password.value(), "");
}

#[test]
fn esc_closes_the_login_dialog() {
    let mut app = App::new(init(false));
    app.update(key(KeyCode::Esc));
    assert!(!app.login_visible());
}

#[test]
fn capital_l_logs_out_and_shows_the_login_dialog() {
    let mut app = loaded(process("1", 1));
    assert!(matches!(app.update(ch('L')).as_slice(), [Command::Logout]));
    assert!(app.login_visible());
    app.update(key(KeyCode::Esc));
    // Signed out, L opens the dialog without another logout.
    assert!(app.update(ch('L')).is_empty());
    assert!(app.login_visible());
}

#[test]
fn a_lookup_refused_for_the_session_runs_again_after_login() {
    let mut app = app();
    typed(&mut app, "12345");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::Unauthorized { message: None }),
    }));
    assert!(app.login_visible());
    typed(&mut app, "demo");
    assert!(matches!(
        app.update(key(KeyCode::Enter)).as_slice(),
        [Command::Login { .. }]
    ));
    let commands = app.update(ev(Event::LoggedIn {
        email: "demo@trackline.local".into(),
        base_url: "http://127.0.0.1:8080/api".into(),
        expires_at: None,
    }));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("12345".into())));
    let req = req_of(&commands);
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("12345", 1)]),
    }));
    assert!(app.current_process().is_some());
}

#[test]
fn closing_the_login_dialog_forgets_the_lookup_waiting_for_it() {
    let mut app = app();
    typed(&mut app, "12345");
    let req = req_of(&app.update(key(KeyCode::Enter)));
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Err(ApiError::Unauthorized { message: None }),
    }));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    assert!(app.update(ch('L')).is_empty(), "signed out: L only opens the dialog");
    typed(&mut app, "demo");
    app.update(key(KeyCode::Enter));
    let commands = app.update(ev(Event::LoggedIn {
        email: "demo@trackline.local".into(),
        base_url: "http://127.0.0.1:8080/api".into(),
        expires_at: None,
    }));
    assert_eq!(query_of(&commands), None, "{commands:?}");
}

#[test]
fn a_retry_notice_belongs_to_the_lookup_it_is_about() {
    let mut app = app();
    typed(&mut app, "1");
    let first = req_of(&app.update(key(KeyCode::Enter)));
    let retrying = |req| {
        ev(Event::Retrying {
            target: RetryTarget::Lookup(req),
            attempt: 2,
            max_attempts: 5,
            delay: std::time::Duration::from_secs(3),
        })
    };
    app.update(retrying(first));
    assert_eq!(app.lookup_retry(), Some("retrying in 3 s (attempt 2 of 5)"));
    app.update(ch('/'));
    let second = req_of(&app.update(key(KeyCode::Enter)));
    assert_eq!(app.lookup_retry(), None, "a new lookup starts without one");
    app.update(retrying(first));
    assert_eq!(app.lookup_retry(), None, "a stale notice is dropped");
    app.update(retrying(second));
    app.update(ev(Event::ProcessLoaded {
        req: second,
        result: Ok(vec![process("1", 0)]),
    }));
    assert_eq!(app.lookup_retry(), None, "the answer ends it");
}

#[test]
fn a_retry_the_process_title_has_no_room_for_shows_whole_in_the_pane_at_80x24() {
    for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Es] {
        let mut app = App::new(init(true)).with_lang(lang);
        typed(&mut app, "123456789");
        let req = req_of(&app.update(key(KeyCode::Enter)));
        app.update(ev(Event::Retrying {
            target: RetryTarget::Lookup(req),
            attempt: 2,
            max_attempts: 5,
            delay: std::time::Duration::from_secs(3),
        }));
        let retry = app.lookup_retry().unwrap().to_string();
        let rows = super::test_msgs::rows_drawn(&app, 80, 24);
        assert!(
            super::test_msgs::words_inside(&rows).contains(&retry),
            "{lang:?}: {retry:?} whole:\n{}",
            rows.join("\n")
        );
    }
}

#[test]
fn a_download_refused_for_the_session_runs_again_after_login() {
    let mut app = loaded(process("1", 1));
    let (id, _) = downloads_of(&app.update(ch('d')))[0];
    let commands = app.update(ev(Event::DownloadFailed {
        id,
        error: "401".into(),
        retryable: false,
        needs_login: true,
    }));
    assert!(commands.is_empty(), "it waits for the login");
    assert!(app.login_visible());
    assert_eq!(app.downloads.items()[0].state, TransferState::AwaitingLogin);
    assert_eq!(app.downloads.items()[0].state.label(), "queued");
    let commands = app.update(ev(Event::LoggedIn {
        email: "demo@trackline.local".into(),
        base_url: "http://127.0.0.1:8080/api".into(),
        expires_at: None,
    }));
    assert_eq!(downloads_of(&commands)[0].1, "1000");
}

#[test]
fn session_expired_brings_the_login_back_over_the_screen() {
    let mut app = loaded(process("1", 1));
    app.update(ev(Event::SessionExpired));
    assert!(app.login_visible());
    assert!(app.current_process().is_some(), "the screen stays underneath");
    assert!(matches!(app.sessions.phase, Phase::SignedOut { .. }));
}

// ----- keys before data ------------------------------------------------------

#[test]
fn keys_before_any_data_do_nothing_harmful() {
    let keys: Vec<Msg> = vec![
        key(KeyCode::Enter),
        ch('d'),
        ch(' '),
        ch('D'),
        ch('o'),
        ch('f'),
        key(KeyCode::Esc),
        ch('x'),
        ch('r'),
        key(KeyCode::Up),
        key(KeyCode::Down),
        ch('j'),
        ch('k'),
        key(KeyCode::PageUp),
        key(KeyCode::PageDown),
        key(KeyCode::Home),
        key(KeyCode::End),
        ch('g'),
        ch('G'),
        key(KeyCode::Esc),
    ];
    let mut init = init(true);
    init.recent.clear();
    let mut app = App::new(init);
    for focus in [Focus::Recent, Focus::Process, Focus::Documents, Focus::Downloads] {
        app.focus = focus;
        for k in &keys {
            let commands = app.update(k.clone());
            assert!(commands.is_empty(), "{focus:?} {k:?} gave {commands:?}");
            app.focus = focus;
            app.documents.filtering = false;
        }
        draw(&app, 100, 30);
        draw(&app, 60, 20);
    }
    assert!(!app.should_quit());
}

#[test]
fn keys_while_a_lookup_is_in_flight_send_nothing_extra() {
    let mut app = app();
    typed(&mut app, "1");
    app.update(key(KeyCode::Enter));
    for _ in 0..3 {
        app.update(key(KeyCode::Tab));
    }
    assert_eq!(app.focus(), Focus::Documents);
    for k in [ch('d'), ch('D'), key(KeyCode::Enter), ch(' '), ch('o'), ch('j')] {
        assert!(app.update(k).is_empty());
    }
}

#[test]
fn ticks_advance_the_spinner_only() {
    let mut app = app();
    let before = app.spinner_frame();
    assert!(app.update(Msg::Tick { now: NOW }).is_empty());
    assert_ne!(app.spinner_frame(), before);
    assert!(app.update(Msg::Resize { width: 80, height: 24 }).is_empty());
}

#[path = "watch_tests.rs"]
mod watch_tests;
