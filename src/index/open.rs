//! Opening a profile's index: the file (mode 0600, in a 0700 folder), SQLite
//! in WAL mode so several trackline processes read and write it at once, the
//! schema, and the two repairs: a file that is not an index is moved aside
//! and a new one started; a folder that cannot be written is read as it is.

use super::IndexError;
use crate::i18n::{Message, message};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The schema this build reads and writes (`PRAGMA user_version`): 2 adds
/// the watched set to version 1.
const SCHEMA_VERSION: i64 = 2;

/// The oldest schema this build still reads as it is (a read-only file it
/// cannot migrate); a writable one is migrated when opened.
const OLDEST_READABLE: i64 = 1;

/// How long a write waits for another process's write to finish.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// Version 1. Process fields as last seen: `extra` is a JSON object of the fields the
/// model does not name (NULL when none); documents live in their own table
/// and are not repeated here. Times are Unix seconds.
pub(super) const SCHEMA_V1: &str = "
CREATE TABLE process (
    id INTEGER PRIMARY KEY,
    process_id TEXT NOT NULL UNIQUE,
    name TEXT,
    status TEXT,
    created_at TEXT,
    extra TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);
CREATE TABLE document (
    process INTEGER NOT NULL REFERENCES process(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    name TEXT,
    type TEXT,
    extra TEXT,
    PRIMARY KEY (process, position)
) WITHOUT ROWID;
CREATE TABLE status_change (
    process INTEGER NOT NULL REFERENCES process(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    status TEXT
);
CREATE INDEX status_change_by_process ON status_change (process);
CREATE TABLE saved (
    attachment_id TEXT NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 BLOB NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (attachment_id, path)
) WITHOUT ROWID;
";

/// Version 2 over version 1: the processes the TUI watches, in the order
/// they were watched, each with its name, status and time of its last status
/// change as the watch last saw them (Unix seconds; NULL before the first check).
const SCHEMA_V2: &str = "
CREATE TABLE watched (
    process_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT,
    status TEXT,
    changed_at INTEGER
) WITHOUT ROWID;
";

/// The local index of one profile: every process and document seen, the
/// status changes, the saved downloads. Safe to share between threads; other
/// processes may use the same file at the same time.
#[derive(Debug)]
pub struct Index {
    conn: Mutex<Connection>,
    path: PathBuf,
    writable: bool,
}

/// An index just opened, and what the user should hear about opening it.
#[derive(Debug)]
pub struct Opened {
    /// The index.
    pub index: Index,
    /// A repair that was made (the damaged file moved aside), to say once on stderr or in the TUI.
    pub notice: Option<Repair>,
}

/// A damaged index file moved aside and a new one started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The index file.
    pub path: PathBuf,
    /// Where the damaged file went.
    pub aside: PathBuf,
    /// What SQLite said about it.
    pub reason: String,
}

impl Repair {
    /// What happened, in `lang`.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        crate::tr!(
            lang,
            "index-repaired",
            path = self.path.display().to_string(),
            reason = self.reason.as_str(),
            aside = self.aside.display().to_string()
        )
    }
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(crate::i18n::Lang::En))
    }
}

impl Index {
    /// The index file of `profile` under the data dir: `index/<profile>.sqlite`.
    pub fn path_for(data_dir: &Path, profile: &str) -> Result<PathBuf, IndexError> {
        let name = crate::store::tokens::encode_profile(profile).map_err(|_| IndexError::EmptyProfile)?;
        Ok(data_dir.join("index").join(format!("{name}.sqlite")))
    }

    /// Opens the index at `path` to read and write, creating it (and its
    /// folder) when missing. A file that is not an index is moved aside and a
    /// new one started ([`Opened::notice`] says so); a folder or file that
    /// cannot be written is [`IndexError::ReadOnly`].
    pub fn open(path: &Path) -> Result<Opened, IndexError> {
        prepare_file(path)?;
        match connect(path) {
            Ok(conn) => Ok(Opened {
                index: Index::new(conn, path, true),
                notice: None,
            }),
            Err(error) if is_damaged(&error) => {
                let aside = move_aside(path)?;
                tracing::warn!(path = %path.display(), aside = %aside.display(), %error, "the index was damaged; starting a new one");
                prepare_file(path)?;
                let conn = connect(path).map_err(|e| IndexError::from_sql(path, e))?;
                Ok(Opened {
                    index: Index::new(conn, path, true),
                    notice: Some(Repair {
                        path: path.to_path_buf(),
                        aside,
                        reason: error.to_string(),
                    }),
                })
            }
            Err(error) => Err(IndexError::from_sql(path, error)),
        }
    }

    /// Opens the index at `path` to read: `None` when there is none yet. When
    /// it cannot be opened for writing (a read-only folder), it is read as it is.
    pub fn open_to_read(path: &Path) -> Result<Option<Opened>, IndexError> {
        if !path.exists() {
            return Ok(None);
        }
        match Index::open(path) {
            Ok(opened) => Ok(Some(opened)),
            Err(IndexError::ReadOnly { .. }) => Ok(Some(Opened {
                index: Index::read_as_it_is(path)?,
                notice: None,
            })),
            Err(error) => Err(error),
        }
    }

    /// The file at `path` read as it is, without its WAL and without
    /// migrating it (of any schema this build reads).
    pub(super) fn read_as_it_is(path: &Path) -> Result<Index, IndexError> {
        let conn = connect_immutable(path).map_err(|e| IndexError::from_sql(path, e))?;
        Ok(Index::new(conn, path, false))
    }

