//! The preview pane: the selected document's summary (`inspect::describe`'s
//! lines, coloured by what each says), scrolled; only the visible lines are
//! styled. A picture is drawn under its first lines; a PDF's drawn first page
//! beside (or above) its summary, which scrolls on its own.

use super::pane;
use crate::tui::app::{App, Focus, PreviewState};
use crate::tui::fit::fit;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The width of a summary's label column (`describe` pads labels to it).
const LABEL: usize = 12;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let preview = &app.preview;
    let focused = app.focus == Focus::Documents && !app.login.visible() && app.help.is_none();
    let (page, text_area) = layout::preview_parts(area, app);
    let rows = text_area.height as usize;
    let lines = preview.lines();
    let title = crate::tr!(app.lang, "pane-preview");
    let mut info = Vec::new();
    if !preview.name.is_empty() {
        // The corners, the spaces around the title and after the name, and one ─ before the corner.
        let room = (area.width as usize).saturating_sub(crate::tui::fit::width(&title) + 6);
        info.push(Span::styled(fit_end(&preview.path_title(), room), t.muted));
    }
    let mut block = pane(t, &title, false, info);
    if focused && lines > rows {
        let keys = |action| app.keymap.keys_for(action).into_iter().next().unwrap_or_default();
        let top = preview.scroll.top(lines, rows);
        block = block.title_bottom(
            Line::from(Span::styled(
                crate::tr!(
                    app.lang,
                    "preview-range",
                    first = (top + 1).to_string(),
                    last = (top + rows).min(lines).to_string(),
                    total = lines.to_string(),
                    keys = format!("{}{}", keys(Action::PreviewDown), keys(Action::PreviewUp))
                ),
                t.muted,
            ))
            .right_aligned(),
        );
    }
    if focused {
        block = entries_hint(app, block);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let message = |text: String, style| Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true });
    match &preview.state {
        PreviewState::Idle => {
            let text = if app.current.is_some() {
                crate::tr!(app.lang, "preview-select")
            } else {
                crate::tr!(app.lang, "preview-look-up")
            };
            frame.render_widget(message(text, t.muted), inner);
        }
        PreviewState::Loading => {
            frame.render_widget(
                message(
                    crate::tr!(app.lang, "preview-reading", spinner = app.spinner_frame()),
                    t.info,
                ),
                inner,
            );
        }
        PreviewState::Failed(error) => {
            frame.render_widget(
                message(crate::tr!(app.lang, "preview-failed", error = error.as_str()), t.error),
                inner,
            );
        }
        PreviewState::Ready(ready) => {
            let picture_area = layout::preview_picture_area(area);
            if let Some(picture) = &ready.previewed.picture
                && ready.previewed.report.kind == crate::inspect::Kind::Image
                && picture.cells == (picture_area.width, picture_area.height)
            {
                let width = inner.width as usize;
                let summary: Vec<Line> = ready
                    .lines
                    .iter()
                    .take(layout::PICTURE_TOP as usize)
                    .map(|line| styled(app.lang, t, line, width))
                    .collect();
                frame.render_widget(Paragraph::new(summary), inner);
                frame.render_widget(ratatui_image::Image::new(&picture.protocol), picture_area);
                return;
            }
            if let (Some(page), Some(picture)) = (page, &ready.previewed.picture) {
                frame.render_widget(ratatui_image::Image::new(&picture.protocol), page);
            }
            let top = preview.scroll.top(lines, rows);
            let width = text_area.width as usize;
            let chosen = preview.entry_line();
            let shown: Vec<Line> = ready
                .lines
                .iter()
                .enumerate()
                .skip(top)
                .take(rows)
                .map(|(i, line)| {
                    if chosen == Some(i) {
                        Line::from(Span::styled(format!("{:<width$}", fit(line, width)), t.selected))
                    } else {
                        styled(app.lang, t, line, width)
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(shown), text_area);
        }
    }
}

/// `text` cut to `columns` from its start, so the end of a long way into
/// nested archives stays (`…a.zip ▸ b.xml`).
fn fit_end(text: &str, columns: usize) -> String {
    if crate::tui::fit::width(text) <= columns || columns == 0 {
        return fit(text, columns);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = crate::tui::fit::width(c.encode_utf8(&mut [0u8; 4]));
        if used + w > columns {
            break;
        }
        tail.push(c);
        used += w;
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

/// The pane's bottom left: how to choose an entry of the archive shown, or,
/// while choosing, how to preview it and go back.
fn entries_hint<'a>(app: &App, block: ratatui::widgets::Block<'a>) -> ratatui::widgets::Block<'a> {
    let preview = &app.preview;
    let keys = |action| app.keymap.keys_for(action).into_iter().next().unwrap_or_default();
    let text = if preview.entries.browsing && preview.shows_entries() {
        crate::tr!(
            app.lang,
            "preview-entry-keys",
            key = keys(Action::Submit),
            back = keys(Action::Cancel)
        )
    } else if !preview.entries.browsing && (preview.shows_entries() || !preview.entries.trail.is_empty()) {
        crate::tr!(app.lang, "preview-entries-hint", key = keys(Action::Entries))
    } else {
        return block;
    };
    block.title_bottom(Line::from(Span::styled(text, app.theme.muted)).left_aligned())
}

/// One summary line, cut to `width`, coloured by what it says: labels
/// muted, the checks green or red, warnings yellow.
fn styled<'a>(lang: crate::i18n::Lang, t: &Theme, line: &str, width: usize) -> Line<'a> {
    let line = fit(line, width);
    let trimmed = line.trim_start();
    if trimmed.starts_with(&format!("{} ", lang.t("inspect-check-ok"))) {
        return Line::from(Span::styled(line, t.ok));
    }
    if trimmed.starts_with(&format!("{} ", lang.t("inspect-check-bad"))) {
        return Line::from(Span::styled(line, t.error));
    }
    if trimmed.starts_with("! ")
        || line == lang.t("inspect-warnings")
        || trimmed.starts_with(&lang.t("inspect-warning-scan"))
    {
        return Line::from(Span::styled(line, t.warn));
    }
    if line == lang.t("inspect-checks") {
        return Line::from(Span::styled(line, t.header));
    }
    let label_end = line.char_indices().nth(LABEL).map(|(i, _)| i);
    match label_end {
        Some(end)
            if line.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && line[..end].ends_with(' ')
                && !line[end..].starts_with(' ') =>
        {
            let (label, value) = line.split_at(end);
            let label_word = label.trim_end();
            let strong = [
                "inspect-total",
                "inspect-payable",
                "inspect-e-invoice",
                "inspect-number",
            ];
            let value_style = if strong.iter().any(|key| lang.t(key) == label_word) {
                t.header
            } else {
                t.text
            };
            Line::from(vec![
                Span::styled(label.to_string(), t.muted),
                Span::styled(value.to_string(), value_style),
            ])
        }
        _ => Line::from(Span::styled(line, t.text)),
    }
}
