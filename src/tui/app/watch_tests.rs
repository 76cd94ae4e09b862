//! `w`, the watched list and the watch's news (issue 16), through `App::update`.

use super::*;
use crate::worker::{WatchNews, WatchedEntry};

fn checked(id: &str, status: &str, changed: bool) -> Msg {
    ev(Event::Watch(WatchNews::Checked {
        process_id: id.into(),
        name: Some(format!("Process {id}")),
        status: Some(status.into()),
        changed,
        changed_at: Some(NOW - Duration::minutes(3)),
        at: NOW,
    }))
}

fn watching(app: &App) -> Vec<&str> {
    app.watch.rows.iter().map(|r| r.process_id.as_str()).collect()
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::super::super::view::draw(f, app, NOW)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn w_watches_the_shown_process_and_w_again_stops() {
    let mut app = loaded(process("12345", 2));
    let commands = app.update(ch('w'));
    assert!(
        matches!(commands.as_slice(), [Command::Watch(id)] if id == "12345"),
        "{commands:?}"
    );
    assert_eq!(watching(&app), ["12345"]);
    assert!(app.hint_notice.as_ref().unwrap().text.starts_with("Watching 12345"));
    assert!(app.shows_watched(), "the list beside the search box shows it");
    let commands = app.update(ch('w'));
    assert!(
        matches!(commands.as_slice(), [Command::Unwatch(id)] if id == "12345"),
        "{commands:?}"
    );
    assert!(watching(&app).is_empty());
    assert_eq!(app.hint_notice.as_ref().unwrap().text, "Stopped watching 12345");
    assert!(!app.shows_watched());
}

#[test]
fn w_without_a_process_says_so_and_types_a_w_in_the_search_box() {
    let mut app = app();
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Recent);
    assert!(app.update(ch('w')).is_empty());
    assert!(app.hint_notice.as_ref().unwrap().text.starts_with("No process shown"));
    app.update(ch('/'));
    let typed = app.update(ch('w'));
    assert!(
        matches!(typed.as_slice(), [Command::SearchIndex(text)] if text == "w"),
        "typing in the box only searches the index: {typed:?}"
    );
    assert_eq!(app.search.value(), "w");
    assert!(watching(&app).is_empty());
}

#[test]
fn a_change_is_marked_rings_once_and_is_seen_when_its_row_is_selected() {
    let mut app = loaded(process("12345", 2));
    app.update(ch('w'));
    app.take_effects();
    app.update(checked("12345", "In Progress", false));
    assert!(app.take_effects().is_empty(), "the same status rings nothing");
    assert_eq!(app.watch.unseen(), 0);
    app.update(checked("12345", "Completed", true));
    assert_eq!(app.take_effects(), [Effect::Bell]);
    assert_eq!(app.watch.unseen(), 1);
    assert_eq!(app.current_process().unwrap().status.as_deref(), Some("Completed"));
    let row = &app.watch.rows[0];
    assert_eq!((row.status.as_deref(), row.checked_at), (Some("Completed"), Some(NOW)));
    // Still marked while another pane has the focus; seen once its row is selected.
    app.update(key(KeyCode::Down));
    assert_eq!(app.watch.unseen(), 1);
    app.update(ch('/'));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Watched);
    assert_eq!(app.watch.unseen(), 0);
    assert!(app.take_effects().is_empty());
}

#[test]
fn opening_a_changed_process_is_seeing_it_and_enter_in_the_list_opens_it() {
    let mut app = app();
    app.update(ev(Event::Watch(WatchNews::Loaded(vec![
        WatchedEntry::new("777"),
        WatchedEntry {
            status: Some("Pending".into()),
            changed_at: Some(NOW.unix_timestamp() - 60),
            ..WatchedEntry::new("888")
        },
    ]))));
    assert_eq!(watching(&app), ["777", "888"]);
    assert!(app.shows_watched(), "a stored set shows first after a start");
    app.update(checked("888", "Completed", true));
    assert_eq!(app.watch.unseen(), 1);
    // Search → Recent → Watched: the first row (777) is selected, 888 stays marked.
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Watched);
    assert_eq!(app.watch.unseen(), 1);
    app.update(key(KeyCode::Down));
    assert_eq!(app.watch.unseen(), 0);
    app.update(checked("777", "Failed", true));
    assert_eq!(app.watch.unseen(), 1);
    let commands = app.update(key(KeyCode::Up));
    assert!(commands.is_empty());
    app.update(checked("777", "Queued", true));
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(query_of(&commands), Some(ProcessQuery::Id("777".into())));
    let req = req_of(&commands);
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process("777", 1)]),
    }));
    assert_eq!(app.watch.unseen(), 0, "opened: seen");
}

