//! Text in a given number of terminal columns: cut with `…` (never silently). Widths are display widths, so wide (CJK)
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
    }
}
