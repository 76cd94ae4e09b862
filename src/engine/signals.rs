//! The signals that end a command cleanly, with the exit code each calls for
//! (128 + its number): Ctrl-C (for headless commands; in the TUI it is a key),
//! SIGTERM and SIGHUP. Their handlers are installed when [`Signals::new`]
//! returns, so a signal that comes before the first wait is neither lost nor
//! fatal.

use crate::exit;

/// SIGINT's number.
pub const SIGINT: u8 = 2;
/// SIGTERM's number.
pub const SIGTERM: u8 = 15;
/// SIGHUP's number.
pub const SIGHUP: u8 = 1;

/// Installed signal handlers.
pub struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))]
    interrupt: bool,
}

impl Signals {
    /// Handles SIGTERM and SIGHUP, and Ctrl-C too when `interrupt` (not in the
    /// TUI, where raw mode makes Ctrl-C a key). Needs the tokio runtime.
    pub fn new(interrupt: bool) -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let install = |kind: SignalKind| match signal(kind) {
                Ok(signal) => Some(signal),
                Err(error) => {
                    tracing::warn!(%error, "cannot handle a signal");
                    None
                }
            };
            Signals {
                interrupt: interrupt.then(|| install(SignalKind::interrupt())).flatten(),
                terminate: install(SignalKind::terminate()),
                hangup: install(SignalKind::hangup()),
            }
        }
        #[cfg(not(unix))]
        Signals { interrupt }
    }

    /// Waits for the next signal; returns the exit code it calls for.
    pub async fn recv(&mut self) -> u8 {
        #[cfg(unix)]
        {
            async fn next(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(signal) => {
                        if signal.recv().await.is_none() {
                            std::future::pending::<()>().await;
                        }
                    }
                    None => std::future::pending().await,
                }
            }
            let number = tokio::select! {
                () = next(&mut self.interrupt) => SIGINT,
                () = next(&mut self.terminate) => SIGTERM,
                () = next(&mut self.hangup) => SIGHUP,
            };
            tracing::info!(signal = number, "stopping on a signal");
            exit::from_signal(number)
        }
        #[cfg(not(unix))]
        {
            if self.interrupt && tokio::signal::ctrl_c().await.is_ok() {
                return exit::INTERRUPTED;
            }
            std::future::pending().await
        }
    }
}

/// Makes a write past the file size limit (`ulimit -f`) fail with an error
/// (`EFBIG`, reported as a full disk, in the TUI's downloads pane as on the
/// command line) instead of killing the process with SIGXFSZ. Needs the
/// runtime; the handler stays for the life of the process. Does nothing where
/// there is no such signal.
pub fn ignore_file_size_limit() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Err(error) = signal(SignalKind::from_raw(rustix::process::Signal::XFSZ.as_raw())) {
            tracing::debug!(%error, "cannot handle SIGXFSZ");
        }
    }
}
