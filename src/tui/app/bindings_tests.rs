//! Each pane does exactly what its table in `tui::bindings` lists, and the
//! login dialog's keys come from the keymap too.

use super::*;
use crate::api::{Document, Id};
use crate::tui::bindings::Pane;
use crossterm::event::{KeyCode, KeyModifiers};
use std::collections::BTreeMap;

fn init(logged_in: bool, keymap: Keymap) -> AppInit {
    AppInit {
        recent: vec![RecentEntry {
            process_id: "20001".into(),
            name: None,
            status: None,
        }],
        keymap,
        ..super::test_msgs::init(logged_in)
    }
}

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

/// Signed in, a process with documents shown, one download done.
fn busy() -> App {
    let mut app = App::new(init(true, Keymap::default()));
    let documents = (0..3)
        .map(|i| Document {
            doc_id: Id::new(format!("{}", 10 + i)),
            doc_name: Some(format!("doc_{i}.pdf")),
            doc_type: None,
            extra: Default::default(),
        })
        .collect();
    app.show_process(Process {
        process_id: Id::new("1"),
        name: None,
        status: None,
        created_at: None,
        documents,
        extra: Default::default(),
    });
    for command in app.download_selected() {
        if let Command::Download { id, .. } = command {
            app.downloads.done(id, "/tmp/doc_0.pdf".into(), 1, String::new());
        }
    }
    app
}

#[test]
fn each_pane_handles_exactly_the_actions_its_table_lists() {
    for pane in Pane::ALL {
        for action in Action::ALL {
            let handled = busy().act(pane, action).is_some();
            let listed = pane.binds(action);
            assert_eq!(
                handled, listed,
                "{pane:?} {action:?}: handled {handled}, in its table {listed}: change both or neither"
            );
        }
    }
}

#[test]
fn the_hint_line_is_the_panes_table() {
    let mut app = busy();
    for focus in FOCUS_ORDER {
        app.focus = focus;
        let pane = app.pane();
        let shown: Vec<&str> = super::super::view::hint_items(&app)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        let listed: Vec<&str> = pane.hints().into_iter().map(|(_, l)| l).collect();
        assert_eq!(shown, listed, "{pane:?}");
    }
}

#[test]
fn an_action_a_pane_does_not_list_does_nothing_there() {
    let mut app = busy();
    app.focus = Focus::Downloads;
    assert!(!Pane::Downloads.binds(Action::Download));
    assert!(app.update(key(KeyCode::Char('d'), KeyModifiers::NONE)).is_empty());
    assert_eq!(app.downloads.items().len(), 1);
}

#[test]
fn the_login_dialogs_keys_come_from_the_keymap() {
    let overrides: BTreeMap<String, Vec<String>> = [
        ("down".to_string(), vec!["Ctrl-n".to_string()]),
        ("mark".to_string(), vec!["m".to_string()]),
    ]
    .into_iter()
    .collect();
    let keymap = Keymap::with_overrides(&overrides).unwrap();
    let mut app = App::new(init(false, keymap));
    assert_eq!(app.login.field, LoginField::Password);
    app.update(key(KeyCode::Down, KeyModifiers::NONE));
    assert_eq!(app.login.field, LoginField::Password, "↓ is no longer a move");
    app.update(key(KeyCode::Char('n'), KeyModifiers::CONTROL));
    assert_eq!(app.login.field, LoginField::KeepPassword);
    app.update(key(KeyCode::Char(' '), KeyModifiers::NONE));
    assert!(!app.login.keep_password, "Space is no longer the mark key");
    app.update(key(KeyCode::Char('m'), KeyModifiers::NONE));
    assert!(app.login.keep_password);
    app.update(key(KeyCode::Char('n'), KeyModifiers::CONTROL));
    app.update(key(KeyCode::Char('m'), KeyModifiers::NONE));
    assert!(
        app.login.server.value().ends_with('m'),
        "in a text field m is a character"
    );
}
