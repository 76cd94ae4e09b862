//! Standard output for results. Every write is checked: a closed pipe (the
//! reader went away, as in `trackline config show | head -1`) ends the command
//! quietly with [`CliError::StdoutClosed`] instead of a panic or a message.

use super::CliError;
use std::fmt;
use std::io::{self, Write};

/// Writes `text` and a line end to stdout.
pub(crate) fn line(text: fmt::Arguments<'_>) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{text}").map_err(error)
}

/// Writes `bytes` to stdout and flushes.
pub(crate) fn bytes(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes).and_then(|()| stdout.flush()).map_err(error)
}

/// The error of a failed write to stdout: quiet when the reader has gone.
pub(crate) fn error(error: io::Error) -> CliError {
    if error.kind() == io::ErrorKind::BrokenPipe {
        CliError::StdoutClosed
    } else {
        CliError::Other(format!("cannot write to standard output: {error}"))
    }
}

/// `println!` that returns a [`CliError`] instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::stdout::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;
