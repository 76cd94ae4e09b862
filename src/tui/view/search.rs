//! The search box and the recent processes under it.

use super::{draw_input, pane};
use crate::index::HitKind;
use crate::text::safe_line;
use crate::tui::app::{App, Focus};
use crate::tui::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph, Wrap};

pub(super) fn draw_box(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let focused = app.focus == Focus::Search && !app.login.visible() && app.help.is_none();
    let block = pane(t, &crate::tr!(app.lang, "pane-search"), focused, Vec::new());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [prompt, field] = Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
    let prompt_style = if focused { t.key } else { t.muted };
    frame.render_widget(Paragraph::new("›").style(prompt_style), prompt);
    if app.search.value().is_empty() && !focused {
        let placeholder = crate::tr!(
            app.lang,
            "search-key-to-search",
            key = first_key(app, crate::tui::Action::FocusSearch)
        );
        frame.render_widget(Paragraph::new(placeholder).style(t.muted), field);
    } else if app.search.value().is_empty() {
        frame.render_widget(
            Paragraph::new(fit::fit(
                &crate::tr!(app.lang, "search-placeholder"),
                field.width as usize,
            ))
            .style(t.muted),
            field,
        );
        frame.set_cursor_position((field.x, field.y));
    } else if focused && app.search_selected {
        // Selected: drawn highlighted, the cursor after it; typing replaces it.
        let shown = fit::fit(
            &safe_line(app.search.value(), 4000),
            field.width.saturating_sub(1) as usize,
        );
        let x = fit::width(&shown) as u16;
        frame.render_widget(Paragraph::new(Span::styled(shown, t.selected)), field);
        frame.set_cursor_position((field.x + x.min(field.width.saturating_sub(1)), field.y));
    } else {
        draw_input(frame, field, &app.search, t.input, focused);
    }
}

pub(super) fn draw_recent(frame: &mut Frame, area: Rect, app: &App) {
    if app.showing_matches() {
        draw_matches(frame, area, app);
        return;
    }
    let t = &app.theme;
    let focused = app.focus == Focus::Recent && !app.login.visible() && app.help.is_none();
    let info = if app.recent.is_empty() {
        Vec::new()
    } else {
        vec![Span::styled(app.recent.len().to_string(), t.muted)]
    };
    let block = pane(t, &crate::tr!(app.lang, "pane-recent"), focused, info);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.recent.is_empty() {
        let lines = vec![
            Line::from(Span::styled(crate::tr!(app.lang, "recent-empty"), t.muted)),
            Line::from(Span::styled(crate::tr!(app.lang, "recent-type"), t.muted)),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    }
    let range = app.recent_cursor.window(app.recent.len(), inner.height as usize);
    let id_width = app.recent[range.clone()]
        .iter()
        .map(|r| r.process_id.chars().count().min(12))
        .max()
        .unwrap_or(0);
    let items: Vec<ListItem> = range
        .map(|i| {
            let r = &app.recent[i];
            let selected = i == app.recent_cursor.selected() && focused;
            let pick = |style| if selected { t.selected } else { style };
            let id = safe_line(&r.process_id, 12);
            let pointer = if selected { "› " } else { "  " };
            let mut spans = vec![Span::styled(format!("{pointer}{id:<id_width$}  "), pick(t.key))];
            if let Some(name) = &r.name {
                let room = (inner.width as usize).saturating_sub(2 + id_width + 2);
                spans.push(Span::styled(fit::fit(&safe_line(name, 200), room), pick(t.text)));
            }
            let line = Line::from(spans);
            if selected {
                ListItem::new(line).style(t.selected)
            } else {
                ListItem::new(line)
            }
        })
        .collect();
    frame.render_widget(List::new(items), inner);
}

/// The index's matches for the text typed, in place of the recent list:
/// a process as its id and name, a document as its name and its process.
fn draw_matches(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let focused = app.focus == Focus::Recent && !app.login.visible() && app.help.is_none();
    let matches = &app.index.matches;
    let info = if matches.is_empty() {
        Vec::new()
    } else {
        vec![Span::styled(matches.len().to_string(), t.muted)]
    };
    let block = pane(t, &crate::tr!(app.lang, "pane-matches"), focused, info);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if matches.is_empty() {
        let enter = first_key(app, crate::tui::Action::Submit);
        let first = match &app.index.error {
            Some(error) => error.clone(),
            None if app.index.matched == app.search.value() => crate::tr!(app.lang, "matches-none"),
            None => crate::tr!(app.lang, "matches-searching"),
        };
        let lines = vec![
            Line::from(Span::styled(first, t.muted)),
            Line::from(Span::styled(
                crate::tr!(app.lang, "matches-enter-asks", key = enter),
                t.muted,
            )),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    }
    let width = inner.width as usize;
    let range = app.index.cursor.window(matches.len(), inner.height as usize);
    let items: Vec<ListItem> = range
        .map(|i| {
            let hit = &matches[i];
            let selected = i == app.index.cursor.selected() && focused;
            let pick = |style| if selected { t.selected } else { style };
            let pointer = if selected { "› " } else { "  " };
            let process = match &hit.process_name {
                Some(name) => format!("{} {}", safe_line(&hit.process_id, 12), safe_line(name, 200)),
                None => safe_line(&hit.process_id, 12),
            };
            let spans = match hit.kind {
                HitKind::Process => vec![
                    Span::styled(pointer, pick(t.key)),
                    Span::styled(fit::fit(&process, width.saturating_sub(2)), pick(t.text)),
                ],
                HitKind::Document => {
                    let name = safe_line(
                        hit.doc_name.as_deref().or(hit.doc_id.as_deref()).unwrap_or_default(),
                        200,
                    );
                    let keep = fit::width(&safe_line(&hit.process_id, 12));
                    let name = fit::fit(&name, width.saturating_sub(2 + 2 + 3 + keep + 1));
                    let room = width.saturating_sub(2 + 2 + fit::width(&name) + 3);
                    vec![
                        Span::styled(format!("{pointer}▪ "), pick(t.muted)),
                        Span::styled(name, pick(t.text)),
                        Span::styled(" · ", pick(t.muted)),
                        Span::styled(fit::fit(&process, room), pick(t.muted)),
                    ]
                }
            };
            let line = Line::from(spans);
            if selected {
                ListItem::new(line).style(t.selected)
            } else {
                ListItem::new(line)
            }
        })
        .collect();
    frame.render_widget(List::new(items), inner);
}

pub(super) fn first_key(app: &App, action: crate::tui::Action) -> String {
    app.keymap.keys_for(action).into_iter().next().unwrap_or_default()
}
