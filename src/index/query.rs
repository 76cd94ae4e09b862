//! A search as typed, made into words to match, and how one query word scores
//! against one word of an entry.
//!
//! Each word is matched on its own against the words of an entry:
//! - a word of one or two letters matches the start of a word (`od` finds
//!   `odoo`), as the first keystrokes in a search box mean;
//! - a number matches where it occurs in a number (`0042` finds `2024-0042`);
//! - a longer word matches fuzzily (its characters in order, gaps allowed, so
//!   `odo` finds `odoo` and `biling` finds `billing`), else, from four
//!   characters, within one typo (two from eight characters) of the start of
//!   a word, so `bilxing` and `bililng` find `billing` too, ranked below.

use super::words::{for_each_word, mask_of, prefix_distance};
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Matcher, Utf32Str};

/// The longest search text taken, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// The most words a search may have.
pub const MAX_QUERY_WORDS: usize = 16;

/// A search text that is not a search.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    /// Nothing to search for (only spaces, punctuation or control characters).
    #[error("type a word to search for (a process id, a name, a document name)")]
    Empty,
    /// Longer than [`MAX_QUERY_CHARS`].
    #[error("that search is {0} characters long; the limit is {MAX_QUERY_CHARS}: search for a few words of the name")]
    TooLong(usize),
    /// More words than [`MAX_QUERY_WORDS`].
    #[error("that search has {0} words; the limit is {MAX_QUERY_WORDS}: a few distinctive words find more")]
    TooManyWords(usize),
}

/// A search, parsed: its words, each ready to match.
#[derive(Debug)]
pub struct SearchQuery {
    text: String,
    words: Vec<Word>,
    control_removed: bool,
}

/// One word of a search.
#[derive(Debug)]
pub(crate) struct Word {
    pub(crate) text: String,
    atom: Atom,
    /// How it matches: a word's start, inside a number, or fuzzily.
    pub(crate) kind: AtomKind,
    pub(crate) chars: Vec<char>,
    pub(crate) mask: u64,
    pub(crate) typos: u32,
}

/// What a query word gains when it is the whole word it matches (`001`
/// finds `Invoice_001.pdf` before `Invoice_00100.pdf`).
const WHOLE_WORD_BONUS: u16 = 16;

/// What a match within one typo scores for each character of the query word,
/// below the matcher's 16 for a character that matches.
const TYPO_SCORE_PER_CHAR: u16 = 8;

impl SearchQuery {
    /// Reads a search text: control characters are removed (see
    /// [`SearchQuery::control_removed`]), then it is split into words as
    /// entries are.
    pub fn parse(input: &str) -> Result<SearchQuery, SearchQueryError> {
        let cleaned: String = input.chars().filter(|c| !c.is_control()).collect();
        let control_removed = cleaned.len() != input.len();
        let text = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let count = text.chars().count();
        if count > MAX_QUERY_CHARS {
            return Err(SearchQueryError::TooLong(count));
        }
        let mut texts: Vec<String> = Vec::new();
        for_each_word(&text, &mut String::new(), |word, _| {
            if !texts.iter().any(|t| t == word) {
                texts.push(word.to_string());
            }
        });
        if texts.is_empty() {
            return Err(SearchQueryError::Empty);
        }
        if texts.len() > MAX_QUERY_WORDS {
            return Err(SearchQueryError::TooManyWords(texts.len()));
        }
        let words = texts.into_iter().map(Word::new).collect();
        Ok(SearchQuery {
            text,
            words,
            control_removed,
        })
    }

    /// The search text, control characters removed and spaces collapsed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the text held control characters, which were removed.
    pub fn control_removed(&self) -> bool {
        self.control_removed
    }

    pub(crate) fn words(&self) -> &[Word] {
        &self.words
    }
}

