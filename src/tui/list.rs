//! A selection in a list, with the scroll offset the view keeps.

use std::cell::Cell;

/// A selected row in a list of `len` rows, and the first visible row.
///
/// The scroll offset and the page height are written by the view while drawing
/// (through `Cell`s, since drawing takes `&App`), so that PgUp/PgDn move by what
/// the user actually sees.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCursor {
    selected: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

/// A move in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
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
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Selects `row`, clamped to a list of `len` rows.
    pub fn select(&mut self, row: usize, len: usize) {
        self.selected = row.min(len.saturating_sub(1));
    }

    /// Applies a move in a list of `len` rows.
    pub fn apply(&mut self, mv: Move, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let page = self.page.get().max(1);
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
    }

    /// Clamps the selection after the list changed to `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// Back to the top.
    pub fn reset(&mut self) {
        self.selected = 0;
        self.offset.set(0);
    }

    /// The rows to draw in a window of `height` rows: the first visible row, with the
    /// offset moved as little as possible to keep the selection in view.
    pub fn visible(&self, len: usize, height: usize) -> std::ops::Range<usize> {
        self.page.set(height.saturating_sub(1).max(1));
        if height == 0 || len == 0 {
            return 0..0;
        }
        let selected = self.selected.min(len - 1);
        let mut offset = self.offset.get().min(len.saturating_sub(height));
        if selected < offset {
            offset = selected;
        } else if selected >= offset + height {
            offset = selected + 1 - height;
        }
        self.offset.set(offset);
        offset..(offset + height).min(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_inside_the_list() {
        let mut c = ListCursor::default();
        c.apply(Move::Up, 5);
        assert_eq!(c.selected(), 0);
        c.apply(Move::End, 5);
        assert_eq!(c.selected(), 4);
        c.apply(Move::Down, 5);
        assert_eq!(c.selected(), 4);
        c.apply(Move::Home, 5);
        c.apply(Move::PageDown, 5);
        assert_eq!(c.selected(), 1, "page is 1 before anything was drawn");
        c.apply(Move::Down, 0);
        assert_eq!(c.selected(), 0);
    }

    #[test]
    fn the_window_follows_the_selection() {
        let mut c = ListCursor::default();
        assert_eq!(c.visible(100, 10), 0..10);
        c.apply(Move::PageDown, 100);
        assert_eq!(c.selected(), 9);
        assert_eq!(c.visible(100, 10), 0..10);
        c.apply(Move::Down, 100);
        assert_eq!(c.visible(100, 10), 1..11);
        c.apply(Move::End, 100);
        assert_eq!(c.visible(100, 10), 90..100);
        c.apply(Move::PageUp, 100);
        assert_eq!(c.selected(), 90);
        assert_eq!(c.visible(100, 10), 90..100);
        c.apply(Move::PageUp, 100);
        assert_eq!(c.visible(100, 10), 81..91);
        assert_eq!(c.visible(3, 10), 0..3);
    }
}
