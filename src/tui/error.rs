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
    /// The session store failed.
    #[error(transparent)]
    Session(#[from] crate::api::session::SessionError),
}

impl TuiError {
    /// The exit code of SPEC.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            TuiError::Api(e) => e.exit_code(),
            TuiError::Keys(_) => crate::api::error::exit::USAGE,
            TuiError::Terminal(_) | TuiError::Session(_) => crate::api::error::exit::OTHER,
        }
    }
}
