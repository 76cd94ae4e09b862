//! The effective settings of one run: default < config file < environment <
//! command-line flag, with a record of where each one came from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::file::{Colors, Config, ThemeName, TokenStoreKind};
use super::network::{self, CaCertFile, Proxies};
use super::setting::{NO_COLOR_ENV, Setting, Source};
use super::snapshot::Snapshot;
use super::{ConfigError, Paths};

/// The server used when nothing else names one.
pub const DEFAULT_BASE_URL: &str = "https://api.codecontractplattform.com/api";
/// The profile used when nothing else names one.
pub const DEFAULT_PROFILE: &str = "default";
/// Downloads at once when nothing else says.
pub const DEFAULT_CONCURRENCY: usize = 3;
/// The preview cache's size in MiB when nothing else says.
pub(crate) const DEFAULT_PREVIEW_CACHE_MB: u64 = 256;

/// Seconds between checks of a watched process when the config says nothing.
pub(crate) const DEFAULT_WATCH_INTERVAL_SECS: u64 = 60;
/// Attempts per request when nothing else says.
pub const DEFAULT_RETRY_MAX_ATTEMPTS: u32 = 5;
/// The longest wait between attempts, in seconds, when nothing else says.
pub const DEFAULT_RETRY_MAX_DELAY_SECS: u64 = 60;
/// The log level when neither `--log-level` nor `RUST_LOG` is given.
pub const DEFAULT_LOG_LEVEL: &str = "info";

/// What the command line and the environment say, before the config file is read.
///
/// The CLI fills this from clap, whose `env = …` already merges each variable
/// into its flag. A value equal to its environment variable is reported as
/// coming from the environment, any other as a flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--base-url` / `TRACKLINE_BASE_URL`.
    pub base_url: Option<String>,
    /// `--profile` / `TRACKLINE_PROFILE`.
    pub profile: Option<String>,
    /// `--download-dir` / `TRACKLINE_DOWNLOAD_DIR` (`~` is expanded).
    pub download_dir: Option<PathBuf>,
    /// `--config` / `TRACKLINE_CONFIG`.
    pub config: Option<PathBuf>,
    /// `--allow-insecure-http`.
    pub allow_insecure_http: bool,
    /// `--log-level` / `RUST_LOG`.
    pub log_level: Option<String>,
    /// `--no-color` (`NO_COLOR` is read by [`Settings::resolve`]).
    pub no_color: bool,
    /// `--ca-cert` / `TRACKLINE_CA_CERT` (`~` is expanded).
    pub ca_cert: Option<PathBuf>,
    /// `--proxy` (`""` for none); the proxy variables are read by [`Settings::resolve`].
    pub proxy: Option<String>,
    /// `--lang` (`TRACKLINE_LANG` and the locale are read by [`Settings::resolve`]).
    pub lang: Option<crate::i18n::Lang>,
}

impl Overrides {
    /// The config file this run reads: `--config`, else the OS default.
    pub fn config_file(&self, paths: &Paths) -> PathBuf {
        self.config.clone().unwrap_or_else(|| paths.config_file.clone())
    }
}

