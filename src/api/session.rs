//! Sessions: tokens, their expiry and where they are stored.
//!
//! A [`Session`] is what `POST /login` gives one profile: a token for one
//! server and one email. [`TokenStore`] keeps one file per profile (mode 0600,
//! never the password), or keeps the token in the OS keyring and only the rest
//! in the file; [`ProfileMemory`] remembers the last email and server each
//! profile logged in with, for the login dialog.

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::error::exit;
use crate::config::TokenStoreKind;

/// The service name trackline's entries have in the OS keyring (the user is the profile).
pub const KEYRING_SERVICE: &str = "trackline";

/// A logged-in session of one profile.
#[derive(Clone)]
pub struct Session {
    /// The profile this session belongs to.
    pub profile: String,
    /// The server the token was issued by (the base URL, including `/api`).
    pub base_url: String,
    /// The email that logged in.
    pub email: String,
    /// The bearer token. Never printed, logged or shown.
    pub token: SecretString,
    /// When the token expires, if it is a JWT with an `exp` claim.
    pub expires_at: Option<OffsetDateTime>,
}

impl Session {
    /// A session for `token`, its expiry read from the token when it is a JWT.
    pub fn new(
        profile: impl Into<String>,
        base_url: impl Into<String>,
        email: impl Into<String>,
        token: SecretString,
    ) -> Self {
        let expires_at = jwt_expiry(token.expose_secret());
        Session {
            profile: profile.into(),
            base_url: base_url.into(),
            email: email.into(),
            token,
            expires_at,
        }
    }

    /// Whether the token has expired at `now`. A token whose expiry is unknown never has.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// The time left at `now` (negative once expired), if the expiry is known.
    pub fn time_left(&self, now: OffsetDateTime) -> Option<time::Duration> {
        self.expires_at.map(|at| at - now)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile)
            .field("base_url", &self.base_url)
            .field("email", &self.email)
            .field("token", &"***")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The `exp` claim of a JWT, read without checking the signature.
///
/// Anything that is not a three-part JWT with a JSON payload and a numeric
/// `exp` (such as the guides' truncated `eyJ0eXAi...eyJmcmV...`) gives `None`:
/// the token is still used, its expiry is just unknown.
pub fn jwt_expiry(token: &str) -> Option<OffsetDateTime> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.is_empty() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD_INDIFFERENT
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    let seconds = match exp.as_i64() {
        Some(s) => s,
        None => {
            let f = exp.as_f64()?;
            if !f.is_finite() {
                return None;
            }
            f.floor() as i64
        }
    };
    OffsetDateTime::from_unix_timestamp(seconds).ok()
}

/// What can go wrong reading or writing the session files.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A session or profile file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// A session or profile file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// A file exists but does not hold what trackline wrote.
    #[error("{} is damaged ({reason}); delete it (`trackline logout`) and log in again", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The empty string is not a profile name.
    #[error("a profile name cannot be empty")]
    EmptyProfile,
}

impl SessionError {
    /// The exit code of SPEC.md: these are all "any other error".
    pub fn exit_code(&self) -> u8 {
        exit::OTHER
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
    },
}

