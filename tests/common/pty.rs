//! The real binary in a real pseudo-terminal, its screen read back with vt100.

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long to wait for the screen to show something before the test fails
/// (a safety net against hanging, not a speed check).
const PATIENCE: Duration = Duration::from_secs(60);

struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    closed: bool,
    /// Inside a synchronized update (a frame not yet whole).
    in_frame: bool,
}

const BEGIN_FRAME: &[u8] = b"\x1b[?2026h";
const END_FRAME: &[u8] = b"\x1b[?2026l";

/// Whether the output is inside a frame after `chunk`, given whether it was before.
fn still_in_frame(mut in_frame: bool, chunk: &[u8]) -> bool {
    for i in 0..chunk.len() {
        if chunk[i..].starts_with(BEGIN_FRAME) {
            in_frame = true;
        } else if chunk[i..].starts_with(END_FRAME) {
            in_frame = false;
        }
    }
    in_frame
}

/// A running program in a pseudo-terminal.
pub struct PtyApp {
    shared: Arc<(Mutex<Shared>, Condvar)>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl PtyApp {
    /// Starts the trackline binary with `args` in a `cols`×`rows` terminal,
    /// with every user directory under `home` and `envs` added.
    pub fn spawn(args: &[&str], home: &Path, envs: &[(&str, &str)], cols: u16, rows: u16) -> PtyApp {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_trackline"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("xdg-config"));
        cmd.env("XDG_DATA_HOME", home.join("xdg-data"));
        cmd.env("XDG_CACHE_HOME", home.join("xdg-cache"));
        cmd.env("XDG_STATE_HOME", home.join("xdg-state"));
        cmd.env("TRACKLINE_DOWNLOAD_DIR", home.join("downloads"));
        for (key, value) in envs {
            cmd.env(key, value);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let shared = Arc::new((
            Mutex::new(Shared {
                parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0),
                raw: Vec::new(),
                closed: false,
                in_frame: false,
            }),
            Condvar::new(),
        ));
        let feed = shared.clone();
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, ready) = &*feed;
                let mut state = lock.lock().unwrap();
                if n == 0 {
                    state.closed = true;
                    ready.notify_all();
                    break;
                }
                state.parser.process(&buf[..n]);
                // A marker cut between two reads is found on the joined tail.
                let from = state.raw.len().saturating_sub(BEGIN_FRAME.len() - 1);
                state.raw.extend_from_slice(&buf[..n]);
                let in_frame = still_in_frame(state.in_frame, &state.raw[from..]);
                state.in_frame = in_frame;
                ready.notify_all();
            }
        });
        PtyApp { shared, writer, child }
    }

    /// Waits until the screen satisfies `test`; panics with the screen if it never does.
    pub fn wait_for(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, |screen, _raw| test(screen))
    }

    /// Waits until every byte written so far satisfies `test`.
    pub fn wait_for_raw(&self, what: &str, test: impl Fn(&[u8]) -> bool) {
        self.wait_until(what, |_screen, raw| test(raw));
    }

    fn wait_until(&self, what: &str, test: impl Fn(&str, &[u8]) -> bool) -> String {
        let (lock, ready) = &*self.shared;
        let deadline = Instant::now() + PATIENCE;
        let mut state = lock.lock().unwrap();
        loop {
            let screen = state.parser.screen().contents();
            // Only whole frames count: a half-drawn one can show old and new at once.
            if !state.in_frame && test(&screen, &state.raw) {
                return screen;
            }
            let now = Instant::now();
            if now >= deadline || state.closed {
                let tail = &state.raw[state.raw.len().saturating_sub(300)..];
                panic!(
                    "the screen never showed {what} (closed: {}, inside a frame: {}):\n{screen}\nlast bytes written: {}",
                    state.closed,
                    state.in_frame,
                    tail.escape_ascii()
                );
            }
            state = ready.wait_timeout(state, deadline - now).unwrap().0;
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(text, |screen| screen.contains(text))
    }

    /// Types `bytes` as if on the keyboard.
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the program to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        self.child.wait().unwrap().exit_code()
    }

    /// Waits until the terminal closes (the program and its output are done).
    pub fn wait_closed(&self) {
        let (lock, ready) = &*self.shared;
        let deadline = Instant::now() + PATIENCE;
        let mut state = lock.lock().unwrap();
        while !state.closed {
            let now = Instant::now();
            assert!(now < deadline, "the program never closed its terminal");
            state = ready.wait_timeout(state, deadline - now).unwrap().0;
        }
    }

    /// Every byte the program wrote.
    pub fn raw_output(&self) -> Vec<u8> {
        self.shared.0.lock().unwrap().raw.clone()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }
}

impl Drop for PtyApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
