//! The worker: a thin actor that turns each [`Command`] into a call to the
//! engine, run as its own cancellable task, and answers with [`Event`]s. The
//! command loop itself never waits for the network, the disk or the keyring.

use crate::api::client::{RetryHook, RetryNotice};
use crate::api::{Document, ProcessQuery};
use crate::config::{Overrides, Paths, Settings};
use crate::engine::session::SessionError;
use crate::engine::{
    Credentials, DownloadEvent, DownloadQueue, IndexBook, KeptPassword, Profile, SessionManager, SessionNotice, lookup,
};
use crate::store::Session;
use crate::transfer::{DownloadRequest, TransferError, naming::process_folder_name};
use crate::worker::watching::{Running, Watching};
use crate::worker::{Command, DownloadId, Event, ProcessRef, ReqId, RetryTarget, SignedIn};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;

/// What the worker starts from: the run's paths, its settings, and the flags
/// to resolve another profile's settings with when the user switches.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Where sessions, remembered emails and recent processes live.
    pub paths: Paths,
    /// The effective settings of the profile in use.
    pub settings: Settings,
    /// The run's config file and flags (another profile's server and
    /// download dir replace the profile's own).
    pub overrides: Overrides,
}

/// A running worker: send it commands, read its events.
pub struct WorkerHandle {
    commands: UnboundedSender<Command>,
    /// Events from the worker, for the event loop.
    pub events: UnboundedReceiver<Event>,
    shutdown: CancellationToken,
}

impl WorkerHandle {
    /// Queues a command; a worker that has stopped ignores it.
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// Stops every task in flight; downloads keep their `.part` files.
    pub fn shutdown(&self) {
        self.shutdown.cancel();
    }

