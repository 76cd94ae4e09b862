//! Every HTTP client trackline makes comes from here, so the settings that
//! shape one (plain http, retries, trusted roots, the proxy) are read in one place.

use crate::api::client::RetryHook;
use crate::api::network::roots_from_pem;
use crate::api::{ApiError, Client, ClientOptions, ProxyTarget, RetryPolicy};
use crate::config::{CaCertFile, Proxies, ProxyUse, SSL_CERT_FILE_ENV, Settings};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Makes clients for any server with the run's options.
#[derive(Debug, Clone, Default)]
pub struct ClientFactory {
    allow_insecure_http: bool,
    retry: RetryPolicy,
    roots: Roots,
    proxies: Proxies,
}

/// The extra trusted roots, read once, when the first client that needs them
/// is made: one that speaks TLS, or any client when a file was named on
/// purpose (`--ca-cert`, `TRACKLINE_CA_CERT`, `ca_cert`), so a mistake there is
/// said at once. A plain-http run with only `SSL_CERT_FILE` set (often the
/// whole system bundle, most of a short command's start) never reads it. A
/// file that cannot be used is the error of every client that needs it, so
/// each front end reports it where it makes one.
#[derive(Debug, Clone, Default)]
struct Roots {
    files: Arc<Vec<CaCertFile>>,
    read: Arc<OnceLock<Result<Vec<reqwest::Certificate>, ApiError>>>,
}

impl Roots {
    /// Whether a file was named on purpose (not only by `SSL_CERT_FILE`).
    fn named(&self) -> bool {
        self.files.iter().any(|f| f.from != SSL_CERT_FILE_ENV)
    }

    fn certificates(&self) -> Result<Vec<reqwest::Certificate>, ApiError> {
        self.read.get_or_init(|| read_roots(&self.files)).clone()
    }
}

impl ClientFactory {
    /// A factory with these options (tests, and callers that have no settings).
    pub fn new(allow_insecure_http: bool, retry: RetryPolicy) -> Self {
        ClientFactory {
            allow_insecure_http,
            retry,
            ..ClientFactory::default()
        }
    }

    /// The options of `settings`: `--allow-insecure-http`, `[retry]`, the
    /// extra certificate authorities (read now) and the proxies.
    pub fn from_settings(settings: &Settings) -> Self {
        ClientFactory {
            allow_insecure_http: settings.allow_insecure_http,
            retry: RetryPolicy {
                max_attempts: usize::try_from(settings.retry_max_attempts)
                    .unwrap_or(usize::MAX)
                    .max(1),
                max_delay: Duration::from_secs(settings.retry_max_delay_secs),
                ..RetryPolicy::default()
            },
            roots: Roots {
                files: Arc::new(settings.ca_certs.clone()),
                read: Arc::default(),
            },
            proxies: settings.proxies.clone(),
        }
    }

    /// The same, telling `hook` about every retry of the clients it makes.
    pub fn with_retry_hook(mut self, hook: RetryHook) -> Self {
        self.retry.on_retry = Some(hook);
        self
    }

    /// The retry policy its clients follow.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// A client for `base_url`, without a token: an error when a file of
    /// extra certificate authorities cannot be used.
    pub fn client(&self, base_url: &str) -> Result<Client, ApiError> {
        let proxy = match self.proxies.for_server(base_url) {
            ProxyUse::Via(choice) => Some(ProxyTarget::new(
                choice.url.expose(),
                choice.url.redacted(),
                self.proxies.no_proxy.as_ref().map(|(list, _)| list.clone()),
            )),
            ProxyUse::Direct | ProxyUse::Bypassed { .. } => None,
        };
        let speaks_tls = !base_url.trim_start().to_ascii_lowercase().starts_with("http://")
            || proxy.as_ref().is_some_and(ProxyTarget::is_tls);
        let extra_roots = if speaks_tls || self.roots.named() {
            self.roots.certificates()?
        } else {
            Vec::new()
        };
        Client::new(
            base_url,
            ClientOptions {
                allow_insecure_http: self.allow_insecure_http,
                retry: self.retry.clone(),
                extra_roots,
                proxy,
                ..ClientOptions::default()
            },
        )
    }
}

