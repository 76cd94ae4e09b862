//! The hint line: the keys that work in the focused pane, from the keymap.

use crate::text::safe_line;
use crate::tui::app::{App, Focus};
use crate::tui::keymap::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The (keys, what they do) pairs for the current context, most useful first.
pub(crate) fn hint_items(app: &App) -> Vec<(String, &'static str)> {
    use Action::*;
    let items: &[(&[Action], &'static str)] = if app.login.visible() {
        &[
            (&[Submit], "log in"),
            (&[NextPane], "next field"),
            (&[Cancel], "close"),
            (&[ForceQuit], "quit"),
        ]
    } else if app.help.is_some() {
        &[(&[Cancel], "close"), (&[Up, Down], "scroll"), (&[Quit], "quit")]
    } else {
        match app.focus {
            Focus::Search => &[
                (&[Submit], "look up"),
                (&[Down], "recent"),
                (&[NextPane], "next pane"),
                (&[Cancel], "leave box"),
                (&[ForceQuit], "quit"),
            ],
            Focus::Documents if app.documents.filtering => &[
                (&[Submit], "done"),
                (&[Up, Down], "move"),
                (&[Cancel], "leave filter"),
                (&[ForceQuit], "quit"),
            ],
            Focus::Recent => &[
                (&[Submit], "look up"),
                (&[Up, Down], "move"),
                (&[FocusSearch], "search"),
                (&[NextPane], "next pane"),
                (&[Help], "help"),
                (&[Quit], "quit"),
            ],
            Focus::Process if !app.choices.is_empty() => &[
                (&[Submit], "choose"),
                (&[Up, Down], "move"),
                (&[FocusSearch], "search"),
                (&[NextPane], "next pane"),
                (&[Help], "help"),
                (&[Quit], "quit"),
            ],
            Focus::Process => &[
                (&[Retry], "reload"),
                (&[Up, Down], "scroll"),
                (&[FocusSearch], "search"),
                (&[NextPane], "next pane"),
                (&[Logout], "log out"),
                (&[Help], "help"),
                (&[Quit], "quit"),
            ],
            Focus::Documents => &[
                (&[Download], "download"),
                (&[Mark], "mark"),
                (&[DownloadAll], "download marked/all"),
                (&[Open], "open"),
                (&[Filter], "filter"),
                (&[FocusSearch], "search"),
                (&[Help], "help"),
                (&[Quit], "quit"),
            ],
            Focus::Downloads => &[
                (&[CancelDownload], "cancel"),
                (&[Retry], "retry"),
                (&[Open], "open"),
                (&[Up, Down], "move"),
                (&[FocusSearch], "search"),
                (&[Help], "help"),
                (&[Quit], "quit"),
            ],
        }
    };
    items
        .iter()
        .filter_map(|(actions, label)| {
            let keys: Vec<String> = actions
                .iter()
                .filter_map(|a| app.keymap.keys_for(*a).into_iter().next())
                .collect();
            (!keys.is_empty()).then(|| (keys.join(""), *label))
        })
        .collect()
}

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1usize;
    for (keys, label) in hint_items(app) {
        let keys = safe_line(&keys, 20);
        let item_width = keys.chars().count() + 1 + label.chars().count() + 2;
        if width + item_width > area.width as usize {
            break;
        }
        width += item_width;
        spans.push(Span::styled(keys, t.key));
        spans.push(Span::styled(format!(" {label}  "), t.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
