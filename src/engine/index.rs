//! The local index as both front ends use it: [`IndexBook`] opens the index
//! of whichever profile the session works for, records every lookup
//! ([`super::lookup`]) and saved download ([`super::DownloadQueue`]) into it,
//! finds a saved copy that makes a download unnecessary, and answers
//! searches, history and "saved" questions. All disk work runs off the async
//! threads. A failure to record is logged and told once (the command goes on).

use crate::api::Process;
use crate::index::{CachedProcess, Index, IndexError, SavedFile, SearchIndex, StatusChange};
use crate::transfer::{DownloadRequest, Downloaded};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use time::OffsetDateTime;

/// Hears what the user should know about the index (already phrased; holds no secret).
pub type WarningHook = Arc<dyn Fn(String) + Send + Sync>;

/// The index of each profile under one data dir, opened on first use.
#[derive(Clone)]
pub struct IndexBook {
    inner: Arc<Inner>,
}

struct Inner {
    data_dir: PathBuf,
    open: Mutex<Option<(String, Arc<Index>)>>,
    search: Mutex<Option<(String, Arc<SearchIndex>)>>,
    warned: Mutex<HashSet<String>>,
    on_warning: Option<WarningHook>,
    lang: crate::i18n::Lang,
}

impl std::fmt::Debug for IndexBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexBook")
            .field("data_dir", &self.inner.data_dir)
            .finish_non_exhaustive()
    }
}

