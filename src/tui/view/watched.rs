//! The watched list, in the place of the recent processes: each watched
//! process with its status, when it last changed and (where the pane is wide
//! enough, else for the selected row on the bottom border) when it was last
//! checked. A change not seen yet is marked `●` in the warning colour.

use super::pane;
use crate::text::safe_line;
use crate::tui::app::{App, Focus, WatchRow};
use crate::tui::{fit, format, layout};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use time::OffsetDateTime;

/// The columns of one time ("changed", "checked").
const TIME: usize = 7;

/// From this inner width on, every row shows when it was last checked.
const BOTH_TIMES: usize = 40;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: OffsetDateTime) {
    let t = &app.theme;
    let watch = &app.watch;
    let focused = app.focus == Focus::Watched && !app.login.visible() && app.help.is_none();
    let mut info = vec![Span::styled(watch.rows.len().to_string(), t.muted)];
    let unseen = watch.unseen();
    if unseen > 0 {
        info.push(Span::styled(crate::tr!(app.lang, "watched-unseen", n = unseen), t.warn));
    }
    let inner_width = layout::inside(area).width as usize;
    let both = inner_width >= BOTH_TIMES;
    let selected = watch.rows.get(watch.cursor.selected());
    let bottom = match (&watch.paused, selected) {
        (Some(paused), _) => Some(Span::styled(
            crate::tr!(app.lang, "watched-paused", error = paused.as_str()),
            t.warn,
        )),
        (None, Some(row)) if focused => row_detail(app.lang, row, now, both).map(|text| Span::styled(text, t.muted)),
        _ => None,
    };
    let mut block = pane(t, &crate::tr!(app.lang, "pane-watched"), focused, info);
    if let Some(bottom) = bottom {
        let room = layout::border_room(area);
        block = block.title_bottom(Line::from(Span::styled(fit::fit(&bottom.content, room), bottom.style)));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if watch.rows.is_empty() {
        let text = crate::tr!(
            app.lang,
            "watched-empty",
            key = super::search::first_key(app, crate::tui::Action::Watch)
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.muted)).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let height = inner.height as usize;
    let header = layout::watched_header(height);
    let rows = height - usize::from(header);
    let range = watch.cursor.window(watch.rows.len(), rows);
    let id_width = watch.rows[range.clone()]
        .iter()
        .map(|r| fit::width(&safe_line(&r.process_id, 12)))
        .max()
        .unwrap_or(0)
        .max(2);
    let times = if both { 2 * (TIME + 1) } else { TIME + 1 };
    let status_width = inner_width.saturating_sub(2 + id_width + 1 + times);
    let mut lines = Vec::new();
    if header {
        let word = |key: &str| app.lang.t(key);
        let (id, status) = (word("watched-col-id"), word("watched-col-status"));
        let mut text = format!("  {id:<id_width$} {status:<status_width$}");
        text.push_str(&format!(" {:>TIME$}", word("watched-col-changed")));
        if both {
            text.push_str(&format!(" {:>TIME$}", word("watched-col-checked")));
        }
        lines.push(Line::from(Span::styled(fit::fit(&text, inner_width), t.header)));
    }
    for i in range {
        let row = &watch.rows[i];
        let is_selected = focused && i == watch.cursor.selected();
        let pick = |style: Style| if is_selected { t.selected } else { style };
        let (marker, marker_style) = if is_selected {
            ("› ", t.selected)
        } else if row.unseen {
            ("● ", t.warn)
        } else if row.error.is_some() {
            ("! ", t.error)
        } else {
            ("  ", t.muted)
        };
        let id = safe_line(&row.process_id, 12);
        let status = fit::fit(&safe_line(row.status.as_deref().unwrap_or("—"), 200), status_width);
        let status_style = if row.unseen { t.warn } else { t.text };
        let changed = row
            .changed_at
            .map_or_else(|| "—".to_string(), |at| format::ago(at, now));
        let mut spans = vec![
            Span::styled(marker, marker_style),
            Span::styled(format!("{}{} ", id, pad(&id, id_width)), pick(t.key)),
            Span::styled(format!("{}{}", status, pad(&status, status_width)), pick(status_style)),
            Span::styled(format!(" {changed:>TIME$}"), pick(t.muted)),
        ];
        if both {
            let checked = row
                .checked_at
                .map_or_else(|| "—".to_string(), |at| format::ago(at, now));
            spans.push(Span::styled(format!(" {checked:>TIME$}"), pick(t.muted)));
        }
        let line = Line::from(spans);
        lines.push(if is_selected { line.style(t.selected) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Spaces that fill `text` out to `width` columns.
fn pad(text: &str, width: usize) -> String {
    " ".repeat(width.saturating_sub(fit::width(text)))
}

/// What the bottom border says of the selected row: why its check failed,
/// or when it was checked (when the rows do not show it).
fn row_detail(lang: crate::i18n::Lang, row: &WatchRow, now: OffsetDateTime, both: bool) -> Option<String> {
    if let Some(error) = &row.error {
        return Some(format!(" {error} "));
    }
    if both {
        return None;
    }
    Some(match row.checked_at {
        Some(at) => crate::tr!(lang, "watched-checked-ago", ago = format::ago(at, now)),
        None => crate::tr!(lang, "watched-not-checked"),
    })
}
