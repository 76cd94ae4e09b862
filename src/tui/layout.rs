//! Where everything goes on the screen: a pure function of the terminal's size
//! and the state, used by the view to draw and by `App::update` to know how
//! many rows each list shows (so PgUp/PgDn and scrolling never wait for a draw).

use super::app::{App, Focus, Lookup};
use super::fit;
use super::keymap::Action;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Padding};

/// The smallest terminal the panes fit in; below it a one-line message shows.
pub(crate) const MIN_SIZE: (u16, u16) = (60, 16);

/// Below this width the panes stack instead of sitting side by side.
const WIDE: u16 = 80;

/// The rectangles of a screen the panes fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Panes {
    /// The top bar.
    pub(crate) top: Rect,
    /// The search box.
    pub(crate) search: Rect,
    /// The recent processes or the watched ones ([`App::shows_watched`]),
    /// when shown (a narrow screen shows them or the process).
    pub(crate) recent: Option<Rect>,
    /// The process pane, when shown.
    pub(crate) process: Option<Rect>,
    /// The documents table.
    pub(crate) documents: Rect,
    /// The preview of the selected document, while shown (`p`): beside the
    /// documents, or below them when they are narrow.
    pub(crate) preview: Option<Rect>,
    /// The downloads.
    pub(crate) downloads: Rect,
    /// The hint line.
    pub(crate) hint: Rect,
    /// Whether the panes sit side by side (and tables show every column).
    pub(crate) wide: bool,
}

/// The panes of a screen of `area`, or `None` when it is too small for them.
pub(crate) fn panes(area: Rect, app: &App) -> Option<Panes> {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let [top, body, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(hint_height(app, area.width)),
    ])
    .areas(area);
    if area.width >= WIDE {
        // The downloads get more rows while they have the focus.
        let lower = if app.focus == Focus::Downloads {
            (body.height / 3).clamp(7, 12)
        } else if app.preview.open {
            (body.height / 5).clamp(4, 8)
        } else {
            (body.height / 4).clamp(4, 8)
        };
        let [_, right] = Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(body);
        let upper = if app.preview.open && app.focus == Focus::Documents {
            // The search box and the process's first lines: the preview has the room.
            PREVIEW_UPPER
        } else {
            grown(
                (body.height / 3).clamp(8, 12),
                process_wants(app, right.width),
                body.height.saturating_sub(lower),
                documents_want(app),
            )
        };
        let [upper_area, documents, downloads] = Layout::vertical([
            Constraint::Length(upper),
            Constraint::Fill(1),
            Constraint::Length(lower),
        ])
        .areas(body);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(upper_area);
        let [search, recent] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(left);
        let (documents, preview) = split_preview(documents, app);
        return Some(Panes {
            top,
            search,
            recent: Some(recent),
            process: Some(right),
            documents,
            preview,
            downloads,
            hint,
            wide: true,
        });
    }
    // The table gets the room when it (or the downloads) has the focus; on
    // a short screen the pane above it keeps one line.
    let short = body.height < 18;
    let middle = match (matches!(app.focus, Focus::Documents | Focus::Downloads), short) {
        (true, true) => 3,
        (true, false) => 4,
        (false, true) => 4,
        (false, false) => (body.height / 3).max(5),
    };
    let lower = match (app.focus == Focus::Downloads, short) {
        // All but the search box, one line above and one row of documents.
        (true, true) => body.height.saturating_sub(9).max(4),
        (true, false) => (body.height / 3).max(5),
        (false, true) => 3,
        (false, false) => (body.height / 4).max(4),
    };
    let middle = if app.focus == Focus::Process {
        grown(
            middle,
            process_wants(app, body.width),
            body.height.saturating_sub(3 + lower),
            documents_want(app),
        )
    } else {
        middle
    };
    let [search, top_pane, documents, downloads] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(middle),
        Constraint::Fill(1),
        Constraint::Length(lower),
    ])
    .areas(body);
    let show_recent = app.showing_matches()
        || matches!(app.focus, Focus::Search | Focus::Recent | Focus::Watched)
            && app.current.is_none()
            && app.choices.is_empty()
            && app.search_error.is_none()
            && !matches!(app.lookup, Lookup::Loading { .. } | Lookup::Failed { .. });
    let (recent, process) = if show_recent || matches!(app.focus, Focus::Recent | Focus::Watched) {
        (Some(top_pane), None)
    } else {
        (None, Some(top_pane))
    };
    let (documents, preview) = split_preview(documents, app);
    Some(Panes {
        top,
        search,
        recent,
        process,
        documents,
        preview,
        downloads,
        hint,
        wide: false,
    })
}