/// The effective settings of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The profile in use.
    pub profile: String,
    /// The server, including `/api`, as given (the client normalises it).
    pub base_url: String,
    /// The email the login starts with: the profile's, else the last one used.
    pub email: Option<String>,
    /// Where downloads go, `~` expanded.
    pub download_dir: PathBuf,
    /// Allow `http://` to hosts that are not loopback.
    pub allow_insecure_http: bool,
    /// PEM files of certificate authorities trusted besides the system's.
    pub ca_certs: Vec<CaCertFile>,
    /// The proxies, per scheme, and the hosts reached without them.
    pub proxies: Proxies,
    /// Downloads at once.
    pub concurrency: usize,
    /// The command that opens a downloaded file; `None` for the system default.
    pub opener: Option<String>,
    /// The colour theme.
    pub theme: ThemeName,
    /// The most bytes of attachments kept to be previewed.
    pub preview_cache_bytes: u64,
    /// Seconds between two checks of a process the TUI watches.
    pub watch_interval_secs: u64,
    /// Whether a change of a watched process raises a desktop notification.
    pub notify: bool,
    /// Where session tokens are kept.
    pub token_store: TokenStoreKind,
    /// Attempts per request, at least 1 (1 means no retry).
    pub retry_max_attempts: u32,
    /// The longest wait between two attempts, in seconds.
    pub retry_max_delay_secs: u64,
    /// Key bindings from the config file, action → keys, as written (the TUI checks them).
    pub keys: BTreeMap<String, Vec<String>>,
    /// Colours from the config file that replace the theme's.
    pub colors: Colors,
    /// No colours at all (`--no-color`, or `NO_COLOR` set and not empty).
    pub no_color: bool,
    /// The log filter (`RUST_LOG` syntax).
    pub log_level: String,
    /// The language of the words shown.
    pub lang: crate::i18n::Lang,
    /// Where [`Settings::lang`] came from.
    pub lang_origin: crate::i18n::Origin,
    /// The config file that was (or would have been) read.
    pub config_file: PathBuf,
    /// Whether that file exists and was read.
    pub config_loaded: bool,
    /// Every profile there is, sorted: `default`, the config's, those that
    /// logged in before, and the one in use.
    pub profile_names: Vec<String>,
    /// The profile's own server (its config table, else its last login), which
    /// `--base-url` or `TRACKLINE_BASE_URL` may have replaced.
    pub profile_base_url: Option<String>,
    /// The flags (and their variables) this run resolved with, to resolve
    /// another profile's settings the same way.
    pub overrides: Overrides,
    sources: BTreeMap<Setting, Source>,
}

impl Settings {
    /// Reads the config file and applies `overrides` over it.
    ///
    /// The config file is [`Overrides::config_file`]; when it was named
    /// explicitly it must exist, otherwise a missing file means all defaults.
    /// A profile must be `default`, a `[profiles.NAME]` table, or one that has
    /// logged in before; naming a new one is allowed together with a base URL
    /// (that is how `login --profile NEW --base-url URL` creates it).
    pub fn resolve(paths: &Paths, overrides: &Overrides) -> Result<Settings, ConfigError> {
        Settings::from_snapshot(paths, overrides, &Snapshot::capture(paths, overrides)?)
    }

