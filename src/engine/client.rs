//! Every HTTP client trackline makes comes from here, so the settings that
//! shape one (plain http, retries) are read in one place.

use crate::api::client::RetryHook;
use crate::api::{ApiError, Client, ClientOptions, RetryPolicy};
use crate::config::Settings;
use std::time::Duration;

/// Makes clients for any server with the run's options.
#[derive(Debug, Clone, Default)]
pub struct ClientFactory {
    allow_insecure_http: bool,
    retry: RetryPolicy,
}

impl ClientFactory {
    /// A factory with these options (tests, and callers that have no settings).
    pub fn new(allow_insecure_http: bool, retry: RetryPolicy) -> Self {
        ClientFactory {
            allow_insecure_http,
            retry,
        }
    }

    /// The options of `settings`: `--allow-insecure-http`, `[retry]`.
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

    /// A client for `base_url`, without a token.
    pub fn client(&self, base_url: &str) -> Result<Client, ApiError> {
        Client::new(
            base_url,
            ClientOptions {
                allow_insecure_http: self.allow_insecure_http,
                retry: self.retry.clone(),
                ..ClientOptions::default()
            },
        )
    }
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
}
