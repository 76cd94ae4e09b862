//! What every command needs: paths, effective settings, and the engine's
//! session for the configured profile, signed in from the environment when it
//! must be.

use super::CliError;
use super::args::GlobalArgs;
use crate::api::client::RetryNotice;
use crate::config::{Overrides, Paths, Settings};
use crate::engine::{ClientFactory, EnvCredentials, IndexBook, Profile, SessionManager, SessionNotice};
use crate::store::{ProfileMemory, TokenStore};
use std::sync::Arc;

/// Paths and settings for one run.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// Where files live.
    pub paths: Paths,
    /// The effective settings.
    pub settings: Settings,
}

impl Context {
    /// Resolves paths and settings from the OS, the config file, the
    /// environment and the flags.
    pub(crate) fn new(global: &GlobalArgs) -> Result<Self, CliError> {
        let paths = Paths::from_os()?;
        Self::with_paths(paths, global)
    }

    /// Like [`Context::new`] with explicit paths (for tests).
    pub(crate) fn with_paths(paths: Paths, global: &GlobalArgs) -> Result<Self, CliError> {
        let overrides = Overrides {
            base_url: global.base_url.clone(),
            profile: global.profile.clone(),
            download_dir: global.download_dir.clone(),
            config: global.config.clone(),
            allow_insecure_http: global.allow_insecure_http,
            log_level: global.log_level.clone(),
            no_color: global.no_color,
            ca_cert: global.ca_cert.clone(),
            proxy: global.proxy.clone(),
            lang: global.lang,
        };
        let settings = Settings::resolve(&paths, &overrides)?;
        super::keys::check(&settings)?;
        Ok(Context { paths, settings })
    }

    /// The session files (and the OS keyring when `token_store = "keyring"`).
    pub(crate) fn token_store(&self) -> TokenStore {
        self.paths.token_store().with_kind(self.settings.token_store)
    }

    /// The remembered emails and servers.
    pub(crate) fn memory(&self) -> ProfileMemory {
        self.paths.profile_memory()
    }

    /// Clients for this run, each retry announced by `on_retry`.
    pub(crate) fn clients(&self, on_retry: impl Fn(&RetryNotice) + Send + Sync + 'static) -> ClientFactory {
        ClientFactory::from_settings(&self.settings).with_retry_hook(Arc::new(on_retry))
    }

    /// The local indexes, telling stderr once what goes wrong with one.
    pub(crate) fn index_book(&self) -> IndexBook {
        let lang = self.settings.lang;
        IndexBook::with_warnings_in(
            self.paths.data_dir.clone(),
            lang,
            Arc::new(move |warning| eprintln!("{}", crate::tr!(lang, "cli-warning", warning = warning))),
        )
    }

    /// The session of the configured profile and server, not signed in yet:
    /// retries and warnings go to stderr, a refused session is renewed from
    /// `TRACKLINE_EMAIL`/`TRACKLINE_PASSWORD` when both are set, and every
    /// lookup and saved download is recorded in the profile's index.
    pub(crate) fn session(&self) -> Result<SessionManager, CliError> {
        let lang = self.settings.lang;
        let factory = self.clients(move |notice| eprintln!("{}", notice.line_in(lang)));
        let session = SessionManager::new(
            factory,
            Profile::from_settings(&self.paths, &self.settings),
            &self.settings.base_url,
            Arc::new(EnvCredentials),
        )?
        .with_index(self.index_book())
        .with_lang(lang);
        Ok(session.with_notices(Arc::new(move |notice| {
            if let SessionNotice::Warning(warning) = notice {
                eprintln!("{}", crate::tr!(lang, "cli-warning", warning = warning));
            }
        })))
    }

    /// [`Context::session`], signed in: the stored session, or a login from the environment.
    pub(crate) async fn signed_in(&self) -> Result<SessionManager, CliError> {
        let session = self.session()?;
        session.sign_in().await?;
        Ok(session)
    }
}