#[test]
fn another_profile_s_set_replaces_the_list_and_a_late_check_of_the_old_one_is_dropped() {
    let mut app = app();
    app.update(ev(Event::Watch(WatchNews::Loaded(vec![WatchedEntry::new("777")]))));
    app.update(checked("777", "Failed", true));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Watched);
    app.update(ev(Event::Watch(WatchNews::Replaced(vec![
        WatchedEntry::new("5"),
        WatchedEntry::new("6"),
    ]))));
    assert_eq!(watching(&app), ["5", "6"], "not merged with the other profile's");
    assert_eq!(app.watch.unseen(), 0);
    assert_eq!(app.watch.cursor.selected(), 0);
    app.update(checked("777", "Queued", true));
    assert_eq!(watching(&app), ["5", "6"]);
    // A profile that watches nothing: the list goes, and the focus with it.
    app.update(ev(Event::Watch(WatchNews::Replaced(Vec::new()))));
    assert!(watching(&app).is_empty());
    assert_ne!(app.focus(), Focus::Watched);
    assert!(!app.shows_watched());
}

#[test]
fn the_first_check_of_a_new_watch_that_differs_from_the_status_shown_is_a_change() {
    let mut app = loaded(process("12345", 1));
    app.update(ch('w'));
    app.update(checked("12345", "Completed", false));
    assert_eq!(app.take_effects(), [Effect::Bell]);
    assert_eq!(app.watch.unseen(), 1);
}

#[test]
fn tab_passes_the_watched_list_only_when_something_is_watched() {
    let mut app = app();
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Recent);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Process);
    app.update(ev(Event::Watch(WatchNews::Loaded(vec![WatchedEntry::new("777")]))));
    app.update(key(KeyCode::BackTab));
    assert_eq!(app.focus(), Focus::Watched);
    // w in the list stops watching the selected process; the focus moves on.
    let commands = app.update(ch('w'));
    assert!(
        matches!(commands.as_slice(), [Command::Unwatch(id)] if id == "777"),
        "{commands:?}"
    );
    assert_eq!(app.focus(), Focus::Recent);
}

#[test]
fn failures_and_pauses_show_in_the_list_and_a_late_check_of_an_unwatched_process_is_dropped() {
    let mut app = app();
    app.update(ev(Event::Watch(WatchNews::Loaded(vec![WatchedEntry::new("777")]))));
    app.update(ev(Event::Watch(WatchNews::Failed {
        process_id: "777".into(),
        error: "process 777 not found".into(),
        at: NOW,
    })));
    assert_eq!(app.watch.rows[0].error.as_deref(), Some("process 777 not found"));
    app.update(ev(Event::Watch(WatchNews::Paused("the server is unreachable".into()))));
    assert!(app.watch.paused.is_some());
    app.update(checked("999", "Completed", true));
    assert!(app.take_effects().is_empty());
    app.update(checked("777", "Completed", false));
    assert_eq!(
        (app.watch.rows[0].error.as_ref(), app.watch.paused.as_ref()),
        (None, None)
    );
}

#[test]
fn the_watched_list_is_readable_at_80x24_and_wider_and_hostile_text_is_made_safe() {
    let mut app = loaded(process("12345", 2));
    app.update(ch('w'));
    app.update(ev(Event::Watch(WatchNews::Checked {
        process_id: "12345".into(),
        name: None,
        status: Some("\x1b[2JDone\x07".into()),
        changed: true,
        changed_at: Some(NOW - Duration::minutes(3)),
        at: NOW - Duration::seconds(12),
    })));
    app.update(Msg::Resize { width: 80, height: 24 });
    let text = screen(&app, 80, 24);
    assert!(text.contains("╭ Watched 1 · 1 changed "), "{text}");
    assert!(text.contains("id    status     changed"), "{text}");
    assert!(text.contains("● 12345 \\x1b[2JDo…"), "shown escaped: {text}");
    assert!(text.contains("3m │"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'));
    app.update(Msg::Resize { width: 120, height: 36 });
    let text = screen(&app, 120, 36);
    assert!(text.contains("changed checked"), "{text}");
    assert!(text.contains("3m     12s"), "{text}");
    app.update(Msg::Resize { width: 60, height: 16 });
    app.update(ch('/'));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    let text = screen(&app, 60, 16);
    assert!(text.contains("› 12345"), "{text}");
    assert!(text.contains("3m     12s │"), "two rows: no header, both times: {text}");
}
