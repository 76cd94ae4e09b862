//! trackline: a keyboard-driven terminal browser for the Trackline API of the
//! Code Contract platform, and the headless commands that share its engine.
//!
//! - [`api`] speaks HTTP and JSON to the Trackline API (or the sandbox).
//! - [`transfer`] streams attachments to disk safely.
//! - [`index`] remembers every process and document seen, and searches them.
//! - [`inspect`] reads documents: e-invoices, PDFs, pictures, archives, text.
//! - [`sandbox`] serves the same API from sample data, for demos and tests.
//! - [`cli`] and [`config`] are the headless front end; [`tui`] and [`worker`] the interactive one.

pub mod api;
pub mod cli;
pub mod config;
pub mod engine;
pub mod exit;
pub mod i18n;
pub mod index;
pub mod inspect;
pub(crate) mod logging;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod store;
pub mod text;
pub mod transfer;
pub mod tui;
pub mod worker;
