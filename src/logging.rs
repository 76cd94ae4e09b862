//! The log file: `tracing` to `trackline.log`, never to the terminal, rotated
//! by size so it never grows without bound: when it passes [`MAX_LOG_BYTES`]
//! it becomes `trackline.log.1` (the older ones shift to `.2`, … up to
//! [`KEPT_LOGS`], the oldest is deleted) and a new `trackline.log` starts.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;

/// A guard that flushes the log when dropped; keep it alive for the whole run.
pub(crate) type LogGuard = tracing_appender::non_blocking::WorkerGuard;

/// The size at which the log is rotated.
pub(crate) const MAX_LOG_BYTES: u64 = 5 * 1024 * 1024;

/// How many rotated logs are kept beside the live one.
pub(crate) const KEPT_LOGS: usize = 3;

/// Lines the log's writer thread may lag behind before new ones are dropped.
/// tracing-appender's default (128,000) allocates and touches ~5 MiB at every
/// start, a third of a short command's run time.
const LOG_BUFFER_LINES: usize = 4_096;

/// Sends `tracing` events at `level` (an `EnvFilter` directive such as `info`
/// or `trackline=debug`) to `log_file`. Failing to open the log is not fatal:
/// the run goes on without one and `None` is returned. A level that cannot be
/// read is reported on stderr and `info` is used.
pub(crate) fn init(log_file: &Path, level: Option<&str>, lang: crate::i18n::Lang) -> Option<LogGuard> {
    let filter = match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => EnvFilter::new(crate::config::DEFAULT_LOG_LEVEL),
        Some(level) => EnvFilter::try_new(level).unwrap_or_else(|e| {
            eprintln!(
                "{}",
                crate::tr!(
                    lang,
                    "log-bad-level",
                    level = format!("{:?}", crate::text::safe_line(level, 80)),
                    reason = e.to_string()
                )
            );
            EnvFilter::new(crate::config::DEFAULT_LOG_LEVEL)
        }),
    };
    let file = RotatingFile::open(log_file, MAX_LOG_BYTES, KEPT_LOGS).ok()?;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_BUFFER_LINES)
        .finish(file);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// A file that rotates itself when a write would take it past `max_bytes`.
#[derive(Debug)]
pub(crate) struct RotatingFile {
    path: PathBuf,
    file: Option<File>,
    written: u64,
    max_bytes: u64,
    keep: usize,
}

impl RotatingFile {
    /// Opens `path` for appending (creating its folder), rotating it first if
    /// it is already full; keeps `keep` rotated files beside it.
    pub(crate) fn open(path: &Path, max_bytes: u64, keep: usize) -> io::Result<RotatingFile> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut this = RotatingFile {
            path: path.to_path_buf(),
            file: None,
            written: 0,
            max_bytes,
            keep,
        };
        this.reopen()?;
        if this.written >= max_bytes {
            this.rotate()?;
        }
        Ok(this)
    }

    /// The rotated file number `n` (1 is the newest).
    pub(crate) fn rotated(path: &Path, n: usize) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn reopen(&mut self) -> io::Result<()> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&self.path)?;
        self.written = file.metadata().map(|m| m.len()).unwrap_or(0);
        self.file = Some(file);
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        // Closed first: Windows cannot rename a file that is open.
        self.file = None;
        if self.keep == 0 {
            let _ = std::fs::remove_file(&self.path);
        } else {
            let _ = std::fs::remove_file(Self::rotated(&self.path, self.keep));
            for n in (1..self.keep).rev() {
                let _ = std::fs::rename(Self::rotated(&self.path, n), Self::rotated(&self.path, n + 1));
            }
            let _ = std::fs::rename(&self.path, Self::rotated(&self.path, 1));
        }
        self.reopen()
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        let file = match &mut self.file {
            Some(file) => file,
            None => return Err(io::Error::other("the log file is not open")),
        };
        let n = file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), File::flush)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_by_size_and_keeps_a_few_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs").join("trackline.log");
        let mut log = RotatingFile::open(&path, 100, 2).unwrap();
        for i in 0..20 {
            writeln!(log, "line {i:02} .........................").unwrap();
        }
        log.flush().unwrap();
        let live = std::fs::read_to_string(&path).unwrap();
        assert!(live.len() <= 100, "{live}");
        assert!(live.contains("line 19"), "{live}");
        assert!(RotatingFile::rotated(&path, 1).exists());
        assert!(RotatingFile::rotated(&path, 2).exists());
        assert!(!RotatingFile::rotated(&path, 3).exists());
        let older = std::fs::read_to_string(RotatingFile::rotated(&path, 1)).unwrap();
        assert!(older.contains("line 1"), "{older}");
    }

    #[test]
    fn a_full_log_is_rotated_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trackline.log");
        std::fs::write(&path, "x".repeat(150)).unwrap();
        let mut log = RotatingFile::open(&path, 100, 3).unwrap();
        writeln!(log, "fresh").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fresh\n");
        assert_eq!(
            std::fs::read_to_string(RotatingFile::rotated(&path, 1)).unwrap().len(),
            150
        );
    }
}
