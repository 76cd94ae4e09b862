//! The one place where work is done, for both front ends: the headless
//! commands call it directly, the TUI's worker turns its commands into calls
//! to it.
//!
//! - [`client`]: the one builder of HTTP clients from the settings;
//! - [`session`]: the session of a profile: the stored one, logging in, and
//!   renewing once after a refusal, with the credentials from a pluggable
//!   [`credentials`] source (the environment, a password kept in memory, none);
//! - [`lookup`]: process lookups;
//! - [`index`]: the local index of each profile, which lookups and downloads record into;
//! - [`queue`]: the download queue (concurrency, cancellation, progress, retries);
//! - [`open`]: handing a saved file to the user's application;
//! - [`preview`]: documents read for `inspect` and the preview pane, through a bounded cache;
//! - [`signals`]: the signals that end a command, and their exit codes;
//! - [`watch`]: watching processes for status changes;
//! - [`watched`]: the TUI's watched set of each profile, kept in its index.

pub mod client;
pub mod credentials;
pub mod index;
pub mod lookup;
pub mod open;
pub mod preview;
pub mod queue;
pub mod session;
pub mod signals;
pub mod watch;
pub mod watched;
mod words;

pub use client::ClientFactory;
pub use credentials::{CredentialSource, Credentials, EnvCredentials, KeptPassword, NoCredentials};
pub use index::IndexBook;
pub use queue::{DownloadEvent, DownloadQueue, Fetched};
pub use session::{LoggedIn, NeedsLogin, Profile, SessionManager, SessionNotice};
pub use watch::{Change, Check, StatusLog, WatchControl, WatchEvent, WatchOptions, Watcher};
