//! The worker's work on the local index: searching as the user types, a
//! process as last seen, and which documents have an intact saved copy. The
//! in-memory search is loaded once per profile on a blocking thread and
//! shared; each search runs on a blocking thread too, and one that a newer
//! keystroke has overtaken before it started is skipped.

use crate::api::Process;
use crate::engine::{IndexBook, SessionManager};
use crate::index::SearchQuery;
use crate::worker::Event;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc::UnboundedSender;

/// How many matches a search as you type lists.
pub(crate) const MATCH_LIMIT: usize = 20;

/// The index work of one worker.
#[derive(Clone)]
pub(crate) struct IndexWork {
    session: Arc<SessionManager>,
    events: UnboundedSender<Event>,
    latest: Arc<AtomicU64>,
    lang: crate::i18n::Lang,
}

impl IndexWork {
    /// The index work over `session`'s index, answering on `events`.
    pub(crate) fn new(
        session: Arc<SessionManager>,
        events: UnboundedSender<Event>,
        lang: crate::i18n::Lang,
    ) -> IndexWork {
        IndexWork {
            session,
            events,
            latest: Arc::new(AtomicU64::new(0)),
            lang,
        }
    }

    fn book(&self) -> Option<(IndexBook, String)> {
        let book = self.session.index()?.clone();
        Some((book, self.session.profile().name))
    }

    /// Loads the profile's in-memory search, so that the first keystroke finds it ready.
    pub(crate) async fn preload(self) {
        let Some((book, profile)) = self.book() else { return };
        if let Err(error) = book.search_index(&profile).await {
            let _ = self.events.send(Event::Warning(crate::tr!(
                self.lang,
                "index-cannot-search",
                error = error.localized(self.lang)
            )));
        }
    }

    /// Searches for `text`; answers with [`Event::IndexMatches`] unless a
    /// newer search overtook it. Call it on the command loop (it numbers the
    /// search there) and run the future it returns as a task.
    pub(crate) fn search(&self, text: String) -> impl Future<Output = ()> + Send + 'static {
        let mine = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        self.clone().search_numbered(text, mine)
    }

    async fn search_numbered(self, text: String, mine: u64) {
        let Some((book, profile)) = self.book() else { return };
        let index = match book.search_index(&profile).await {
            Ok(index) => index,
            Err(error) => {
                let _ = self.events.send(Event::IndexMatches {
                    query: text,
                    hits: Err(crate::text::safe_line(&error.localized(self.lang), 300)),
                });
                return;
            }
        };
        let latest = self.latest.clone();
        let query = text.clone();
        let lang = self.lang;
        let hits = tokio::task::spawn_blocking(move || {
            if latest.load(Ordering::SeqCst) != mine {
                return None;
            }
            Some(match SearchQuery::parse(&query) {
                Ok(parsed) => Ok(index.search(&parsed, MATCH_LIMIT).hits),
                Err(error) => Err(error.localized(lang)),
            })
        })
        .await;
        if let Ok(Some(hits)) = hits {
            let _ = self.events.send(Event::IndexMatches { query: text, hits });
        }
    }

    /// Reads `process_id` as last seen; answers with [`Event::CachedProcess`]
    /// and, when it was seen, [`Event::SavedFiles`] for its documents.
    pub(crate) async fn cached(self, process_id: String) {
        let Some((book, profile)) = self.book() else { return };
        let cached = match book.cached_process(&profile, &process_id).await {
            Ok(cached) => cached.map(Box::new),
            Err(error) => {
                tracing::warn!(%error, "cannot read a cached process");
                None
            }
        };
        let documents = cached.as_ref().map(|c| attachment_ids(&c.process));
        let _ = self.events.send(Event::CachedProcess { process_id, cached });
        if let Some(ids) = documents {
            self.saved(ids).await;
        }
    }

    /// After a lookup: the saved copies of every document found, and when
    /// the status of a single process found last changed.
    pub(crate) async fn looked_up(self, processes: Vec<Process>) {
        let ids: Vec<String> = processes.iter().flat_map(attachment_ids).collect();
        if let [process] = processes.as_slice() {
            self.clone()
                .cached_status(process.process_id.as_str().to_string())
                .await;
        }
        self.saved(ids).await;
    }

    async fn cached_status(self, process_id: String) {
        let Some((book, profile)) = self.book() else { return };
        if let Ok(Some(cached)) = book.cached_process(&profile, &process_id).await {
            let _ = self.events.send(Event::CachedProcess {
                process_id,
                cached: Some(Box::new(cached)),
            });
        }
    }

    /// Finds the intact saved copies of `attachment_ids`; answers with [`Event::SavedFiles`].
    pub(crate) async fn saved(self, attachment_ids: Vec<String>) {
        if attachment_ids.is_empty() {
            return;
        }
        let Some((book, profile)) = self.book() else { return };
        let found = match book.saved_files(&profile, attachment_ids.clone()).await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, "cannot read the saved copies");
                return;
            }
        };
        let files = attachment_ids
            .into_iter()
            .map(|id| {
                let path = found.get(&id).map(|file| file.path.clone());
                (id, path)
            })
            .collect();
        let _ = self.events.send(Event::SavedFiles { files });
    }
}

fn attachment_ids(process: &Process) -> Vec<String> {
    process
        .documents
        .iter()
        .map(|d| d.doc_id.as_str().to_string())
        .collect()
}