    /// [`Settings::resolve`] over what `snapshot` captured: no file, no
    /// environment variable is read.
    pub fn from_snapshot(paths: &Paths, overrides: &Overrides, snapshot: &Snapshot) -> Result<Settings, ConfigError> {
        let config_file = snapshot.config_file.clone();
        let config = match &snapshot.config_text {
            Some(text) => Some(Config::parse(text, &config_file)?),
            None => None,
        };
        if config.is_none() && overrides.config.is_some() {
            return Err(ConfigError::Missing { path: config_file });
        }
        let config_loaded = config.is_some();
        let config = config.unwrap_or_default();
        let mut sources = BTreeMap::new();
        sources.insert(
            Setting::Config,
            match &overrides.config {
                Some(path) => snapshot.source_of(Setting::Config, path),
                None => Source::Default,
            },
        );

        let (profile, profile_source) = match (&overrides.profile, &config.default_profile) {
            (Some(p), _) => (p.clone(), snapshot.source_of(Setting::Profile, p)),
            (None, Some(p)) => (p.clone(), Source::File),
            (None, None) => (DEFAULT_PROFILE.to_owned(), Source::Default),
        };
        sources.insert(Setting::Profile, profile_source);
        let profile_names = check_profile(&profile, &config, snapshot, overrides)?;
        let table = config.profiles.get(&profile).cloned().unwrap_or_default();
        let remembered = snapshot.remembered.get(&profile).cloned();

        let base_url = pick(
            &mut sources,
            Setting::BaseUrl,
            [
                (
                    overrides.base_url.clone(),
                    origin(snapshot, Setting::BaseUrl, overrides.base_url.as_ref()),
                ),
                (table.base_url.clone(), Source::File),
                (remembered.as_ref().map(|r| r.base_url.clone()), Source::Remembered),
            ],
        )
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let profile_base_url = table
            .base_url
            .clone()
            .or_else(|| remembered.as_ref().map(|r| r.base_url.clone()));

        let email = pick(
            &mut sources,
            Setting::Email,
            [
                (table.email.clone(), Source::File),
                (remembered.map(|r| r.email), Source::Remembered),
            ],
        );

        let download_dir = pick(
            &mut sources,
            Setting::DownloadDir,
            [
                (
                    overrides.download_dir.as_ref().map(|d| expand_path(paths, d)),
                    origin(snapshot, Setting::DownloadDir, overrides.download_dir.as_ref()),
                ),
                (
                    table.download_dir.as_deref().map(|d| paths.expand_tilde(d)),
                    Source::File,
                ),
                (
                    config.download_dir.as_deref().map(|d| paths.expand_tilde(d)),
                    Source::File,
                ),
            ],
        )
        .unwrap_or_else(|| paths.download_dir.clone());

        if overrides.allow_insecure_http {
            sources.insert(Setting::AllowInsecureHttp, Source::Flag);
        }
        let ca_flag = overrides
            .ca_cert
            .as_ref()
            .map(|path| (expand_path(paths, path), snapshot.source_of(Setting::CaCert, path)));
        let (ca_certs, ca_source) = network::resolve_ca_certs(
            snapshot,
            ca_flag,
            config.ca_cert.as_deref().map(|p| paths.expand_tilde(p)),
        );
        if let Some(source) = ca_source {
            sources.insert(Setting::CaCert, source);
        }
        if ca_certs.iter().any(|f| f.from == network::SSL_CERT_FILE_ENV) {
            sources.insert(Setting::SslCertFile, Source::Env);
        }
        let (proxies, proxy_source, no_proxy_source) = network::resolve_proxies(
            snapshot,
            overrides.proxy.as_deref(),
            config.proxy.as_deref(),
            config.no_proxy.as_deref(),
        )?;
        sources.insert(Setting::Proxy, proxy_source);
        if let Some(source) = no_proxy_source {
            sources.insert(Setting::NoProxy, source);
        }
        let log_level = pick(
            &mut sources,
            Setting::LogLevel,
            [(
                overrides.log_level.clone().filter(|l| !l.trim().is_empty()),
                origin(snapshot, Setting::LogLevel, overrides.log_level.as_ref()),
            )],
        )
        .unwrap_or_else(|| DEFAULT_LOG_LEVEL.to_owned());

        let concurrency =
            from_file(&mut sources, Setting::Concurrency, config.concurrency).unwrap_or(DEFAULT_CONCURRENCY);
        let opener = from_file(&mut sources, Setting::Opener, config.opener.clone());
        let theme = from_file(&mut sources, Setting::Theme, config.theme).unwrap_or_default();
        let preview_cache_bytes = from_file(&mut sources, Setting::PreviewCache, config.preview_cache_mb)
            .unwrap_or(DEFAULT_PREVIEW_CACHE_MB)
            << 20;
        let watch_interval_secs = from_file(&mut sources, Setting::WatchInterval, config.watch_interval)
            .unwrap_or(DEFAULT_WATCH_INTERVAL_SECS);
        let notify = from_file(&mut sources, Setting::Notify, config.notify).unwrap_or(false);
        let token_store = from_file(&mut sources, Setting::TokenStore, config.token_store).unwrap_or_default();
        let retry_max_attempts = from_file(&mut sources, Setting::RetryMaxAttempts, config.retry.max_attempts)
            .unwrap_or(DEFAULT_RETRY_MAX_ATTEMPTS);
        let retry_max_delay_secs = from_file(&mut sources, Setting::RetryMaxDelay, config.retry.max_delay_secs)
            .unwrap_or(DEFAULT_RETRY_MAX_DELAY_SECS);
        if !config.keys.is_empty() {
            sources.insert(Setting::Keys, Source::File);
        }
        if !config.colors.given().is_empty() {
            sources.insert(Setting::Colors, Source::File);
        }
        let (lang, lang_origin) = crate::i18n::choose(overrides.lang, config.lang, |name| {
            snapshot.env(name).map(|v| v.to_string_lossy().into_owned())
        });
        sources.insert(
            Setting::Lang,
            match lang_origin {
                crate::i18n::Origin::Default => Source::Default,
                crate::i18n::Origin::Flag => Source::Flag,
                crate::i18n::Origin::File => Source::File,
                crate::i18n::Origin::Env | crate::i18n::Origin::Locale(_) => Source::Env,
            },
        );
        let no_color_env = snapshot.env(NO_COLOR_ENV).is_some_and(|v| !v.is_empty());
        let no_color = overrides.no_color || no_color_env;
        if overrides.no_color {
            sources.insert(Setting::NoColor, Source::Flag);
        } else if no_color_env {
            sources.insert(Setting::NoColor, Source::Env);
        }

        Ok(Settings {
            profile,
            base_url,
            email,
            download_dir,
            allow_insecure_http: overrides.allow_insecure_http,
            ca_certs,
            proxies,
            concurrency,
            opener,
            theme,
            preview_cache_bytes,
            watch_interval_secs,
            notify,
            token_store,
            retry_max_attempts,
            retry_max_delay_secs,
            keys: config.keys,
            colors: config.colors,
            no_color,
            log_level,
            lang,
            lang_origin,
            config_file,
            config_loaded,
            profile_names,
            profile_base_url,
            overrides: overrides.clone(),
            sources,
        })
    }