/// The narrowest documents pane the preview sits beside; a narrower one has it below.
const PREVIEW_BESIDE: u16 = 80;

/// The rows above the documents while the preview is shown and they have the
/// focus: the search box and one recent process, the process's status and name.
const PREVIEW_UPPER: u16 = 6;

/// The documents pane and, while the preview is shown, the preview's pane
/// beside it (or below it when the pane is narrow).
fn split_preview(documents: Rect, app: &App) -> (Rect, Option<Rect>) {
    if !app.preview.open {
        return (documents, None);
    }
    let (list, preview) = if documents.width >= PREVIEW_BESIDE {
        let [list, preview] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(documents);
        (list, preview)
    } else {
        let [list, preview] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(documents);
        (list, preview)
    };
    (list, Some(preview))
}

/// The fewest rows the documents pane keeps under a process pane that grows:
/// its borders, its header and four documents.
const DOCUMENTS_KEEP: u16 = 7;

/// The upper panes' height: `base` rows, or more when the process pane
/// `wants` them, out of `room` rows shared with the documents, which keep
/// what they want up to half the room (and [`DOCUMENTS_KEEP`] at least).
fn grown(base: u16, wants: u16, room: u16, documents: u16) -> u16 {
    let keep = documents.clamp(DOCUMENTS_KEEP, (room / 2).max(DOCUMENTS_KEEP));
    wants.min(room.saturating_sub(keep)).max(base)
}

/// How tall the process pane of `width` columns would be to show everything, borders included.
fn process_wants(app: &App, width: u16) -> u16 {
    let above = lookup_lines(app, inside(Rect::new(0, 0, width, 3)).width as usize);
    let content = if !app.choices.is_empty() {
        1 + app.choices.len()
    } else if app.current.is_some() {
        app.detail_lines()
    } else {
        2
    };
    u16::try_from(above + content + 2).unwrap_or(u16::MAX)
}

/// How tall the documents pane would be to show every row, borders included.
fn documents_want(app: &App) -> u16 {
    let docs = &app.documents;
    let filter = docs.filtering || !docs.filter.value().is_empty();
    let rows = if app.current.is_some() {
        1 + docs.rows().len()
    } else {
        1
    };
    u16::try_from(2 + usize::from(filter) + rows).unwrap_or(u16::MAX)
}

/// The most rows a message on the hint line takes.
const MESSAGE_ROWS: usize = 3;

/// The hint line's text while a message (the session's, else the last action's)
/// replaces the hints, one line a row of `width` columns.
pub(crate) fn hint_message(app: &App, width: u16) -> Option<Vec<String>> {
    let notice = app.sessions.notice.as_ref().or(app.hint_notice.as_ref())?;
    let mut lines = fit::wrap(
        &crate::text::safe_line(&notice.text, 300),
        (width as usize).saturating_sub(2),
    );
    if lines.len() > MESSAGE_ROWS {
        lines.truncate(MESSAGE_ROWS);
        if let Some(last) = lines.last_mut() {
            *last = fit::fit(&format!("{last}…"), (width as usize).saturating_sub(2));
        }
    }
    Some(lines)
}

/// The hint line's rows: one, or a message's.
fn hint_height(app: &App, width: u16) -> u16 {
    hint_message(app, width).map_or(1, |lines| lines.len().max(1) as u16)
}

