//! The profile chooser (`P`): every profile, the active one marked.

use crate::text::safe_line;
use crate::tui::app::App;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::list::ListCursor;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, cursor: &ListCursor) {
    let t = &app.theme;
    let profiles = &app.sessions.profiles;
    let rect = layout::profiles_rect(area, profiles.len());
    let keys = |a: Action| app.keymap.keys_for(a).into_iter().next().unwrap_or_default();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.border_focused)
        .title(Line::from(Span::styled(
            format!(" {} ", crate::tr!(app.lang, "profiles-title")),
            t.title_focused,
        )))
        .title_bottom(
            Line::from(Span::styled(
                format!(
                    " {} ",
                    crate::tr!(
                        app.lang,
                        "profiles-keys",
                        switch = keys(Action::Submit),
                        close = keys(Action::Cancel)
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
    let visible = cursor.window(profiles.len(), inner.height as usize);
    let lines: Vec<Line> = profiles[visible.clone()]
        .iter()
        .zip(visible)
        .map(|(name, i)| {
            let active = *name == app.sessions.profile;
            let text = format!(
                "{} {}{}",
                if i == cursor.selected() { "▸" } else { " " },
                safe_line(name, 60),
                if active {
                    format!("  {}", crate::tr!(app.lang, "profiles-active"))
                } else {
                    String::new()
                }
            );
            let style = if i == cursor.selected() { t.selected } else { t.text };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