    fn new(conn: Connection, path: &Path, writable: bool) -> Index {
        Index {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            writable,
        }
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this index can be written (false when it was opened read-only).
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn sql_error(&self, error: rusqlite::Error) -> IndexError {
        IndexError::from_sql(&self.path, error)
    }

    /// A second connection to the same file, to read on another thread.
    pub(crate) fn reader(&self) -> rusqlite::Result<Connection> {
        if !self.writable {
            return connect_immutable(&self.path);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_WAIT)?;
        Ok(conn)
    }

    /// An error unless this index can be written.
    pub(crate) fn check_writable(&self) -> Result<(), IndexError> {
        if self.writable {
            Ok(())
        } else {
            Err(IndexError::ReadOnly {
                path: self.path.clone(),
                reason: message!("index-opened-read-only"),
            })
        }
    }
}

/// Creates the folder (0700) and an empty file (0600) when missing; narrows a
/// file readable by others to 0600.
fn prepare_file(path: &Path) -> Result<(), IndexError> {
    let read_only = |e: std::io::Error| IndexError::ReadOnly {
        path: path.to_path_buf(),
        reason: Message::of_io(&e),
    };
    if let Some(dir) = path.parent() {
        crate::store::atomic::create_private_dir(dir).map_err(read_only)?;
    }
    match create_private_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            tighten(path);
            Ok(())
        }
        Err(e) => Err(read_only(e)),
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}

#[cfg(unix)]
fn tighten(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "the index was readable by others; setting its mode to 0600");
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}

#[cfg(not(unix))]
fn tighten(_path: &Path) {}

/// Opens, sets WAL mode and the schema. SQLite gives its `-wal` and `-shm`
/// files the mode of the database file.
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_WAIT)?;
    let mode = wal_mode(&conn)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some(format!("the index stays in {mode} mode")),
        ));
    }
    // A commit survives the process being killed; one lost to a power cut
    // leaves the file consistent, with the last few lookups missing.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    ensure_schema(&mut conn)?;
    Ok(conn)
}

/// Puts the file in WAL mode. Changing the mode of a new file takes a lock
/// that SQLite does not wait for (the busy timeout does not apply), so when a
/// second trackline is opening the same new file, this tries again for up to
/// [`BUSY_WAIT`].
fn wal_mode(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + BUSY_WAIT;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)) {
            Err(error)
                if error.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

/// Opens a file that cannot be written, as it is, without its WAL.
pub(crate) fn connect_immutable(path: &Path) -> rusqlite::Result<Connection> {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const URI_SET: &AsciiSet = &CONTROLS.add(b'%').add(b'?').add(b'#');
    let uri = format!(
        "file:{}?mode=ro&immutable=1",
        utf8_percent_encode(&path.to_string_lossy(), URI_SET)
    );
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if !(OLDEST_READABLE..=SCHEMA_VERSION).contains(&version) {
        return Err(newer_schema(version));
    }
    Ok(conn)
}

fn ensure_schema(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    match version {
        0 => {
            tx.execute_batch(SCHEMA_V1)?;
            tx.execute_batch(SCHEMA_V2)?;
        }
        1 => {
            tracing::info!("migrating the index from schema 1 to 2 (the watched set)");
            tx.execute_batch(SCHEMA_V2)?;
        }
        SCHEMA_VERSION => return Ok(()),
        other => return Err(newer_schema(other)),
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()
}

/// A file of a newer schema: the message rides in the error to [`IndexError::from_sql`].
fn newer_schema(version: i64) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(message!(
        "index-schema-newer",
        version = version.to_string(),
        reads = SCHEMA_VERSION.to_string()
    )))
}

/// Whether SQLite says the file is not a database or is damaged.
fn is_damaged(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Renames the file (and its `-wal` and `-shm`) to `<name>.damaged-<time>`.
fn move_aside(path: &Path) -> Result<PathBuf, IndexError> {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    let aside = with_suffix(&format!(".damaged-{stamp}"));
    match std::fs::rename(path, &aside) {
        Ok(()) => {}
        // Another trackline moved it first.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(IndexError::ReadOnly {
                path: path.to_path_buf(),
                reason: message!("index-damaged-stuck", error = Message::of_io(&e)),
            });
        }
    }
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(suffix);
        if side.exists() {
            let _ = std::fs::rename(&side, with_suffix(&format!(".damaged-{stamp}{suffix}")));
        }
    }
    Ok(aside)
}

impl IndexError {
    pub(crate) fn from_sql(path: &Path, error: rusqlite::Error) -> IndexError {
        let path = path.to_path_buf();
        if let rusqlite::Error::ToSqlConversionFailure(inner) = &error
            && let Some(reason) = inner.downcast_ref::<Message>()
        {
            return IndexError::Newer {
                path,
                reason: reason.clone(),
            };
        }
        match error.sqlite_error_code() {
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => IndexError::ReadOnly {
                path,
                reason: Message::library_words(&error.to_string()),
            },
            Some(ErrorCode::TypeMismatch) => IndexError::Newer {
                path,
                reason: Message::library_words(&error.to_string()),
            },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => IndexError::Damaged {
                path,
                reason: Message::library_words(&error.to_string()),
            },
            _ => IndexError::Sql { path, source: error },
        }
    }
}