/// A pane's inside: its rounded border and one column of padding each side.
pub(crate) fn inside(pane: Rect) -> Rect {
    Block::bordered().padding(Padding::horizontal(1)).inner(pane)
}

/// Whether the watched list, `rows` high inside, has a header row: not when
/// it would leave one row or none.
pub(crate) fn watched_header(rows: usize) -> bool {
    rows >= 3
}

/// The documents pane's filter row (while it is shown) and its table, inside the pane.
pub(crate) fn documents_areas(inner: Rect, app: &App) -> (Option<Rect>, Rect) {
    let docs = &app.documents;
    if app.current.is_some() && (docs.filtering || !docs.filter.value().is_empty()) {
        let [filter, table] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        (Some(filter), table)
    } else {
        (None, inner)
    }
}

/// Whether the documents table has a header row: not when the header would
/// leave it no more than one row.
pub(crate) fn documents_header(table: Rect) -> bool {
    table.height >= 3
}

/// The downloads pane's rows and, when what it has to say (see
/// `App::downloads_detail`) gets lines of its own rather than the bottom
/// border, those lines (always leaving the rows at least one).
pub(crate) fn downloads_areas(pane: Rect, app: &App) -> (Rect, Option<Rect>) {
    let inner = inside(pane);
    let Some(detail) = app.downloads_detail().filter(|d| d.wrap) else {
        return (inner, None);
    };
    if fit::width(&detail.text) + 2 <= border_room(pane) {
        return (inner, None);
    }
    let lines = fit::wrap(&detail.text, inner.width as usize).len() as u16;
    let lines = lines.min(inner.height.saturating_sub(1));
    if lines == 0 {
        return (inner, None);
    }
    let [rows, detail] = Layout::vertical([Constraint::Fill(1), Constraint::Length(lines)]).areas(inner);
    (rows, Some(detail))
}

/// The columns a title on a pane's border has: all but the corners.
pub(crate) fn border_room(pane: Rect) -> usize {
    pane.width.saturating_sub(2) as usize
}

/// The rows above the process details or the chooser, `width` columns wide:
/// the search's error or the failed lookup's lines, wrapped, and a blank
/// line before the process still shown.
pub(crate) fn lookup_lines(app: &App, width: usize) -> usize {
    let lines = app.lookup_lines();
    if lines.is_empty() {
        return 0;
    }
    let wrapped: usize = lines.iter().map(|(_, text)| fit::wrap(text, width).len()).sum();
    wrapped + usize::from(app.current.is_some())
}

/// The help overlay's table: its columns and each action's description,
/// wrapped onto at most two rows, for a screen of a given size.
pub(crate) struct HelpTable {
    /// Where the overlay goes.
    pub(crate) rect: Rect,
    /// The keys of each action, in [`Action::ALL`] order.
    pub(crate) keys: Vec<String>,
    /// Where each action works, empty when the table is too narrow for that column.
    pub(crate) places: Vec<String>,
    /// Each action's description, one entry a row (a longer one is cut, marked).
    pub(crate) descriptions: Vec<Vec<String>>,
    /// The widths of the key and place columns (0 when places are not shown).
    pub(crate) keys_width: usize,
    /// See `keys_width`.
    pub(crate) place_width: usize,
    /// The lines below the table's heading.
    pub(crate) room: usize,
    /// How many of the last actions fit: the help scrolls no further than to show them.
    pub(crate) rows: usize,
}

