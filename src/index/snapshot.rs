//! The search as you type: every searchable word of the index held in
//! memory once, so each keystroke is answered without touching the disk.
//!
//! The words of all entries are interned in one vocabulary. A query word is
//! matched against each distinct word once (and, as it grows by a letter,
//! only against the words that matched it before); an entry then matches by
//! looking up the scores of its words (a number is scored as it is looked
//! up: see [`super::vocab`]). Entries whose character masks lack a
//! query word's characters are passed over without a lookup. Big indexes
//! are searched on several threads. Ranks exactly as [`Index::search`] does.

use super::entry::{document_texts, process_texts};
use super::hits::{Hit, HitKind, Ranked, SearchResults, TopN, combine};
use super::query::{SearchQuery, Word};
use super::read::time_of;
use super::scan::order;
use super::vocab::{Scorer, Vocab, WordTable, intern_text};
use super::{Index, IndexError};
use crate::api::Process;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use time::OffsetDateTime;

/// Below this many documents a search runs on one thread.
const PARALLEL_FROM: usize = 50_000;
/// How many query words' scores are kept for the next keystroke.
const CACHED_WORDS: usize = 32;

/// Every process and document of an index, held in memory for searching as
/// you type. Shared between threads: searches read it, recording a lookup
/// ([`SearchIndex::record`]) updates it.
#[derive(Debug, Default)]
pub struct SearchIndex {
    snapshot: RwLock<Snapshot>,
    cache: Mutex<Vec<Arc<WordTable>>>,
}

#[derive(Debug, Default)]
struct Snapshot {
    vocab: Vocab,
    processes: Vec<Proc>,
    by_id: HashMap<String, usize>,
    documents: usize,
}

#[derive(Debug, Default)]
struct Proc {
    process_id: String,
    name: Option<String>,
    status: Option<String>,
    last_seen: i64,
    tokens: Vec<u32>,
    docs: Vec<Doc>,
    doc_tokens: Vec<u32>,
    /// Each document's id, then its name.
    doc_text: String,
    /// The characters of all its documents.
    docs_mask: u64,
    /// Each word of its documents once: what any of them can score comes
    /// from these, so a process none of whose documents could rank is passed over.
    doc_vocab: Vec<u32>,
}

/// A document: where its words and strings end in its process's arrays
/// (each starts where the one before ends).
#[derive(Debug, Clone, Copy)]
struct Doc {
    tokens_end: u32,
    id_end: u32,
    name_end: u32,
    mask: u64,
}

