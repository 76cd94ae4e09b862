//! The downloads pane: one row per transfer with a progress bar, bytes, rate,
//! ETA and state.

use super::pane;
use crate::text::safe_line;
use crate::tui::app::{App, Focus};
use crate::tui::downloads::{Progress, Transfer, TransferState};
use crate::tui::format;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use time::OffsetDateTime;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, _now: OffsetDateTime, wide: bool) {
    let t = &app.theme;
    let focused = app.focus == Focus::Downloads && !app.login.visible() && app.help.is_none();
    let items = app.downloads.items();
    let mut info = Vec::new();
    let count = |label: &str| items.iter().filter(|t| t.state.label() == label).count();
    let mut parts: Vec<Span> = Vec::new();
    for (label, style) in [
        ("running", t.info),
        ("queued", t.warn),
        ("done", t.ok),
        ("failed", t.error),
    ] {
        let n = count(label);
        if n > 0 {
            if !parts.is_empty() {
                parts.push(Span::styled(" · ", t.muted));
            }
            parts.push(Span::styled(format!("{n} {label}"), style));
        }
    }
    info.extend(parts);
    let mut block = pane(t, "Downloads", focused, info);
    let retrying = items.iter().find_map(|tr| match &tr.state {
        TransferState::Running(Progress {
            retry_note: Some(note), ..
        }) => Some((tr, note)),
        _ => None,
    });
    let bottom = match (&app.downloads_notice, app.downloads.selected()) {
        (Some(notice), _) => Some((
            safe_line(&notice.text, 300),
            if notice.error { t.error } else { t.info },
        )),
        (None, _) if retrying.is_some() => {
            retrying.map(|(tr, note)| (format!("{}: {note}", safe_line(&tr.doc.display_name(), 60)), t.warn))
        }
        (None, Some(tr)) => match &tr.state {
            TransferState::Failed { error, .. } if focused => {
                let retry = super::search::first_key(app, Action::Retry);
                Some((format!("{} — {retry} retries", safe_line(error, 200)), t.error))
            }
            TransferState::Done { path, sha256, .. } => Some((
                format!("saved {} · sha256 {sha256}", safe_line(&path.to_string_lossy(), 300)),
                t.muted,
            )),
            _ => None,
        },
        _ => None,
    };
    if let Some((text, style)) = bottom {
        block = block.title_bottom(Line::from(Span::styled(format!(" {text} "), style)));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if items.is_empty() {
        let keys = app.keymap.keys_for(Action::Download).join(" or ");
        let text = format!("No downloads yet: select a document, press {keys}.");
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.muted)).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let range = app.downloads.cursor.window(items.len(), inner.height as usize);
    let selected = app.downloads.cursor.selected();
    let bar_width: u16 = if wide { 20 } else { 10 };
    let rows: Vec<Row> = range
        .map(|i| {
            let tr = &items[i];
            let is_selected = i == selected;
            let row_style = match (is_selected, focused) {
                (true, true) => t.selected,
                (true, false) => t.selected_unfocused,
                _ => Style::new(),
            };
            let pick = |style: Style| if is_selected && focused { t.selected } else { style };
            let pointer = if is_selected && focused { "› " } else { "  " };
            let name = Span::styled(
                format!("{pointer}{}", safe_line(&tr.doc.display_name(), 200)),
                pick(t.text),
            );
            let bar = progress_bar(t, tr, bar_width as usize, app.spinner_frame());
            let bar = if is_selected && focused {
                Line::from(Span::styled(bar.to_string(), t.selected))
            } else {
                bar
            };
            let pct = tr.ratio().map(|r| format!("{:>3.0}%", r * 100.0)).unwrap_or_default();
            let bytes = match (&tr.state, tr.state.bytes()) {
                (TransferState::Failed { .. } | TransferState::Cancelled { .. }, Some((0, _))) | (_, None) => {
                    String::new()
                }
                (_, Some((received, Some(total)))) => {
                    format!("{} / {}", format::bytes(received), format::bytes(total))
                }
                (_, Some((received, None))) => format::bytes(received),
            };
            let (rate, eta) = if matches!(tr.state, TransferState::Running(_)) {
                (
                    tr.rate().map(format::rate).unwrap_or_default(),
                    tr.eta()
                        .map(|d| format!("ETA {}", format::duration(d)))
                        .unwrap_or_default(),
                )
            } else {
                (String::new(), String::new())
            };
            let state = Span::styled(tr.state.label(), pick(state_style(t, &tr.state)));
            let cells = if wide {
                vec![
                    Cell::from(name),
                    Cell::from(bar),
                    Cell::from(Span::styled(pct, pick(t.text))),
                    Cell::from(Span::styled(bytes, pick(t.muted))),
                    Cell::from(Span::styled(rate, pick(t.muted))),
                    Cell::from(Span::styled(eta, pick(t.muted))),
                    Cell::from(state),
                ]
            } else {
                vec![
                    Cell::from(name),
                    Cell::from(bar),
                    Cell::from(Span::styled(pct, pick(t.text))),
                    Cell::from(state),
                ]
            };
            Row::new(cells).style(row_style)
        })
        .collect();
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Fill(1),
            Constraint::Length(bar_width),
            Constraint::Length(4),
            Constraint::Length(17),
            Constraint::Length(10),
            Constraint::Length(9),
            Constraint::Length(9),
        ]
    } else {
        vec![
            Constraint::Fill(1),
            Constraint::Length(bar_width),
            Constraint::Length(4),
            Constraint::Length(9),
        ]
    };
    frame.render_widget(Table::new(rows, widths).column_spacing(1), inner);
}

fn state_style(t: &Theme, state: &TransferState) -> Style {
    match state {
        TransferState::Queued | TransferState::AwaitingLogin => t.warn,
        TransferState::Running(_) => t.info,
        TransferState::Done { .. } => t.ok,
        TransferState::Failed { .. } => t.error,
        TransferState::Cancelled { .. } => t.muted,
    }
}

/// A text progress bar: `━━━━━━╺─────` in colour, `#####-----` without.
fn progress_bar(t: &Theme, tr: &Transfer, width: usize, spinner: &str) -> Line<'static> {
    let (fill, empty) = if t.monochrome { ("#", "-") } else { ("━", "─") };
    let filled_style = match tr.state {
        TransferState::Done { .. } => t.ok,
        TransferState::Failed { .. } => t.error,
        TransferState::Cancelled { .. } => t.muted,
        _ => t.gauge,
    };
    match (&tr.state, tr.ratio()) {
        (TransferState::Queued | TransferState::AwaitingLogin, _) => {
            Line::from(Span::styled(empty.repeat(width), t.gauge_empty))
        }
        (TransferState::Running(_), None) => Line::from(vec![
            Span::styled(format!("{spinner} "), t.gauge),
            Span::styled(empty.repeat(width - 2), t.gauge_empty),
        ]),
        (_, ratio) => {
            let done = ((ratio.unwrap_or(0.0) * width as f64).round() as usize).min(width);
            Line::from(vec![
                Span::styled(fill.repeat(done), filled_style),
                Span::styled(empty.repeat(width - done), t.gauge_empty),
            ])
        }
    }
}
