//! The downloads pane: one row per transfer with its name, a progress bar,
//! bytes, rate, ETA and state. The name wins the room first: as the pane
//! narrows, ETA, then rate, then bytes are left out, and a name that is
//! still too long is cut with `…`. What the pane has to say below its rows
//! (a message, the selected row's error or saved path and SHA-256) goes on
//! the bottom border when it fits, else on lines of its own.

use super::pane;
use crate::i18n::Lang;
use crate::text::safe_line;
use crate::tui::app::{App, Focus};
use crate::tui::downloads::{Progress, Tone, Transfer, TransferState};
use crate::tui::fit::{self, fit, pad, pad_left};
use crate::tui::format;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use time::OffsetDateTime;

/// The widths of the columns after the name.
const PCT: usize = 4;
const BYTES: usize = 17;
const RATE: usize = 10;
const ETA: usize = 10;
const STATE: usize = 9;
/// The bar's widths: always the narrow one, the wide one when there is room left.
const BAR_NARROW: usize = 10;
const BAR_WIDE: usize = 20;
/// The name column (with its two-column pointer) asks for the longest name
/// shown, between these.
const NAME_MIN: usize = 12;
const NAME_MAX: usize = 42;

/// Which columns a row of a pane `width` columns wide has, and how wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Columns {
    /// The name, with the pointer.
    pub(crate) name: usize,
    /// The bar.
    pub(crate) bar: usize,
    /// Whether the bytes are shown.
    pub(crate) bytes: bool,
    /// Whether the rate is shown (only with the bytes).
    pub(crate) rate: bool,
    /// Whether the ETA is shown (only with the rate).
    pub(crate) eta: bool,
    /// The ETA column's width: `ETA 3m 05s` in English, wider for a longer word.
    pub(crate) eta_width: usize,
    /// The state column's width: the language's longest state word, at least [`STATE`].
    pub(crate) state: usize,
}

impl Columns {
    /// The columns for rows whose longest name is `longest` columns: the
    /// name gets what it needs (within bounds) before bytes, rate, ETA and
    /// the wide bar get theirs, in that order.
    /// The state and ETA columns are as wide as the words of `lang` need.
    pub(crate) fn new_in(lang: crate::i18n::Lang, width: usize, longest: usize) -> Columns {
        let state = state_width(lang);
        let eta_width = ETA - 4 + fit::width(&crate::tr!(lang, "downloads-eta", time = ""));
        let want = (longest + 2).clamp(NAME_MIN, NAME_MAX);
        let mut columns = Columns {
            name: 0,
            bar: BAR_NARROW,
            bytes: false,
            rate: false,
            eta: false,
            eta_width,
            state,
        };
        let mut used = BAR_NARROW + PCT + state + 3;
        let mut room = |extra: usize| {
            let fits = width.saturating_sub(used + extra) >= want;
            if fits {
                used += extra;
            }
            fits
        };
        columns.bytes = room(BYTES + 1);
        columns.rate = columns.bytes && room(RATE + 1);
        columns.eta = columns.rate && room(eta_width + 1);
        if room(BAR_WIDE - BAR_NARROW) {
            columns.bar = BAR_WIDE;
        }
        columns.name = width.saturating_sub(used);
        columns
    }

