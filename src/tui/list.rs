//! A selection in a list, and the scroll offset that keeps it in view.
//!
//! Both are state `App::update` keeps: it knows how many rows a list shows
//! from the layout (`tui::layout`), so PgUp/PgDn move by what the user sees
//! whether or not a frame was drawn since the terminal last changed size.

use std::ops::Range;

/// A selected row in a list, and the first visible row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ListCursor {
    selected: usize,
    offset: usize,
}

/// A move in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    /// One row up.
    Up,
    /// One row down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// The first row.
    Home,
    /// The last row.
    End,
}

impl ListCursor {
    /// The selected row (0 when the list is empty).
    pub(crate) fn selected(&self) -> usize {
        self.selected
    }

    /// Selects `row`, clamped to a list of `len` rows.
    pub(crate) fn select(&mut self, row: usize, len: usize) {
        self.selected = row.min(len.saturating_sub(1));
    }

    /// Applies a move in a list of `len` rows of which `rows` are visible; a
    /// page is the visible rows less one, so a row of the last page stays in view.
    pub(crate) fn apply(&mut self, mv: Move, len: usize, rows: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let page = rows.saturating_sub(1).max(1);
        let last = len - 1;
        self.selected = match mv {
            Move::Up => self.selected.saturating_sub(1),
            Move::Down => (self.selected + 1).min(last),
            Move::PageUp => self.selected.saturating_sub(page),
            Move::PageDown => (self.selected + page).min(last),
            Move::Home => 0,
            Move::End => last,
        }
        .min(last);
        self.scroll(len, rows);
    }

    /// Scrolls a view of `len` lines of which `rows` show (a text rather than
    /// a list: the move is of the first line shown, at once, and the last
    /// page stays full).
    pub(crate) fn scroll_view(&mut self, mv: Move, len: usize, rows: usize) {
        let last = len.saturating_sub(rows);
        let top = self.offset.min(last);
        let page = rows.saturating_sub(1).max(1);
        let top = match mv {
            Move::Up => top.saturating_sub(1),
            Move::Down => (top + 1).min(last),
            Move::PageUp => top.saturating_sub(page),
            Move::PageDown => (top + page).min(last),
            Move::Home => 0,
            Move::End => last,
        };
        self.selected = top;
        self.offset = top;
    }

    /// The first line shown of a view of `len` lines of which `rows` show
    /// (see [`ListCursor::scroll_view`]).
    pub(crate) fn top(&self, len: usize, rows: usize) -> usize {
        self.offset.min(len.saturating_sub(rows))
    }

    /// Back to the top.
    pub(crate) fn reset(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }

    /// Moves the offset as little as possible to keep the selection among the
    /// `rows` visible rows of a list of `len` (nothing while no row is visible).
    pub(crate) fn scroll(&mut self, len: usize, rows: usize) {
        if rows > 0 {
            self.offset = self.window(len, rows).start;
        }
    }

    /// The rows to draw in a window of `rows` rows: from the offset, moved as
    /// little as possible to keep the selection in view.
    pub(crate) fn window(&self, len: usize, rows: usize) -> Range<usize> {
        if rows == 0 || len == 0 {
            return 0..0;
        }
        let selected = self.selected.min(len - 1);
        let mut offset = self.offset.min(len.saturating_sub(rows));
        if selected < offset {
            offset = selected;
        } else if selected >= offset + rows {
            offset = selected + 1 - rows;
        }
        offset..(offset + rows).min(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_inside_the_list() {
        let mut c = ListCursor::default();
        c.apply(Move::Up, 5, 3);
        assert_eq!(c.selected(), 0);
        c.apply(Move::End, 5, 3);
        assert_eq!(c.selected(), 4);
        c.apply(Move::Down, 5, 3);
        assert_eq!(c.selected(), 4);
        c.apply(Move::Home, 5, 0);
        c.apply(Move::PageDown, 5, 0);
        assert_eq!(c.selected(), 1, "a page is at least one row");
        c.apply(Move::Down, 0, 3);
        assert_eq!(c.selected(), 0);
    }

    #[test]
    fn the_window_follows_the_selection() {
        let mut c = ListCursor::default();
        assert_eq!(c.window(100, 10), 0..10);
        c.apply(Move::PageDown, 100, 10);
        assert_eq!(c.selected(), 9);
        assert_eq!(c.window(100, 10), 0..10);
        c.apply(Move::Down, 100, 10);
        assert_eq!(c.window(100, 10), 1..11);
        c.apply(Move::End, 100, 10);
        assert_eq!(c.window(100, 10), 90..100);
        c.apply(Move::PageUp, 100, 10);
        assert_eq!(c.selected(), 90);
        assert_eq!(c.window(100, 10), 90..100);
        c.apply(Move::PageUp, 100, 10);
        assert_eq!(c.window(100, 10), 81..91);
        assert_eq!(c.window(3, 10), 0..3);
    }

    #[test]
    fn a_view_scrolls_at_once_and_keeps_its_last_page_full() {
        let mut c = ListCursor::default();
        c.scroll_view(Move::Down, 24, 7);
        assert_eq!(c.top(24, 7), 1, "the first key scrolls");
        assert_eq!(c.window(24, 7), 1..8);
        c.scroll_view(Move::End, 24, 7);
        assert_eq!(c.top(24, 7), 17);
        c.scroll_view(Move::Down, 24, 7);
        assert_eq!(c.top(24, 7), 17);
        c.scroll_view(Move::PageUp, 24, 7);
        assert_eq!(c.top(24, 7), 11);
        assert_eq!(c.top(24, 30), 0, "a taller view shows it all");
        c.scroll_view(Move::Down, 5, 7);
        assert_eq!(c.top(5, 7), 0, "nothing to scroll");
    }

    #[test]
    fn drawing_a_window_changes_nothing() {
        let mut c = ListCursor::default();
        c.apply(Move::End, 100, 10);
        let before = c.clone();
        assert_eq!(c.window(100, 5), 95..100);
        assert_eq!(c, before);
    }
}
