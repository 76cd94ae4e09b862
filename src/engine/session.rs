//! The session of one profile, shared by every request of a run: the stored
//! session, logging in and out, switching profiles, and renewing once after
//! the server refuses the token.
//!
//! Renewals are single flight: they are serialised and counted by a
//! generation number, so a task refused with the client of generation `g`
//! logs in again only if nobody has replaced that client since. A burst of
//! refused requests costs one login, and each refused request is tried again
//! at most once. Store work (files, the keyring) runs off the async threads.

use super::client::ClientFactory;
use super::credentials::{CredentialSource, Credentials};
use crate::api::{ApiError, Client};
use crate::config::{Paths, Settings};
use crate::store::{ProfileMemory, Session, StoreError, Stored, TokenStore};
use crate::transfer::TransferError;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use time::OffsetDateTime;

/// Where one profile's session and remembered email live.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// Its session file (and keyring entry).
    pub tokens: TokenStore,
    /// The last email and server of each profile.
    pub memory: ProfileMemory,
}

impl Profile {
    /// The profile `settings` name, with its stores under `paths`.
    pub fn from_settings(paths: &Paths, settings: &Settings) -> Profile {
        Profile {
            name: settings.profile.clone(),
            tokens: paths.token_store().with_kind(settings.token_store),
            memory: paths.profile_memory(),
        }
    }
}

/// News about the session that no caller asked for.
#[derive(Debug, Clone)]
pub enum SessionNotice {
    /// The session was renewed without the user.
    Renewed {
        /// When the new session ends, if the token says.
        expires_at: Option<OffsetDateTime>,
    },
    /// Something the user should know (the keyring was unavailable, say); holds no secret.
    Warning(String),
}

/// Receives [`SessionNotice`]s.
pub type NoticeHook = Arc<dyn Fn(SessionNotice) + Send + Sync>;

/// A login that worked.
#[derive(Debug)]
pub struct LoggedIn {
    /// The new session, already in use.
    pub session: Session,
    /// Where its token was stored, or why it could not be.
    pub stored: Result<Stored, StoreError>,
}

/// Why the session could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The server refused or could not be reached.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The session files could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored session has expired, and nothing can log in again.
    #[error("the session of {email} ended {}; log in again with `trackline login`", describe(*.at))]
    Expired {
        /// Who was signed in.
        email: String,
        /// When the session ended.
        at: OffsetDateTime,
    },
}

impl SessionError {
    /// The exit code of SPEC.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            SessionError::Api(e) => e.exit_code(),
            SessionError::Store(e) => e.exit_code(),
            SessionError::Expired { .. } => crate::exit::AUTH,
        }
    }
}

fn describe(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    let when = at.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default();
    format!(
        "at {when} ({})",
        crate::text::relative_time(at, OffsetDateTime::now_utc())
    )
}

/// Errors that can mean "the session is gone; a login would help".
pub trait NeedsLogin {
    /// Whether a new login may make the same call work.
    fn needs_login(&self) -> bool;
}

impl NeedsLogin for ApiError {
    fn needs_login(&self) -> bool {
        ApiError::needs_login(self)
    }
}

impl NeedsLogin for TransferError {
    fn needs_login(&self) -> bool {
        matches!(self, TransferError::Api(api) if api.needs_login())
    }
}

struct Current {
    profile: Profile,
    client: Client,
    generation: u64,
}

/// The session shared by every task of a run.
pub struct SessionManager {
    factory: ClientFactory,
    current: Mutex<Current>,
    credentials: Arc<dyn CredentialSource>,
    renewing: tokio::sync::Mutex<()>,
    notices: Option<NoticeHook>,
    index: Option<super::index::IndexBook>,
    lang: crate::i18n::Lang,
}

