//! Starts the disk writing a download's bytes while the rest still arrive, so
//! the `fsync` that makes a finished download durable waits only for its tail.
//!
//! Left alone, the kernel keeps a fresh 1 GiB download dirty in the page cache
//! (it is below the background-writeback threshold) and the final `fsync`
//! writes all of it while the user waits. Every [`WINDOW`] bytes,
//! [`Writeback::wrote`] advises the kernel that the window written before the
//! last one is not needed (`POSIX_FADV_DONTNEED`): Linux starts writing that
//! range back without waiting for it and drops the pages already clean, so a
//! long download neither stalls on its last `fsync` nor pushes the user's
//! files out of the cache. Elsewhere this does nothing.

/// How many bytes are written between two hints.
const WINDOW: u64 = 16 * 1024 * 1024;

/// Tracks how far a file has been written and hinted.
#[derive(Debug)]
pub(super) struct Writeback {
    written: u64,
    hinted: u64,
    dropped: u64,
}

impl Writeback {
    /// Starts at a file that already holds `offset` bytes.
    pub(super) fn new(offset: u64) -> Self {
        Writeback {
            written: offset,
            hinted: offset,
            dropped: offset,
        }
    }

    /// Records `len` more bytes written to `file`; every [`WINDOW`] bytes,
    /// asks the kernel to start writing them back. Best effort: a file system
    /// that refuses the hint is written back at the final `fsync` as before.
    pub(super) fn wrote(&mut self, file: &std::fs::File, len: usize) {
        self.written = self.written.saturating_add(len as u64);
        if self.written - self.hinted < WINDOW {
            return;
        }
        // From the last range dropped: the window hinted last time is written
        // back by now and is dropped; the new one starts its writeback.
        advise_dont_need(file, self.dropped, self.written - self.dropped);
        self.dropped = self.hinted;
        self.hinted = self.written;
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn advise_dont_need(file: &std::fs::File, offset: u64, len: u64) {
    use rustix::fs::{Advice, fadvise};
    let Some(len) = std::num::NonZeroU64::new(len) else {
        return;
    };
    if let Err(error) = fadvise(file, offset, Some(len), Advice::DontNeed) {
        tracing::debug!(%error, "the kernel refused the writeback hint");
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn advise_dont_need(_file: &std::fs::File, _offset: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_once_a_window_and_covers_every_byte() {
        let file = tempfile::tempfile().expect("temp file");
        let mut writeback = Writeback::new(100);
        writeback.wrote(&file, (WINDOW - 1) as usize);
        assert_eq!(writeback.hinted, 100, "less than a window written: no hint yet");
        writeback.wrote(&file, 1);
        assert_eq!((writeback.dropped, writeback.hinted), (100, WINDOW + 100));
        writeback.wrote(&file, WINDOW as usize);
        assert_eq!((writeback.dropped, writeback.hinted), (WINDOW + 100, 2 * WINDOW + 100));
    }
}
