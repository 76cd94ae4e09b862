//! Keeps the TUI's keys quick while downloads run at full speed.
//!
//! With three large downloads on a two-core machine, every core is busy
//! receiving, hashing and writing, and a key press waited its turn behind
//! them (median 3.5 ms against 0.6 ms idle). The async runtime's threads
//! (the worker, the downloads, the blocking pool that hashes and writes) run
//! at a lower scheduling priority than the thread that reads keys and draws,
//! so the kernel lets the screen through first; the downloads still take
//! every cycle the screen does not need.

/// How far below the interface the runtime's threads run (a `nice` increment).
#[cfg(any(target_os = "linux", target_os = "android"))]
const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's scheduling priority; meant for
/// [`tokio::runtime::Builder::on_thread_start`]. Only on Linux, where the
/// priority belongs to the thread (elsewhere it would slow the whole
/// process, the interface too). Best effort: a refusal is logged.
pub fn run_in_background() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let thread = rustix::thread::gettid();
        let current = rustix::process::getpriority_process(Some(thread)).unwrap_or(0);
        if current >= BACKGROUND_NICE {
            return;
        }
        if let Err(error) = rustix::process::setpriority_process(Some(thread), BACKGROUND_NICE) {
            tracing::debug!(%error, "could not lower a runtime thread's priority");
        }
    }
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;

    #[test]
    fn lowers_only_the_calling_thread() {
        let before = rustix::process::getpriority_process(None).expect("priority");
        let lowered = std::thread::spawn(|| {
            run_in_background();
            rustix::process::getpriority_process(Some(rustix::thread::gettid())).expect("priority")
        })
        .join()
        .expect("thread");
        assert_eq!(lowered, BACKGROUND_NICE.max(before));
        assert_eq!(rustix::process::getpriority_process(None).expect("priority"), before);
    }
}
