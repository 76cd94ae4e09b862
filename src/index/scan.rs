//! One search straight from the file, for `trackline search`: every row is
//! read once and scored as it comes, with no index of words built first
//! (building one costs more than the search it would speed up). A document
//! whose characters cannot hold the query's words is passed over before its
//! name is split; the documents of the second half of the processes are read
//! on a second connection and thread. Ranks exactly as [`super::SearchIndex`] does.

use super::entry::{document_texts, process_texts, score_text};
use super::hits::{Hit, HitKind, Ranked, SearchResults, TopN, combine};
use super::query::{Scratch, SearchQuery, Word};
use super::read::time_of;
use super::words::quick_mask;
use super::{Index, IndexError};
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// Below this many processes the documents are read on one thread.
const PARALLEL_FROM: usize = 64;

/// A process as the scan keeps it while reading its documents.
struct Seen {
    rowid: i64,
    process_id: String,
    name: Option<String>,
    status: Option<String>,
    last_seen: i64,
    scores: Vec<u16>,
}

/// A match: the process (its place in the scan), and for a document its position.
#[derive(Clone, Copy)]
struct Found {
    process: usize,
    position: Option<i64>,
}

impl Index {
    /// The best `limit` processes and documents for `query`, best first.
    pub fn search(&self, query: &SearchQuery, limit: usize) -> Result<SearchResults, IndexError> {
        let words = query.words();
        let conn = self.lock();
        let seen = read_processes(&conn, words).map_err(|e| self.sql_error(e))?;
        let slots: HashMap<i64, usize> = seen.iter().enumerate().map(|(slot, p)| (p.rowid, slot)).collect();
        let mut top: TopN<Found> = TopN::new(limit);
        for (slot, process) in seen.iter().enumerate() {
            if let Some(score) = combine(&process.scores, None) {
                top.push(Ranked {
                    score,
                    is_document: false,
                    last_seen: process.last_seen,
                    order: order(slot, None),
                    item: Found {
                        process: slot,
                        position: None,
                    },
                });
            }
        }
        let split = (seen.len() >= PARALLEL_FROM)
            .then(|| seen.get(seen.len() / 2).map(|p| p.rowid))
            .flatten()
            .filter(|_| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1));
        let context = (words, seen.as_slice(), &slots, limit);
        let (first, second) = match split.map(|mid| (mid, self.reader())) {
            Some((mid, Ok(reader))) => std::thread::scope(|scope| {
                let later = scope.spawn(move || scan_documents(&reader, context, mid, i64::MAX));
                let first = scan_documents(&conn, context, i64::MIN, mid);
                let second = later.join().unwrap_or_else(|_| Err(rusqlite::Error::InvalidQuery));
                (first, Some(second))
            }),
            _ => (scan_documents(&conn, context, i64::MIN, i64::MAX), None),
        };
        top.merge(first.map_err(|e| self.sql_error(e))?);
        if let Some(second) = second {
            top.merge(second.map_err(|e| self.sql_error(e))?);
        }
        let total = top.total;
        let mut hits = Vec::new();
        for ranked in top.into_sorted() {
            let Some(process) = seen.get(ranked.item.process) else {
                continue;
            };
            let (doc_id, doc_name) = match ranked.item.position {
                Some(position) => conn
                    .prepare_cached("SELECT doc_id, name FROM document WHERE process = ?1 AND position = ?2")
                    .and_then(|mut s| {
                        s.query_row(params![process.rowid, position], |row| {
                            Ok((Some(row.get::<_, String>(0)?), row.get::<_, Option<String>>(1)?))
                        })
                    })
                    .map_err(|e| self.sql_error(e))?,
                None => (None, None),
            };
            hits.push(Hit {
                kind: if doc_id.is_some() {
                    HitKind::Document
                } else {
                    HitKind::Process
                },
                process_id: process.process_id.clone(),
                process_name: process.name.clone(),
                doc_id,
                doc_name,
                status: process.status.clone(),
                score: ranked.score,
                last_seen: time_of(process.last_seen),
            });
        }
        Ok(SearchResults {
            hits,
            total: Some(total),
        })
    }
}

/// Every process, in the order of recording, with its best score for each word.
fn read_processes(conn: &Connection, words: &[Word]) -> rusqlite::Result<Vec<Seen>> {
    let mut scratch = Scratch::new();
    let mut statement =
        conn.prepare("SELECT id, process_id, name, status, extra, last_seen FROM process ORDER BY id")?;
    let mut rows = statement.query([])?;
    let mut seen = Vec::new();
    while let Some(row) = rows.next()? {
        let process_id: String = row.get(1)?;
        let name: Option<String> = row.get(2)?;
        let status: Option<String> = row.get(3)?;
        let extra = row
            .get_ref(4)?
            .as_str_or_null()?
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default();
        let mut scores = vec![0u16; words.len()];
        process_texts(&process_id, name.as_deref(), status.as_deref(), &extra, |text| {
            score_text(words, text, &mut scratch, &mut scores)
        });
        seen.push(Seen {
            rowid: row.get(0)?,
            process_id,
            name,
            status,
            last_seen: row.get(5)?,
            scores,
        });
    }
    Ok(seen)
}

/// Ranks the documents of the processes whose row id is in `from..until`.
fn scan_documents(
    conn: &Connection,
    (words, seen, slots, limit): (&[Word], &[Seen], &HashMap<i64, usize>, usize),
    from: i64,
    until: i64,
) -> rusqlite::Result<TopN<Found>> {
    let mut scratch = Scratch::new();
    let mut top = TopN::new(limit);
    let mut statement = conn
        .prepare("SELECT process, position, doc_id, name, type FROM document WHERE process >= ?1 AND process < ?2")?;
    let mut rows = statement.query([from, until])?;
    let mut own = vec![0u16; words.len()];
    while let Some(row) = rows.next()? {
        let Some(&slot) = slots.get(&row.get::<_, i64>(0)?) else {
            continue;
        };
        let Some(process) = seen.get(slot) else {
            continue;
        };
        let (doc_id, name, doc_type) = (
            row.get_ref(2)?.as_str()?,
            row.get_ref(3)?.as_str_or_null()?,
            row.get_ref(4)?.as_str_or_null()?,
        );
        let mut mask = doc_type.map_or(0, quick_mask);
        document_texts(doc_id, name, None, |text| mask |= quick_mask(text));
        let hopeless = words
            .iter()
            .zip(&process.scores)
            .any(|(word, inherited)| inherited / 2 == 0 && !word.may_match(mask));
        if hopeless || !words.iter().any(|word| word.may_match(mask)) {
            continue;
        }
        own.fill(0);
        document_texts(doc_id, name, doc_type, |text| {
            score_text(words, text, &mut scratch, &mut own)
        });
        if let Some(score) = combine(&own, Some(&process.scores)) {
            let position: i64 = row.get(1)?;
            top.push(Ranked {
                score,
                is_document: true,
                last_seen: process.last_seen,
                order: order(slot, Some(position)),
                item: Found {
                    process: slot,
                    position: Some(position),
                },
            });
        }
    }
    Ok(top)
}

/// The order of recording among equal matches: by process, then document.
pub(crate) fn order(process: usize, position: Option<i64>) -> u64 {
    let document = position.map_or(0, |p| u64::try_from(p).unwrap_or(0).saturating_add(1));
    ((process as u64) << 32) | document.min(u64::from(u32::MAX))
}
