//! What resolving the settings reads from the world, captured at once: the
//! config file's text, the environment variables that matter, and what the
//! store knows of the profiles. [`crate::config::Settings::from_snapshot`] is
//! a pure function of it, so resolution is tested without touching the
//! process environment, and a caller can capture off its async threads.

use super::setting::{NO_COLOR_ENV, Setting, Source};
use super::{ConfigError, Overrides, Paths};
use crate::store::Remembered;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::PathBuf;

/// The inputs of one resolution of the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The config file read (or that would have been).
    pub config_file: PathBuf,
    /// Its text; `None` when it does not exist.
    pub config_text: Option<String>,
    /// The environment variables resolution looks at, by name.
    pub env: BTreeMap<String, OsString>,
    /// The profiles that have a stored session.
    pub stored_profiles: Vec<String>,
    /// What is remembered of each profile's last login.
    pub remembered: BTreeMap<String, Remembered>,
}

impl Snapshot {
    /// Reads the config file `overrides` (or the OS default) names, the
    /// environment, and the store under `paths`.
    pub fn capture(paths: &Paths, overrides: &Overrides) -> Result<Snapshot, ConfigError> {
        let config_file = overrides.config_file(paths);
        let config_text = match std::fs::read_to_string(&config_file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(ConfigError::Read {
                    path: config_file,
                    source,
                });
            }
        };
        let env = Setting::ALL
            .iter()
            .filter_map(|s| s.env_var())
            .chain([NO_COLOR_ENV])
            .chain(crate::i18n::LOCALE_ENV)
            .chain(super::network::NETWORK_ENV)
            .filter_map(|name| std::env::var_os(name).map(|value| (name.to_string(), value)))
            .collect();
        Ok(Snapshot {
            config_file,
            config_text,
            env,
            stored_profiles: paths.token_store().list(),
            remembered: paths.profile_memory().all(),
        })
    }

    /// The value of environment variable `name`, if set.
    pub fn env(&self, name: &str) -> Option<&OsStr> {
        self.env.get(name).map(OsString::as_os_str)
    }

    /// Where an override of `setting` equal to `value` came from: the
    /// environment when its variable holds that value, else a flag.
    pub(super) fn source_of(&self, setting: Setting, value: impl AsRef<OsStr>) -> Source {
        match setting.env_var().and_then(|name| self.env(name)) {
            Some(env) if env == value.as_ref() => Source::Env,
            _ => Source::Flag,
        }
    }
}
