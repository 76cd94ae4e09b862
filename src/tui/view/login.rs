//! The login dialog, centred over the screen.

use super::{centered, draw_input, draw_masked};
use crate::text::safe_line;
use crate::tui::app::{App, LoginField};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let form = &app.login;
    let width = 64.min(area.width.saturating_sub(2));
    let reason_lines: u16 = if form.reason.is_some() { 2 } else { 1 };
    // The error wraps inside the borders and padding; the dialog grows to show all of it.
    let error = form.error().map(|error| format!("✗ {}", safe_line(error, 300)));
    let status_lines = error.as_deref().map_or(2, |text| {
        let columns = usize::from(width.saturating_sub(4));
        u16::try_from(crate::tui::fit::wrap(text, columns).len())
            .unwrap_or(u16::MAX)
            .max(2)
    });
    let height = (8 + reason_lines + status_lines).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.border_focused)
        .title(Line::from(Span::styled(
            format!(" {} ", crate::tr!(app.lang, "login-title")),
            t.title_focused,
        )))
        .padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [reason, _, email, password, keep, server, _, status] = Layout::vertical([
        Constraint::Length(reason_lines),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let intro = match &form.reason {
        Some(text) => Span::styled(safe_line(text, 200), t.warn),
        None => Span::styled(crate::tr!(app.lang, "login-intro"), t.muted),
    };
    frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), reason);
    let labels = [
        (email, LoginField::Email, crate::tr!(app.lang, "login-email")),
        (password, LoginField::Password, crate::tr!(app.lang, "login-password")),
        (server, LoginField::Server, crate::tr!(app.lang, "login-server")),
    ];
    // The longest label and a space, at least 10 columns.
    let label_width = labels
        .iter()
        .map(|(_, _, l)| crate::tui::fit::width(l) + 1)
        .max()
        .unwrap_or(10)
        .clamp(10, 16) as u16;
    for (row, field, label) in labels {
        let focused = form.field == field && !form.in_flight();
        let [marker, label_area, value] = Layout::horizontal([
            Constraint::Length(2),
            Constraint::Length(label_width),
            Constraint::Fill(1),
        ])
        .areas(row);
        let label_style = if form.field == field { t.key } else { t.muted };
        frame.render_widget(
            Paragraph::new(if form.field == field { "▸" } else { " " }).style(t.key),
            marker,
        );
        frame.render_widget(
            Paragraph::new(crate::tui::fit::fit(&label, label_area.width as usize)).style(label_style),
            label_area,
        );
        let style = if form.field == field {
            t.input.patch(t.selected_unfocused)
        } else {
            t.text
        };
        match field {
            LoginField::Password => {
                draw_masked(
                    frame,
                    value,
                    form.password.chars(),
                    form.password.cursor(),
                    style,
                    focused,
                );
            }
            LoginField::Email => draw_input(frame, value, &form.email, style, focused),
            LoginField::Server | LoginField::KeepPassword => draw_input(frame, value, &form.server, style, focused),
        }
    }
    draw_keep_password(frame, keep, app);
    let line = if form.in_flight() {
        Line::from(Span::styled(
            format!("{} {}", app.spinner_frame(), crate::tr!(app.lang, "login-in-flight")),
            t.info,
        ))
    } else if let Some(error) = error {
        Line::from(Span::styled(error, t.error))
    } else {
        let keys = |a| app.keymap.keys_for(a).into_iter().next().unwrap_or_default();
        use crate::tui::keymap::Action;
        Line::from(vec![
            Span::styled(keys(Action::Submit), t.key),
            Span::styled(format!(" {}  ", app.lang.hint("log in")), t.muted),
            Span::styled(keys(Action::NextPane), t.key),
            Span::styled(format!(" {}  ", app.lang.hint("next field")), t.muted),
            Span::styled(keys(Action::Cancel), t.key),
            Span::styled(format!(" {}", app.lang.hint("close")), t.muted),
        ])
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status);
}

/// The "keep password in memory" checkbox: off unless the user ticks it.
fn draw_keep_password(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let form = &app.login;
    let focused = form.field == LoginField::KeepPassword;
    let [marker, rest] = Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new(if focused { "▸" } else { " " }).style(t.key), marker);
    let box_style = if focused { t.key } else { t.muted };
    let label = Line::from(vec![
        Span::styled(if form.keep_password { "[x] " } else { "[ ] " }, box_style),
        Span::styled(
            crate::tui::fit::fit(
                &crate::tr!(app.lang, "login-keep-password"),
                rest.width.saturating_sub(4) as usize,
            ),
            if focused { t.text } else { t.muted },
        ),
    ]);
    frame.render_widget(Paragraph::new(label), rest);
    if focused && !form.in_flight() {
        frame.set_cursor_position((rest.x + 1, rest.y));
    }
}
