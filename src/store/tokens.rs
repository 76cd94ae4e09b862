//! The session of each profile on disk: one file per profile (mode 0600, never
//! the password), with the token in the file or in the OS keyring.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::StoreError;
use super::atomic;
use super::session::{Session, jwt_expiry};

/// The service name trackline's entries have in the OS keyring (the user is the profile).
pub const KEYRING_SERVICE: &str = "trackline";
/// Where session tokens are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenStoreKind {
    /// One file per profile in the data dir, mode 0600.
    #[default]
    File,
    /// The OS keychain.
    Keyring,
}

impl fmt::Display for TokenStoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenStoreKind::File => "file",
            TokenStoreKind::Keyring => "keyring",
        })
    }
}

/// The session file on disk. The token is written in the clear (the file is
/// 0600), or is absent when it lives in the OS keyring.
#[derive(Serialize, Deserialize)]
struct StoredSession {
    profile: String,
    base_url: String,
    email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    in_keyring: bool,
}

/// Where [`TokenStore::save`] put the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// In the session file (mode 0600).
    File,
    /// In the OS keyring; the file holds the rest of the session.
    Keyring,
    /// The keyring was asked for but is unavailable, so the token went to the file.
    FileInstead {
        /// What to tell the user (holds no secret).
        warning: String,
        /// [`Stored::FileInstead::warning`] in each language of [`Lang::ALL`](crate::i18n::Lang::ALL), in its order.
        warnings: Vec<String>,
    },
}

impl Stored {
    /// The warning to show, if the token did not go where the user asked.
    pub fn warning(&self) -> Option<&str> {
        match self {
            Stored::FileInstead { warning, .. } => Some(warning),
            Stored::File | Stored::Keyring => None,
        }
    }

    /// [`Stored::warning`] in `lang`.
    pub fn warning_in(&self, lang: crate::i18n::Lang) -> Option<&str> {
        match self {
            Stored::FileInstead { warning, warnings } => {
                let at = crate::i18n::Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
                Some(warnings.get(at).unwrap_or(warning))
            }
            Stored::File | Stored::Keyring => None,
        }
    }
}

/// One session file per profile in a directory (`<data dir>/sessions`), with
/// the token in the file or, when configured, in the OS keyring.
#[derive(Debug, Clone)]
pub struct TokenStore {
    dir: PathBuf,
    kind: TokenStoreKind,
}

