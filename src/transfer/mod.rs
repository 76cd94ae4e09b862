//! Downloading attachments to disk: streaming, naming, verifying.
//!
//! [`naming`] turns untrusted server names into safe file names and saves
//! without overwriting; [`download`] streams one attachment to a `.part`
//! file, checks and hashes it, and gives it its final name. The headless
//! commands and the TUI's worker both use this one engine.

pub mod download;
pub mod naming;

pub use download::{DownloadRequest, Downloaded, Progress, TransferError, download, save_response};
pub use naming::{choose_name, safe_file_name};
