//! One search straight from the file, for `trackline search`: every row is
//! read once and scored as it comes, with no index of words built first
//! (building one costs more than the search it would speed up). Ranks
//! exactly as [`super::SearchIndex`] does.

use super::entry::{document_texts, process_texts, score_text};
use super::hits::{Hit, HitKind, Ranked, SearchResults, TopN, combine};
use super::query::{Scratch, SearchQuery};
use super::read::time_of;
use super::{Index, IndexError};
use rusqlite::params;
use std::collections::HashMap;

/// A process as the scan keeps it while reading its documents.
struct Seen {
    process_id: String,
    name: Option<String>,
    status: Option<String>,
    last_seen: i64,
    scores: Vec<u16>,
}

/// A match: the process, and for a document its position in the process.
#[derive(Clone, Copy)]
struct Found {
    process: usize,
    rowid: i64,
    position: Option<i64>,
}

impl Index {
    /// The best `limit` processes and documents for `query`, best first.
    pub fn search(&self, query: &SearchQuery, limit: usize) -> Result<SearchResults, IndexError> {
        let conn = self.lock();
        let words = query.words();
        let mut scratch = Scratch::new();
        let mut top: TopN<Found> = TopN::new(limit);
        let mut seen: Vec<Seen> = Vec::new();
        let mut slots: HashMap<i64, usize> = HashMap::new();
        let mut run = |top: &mut TopN<Found>, seen: &mut Vec<Seen>, slots: &mut HashMap<i64, usize>| {
            let mut statement =
                conn.prepare("SELECT id, process_id, name, status, extra, last_seen FROM process ORDER BY id")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let rowid: i64 = row.get(0)?;
                let process_id: String = row.get(1)?;
                let name: Option<String> = row.get(2)?;
                let status: Option<String> = row.get(3)?;
                let extra = row
                    .get_ref(4)?
                    .as_str_or_null()?
                    .and_then(|text| serde_json::from_str(text).ok())
                    .unwrap_or_default();
                let last_seen: i64 = row.get(5)?;
                let mut scores = vec![0u16; words.len()];
                process_texts(&process_id, name.as_deref(), status.as_deref(), &extra, |text| {
                    score_text(words, text, &mut scratch, &mut scores)
                });
                let slot = seen.len();
                if let Some(score) = combine(&scores, None) {
                    top.push(Ranked {
                        score,
                        is_document: false,
                        last_seen,
                        order: order(slot, None),
                        item: Found {
                            process: slot,
                            rowid,
                            position: None,
                        },
                    });
                }
                slots.insert(rowid, slot);
                seen.push(Seen {
                    process_id,
                    name,
                    status,
                    last_seen,
                    scores,
                });
            }
            let mut statement = conn.prepare("SELECT process, position, doc_id, name, type FROM document")?;
            let mut rows = statement.query([])?;
            let mut own = vec![0u16; words.len()];
            while let Some(row) = rows.next()? {
                let rowid: i64 = row.get(0)?;
                let Some(&slot) = slots.get(&rowid) else { continue };
                let Some(process) = seen.get(slot) else { continue };
                own.fill(0);
                document_texts(
                    row.get_ref(2)?.as_str()?,
                    row.get_ref(3)?.as_str_or_null()?,
                    row.get_ref(4)?.as_str_or_null()?,
                    |text| score_text(words, text, &mut scratch, &mut own),
                );
                if let Some(score) = combine(&own, Some(&process.scores)) {
                    let position: i64 = row.get(1)?;
                    top.push(Ranked {
                        score,
                        is_document: true,
                        last_seen: process.last_seen,
                        order: order(slot, Some(position)),
                        item: Found {
                            process: slot,
                            rowid,
                            position: Some(position),
                        },
                    });
                }
            }
            Ok::<_, rusqlite::Error>(())
        };
        run(&mut top, &mut seen, &mut slots).map_err(|e| self.sql_error(e))?;
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
                        s.query_row(params![ranked.item.rowid, position], |row| {
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

/// The order of recording among equal matches: by process, then document.
pub(crate) fn order(process: usize, position: Option<i64>) -> u64 {
    let document = position.map_or(0, |p| u64::try_from(p).unwrap_or(0).saturating_add(1));
    ((process as u64) << 32) | document.min(u64::from(u32::MAX))
}