    /// The width of the bytes, rate and ETA columns shown, with the spaces between them.
    fn details(&self) -> usize {
        let shown = [(self.bytes, BYTES), (self.rate, RATE), (self.eta, self.eta_width)];
        let (n, sum) = shown
            .iter()
            .filter(|(on, _)| *on)
            .fold((0, 0), |(n, sum), (_, w)| (n + 1, sum + w));
        (sum + n).saturating_sub(1)
    }
}

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, _now: OffsetDateTime, _wide: bool) {
    let t = &app.theme;
    let focused = app.focus == Focus::Downloads && !app.login.visible() && app.help.is_none();
    let items = app.downloads.items();
    let count = |label: &str| items.iter().filter(|t| t.state.label() == label).count();
    let mut info: Vec<Span> = Vec::new();
    for (label, style) in [
        ("running", t.info),
        ("queued", t.warn),
        ("done", t.ok),
        ("failed", t.error),
        ("cancelled", t.muted),
    ] {
        let n = count(label);
        if n > 0 {
            if !info.is_empty() {
                info.push(Span::styled(" · ", t.muted));
            }
            info.push(Span::styled(state_count(app.lang, label, n), style));
        }
    }
    let mut block = pane(t, &crate::tr!(app.lang, "pane-downloads"), focused, info);
    let (rows_area, detail_area) = layout::downloads_areas(area, app);
    let detail = app.downloads_detail();
    if let Some(detail) = detail.as_ref().filter(|_| detail_area.is_none()) {
        let text = fit(&detail.text, layout::border_room(area).saturating_sub(2));
        block = block.title_bottom(Line::from(Span::styled(format!(" {text} "), tone(t, detail.tone))));
    }
    frame.render_widget(block, area);
    if let (Some(detail), Some(detail_area)) = (&detail, detail_area) {
        let lines = fit::wrap_lines(&detail.text, detail_area.width as usize, detail_area.height as usize);
        let style = tone(t, detail.tone);
        let lines: Vec<Line> = lines.into_iter().map(|l| Line::from(Span::styled(l, style))).collect();
        frame.render_widget(Paragraph::new(lines), detail_area);
    }
    if items.is_empty() {
        let keys = app
            .keymap
            .keys_for(Action::Download)
            .join(&format!(" {} ", crate::tr!(app.lang, "help-or")));
        let text = crate::tr!(app.lang, "downloads-empty", keys = keys);
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.muted)).wrap(Wrap { trim: true }),
            rows_area,
        );
        return;
    }
    let range = app.downloads.cursor.window(items.len(), rows_area.height as usize);
    let names: Vec<String> = items[range.clone()]
        .iter()
        .map(|tr| safe_line(&tr.doc.display_name(), 200))
        .collect();
    let longest = names.iter().map(|n| fit::width(n)).max().unwrap_or(0);
    let columns = Columns::new_in(app.lang, rows_area.width as usize, longest);
    let selected = app.downloads.cursor.selected();
    for ((i, name), y) in range.zip(names).zip(rows_area.y..rows_area.bottom()) {
        let line = row(app, &items[i], &name, columns, i == selected, focused);
        frame.render_widget(line, Rect::new(rows_area.x, y, rows_area.width, 1));
    }
}

