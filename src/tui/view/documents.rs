//! The documents table: only the visible rows are formatted, so 10,000
//! documents draw as fast as ten.

use super::{draw_input, pane};
use crate::text::safe_line;
use crate::tui::app::{App, Focus};
use crate::tui::downloads::TransferState;
use crate::tui::fit::fit;
use crate::tui::keymap::Action;
use crate::tui::layout;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, wide: bool) {
    let t = &app.theme;
    let focused = app.focus == Focus::Documents && !app.login.visible() && app.help.is_none();
    let docs = &app.documents;
    let mut info = Vec::new();
    if app.current.is_some() {
        let shown = docs.rows().len();
        let total = docs.total();
        let count = if shown == total {
            crate::tui::format::thousands_in(app.lang, total)
        } else {
            crate::tr!(
                app.lang,
                "count-of",
                shown = crate::tui::format::thousands_in(app.lang, shown),
                total = crate::tui::format::thousands_in(app.lang, total)
            )
        };
        info.push(Span::styled(count, t.muted));
        if docs.marked_count() > 0 {
            info.push(Span::styled(
                crate::tr!(
                    app.lang,
                    "documents-marked",
                    count = crate::tui::format::thousands_in(app.lang, docs.marked_count())
                ),
                t.marked,
            ));
        }
    }
    let mut block = pane(t, &crate::tr!(app.lang, "pane-documents"), focused, info);
    if let Some(notice) = &app.documents_notice {
        let style = if notice.error { t.error } else { t.info };
        block = block.title_bottom(Line::from(Span::styled(
            format!(" {} ", safe_line(&notice.text, 200)),
            style,
        )));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let Some(process) = &app.current else {
        let text = if app.choices.is_empty() {
            crate::tr!(app.lang, "documents-look-up")
        } else {
            crate::tr!(app.lang, "documents-choose")
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.muted)).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let (filter_row, table_area) = layout::documents_areas(inner, app);
    if let Some(filter_row) = filter_row {
        let [label, field] = Layout::horizontal([Constraint::Length(9), Constraint::Fill(1)]).areas(filter_row);
        let label_style = if docs.filtering { t.key } else { t.muted };
        frame.render_widget(
            Paragraph::new(fit(&crate::tr!(app.lang, "documents-filter"), 9)).style(label_style),
            label,
        );
        let style = if docs.filtering { t.input } else { t.text };
        draw_input(frame, field, &docs.filter, style, docs.filtering && focused);
    }
    if docs.total() == 0 {
        frame.render_widget(
            Paragraph::new(Span::styled(crate::tr!(app.lang, "documents-none"), t.muted)),
            table_area,
        );
        return;
    }
    if docs.rows().is_empty() {
        let esc = super::search::first_key(app, Action::Cancel);
        let text = crate::tr!(
            app.lang,
            "documents-no-match",
            filter = safe_line(docs.filter.value(), 40),
            key = esc
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.muted)).wrap(Wrap { trim: true }),
            table_area,
        );
        return;
    }
    let header = layout::documents_header(table_area);
    let height = table_area.height.saturating_sub(u16::from(header)) as usize;
    let range = docs.cursor.window(docs.rows().len(), height);
    // Every column but the name has its width; the name has the rest, and a cut ends in `…`.
    // Beside the preview a narrow table keeps the name and the state.
    let compact = !wide && app.preview.open && table_area.width < 50;
    // The state column holds the language's longest state word: 9 (10 wide) in English.
    let state_width = state_width(app.lang, if wide { 10 } else { 9 });
    let (kind_width, fixed) = if wide {
        (14, 2 + 14 + 10 + state_width + 4)
    } else if compact {
        (0, 2 + state_width + 2)
    } else {
        (10, 2 + 10 + state_width + 3)
    };
    let name_width = (table_area.width as usize).saturating_sub(fixed);
    let selected = docs.cursor.selected();
    let rows: Vec<Row> = range
        .map(|row| {
            let i = docs.rows()[row];
            let doc = &process.documents[i];
            let is_selected = row == selected;
            let row_style = match (is_selected, focused) {
                (true, true) => t.selected,
                (true, false) => t.selected_unfocused,
                _ => Style::new(),
            };
            let pick = |style: Style| if is_selected && focused { t.selected } else { style };
            let pointer = if is_selected && focused { "›" } else { " " };
            let mark = if docs.is_marked(i) { "✓" } else { " " };
            let mark = Span::styled(format!("{pointer}{mark}"), pick(t.marked));
            let transfer = app.downloads.for_doc(process.process_id.as_str(), doc.doc_id.as_str());
            let word = |key: &str| fit(&app.lang.t(key), state_width);
            let state = match transfer {
                None if app.index.saved(doc.doc_id.as_str()).is_some() => {
                    Span::styled(fit(&crate::tr!(app.lang, "state-saved"), state_width), pick(t.ok))
                }
                None => Span::styled("", t.muted),
                Some(tr) => match &tr.state {
                    TransferState::Running(p) if p.verifying.is_some() => {
                        Span::styled(word("state-verifying"), pick(t.info))
                    }
                    TransferState::Running(_) => match tr.ratio() {
                        Some(r) => Span::styled(format!("{:>3.0}%", r * 100.0), pick(t.info)),
                        None => Span::styled(word("state-running"), pick(t.info)),
                    },
                    TransferState::Queued | TransferState::AwaitingLogin => {
                        Span::styled(word("state-queued"), pick(t.warn))
                    }
                    TransferState::Done { .. } => {
                        Span::styled(fit(&format!("✓ {}", app.lang.t("state-done")), state_width), pick(t.ok))
                    }
                    TransferState::Failed { .. } => Span::styled(
                        fit(&format!("✗ {}", app.lang.t("state-failed")), state_width),
                        pick(t.error),
                    ),
                    TransferState::Cancelled { .. } => Span::styled(word("state-cancelled"), pick(t.muted)),
                },
            };
            let name = Span::styled(fit(&safe_line(&doc.display_name(), 200), name_width), pick(t.text));
            let kind = Span::styled(
                fit(
                    &doc.doc_type.as_deref().map(|s| safe_line(s, 40)).unwrap_or_default(),
                    kind_width,
                ),
                pick(t.muted),
            );
            let id = Span::styled(fit(&safe_line(doc.doc_id.as_str(), 20), 10), pick(t.muted));
            let cells = if wide {
                vec![
                    Cell::from(mark),
                    Cell::from(name),
                    Cell::from(kind),
                    Cell::from(id),
                    Cell::from(state),
                ]
            } else if compact {
                vec![Cell::from(mark), Cell::from(name), Cell::from(state)]
            } else {
                vec![Cell::from(mark), Cell::from(name), Cell::from(kind), Cell::from(state)]
            };
            Row::new(cells).style(row_style)
        })
        .collect();
    let header_cells: &[&str] = if wide {
        &["", "field-name", "field-type", "field-id", "field-state"]
    } else if compact {
        &["", "field-name", "field-state"]
    } else {
        &["", "field-name", "field-type", "field-state"]
    };
    let header_row = Row::new(
        header_cells
            .iter()
            .map(|key| Cell::from(if key.is_empty() { String::new() } else { app.lang.t(key) })),
    )
    .style(t.header);
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Length(state_width as u16),
        ]
    } else if compact {
        vec![
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(state_width as u16),
        ]
    } else {
        vec![
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Length(state_width as u16),
        ]
    };
    let table = Table::new(rows, widths).column_spacing(1);
    let table = if header { table.header(header_row) } else { table };
    frame.render_widget(table, table_area);
}

/// The state column's width in `lang`: its longest state word, at least `min`.
fn state_width(lang: crate::i18n::Lang, min: usize) -> usize {
    let words = [
        crate::tr!(lang, "state-saved"),
        format!("✓ {}", lang.t("state-done")),
        format!("✗ {}", lang.t("state-failed")),
        lang.t("state-verifying"),
        lang.t("state-running"),
        lang.t("state-queued"),
        lang.t("state-cancelled"),
    ];
    words
        .iter()
        .map(|word| crate::tui::fit::width(word))
        .max()
        .unwrap_or(0)
        .max(min)
}
