//! Local state on disk: the session of each profile ([`TokenStore`], with the
//! OS keyring), the last email and server of each profile ([`ProfileMemory`]),
//! the recent processes ([`recent`]), all written through one atomic writer
//! ([`atomic`]).
//!
//! Below `config` and `api`: it knows files and the keyring, nothing of HTTP or
//! of the settings.

pub(crate) mod atomic;
mod list_file;
mod profiles;
pub(crate) mod recent;
mod session;
pub(crate) mod tokens;
pub(crate) mod watched;

pub use profiles::{ProfileMemory, Remembered};
pub use recent::RecentEntry;
pub use session::{Session, jwt_expiry};
pub use tokens::{KEYRING_SERVICE, Stored, TokenStore, TokenStoreKind};
pub use watched::WatchedEntry;

use std::io;
use std::path::PathBuf;

/// What can go wrong reading or writing trackline's own files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
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
    /// The work on the store stopped before it finished (its thread failed).
    #[error("the work on trackline's files stopped: {0}")]
    Interrupted(String),
}

impl StoreError {
    /// The exit code of SPEC.md: these are all "any other error".
    pub fn exit_code(&self) -> u8 {
        crate::exit::OTHER
    }
}
