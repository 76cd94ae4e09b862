//! Why the TUI could not start or stopped early, with its exit code.

/// Why the TUI could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be set up or written.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The server URL or a setting is unusable.
    #[error(transparent)]
    Api(#[from] crate::api::ApiError),
    /// The key bindings in the config file are wrong.
    #[error("bad key bindings in the config file: {0}")]
    Keys(String),
    /// The stored session could not be read.
    #[error(transparent)]
    Session(#[from] crate::engine::session::SessionError),
    /// The settings could not be resolved.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

impl TuiError {
    /// The exit code of SPEC.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            TuiError::Api(e) => e.exit_code(),
            TuiError::Keys(_) => crate::exit::USAGE,
            TuiError::Session(e) => e.exit_code(),
            TuiError::Config(e) => e.exit_code(),
            TuiError::Terminal(_) => crate::exit::OTHER,
        }
    }
}