fn end_of(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Snapshot {
    fn new_proc(
        &mut self,
        process_id: &str,
        name: Option<&str>,
        status: Option<&str>,
        extra: &Map<String, Value>,
        last_seen: i64,
    ) -> Proc {
        let mut proc = Proc {
            process_id: process_id.to_string(),
            name: name.map(str::to_string),
            status: status.map(str::to_string),
            last_seen,
            ..Proc::default()
        };
        let (mut buf, mut mask) = (String::new(), 0);
        process_texts(process_id, name, status, extra, |text| {
            intern_text(&mut self.vocab, &mut buf, text, &mut proc.tokens, &mut mask)
        });
        proc
    }

    fn push_doc(
        &mut self,
        proc: &mut Proc,
        doc_id: &str,
        name: Option<&str>,
        doc_type: Option<&str>,
        buf: &mut String,
    ) {
        let start = proc.doc_tokens.len();
        let mut mask = 0;
        let mut tokens = std::mem::take(&mut proc.doc_tokens);
        document_texts(doc_id, name, doc_type, |text| {
            let mut own = Vec::new();
            intern_text(&mut self.vocab, buf, text, &mut own, &mut mask);
            for id in own {
                if !tokens[start..].contains(&id) {
                    tokens.push(id);
                }
            }
        });
        for &id in &tokens[start..] {
            if let Some(flag) = self.vocab.in_docs.get_mut(id as usize) {
                *flag = true;
            }
        }
        proc.doc_tokens = tokens;
        proc.docs_mask |= mask;
        proc.doc_text.push_str(doc_id);
        let id_end = end_of(proc.doc_text.len());
        proc.doc_text.push_str(name.unwrap_or_default());
        proc.docs.push(Doc {
            tokens_end: end_of(proc.doc_tokens.len()),
            id_end,
            name_end: end_of(proc.doc_text.len()),
            mask,
        });
    }

    fn put(&mut self, mut proc: Proc) {
        proc.doc_vocab = proc.doc_tokens.clone();
        proc.doc_vocab.sort_unstable();
        proc.doc_vocab.dedup();
        proc.doc_vocab.shrink_to_fit();
        self.documents += proc.docs.len();
        match self.by_id.get(&proc.process_id) {
            Some(&slot) => {
                if let Some(old) = self.processes.get_mut(slot) {
                    self.documents -= old.docs.len();
                    *old = proc;
                }
            }
            None => {
                self.by_id.insert(proc.process_id.clone(), self.processes.len());
                self.processes.push(proc);
            }
        }
    }

    fn add_process(&mut self, process: &Process, last_seen: i64) {
        let mut proc = self.new_proc(
            process.process_id.as_str(),
            process.name.as_deref(),
            process.status.as_deref(),
            &process.extra,
            last_seen,
        );
        let mut buf = String::new();
        for document in &process.documents {
            self.push_doc(
                &mut proc,
                document.doc_id.as_str(),
                document.doc_name.as_deref(),
                document.doc_type.as_deref(),
                &mut buf,
            );
        }
        self.put(proc);
    }
}

impl Proc {
    fn doc(&self, index: usize) -> Option<(&[u32], &str, Option<&str>)> {
        let doc = self.docs.get(index)?;
        let (token_start, text_start) = match index.checked_sub(1).and_then(|i| self.docs.get(i)) {
            Some(before) => (before.tokens_end as usize, before.name_end as usize),
            None => (0, 0),
        };
        let tokens = self.doc_tokens.get(token_start..doc.tokens_end as usize)?;
        let id = self.doc_text.get(text_start..doc.id_end as usize)?;
        let name = self.doc_text.get(doc.id_end as usize..doc.name_end as usize)?;
        Some((tokens, id, (!name.is_empty()).then_some(name)))
    }
}

impl SearchIndex {
    /// An empty index (fill it with [`SearchIndex::record`]).
    pub fn new() -> SearchIndex {
        SearchIndex::default()
    }

    /// Adds `processes` as seen at `at`, replacing what was held for them.
    pub fn record(&self, processes: &[Process], at: OffsetDateTime) {
        let mut snapshot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        for process in processes {
            snapshot.add_process(process, at.unix_timestamp());
        }
    }

    /// How many processes and documents it holds.
    pub fn len(&self) -> (usize, usize) {
        let snapshot = self.snapshot.read().unwrap_or_else(PoisonError::into_inner);
        (snapshot.processes.len(), snapshot.documents)
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len().0 == 0
    }

    /// Forgets the query words kept from earlier searches, which a search
    /// for a longer word starts from (for a search box emptied and started over).
    pub fn forget_typed(&self) {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The best `limit` processes and documents for `query`, best first.
    ///
    /// Processes are ranked first; their scores are what their documents
    /// inherit. Documents are then scanned, the most recently seen processes
    /// first, until `limit` hits score the most any document can: no later
    /// one could rank above them (the total is then not counted).
    pub fn search(&self, query: &SearchQuery, limit: usize) -> SearchResults {
        let snapshot = self.snapshot.read().unwrap_or_else(PoisonError::into_inner);
        let words = query.words();
        let tables: Vec<Arc<WordTable>> = words.iter().map(|w| self.table(w, &snapshot.vocab)).collect();
        let tables: Vec<Scorer<'_>> = tables
            .iter()
            .map(|table| Scorer {
                table,
                vocab: &snapshot.vocab,
            })
            .collect();
        let processes = &snapshot.processes;
        let width = words.len();
        let mut inherited = vec![0u16; processes.len() * width];
        let mut best_inherited = vec![0u16; width];
        let mut top = TopN::new(limit);
        for (slot, proc) in processes.iter().enumerate() {
            let scores = &mut inherited[slot * width..(slot + 1) * width];
            for (i, table) in tables.iter().enumerate() {
                scores[i] = table.best(&proc.tokens);
                best_inherited[i] = best_inherited[i].max(scores[i]);
            }
            if let Some(score) = combine(scores, None) {
                top.push(Ranked {
                    score,
                    is_document: false,
                    last_seen: proc.last_seen,
                    order: order(slot, None),
                    item: (slot, None),
                });
            }
        }
        let ceiling: u32 = tables
            .iter()
            .zip(&best_inherited)
            .map(|(scorer, from_process)| u32::from(scorer.table.doc_max.max(from_process / 2)))
            .sum();
        let mut scan: Vec<usize> = (0..processes.len()).collect();
        scan.sort_by_key(|&slot| (std::cmp::Reverse(processes[slot].last_seen), slot));
        let threads = if snapshot.documents < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        };
        // The first part (in scan order) whose hits are certain: the parts after it may stop.
        let settled = AtomicUsize::new(usize::MAX);
        let scan_part = |index: usize, part: &[usize]| {
            let mut found = TopN::new(limit);
            let bounds = Bounds {
                ceiling,
                part: index,
                settled: &settled,
            };
            let complete = scan_documents(words, &tables, processes, &inherited, part, bounds, &mut found);
            (found, complete)
        };
        let parts = split(&scan, processes, snapshot.documents, threads);
        let mut complete = true;
        if parts.len() <= 1 {
            let (found, done) = scan_part(0, &scan);
            top.merge(found);
            complete &= done;
        } else {
            let scan_part = &scan_part;
            std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .into_iter()
                    .enumerate()
                    .map(|(index, part)| scope.spawn(move || scan_part(index, part)))
                    .collect();
                for handle in handles {
                    match handle.join() {
                        Ok((found, done)) => {
                            top.merge(found);
                            complete &= done;
                        }
                        Err(_) => complete = false,
                    }
                }
            });
        }
        let total = complete.then_some(top.total);
        let hits = top
            .into_sorted()
            .into_iter()
            .filter_map(|ranked| hit(&snapshot, ranked))
            .collect();
        SearchResults { hits, total }
    }

    /// The scores of `word` against the vocabulary: from the cache when the
    /// word was just searched, narrowed from a shorter word it extends.
    fn table(&self, word: &Word, vocab: &Vocab) -> Arc<WordTable> {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(i) = cache
            .iter()
            .position(|t| t.text == word.text && t.kind == word.kind && t.typos == word.typos && t.known == vocab.len())
        {
            let table = cache.remove(i);
            cache.push(table.clone());
            return table;
        }
        let base = cache
            .iter()
            .filter(|t| {
                t.can_narrow() && word.text.starts_with(&t.text) && t.kind == word.kind && t.typos == word.typos
            })
            .max_by_key(|t| t.text.len())
            .cloned();
        drop(cache);
        let table = Arc::new(WordTable::new(word, vocab, base.as_deref()));
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHED_WORDS {
            cache.remove(0);
        }
        cache.push(table.clone());
        table
    }
}

