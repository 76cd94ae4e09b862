//! Words of a searchable text, as the search sees them: a text splits at
//! anything that is neither a letter nor a digit and where letters meet
//! digits (`Invoice_2024-0042.pdf` is `invoice`, `2024`, `0042`, `pdf`), and
//! each word is lower-cased. A word carries a mask of the characters in it,
//! so a query word whose characters a word lacks is passed over without
//! running the matcher.

/// The longest word kept, in characters; the rest of a longer one is dropped.
pub(crate) const MAX_WORD_CHARS: usize = 64;

/// Calls `each` with every word of `text`, lower-cased, and its mask.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut each: impl FnMut(&str, u64)) {
    buf.clear();
    let mut mask = 0u64;
    let mut chars = 0usize;
    let mut last_digit = false;
    let mut flush = |buf: &mut String, mask: &mut u64, chars: &mut usize| {
        if !buf.is_empty() {
            each(buf, *mask);
        }
        buf.clear();
        *mask = 0;
        *chars = 0;
    };
    for c in text.chars() {
        let (ascii, digit) = if c.is_ascii() {
            if !c.is_ascii_alphanumeric() {
                flush(buf, &mut mask, &mut chars);
                continue;
            }
            (true, c.is_ascii_digit())
        } else {
            if !c.is_alphanumeric() {
                flush(buf, &mut mask, &mut chars);
                continue;
            }
            (false, c.is_numeric())
        };
        if chars > 0 && digit != last_digit {
            flush(buf, &mut mask, &mut chars);
        }
        last_digit = digit;
        if chars >= MAX_WORD_CHARS {
            continue;
        }
        if ascii {
            let lower = c.to_ascii_lowercase();
            buf.push(lower);
            mask |= ascii_bit(lower);
        } else {
            for lower in c.to_lowercase() {
                buf.push(lower);
                mask |= char_bit(lower);
            }
        }
        chars += 1;
    }
    flush(buf, &mut mask, &mut chars);
}

/// The mask bit of a lower-case character: one per ASCII letter and digit,
/// the rest shared in buckets. Accented Latin letters count as their base
/// letter, as the matcher's normalisation does.
pub(crate) fn char_bit(c: char) -> u64 {
    if c.is_ascii() {
        return ascii_bit(c);
    }
    ascii_bit(nucleo_matcher::chars::normalize(c))
}

/// The bit of a character already normalised (see [`char_bit`]).
fn ascii_bit(c: char) -> u64 {
    let index = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        other => 36 + other as u32 % 28,
    };
    1 << index
}

/// A mask that holds at least the characters of every word of `text`,
/// found without splitting it (all bits for a text that is not ASCII).
pub(crate) fn quick_mask(text: &str) -> u64 {
    let mut mask = 0;
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() {
            mask |= ascii_bit(char::from(byte.to_ascii_lowercase()));
        } else if !byte.is_ascii() {
            return u64::MAX;
        }
    }
    mask
}

/// The mask of every character of `word` (already lower-case).
pub(crate) fn mask_of(word: &str) -> u64 {
    word.chars().fold(0, |mask, c| mask | char_bit(c))
}

/// The fewest edits (insertions, deletions, substitutions, swaps of two
/// neighbours) that turn `word` into a prefix of `token`, when at most `max`.
pub(crate) fn prefix_distance(word: &[char], token: &[char], max: usize) -> Option<usize> {
    const WIDTH: usize = MAX_WORD_CHARS + 8;
    let n = word.len();
    if n == 0 || n > MAX_WORD_CHARS || max > 4 || token.len() + max < n {
        return None;
    }
    let m = token.len().min(n + max);
    const FAR: u8 = u8::MAX / 2;
    // Three rows of the table: word[..i-2], word[..i-1], word[..i] against token[..j].
    let mut before = [FAR; WIDTH];
    let mut previous = [FAR; WIDTH];
    for (j, cell) in previous.iter_mut().enumerate().take(m + 1) {
        *cell = u8::try_from(j).unwrap_or(FAR);
    }
    let mut current = [FAR; WIDTH];
    let limit = u8::try_from(max).unwrap_or(FAR);
    for i in 1..=n {
        current[..=m].fill(FAR);
        let low = i.saturating_sub(max);
        let high = (i + max).min(m);
        if low == 0 {
            current[0] = u8::try_from(i).unwrap_or(FAR);
        }
        let mut row_min = current[0];
        for j in low.max(1)..=high {
            let cost = u8::from(word[i - 1] != token[j - 1]);
            let mut best = (previous[j - 1] + cost).min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && word[i - 1] == token[j - 2] && word[i - 2] == token[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best.min(FAR);
            row_min = row_min.min(current[j]);
        }
        if row_min > limit {
            return None;
        }
        before = previous;
        previous = current;
    }
    let low = n.saturating_sub(max);
    let best = previous.get(low..=m)?.iter().copied().min()?;
    (best <= limit).then_some(usize::from(best))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, &mut String::new(), |w, _| out.push(w.to_string()));
        out
    }

    fn distance(word: &str, token: &str, max: usize) -> Option<usize> {
        let w: Vec<char> = word.chars().collect();
        let t: Vec<char> = token.chars().collect();
        prefix_distance(&w, &t, max)
    }

    #[test]
    fn texts_split_into_lower_case_words_where_letters_meet_digits() {
        assert_eq!(words("Invoice_2024-0042.pdf"), ["invoice", "2024", "0042", "pdf"]);
        assert_eq!(words("Odoo Billing Process"), ["odoo", "billing", "process"]);
        assert_eq!(words("Q1_Receipts.zip"), ["q", "1", "receipts", "zip"]);
        assert_eq!(words("Счёт № 5 — 請求書"), ["счёт", "5", "請求書"]);
        assert_eq!(words("\x1b[2J  ../../"), ["2", "j"]);
        assert!(words("").is_empty());
        let long = "a".repeat(500);
        assert_eq!(words(&long)[0].chars().count(), MAX_WORD_CHARS);
    }

    #[test]
    fn a_quick_mask_holds_every_word_of_a_text() {
        let text = "Invoice_2024-0042.PDF";
        let mut all = 0;
        for_each_word(text, &mut String::new(), |_, mask| all |= mask);
        assert_eq!(quick_mask(text), all);
        assert_eq!(quick_mask("Счёт"), u64::MAX);
    }

    #[test]
    fn masks_hold_every_character_and_accents_count_as_their_letter() {
        assert_eq!(mask_of("abc") & mask_of("b"), mask_of("b"));
        assert_eq!(mask_of("é"), mask_of("e"));
        assert_eq!(mask_of("facturación") & mask_of("o"), mask_of("o"));
        assert_ne!(mask_of("x") & mask_of("abc"), mask_of("x"));
    }

    #[test]
    fn the_distance_to_a_prefix_counts_each_kind_of_typo_once() {
        assert_eq!(distance("billing", "billing", 1), Some(0));
        assert_eq!(distance("bill", "billing", 1), Some(0));
        assert_eq!(distance("bilxing", "billing", 1), Some(1));
        assert_eq!(distance("bililng", "billing", 1), Some(1));
        assert_eq!(distance("billling", "billing", 1), Some(1));
        assert_eq!(distance("blling", "billing", 1), Some(1));
        assert_eq!(distance("bolxing", "billing", 1), None);
        assert_eq!(distance("bolxing", "billing", 2), Some(2));
        assert_eq!(distance("invoice", "odoo", 2), None);
        assert_eq!(distance("abcd", "ab", 1), None);
        assert_eq!(distance("abc", "ab", 1), Some(1));
    }
}