    /// Stops every task in flight and waits (at most `grace`) until they have
    /// ended, so that cancelled downloads have flushed their `.part` files.
    pub async fn finish(mut self, grace: std::time::Duration) {
        self.shutdown.cancel();
        let drained = async { while self.events.recv().await.is_some() {} };
        if tokio::time::timeout(grace, drained).await.is_err() {
            tracing::warn!("some tasks did not stop in time");
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Starts the worker on the current tokio runtime, with the profile's stored
/// session when it is still usable (returned, for the app's first screen).
pub async fn start(config: WorkerConfig) -> Result<(WorkerHandle, Option<Session>), SessionError> {
    let (command_tx, command_rx) = unbounded_channel();
    let (event_tx, event_rx) = unbounded_channel();
    let kept = Arc::new(KeptPassword::default());
    let notices = event_tx.clone();
    let warnings = event_tx.clone();
    let book = crate::engine::IndexBook::with_warnings(
        config.paths.data_dir.clone(),
        Arc::new(move |warning| {
            let _ = warnings.send(Event::Warning(warning));
        }),
    );
    let session = SessionManager::new(
        crate::engine::ClientFactory::from_settings(&config.settings),
        Profile::from_settings(&config.paths, &config.settings),
        &config.settings.base_url,
        kept.clone(),
    )?
    .with_index(book)
    .with_notices(Arc::new(move |notice| {
        let _ = notices.send(match notice {
            SessionNotice::Renewed { expires_at } => Event::SessionRenewed { expires_at },
            SessionNotice::Warning(warning) => Event::Warning(warning),
        });
    }));
    let stored = session.resume().await?;
    let session = Arc::new(session);
    let shutdown = CancellationToken::new();
    let watch = start_watching(&config, &session, &event_tx, &shutdown).await;
    let index = super::index::IndexWork::new(session.clone(), event_tx.clone(), config.settings.lang);
    let worker = Worker {
        index,
        queue: Arc::new(DownloadQueue::new(session.clone(), config.settings.concurrency)),
        session,
        kept,
        config: Arc::new(Mutex::new(config)),
        events: event_tx,
        lookups: HashMap::new(),
        preview: None,
        shutdown: shutdown.clone(),
        watch,
    };
    worker.spawn(worker.index.clone().preload());
    tokio::spawn(worker.run(command_rx));
    let handle = WorkerHandle {
        commands: command_tx,
        events: event_rx,
        shutdown,
    };
    Ok((handle, stored))
}

struct Worker {
    index: super::index::IndexWork,
    session: Arc<SessionManager>,
    kept: Arc<KeptPassword>,
    queue: Arc<DownloadQueue>,
    config: Arc<Mutex<WorkerConfig>>,
    events: UnboundedSender<Event>,
    lookups: HashMap<ReqId, CancellationToken>,
    /// The preview in flight; a new one stops it.
    preview: Option<super::preview::Running>,
    shutdown: CancellationToken,
    /// The watched set and its watcher.
    watch: Running,
}

/// Starts the watch of the watched set (see [`super::watching`]) until `shutdown`.
async fn start_watching(
    config: &WorkerConfig,
    session: &Arc<SessionManager>,
    events: &UnboundedSender<Event>,
    shutdown: &CancellationToken,
) -> Running {
    let warnings = events.clone();
    let book = session.index().cloned().unwrap_or_else(|| {
        IndexBook::with_warnings(
            config.paths.data_dir.clone(),
            Arc::new(move |warning| {
                let _ = warnings.send(Event::Warning(crate::text::safe_line(&warning, 300)));
            }),
        )
    });
    let watching = Watching {
        session: session.clone(),
        book,
        legacy: config.paths.watched_file(),
        interval: std::time::Duration::from_secs(config.settings.watch_interval_secs),
        notify: config.settings.notify,
        events: events.clone(),
        lang: config.settings.lang,
    };
    let cancel = shutdown.child_token();
    watching
        .start(move |task| {
            tokio::spawn(async move {
                tokio::select! {
                    () = cancel.cancelled() => {}
                    () = task => {}
                }
            });
        })
        .await
}

impl Worker {
    async fn run(mut self, mut commands: UnboundedReceiver<Command>) {
        loop {
            let command = tokio::select! {
                () = self.shutdown.cancelled() => break,
                command = commands.recv() => match command {
                    Some(command) => command,
                    None => break,
                },
            };
            self.handle(command);
        }
        // A change of the watched set sent just before quitting is still written.
        while let Ok(command) = commands.try_recv() {
            if matches!(command, Command::Watch(_) | Command::Unwatch(_)) {
                self.handle(command);
            }
        }
        self.queue.cancel_all();
        self.shutdown.cancel();
    }

    fn config(&self) -> WorkerConfig {
        self.config.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Runs `task` until it ends or the worker shuts down.
    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        let cancel = self.shutdown.child_token();
        tokio::spawn(async move {
            tokio::select! {
                () = cancel.cancelled() => {}
                () = task => {}
            }
        });
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Login {
                email,
                password,
                base_url,
                remember_password,
            } => self.login(email, password, base_url, remember_password),
            Command::Logout => {
                let (session, events) = (self.session.clone(), self.events.clone());
                self.spawn(async move {
                    if let Err(error) = session.logout().await {
                        tracing::warn!(%error, "cannot delete the session");
                    }
                    let _ = events.send(Event::LoggedOut);
                });
            }
            Command::Renew => {
                let (session, events) = (self.session.clone(), self.events.clone());
                let (_, seen) = session.snapshot();
                self.spawn(async move {
                    if session.renew(seen).await.is_none() {
                        let _ = events.send(Event::SessionExpired);
                    }
                });
            }
            Command::SwitchProfile(profile) => self.switch_profile(profile),
            Command::FetchProcess { req, query } => self.fetch(req, query),
            Command::CancelRequest(req) => {
                if let Some(token) = self.lookups.remove(&req) {
                    token.cancel();
                }
            }
            Command::Download {
                id,
                doc,
                process,
                force,
            } => self.download(id, doc, process, force),
            Command::CancelDownload(id) => {
                if !self.queue.cancel(id.0) {
                    let _ = self.events.send(Event::DownloadCancelled { id });
                }
            }
            Command::CancelAllDownloads => self.queue.cancel_all(),
            Command::Open(path) => {
                let settings = self.config().settings;
                let (opener, lang) = (settings.opener, settings.lang);
                let events = self.events.clone();
                self.spawn(async move {
                    let event = match crate::engine::open::open(&path, opener.as_deref()).await {
                        Ok(()) => Event::Opened(path),
                        Err(error) => Event::OpenFailed {
                            path,
                            error: error.text_in(lang),
                        },
                    };
                    let _ = events.send(event);
                });
            }
            Command::Watch(id) => {
                if self.watch.set.add(&id) {
                    self.watch.control.watch(id);
                    self.watch.set.save(self.events.clone());
                }
            }
            Command::Unwatch(id) => {
                if self.watch.set.remove(&id) {
                    self.watch.control.unwatch(id);
                    self.watch.set.save(self.events.clone());
                }
            }
            Command::Preview {
                req,
                doc_id,
                saved,
                picture,
                page,
            } => {
                if let Some(running) = self.preview.take() {
                    running.stop();
                }
                let config = self.config();
                let cache = crate::engine::preview::PreviewCache::new(
                    &config.paths,
                    &config.settings.base_url,
                    config.settings.preview_cache_bytes,
                );
                self.preview = Some(super::preview::start(
                    self.session.clone(),
                    cache,
                    super::preview::Request {
                        req,
                        doc_id,
                        saved,
                        picture,
                        page,
                    },
                    &self.shutdown,
                    self.events.clone(),
                    config.settings.lang,
                ));
            }
            Command::PreviewEntry {
                req,
                doc_id,
                archive,
                entry,
                picture,
            } => {
                if let Some(running) = self.preview.take() {
                    running.stop();
                }
                self.preview = Some(super::preview::start_entry(
                    super::preview::EntryRequest {
                        req,
                        doc_id,
                        archive,
                        entry,
                        picture,
                    },
                    &self.shutdown,
                    self.events.clone(),
                    self.config().settings.lang,
                ));
            }
            Command::CancelPreview(req) => {
                if let Some(running) = self.preview.take_if(|r| r.is(req)) {
                    running.stop();
                }
            }
            Command::SaveRecent(entries) => {
                let file = self.config().paths.recent_file();
                tokio::task::spawn_blocking(move || {
                    if let Err(error) = crate::store::recent::save(&file, &entries) {
                        tracing::warn!(%error, file = %file.display(), "cannot save the recent processes");
                    }
                });
            }
            Command::SearchIndex(text) => self.spawn(self.index.search(text)),
            Command::CachedProcess(process_id) => self.spawn(self.index.clone().cached(process_id)),
            Command::SavedFiles(attachment_ids) => self.spawn(self.index.clone().saved(attachment_ids)),
        }
    }

    fn login(&mut self, email: String, password: SecretString, base_url: String, remember_password: bool) {
        let (session, kept, events) = (self.session.clone(), self.kept.clone(), self.events.clone());
        self.spawn(async move {
            let credentials = Credentials {
                email: email.trim().to_string(),
                password,
            };
            match session.login(Some(&base_url), &credentials).await {
                Ok(logged_in) => {
                    match &logged_in.stored {
                        Ok(stored) => {
                            if let Some(warning) = stored.warning() {
                                let _ = events.send(Event::Warning(warning.to_string()));
                            }
                        }
                        Err(error) => tracing::warn!(%error, "cannot store the session"),
                    }
                    kept.keep(remember_password.then_some(credentials));
                    let _ = events.send(Event::LoggedIn {
                        email: logged_in.session.email.clone(),
                        base_url: logged_in.session.base_url.clone(),
                        expires_at: logged_in.session.expires_at,
                    });
                }
                Err(error) => {
                    let _ = events.send(Event::LoginFailed(error));
                }
            }
        });
    }

    /// Resolves `profile`'s settings (its server, email and download dir; the
    /// run's config file and flags otherwise) and works for it from now on,
    /// with its stored session when that is still usable. Tasks in flight
    /// finish as they started; a password kept for the old profile is forgotten.
    fn switch_profile(&mut self, profile: String) {
        let (session, events, shared) = (self.session.clone(), self.events.clone(), self.config.clone());
        let current = self.config();
        let (watched, control) = (self.watch.set.clone(), self.watch.control.clone());
        self.spawn(async move {
            let overrides = Overrides {
                profile: Some(profile.clone()),
                base_url: None,
                download_dir: None,
                ..current.overrides.clone()
            };
            let paths = current.paths.clone();
            let resolved = tokio::task::spawn_blocking(move || Settings::resolve(&paths, &overrides))
                .await
                .map_err(|e| e.to_string())
                .and_then(|settings| settings.map_err(|e| e.to_string()));
            let switched = match resolved {
                Ok(settings) => {
                    let target = Profile::from_settings(&current.paths, &settings);
                    session
                        .switch(target, &settings.base_url)
                        .await
                        .map(|stored| (settings, stored))
                        .map_err(|e| e.to_string())
                }
                Err(error) => Err(error),
            };
            match switched {
                Ok((settings, stored)) => {
                    tracing::info!(profile, base_url = %settings.base_url, "switched profiles");
                    let profile_name = session.profile().name;
                    let event = Event::ProfileSwitched {
                        profile,
                        base_url: session.client().base_url().to_string(),
                        base_url_origin: settings.base_url_origin(),
                        email: settings.email.clone(),
                        session: stored.map(|s| SignedIn {
                            email: s.email,
                            expires_at: s.expires_at,
                        }),
                    };
                    shared.lock().unwrap_or_else(PoisonError::into_inner).settings = settings;
                    let _ = events.send(event);
                    let legacy = current.paths.watched_file();
                    super::watching::switch_to(&watched, &control, profile_name, legacy, &events).await;
                }
                Err(error) => {
                    tracing::warn!(profile, %error, "cannot switch profiles");
                    let _ = events.send(Event::ProfileSwitchFailed {
                        profile,
                        error: crate::text::safe_line(&error, 300),
                    });
                }
            }
        });
    }

    fn fetch(&mut self, req: ReqId, query: ProcessQuery) {
        let cancel = self.shutdown.child_token();
        self.lookups.retain(|_, token| !token.is_cancelled());
        self.lookups.insert(req, cancel.clone());
        let (session, events) = (self.session.clone(), self.events.clone());
        let hook = retry_hook(events.clone(), RetryTarget::Lookup(req));
        let index = self.index.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = cancel.cancelled() => {}
                result = lookup::process(&session, &query, Some(hook)) => {
                    cancel.cancel();
                    let found = result.as_ref().ok().cloned();
                    let _ = events.send(Event::ProcessLoaded { req, result });
                    if let Some(processes) = found {
                        index.looked_up(processes).await;
                    }
                }
            }
        });
    }

    fn download(&mut self, id: DownloadId, doc: Document, process: ProcessRef, force: bool) {
        let cancel = self.queue.register(id.0);
        let (queue, events) = (self.queue.clone(), self.events.clone());
        let settings = self.config().settings;
        let lang = settings.lang;
        let dir = settings
            .download_dir
            .join(process_folder_name(process.id.as_str(), process.name.as_deref()));
        let request = DownloadRequest {
            doc_name: doc.doc_name.clone(),
            ..DownloadRequest::new(doc.doc_id.as_str(), dir)
        };
        let progress_events = events.clone();
        let on_event = Arc::new(move |event: DownloadEvent| {
            let _ = progress_events.send(match event {
                DownloadEvent::Verifying { bytes } => Event::DownloadVerifying { id, bytes },
                DownloadEvent::Started { received, total } => Event::DownloadStarted { id, received, total },
                DownloadEvent::Progress(progress) => Event::Progress {
                    id,
                    received: progress.received,
                    total: progress.total,
                },
                DownloadEvent::Retrying(notice) => Event::Retrying {
                    target: RetryTarget::Download(id),
                    attempt: notice.attempt,
                    max_attempts: notice.max_attempts,
                    delay: notice.delay,
                },
            });
        });
        tokio::spawn(async move {
            let result = queue
                .download_or_reuse(Some(id.0), &request, force, &cancel, on_event)
                .await;
            let event = match result {
                Ok(fetched) if fetched.skipped => Event::AlreadySaved {
                    id,
                    path: fetched.file.path,
                    bytes: fetched.file.bytes,
                    sha256: fetched.file.sha256,
                },
                Ok(fetched) => Event::Downloaded {
                    id,
                    path: fetched.file.path,
                    bytes: fetched.file.bytes,
                    sha256: fetched.file.sha256,
                },
                Err(TransferError::Cancelled { .. }) => Event::DownloadCancelled { id },
                Err(error) => Event::DownloadFailed {
                    id,
                    retryable: error.is_retryable(),
                    needs_login: matches!(&error, TransferError::Api(api) if api.needs_login()),
                    error: error.localized(lang),
                },
            };
            let _ = events.send(event);
        });
    }
}

/// A retry hook that reports each retry of `target` as an [`Event::Retrying`].
fn retry_hook(events: UnboundedSender<Event>, target: RetryTarget) -> RetryHook {
    Arc::new(move |notice: &RetryNotice| {
        let _ = events.send(Event::Retrying {
            target,
            attempt: notice.attempt,
            max_attempts: notice.max_attempts,
            delay: notice.delay,
        });
    })
}
