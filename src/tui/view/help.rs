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
    let rect = layout::help_rect(area);
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
    let visible = cursor.window(rows_total, inner.height.saturating_sub(1) as usize);
    let wide = inner.width >= 66;
    // What the fixed columns and the spacing leave the description (a cut is marked).
    let described = (inner.width as usize).saturating_sub(if wide { 14 + 20 + 4 } else { 12 + 2 });
    let rows: Vec<Row> = Action::ALL[visible]
        .iter()
        .map(|action| {
            let mut cells = vec![
                Cell::from(Span::styled(app.keymap.keys_for(*action).join("  "), t.key)),
                Cell::from(Span::styled(fit::fit(&action.describe_in(app.lang), described), t.text)),
            ];
            if wide {
                cells.push(Cell::from(Span::styled(
                    fit::fit(&app.lang.place(action.place()), 20),
                    t.muted,
                )));
            }
            Row::new(cells)
        })
        .collect();
    let (header, widths) = if wide {
        (
            Row::new([
                crate::tr!(app.lang, "help-col-keys"),
                crate::tr!(app.lang, "help-col-action"),
                crate::tr!(app.lang, "help-col-where"),
            ]),
            vec![Constraint::Length(14), Constraint::Fill(1), Constraint::Length(20)],
        )
    } else {
        (
            Row::new([
                crate::tr!(app.lang, "help-col-keys"),
                crate::tr!(app.lang, "help-col-action"),
            ]),
            vec![Constraint::Length(12), Constraint::Fill(1)],
        )
    };
    frame.render_widget(
        Table::new(rows, widths)
            .header(header.style(t.header))
            .column_spacing(2),
        inner,
    );
}