impl Word {
    fn new(text: String) -> Word {
        let chars: Vec<char> = text.chars().collect();
        let number = chars.iter().all(|c| c.is_numeric());
        let kind = match chars.len() {
            _ if number => AtomKind::Substring,
            0..=2 => AtomKind::Prefix,
            _ => AtomKind::Fuzzy,
        };
        let typos = match chars.len() {
            _ if number => 0,
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        Word {
            atom: Atom::new(&text, CaseMatching::Ignore, Normalization::Smart, kind, false),
            kind,
            mask: mask_of(&text),
            chars,
            typos,
            text,
        }
    }

    /// Whether this word can match a word whose mask is `mask`, fuzzily or within its typos.
    pub(crate) fn may_match(&self, mask: u64) -> bool {
        (self.mask & !mask).count_ones() <= self.typos
    }

    /// How well this word matches `token` (a lower-case word of an entry,
    /// with its mask): 0 for not at all.
    pub(crate) fn score(&self, token: &str, mask: u64, scratch: &mut Scratch) -> u16 {
        let missing = (self.mask & !mask).count_ones();
        if self.kind == AtomKind::Substring {
            return if missing == 0 { self.number_score(token) } else { 0 };
        }
        if missing == 0 {
            let haystack = Utf32Str::new(token, &mut scratch.utf32);
            if let Some(score) = self.atom.score(haystack, &mut scratch.matcher) {
                let whole = token.chars().count() == self.chars.len();
                let bonus = if whole { WHOLE_WORD_BONUS } else { 0 };
                return score.saturating_add(bonus).max(1);
            }
        }
        if self.typos == 0 || missing > self.typos {
            return 0;
        }
        scratch.chars.clear();
        scratch.chars.extend(token.chars());
        match prefix_distance(&self.chars, &scratch.chars, self.typos as usize) {
            Some(distance) => {
                let kept = self.chars.len().saturating_sub(distance);
                u16::try_from(kept)
                    .unwrap_or(u16::MAX)
                    .saturating_mul(TYPO_SCORE_PER_CHAR)
                    .max(1)
            }
            None => 0,
        }
    }
}

impl Word {
    /// A number inside a word: see [`number_score`].
    fn number_score(&self, token: &str) -> u16 {
        number_score(&self.text, self.chars.len(), token)
    }
}

/// How well the number `needle` (of `chars` characters) matches `token`: 16
/// a character, more at the word's start and for the whole word (numbers are
/// many and short: no matcher needed). What a number query word scores
/// against a word whose mask holds its characters.
pub(crate) fn number_score(needle: &str, chars: usize, token: &str) -> u16 {
    let bytes = needle.as_bytes();
    let found = match bytes {
        [byte] => token.as_bytes().iter().position(|b| b == byte),
        _ if needle.is_ascii() => token.as_bytes().windows(bytes.len()).position(|w| w == bytes),
        _ => token.find(needle),
    };
    let Some(at) = found else { return 0 };
    let length = u16::try_from(chars).unwrap_or(u16::MAX);
    let start = if at == 0 { NUMBER_START_BONUS } else { 0 };
    let whole = if token.len() == needle.len() {
        WHOLE_WORD_BONUS
    } else {
        0
    };
    length.saturating_mul(16).saturating_add(start).saturating_add(whole)
}

/// What a number gains when it starts the number it is found in.
const NUMBER_START_BONUS: u16 = 8;

/// The reusable buffers of one matching thread.
pub(crate) struct Scratch {
    matcher: Matcher,
    utf32: Vec<char>,
    chars: Vec<char>,
    pub(crate) word: String,
}

impl Scratch {
    pub(crate) fn new() -> Scratch {
        Scratch {
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
            utf32: Vec::new(),
            chars: Vec::new(),
            word: String::new(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::index::words::mask_of;

    fn score(query: &str, token: &str) -> u16 {
        let query = SearchQuery::parse(query).unwrap();
        query.words()[0].score(token, mask_of(token), &mut Scratch::new())
    }

    #[test]
    fn a_search_is_cleaned_split_and_bounded() {
        let query = SearchQuery::parse("  Odoo\x1b[31m   Billing\u{7} ").unwrap();
        assert_eq!(query.text(), "Odoo[31m Billing");
        assert!(query.control_removed());
        let words: Vec<&str> = query.words().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["odoo", "31", "m", "billing"]);
        assert_eq!(SearchQuery::parse(" \t\x1b ").err(), Some(SearchQueryError::Empty));
        assert_eq!(SearchQuery::parse("../-_").err(), Some(SearchQueryError::Empty));
        assert!(matches!(
            SearchQuery::parse(&"a".repeat(10_000)),
            Err(SearchQueryError::TooLong(10_000))
        ));
        let many = (0..20).map(|n| format!("w{n}x")).collect::<Vec<_>>().join(" ");
        assert!(matches!(
            SearchQuery::parse(&many),
            Err(SearchQueryError::TooManyWords(_))
        ));
        let twice = SearchQuery::parse("odoo ODOO odoo").unwrap();
        assert_eq!(twice.words().len(), 1);
    }

    #[test]
    fn words_match_fuzzily_then_within_a_typo() {
        let exact = score("billing", "billing");
        assert!(score("001", "001") > score("001", "00100"), "a whole word is better");
        let fuzzy = score("biling", "billing");
        let typo = score("bilxing", "billing");
        assert!(exact > fuzzy && fuzzy > typo && typo > 0, "{exact} {fuzzy} {typo}");
        assert!(score("odo", "odoo") > 0);
        assert!(score("od", "odoo") > 0);
        assert_eq!(score("do", "odoo"), 0, "two letters match a word's start");
        assert!(score("0042", "20240042") > 0);
        assert_eq!(score("0042", "0402"), 0, "a number matches as it is written");
        assert_eq!(score("xyz", "odoo"), 0);
        assert_eq!(score("12346", "12345"), 0, "numbers take no typos");
        assert!(score("12345", "12345") > 0);
        assert!(score("factura", "facturación") > 0);
        assert!(score("СЧЁТ", "счёт") > 0);
    }
}
