//! The worker: owns the client and runs every [`Command`] as its own task,
//! each cancellable, answering with [`Event`]s. The only place where the
//! terminal UI and the network meet.

use crate::api::client::{RetryHook, RetryNotice};
use crate::api::session::{ProfileMemory, Session, TokenStore};
use crate::api::{ApiError, Client, ClientOptions, RetryPolicy};
use crate::config::{Overrides, Paths, Settings, TokenStoreKind};
use crate::transfer::{self, DownloadRequest, TransferError, TransferOptions, naming::process_folder_name};
use crate::worker::renew::{Credentials, SessionState};
use crate::worker::{Command, DownloadId, Event, ProcessRef, RecentEntry, ReqId, RetryTarget, SignedIn};
use secrecy::SecretString;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;

/// What the worker needs to know: where things go and how to reach the server.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The profile whose session the worker stores.
    pub profile: String,
    /// Where sessions, remembered emails and recent processes live.
    pub paths: Paths,
    /// Where downloads go (`<dir>/<process_id> <name>/<document>`).
    pub download_dir: PathBuf,
    /// Allow `http://` to hosts that are not loopback.
    pub allow_insecure_http: bool,
    /// How idempotent requests are retried.
    pub retry: RetryPolicy,
    /// The command that opens a file; `None` for the system's default application.
    pub opener: Option<String>,
    /// Where new session tokens go (the file or the OS keyring).
    pub token_store: TokenStoreKind,
    /// The run's config file and flags, to resolve another profile's settings
    /// when the user switches (its server and download dir replace these).
    pub overrides: Overrides,
}

impl WorkerConfig {
    fn token_store(&self) -> TokenStore {
        self.paths.token_store().with_kind(self.token_store)
    }
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

/// Starts the worker on the current tokio runtime with `client` (which may
/// already hold the stored session's token).
pub fn spawn(config: WorkerConfig, client: Client) -> WorkerHandle {
    let (command_tx, command_rx) = unbounded_channel();
    let (event_tx, event_rx) = unbounded_channel();
    let shutdown = CancellationToken::new();
    let client = Arc::new(Mutex::new(client));
    let session = Arc::new(SessionState::new(
        client.clone(),
        config.profile.clone(),
        config.token_store(),
        event_tx.clone(),
    ));
    let worker = Worker {
        config: Arc::new(config),
        client,
        session,
        events: event_tx,
        lookups: HashMap::new(),
        downloads: Arc::new(Mutex::new(HashMap::new())),
        shutdown: shutdown.clone(),
    };
    tokio::spawn(worker.run(command_rx));
    WorkerHandle {
        commands: command_tx,
        events: event_rx,
        shutdown,
    }
}

struct Worker {
    config: Arc<WorkerConfig>,
    client: Arc<Mutex<Client>>,
    session: Arc<SessionState>,
    events: UnboundedSender<Event>,
    lookups: HashMap<ReqId, CancellationToken>,
    downloads: Arc<Mutex<HashMap<DownloadId, CancellationToken>>>,
    shutdown: CancellationToken,
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
        self.shutdown.cancel();
    }