/// The help overlay's table on a screen of `area`.
pub(crate) fn help_table(app: &App, area: Rect) -> HelpTable {
    let width = 76.min(area.width.saturating_sub(4));
    let inner_width = usize::from(width.saturating_sub(4));
    let wide = inner_width >= 66;
    let keys: Vec<String> = Action::ALL.iter().map(|a| app.keymap.keys_for(*a).join("  ")).collect();
    let places: Vec<String> = if wide {
        Action::ALL.iter().map(|a| app.lang.place(a.place())).collect()
    } else {
        Vec::new()
    };
    // The key and place columns are as wide as their longest text and heading, within bounds.
    let widest = |texts: &[String], header: String, max: usize| {
        texts
            .iter()
            .map(|text| fit::width(text))
            .chain([fit::width(&header)])
            .max()
            .unwrap_or(0)
            .min(max)
    };
    let keys_width = widest(&keys, crate::tr!(app.lang, "help-col-keys"), 16);
    let place_width = if wide {
        widest(&places, crate::tr!(app.lang, "help-col-where"), 22)
    } else {
        0
    };
    let fixed = keys_width + if wide { place_width + 4 } else { 2 };
    let described = inner_width.saturating_sub(fixed);
    let descriptions: Vec<Vec<String>> = Action::ALL
        .iter()
        .map(|action| fit::wrap_lines(&action.describe_in(app.lang), described, 2))
        .collect();
    let heights: Vec<usize> = descriptions.iter().map(Vec::len).collect();
    let total = u16::try_from(heights.iter().sum::<usize>()).unwrap_or(u16::MAX);
    let rect = centered(area, width, total.saturating_add(4).min(area.height.saturating_sub(2)));
    let room = (inside(rect).height as usize).saturating_sub(1);
    HelpTable {
        rect,
        keys,
        places,
        descriptions,
        keys_width,
        place_width,
        room,
        rows: rows_at_the_end(&heights, room),
    }
}

/// How many of the last rows fit in `room` lines when row `i` takes
/// `heights[i]` lines: how far the help scrolls, so that the last row can be
/// brought into view.
fn rows_at_the_end(heights: &[usize], room: usize) -> usize {
    let mut used = 0;
    let fitting = heights
        .iter()
        .rev()
        .take_while(|&&height| {
            used += height;
            used <= room
        })
        .count();
    fitting.max(usize::from(room > 0 && !heights.is_empty()))
}

/// Where the profile chooser goes on a screen of `area`, for `profiles` profiles.
pub(crate) fn profiles_rect(area: Rect, profiles: usize) -> Rect {
    let width = 48.min(area.width.saturating_sub(4));
    let height = (profiles.min(u16::MAX as usize) as u16).saturating_add(2);
    centered(area, width, height.min(area.height.saturating_sub(2)))
}

/// A rectangle of at most `width`×`height` centred in `area`.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// How many rows each list shows on a screen of `area` (0 for a list not on it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ListRows {
    /// The recent processes.
    pub(crate) recent: usize,
    /// The watched processes (without their header).
    pub(crate) watched: usize,
    /// The processes a name matched.
    pub(crate) choices: usize,
    /// The process details' lines.
    pub(crate) details: usize,
    /// The documents table (without its header).
    pub(crate) documents: usize,
    /// The downloads.
    pub(crate) downloads: usize,
    /// The help overlay's actions the view scrolls by (0 while it is hidden).
    pub(crate) help: usize,
    /// The profile chooser.
    pub(crate) profiles: usize,
    /// The preview's lines (0 while it is hidden).
    pub(crate) preview: usize,
    /// The preview's columns (0 while it is hidden).
    pub(crate) preview_width: usize,
    /// The cells (columns, rows) a picture in the preview is drawn into.
    pub(crate) picture: (u16, u16),
    /// The cells a PDF's first page is drawn into ((0, 0): no room for one).
    pub(crate) page: (u16, u16),
}

