//! The help overlay, generated from the keymap.

use crate::tui::app::App;
use crate::tui::fit;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::list::ListCursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Clear, Padding, Row, Table};

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, cursor: &ListCursor) {
    let t = &app.theme;
    let rows_total = Action::ALL.len();
    let table = layout::help_table(app, area);
    let rect = table.rect;
    let close: Vec<String> = [Action::Cancel, Action::Help]
        .iter()
        .filter_map(|a| app.keymap.keys_for(*a).into_iter().next())
        .collect();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.border_focused)
        .title(Line::from(Span::styled(
            format!(" {} ", crate::tr!(app.lang, "help-title")),
            t.title_focused,
        )))
        .title_bottom(
            Line::from(Span::styled(
                format!(
                    " {} ",
                    crate::tr!(
                        app.lang,
                        "help-closes",
                        keys = close.join(&format!(" {} ", crate::tr!(app.lang, "help-or")))
                    )
                ),
                t.muted,
            ))
            .right_aligned(),
        )
        .padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let wide = table.place_width > 0;
    let top = cursor.window(rows_total, table.rows).start;
    let mut used = 0;
    let rows: Vec<Row> = (top..rows_total)
        .take_while(|&at| {
            used += table.descriptions[at].len();
            used <= table.room
        })
        .map(|at| {
            let description = &table.descriptions[at];
            let lines: Vec<Line> = description
                .iter()
                .map(|line| Line::from(Span::styled(line.clone(), t.text)))
                .collect();
            let mut cells = vec![
                Cell::from(Span::styled(fit::fit(&table.keys[at], table.keys_width), t.key)),
                Cell::from(lines),
            ];
            if wide {
                cells.push(Cell::from(Span::styled(
                    fit::fit(&table.places[at], table.place_width),
                    t.muted,
                )));
            }
            Row::new(cells).height(u16::try_from(description.len()).unwrap_or(1))
        })
        .collect();
    let column = |width: usize| Constraint::Length(u16::try_from(width).unwrap_or(u16::MAX));
    let (header, widths) = if wide {
        (
            Row::new([
                crate::tr!(app.lang, "help-col-keys"),
                crate::tr!(app.lang, "help-col-action"),
                crate::tr!(app.lang, "help-col-where"),
            ]),
            vec![column(table.keys_width), Constraint::Fill(1), column(table.place_width)],
        )
    } else {
        (
            Row::new([
                crate::tr!(app.lang, "help-col-keys"),
                crate::tr!(app.lang, "help-col-action"),
            ]),
            vec![column(table.keys_width), Constraint::Fill(1)],
        )
    };
    frame.render_widget(
        Table::new(rows, widths)
            .header(header.style(t.header))
            .column_spacing(2),
        inner,
    );
}