    fn client(&self) -> Client {
        self.client.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Login {
                email,
                password,
                base_url,
                remember_password,
            } => self.login(email, password, base_url, remember_password),
            Command::Logout => self.logout(),
            Command::Renew => {
                let session = self.session.clone();
                let events = self.events.clone();
                let cancel = self.shutdown.child_token();
                let seen = session.generation();
                tokio::spawn(async move {
                    tokio::select! {
                        () = cancel.cancelled() => {}
                        renewed = session.renew(seen) => if renewed.is_none() {
                            let _ = events.send(Event::SessionExpired);
                        },
                    }
                });
            }
            Command::SwitchProfile(profile) => self.switch_profile(profile),
            Command::FetchProcess { req, query } => {
                let cancel = self.shutdown.child_token();
                self.lookups.retain(|_, token| !token.is_cancelled());
                self.lookups.insert(req, cancel.clone());
                let events = self.events.clone();
                let hook = retry_hook(events.clone(), RetryTarget::Lookup(req));
                let session = self.session.clone();
                let (client, seen) = session.snapshot();
                let client = client.with_retry_hook(hook.clone());
                tokio::spawn(async move {
                    let lookup = async {
                        let result = client.process(&query).await;
                        match result {
                            Err(e) if e.needs_login() => match session.renew(seen).await {
                                Some(renewed) => renewed.with_retry_hook(hook).process(&query).await,
                                None => Err(e),
                            },
                            other => other,
                        }
                    };
                    tokio::select! {
                        () = cancel.cancelled() => {}
                        result = lookup => {
                            cancel.cancel();
                            let _ = events.send(Event::ProcessLoaded { req, result });
                        }
                    }
                });
            }
            Command::CancelRequest(req) => {
                if let Some(token) = self.lookups.remove(&req) {
                    token.cancel();
                }
            }
            Command::Download { id, doc, process } => self.download(id, doc, process),
            Command::CancelDownload(id) => {
                let token = self
                    .downloads
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&id);
                match token {
                    Some(token) => token.cancel(),
                    None => {
                        let _ = self.events.send(Event::DownloadCancelled { id });
                    }
                }
            }
            Command::Open(path) => {
                let opener = self.config.opener.clone();
                let events = self.events.clone();
                tokio::task::spawn_blocking(move || {
                    let event = match transfer::open_path(&path, opener.as_deref()) {
                        Ok(()) => Event::Opened(path),
                        Err(error) => Event::OpenFailed { path, error },
                    };
                    let _ = events.send(event);
                });
            }
            Command::SaveRecent(entries) => {
                let file = self.config.paths.recent_file();
                tokio::task::spawn_blocking(move || {
                    if let Err(error) = save_recent(&file, &entries) {
                        tracing::warn!(%error, file = %file.display(), "cannot save the recent processes");
                    }
                });
            }
        }
    }

    fn login(&mut self, email: String, password: SecretString, base_url: String, remember_password: bool) {
        let config = self.config.clone();
        let state = self.session.clone();
        let events = self.events.clone();
        let cancel = self.shutdown.child_token();
        tokio::spawn(async move {
            let options = ClientOptions {
                allow_insecure_http: config.allow_insecure_http,
                retry: config.retry.clone(),
                ..ClientOptions::default()
            };
            let result = async {
                let client = Client::new(&base_url, options)?;
                let token = client.login(email.trim(), &password).await?;
                Ok::<_, ApiError>((client, token))
            };
            let (client, token) = tokio::select! {
                () = cancel.cancelled() => return,
                result = result => match result {
                    Ok(pair) => pair,
                    Err(error) => {
                        let _ = events.send(Event::LoginFailed(error));
                        return;
                    }
                },
            };
            let session = Session::new(config.profile.clone(), client.base_url(), email.trim(), token.clone());
            state.save(&session);
            if let Err(error) = ProfileMemory::new(config.paths.profiles_file()).remember(
                &config.profile,
                email.trim(),
                client.base_url(),
            ) {
                tracing::warn!(%error, "cannot remember the email");
            }
            let base_url = client.base_url().to_string();
            let kept = remember_password.then(|| Credentials {
                email: email.trim().to_string(),
                password,
            });
            state.replace(client.with_token(token), kept);
            let _ = events.send(Event::LoggedIn {
                email: session.email.clone(),
                base_url,
                expires_at: session.expires_at,
            });
        });
    }

    fn logout(&mut self) {
        let base_url = self.client().base_url().to_string();
        let bare = Client::new(
            &base_url,
            ClientOptions {
                allow_insecure_http: self.config.allow_insecure_http,
                retry: self.config.retry.clone(),
                ..ClientOptions::default()
            },
        );
        match bare {
            Ok(bare) => self.session.replace(bare, None),
            Err(_) => {
                let current = self.client();
                self.session.replace(current, None);
            }
        }
        if let Err(error) = self.config.token_store().delete(&self.config.profile) {
            tracing::warn!(%error, "cannot delete the session");
        }
        let _ = self.events.send(Event::LoggedOut);
    }

    /// Resolves `profile`'s settings (its server, email and download dir, the
    /// run's config file and flags otherwise) and works for it from now on, with
    /// its stored session when that is still valid. Tasks in flight finish as
    /// they started; a password kept for the old profile is forgotten.
    fn switch_profile(&mut self, profile: String) {
        let overrides = Overrides {
            profile: Some(profile.clone()),
            base_url: None,
            download_dir: None,
            ..self.config.overrides.clone()
        };
        let resolved = Settings::resolve(&self.config.paths, &overrides)
            .map_err(|e| e.to_string())
            .and_then(|settings| {
                let options = ClientOptions {
                    allow_insecure_http: settings.allow_insecure_http,
                    retry: self.config.retry.clone(),
                    ..ClientOptions::default()
                };
                let client = Client::new(&settings.base_url, options).map_err(|e| e.to_string())?;
                Ok((settings, client))
            });
        let (settings, client) = match resolved {
            Ok(pair) => pair,
            Err(error) => {
                tracing::warn!(profile, %error, "cannot switch profiles");
                let _ = self.events.send(Event::ProfileSwitchFailed {
                    profile,
                    error: crate::text::safe_line(&error, 300),
                });
                return;
            }
        };
        let config = WorkerConfig {
            profile: profile.clone(),
            download_dir: settings.download_dir.clone(),
            allow_insecure_http: settings.allow_insecure_http,
            token_store: settings.token_store,
            ..(*self.config).clone()
        };
        let store = config.token_store();
        let now = time::OffsetDateTime::now_utc();
        let stored = match store.load(&profile) {
            Ok(stored) => stored,
            Err(error) => {
                tracing::warn!(profile, %error, "cannot read the profile's session");
                None
            }
        }
        .filter(|s| crate::cli::same_server(&s.base_url, client.base_url()) && !s.is_expired(now));
        let client = match &stored {
            Some(s) => client.with_token(s.token.clone()),
            None => client,
        };
        tracing::info!(profile, base_url = client.base_url(), "switched profiles");
        self.session.set_owner(profile.clone(), store);
        let base_url = client.base_url().to_string();
        self.session.replace(client, None);
        self.config = Arc::new(config);
        let _ = self.events.send(Event::ProfileSwitched {
            profile,
            base_url,
            email: settings.email.clone(),
            session: stored.map(|s| SignedIn {
                email: s.email,
                expires_at: s.expires_at,
            }),
        });
    }

    fn download(&mut self, id: DownloadId, doc: crate::api::Document, process: ProcessRef) {
        let cancel = self.shutdown.child_token();
        self.downloads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, cancel.clone());
        let registry = self.downloads.clone();
        let events = self.events.clone();
        let hook = retry_hook(events.clone(), RetryTarget::Download(id));
        let session = self.session.clone();
        let (client, seen) = session.snapshot();
        let client = client.with_retry_hook(hook.clone());
        let dir = self
            .config
            .download_dir
            .join(process_folder_name(process.id.as_str(), process.name.as_deref()));
        let retry = RetryPolicy {
            on_retry: Some(hook.clone()),
            ..self.config.retry.clone()
        };
        tokio::spawn(async move {
            let request = DownloadRequest {
                doc_name: doc.doc_name.clone(),
                ..DownloadRequest::new(doc.doc_id.as_str(), dir)
            };
            let mut started = false;
            let progress_events = events.clone();
            let options = TransferOptions::with_retry(retry);
            let mut on_progress = |progress: transfer::Progress| {
                if !started {
                    started = true;
                    let _ = progress_events.send(Event::DownloadStarted {
                        id,
                        path_hint: None,
                        total: progress.total,
                    });
                }
                let _ = progress_events.send(Event::Progress {
                    id,
                    received: progress.received,
                    total: progress.total,
                });
            };
            let mut result = transfer::download_with(&client, &request, &options, &cancel, &mut on_progress).await;
            if matches!(&result, Err(TransferError::Api(api)) if api.needs_login()) {
                if let Some(renewed) = session.renew(seen).await {
                    let renewed = renewed.with_retry_hook(hook);
                    result = transfer::download_with(&renewed, &request, &options, &cancel, &mut on_progress).await;
                }
            }
            registry.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
            let event = match result {
                Ok(saved) => Event::Downloaded {
                    id,
                    path: saved.path,
                    bytes: saved.bytes,
                    sha256: saved.sha256,
                },
                Err(TransferError::Cancelled { .. }) => Event::DownloadCancelled { id },
                Err(error) => Event::DownloadFailed {
                    id,
                    retryable: error.is_retryable(),
                    needs_login: matches!(&error, TransferError::Api(api) if api.needs_login()),
                    error: error.to_string(),
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

/// Loads the recent processes list; a missing or damaged file is an empty list.
pub fn load_recent(file: &Path) -> Vec<RecentEntry> {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn save_recent(file: &Path, entries: &[RecentEntry]) -> std::io::Result<()> {
    let dir = file
        .parent()
        .ok_or_else(|| std::io::Error::other("the recent file has no folder"))?;
    std::fs::create_dir_all(dir)?;
    let temp = file.with_extension("json.tmp");
    std::fs::write(&temp, serde_json::to_vec_pretty(entries)?)?;
    std::fs::rename(&temp, file)
}
