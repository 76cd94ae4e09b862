//! Drawing the app with ratatui: a top bar, the panes, a hint line, and the
//! login and help overlays, where `tui::layout` puts them. Drawing only reads
//! the state (scroll offsets included) and costs by visible rows, not by list
//! length.

mod documents;
mod downloads;
mod help;
mod hints;
mod login;
mod preview;
mod process;
mod profiles;
mod search;
mod watched;

#[cfg(test)]
pub(crate) use hints::hint_items;

use super::app::{App, Phase, SessionEnd};
use super::fit;
use super::layout;
use super::layout::MIN_SIZE;
use super::layout::centered;
use super::theme::Theme;
use crate::text::safe_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Padding, Paragraph};
use time::OffsetDateTime;
use tui_input::Input;

/// Draws the whole screen for `app` at time `now`.
pub fn draw(frame: &mut Frame, app: &App, now: OffsetDateTime) {
    let area = frame.area();
    let Some(panes) = layout::panes(area, app) else {
        let message = crate::tr!(
            app.lang,
            "too-small",
            width = area.width,
            height = area.height,
            min_width = MIN_SIZE.0,
            min_height = MIN_SIZE.1
        );
        let row = Rect::new(area.x, area.y + area.height / 2, area.width, area.height.min(1));
        frame.render_widget(Paragraph::new(message).style(app.theme.warn).centered(), row);
        return;
    };
    draw_top_bar(frame, panes.top, app, now);
    search::draw_box(frame, panes.search, app);
    if let Some(recent) = panes.recent {
        if app.shows_watched() {
            watched::draw(frame, recent, app, now);
        } else {
            search::draw_recent(frame, recent, app);
        }
    }
    if let Some(process) = panes.process {
        process::draw(frame, process, app, now);
    }
    documents::draw(frame, panes.documents, app, panes.wide && panes.documents.width >= 80);
    if let Some(area) = panes.preview {
        preview::draw(frame, area, app);
    }
    downloads::draw(frame, panes.downloads, app, now, panes.wide);
    hints::draw(frame, panes.hint, app);
    if app.login.visible() {
        login::draw(frame, area, app);
    } else if let Some(cursor) = &app.sessions.chooser {
        profiles::draw(frame, area, app, cursor);
    } else if let Some(cursor) = &app.help {
        help::draw(frame, area, app, cursor);
    }
}

fn draw_top_bar(frame: &mut Frame, area: Rect, app: &App, now: OffsetDateTime) {
    let t = &app.theme;
    let session = |short: bool| session_spans(app, now, short);
    let help = app.keymap.keys_for(super::keymap::Action::Help).first().map(|key| {
        Line::from(Span::styled(
            format!(" {} ", crate::tr!(app.lang, "top-help", key = key)),
            t.top_bar,
        ))
        .right_aligned()
    });
    let help_width = help.as_ref().map_or(0, Line::width);
    let brand = Span::styled(" Trackline ", t.brand);
    let profile = safe_line(&app.sessions.profile, 30);
    let url = safe_line(&app.base_url, 80);
    let width = area.width as usize;
    let spans_width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    // The profile, the server and where it came from, the most that fits.
    let mut chosen: Option<(Vec<Span>, bool)> = None;
    if let Some(origin) = app.base_url_origin.as_deref() {
        let origin = safe_line(origin, 200);
        let from = origin.split(", not the profile").next().unwrap_or_default().to_string();
        let texts = [format!("{url} ({origin})"), format!("{url} ({from})"), from.clone()];
        // The fullest text first: it may take the help key's room, then the word "session".
        'fit: for text in &texts {
            for (short, with_help) in [(false, true), (false, false), (true, false)] {
                let session = session(short);
                let fixed = brand.width() + 8 + fit::width(&profile) + spans_width(&session);
                let room = width.saturating_sub(fixed + if with_help { help_width } else { 0 });
                if fit::width(text) <= room {
                    chosen = Some((server_spans(app, &profile, text, true, session), with_help));
                    break 'fit;
                }
            }
        }
        if chosen.is_none() {
            let session = session(true);
            let room = width.saturating_sub(brand.width() + 8 + fit::width(&profile) + spans_width(&session));
            if room >= 8 {
                chosen = Some((
                    server_spans(app, &profile, &fit::fit(&from, room), true, session),
                    false,
                ));
            }
        }
    }
    let (mut spans, with_help) = chosen.unwrap_or_else(|| {
        let session = session(false);
        let session_width = spans_width(&session);
        let server = server_spans(app, &profile, &url, false, Vec::new());
        let fits = |middle: usize| brand.width() + middle + session_width + help_width <= width;
        let mut spans = if fits(spans_width(&server)) {
            server
        } else if fits(fit::width(&profile) + 4) {
            vec![Span::styled(format!("│ {profile} │ "), t.top_bar)]
        } else {
            vec![Span::styled("│ ", t.top_bar)]
        };
        spans.extend(session);
        (spans, true)
    });
    spans.insert(0, brand);
    let left = Line::from(spans);
    let left_width = left.width();
    frame.render_widget(Paragraph::new(left).style(t.top_bar), area);
    if let Some(help) = help.filter(|_| with_help && left_width + help_width <= width) {
        frame.render_widget(help, area);
    }
}

