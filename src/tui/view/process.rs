//! The process pane: details and every additional field, the chooser when a
//! name matches several processes, and the lookup's loading and error states.

use super::pane;
use crate::api::Process;
use crate::text::safe_line;
use crate::tui::app::{App, Focus, LineKind, Lookup};
use crate::tui::{fit, format};
use crate::tui::keymap::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;
use time::OffsetDateTime;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: OffsetDateTime) {
    let t = &app.theme;
    let focused = app.focus == Focus::Process && !app.login.visible() && app.help.is_none();
    let mut info = Vec::new();
    if let Lookup::Loading { query, .. } = &app.lookup {
        info.push(Span::styled(
            format!(
                "{} looking up {}…",
                app.spinner_frame(),
                safe_line(&query.to_string(), 60)
            ),
            t.info,
        ));
        if let Some(retry) = app.lookup_retry() {
            info.push(Span::styled(format!(" {retry}"), t.warn));
        }
    }
    let block = pane(t, "Process", focused, info);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (kind, text) in app.lookup_lines() {
        let style = match kind {
            LineKind::Error => t.error,
            LineKind::Note => t.text,
            LineKind::Hint => t.muted,
        };
        lines.extend(
            fit::wrap(&text, width)
                .into_iter()
                .map(|line| Line::from(Span::styled(line, style))),
        );
    }
    if !lines.is_empty() && app.current.is_some() {
        lines.push(Line::default());
    }
    if !app.choices.is_empty() {
        draw_chooser(frame, inner, app, focused, lines);
        return;
    }
    match &app.current {
        Some(p) => {
            let details = details(app, p, now);
            let skip = app.details_scroll.selected().min(details.len().saturating_sub(1));
            lines.extend(details.into_iter().skip(skip));
        }
        None if matches!(app.lookup, Lookup::Loading { .. }) => {
            lines.push(Line::from(Span::styled(
                format!("{} Looking it up…", app.spinner_frame()),
                t.info,
            )));
            let esc = super::search::first_key(app, Action::Cancel);
            lines.push(Line::from(Span::styled(format!("{esc} cancels"), t.muted)));
        }
        None if lines.is_empty() => {
            lines.push(Line::from(Span::styled(
                "Type a process id or name and press Enter.",
                t.muted,
            )));
            lines.push(Line::from(Span::styled(
                "Digits look up an id; id: or name: forces one.",
                t.muted,
            )));
        }
        None => {}
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_chooser(frame: &mut Frame, area: Rect, app: &App, focused: bool, mut lines: Vec<Line>) {
    let t = &app.theme;
    let enter = super::search::first_key(app, Action::Submit);
    lines.push(Line::from(vec![
        Span::styled(format!("{} processes match", app.choices.len()), t.warn),
        Span::styled(format!(" — choose one with {enter}"), t.muted),
    ]));
    let height = (area.height as usize).saturating_sub(crate::tui::layout::lookup_lines(app, area.width as usize) + 1);
    let range = app.choice_cursor.window(app.choices.len(), height);
    for i in range {
        let p = &app.choices[i];
        let selected = i == app.choice_cursor.selected() && focused;
        let pick = |style: Style| if selected { t.selected } else { style };
        let status = p.status.as_deref().map(|s| safe_line(s, 20)).unwrap_or_default();
        let status_style = p.status.as_deref().map_or(t.muted, |s| t.status(s));
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{:<10} ",
                    if selected { "› " } else { "  " },
                    safe_line(p.process_id.as_str(), 10)
                ),
                pick(t.key),
            ),
            Span::styled(format!("{status:<14} "), pick(status_style)),
            Span::styled(safe_line(&p.display_name(), 200), pick(t.text)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The most characters of an additional field's name shown as its label.
const LABEL_CHARS: usize = 24;

/// The detail lines of a process: status, name, id, created, then every extra field.
fn details<'a>(app: &'a App, p: &'a Process, now: OffsetDateTime) -> Vec<Line<'a>> {
    let t = &app.theme;
    // Widths are of the safe forms: an escaped control character is wider than itself.
    let label_width = p
        .extra
        .keys()
        .map(|k| safe_line(k, LABEL_CHARS).chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let label = move |text: &str| Span::styled(format!("{:<label_width$} ", safe_line(text, LABEL_CHARS)), t.muted);
    let mut lines = Vec::with_capacity(p.extra.len() + 6);
    let status_line = match &p.status {
        Some(s) => Span::styled(format!("● {}", safe_line(s, 60)), t.status(s)),
        None => Span::styled("—", t.muted),
    };
    lines.push(Line::from(vec![label("Status"), status_line]));
    let name_style = if p.name.is_some() {
        t.text.add_modifier(ratatui::style::Modifier::BOLD)
    } else {
        t.muted
    };
    lines.push(Line::from(vec![
        label("Name"),
        Span::styled(safe_line(&p.display_name(), 300), name_style),
    ]));
    lines.push(Line::from(vec![
        label("Id"),
        Span::styled(safe_line(p.process_id.as_str(), 100), t.text),
    ]));
    let created = match (p.created(), &p.created_at) {
        (Some(at), _) => vec![
            Span::styled(format::local_time(at, app.local_offset), t.text),
            Span::styled(format!(" · {}", crate::text::relative_time(at, now)), t.muted),
        ],
        (None, Some(raw)) => vec![Span::styled(safe_line(raw, 60), t.text)],
        (None, None) => vec![Span::styled("—", t.muted)],
    };
    let mut created_line = vec![label("Created")];
    created_line.extend(created);
    lines.push(Line::from(created_line));
    let n = p.documents.len();
    lines.push(Line::from(vec![
        label("Documents"),
        Span::styled(
            format!("{} document{}", format::thousands(n), if n == 1 { "" } else { "s" }),
            t.text,
        ),
    ]));
    for (key, value) in &p.extra {
        let shown = match value {
            Value::String(s) => safe_line(s, 500),
            Value::Null => "null".to_string(),
            other => safe_line(&other.to_string(), 500),
        };
        let style = if value.is_string() { t.text } else { t.info };
        lines.push(Line::from(vec![label(key), Span::styled(shown, style)]));
    }
    lines
}
