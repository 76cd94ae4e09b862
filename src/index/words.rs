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
        if !c.is_alphanumeric() {
            flush(buf, &mut mask, &mut chars);
            continue;
        }
        let digit = c.is_numeric();
        if chars > 0 && digit != last_digit {
            flush(buf, &mut mask, &mut chars);
        }
        last_digit = digit;
        if chars >= MAX_WORD_CHARS {
            continue;
        }
        for lower in c.to_lowercase() {
            buf.push(lower);
            mask |= char_bit(lower);
        }
        chars += 1;
    }
    flush(buf, &mut mask, &mut chars);
}

/// The mask bit of a lower-case character: one per ASCII letter and digit,
/// the rest shared in buckets. Accented Latin letters count as their base
/// letter, as the matcher's normalisation does.
pub(crate) fn char_bit(c: char) -> u64 {
    let c = nucleo_matcher::chars::normalize(c);
    let index = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        other => 36 + other as u32 % 28,
    };
    1 << index
}

/// The mask of every character of `word` (already lower-case).
pub(crate) fn mask_of(word: &str) -> u64 {
    word.chars().fold(0, |mask, c| mask | char_bit(c))
}

/// The fewest edits (insertions, deletions, substitutions, swaps of two
/// neighbours) that turn `word` into a prefix of `token`, when at most `max`.
pub(crate) fn prefix_distance(word: &[char], token: &[char], max: usize) -> Option<usize> {
    let n = word.len();
    if n == 0 || token.len() + max < n {
        return None;
    }
    let m = token.len().min(n + max);
    let inf = usize::MAX / 2;
    // Three rows of the table: word[..i-2], word[..i-1], word[..i] against token[..j].
    let mut before = vec![inf; m + 1];
    let mut previous: Vec<usize> = (0..=m).collect();
    let mut current = vec![inf; m + 1];
    for i in 1..=n {
        current.fill(inf);
        let low = i.saturating_sub(max);
        let high = (i + max).min(m);
        if low == 0 {
            current[0] = i;
        }
        let mut row_min = current[0];
        for j in low.max(1)..=high {
            let cost = usize::from(word[i - 1] != token[j - 1]);
            let mut best = (previous[j - 1] + cost).min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && word[i - 1] == token[j - 2] && word[i - 2] == token[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let low = n.saturating_sub(max);
    let best = previous.get(low..=m)?.iter().copied().min()?;
    (best <= max).then_some(best)
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
