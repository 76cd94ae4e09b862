//! The error of a headless command, with its exit code.

use crate::api::ApiError;
use crate::config::ConfigError;
use crate::exit;
use crate::store::StoreError;
use crate::transfer::TransferError;

/// Why a command failed; [`CliError::exit_code`] is SPEC.md's exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The API refused or could not be reached.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A download failed.
    #[error(transparent)]
    Transfer(#[from] TransferError),
    /// The config file or a setting is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The session store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The session could not be had.
    #[error(transparent)]
    Session(#[from] crate::engine::session::SessionError),
    /// A document could not be previewed.
    #[error(transparent)]
    Preview(#[from] crate::engine::preview::PreviewError),
    /// The terminal UI failed.
    #[error(transparent)]
    Tui(#[from] crate::tui::run::TuiError),
    /// The command line is wrong in a way clap cannot see.
    #[error("{0}")]
    Usage(String),
    /// Standard output was closed by its reader (`| head`): the command ends
    /// quietly with 141 (128 + SIGPIPE), like a tool killed by that signal.
    #[error("standard output was closed")]
    StdoutClosed,
    /// Failures already told on stderr one by one; ends with their exit code and no more words.
    #[error("")]
    AlreadyReported(u8),
    /// Anything else, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

impl CliError {
    /// The process exit code of SPEC.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Api(e) => e.exit_code(),
            CliError::Transfer(e) => e.exit_code(),
            CliError::Config(_) | CliError::Usage(_) => exit::USAGE,
            CliError::Store(e) => e.exit_code(),
            CliError::Session(e) => e.exit_code(),
            CliError::Preview(e) => e.exit_code(),
            CliError::Tui(e) => e.exit_code(),
            CliError::Other(_) => exit::OTHER,
            CliError::StdoutClosed => exit::from_signal(13),
            CliError::AlreadyReported(code) => *code,
        }
    }
}

impl CliError {
    /// The message in `lang` (the texts of `Usage` and `Other` are phrased in
    /// it where they are made).
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        match self {
            CliError::Api(e) => e.localized(lang),
            CliError::Transfer(e) => e.localized(lang),
            CliError::Config(e) => e.localized(lang),
            CliError::Store(e) => e.localized(lang),
            CliError::Session(e) => e.localized(lang),
            CliError::Preview(e) => e.localized(lang),
            CliError::StdoutClosed => crate::tr!(lang, "stdout-closed"),
            other => other.to_string(),
        }
    }
}
