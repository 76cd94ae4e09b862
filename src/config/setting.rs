//! The names of the settings and where each value came from, for `config show`.

use std::fmt;

/// The environment variable that turns colours off when set and not empty (no-color.org).
pub const NO_COLOR_ENV: &str = "NO_COLOR";

/// One setting, for [`Settings::source`] and [`Settings::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Setting {
    /// The config file itself.
    Config,
    /// The profile.
    Profile,
    /// The server.
    BaseUrl,
    /// The email the login starts with.
    Email,
    /// Where downloads go.
    DownloadDir,
    /// Whether plain http to other hosts than loopback is allowed.
    AllowInsecureHttp,
    /// A PEM file of extra trusted certificate authorities.
    CaCert,
    /// `SSL_CERT_FILE`: more trusted certificate authorities.
    SslCertFile,
    /// The proxy to the server.
    Proxy,
    /// The hosts reached without the proxy.
    NoProxy,
    /// Downloads at once.
    Concurrency,
    /// The command that opens files.
    Opener,
    /// The colour theme.
    Theme,
    /// Where tokens are kept.
    TokenStore,
    /// Attempts per request.
    RetryMaxAttempts,
    /// The longest wait between attempts.
    RetryMaxDelay,
    /// The key bindings.
    Keys,
    /// Colours that replace the theme's.
    Colors,
    /// Whether the UI is monochrome.
    NoColor,
    /// The log level.
    LogLevel,
    /// The size of the preview cache.
    PreviewCache,
    /// The language of the words shown.
    Lang,
    /// Seconds between checks of a watched process.
    WatchInterval,
    /// Desktop notifications of watched changes.
    Notify,
}

impl Setting {
    /// Every setting, in the order `config show` prints them.
    pub const ALL: [Setting; 24] = [
        Setting::Config,
        Setting::Profile,
        Setting::Lang,
        Setting::BaseUrl,
        Setting::Email,
        Setting::DownloadDir,
        Setting::AllowInsecureHttp,
        Setting::CaCert,
        Setting::SslCertFile,
        Setting::Proxy,
        Setting::NoProxy,
        Setting::Concurrency,
        Setting::Opener,
        Setting::Theme,
        Setting::PreviewCache,
        Setting::WatchInterval,
        Setting::Notify,
        Setting::TokenStore,
        Setting::RetryMaxAttempts,
        Setting::RetryMaxDelay,
        Setting::Keys,
        Setting::Colors,
        Setting::NoColor,
        Setting::LogLevel,
    ];

    /// The setting's name, as in the config file where it has a key there.
    pub fn name(self) -> &'static str {
        match self {
            Setting::Config => "config",
            Setting::Profile => "profile",
            Setting::BaseUrl => "base_url",
            Setting::Email => "email",
            Setting::DownloadDir => "download_dir",
            Setting::AllowInsecureHttp => "allow_insecure_http",
            Setting::CaCert => "ca_cert",
            Setting::SslCertFile => "ssl_cert_file",
            Setting::Proxy => "proxy",
            Setting::NoProxy => "no_proxy",
            Setting::Concurrency => "concurrency",
            Setting::Opener => "opener",
            Setting::Theme => "theme",
            Setting::PreviewCache => "preview_cache_mb",
            Setting::WatchInterval => "watch_interval",
            Setting::Notify => "notify",
            Setting::TokenStore => "token_store",
            Setting::RetryMaxAttempts => "retry.max_attempts",
            Setting::RetryMaxDelay => "retry.max_delay_secs",
            Setting::Keys => "keys",
            Setting::Colors => "colors",
            Setting::NoColor => "no_color",
            Setting::LogLevel => "log_level",
            Setting::Lang => "lang",
        }
    }

    /// The environment variable that sets it, if one does.
    pub fn env_var(self) -> Option<&'static str> {
        match self {
            Setting::Config => Some("TRACKLINE_CONFIG"),
            Setting::Profile => Some("TRACKLINE_PROFILE"),
            Setting::BaseUrl => Some("TRACKLINE_BASE_URL"),
            Setting::DownloadDir => Some("TRACKLINE_DOWNLOAD_DIR"),
            Setting::CaCert => Some("TRACKLINE_CA_CERT"),
            Setting::SslCertFile => Some(super::network::SSL_CERT_FILE_ENV),
            Setting::NoProxy => Some("NO_PROXY"),
            Setting::LogLevel => Some("RUST_LOG"),
            Setting::NoColor => Some(NO_COLOR_ENV),
            Setting::Lang => Some(crate::i18n::LANG_ENV),
            _ => None,
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The built-in default.
    Default,
    /// The profile's last login (its server and email).
    Remembered,
    /// The config file (top level or the profile's table).
    File,
    /// An environment variable.
    Env,
    /// A command-line flag.
    Flag,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Default => "default",
            Source::Remembered => "last login",
            Source::File => "config file",
            Source::Env => "environment",
            Source::Flag => "command line",
        })
    }
}
