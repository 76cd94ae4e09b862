//! Text in a given number of terminal columns: cut with `…` (never silently),
//! padded, or wrapped at spaces. Widths are display widths, so wide (CJK)
//! characters count two.

use ratatui::text::Span;

/// The display width of `text`.
pub(crate) fn width(text: &str) -> usize {
    Span::raw(text).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// `text` in at most `columns` columns; a cut ends in `…`.
pub(crate) fn fit(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_string();
    }
    if columns == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > columns {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` in exactly `columns` columns: cut with `…`, or padded with spaces.
pub(crate) fn pad(text: &str, columns: usize) -> String {
    let mut out = fit(text, columns);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(used)));
    out
}

/// `text` right-aligned in exactly `columns` columns (cut with `…` when longer).
pub(crate) fn pad_left(text: &str, columns: usize) -> String {
    let out = fit(text, columns);
    let used = width(&out);
    let mut padded: String = std::iter::repeat_n(' ', columns.saturating_sub(used)).collect();
    padded.push_str(&out);
    padded
}

/// `text` in lines of at most `columns` columns, broken at spaces (a word
/// longer than a line is broken where the line ends).
pub(crate) fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        if used > 0 && used + 1 + w <= columns {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > columns && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// [`wrap`] into at most `max_lines` lines; the last one shown ends in `…` when some are left out.
pub(crate) fn wrap_lines(text: &str, columns: usize, max_lines: usize) -> Vec<String> {
    let mut lines = wrap(text, columns);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let mut cut = fit(last, columns.saturating_sub(1));
            if !cut.ends_with('…') {
                cut.push('…');
            }
            *last = cut;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_is_marked() {
        assert_eq!(fit("Invoice_001.pdf", 20), "Invoice_001.pdf");
        assert_eq!(fit("Invoice_001.pdf", 8), "Invoice…");
        assert_eq!(fit("Invoice_001.pdf", 1), "…");
        assert_eq!(fit("Invoice_001.pdf", 0), "");
        assert_eq!(fit("請求書_2024.pdf", 7), "請求書…");
        assert_eq!(width(&fit("請求書_2024.pdf", 6)), 5, "a wide character never overflows");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("abcdef", 4), "abc…");
        assert_eq!(pad_left("7%", 4), "  7%");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(
            wrap("saved /a/b.pdf · sha256 0123456789", 16),
            ["saved /a/b.pdf ·", "sha256", "0123456789"]
        );
        assert_eq!(wrap("0123456789abc", 5), ["01234", "56789", "abc"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap_lines("one two three four", 9, 2), ["one two", "three…"]);
        for line in wrap("x ".repeat(50).as_str(), 7) {
            assert!(width(&line) <= 7, "{line:?}");
        }
    }
}