    /// Where the server came from, when not from the profile itself: "from
    /// TRACKLINE_BASE_URL" or "from --base-url", with the profile's own server
    /// if it has one. `None` when the profile (or the default) named it.
    pub fn base_url_origin(&self) -> Option<String> {
        self.base_url_origin_said(crate::i18n::Lang::En)
    }

    /// [`Settings::base_url_origin`] in [`Settings::lang`].
    pub fn base_url_origin_in(&self) -> Option<String> {
        self.base_url_origin_said(self.lang)
    }

    fn base_url_origin_said(&self, lang: crate::i18n::Lang) -> Option<String> {
        let from = match self.source(Setting::BaseUrl) {
            Source::Env => crate::tr!(lang, "origin-from", name = "TRACKLINE_BASE_URL"),
            Source::Flag => crate::tr!(lang, "origin-from", name = "--base-url"),
            Source::Default | Source::Remembered | Source::File => return None,
        };
        Some(match &self.profile_base_url {
            Some(own) if own.trim_end_matches('/') != self.base_url.trim_end_matches('/') => {
                crate::tr!(lang, "origin-not-the-profiles", from = from, own = own.as_str())
            }
            _ => from,
        })
    }

    /// The same settings with the server counted as the profile's own: for
    /// `trackline demo`, whose throwaway profile's server is the sandbox it
    /// starts, not a `--base-url` the user gave.
    pub fn with_own_base_url(mut self) -> Settings {
        self.sources.remove(&Setting::BaseUrl);
        self
    }

    /// Where `setting`'s value came from.
    pub fn source(&self, setting: Setting) -> Source {
        self.sources.get(&setting).copied().unwrap_or(Source::Default)
    }