/// One transfer's row.
fn row<'a>(app: &App, tr: &Transfer, name: &str, columns: Columns, selected: bool, focused: bool) -> Line<'a> {
    let t = &app.theme;
    let pick = |style: Style| if selected && focused { t.selected } else { style };
    let row_style = match (selected, focused) {
        (true, true) => t.selected,
        (true, false) => t.selected_unfocused,
        _ => Style::new(),
    };
    let pointer = if selected && focused { "› " } else { "  " };
    let mut spans = vec![
        Span::styled(pointer, pick(t.text)),
        Span::styled(pad(name, columns.name.saturating_sub(2)), pick(t.text)),
        Span::raw(" "),
    ];
    let progress = match &tr.state {
        TransferState::Running(progress) => Some(progress),
        _ => None,
    };
    if let Some(bytes) = progress.and_then(|p| p.verifying) {
        // Nothing to measure yet: the note has the bar's room too.
        let room = columns.bar + 1 + PCT + columns.details() + usize::from(columns.details() > 0);
        let long = crate::tr!(
            app.lang,
            "downloads-verifying-bytes",
            spinner = app.spinner_frame(),
            size = format::bytes_in(app.lang, bytes)
        );
        let note = if fit::width(&long) <= room {
            long
        } else {
            crate::tr!(app.lang, "downloads-verifying", spinner = app.spinner_frame())
        };
        spans.push(Span::styled(pad(&note, room), pick(t.warn)));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            pad(&fit(&state_text(app.lang, tr), columns.state), columns.state),
            pick(state_style(t, &tr.state)),
        ));
        return Line::from(spans).style(row_style);
    }
    for span in progress_bar(t, tr, columns.bar, app.spinner_frame()).spans {
        let style = if selected && focused { t.selected } else { span.style };
        spans.push(Span::styled(span.content, style));
    }
    let received = tr.state.bytes().map_or(0, |(received, _)| received);
    let shows_bytes = received > 0 || matches!(tr.state, TransferState::Done { .. });
    let pct = match tr.ratio() {
        Some(r) if shows_bytes => format!("{:>3.0}%", r * 100.0),
        _ => String::new(),
    };
    spans.push(Span::raw(" "));
    spans.push(Span::styled(pad_left(&pct, PCT), pick(t.text)));
    let bytes = match tr.state.bytes() {
        Some((received, Some(total))) if shows_bytes => {
            format!(
                "{} / {}",
                format::bytes_in(app.lang, received),
                format::bytes_in(app.lang, total)
            )
        }
        Some((received, None)) if shows_bytes => format::bytes_in(app.lang, received),
        _ => String::new(),
    };
    let note = progress.and_then(|p| note(app.lang, p));
    let details = columns.details();
    match note {
        Some(note) if details > 0 => {
            // Bytes stay when there are some and the note fits in the rest.
            let keep_bytes =
                columns.bytes && !bytes.is_empty() && details.saturating_sub(BYTES + 1) >= fit::width(&note);
            let room = if keep_bytes {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(pad(&bytes, BYTES), pick(t.muted)));
                details - BYTES - 1
            } else {
                details
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(pad(&note, room), pick(t.warn)));
        }
        _ => {
            let (rate, eta) = match tr.state {
                TransferState::Running(_) => (
                    tr.rate().map(|r| format::rate_in(app.lang, r)).unwrap_or_default(),
                    tr.eta()
                        .map(|d| crate::tr!(app.lang, "downloads-eta", time = format::duration(d)))
                        .unwrap_or_default(),
                ),
                _ => (String::new(), String::new()),
            };
            for (shown, text, width) in [
                (columns.bytes, bytes, BYTES),
                (columns.rate, rate, RATE),
                (columns.eta, eta, columns.eta_width),
            ] {
                if shown {
                    spans.push(Span::raw(" "));
                    spans.push(Span::styled(pad(&text, width), pick(t.muted)));
                }
            }
        }
    }
    spans.push(Span::raw(" "));
    spans.push(Span::styled(
        pad(&fit(&state_text(app.lang, tr), columns.state), columns.state),
        pick(state_style(t, &tr.state)),
    ));
    Line::from(spans).style(row_style)
}

/// What a running transfer is doing when it is not simply receiving bytes
/// (verifying a partial file has a row of its own).
fn note(lang: crate::i18n::Lang, progress: &Progress) -> Option<String> {
    if let Some(retry) = &progress.retry_note {
        return Some(retry.clone());
    }
    progress
        .resumed
        .map(|(offset, _)| crate::tr!(lang, "downloads-resuming-at", size = format::bytes_in(lang, offset)))
}

/// The width of the state column in `lang`: its longest state word, at least [`STATE`].
fn state_width(lang: crate::i18n::Lang) -> usize {
    let plain = [
        "running",
        "queued",
        "done",
        "failed",
        "cancelled",
        "verifying",
        "retrying",
        "resuming",
    ];
    let longest = plain
        .iter()
        .map(|label| fit::width(&lang.t(&format!("state-{label}"))))
        .chain([fit::width(&crate::tr!(lang, "state-failed-times", tries = 9))])
        .max()
        .unwrap_or(0);
    longest.max(STATE)
}

