//! The log file: `tracing` to `trackline.log`, never to the terminal.

use std::path::Path;
use tracing_subscriber::EnvFilter;

/// A guard that flushes the log when dropped; keep it alive for the whole run.
pub type LogGuard = tracing_appender::non_blocking::WorkerGuard;

/// Sends `tracing` events at `level` (an `EnvFilter` directive such as `info`
/// or `trackline=debug`) to `log_file`. Failing to open the log is not fatal:
/// the run goes on without one and `None` is returned.
pub fn init(log_file: &Path, level: Option<&str>) -> Option<LogGuard> {
    let dir = log_file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_file)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = level
        .and_then(|l| EnvFilter::try_new(l).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
