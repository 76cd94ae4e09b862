//! What every command needs: paths, effective settings, the session store, and
//! a client that is logged in (by itself, from the environment, when it can).

use super::CliError;
use super::args::GlobalArgs;
use crate::api::client::{RetryHook, RetryNotice};
use crate::api::session::{ProfileMemory, Session, TokenStore};
use crate::api::{ApiError, Client, ClientOptions, RetryPolicy};
use crate::config::{Overrides, Paths, Settings};
use secrecy::SecretString;
use std::time::Duration;
use time::OffsetDateTime;

/// The environment variable with the email for a login without a prompt.
pub const ENV_EMAIL: &str = "TRACKLINE_EMAIL";
/// The environment variable with the password for a login without a prompt.
pub const ENV_PASSWORD: &str = "TRACKLINE_PASSWORD";

/// Paths, settings and stores for one run.
#[derive(Debug, Clone)]
pub struct Context {
    /// Where files live.
    pub paths: Paths,
    /// The effective settings.
    pub settings: Settings,
}

impl Context {
    /// Resolves paths and settings from the OS, the config file, the
    /// environment and the flags.
    pub fn new(global: &GlobalArgs) -> Result<Self, CliError> {
        let paths = Paths::from_os()?;
        Self::with_paths(paths, global)
    }

    /// Like [`Context::new`] with explicit paths (for `demo` and tests).
    pub fn with_paths(paths: Paths, global: &GlobalArgs) -> Result<Self, CliError> {
        let overrides = Overrides {
            base_url: global.base_url.clone(),
            profile: global.profile.clone(),
            download_dir: global.download_dir.clone(),
            config: global.config.clone(),
            allow_insecure_http: global.allow_insecure_http,
            log_level: global.log_level.clone(),
            no_color: global.no_color,
        };
        let settings = Settings::resolve(&paths, &overrides)?;
        Ok(Context { paths, settings })
    }

    /// The session files (and the OS keyring when `token_store = "keyring"`).
    pub fn token_store(&self) -> TokenStore {
        self.paths.token_store().with_kind(self.settings.token_store)
    }

    /// The remembered emails and servers.
    pub fn memory(&self) -> ProfileMemory {
        self.paths.profile_memory()
    }

    /// The retry policy of the settings, telling `on_retry` about each retry.
    pub fn retry_policy(&self, on_retry: RetryHook) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.settings.retry_max_attempts as usize,
            max_delay: Duration::from_secs(self.settings.retry_max_delay_secs),
            on_retry: Some(on_retry),
            ..RetryPolicy::default()
        }
    }

    /// A client for the configured server, without a token; retries are
    /// announced on stderr.
    pub fn client(&self) -> Result<Client, CliError> {
        let retry = self.retry_policy(std::sync::Arc::new(|notice: &RetryNotice| {
            eprintln!("trackline: {}; {}", notice.reason, notice.summary());
        }));
        let options = ClientOptions {
            allow_insecure_http: self.settings.allow_insecure_http,
            retry,
            ..ClientOptions::default()
        };
        Ok(Client::new(&self.settings.base_url, options)?)
    }

    /// The stored session of this profile, if it is for this server and not expired.
    pub fn valid_session(&self, client: &Client) -> Result<Option<Session>, CliError> {
        let session = self.token_store().load(&self.settings.profile)?;
        Ok(session.filter(|s| same_server(&s.base_url, client.base_url()) && !s.is_expired(OffsetDateTime::now_utc())))
    }

    /// A client holding a valid token: the stored one, or a fresh one from
    /// `TRACKLINE_EMAIL`/`TRACKLINE_PASSWORD` when the stored one is missing or expired.
    pub async fn logged_in_client(&self) -> Result<Client, CliError> {
        let client = self.client()?;
        if let Some(session) = self.valid_session(&client)? {
            return Ok(client.with_token(session.token));
        }
        match self.env_login(&client).await? {
            Some(session) => Ok(client.with_token(session.token)),
            None => Err(ApiError::NotLoggedIn.into()),
        }
    }

    /// Logs in with `TRACKLINE_EMAIL`/`TRACKLINE_PASSWORD` when both are set,
    /// and stores the session.
    pub async fn env_login(&self, client: &Client) -> Result<Option<Session>, CliError> {
        let (Ok(email), Ok(password)) = (std::env::var(ENV_EMAIL), std::env::var(ENV_PASSWORD)) else {
            return Ok(None);
        };
        tracing::info!(profile = %self.settings.profile, "logging in from the environment");
        let session = self.login(client, email.trim(), &SecretString::from(password)).await?;
        Ok(Some(session))
    }

    /// Logs in, stores the session and remembers the email for this profile.
    pub async fn login(&self, client: &Client, email: &str, password: &SecretString) -> Result<Session, CliError> {
        let token = client.login(email, password).await?;
        let session = Session::new(self.settings.profile.clone(), client.base_url(), email, token);
        if let Some(warning) = self.token_store().save(&session)?.warning() {
            eprintln!("trackline: warning: {warning}");
        }
        if let Err(e) = self.memory().remember(&self.settings.profile, email, client.base_url()) {
            tracing::warn!(error = %e, "cannot remember the email");
        }
        Ok(session)
    }

    /// Runs `call` with a logged-in client; when the server answers 401 and
    /// credentials are in the environment, logs in once more and runs it again.
    pub async fn with_session<T, F, Fut>(&self, mut call: F) -> Result<T, CliError>
    where
        F: FnMut(Client) -> Fut,
        Fut: std::future::Future<Output = Result<T, CliError>>,
    {
        let client = self.logged_in_client().await?;
        match call(client.clone()).await {
            Err(CliError::Api(ApiError::Unauthorized { .. }))
            | Err(CliError::Transfer(crate::transfer::TransferError::Api(ApiError::Unauthorized { .. })))
                if std::env::var_os(ENV_EMAIL).is_some() && std::env::var_os(ENV_PASSWORD).is_some() =>
            {
                let bare = self.client()?;
                match self.env_login(&bare).await? {
                    Some(session) => call(bare.with_token(session.token)).await,
                    None => Err(ApiError::NotLoggedIn.into()),
                }
            }
            other => other,
        }
    }
}

/// Whether two base URLs name the same server (a trailing slash does not matter).
pub fn same_server(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}