    /// Every setting with its value as text and its source, for `config show`.
    pub fn entries(&self) -> Vec<(Setting, String, Source)> {
        Setting::ALL
            .into_iter()
            .map(|setting| {
                let value = match setting {
                    Setting::Config => {
                        let missing = if self.config_loaded { "" } else { " (not found)" };
                        format!("{}{missing}", self.config_file.display())
                    }
                    Setting::Profile => self.profile.clone(),
                    Setting::BaseUrl => self.base_url.clone(),
                    Setting::Email => self.email.clone().unwrap_or_else(|| "(none)".to_owned()),
                    Setting::DownloadDir => self.download_dir.display().to_string(),
                    Setting::AllowInsecureHttp => self.allow_insecure_http.to_string(),
                    Setting::CaCert => self
                        .ca_certs
                        .iter()
                        .find(|f| f.from != network::SSL_CERT_FILE_ENV)
                        .map_or_else(|| "(none)".to_owned(), |f| f.path.display().to_string()),
                    Setting::SslCertFile => self
                        .ca_certs
                        .iter()
                        .find(|f| f.from == network::SSL_CERT_FILE_ENV)
                        .map_or_else(|| "(none)".to_owned(), |f| f.path.display().to_string()),
                    Setting::Proxy => self.proxies.describe_for(&self.base_url),
                    Setting::NoProxy => self
                        .proxies
                        .no_proxy
                        .as_ref()
                        .map_or_else(|| "(none)".to_owned(), |(list, _)| crate::text::safe_line(list, 300)),
                    Setting::Concurrency => self.concurrency.to_string(),
                    Setting::Opener => self.opener.clone().unwrap_or_else(|| "(system default)".to_owned()),
                    Setting::Theme => self.theme.to_string(),
                    Setting::PreviewCache => (self.preview_cache_bytes >> 20).to_string(),
                    Setting::WatchInterval => self.watch_interval_secs.to_string(),
                    Setting::Notify => self.notify.to_string(),
                    Setting::TokenStore => self.token_store.to_string(),
                    Setting::RetryMaxAttempts => self.retry_max_attempts.to_string(),
                    Setting::RetryMaxDelay => self.retry_max_delay_secs.to_string(),
                    Setting::Keys => {
                        let bindings: Vec<String> = self
                            .keys
                            .iter()
                            .map(|(action, keys)| format!("{action} = {}", keys.join(" ")))
                            .collect();
                        if bindings.is_empty() {
                            "(defaults)".to_owned()
                        } else {
                            bindings.join(", ")
                        }
                    }
                    Setting::Colors => {
                        let given: Vec<String> = self
                            .colors
                            .given()
                            .into_iter()
                            .map(|(name, color)| format!("{name} = {color}"))
                            .collect();
                        if given.is_empty() {
                            "(the theme's)".to_owned()
                        } else {
                            given.join(", ")
                        }
                    }
                    Setting::NoColor => self.no_color.to_string(),
                    Setting::LogLevel => self.log_level.clone(),
                    Setting::Lang => match &self.lang_origin {
                        crate::i18n::Origin::Env => lang_from(self.lang, crate::i18n::LANG_ENV),
                        crate::i18n::Origin::Locale(name) => lang_from(self.lang, name),
                        _ => self.lang.to_string(),
                    },
                };
                (setting, value, self.source(setting))
            })
            .collect()
    }
}

/// The first value present, recording its source.
fn pick<T, const N: usize>(
    sources: &mut BTreeMap<Setting, Source>,
    setting: Setting,
    candidates: [(Option<T>, Source); N],
) -> Option<T> {
    let (value, source) = candidates
        .into_iter()
        .find_map(|(value, source)| value.map(|v| (v, source)))?;
    sources.insert(setting, source);
    Some(value)
}

fn from_file<T>(sources: &mut BTreeMap<Setting, Source>, setting: Setting, value: Option<T>) -> Option<T> {
    pick(sources, setting, [(value, Source::File)])
}

fn expand_path(paths: &Paths, path: &Path) -> PathBuf {
    match path.to_str() {
        Some(text) => paths.expand_tilde(text),
        None => path.to_path_buf(),
    }
}

/// The profile names, with `profile` among them, or an error if it is unknown.
fn check_profile(
    profile: &str,
    config: &Config,
    snapshot: &Snapshot,
    overrides: &Overrides,
) -> Result<Vec<String>, ConfigError> {
    let mut known = known_profiles(config, snapshot);
    if profile.trim().is_empty() {
        return Err(ConfigError::UnknownProfile {
            name: profile.to_owned(),
            known,
        });
    }
    if !known.iter().any(|k| k == profile) {
        if overrides.base_url.is_none() {
            return Err(ConfigError::UnknownProfile {
                name: profile.to_owned(),
                known,
            });
        }
        known.push(profile.to_owned());
        known.sort();
    }
    Ok(known)
}

fn origin<T: AsRef<std::ffi::OsStr>>(snapshot: &Snapshot, setting: Setting, value: Option<&T>) -> Source {
    value.map_or(Source::Default, |v| snapshot.source_of(setting, v))
}

/// `default`, the config's profiles, and those that logged in before.
fn known_profiles(config: &Config, snapshot: &Snapshot) -> Vec<String> {
    let mut known: BTreeSet<String> = config.profiles.keys().cloned().collect();
    known.insert(DEFAULT_PROFILE.to_owned());
    known.extend(snapshot.stored_profiles.iter().cloned());
    known.extend(snapshot.remembered.keys().cloned());
    known.into_iter().collect()
}

