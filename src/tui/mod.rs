//! The interactive terminal UI.
//!
//! - [`app`]: the state and its pure update function ([`App::update`]);
//! - [`view`]: drawing the state with ratatui;
//! - [`keymap`] and [`theme`]: keys and colours, both configurable;
//! - `bindings`: what the keys do in each pane, for dispatch, hints and conflicts.
//!
//! The terminal lifecycle ([`terminal`]), the event loop ([`run`]) and the
//! runtime threads' priority ([`priority`]) live beside these and drive them:
//! keys, resizes, ticks and worker events become [`Msg`]s, and the
//! [`crate::worker::Command`]s that `update` returns go to the worker; the
//! [`Effect`]s it asks for (suspend, quit) the event loop carries out itself.

pub mod app;
pub(crate) mod bindings;
pub mod documents;
pub mod downloads;
pub mod format;
pub mod keymap;
pub(crate) mod layout;
pub mod list;
pub mod theme;
pub mod view;

pub use app::{App, AppInit, Effect, Focus, Msg, SessionInfo};
pub use keymap::{Action, Keymap, KeymapError};
pub use theme::{Theme, ThemeName};

pub mod priority;
pub mod run;
pub mod terminal;