/// When a part of the scan may stop.
#[derive(Clone, Copy)]
struct Bounds<'a> {
    /// The most a document can score.
    ceiling: u32,
    /// This part's place in the scan order.
    part: usize,
    /// The first part whose hits are certain: any later part may stop.
    settled: &'a AtomicUsize,
}

/// Ranks the documents of the processes `part` names, in that order, into
/// `top`; `false` when it stopped early or passed a process over: `top` was
/// full of hits that score the ceiling, the most a document can (or what the
/// process's documents could), or an earlier part's were.
fn scan_documents(
    words: &[Word],
    tables: &[Scorer<'_>],
    processes: &[Proc],
    inherited: &[u16],
    part: &[usize],
    bounds: Bounds<'_>,
    top: &mut TopN<(usize, Option<usize>)>,
) -> bool {
    let width = words.len();
    let mut own = vec![0u16; width];
    let mut passed_over = false;
    for &slot in part {
        let (Some(proc), Some(from_process)) = (processes.get(slot), inherited.get(slot * width..(slot + 1) * width))
        else {
            continue;
        };
        let hopeless = words
            .iter()
            .zip(from_process)
            .any(|(word, inherited)| inherited / 2 == 0 && !word.may_match(proc.docs_mask));
        if hopeless {
            continue;
        }
        // The most any of its documents can score: when the hits kept score
        // that already, none of them can rank (an equal score loses to the
        // hits of processes scanned before).
        if let Some(floor) = top.floor() {
            let bound: u32 = tables
                .iter()
                .zip(from_process)
                .map(|(table, inherited)| u32::from(table.best(&proc.doc_vocab).max(inherited / 2)))
                .sum();
            if bound <= floor {
                passed_over = true;
                continue;
            }
        }
        let mut token_start = 0usize;
        'docs: for (index, doc) in proc.docs.iter().enumerate() {
            let tokens = proc
                .doc_tokens
                .get(token_start..doc.tokens_end as usize)
                .unwrap_or_default();
            token_start = doc.tokens_end as usize;
            if top.floor().is_some_and(|floor| floor >= bounds.ceiling) {
                bounds.settled.fetch_min(bounds.part, Ordering::Relaxed);
                return false;
            }
            if bounds.settled.load(Ordering::Relaxed) < bounds.part {
                return false;
            }
            for (i, word) in words.iter().enumerate() {
                own[i] = if word.may_match(doc.mask) {
                    tables[i].best(tokens)
                } else {
                    0
                };
                if own[i] == 0 && from_process[i] / 2 == 0 {
                    continue 'docs;
                }
            }
            if let Some(score) = combine(&own, Some(from_process)) {
                top.push(Ranked {
                    score,
                    is_document: true,
                    last_seen: proc.last_seen,
                    order: order(slot, Some(index as i64)),
                    item: (slot, Some(index)),
                });
            }
        }
    }
    !passed_over
}

