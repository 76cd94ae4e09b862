//! What a search finds, and how its finds are ranked: by score, then a
//! process before its documents, then the most recently seen, then in the
//! order they were recorded.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use time::OffsetDateTime;

/// Whether a hit is a process or one of its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// A process (its id, name, status or additional data matched).
    Process,
    /// A document (its name or type matched, and its process for the other words).
    Document,
}

impl HitKind {
    /// `process` or `document`, as `search --json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Process => "process",
            HitKind::Document => "document",
        }
    }
}

/// One process or document a search found. Every string is as the server
/// sent it: untrusted, to be shown through [`crate::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// A process or a document.
    pub kind: HitKind,
    /// The process (of the document).
    pub process_id: String,
    /// Its name, when the server sent one.
    pub process_name: Option<String>,
    /// The document's id (`None` for a process).
    pub doc_id: Option<String>,
    /// The document's name (`None` for a process, or a document without one).
    pub doc_name: Option<String>,
    /// The process's status as last seen.
    pub status: Option<String>,
    /// How well it matched: higher is better.
    pub score: u32,
    /// When the process was last seen.
    pub last_seen: OffsetDateTime,
}

/// The best hits of a search, best first, and how many matched in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// At most the limit asked for, best first.
    pub hits: Vec<Hit>,
    /// How many processes and documents matched, the ones left out included;
    /// `None` when the search stopped counting once no other match could
    /// rank among the hits (then more matched than `hits` holds).
    pub total: Option<usize>,
}

/// A match being ranked: `item` says where to find it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked<T> {
    pub(crate) score: u32,
    pub(crate) is_document: bool,
    pub(crate) last_seen: i64,
    /// The order of recording: earlier is better among equals.
    pub(crate) order: u64,
    pub(crate) item: T,
}

impl<T> Ranked<T> {
    fn key(&self) -> (u32, Reverse<bool>, i64, Reverse<u64>) {
        (
            self.score,
            Reverse(self.is_document),
            self.last_seen,
            Reverse(self.order),
        )
    }
}

impl<T> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<T> Eq for Ranked<T> {}

impl<T> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Ranked<T> {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// The best `limit` matches seen so far, and a count of all of them.
pub(crate) struct TopN<T> {
    limit: usize,
    heap: BinaryHeap<Reverse<Ranked<T>>>,
    pub(crate) total: usize,
}

impl<T> TopN<T> {
    pub(crate) fn new(limit: usize) -> TopN<T> {
        TopN {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(1024) + 1),
            total: 0,
        }
    }

    pub(crate) fn push(&mut self, ranked: Ranked<T>) {
        self.total += 1;
        if self.limit == 0 {
            return;
        }
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(ranked));
        } else if self.heap.peek().is_some_and(|Reverse(worst)| ranked > *worst) {
            self.heap.pop();
            self.heap.push(Reverse(ranked));
        }
    }

    /// Takes in the matches another part of the same search found.
    pub(crate) fn merge(&mut self, other: TopN<T>) {
        let total = self.total + other.total;
        for Reverse(ranked) in other.heap {
            self.push(ranked);
        }
        self.total = total;
    }

    /// The worst kept match, once `limit` are kept.
    pub(crate) fn floor(&self) -> Option<u32> {
        if self.heap.len() < self.limit {
            return None;
        }
        self.heap.peek().map(|Reverse(worst)| worst.score)
    }

    /// The kept matches, best first.
    pub(crate) fn into_sorted(self) -> Vec<Ranked<T>> {
        let mut kept: Vec<Ranked<T>> = self.heap.into_iter().map(|Reverse(r)| r).collect();
        kept.sort_by(|a, b| b.cmp(a));
        kept
    }
}

/// The score of an entry from the best score of each query word among its own
/// words (`own`), and for a document among its process's words
/// (`inherited`, worth half). Every word must match; a document must match
/// at least one word itself, so a search for a process's name finds the
/// process and not each of its documents.
pub(crate) fn combine(own: &[u16], inherited: Option<&[u16]>) -> Option<u32> {
    let mut total = 0u32;
    let mut any_own = inherited.is_none();
    for (i, &mine) in own.iter().enumerate() {
        let from_process = inherited.and_then(|scores| scores.get(i)).map_or(0, |s| s / 2);
        if mine == 0 && from_process == 0 {
            return None;
        }
        any_own |= mine > 0;
        total += u32::from(mine.max(from_process));
    }
    any_own.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(score: u32, is_document: bool, last_seen: i64, order: u64) -> Ranked<u64> {
        Ranked {
            score,
            is_document,
            last_seen,
            order,
            item: order,
        }
    }

    #[test]
    fn the_best_are_kept_in_order_and_all_are_counted() {
        let mut top = TopN::new(3);
        for (i, score) in [5, 9, 1, 9, 7, 3].into_iter().enumerate() {
            top.push(ranked(score, false, 0, i as u64));
        }
        let mut other = TopN::new(3);
        other.push(ranked(8, false, 0, 10));
        top.merge(other);
        assert_eq!(top.total, 7);
        let order: Vec<u64> = top.into_sorted().iter().map(|r| r.item).collect();
        assert_eq!(order, [1, 3, 10]);
    }

    #[test]
    fn among_equals_a_process_then_the_latest_seen_comes_first() {
        let mut top = TopN::new(10);
        top.push(ranked(5, true, 100, 0));
        top.push(ranked(5, false, 50, 1));
        top.push(ranked(5, true, 200, 2));
        let order: Vec<u64> = top.into_sorted().iter().map(|r| r.item).collect();
        assert_eq!(order, [1, 2, 0]);
    }

    #[test]
    fn every_word_must_match_and_a_document_must_match_one_itself() {
        assert_eq!(combine(&[10, 20], None), Some(30));
        assert_eq!(combine(&[10, 0], None), None);
        assert_eq!(combine(&[10, 0], Some(&[0, 40])), Some(30));
        assert_eq!(combine(&[0, 0], Some(&[40, 40])), None);
        assert_eq!(combine(&[30, 0], Some(&[40, 0])), None);
        assert_eq!(combine(&[10, 5], Some(&[40, 0])), Some(25));
    }
}