/// The state column: what the transfer is doing, in at most [`Columns::state`] columns.
fn state_text(lang: crate::i18n::Lang, tr: &Transfer) -> String {
    match &tr.state {
        TransferState::Running(p) if p.verifying.is_some() => crate::tr!(lang, "state-verifying"),
        TransferState::Running(p) if p.retry_note.is_some() => crate::tr!(lang, "state-retrying"),
        TransferState::Running(p) if p.resumed.is_some() => crate::tr!(lang, "state-resuming"),
        TransferState::Failed { .. } if (2..10).contains(&tr.tries) => {
            crate::tr!(lang, "state-failed-times", tries = tr.tries)
        }
        state => lang.t(&format!("state-{}", state.label())),
    }
}

fn tone(t: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Info => t.info,
        Tone::Warn => t.warn,
        Tone::Error => t.error,
        Tone::Muted => t.muted,
    }
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
            Span::styled(empty.repeat(width.saturating_sub(2)), t.gauge_empty),
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

/// "3 done", "3 hechas": how many downloads are in the state `label`, its
/// word agreeing with the count.
fn state_count(lang: Lang, label: &str, count: usize) -> String {
    let n = format::thousands_in(lang, count);
    match label {
        "running" => crate::tr!(lang, "downloads-running", count = count, n = n),
        "queued" => crate::tr!(lang, "downloads-queued", count = count, n = n),
        "done" => crate::tr!(lang, "downloads-done", count = count, n = n),
        "failed" => crate::tr!(lang, "downloads-failed", count = count, n = n),
        _ => crate::tr!(lang, "downloads-cancelled", count = count, n = n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_wins_room_before_bytes_rate_and_eta() {
        // 80 columns: a pane 76 wide inside.
        let c = Columns::new_in(crate::i18n::Lang::En, 76, 23);
        assert!(c.name >= 25 && c.bytes && !c.rate && !c.eta, "{c:?}");
        // 90 columns.
        let c = Columns::new_in(crate::i18n::Lang::En, 86, 23);
        assert!(c.name >= 25 && c.bytes && c.rate && !c.eta, "{c:?}");
        // 120 columns: everything, and the wide bar.
        let c = Columns::new_in(crate::i18n::Lang::En, 116, 23);
        assert!(c.bytes && c.rate && c.eta && c.bar == BAR_WIDE, "{c:?}");
        // 60 columns: the name and the bar, the percentage and the state.
        let c = Columns::new_in(crate::i18n::Lang::En, 56, 23);
        assert!(c.name >= 25 && !c.bytes, "{c:?}");
        for width in 56..200 {
            let c = Columns::new_in(crate::i18n::Lang::En, width, 200);
            let used = c.name + 1 + c.bar + 1 + PCT + 1 + STATE + c.details() + usize::from(c.details() > 0);
            assert_eq!(used, width, "{c:?} at {width}");
        }
    }

    #[test]
    fn spanish_state_and_eta_columns_hold_their_longest_words_and_english_keeps_its_widths() {
        use crate::i18n::Lang;
        let en = Columns::new_in(Lang::En, 116, 23);
        assert_eq!((en.state, en.eta_width), (STATE, ETA));
        let es = Columns::new_in(Lang::Es, 116, 23);
        assert_eq!(es.state, fit::width("reintentando"));
        assert_eq!(es.eta_width, fit::width("quedan 3m 05s"));
        for width in 56..200 {
            let c = Columns::new_in(Lang::Es, width, 200);
            let used = c.name + 1 + c.bar + 1 + PCT + 1 + c.state + c.details() + usize::from(c.details() > 0);
            assert_eq!(used, width, "{c:?} at {width}");
        }
        // 80 columns: the name still has its room beside the bytes.
        let c = Columns::new_in(Lang::Es, 76, 23);
        assert!(c.name >= 25 && c.bytes, "{c:?}");
    }
}
