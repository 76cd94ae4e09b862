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

/// Resolves when the reader of stdout has gone away (a pipe's other end was
/// closed), so a command that prints only now and then (`watch`) can end
/// quietly at once instead of at its next line. Never resolves where that
/// cannot be told: a terminal that stays, a file, or not Unix.
pub(crate) async fn closed() {
    #[cfg(unix)]
    {
        let (tell, told) = tokio::sync::oneshot::channel();
        // A thread of its own, not the runtime's blocking pool: the runtime
        // would wait for it at exit. `poll` with no events asked still wakes on
        // an error or a hang-up, which is what a pipe whose reader has gone gets.
        let watcher = std::thread::Builder::new().name("stdout-closed".into()).spawn(move || {
            let stdout = io::stdout();
            let mut fds = [rustix::event::PollFd::new(&stdout, rustix::event::PollFlags::empty())];
            loop {
                match rustix::event::poll(&mut fds, None) {
                    Err(rustix::io::Errno::INTR) => continue,
                    Ok(0) => continue,
                    Ok(_) => {
                        let _ = tell.send(());
                        return;
                    }
                    Err(_) => return,
                }
            }
        });
        if watcher.is_ok() && told.await.is_ok() {
            return;
        }
    }
    std::future::pending().await
}

/// `println!` that returns a [`CliError`] instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::stdout::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;