/// "es (from LANG)", as `config show` prints the language in English.
fn lang_from(lang: crate::i18n::Lang, name: &str) -> String {
    use crate::i18n::Lang;
    crate::tr!(
        Lang::En,
        "config-value-lang",
        lang = lang.code(),
        from = crate::tr!(Lang::En, "origin-from", name = name)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::Session;
    use secrecy::SecretString;
    use std::fs;

    struct Fixture {
        _root: tempfile::TempDir,
        paths: Paths,
    }

    fn fixture(config: Option<&str>) -> Fixture {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        if let Some(text) = config {
            fs::create_dir_all(paths.config_file.parent().unwrap()).unwrap();
            fs::write(&paths.config_file, text).unwrap();
        }
        Fixture { _root: root, paths }
    }

    const FILE: &str = r#"
download_dir = "~/Downloads/Trackline-file"
concurrency = 7
theme = "light"
opener = "my-opener"
default_profile = "prod"

[retry]
max_attempts = 2

[keys]
quit = ["q", "Q"]

[profiles.prod]
base_url = "https://prod.example.com/api"
email = "ana@example.com"
download_dir = "~/Invoices/prod"

[profiles.test]
base_url = "https://test.example.com/api"
"#;

    #[test]
    fn without_a_config_file_everything_is_default() {
        let f = fixture(None);
        // Without the environment of the machine the tests run on (SSL_CERT_FILE, say).
        let mut snapshot = Snapshot::capture(&f.paths, &Overrides::default()).unwrap();
        snapshot.env.clear();
        let s = Settings::from_snapshot(&f.paths, &Overrides::default(), &snapshot).unwrap();
        assert_eq!(s.profile, "default");
        assert_eq!(s.base_url, DEFAULT_BASE_URL);
        assert_eq!(s.email, None);
        assert_eq!(s.download_dir, f.paths.download_dir);
        assert_eq!(s.concurrency, 3);
        assert_eq!(s.theme, ThemeName::Dark);
        assert_eq!(s.token_store, TokenStoreKind::File);
        assert_eq!((s.retry_max_attempts, s.retry_max_delay_secs), (5, 60));
        assert_eq!(s.log_level, "info");
        assert!(!s.allow_insecure_http);
        assert!(!s.config_loaded);
        assert_eq!(s.profile_names, ["default"]);
        assert!(Setting::ALL.iter().all(|&k| s.source(k) == Source::Default));
    }

    #[test]
    fn the_config_file_overrides_defaults_and_selects_its_profile() {
        let f = fixture(Some(FILE));
        let s = Settings::resolve(&f.paths, &Overrides::default()).unwrap();
        let home = f.paths.home_dir.clone().unwrap();
        assert_eq!(s.profile, "prod");
        assert_eq!(s.base_url, "https://prod.example.com/api");
        assert_eq!(s.email.as_deref(), Some("ana@example.com"));
        assert_eq!(s.download_dir, home.join("Invoices/prod"));
        assert_eq!(s.concurrency, 7);
        assert_eq!(s.theme, ThemeName::Light);
        assert_eq!(s.opener.as_deref(), Some("my-opener"));
        assert_eq!((s.retry_max_attempts, s.retry_max_delay_secs), (2, 60));
        assert_eq!(s.keys["quit"], ["q", "Q"]);
        assert!(s.config_loaded);
        assert_eq!(s.profile_names, ["default", "prod", "test"]);
        for k in [
            Setting::Profile,
            Setting::BaseUrl,
            Setting::DownloadDir,
            Setting::Concurrency,
            Setting::Keys,
        ] {
            assert_eq!(s.source(k), Source::File, "{}", k.name());
        }
        assert_eq!(s.source(Setting::RetryMaxDelay), Source::Default);
    }

    #[test]
    fn the_top_level_download_dir_applies_to_a_profile_without_its_own() {
        let f = fixture(Some(FILE));
        let overrides = Overrides {
            profile: Some("test".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(&f.paths, &overrides).unwrap();
        assert_eq!(s.base_url, "https://test.example.com/api");
        assert_eq!(s.email, None);
        assert_eq!(
            s.download_dir,
            f.paths.home_dir.clone().unwrap().join("Downloads/Trackline-file")
        );
    }

    #[test]
    fn overrides_beat_the_config_file() {
        let f = fixture(Some(FILE));
        let overrides = Overrides {
            base_url: Some("http://127.0.0.1:9/api".into()),
            profile: Some("test".into()),
            download_dir: Some(PathBuf::from("~/elsewhere")),
            config: None,
            allow_insecure_http: true,
            log_level: Some("debug".into()),
            no_color: true,
            ca_cert: Some(PathBuf::from("~/corp.pem")),
            proxy: Some("http://proxy.example:3128".into()),
            lang: Some(crate::i18n::Lang::Es),
        };
        let s = Settings::resolve(&f.paths, &overrides).unwrap();
        assert_eq!(s.lang, crate::i18n::Lang::Es);
        assert_eq!(s.source(Setting::Lang), Source::Flag);
        assert_eq!(s.profile, "test");
        assert_eq!(s.base_url, "http://127.0.0.1:9/api");
        assert_eq!(s.download_dir, f.paths.home_dir.clone().unwrap().join("elsewhere"));
        assert!(s.allow_insecure_http);
        assert_eq!(s.log_level, "debug");
        assert_eq!(s.ca_certs[0].path, f.paths.home_dir.clone().unwrap().join("corp.pem"));
        assert_eq!(
            s.proxies.describe_for(&s.base_url),
            "http://proxy.example:3128 (from --proxy)"
        );
        assert_eq!(s.concurrency, 7);
        for k in [
            Setting::Profile,
            Setting::BaseUrl,
            Setting::DownloadDir,
            Setting::AllowInsecureHttp,
            Setting::CaCert,
            Setting::Proxy,
            Setting::LogLevel,
        ] {
            assert_eq!(s.source(k), Source::Flag, "{}", k.name());
        }
    }

    #[test]
    fn an_explicit_config_file_is_read_and_must_exist() {
        let f = fixture(None);
        let other = f.paths.data_dir.parent().unwrap().join("other.toml");
        let overrides = Overrides {
            config: Some(other.clone()),
            ..Overrides::default()
        };
        let err = Settings::resolve(&f.paths, &overrides).unwrap_err();
        assert!(matches!(err, ConfigError::Missing { .. }));
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("other.toml"), "{err}");
        fs::write(&other, "concurrency = 9\n").unwrap();
        let s = Settings::resolve(&f.paths, &overrides).unwrap();
        assert_eq!(s.concurrency, 9);
        assert_eq!(s.config_file, other);
        assert_eq!(s.source(Setting::Config), Source::Flag);
    }

    #[test]
    fn a_mistake_in_the_config_file_is_an_error_with_its_line() {
        let f = fixture(Some("concurrency = 3\nthme = \"dark\"\n"));
        let err = Settings::resolve(&f.paths, &Overrides::default()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let msg = err.to_string();
        assert!(msg.contains(&f.paths.config_file.display().to_string()), "{msg}");
        assert!(msg.contains("line 2, column 1"), "{msg}");
        assert!(msg.contains("thme"), "{msg}");
    }

    #[test]
    fn an_unknown_profile_lists_the_known_ones() {
        let f = fixture(Some(FILE));
        let overrides = Overrides {
            profile: Some("prdo".into()),
            ..Overrides::default()
        };
        let err = Settings::resolve(&f.paths, &overrides).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let msg = err.to_string();
        assert!(msg.contains("\"prdo\""), "{msg}");
        assert!(msg.contains("default, prod, test"), "{msg}");
    }

    #[test]
    fn an_unknown_default_profile_in_the_file_is_an_error_too() {
        let f = fixture(Some("default_profile = \"nope\"\n"));
        let err = Settings::resolve(&f.paths, &Overrides::default()).unwrap_err();
        assert!(
            matches!(err, ConfigError::UnknownProfile { ref name, .. } if name == "nope"),
            "{err}"
        );
    }

    #[test]
    fn a_new_profile_may_be_named_together_with_a_server() {
        let f = fixture(None);
        let overrides = Overrides {
            profile: Some("staging".into()),
            base_url: Some("https://staging.example.com/api".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(&f.paths, &overrides).unwrap();
        assert_eq!(s.profile, "staging");
        assert_eq!(s.profile_names, ["default", "staging"]);
    }

    #[test]
    fn a_profile_that_logged_in_before_is_known_and_remembers_its_server_and_email() {
        let f = fixture(None);
        let session = Session::new(
            "staging",
            "https://staging.example.com/api",
            "bo@example.com",
            SecretString::from("t"),
        );
        f.paths.token_store().save(&session).unwrap();
        f.paths
            .profile_memory()
            .remember("staging", "bo@example.com", "https://staging.example.com/api")
            .unwrap();
        let overrides = Overrides {
            profile: Some("staging".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(&f.paths, &overrides).unwrap();
        assert_eq!(s.base_url, "https://staging.example.com/api");
        assert_eq!(s.email.as_deref(), Some("bo@example.com"));
        assert_eq!(s.source(Setting::BaseUrl), Source::Remembered);
        assert_eq!(s.profile_names, ["default", "staging"]);
    }

    #[test]
    fn the_config_file_beats_what_was_remembered() {
        let f = fixture(Some(FILE));
        f.paths
            .profile_memory()
            .remember("prod", "old@example.com", "https://old.example.com/api")
            .unwrap();
        let s = Settings::resolve(&f.paths, &Overrides::default()).unwrap();
        assert_eq!(s.base_url, "https://prod.example.com/api");
        assert_eq!(s.email.as_deref(), Some("ana@example.com"));
    }

    #[test]
    fn entries_show_every_setting_with_its_source() {
        let f = fixture(Some(FILE));
        let s = Settings::resolve(&f.paths, &Overrides::default()).unwrap();
        let entries = s.entries();
        assert_eq!(entries.len(), Setting::ALL.len());
        assert!(entries.contains(&(Setting::Concurrency, "7".into(), Source::File)));
        assert!(entries.contains(&(Setting::Keys, "quit = q Q".into(), Source::File)));
        assert!(entries.contains(&(Setting::Opener, "my-opener".into(), Source::File)));
    }

    #[test]
    fn resolution_reads_only_its_snapshot() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let snapshot = |env: &[(&str, &str)]| Snapshot {
            config_file: paths.config_file.clone(),
            config_text: Some("concurrency = 4\n[profiles.prod]\nbase_url = \"https://prod/api\"\n".into()),
            env: env.iter().map(|(k, v)| (k.to_string(), (*v).into())).collect(),
            stored_profiles: vec!["old".into()],
            remembered: BTreeMap::new(),
        };
        let overrides = Overrides {
            profile: Some("prod".into()),
            ..Overrides::default()
        };
        let from_env = Settings::from_snapshot(
            &paths,
            &overrides,
            &snapshot(&[("TRACKLINE_PROFILE", "prod"), ("NO_COLOR", "1")]),
        )
        .unwrap();
        assert_eq!(from_env.concurrency, 4);
        assert_eq!(from_env.base_url, "https://prod/api");
        assert_eq!(from_env.source(Setting::Profile), Source::Env);
        assert!(from_env.no_color);
        assert_eq!(from_env.profile_names, ["default", "old", "prod"]);
        let from_flag = Settings::from_snapshot(&paths, &overrides, &snapshot(&[])).unwrap();
        assert_eq!(from_flag.source(Setting::Profile), Source::Flag);
        assert!(!from_flag.no_color);
        assert!(!paths.config_file.exists(), "nothing was read from or written to disk");
    }

    #[test]
    fn the_server_says_where_it_came_from_when_not_from_the_profile() {
        let f = fixture(Some("[profiles.prod]\nbase_url = \"https://prod.example/api\"\n"));
        let own = Settings::resolve(
            &f.paths,
            &Overrides {
                profile: Some("prod".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(own.base_url_origin(), None);
        let replaced = Settings::resolve(
            &f.paths,
            &Overrides {
                profile: Some("prod".into()),
                base_url: Some("http://127.0.0.1:8080/api".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(
            replaced.base_url_origin().as_deref(),
            Some("from --base-url, not the profile's https://prod.example/api")
        );
    }
}
