//! Downloading attachments to disk: streaming, resuming, naming, verifying,
//! opening.
//!
//! [`naming`] turns untrusted server names into safe file names and saves
//! without overwriting; [`mod@download`] streams one attachment to a `.part`
//! file, checks and hashes it, and gives it its final name; [`resume`] finds
//! the `.part` of an interrupted download so the next attempt continues it;
//! [`open`] hands a saved file to the user's application. The headless
//! commands and the TUI's worker both use this one engine.

pub mod download;
pub mod naming;
pub mod open;
pub mod resume;
mod writeback;

pub use download::{
    DownloadRequest, Downloaded, Progress, TransferError, TransferOptions, download, download_with, save_response,
};
pub use naming::{choose_name, safe_file_name};
pub use open::open_path;
