//! The vocabulary of the in-memory index (every distinct word of its entries,
//! interned once) and the scores of a query word against it.
//!
//! A word that matches by letters gets a table of its score against every
//! word, built once and narrowed as it grows by a letter. A number is
//! scored only where the search looks: it matches most of an index's
//! numbers (every serial holds a `0`), so a table of them costs more than a
//! search that stops after a few hundred documents; its best score among
//! document words is found by a pass that stops at the most it can score.
//! A word with more letters than it may have typos is scored against the
//! words with a letter only, not the numbers.

use super::query::{Scratch, Word, number_score};
use super::words::for_each_word;
use nucleo_matcher::pattern::AtomKind;
use std::collections::HashMap;

/// Below this many candidates a word is scored on one thread.
const PARALLEL_FROM: usize = 50_000;

/// The distinct words of every entry, each with its character mask.
#[derive(Debug, Default)]
pub(super) struct Vocab {
    ids: HashMap<Box<str>, u32>,
    text: String,
    ends: Vec<u32>,
    masks: Vec<u64>,
    /// Whether the word occurs in a document (not only in processes).
    pub(super) in_docs: Vec<bool>,
    /// The words with a letter (not numbers), which most query words can only match.
    lettered: Vec<u32>,
}

/// The mask bits of the letters `a` to `z`.
const LETTERS: u64 = (1 << 26) - 1;

impl Vocab {
    fn intern(&mut self, token: &str, mask: u64) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(token);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.masks.push(mask);
        self.in_docs.push(false);
        if mask & LETTERS != 0 {
            self.lettered.push(id);
        }
        self.ids.insert(token.into(), id);
        id
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    fn word(&self, id: usize) -> (&str, u64) {
        let start = if id == 0 { 0 } else { self.ends[id - 1] as usize };
        let end = self.ends[id] as usize;
        (self.text.get(start..end).unwrap_or_default(), self.masks[id])
    }
}

/// Interns every word of `text`, adding each new one to `tokens` and its
/// characters to `mask`.
pub(super) fn intern_text(vocab: &mut Vocab, buf: &mut String, text: &str, tokens: &mut Vec<u32>, mask: &mut u64) {
    for_each_word(text, buf, |token, token_mask| {
        let id = vocab.intern(token, token_mask);
        if !tokens.contains(&id) {
            tokens.push(id);
        }
        *mask |= token_mask;
    });
}

/// The score of one query word against the words of the vocabulary.
#[derive(Debug)]
pub(super) struct WordTable {
    pub(super) text: String,
    pub(super) kind: AtomKind,
    pub(super) typos: u32,
    /// How many words the vocabulary had when it was made.
    pub(super) known: usize,
    scores: Scores,
    /// The best score among words that occur in documents.
    pub(super) doc_max: u16,
}

#[derive(Debug)]
enum Scores {
    /// Every word's score, and the words that scored.
    Table { scores: Vec<u16>, matches: Vec<u32> },
    /// A number, scored where it is looked up.
    Number { mask: u64, chars: usize },
}

impl WordTable {
    /// Scores `word` against `vocab`: a number as it is looked up, any other
    /// word into a table, from `base`'s when `word` extends `base`'s word.
    pub(super) fn new(word: &Word, vocab: &Vocab, base: Option<&WordTable>) -> WordTable {
        if word.kind == AtomKind::Substring {
            return number_table(word, vocab);
        }
        score_vocab(word, vocab, base)
    }

    /// Whether a longer word's table can start from this one's matches.
    pub(super) fn can_narrow(&self) -> bool {
        matches!(self.scores, Scores::Table { .. })
    }

    /// The score of the word numbered `id`.
    fn score(&self, id: u32, vocab: &Vocab) -> u16 {
        match &self.scores {
            Scores::Table { scores, .. } => scores.get(id as usize).copied().unwrap_or(0),
            Scores::Number { mask, chars } => {
                let id = id as usize;
                if id >= vocab.len() || vocab.masks[id] & mask != *mask {
                    return 0;
                }
                number_score(&self.text, *chars, vocab.word(id).0)
            }
        }
    }
}