impl Stored {
    /// The warning to show, if the token did not go where the user asked.
    pub fn warning(&self) -> Option<&str> {
        match self {
            Stored::FileInstead { warning } => Some(warning),
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
    pub fn path(&self, profile: &str) -> Result<PathBuf, SessionError> {
        Ok(self.dir.join(format!("{}.json", encode_profile(profile)?)))
    }

    /// The stored session of `profile`, or `None` when it has none.
    pub fn load(&self, profile: &str) -> Result<Option<Session>, SessionError> {
        let path = self.path(profile)?;
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(SessionError::Read { path, source }),
        };
        tighten_permissions(&path);
        let stored: StoredSession = serde_json::from_str(&text).map_err(|e| SessionError::Corrupt {
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
                return Err(SessionError::Corrupt {
                    path,
                    reason: "no token".to_string(),
                });
            }
        };
        let expires_at = match stored.expires_at.as_deref() {
            Some(raw) => Some(OffsetDateTime::parse(raw, &Rfc3339).map_err(|e| SessionError::Corrupt {
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
    pub fn save(&self, session: &Session) -> Result<Stored, SessionError> {
        let path = self.path(&session.profile)?;
        let outcome = match self.kind {
            TokenStoreKind::File => Stored::File,
            TokenStoreKind::Keyring => match keyring_set(&session.profile, &session.token) {
                Ok(()) => Stored::Keyring,
                Err(error) => {
                    let warning = format!(
                        "the OS keyring is not available ({error}); the token is kept in {} (mode 0600) instead",
                        path.display()
                    );
                    tracing::warn!(profile = %session.profile, "{warning}");
                    Stored::FileInstead { warning }
                }
            },
        };
        let in_keyring = outcome == Stored::Keyring;
        let expires_at = match session.expires_at {
            Some(at) => Some(at.format(&Rfc3339).map_err(|e| SessionError::Write {
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
        let json = serde_json::to_vec_pretty(&stored).map_err(|e| SessionError::Write {
            path: path.clone(),
            source: e.into(),
        })?;
        write_private(&path, &json).map_err(|source| SessionError::Write { path, source })?;
        Ok(outcome)
    }

    /// Deletes `profile`'s session, its keyring entry included; `false` if it had none.
    pub fn delete(&self, profile: &str) -> Result<bool, SessionError> {
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
            Err(source) => Err(SessionError::Write { path, source }),
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

/// What the login dialog remembers of one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The last email that logged in.
    pub email: String,
    /// The server it logged in to.
    pub base_url: String,
}

/// The last email and server of each profile, in one file (`<data dir>/profiles.json`).
#[derive(Debug, Clone)]
pub struct ProfileMemory {
    path: PathBuf,
}

impl ProfileMemory {
    /// A memory kept in the file `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ProfileMemory { path: path.into() }
    }

    /// What is remembered of `profile`. A missing or damaged file remembers nothing.
    pub fn get(&self, profile: &str) -> Option<Remembered> {
        self.read().remove(profile)
    }

    /// The last email `profile` logged in with.
    pub fn last_email(&self, profile: &str) -> Option<String> {
        self.get(profile).map(|r| r.email)
    }

    /// The profiles remembered, sorted.
    pub fn profiles(&self) -> Vec<String> {
        self.read().into_keys().collect()
    }

    /// Remembers that `profile` logged in as `email` to `base_url`.
    pub fn remember(&self, profile: &str, email: &str, base_url: &str) -> Result<(), SessionError> {
        let mut all = self.read();
        all.insert(
            profile.to_owned(),
            Remembered {
                email: email.to_owned(),
                base_url: base_url.to_owned(),
            },
        );
        let json = serde_json::to_vec_pretty(&all).map_err(|e| SessionError::Write {
            path: self.path.clone(),
            source: e.into(),
        })?;
        write_private(&self.path, &json).map_err(|source| SessionError::Write {
            path: self.path.clone(),
            source,
        })
    }

    fn read(&self) -> BTreeMap<String, Remembered> {
        fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }
}

/// Every byte but ASCII letters, digits, `-` and `_` is escaped, so a profile
/// name can never be a path, a hidden file or `..`.
const PROFILE_FILE_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

fn encode_profile(profile: &str) -> Result<String, SessionError> {
    if profile.is_empty() {
        return Err(SessionError::EmptyProfile);
    }
    Ok(utf8_percent_encode(profile, PROFILE_FILE_SET).to_string())
}

/// Writes `bytes` to `path` through a 0600 temporary file in the same directory
/// and a rename, so a reader sees the old file or the new one, never half of one.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent directory"))?;
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("no file name"))?
        .to_string_lossy();
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match create_private_file(&tmp) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = set_private_mode(&file)
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn set_private_mode(file: &fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private_mode(_file: &fs::File) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
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
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(payload: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload);
        format!("{header}.{payload}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk")
    }

    fn session(profile: &str, token: &str) -> Session {
        Session::new(
            profile,
            "https://api.example.com/api",
            "ana@example.com",
            SecretString::from(token),
        )
    }

    #[test]
    fn jwt_expiry_reads_exp_from_a_real_jwt() {
        let token = jwt(r#"{"sub":"ana@example.com","exp":1893456000,"iat":1700000000}"#);
        let exp = jwt_expiry(&token);
        assert_eq!(exp, Some(time::macros::datetime!(2030-01-01 00:00 UTC)));
    }

    #[test]
    fn jwt_expiry_accepts_a_fractional_exp() {
        let token = jwt(r#"{"exp":1893456000.75}"#);
        assert_eq!(jwt_expiry(&token), Some(time::macros::datetime!(2030-01-01 00:00 UTC)));
    }

    #[test]
    fn the_guides_truncated_token_has_no_known_expiry() {
        assert_eq!(jwt_expiry("eyJ0eXAi...eyJmcmV..."), None);
    }

    #[test]
    fn garbage_tokens_have_no_known_expiry() {
        for token in [
            "",
            "abc",
            "a.b.c",
            "a..c",
            "a.b.c.d",
            "x.!!!!.y",
            &jwt("not json"),
            &jwt(r#"{"exp":"soon"}"#),
            &jwt(r#"{"sub":"x"}"#),
        ] {
            assert_eq!(jwt_expiry(token), None, "{token}");
        }
    }

    #[test]
    fn is_expired_compares_with_now() {
        let s = session("default", &jwt(r#"{"exp":1000}"#));
        assert!(!s.is_expired(OffsetDateTime::from_unix_timestamp(999).unwrap()));
        assert!(s.is_expired(OffsetDateTime::from_unix_timestamp(1000).unwrap()));
        let unknown = session("default", "eyJ0eXAi...eyJmcmV...");
        assert!(!unknown.is_expired(OffsetDateTime::now_utc()));
        assert_eq!(unknown.time_left(OffsetDateTime::now_utc()), None);
    }

    #[test]
    fn debug_never_prints_the_token() {
        let s = session("prod", "super-secret-token-value");
        let shown = format!("{s:?}");
        assert!(!shown.contains("super-secret-token-value"), "{shown}");
        assert!(shown.contains("ana@example.com"));
    }

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
            Stored::FileInstead { warning } => {
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
        assert!(matches!(store.path(""), Err(SessionError::EmptyProfile)));
    }

    #[test]
    fn a_damaged_session_file_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path());
        fs::write(store.path("default").unwrap(), "{not json").unwrap();
        let err = store.load("default").unwrap_err();
        assert!(matches!(err, SessionError::Corrupt { .. }));
        assert!(err.to_string().contains("log in again"), "{err}");
    }

    #[test]
    fn profile_memory_remembers_the_last_email_and_server() {
        let dir = tempfile::tempdir().unwrap();
        let memory = ProfileMemory::new(dir.path().join("data/profiles.json"));
        assert_eq!(memory.last_email("prod"), None);
        memory.remember("prod", "ana@example.com", "https://a/api").unwrap();
        memory.remember("staging", "bo@example.com", "https://b/api").unwrap();
        memory.remember("prod", "cy@example.com", "https://c/api").unwrap();
        assert_eq!(memory.last_email("prod").as_deref(), Some("cy@example.com"));
        assert_eq!(
            memory.get("staging"),
            Some(Remembered {
                email: "bo@example.com".into(),
                base_url: "https://b/api".into()
            })
        );
        assert_eq!(memory.profiles(), ["prod", "staging"]);
    }

    #[test]
    fn a_damaged_profile_memory_remembers_nothing_and_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        fs::write(&path, "garbage").unwrap();
        let memory = ProfileMemory::new(&path);
        assert_eq!(memory.last_email("default"), None);
        memory.remember("default", "ana@example.com", "https://a/api").unwrap();
        assert_eq!(memory.last_email("default").as_deref(), Some("ana@example.com"));
    }
}