/// The rows of every list on a screen of `area`.
pub(crate) fn list_rows(area: Rect, app: &App) -> ListRows {
    let Some(panes) = panes(area, app) else {
        return ListRows::default();
    };
    let rows = |rect: Option<Rect>| rect.map_or(0, |r| inside(r).height as usize);
    let above = panes.process.map_or(0, |r| lookup_lines(app, inside(r).width as usize));
    let process = rows(panes.process);
    ListRows {
        recent: rows(panes.recent),
        watched: match panes.recent {
            Some(rect) if app.shows_watched() => {
                let inner = inside(rect).height as usize;
                inner.saturating_sub(usize::from(watched_header(inner)))
            }
            _ => 0,
        },
        choices: process.saturating_sub(above + 1),
        details: process.saturating_sub(above),
        documents: {
            let table = documents_areas(inside(panes.documents), app).1;
            (table.height as usize).saturating_sub(usize::from(documents_header(table)))
        },
        downloads: downloads_areas(panes.downloads, app).0.height as usize,
        // The help's table is laid out only while it shows (it words every action).
        help: if app.help.is_some() {
            help_table(app, area).rows
        } else {
            0
        },
        profiles: inside(profiles_rect(area, app.sessions.profiles.len())).height as usize,
        preview: panes.preview.map_or(0, |r| preview_parts(r, app).1.height as usize),
        preview_width: panes.preview.map_or(0, |r| preview_parts(r, app).1.width as usize),
        picture: panes.preview.map_or((0, 0), |r| {
            let area = preview_picture_area(r);
            (area.width, area.height)
        }),
        page: panes
            .preview
            .and_then(|r| preview_page_split(r).0)
            .map_or((0, 0), |r| (r.width, r.height)),
    }
}

/// Where the preview's text goes inside its pane.
pub(crate) fn preview_text_area(pane: Rect) -> Rect {
    inside(pane)
}

/// The summary lines above a picture: its kind, a blank line, its size.
pub(crate) const PICTURE_TOP: u16 = 3;

/// Where a picture goes inside the preview's pane: under its summary.
pub(crate) fn preview_picture_area(pane: Rect) -> Rect {
    let text = preview_text_area(pane);
    let top = PICTURE_TOP.min(text.height);
    Rect::new(text.x, text.y + top, text.width, text.height - top)
}

/// The fewest columns a summary beside a drawn page keeps (its own layout's width).
const PAGE_TEXT_MIN: u16 = 40;

/// The fewest columns and rows a drawn page gets; a smaller pane shows the summary alone.
const PAGE_MIN: (u16, u16) = (16, 8);

/// Where a PDF's drawn first page and its summary go inside the preview's
/// pane: the page beside the summary when that leaves the summary
/// [`PAGE_TEXT_MIN`] columns, else above it in the top half; no page when
/// neither gives it [`PAGE_MIN`].
pub(crate) fn preview_page_split(pane: Rect) -> (Option<Rect>, Rect) {
    let inner = preview_text_area(pane);
    // An upright page is about 1.5 columns a row in cells twice as tall as wide.
    let beside = inner
        .width
        .saturating_sub(PAGE_TEXT_MIN + 1)
        .min(inner.height.saturating_mul(3) / 2);
    if beside >= PAGE_MIN.0 && inner.height >= PAGE_MIN.1 {
        let page = Rect::new(inner.x, inner.y, beside, inner.height);
        let text = Rect::new(inner.x + beside + 1, inner.y, inner.width - beside - 1, inner.height);
        return (Some(page), text);
    }
    let above = inner.height / 2;
    if above >= PAGE_MIN.1 && inner.width >= PAGE_MIN.0 {
        let page = Rect::new(inner.x, inner.y, inner.width, above);
        let text = Rect::new(inner.x, inner.y + above, inner.width, inner.height - above);
        return (Some(page), text);
    }
    (None, inner)
}

/// The preview's drawn page (when it shows a PDF's page made for these
/// cells) and where its text goes.
pub(crate) fn preview_parts(pane: Rect, app: &App) -> (Option<Rect>, Rect) {
    let (page, text) = preview_page_split(pane);
    let shown = matches!(&app.preview.state, super::app::PreviewState::Ready(ready)
        if ready.previewed.report.kind != crate::inspect::Kind::Image
            && ready.previewed.picture.as_ref().is_some_and(|p| page.is_some_and(|r| p.cells == (r.width, r.height))));
    if shown {
        (page, text)
    } else {
        (None, preview_text_area(pane))
    }
}