impl fmt::Debug for SessionManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (client, generation) = self.snapshot();
        f.debug_struct("SessionManager")
            .field("client", &client)
            .field("generation", &generation)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl SessionManager {
    /// A manager for `profile` on the server at `base_url`, not signed in yet,
    /// renewing with what `credentials` gives.
    pub fn new(
        factory: ClientFactory,
        profile: Profile,
        base_url: &str,
        credentials: Arc<dyn CredentialSource>,
    ) -> Result<Self, ApiError> {
        let client = factory.client(base_url)?;
        Ok(SessionManager {
            factory,
            current: Mutex::new(Current {
                profile,
                client,
                generation: 0,
            }),
            credentials,
            renewing: tokio::sync::Mutex::new(()),
            notices: None,
            lang: crate::i18n::Lang::En,
            index: None,
        })
    }

    /// The same, recording every lookup and saved download in the local
    /// index of whichever profile it works for.
    pub fn with_index(mut self, book: super::index::IndexBook) -> Self {
        self.index = Some(book);
        self
    }

    /// The local index lookups and downloads are recorded in, if any.
    pub fn index(&self) -> Option<&super::index::IndexBook> {
        self.index.as_ref()
    }

    /// The same, telling `hook` about renewals and warnings.
    pub fn with_notices(mut self, hook: NoticeHook) -> Self {
        self.notices = Some(hook);
        self
    }

    /// The same, its warnings in `lang`.
    pub fn with_lang(mut self, lang: crate::i18n::Lang) -> Self {
        self.lang = lang;
        self
    }

    /// The factory clients are made with.
    pub fn factory(&self) -> &ClientFactory {
        &self.factory
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn notify(&self, notice: SessionNotice) {
        if let Some(hook) = &self.notices {
            hook(notice);
        }
    }

    /// The profile sessions are kept for.
    pub fn profile(&self) -> Profile {
        self.lock().profile.clone()
    }

    /// The client to start a request with, and its generation (read together,
    /// so a client replaced in between is never mistaken for the older one).
    pub fn snapshot(&self) -> (Client, u64) {
        let current = self.lock();
        (current.client.clone(), current.generation)
    }

    /// The current client.
    pub fn client(&self) -> Client {
        self.lock().client.clone()
    }

    fn install(&self, client: Client) {
        let mut current = self.lock();
        current.client = client;
        current.generation += 1;
    }

    /// Uses the profile's stored session when it is for this server and has
    /// not expired; `None` (and no token) otherwise.
    pub async fn resume(&self) -> Result<Option<Session>, StoreError> {
        Ok(self.resume_or_stored().await?.ok())
    }

    /// Like [`SessionManager::resume`]; when the stored session cannot be
    /// used, it is given back (`Err`) for the caller to say why.
    async fn resume_or_stored(&self) -> Result<Result<Session, Option<Session>>, StoreError> {
        let (profile, client) = {
            let current = self.lock();
            (current.profile.clone(), current.client.clone())
        };
        let name = profile.name.clone();
        let stored = blocking(move || profile.tokens.load(&name)).await?;
        let now = OffsetDateTime::now_utc();
        let (usable, unusable) = match stored {
            Some(s) if s.is_usable_for(client.base_url(), now) => (Some(s), None),
            other => (None, other),
        };
        match &usable {
            Some(session) => self.install(client.with_token(session.token.clone())),
            None if client.has_token() => {
                if let Ok(bare) = self.factory.client(client.base_url()) {
                    self.install(bare);
                }
            }
            None => {}
        }
        Ok(usable.ok_or(unusable))
    }

    /// Signs in for a headless command: the stored session, else a login with
    /// the credentials source (the environment); [`ApiError::NotLoggedIn`] when
    /// there is neither.
    pub async fn sign_in(&self) -> Result<Session, SessionError> {
        let stored = match self.resume_or_stored().await? {
            Ok(session) => return Ok(session),
            Err(stored) => stored,
        };
        let Some(credentials) = self.credentials.credentials() else {
            let base_url = self.client().base_url().to_string();
            return Err(match stored {
                Some(s) if s.is_for(&base_url) => match s.expires_at {
                    Some(at) => SessionError::Expired { email: s.email, at },
                    None => ApiError::NotLoggedIn.into(),
                },
                _ => ApiError::NotLoggedIn.into(),
            });
        };
        tracing::info!(profile = %self.profile().name, "logging in with the configured credentials");
        let logged_in = self.login(None, &credentials).await?;
        let stored = logged_in.stored?;
        if let Some(warning) = stored.warning_in(self.lang) {
            self.notify(SessionNotice::Warning(warning.to_string()));
        }
        Ok(logged_in.session)
    }

    /// Logs in to `base_url` (the current server when `None`), stores the
    /// session and remembers the email, and uses the new token from now on.
    pub async fn login(&self, base_url: Option<&str>, credentials: &Credentials) -> Result<LoggedIn, ApiError> {
        let client = match base_url {
            Some(url) => self.factory.client(url)?,
            None => self.factory.client(self.client().base_url())?,
        };
        let email = credentials.email.trim().to_string();
        let token = client.login(&email, &credentials.password).await?;
        let profile = self.profile();
        let session = Session::new(profile.name.clone(), client.base_url(), &email, token.clone());
        self.install(client.with_token(token));
        tracing::info!(profile = %profile.name, base_url = %session.base_url, "logged in");
        let stored = self.store(&profile, &session).await;
        Ok(LoggedIn { session, stored })
    }

    async fn store(&self, profile: &Profile, session: &Session) -> Result<Stored, StoreError> {
        let (profile, session) = (profile.clone(), session.clone());
        blocking(move || {
            let stored = profile.tokens.save(&session)?;
            if let Err(error) = profile
                .memory
                .remember(&profile.name, &session.email, &session.base_url)
            {
                tracing::warn!(%error, "cannot remember the email");
            }
            Ok(stored)
        })
        .await
    }

    /// Forgets the session: no token from now on, the kept password
    /// forgotten, the stored session (and keyring entry) deleted. `false` when
    /// there was none stored.
    pub async fn logout(&self) -> Result<bool, StoreError> {
        let bare = self.factory.client(self.client().base_url());
        match bare {
            Ok(bare) => self.install(bare),
            Err(error) => tracing::warn!(%error, "cannot make a client without a token"),
        }
        self.credentials.refused();
        let profile = self.profile();
        tracing::info!(profile = %profile.name, "logged out");
        blocking(move || profile.tokens.delete(&profile.name)).await
    }

    /// Works for `profile` on `base_url` from now on, with its stored session
    /// when that is still usable there. Requests in flight finish as they started.
    pub async fn switch(&self, profile: Profile, base_url: &str) -> Result<Option<Session>, SessionError> {
        let client = self.factory.client(base_url)?;
        self.credentials.refused();
        {
            let mut current = self.lock();
            current.profile = profile;
            current.client = client;
            current.generation += 1;
        }
        Ok(self.resume().await?)
    }

    /// After a request made with the client of generation `seen` was refused:
    /// the client to try it again with, or `None` to give up (no credentials,
    /// or the login failed).
    pub async fn renew(&self, seen: u64) -> Option<Client> {
        let _one_at_a_time = self.renewing.lock().await;
        let (current, generation) = self.snapshot();
        if generation != seen {
            return current.has_token().then_some(current);
        }
        let credentials = self.credentials.credentials()?;
        tracing::info!(profile = %self.profile().name, "the session was refused; logging in again");
        match self.login(None, &credentials).await {
            Ok(logged_in) => {
                match &logged_in.stored {
                    Ok(stored) => {
                        if let Some(warning) = stored.warning_in(self.lang) {
                            self.notify(SessionNotice::Warning(warning.to_string()));
                        }
                    }
                    Err(error) => tracing::warn!(%error, "cannot store the renewed session"),
                }
                self.notify(SessionNotice::Renewed {
                    expires_at: logged_in.session.expires_at,
                });
                Some(self.client())
            }
            Err(error) => {
                tracing::warn!(%error, "logging in again failed");
                if matches!(error, ApiError::BadCredentials { .. }) {
                    self.credentials.refused();
                }
                None
            }
        }
    }

    /// Runs `call` with the current client; when the server refuses the
    /// session, renews it once and runs `call` once more.
    pub async fn run<T, E, F, Fut>(&self, mut call: F) -> Result<T, E>
    where
        E: NeedsLogin,
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let (client, seen) = self.snapshot();
        match call(client).await {
            Err(error) if error.needs_login() => match self.renew(seen).await {
                Some(renewed) => call(renewed).await,
                None => Err(error),
            },
            other => other,
        }
    }
}

/// Runs blocking store work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|error| Err(StoreError::Interrupted(error.to_string())))
}
