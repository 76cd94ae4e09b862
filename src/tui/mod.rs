//! The interactive terminal UI.
//!
//! - [`app`]: the state and its pure update function ([`App::update`]);
//! - [`view`]: drawing the state with ratatui;
//! - [`keymap`] and [`theme`]: keys and colours, both configurable;
//! - `bindings`: what the keys do in each pane, for dispatch, hints and conflicts.
//!
//! The terminal lifecycle ([`terminal`]), the event loop ([`runtime`], a
//! [`Tui`] over any ratatui backend), launching it ([`run`]) and the runtime
//! threads' priority ([`priority`]) live beside these and drive them: keys,
//! resizes, ticks and worker events become [`Msg`]s, the
//! [`crate::worker::Command`]s that `update` returns go to the worker, and
//! the [`Effect`]s (suspend, quit, copy) are done by the loop.

pub(crate) mod app;
pub(crate) mod bindings;
pub(crate) mod details;
pub(crate) mod documents;
pub(crate) mod downloads;
pub(crate) mod fit;
pub(crate) mod format;
pub(crate) mod keymap;
pub(crate) mod layout;
pub(crate) mod list;
pub(crate) mod secret_field;
pub(crate) mod theme;
pub mod view;

pub use app::{App, AppInit, Effect, Focus, Msg, SessionInfo};
pub use keymap::{Action, Keymap, KeymapError};
pub use theme::{Theme, ThemeName};

mod error;
pub mod graphics;
pub mod priority;
pub mod run;
pub mod runtime;
pub mod terminal;

pub use error::TuiError;
pub use runtime::{Headless, TerminalHost, Tui};