/// Splits the scan order into at most `parts` runs of about equal documents.
fn split<'a>(scan: &'a [usize], processes: &[Proc], documents: usize, parts: usize) -> Vec<&'a [usize]> {
    if parts <= 1 || scan.len() < 2 {
        return vec![scan];
    }
    let share = documents / parts + 1;
    let mut runs = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, slot) in scan.iter().enumerate() {
        count += processes.get(*slot).map_or(0, |p| p.docs.len()) + 1;
        if count >= share {
            runs.push(&scan[start..=i]);
            start = i + 1;
            count = 0;
        }
    }
    if start < scan.len() {
        runs.push(&scan[start..]);
    }
    runs
}

fn hit(snapshot: &Snapshot, ranked: Ranked<(usize, Option<usize>)>) -> Option<Hit> {
    let (slot, document) = ranked.item;
    let proc = snapshot.processes.get(slot)?;
    let (kind, doc_id, doc_name) = match document {
        Some(index) => {
            let (_, id, name) = proc.doc(index)?;
            (HitKind::Document, Some(id.to_string()), name.map(str::to_string))
        }
        None => (HitKind::Process, None, None),
    };
    Some(Hit {
        kind,
        process_id: proc.process_id.clone(),
        process_name: proc.name.clone(),
        doc_id,
        doc_name,
        status: proc.status.clone(),
        score: ranked.score,
        last_seen: time_of(proc.last_seen),
    })
}

impl Index {
    /// Loads every process and document into a [`SearchIndex`] (once, when the
    /// search box is first used: it reads the whole file).
    pub fn search_index(&self) -> Result<SearchIndex, IndexError> {
        let conn = self.lock();
        let mut snapshot = Snapshot::default();
        let mut load = || -> rusqlite::Result<()> {
            let mut by_rowid: HashMap<i64, Proc> = HashMap::new();
            let mut order_of: Vec<i64> = Vec::new();
            let mut statement =
                conn.prepare("SELECT id, process_id, name, status, extra, last_seen FROM process ORDER BY id")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let extra: Map<String, Value> = row
                    .get_ref(4)?
                    .as_str_or_null()?
                    .and_then(|text| serde_json::from_str(text).ok())
                    .unwrap_or_default();
                let proc = snapshot.new_proc(
                    row.get_ref(1)?.as_str()?,
                    row.get_ref(2)?.as_str_or_null()?,
                    row.get_ref(3)?.as_str_or_null()?,
                    &extra,
                    row.get(5)?,
                );
                let rowid: i64 = row.get(0)?;
                order_of.push(rowid);
                by_rowid.insert(rowid, proc);
            }
            let mut statement = conn.prepare("SELECT process, doc_id, name, type FROM document")?;
            let mut rows = statement.query([])?;
            let mut buf = String::new();
            while let Some(row) = rows.next()? {
                let Some(proc) = by_rowid.get_mut(&row.get::<_, i64>(0)?) else {
                    continue;
                };
                snapshot.push_doc(
                    proc,
                    row.get_ref(1)?.as_str()?,
                    row.get_ref(2)?.as_str_or_null()?,
                    row.get_ref(3)?.as_str_or_null()?,
                    &mut buf,
                );
            }
            for rowid in order_of {
                if let Some(proc) = by_rowid.remove(&rowid) {
                    snapshot.put(proc);
                }
            }
            Ok(())
        };
        load().map_err(|e| self.sql_error(e))?;
        Ok(SearchIndex {
            snapshot: RwLock::new(snapshot),
            cache: Mutex::new(Vec::new()),
        })
    }
}