/// The guard of `mutex`, also after a panic elsewhere held it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl IndexBook {
    /// The indexes under `data_dir` (`index/<profile>.sqlite`); warnings only go to the log.
    pub fn new(data_dir: impl Into<PathBuf>) -> IndexBook {
        IndexBook::build(data_dir.into(), None, crate::i18n::Lang::En)
    }

    /// The same, telling `hook` (once per profile and kind) what the user should know.
    pub fn with_warnings(data_dir: impl Into<PathBuf>, hook: WarningHook) -> IndexBook {
        IndexBook::build(data_dir.into(), Some(hook), crate::i18n::Lang::En)
    }

    /// [`IndexBook::with_warnings`], the warnings in `lang`.
    pub fn with_warnings_in(data_dir: impl Into<PathBuf>, lang: crate::i18n::Lang, hook: WarningHook) -> IndexBook {
        IndexBook::build(data_dir.into(), Some(hook), lang)
    }

    fn build(data_dir: PathBuf, on_warning: Option<WarningHook>, lang: crate::i18n::Lang) -> IndexBook {
        IndexBook {
            inner: Arc::new(Inner {
                data_dir,
                open: Mutex::new(None),
                search: Mutex::new(None),
                warned: Mutex::new(HashSet::new()),
                on_warning,
                lang,
            }),
        }
    }

    /// The file of `profile`'s index.
    pub fn path(&self, profile: &str) -> Result<PathBuf, IndexError> {
        Index::path_for(&self.inner.data_dir, profile)
    }

    /// Tells the user `message` once per `key`.
    fn warn_once(&self, key: String, message: String) {
        tracing::warn!(%message, "index");
        if lock(&self.inner.warned).insert(key)
            && let Some(hook) = &self.inner.on_warning
        {
            hook(message);
        }
    }

    /// The index of `profile`, opened to write (blocking: call it off the async threads).
    pub fn open_blocking(&self, profile: &str) -> Result<Arc<Index>, IndexError> {
        if let Some((name, index)) = lock(&self.inner.open).as_ref()
            && name == profile
        {
            return Ok(index.clone());
        }
        let opened = Index::open(&self.path(profile)?)?;
        if let Some(notice) = opened.notice {
            self.warn_once(format!("{profile}: repaired"), notice.localized(self.inner.lang));
        }
        let index = Arc::new(opened.index);
        *lock(&self.inner.open) = Some((profile.to_string(), index.clone()));
        Ok(index)
    }

    /// The index of `profile` to read: opened to write when it can be, else
    /// read as it is (a read-only folder); `None` when there is none yet.
    pub fn open_to_read_blocking(&self, profile: &str) -> Result<Option<Arc<Index>>, IndexError> {
        if !self.path(profile)?.exists() {
            return Ok(None);
        }
        match self.open_blocking(profile) {
            Ok(index) => Ok(Some(index)),
            Err(IndexError::ReadOnly { .. }) => {
                Ok(Index::open_to_read(&self.path(profile)?)?.map(|opened| Arc::new(opened.index)))
            }
            Err(error) => Err(error),
        }
    }

    /// Runs `work` on a blocking thread with a handle to the book.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(IndexBook) -> Result<T, IndexError> + Send + 'static,
    ) -> Result<T, IndexError> {
        let book = self.clone();
        tokio::task::spawn_blocking(move || work(book))
            .await
            .unwrap_or_else(|error| {
                Err(IndexError::ReadOnly {
                    path: PathBuf::new(),
                    reason: crate::i18n::message!(
                        "index-work-stopped",
                        error = crate::i18n::Message::library_words(&error.to_string())
                    ),
                })
            })
    }

    /// Records `processes` as just seen by `profile`; a failure is a warning.
    pub async fn record(&self, profile: &str, processes: &[Process]) {
        if processes.is_empty() {
            return;
        }
        let (name, processes) = (profile.to_string(), processes.to_vec());
        let result = self
            .run(move |book| {
                let at = OffsetDateTime::now_utc();
                if let Some((loaded, search)) = lock(&book.inner.search).as_ref()
                    && *loaded == name
                {
                    search.record(&processes, at);
                }
                book.open_blocking(&name)?.record_processes(&processes, at)
            })
            .await;
        if let Err(error) = result {
            self.warn_once(format!("{profile}: write"), error.localized(self.inner.lang));
        }
    }

    /// Records a status `profile` saw for a process (a watch's check) without
    /// touching its documents; a failure is a warning.
    pub async fn record_status(&self, profile: &str, check: &crate::engine::watch::Check) {
        let (name, check) = (profile.to_string(), check.clone());
        let result = self
            .run(move |book| {
                book.open_blocking(&name)?.record_status(
                    &check.process_id,
                    check.process_name.as_deref(),
                    check.status.as_deref(),
                    check.at,
                )
            })
            .await;
        if let Err(error) = result {
            self.warn_once(format!("{profile}: write"), error.localized(self.inner.lang));
        }
    }

    /// Remembers a saved download of `profile`; a failure is a warning.
    pub async fn record_saved(&self, profile: &str, saved: &Downloaded) {
        let name = profile.to_string();
        let saved = SavedFile {
            attachment_id: saved.attachment_id.clone(),
            path: saved.path.clone(),
            bytes: saved.bytes,
            sha256: saved.sha256.clone(),
            at: OffsetDateTime::now_utc(),
        };
        let result = self
            .run(move |book| book.open_blocking(&name)?.record_saved(&saved))
            .await;
        if let Err(error) = result {
            self.warn_once(format!("{profile}: write"), error.localized(self.inner.lang));
        }
    }

    /// A copy of `request`'s attachment saved before anywhere under the
    /// folder `request` saves into, still there with the recorded size and
    /// SHA-256. Copies found changed or gone are forgotten.
    pub async fn reusable(&self, profile: &str, request: &DownloadRequest) -> Option<Downloaded> {
        let (name, request) = (profile.to_string(), request.clone());
        let found = self
            .run(move |book| {
                let Some(index) = book.open_to_read_blocking(&name)? else {
                    return Ok(None);
                };
                for copy in index.saved_copies(&request.attachment_id)? {
                    if !is_target_of(&copy.path, &request) {
                        continue;
                    }
                    if copy.is_intact() {
                        return Ok(Some(Downloaded {
                            attachment_id: copy.attachment_id,
                            path: copy.path,
                            bytes: copy.bytes,
                            sha256: copy.sha256,
                        }));
                    }
                    if index.is_writable() {
                        index.forget_saved(&copy.attachment_id, &copy.path)?;
                    }
                }
                Ok(None)
            })
            .await;
        found.unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot look for a saved copy; downloading");
            None
        })
    }

    /// The in-memory search over `profile`'s index, loaded from the file on
    /// the first call (an empty one when there is no index yet); kept up to
    /// date by every later [`IndexBook::record`].
    pub async fn search_index(&self, profile: &str) -> Result<Arc<SearchIndex>, IndexError> {
        let name = profile.to_string();
        self.run(move |book| {
            if let Some((loaded, search)) = lock(&book.inner.search).as_ref()
                && *loaded == name
            {
                return Ok(search.clone());
            }
            let search = match book.open_to_read_blocking(&name)? {
                Some(index) => Arc::new(index.search_index()?),
                None => Arc::new(SearchIndex::new()),
            };
            *lock(&book.inner.search) = Some((name, search.clone()));
            Ok(search)
        })
        .await
    }

    /// `process_id` as `profile` last saw it, or `None`.
    pub async fn cached_process(&self, profile: &str, process_id: &str) -> Result<Option<CachedProcess>, IndexError> {
        let (name, id) = (profile.to_string(), process_id.to_string());
        self.run(move |book| match book.open_to_read_blocking(&name)? {
            Some(index) => index.cached_process(&id),
            None => Ok(None),
        })
        .await
    }

    /// The status changes `profile` saw for `process_id`, oldest first; `None` when never seen.
    pub async fn history(&self, profile: &str, process_id: &str) -> Result<Option<Vec<StatusChange>>, IndexError> {
        let (name, id) = (profile.to_string(), process_id.to_string());
        self.run(move |book| match book.open_to_read_blocking(&name)? {
            Some(index) => index.history(&id),
            None => Ok(None),
        })
        .await
    }

    /// For each attachment id, its newest saved copy still on disk with its size (a documents list's "saved").
    pub async fn saved_files(
        &self,
        profile: &str,
        attachment_ids: Vec<String>,
    ) -> Result<HashMap<String, SavedFile>, IndexError> {
        let name = profile.to_string();
        self.run(move |book| match book.open_to_read_blocking(&name)? {
            Some(index) => {
                let ids: Vec<&str> = attachment_ids.iter().map(String::as_str).collect();
                index.saved_files(&ids)
            }
            None => Ok(HashMap::new()),
        })
        .await
    }

    /// Forgets `profile`'s index; the counts of processes and documents it held.
    pub async fn clear(&self, profile: &str) -> Result<(usize, usize), IndexError> {
        let name = profile.to_string();
        self.run(move |book| {
            let counts = book.open_blocking(&name)?.clear()?;
            let mut search = lock(&book.inner.search);
            if search.as_ref().is_some_and(|(loaded, _)| *loaded == name) {
                *search = None;
            }
            Ok(counts)
        })
        .await
    }
}

/// Whether `path` is inside the folder `request` saves into. A request for
/// an exact file (`--output FILE`) never takes a copy: that file is made
/// anew, or refused when it exists.
fn is_target_of(path: &Path, request: &DownloadRequest) -> bool {
    request.output.is_none() && std::path::absolute(&request.dir).is_ok_and(|dir| path.starts_with(dir))
}