/// A query word's table and the vocabulary it scores.
#[derive(Clone, Copy)]
pub(super) struct Scorer<'a> {
    pub(super) table: &'a WordTable,
    pub(super) vocab: &'a Vocab,
}

impl Scorer<'_> {
    /// The best score of the word among `tokens`.
    pub(super) fn best(&self, tokens: &[u32]) -> u16 {
        tokens
            .iter()
            .map(|&t| self.table.score(t, self.vocab))
            .max()
            .unwrap_or(0)
    }
}

/// A number's table: nothing stored but its best score among document
/// words, which is its whole-word score when it is a document word, else
/// found by a pass that stops at the first document word it starts.
fn number_table(word: &Word, vocab: &Vocab) -> WordTable {
    let chars = word.chars.len();
    let mut doc_max = 0;
    let is_doc_word = vocab
        .ids
        .get(word.text.as_str())
        .is_some_and(|&id| vocab.in_docs.get(id as usize).copied().unwrap_or(false));
    if is_doc_word {
        doc_max = number_score(&word.text, chars, &word.text);
    } else {
        let most = number_score(&word.text, chars, &format!("{}0", word.text));
        for id in 0..vocab.len() {
            let (token, mask) = vocab.word(id);
            if mask & word.mask != word.mask || !vocab.in_docs[id] {
                continue;
            }
            doc_max = doc_max.max(number_score(&word.text, chars, token));
            if doc_max >= most {
                break;
            }
        }
    }
    WordTable {
        text: word.text.clone(),
        kind: word.kind,
        typos: word.typos,
        known: vocab.len(),
        scores: Scores::Number { mask: word.mask, chars },
        doc_max,
    }
}

/// Scores `word` against every word of `vocab`, or, given the table of a
/// shorter word it extends, only against the words that matched that one
/// and those added since. Many candidates are shared among threads.
fn score_vocab(word: &Word, vocab: &Vocab, base: Option<&WordTable>) -> WordTable {
    // The candidates, numbered 0..count: the base's matches, then the words added since.
    let (count, candidate) = match base.map(|b| (&b.scores, b.known)) {
        Some((Scores::Table { matches, .. }, known)) => (
            matches.len() + vocab.len().saturating_sub(known),
            Some((matches.as_slice(), known)),
        ),
        // A word with more letters than typos cannot match a number.
        _ if (word.mask & LETTERS).count_ones() > word.typos => {
            (vocab.lettered.len(), Some((vocab.lettered.as_slice(), vocab.len())))
        }
        _ => (vocab.len(), None),
    };
    let id_of = |k: usize| -> usize {
        match candidate {
            Some((matches, known)) => matches.get(k).map_or(known + k - matches.len(), |&id| id as usize),
            None => k,
        }
    };
    let score_part = |part: std::ops::Range<usize>| {
        let mut scratch = Scratch::new();
        part.filter_map(|k| {
            let id = id_of(k);
            let (token, mask) = vocab.word(id);
            if !word.may_match(mask) {
                return None;
            }
            let score = word.score(token, mask, &mut scratch);
            (score > 0).then_some((u32::try_from(id).unwrap_or(u32::MAX), score))
        })
        .collect::<Vec<(u32, u16)>>()
    };
    let threads = if count < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    let found: Vec<Vec<(u32, u16)>> = if threads <= 1 {
        vec![score_part(0..count)]
    } else {
        let size = count.div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..count)
                .step_by(size)
                .map(|start| scope.spawn(move || score_part(start..(start + size).min(count))))
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        })
    };
    let mut scores = vec![0; vocab.len()];
    let mut matches = Vec::with_capacity(found.iter().map(Vec::len).sum());
    let mut doc_max = 0;
    for (id, score) in found.into_iter().flatten() {
        scores[id as usize] = score;
        matches.push(id);
        if vocab.in_docs.get(id as usize).copied().unwrap_or(false) {
            doc_max = doc_max.max(score);
        }
    }
    WordTable {
        text: word.text.clone(),
        kind: word.kind,
        typos: word.typos,
        known: vocab.len(),
        scores: Scores::Table { scores, matches },
        doc_max,
    }
}