impl TokenStore {
    /// A store keeping its files in `dir` (created, mode 0700, on the first save)
    /// and the tokens in them.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        TokenStore {
            dir: dir.into(),
            kind: TokenStoreKind::File,
        }
    }

    /// The same store, saving new tokens where `kind` says (`token_store` in the config).
    /// Reading follows each file: a token saved to the keyring is read from there.
    pub fn with_kind(mut self, kind: TokenStoreKind) -> Self {
        self.kind = kind;
        self
    }

    /// Where new tokens are saved.
    pub fn kind(&self) -> TokenStoreKind {
        self.kind
    }

    /// The file that holds `profile`'s session.
    pub fn path(&self, profile: &str) -> Result<PathBuf, StoreError> {
        Ok(self.dir.join(format!("{}.json", encode_profile(profile)?)))
    }

    /// The stored session of `profile`, or `None` when it has none.
    pub fn load(&self, profile: &str) -> Result<Option<Session>, StoreError> {
        let path = self.path(profile)?;
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        tighten_permissions(&path);
        let stored: StoredSession = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let token = match (stored.token, stored.in_keyring) {
            (Some(token), _) => SecretString::from(token),
            (None, true) => match keyring_get(profile) {
                Ok(Some(token)) => token,
                Ok(None) => {
                    tracing::warn!(profile, "the session's token is no longer in the OS keyring");
                    return Ok(None);
                }
                Err(error) => {
                    tracing::warn!(profile, %error, "cannot read the token from the OS keyring");
                    return Ok(None);
                }
            },
            (None, false) => {
                return Err(StoreError::Corrupt {
                    path,
                    reason: "no token".to_string(),
                });
            }
        };
        let expires_at = match stored.expires_at.as_deref() {
            Some(raw) => Some(OffsetDateTime::parse(raw, &Rfc3339).map_err(|e| StoreError::Corrupt {
                path: path.clone(),
                reason: format!("expires_at: {e}"),
            })?),
            None => jwt_expiry(token.expose_secret()),
        };
        Ok(Some(Session {
            profile: profile.to_owned(),
            base_url: stored.base_url,
            email: stored.email,
            token,
            expires_at,
        }))
    }

    /// Stores `session` under its profile, replacing any earlier one atomically,
    /// and says where the token went.
    ///
    /// The file is created with mode 0600 before a byte is written, and its mode
    /// is set again explicitly, so a permissive umask cannot widen it. With the
    /// keyring configured but unavailable, the token goes to the file and the
    /// result carries a warning (also logged) instead of an error.
    pub fn save(&self, session: &Session) -> Result<Stored, StoreError> {
        let path = self.path(&session.profile)?;
        let outcome = match self.kind {
            TokenStoreKind::File => Stored::File,
            TokenStoreKind::Keyring => match keyring_set(&session.profile, &session.token) {
                Ok(()) => Stored::Keyring,
                Err(error) => {
                    let say = |lang: crate::i18n::Lang| {
                        crate::tr!(
                            lang,
                            "keyring-unavailable",
                            reason = error.to_string(),
                            path = path.display().to_string()
                        )
                    };
                    let warning = say(crate::i18n::Lang::En);
                    tracing::warn!(profile = %session.profile, "{warning}");
                    let warnings = crate::i18n::Lang::ALL.iter().map(|lang| say(*lang)).collect();
                    Stored::FileInstead { warning, warnings }
                }
            },
        };
        let in_keyring = outcome == Stored::Keyring;
        let expires_at = match session.expires_at {
            Some(at) => Some(at.format(&Rfc3339).map_err(|e| StoreError::Write {
                path: path.clone(),
                source: io::Error::other(e),
            })?),
            None => None,
        };
        let stored = StoredSession {
            profile: session.profile.clone(),
            base_url: session.base_url.clone(),
            email: session.email.clone(),
            token: (!in_keyring).then(|| session.token.expose_secret().to_owned()),
            expires_at,
            in_keyring,
        };
        let json = serde_json::to_vec_pretty(&stored).map_err(|e| StoreError::Write {
            path: path.clone(),
            source: e.into(),
        })?;
        atomic::write(&path, &json, atomic::Access::Private).map_err(|source| StoreError::Write { path, source })?;
        Ok(outcome)
    }

    /// Deletes `profile`'s session, its keyring entry included; `false` if it had none.
    pub fn delete(&self, profile: &str) -> Result<bool, StoreError> {
        let path = self.path(profile)?;
        let in_keyring = fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<StoredSession>(&bytes).ok())
            .is_some_and(|stored| stored.in_keyring);
        let mut removed = false;
        if in_keyring || self.kind == TokenStoreKind::Keyring {
            match keyring_delete(profile) {
                Ok(found) => removed |= found,
                Err(error) => tracing::warn!(profile, %error, "cannot delete the token from the OS keyring"),
            }
        }
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(removed),
            Err(source) => Err(StoreError::Write { path, source }),
        }
    }

    /// The profiles that have a stored session, sorted. An unreadable directory lists none.
    pub fn list(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut profiles: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let stem = name.strip_suffix(".json")?;
                let profile = percent_decode_str(stem).decode_utf8().ok()?.into_owned();
                (encode_profile(&profile).ok()? == stem).then_some(profile)
            })
            .collect();
        profiles.sort();
        profiles
    }
}

fn keyring_entry(profile: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, profile)
}

fn keyring_set(profile: &str, token: &SecretString) -> keyring::Result<()> {
    keyring_entry(profile)?.set_password(token.expose_secret())
}

fn keyring_get(profile: &str) -> keyring::Result<Option<SecretString>> {
    match keyring_entry(profile)?.get_password() {
        Ok(token) => Ok(Some(SecretString::from(token))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e),
    }
}

fn keyring_delete(profile: &str) -> keyring::Result<bool> {
    match keyring_entry(profile)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(e),
    }
}
/// Every byte but ASCII letters, digits, `-` and `_` is escaped, so a profile
/// name can never be a path, a hidden file or `..`.
const PROFILE_FILE_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// A profile name as a file name (used for the session file and the index).
pub(crate) fn encode_profile(profile: &str) -> Result<String, StoreError> {
    if profile.is_empty() {
        return Err(StoreError::EmptyProfile);
    }
    Ok(utf8_percent_encode(profile, PROFILE_FILE_SET).to_string())
}
/// A session file readable by others (copied in, or written by an old version)
/// is narrowed back to 0600 when it is read.
#[cfg(unix)]
fn tighten_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o077 != 0) {
        tracing::warn!(path = %path.display(), "session file was readable by others; setting its mode to 0600");
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
}

