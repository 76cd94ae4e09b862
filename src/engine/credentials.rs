//! Where the email and password for a login without the user come from: the
//! environment for scripts, the password the TUI user chose to keep in
//! memory, or nowhere.

use secrecy::SecretString;
use std::fmt;
use std::sync::{Mutex, PoisonError};

/// The environment variable with the email for a login without a prompt.
pub const ENV_EMAIL: &str = "TRACKLINE_EMAIL";
/// The environment variable with the password for a login without a prompt.
pub const ENV_PASSWORD: &str = "TRACKLINE_PASSWORD";

/// An email and a password.
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

/// A source of credentials for a login the user does not type.
pub trait CredentialSource: Send + Sync + fmt::Debug {
    /// The credentials to log in with now, if there are any.
    fn credentials(&self) -> Option<Credentials>;

    /// The server refused these credentials: a source that can, forgets them.
    fn refused(&self) {}
}

/// No credentials: a refused session stays refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCredentials;

impl CredentialSource for NoCredentials {
    fn credentials(&self) -> Option<Credentials> {
        None
    }
}

/// `TRACKLINE_EMAIL` and `TRACKLINE_PASSWORD`, read when needed (headless commands).
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvCredentials;

impl CredentialSource for EnvCredentials {
    fn credentials(&self) -> Option<Credentials> {
        let (Ok(email), Ok(password)) = (std::env::var(ENV_EMAIL), std::env::var(ENV_PASSWORD)) else {
            return None;
        };
        Some(Credentials {
            email: email.trim().to_string(),
            password: SecretString::from(password),
        })
    }
}

/// The password the TUI user ticked "keep in memory" for: in memory only,
/// zeroised when forgotten, forgotten when the server refuses it.
#[derive(Debug, Default)]
pub struct KeptPassword {
    kept: Mutex<Option<Credentials>>,
}

impl KeptPassword {
    /// Keeps `credentials` (or, with `None`, forgets any kept ones).
    pub fn keep(&self, credentials: Option<Credentials>) {
        *self.kept.lock().unwrap_or_else(PoisonError::into_inner) = credentials;
    }

    /// Whether a password is kept.
    pub fn is_kept(&self) -> bool {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }
}

impl CredentialSource for KeptPassword {
    fn credentials(&self) -> Option<Credentials> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn refused(&self) {
        self.keep(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret as _;

    #[test]
    fn a_kept_password_is_given_until_refused_and_never_printed() {
        let kept = KeptPassword::default();
        assert!(kept.credentials().is_none());
        kept.keep(Some(Credentials {
            email: "ana@example.com".into(),
            password: SecretString::from("s3cret-value"),
        }));
        assert!(kept.is_kept());
        let given = kept.credentials().map(|c| c.password.expose_secret().to_string());
        assert_eq!(given.as_deref(), Some("s3cret-value"));
        assert!(!format!("{kept:?}").contains("s3cret-value"));
        kept.refused();
        assert!(!kept.is_kept());
        assert!(NoCredentials.credentials().is_none());
    }
}
