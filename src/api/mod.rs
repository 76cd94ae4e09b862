//! The Trackline API: client, models, errors and sessions.
pub mod client;
pub mod error;
pub mod model;
pub mod network;

pub use client::{Client, ClientOptions, ResumeFrom, RetryNotice, RetryPolicy};
pub use error::ApiError;
pub use model::{Document, Id, Process, ProcessQuery};
pub use network::ProxyTarget;
