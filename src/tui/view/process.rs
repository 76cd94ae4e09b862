//! The process pane: details and every additional field, the chooser when a
//! name matches several processes, and the lookup's loading and error states.

use super::pane;
use crate::api::Process;
use crate::text::safe_line;
use crate::tui::app::{App, FIXED_DETAILS, Focus, LineKind, Lookup};
use crate::tui::details::{self, ValueKind};
use crate::tui::keymap::Action;
use crate::tui::{fit, format, layout};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::ops::Range;
use time::OffsetDateTime;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: OffsetDateTime) {
    let t = &app.theme;
    let focused = app.focus == Focus::Process && !app.login.visible() && app.help.is_none();
    let inner = layout::inside(area);
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
    let title = crate::tr!(app.lang, "pane-process");
    // The corners, the spaces around the title and after the info, and one ─ before the corner.
    let title_room = (area.width as usize).saturating_sub(fit::width(&title) + 6);
    let mut info = Vec::new();
    if let Some(mark) = &app.index.cached {
        let ago = crate::text::relative_time_in(app.lang, mark.seen, now);
        info.push(if mark.offline {
            Span::styled(crate::tr!(app.lang, "cached-offline", ago = ago), t.error)
        } else {
            Span::styled(crate::tr!(app.lang, "cached-ago", ago = ago), t.warn)
        });
        if matches!(app.lookup, Lookup::Loading { .. }) {
            info.push(Span::styled(
                crate::tr!(app.lang, "cached-refreshing", spinner = app.spinner_frame()),
                t.info,
            ));
        }
    } else if let Lookup::Loading { query, .. } = &app.lookup {
        let looking = crate::tr!(
            app.lang,
            "process-looking-up",
            spinner = app.spinner_frame(),
            what = safe_line(&crate::tui::app::query_in(app.lang, query), 60)
        );
        let in_title = fit::width(&looking);
        info.push(Span::styled(looking, t.info));
        if let Some(retry) = app.lookup_retry() {
            if in_title + 1 + fit::width(retry) <= title_room {
                info.push(Span::styled(format!(" {retry}"), t.warn));
            } else {
                // A retry the title has no room for gets its own rows at the top of the pane.
                let mut retried: Vec<Line> = fit::wrap(retry, width)
                    .into_iter()
                    .map(|line| Line::from(Span::styled(line, t.warn)))
                    .collect();
                if lines.is_empty() && app.current.is_some() {
                    retried.push(Line::default());
                }
                lines.splice(0..0, retried);
            }
        }
    }
    let rows = (inner.height as usize).saturating_sub(lines.len());
    let total = app.detail_lines();
    let top = app.details_scroll.top(total, rows);
    if app.choices.is_empty() && app.current.is_some() && total > rows && rows > 0 {
        if !info.is_empty() {
            info.push(Span::raw(" "));
        }
        info.push(Span::styled(
            crate::tr!(
                app.lang,
                "process-range",
                first = crate::tui::format::thousands_in(app.lang, top + 1),
                last = crate::tui::format::thousands_in(app.lang, (top + rows).min(total)),
                total = crate::tui::format::thousands_in(app.lang, total)
            ),
            t.muted,
        ));
    }
    let block = pane(t, &title, focused, super::fit_spans(info, title_room));
    frame.render_widget(block, area);

    if !app.choices.is_empty() {
        draw_chooser(frame, inner, app, focused, lines);
        return;
    }
    match &app.current {
        Some(p) => lines.extend(details(app, p, now, width, top..top + rows)),
        None if matches!(app.lookup, Lookup::Loading { .. }) => {
            lines.push(Line::from(Span::styled(
                crate::tr!(app.lang, "process-looking", spinner = app.spinner_frame()),
                t.info,
            )));
            let esc = super::search::first_key(app, Action::Cancel);
            lines.push(Line::from(Span::styled(
                crate::tr!(app.lang, "process-cancels", key = esc),
                t.muted,
            )));
        }
        None if lines.is_empty() => {
            for text in [
                crate::tr!(app.lang, "process-type"),
                crate::tr!(app.lang, "process-digits"),
            ] {
                lines.extend(
                    fit::wrap(&text, inner.width as usize)
                        .into_iter()
                        .map(|line| Line::from(Span::styled(line, t.muted))),
                );
            }
        }
        None => {}
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_chooser(frame: &mut Frame, area: Rect, app: &App, focused: bool, mut lines: Vec<Line>) {
    let t = &app.theme;
    let enter = super::search::first_key(app, Action::Submit);
    lines.push(cut(
        vec![
            Span::styled(
                crate::tr!(
                    app.lang,
                    "process-matches",
                    count = crate::tui::format::thousands_in(app.lang, app.choices.len())
                ),
                t.warn,
            ),
            Span::styled(crate::tr!(app.lang, "process-choose-with", key = enter), t.muted),
        ],
        area.width as usize,
    ));
    let height = (area.height as usize).saturating_sub(layout::lookup_lines(app, area.width as usize) + 1);
    let range = app.choice_cursor.window(app.choices.len(), height);
    for i in range {
        let p = &app.choices[i];
        let selected = i == app.choice_cursor.selected() && focused;
        let pick = |style: Style| if selected { t.selected } else { style };
        let status = p.status.as_deref().map(|s| safe_line(s, 20)).unwrap_or_default();
        let status_style = p.status.as_deref().map_or(t.muted, |s| t.status(s));
        lines.push(cut(
            vec![
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
            ],
            area.width as usize,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The detail lines of a process in `shown` (of its status, name, id,
/// created, then the additional data's tree rows), each cut to `width` columns.
fn details<'a>(app: &'a App, p: &'a Process, now: OffsetDateTime, width: usize, shown: Range<usize>) -> Vec<Line<'a>> {
    let t = &app.theme;
    // Widths are of the safe forms: an escaped control character is wider than itself.
    let label_width = details::label_width(&p.extra);
    let label = move |text: &str| Span::styled(format!("{text:<label_width$} "), t.muted);
    let mut lines = Vec::with_capacity(shown.len());
    let fixed = shown.start.min(FIXED_DETAILS)..shown.end.min(FIXED_DETAILS);
    for i in fixed {
        let spans = match i {
            0 => {
                let status = match &p.status {
                    Some(s) => Span::styled(format!("● {}", safe_line(s, 60)), t.status(s)),
                    None => Span::styled("—", t.muted),
                };
                let mut spans = vec![label(&crate::tr!(app.lang, "field-status")), status];
                if let Some(at) = app.index.status_changed(p.process_id.as_str()) {
                    let when = crate::text::relative_time_in(app.lang, at, now);
                    spans.push(Span::styled(
                        crate::tr!(app.lang, "status-changed", when = when),
                        t.muted,
                    ));
                }
                spans
            }
            1 => {
                let name_style = if p.name.is_some() {
                    t.text.add_modifier(ratatui::style::Modifier::BOLD)
                } else {
                    t.muted
                };
                vec![
                    label(&crate::tr!(app.lang, "field-name")),
                    Span::styled(safe_line(&p.display_name(), 300), name_style),
                ]
            }
            2 => vec![
                label(&crate::tr!(app.lang, "field-id")),
                Span::styled(safe_line(p.process_id.as_str(), 100), t.text),
            ],
            _ => {
                let mut created = vec![label(&crate::tr!(app.lang, "field-created"))];
                match (p.created(), &p.created_at) {
                    (Some(at), _) => created.extend([
                        Span::styled(format::local_time_in(app.lang, at, app.local_offset), t.text),
                        Span::styled(
                            format!(" · {}", crate::text::relative_time_in(app.lang, at, now)),
                            t.muted,
                        ),
                    ]),
                    (None, Some(raw)) => created.push(Span::styled(safe_line(raw, 60), t.text)),
                    (None, None) => created.push(Span::styled("—", t.muted)),
                }
                created
            }
        };
        lines.push(cut(spans, width));
    }
    let rows = shown.start.saturating_sub(FIXED_DETAILS)..shown.end.saturating_sub(FIXED_DETAILS);
    for row in app.details.get(rows).unwrap_or_default() {
        let style = match row.kind {
            ValueKind::Text => t.text,
            ValueKind::Other => t.info,
            ValueKind::Muted => t.muted,
        };
        lines.push(cut(
            vec![
                Span::styled(row.lead.as_str(), t.muted),
                Span::styled(row.value.as_str(), style),
            ],
            width,
        ));
    }
    lines
}

/// A line of `spans` cut to `width` columns, the cut marked with `…`.
fn cut(spans: Vec<Span<'_>>, width: usize) -> Line<'_> {
    let mut used = 0;
    let mut out = Vec::with_capacity(spans.len());
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width {
        return Line::from(spans);
    }
    for span in spans {
        let w = span.width();
        if used + w < width {
            used += w;
            out.push(span);
            continue;
        }
        // Something follows the cut, so `…` marks it even where this span would just fit.
        let room = width - used;
        out.push(Span::styled(fit::fit(&format!("{}…", span.content), room), span.style));
        break;
    }
    Line::from(out)
}