/// `│ profile │ server │ ` and then `session`; the server drawn as a
/// warning when it is not the profile's own.
fn server_spans<'a>(app: &App, profile: &str, server: &str, warn: bool, session: Vec<Span<'a>>) -> Vec<Span<'a>> {
    let t = &app.theme;
    let style = if warn { t.top_bar.patch(t.warn) } else { t.top_bar };
    let mut spans = vec![
        Span::styled(format!("│ {profile} │ "), t.top_bar),
        Span::styled(server.to_string(), style),
        Span::styled(" │ ", t.top_bar),
    ];
    spans.extend(session);
    spans
}

/// The signed-in email and the session's time left (`short`: without the word "session").
fn session_spans(app: &App, now: OffsetDateTime, short: bool) -> Vec<Span<'static>> {
    let t = &app.theme;
    let mut session = Vec::new();
    match &app.sessions.phase {
        Phase::SignedIn {
            email,
            expires_at,
            renewable,
            end,
        } => {
            session.push(Span::styled(safe_line(email, 60), t.top_bar));
            if let Some(at) = *expires_at {
                session.push(Span::styled(" │ ", t.top_bar));
                let left = at - now;
                let lang = app.lang;
                if left.is_positive() && *end != SessionEnd::Later {
                    let key = app
                        .keymap
                        .keys_for(super::keymap::Action::Logout)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    let offer = if *renewable {
                        crate::tr!(lang, "session-renews")
                    } else {
                        crate::tr!(lang, "session-key-to-log-in", key = key)
                    };
                    let left = super::format::remaining(left);
                    let text = if short {
                        crate::tr!(lang, "session-ends-in", left = left)
                    } else {
                        crate::tr!(lang, "session-ends-offer", left = left, offer = offer)
                    };
                    session.push(Span::styled(text, t.top_bar.patch(t.warn)));
                } else if left.is_positive() {
                    let left = super::format::remaining(left);
                    let text = if short {
                        crate::tr!(lang, "session-left", left = left)
                    } else {
                        crate::tr!(lang, "session-word-left", left = left)
                    };
                    session.push(Span::styled(text, t.top_bar));
                } else {
                    let text = if short {
                        crate::tr!(lang, "session-expired")
                    } else {
                        crate::tr!(lang, "session-word-expired")
                    };
                    session.push(Span::styled(text, t.top_bar.patch(t.error)));
                }
            }
        }
        Phase::SignedOut { .. } => session.push(Span::styled(crate::tr!(app.lang, "not-signed-in"), t.top_bar)),
    }
    session
}

/// `spans` cut to `columns` columns, the last one shown ending in `…` when some are left out.
fn fit_spans(spans: Vec<Span<'_>>, columns: usize) -> Vec<Span<'_>> {
    let mut left = columns;
    let mut out = Vec::new();
    for span in spans {
        let width = fit::width(&span.content);
        if width <= left {
            left -= width;
            out.push(span);
            continue;
        }
        if left > 0 {
            out.push(Span::styled(fit::fit(&span.content, left), span.style));
        }
        break;
    }
    out
}

/// A pane's border: rounded, highlighted when focused, with a title and extra info.
fn pane<'a>(theme: &Theme, title: &str, focused: bool, info: Vec<Span<'a>>) -> Block<'a> {
    let (border, title_style) = if focused {
        (theme.border_focused, theme.title_focused)
    } else {
        (theme.border, theme.title)
    };
    let mut spans = vec![Span::styled(format!(" {title} "), title_style)];
    for span in info {
        spans.push(span);
    }
    if spans.len() > 1 {
        spans.push(Span::raw(" "));
    }
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(Line::from(spans))
        .padding(Padding::horizontal(1))
}

/// Draws a password box: one `•` a character (scrolled to keep the cursor in
/// view), and the terminal cursor when focused.
fn draw_masked(frame: &mut Frame, area: Rect, chars: usize, cursor: usize, style: Style, focused: bool) {
    let width = area.width.max(1) as usize;
    let scroll = cursor.saturating_sub(width.saturating_sub(1));
    frame.render_widget(
        Paragraph::new("•".repeat(chars.saturating_sub(scroll))).style(style),
        area,
    );
    if focused {
        let x = u16::try_from(cursor - scroll).unwrap_or(u16::MAX);
        frame.set_cursor_position((area.x + x.min(area.width.saturating_sub(1)), area.y));
    }
}

/// Draws a one-line text box's value (scrolled to keep the cursor in view) and
/// places the terminal cursor when focused.
fn draw_input(frame: &mut Frame, area: Rect, input: &Input, style: Style, focused: bool) {
    let width = area.width.max(1) as usize;
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let shown: String = safe_line(input.value(), 4000).chars().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).style(style), area);
    if focused {
        let x = input.visual_cursor().saturating_sub(scroll) as u16;
        frame.set_cursor_position((area.x + x.min(area.width.saturating_sub(1)), area.y));
    }
}
