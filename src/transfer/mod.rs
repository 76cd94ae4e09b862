//! Downloading attachments to disk: streaming, resuming, naming, verifying,
//! opening. The headless commands and the TUI's worker both use this one
//! engine.
//!
//! A download ([`download_with`]) makes a request, and its body goes to a
//! `.part` file beside the final name (opened with `create_new`, so
//! concurrent downloads never share one), through a fixed-size buffer and a
//! SHA-256 hasher, so memory does not grow with the file. A body shorter or
//! longer than its `Content-Length` is an error and no final file appears. A
//! finished file is synced to disk and then given its final name without
//! ever replacing an existing file.
//!
//! A download that breaks keeps its `.part` file and a resume record (see
//! [`resume`]). The next attempt, an automatic retry with backoff in the
//! same run or a later run, re-hashes the bytes already there and sends
//! `Range: bytes=N-` with `If-Range`. It appends only to a `206` whose
//! `Content-Range` starts at `N`; a `200` (the file changed, or the server
//! ignores ranges) empties the `.part` and starts over.
//!
//! The parts, each with one job: `download` (the request types and the
//! retry loop), `attempt` (one request and whether it resumes), `save` (one
//! answer from `.part` to final name), `sink` (the body: batches, hashing,
//! writeback, progress), `range` (Content-Range, validators, If-Range),
//! `target` (the folder, the `.part` name, the final rename), `error`,
//! [`naming`] (safe file names), [`resume`] (finding the `.part` of an
//! interrupted download) and `open` (handing a saved file to the user's
//! application).

mod attempt;
mod download;
mod error;
pub mod naming;
mod open;
mod range;
pub mod resume;
mod save;
mod sink;
mod target;
mod words;
mod writeback;

pub use download::{DownloadRequest, Downloaded, Progress, TransferOptions, VerifyHook, download, download_with};
pub use error::TransferError;
pub use open::open_path;