/// The certificates of every file, in order; the first file that is missing
/// or not PEM is the error.
fn read_roots(files: &[CaCertFile]) -> Result<Vec<reqwest::Certificate>, ApiError> {
    let mut roots = Vec::new();
    for file in files {
        let pem = std::fs::read(&file.path).map_err(|e| ApiError::BadCaFile {
            path: file.path.display().to_string(),
            from: file.from.to_string(),
            reason: match e.kind() {
                std::io::ErrorKind::NotFound => crate::i18n::message!("ca-missing"),
                _ => crate::i18n::message!("ca-unreadable", error = crate::i18n::Message::of_io(&e)),
            },
        })?;
        roots.extend(roots_from_pem(&file.path, file.from, &pem)?);
    }
    Ok(roots)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::{Overrides, Paths};

    #[test]
    fn clients_follow_the_settings() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        std::fs::create_dir_all(paths.config_file.parent().unwrap()).unwrap();
        std::fs::write(&paths.config_file, "[retry]\nmax_attempts = 2\nmax_delay_secs = 7\n").unwrap();
        let settings = Settings::resolve(&paths, &Overrides::default()).unwrap();
        let factory = ClientFactory::from_settings(&settings);
        assert_eq!(factory.retry_policy().max_attempts, 2);
        assert_eq!(factory.retry_policy().max_delay, Duration::from_secs(7));
        let client = factory.client("http://127.0.0.1:9/api/").unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/api");
        assert_eq!(client.retry_policy().max_attempts, 2);
        assert!(matches!(
            factory.client("http://example.com/api"),
            Err(ApiError::InsecureUrl { .. })
        ));
        let insecure = Settings::resolve(
            &paths,
            &Overrides {
                allow_insecure_http: true,
                ..Overrides::default()
            },
        )
        .unwrap();
        assert!(
            ClientFactory::from_settings(&insecure)
                .client("http://example.com/api")
                .is_ok()
        );
    }

    #[test]
    fn a_ca_file_that_cannot_be_used_is_the_error_of_every_client() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let missing = root.path().join("missing.pem");
        let overrides = Overrides {
            ca_cert: Some(missing.clone()),
            proxy: Some("http://ana:s3cret@proxy.example:3128".into()),
            ..Overrides::default()
        };
        let settings = Settings::resolve(&paths, &overrides).unwrap();
        let factory = ClientFactory::from_settings(&settings);
        for base in ["https://api.example/api", "http://127.0.0.1:9/api"] {
            let err = factory.client(base).unwrap_err();
            assert!(matches!(err, ApiError::BadCaFile { .. }), "{err}");
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains(&missing.display().to_string()), "{err}");
        }
        assert!(!format!("{factory:?}").contains("s3cret"));
    }

    #[test]
    fn ssl_cert_file_is_read_only_by_a_client_that_speaks_tls() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let missing = root.path().join("bundle.pem");
        let snapshot = crate::config::Snapshot {
            config_file: paths.config_file.clone(),
            env: [(SSL_CERT_FILE_ENV.to_string(), missing.clone().into_os_string())].into(),
            ..crate::config::Snapshot::default()
        };
        let settings = Settings::from_snapshot(&paths, &Overrides::default(), &snapshot).unwrap();
        let factory = ClientFactory::from_settings(&settings);
        assert!(
            factory.client("http://127.0.0.1:9/api").is_ok(),
            "plain http needs no roots"
        );
        let err = factory.client("https://api.example/api").unwrap_err();
        assert!(err.to_string().contains(&missing.display().to_string()), "{err}");
    }
}
