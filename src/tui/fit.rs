//! Fitting text into columns: cutting it with `…` and wrapping it at words.
//! Both measure what the terminal shows (a CJK character takes two columns),
//! and the layout and the view use the same functions, so the rows the layout
//! counts are the rows the view draws.

use ratatui::text::Span;

/// The columns `text` takes on a terminal.
pub(crate) fn width(text: &str) -> usize {
    Span::raw(text).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// `text` cut to at most `columns` columns, its end replaced by `…` when cut.
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

/// `text` wrapped at spaces into lines of at most `columns` columns (a word
/// longer than a line is broken); a text that fits is one line, unchanged.
pub(crate) fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    if width(text) <= columns {
        return vec![text.to_string()];
    }
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
        if w <= columns {
            line.push_str(word);
            used = w;
            continue;
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
    fn a_cut_is_marked_and_fits() {
        assert_eq!(fit("Ana Weber", 20), "Ana Weber");
        assert_eq!(fit("Ana Weber", 9), "Ana Weber");
        assert_eq!(fit("Ana Weber", 8), "Ana Web…");
        assert_eq!(fit("Ana", 1), "…");
        assert_eq!(fit("Ana", 0), "");
        assert_eq!(fit("請求書です", 5), "請求…");
        assert!(width(&fit("請求書です", 5)) <= 5);
    }

    #[test]
    fn wrapping_keeps_words_and_breaks_only_what_is_too_long() {
        assert_eq!(
            wrap("check the spelling, or search by id", 20),
            ["check the spelling,", "or search by id"]
        );
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a  b", 10), ["a  b"], "a line that fits is kept as it is");
        assert_eq!(wrap("a  b  c", 3), ["a b", "c"]);
        for line in wrap("Счёт № 5 — 請求書 and more words here", 7) {
            assert!(width(&line) <= 7, "{line}");
        }
    }
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