#[cfg(not(unix))]
fn tighten_permissions(_path: &Path) {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::session::tests::{jwt, session};

    #[test]
    fn save_load_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("sessions"));
        assert!(store.load("prod").unwrap().is_none());
        let saved = session("prod", &jwt(r#"{"exp":1893456000}"#));
        store.save(&saved).unwrap();
        let loaded = store.load("prod").unwrap().unwrap();
        assert_eq!(loaded.profile, "prod");
        assert_eq!(loaded.base_url, saved.base_url);
        assert_eq!(loaded.email, saved.email);
        assert_eq!(loaded.token.expose_secret(), saved.token.expose_secret());
        assert_eq!(loaded.expires_at, saved.expires_at);
        assert_eq!(store.list(), vec!["prod".to_owned()]);
        assert!(store.delete("prod").unwrap());
        assert!(!store.delete("prod").unwrap());
        assert!(store.load("prod").unwrap().is_none());
        assert!(store.list().is_empty());
    }

    #[test]
    fn saving_again_replaces_the_session_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path());
        store.save(&session("default", "first")).unwrap();
        store.save(&session("default", "second")).unwrap();
        assert_eq!(store.load("default").unwrap().unwrap().token.expose_secret(), "second");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("default.json")]);
    }

    #[test]
    fn the_session_file_holds_no_password_and_the_documented_fields() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path());
        store.save(&session("default", &jwt(r#"{"exp":1893456000}"#))).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(store.path("default").unwrap()).unwrap()).unwrap();
        let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["base_url", "email", "expires_at", "profile", "token"]);
        assert_eq!(json["expires_at"], "2030-01-01T00:00:00Z");
    }

    /// The file is created with mode 0600 and its mode is then set explicitly,
    /// which is what keeps a umask of 000 from widening it; the test runner's
    /// umask cannot be changed safely from a multi-threaded test without
    /// `unsafe`, so this asserts the resulting mode.
    #[cfg(unix)]
    #[test]
    fn the_session_file_is_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("sessions"));
        store.save(&session("default", "t")).unwrap();
        let mode = fs::metadata(store.path("default").unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(dir.path().join("sessions")).unwrap().permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn a_session_file_readable_by_others_is_narrowed_on_load() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path());
        store.save(&session("default", "t")).unwrap();
        let path = store.path("default").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        store.load("default").unwrap().unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    /// Where no Secret Service runs (CI, a headless server) the token falls back
    /// to the 0600 file with a warning; where one does, the file holds no token.
    /// Either way the session reads back and logout removes it everywhere.
    #[test]
    fn a_keyring_store_keeps_working_with_or_without_a_keyring() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path()).with_kind(TokenStoreKind::Keyring);
        let profile = format!("trackline-unit-test-{}", std::process::id());
        let token = "keyring-test-token-value";
        let outcome = store.save(&session(&profile, token)).unwrap();
        let file = fs::read_to_string(store.path(&profile).unwrap()).unwrap();
        match &outcome {
            Stored::FileInstead { warning, .. } => {
                assert!(file.contains(token));
                assert!(warning.contains("keyring is not available"), "{warning}");
                assert!(!warning.contains(token));
            }
            Stored::Keyring => assert!(!file.contains(token), "{file}"),
            Stored::File => panic!("the keyring was not tried"),
        }
        assert_eq!(store.load(&profile).unwrap().unwrap().token.expose_secret(), token);
        assert_eq!(store.list(), vec![profile.clone()]);
        assert!(store.delete(&profile).unwrap());
        assert!(store.load(&profile).unwrap().is_none());
        assert!(!store.delete(&profile).unwrap());
    }

    #[test]
    fn profile_names_cannot_escape_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("sessions"));
        for profile in ["../evil", ".hidden", "a/b", "con", "prod Ünï"] {
            let path = store.path(profile).unwrap();
            assert_eq!(path.parent(), Some(dir.path().join("sessions").as_path()), "{profile}");
            assert!(
                !path.file_name().unwrap().to_string_lossy().starts_with('.'),
                "{profile}"
            );
            store.save(&session(profile, "t")).unwrap();
            assert_eq!(store.load(profile).unwrap().unwrap().profile, profile);
        }
        let mut expected = vec!["../evil", ".hidden", "a/b", "con", "prod Ünï"];
        expected.sort();
        assert_eq!(store.list(), expected);
        assert!(matches!(store.path(""), Err(StoreError::EmptyProfile)));
    }

    #[test]
    fn a_damaged_session_file_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path());
        fs::write(store.path("default").unwrap(), "{not json").unwrap();
        let err = store.load("default").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }));
        assert!(err.to_string().contains("log in again"), "{err}");
    }
}
