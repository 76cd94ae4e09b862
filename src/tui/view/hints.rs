//! The hint line: the keys that work in the pane that has the keyboard, from
//! its table in [`crate::tui::bindings`] and the keymap.

use crate::text::safe_line;
use crate::tui::app::App;
use crate::tui::fit;
use crate::tui::layout;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The (keys, what they do) pairs of the pane that has the keyboard, from its
/// table, most useful first.
pub(crate) fn hint_items(app: &App) -> Vec<(String, &'static str)> {
    app.pane()
        .hints()
        .into_iter()
        .filter_map(|(actions, label)| {
            let keys: Vec<String> = actions
                .iter()
                .filter_map(|a| app.keymap.keys_for(*a).into_iter().next())
                .collect();
            (!keys.is_empty()).then(|| (keys.join(""), label))
        })
        .collect()
}

/// The hint line: a question waiting for its answer, else a message until
/// the next key ("copied …"), else the keys of the pane.
pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let room = (area.width as usize).saturating_sub(1);
    // A question waiting for its answer comes first.
    let prompt = match app.prompt_text(false) {
        Some(long) if fit::width(&long) <= room => Some(long),
        Some(_) => app.prompt_text(true),
        None => None,
    };
    if let Some(text) = prompt {
        let line = Line::from(vec![Span::raw(" "), Span::styled(fit::fit(&text, room), t.warn)]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    // Then a message (the session's, else the last action's), wrapped on its rows.
    if let Some(lines) = layout::hint_message(app, area.width) {
        let style = match (&app.sessions.notice, &app.hint_notice) {
            (Some(notice), _) if notice.error => t.warn,
            (None, Some(notice)) if notice.error => t.error,
            _ => t.info,
        };
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|line| Line::from(Span::styled(format!(" {line}"), style)))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1usize;
    for (keys, label) in hint_items(app) {
        let label = app.lang.hint(label);
        let keys = safe_line(&keys, 20);
        let item_width = keys.chars().count() + 1 + label.chars().count() + 2;
        // The last item needs no gap after it.
        if width + item_width - 2 > area.width as usize {
            break;
        }
        width += item_width;
        spans.push(Span::styled(keys, t.key));
        spans.push(Span::styled(format!(" {label}  "), t.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
