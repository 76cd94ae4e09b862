//! Configuration: where files live ([`Paths`]), what `config.toml` may say
//! ([`Config`]), and the effective settings of one run ([`Settings`]), with the
//! precedence default < config file < environment < command-line flag.

mod file;
mod network;
mod paths;
mod setting;
mod settings;
mod snapshot;

pub use file::{
    ColorOverride, Colors, Config, ProfileConfig, RetryConfig, ThemeName, TokenStoreKind, key_binding_error,
};
pub use network::{CaCertFile, Proxies, ProxyChoice, ProxyUrl, ProxyUse, SSL_CERT_FILE_ENV};
pub use paths::Paths;
pub use setting::{NO_COLOR_ENV, Setting, Source};
pub use settings::{
    DEFAULT_BASE_URL, DEFAULT_CONCURRENCY, DEFAULT_LOG_LEVEL, DEFAULT_PROFILE, DEFAULT_RETRY_MAX_ATTEMPTS,
    DEFAULT_RETRY_MAX_DELAY_SECS, Overrides, Settings,
};
pub use snapshot::Snapshot;

use crate::exit;
use std::fmt;
use std::path::PathBuf;

/// A configuration that cannot be used. Every variant but [`ConfigError::NoHomeDir`]
/// is "bad config" (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file exists but cannot be read.
    #[error("cannot read the config file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// `--config` / `TRACKLINE_CONFIG` names a file that does not exist.
    #[error(
        "the config file {} does not exist; check --config / TRACKLINE_CONFIG, or create it with `trackline config init`",
        path.display()
    )]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The config file is not valid TOML, has an unknown key, or a value of the wrong kind.
    #[error("{}", ParseDisplay(self))]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the mistake, when known.
        line: Option<usize>,
        /// 1-based column (in characters) of the mistake, when known.
        column: Option<usize>,
        /// What is wrong and what was expected.
        message: String,
        /// The line with the mistake, made safe to print.
        snippet: Option<String>,
    },
    /// The profile is not `default`, not in the config, and never logged in.
    #[error(
        "unknown profile {name:?}; known profiles: {}. Add a [profiles.{name}] table to the config file, or create it with `trackline login --profile {name} --base-url URL`",
        known.join(", ")
    )]
    UnknownProfile {
        /// The profile asked for.
        name: String,
        /// The profiles there are.
        known: Vec<String>,
    },
    /// A setting from the environment or a flag has a value that cannot be used.
    #[error("{setting}: {message}")]
    Invalid {
        /// The flag, variable or key (`--proxy`, `HTTPS_PROXY`, …).
        setting: String,
        /// What is wrong and how to write it.
        message: crate::i18n::Message,
    },
    /// The OS reports no home directory, so there is nowhere to keep files.
    #[error("cannot find the home directory to keep trackline's files in; set HOME")]
    NoHomeDir,
}

impl ConfigError {
    /// The exit code of SPEC.md: 2 for a bad config, 1 when there is no home directory.
    pub fn exit_code(&self) -> u8 {
        match self {
            ConfigError::NoHomeDir => exit::OTHER,
            _ => exit::USAGE,
        }
    }
}

struct ParseDisplay<'a>(&'a ConfigError);

impl fmt::Display for ParseDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ConfigError::Parse {
            path,
            line,
            column,
            message,
            snippet,
        } = self.0
        else {
            return Ok(());
        };
        write!(f, "bad config file {}", path.display())?;
        if let Some(line) = line {
            write!(f, ", line {line}")?;
            if let Some(column) = column {
                write!(f, ", column {column}")?;
            }
        }
        write!(f, ": {message}")?;
        if let (Some(line), Some(snippet)) = (line, snippet) {
            let gutter = " ".repeat(line.to_string().len());
            write!(f, "\n {line} | {snippet}")?;
            if let Some(column) = column {
                write!(f, "\n {gutter} | {}^", " ".repeat(column.saturating_sub(1)))?;
            }
        }
        Ok(())
    }
}
