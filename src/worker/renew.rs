//! The worker's session: the client every task starts from, the profile it
//! belongs to, and the silent renewal.
//!
//! When the user ticked "Keep password in memory" in the login dialog, the
//! password stays here — in memory only, a [`SecretString`] zeroised when
//! dropped — and logs in again once when a request is refused (401) or the
//! token expires. Renewals are serialised and counted by a generation number:
//! a task refused with the client of generation `g` renews only if nobody has
//! replaced that client since, so a burst of refused requests costs one login,
//! and each failed request is retried at most once.

use crate::api::session::{Session, TokenStore};
use crate::api::{ApiError, Client};
use crate::worker::Event;
use secrecy::SecretString;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

/// An email and password kept for a silent login.
#[derive(Clone)]
pub struct Credentials {
    /// The account's email.
    pub email: String,
    /// The account's password, zeroised when dropped.
    pub password: SecretString,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("password", &"***")
            .finish()
    }
}

/// Where a renewed session is stored.
#[derive(Debug, Clone)]
struct Owner {
    profile: String,
    store: TokenStore,
}

/// The session state the worker's tasks share.
pub struct SessionState {
    client: Arc<Mutex<Client>>,
    owner: Mutex<Owner>,
    generation: AtomicU64,
    credentials: Mutex<Option<Credentials>>,
    renewing: tokio::sync::Mutex<()>,
    events: UnboundedSender<Event>,
}

impl fmt::Debug for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionState")
            .field("generation", &self.generation())
            .field("can_renew", &self.can_renew())
            .finish_non_exhaustive()
    }
}

impl SessionState {
    /// State around `client` (shared with the worker), saving sessions of `profile` to `store`.
    pub fn new(client: Arc<Mutex<Client>>, profile: String, store: TokenStore, events: UnboundedSender<Event>) -> Self {
        SessionState {
            client,
            owner: Mutex::new(Owner { profile, store }),
            generation: AtomicU64::new(0),
            credentials: Mutex::new(None),
            renewing: tokio::sync::Mutex::new(()),
            events,
        }
    }

    /// How many times the client has been replaced.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The client to start a task with, and its generation (read first, so a
    /// client replaced in between is never mistaken for the older one).
    pub fn snapshot(&self) -> (Client, u64) {
        let generation = self.generation();
        (self.current(), generation)
    }

    fn current(&self) -> Client {
        self.client.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the client (a login, a logout, another profile) and the kept
    /// password (`None` forgets it).
    pub fn replace(&self, client: Client, credentials: Option<Credentials>) {
        *self.client.lock().unwrap_or_else(PoisonError::into_inner) = client;
        *self.credentials.lock().unwrap_or_else(PoisonError::into_inner) = credentials;
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Sessions are stored for `profile` in `store` from now on.
    pub fn set_owner(&self, profile: String, store: TokenStore) {
        *self.owner.lock().unwrap_or_else(PoisonError::into_inner) = Owner { profile, store };
    }

    /// The profile sessions are stored for.
    pub fn profile(&self) -> String {
        self.owner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .profile
            .clone()
    }

    /// The store sessions are saved in.
    pub fn store(&self) -> TokenStore {
        self.owner.lock().unwrap_or_else(PoisonError::into_inner).store.clone()
    }

    /// Whether a password is kept for a silent renewal.
    pub fn can_renew(&self) -> bool {
        self.credentials
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Stores `session`; a keyring that is unavailable becomes a warning for the UI.
    pub fn save(&self, session: &Session) {
        match self.store().save(session) {
            Ok(stored) => {
                if let Some(warning) = stored.warning() {
                    let _ = self.events.send(Event::Warning(warning.to_string()));
                }
            }
            Err(error) => tracing::warn!(%error, "cannot store the session"),
        }
    }

    /// After a request made with the client of generation `seen` was refused:
    /// the client to retry it with once, or `None` to give up (no password
    /// kept, or the login failed). Logs in only if nobody has replaced that
    /// client since; announces a renewal with [`Event::SessionRenewed`].
    pub async fn renew(&self, seen: u64) -> Option<Client> {
        let _one_at_a_time = self.renewing.lock().await;
        if self.generation() != seen {
            let current = self.current();
            return current.has_token().then_some(current);
        }
        let credentials = self
            .credentials
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        let client = self.current();
        tracing::info!("the session ended; logging in again with the password kept in memory");
        match client.login(&credentials.email, &credentials.password).await {
            Ok(token) => {
                let session = Session::new(self.profile(), client.base_url(), &credentials.email, token.clone());
                self.save(&session);
                let renewed = client.with_token(token);
                *self.client.lock().unwrap_or_else(PoisonError::into_inner) = renewed.clone();
                self.generation.fetch_add(1, Ordering::SeqCst);
                let _ = self.events.send(Event::SessionRenewed {
                    expires_at: session.expires_at,
                });
                Some(renewed)
            }
            Err(error) => {
                tracing::warn!(%error, "the silent login failed");
                if matches!(error, ApiError::BadCredentials { .. }) {
                    *self.credentials.lock().unwrap_or_else(PoisonError::into_inner) = None;
                }
                None
            }
        }
    }
}
