//! The event loop, [`Tui`], generic over the ratatui backend: terminal events
//! from an injected stream, worker events, a tick that exists only while
//! something animates, the session's deadline and (when asked for) SIGTERM
//! and SIGHUP become [`Msg`]s for [`App::update`]. The [`Command`]s it returns
//! go to the worker; the [`Effect`]s (suspend, quit, copy, bell) are done here,
//! through a [`TerminalHost`]. The screen is drawn after each batch of
//! messages, never on a timer, so an idle TUI uses no CPU.
//!
//! [`Command`]: crate::worker::Command

use super::app::{App, Effect, Msg};
use super::error::TuiError;
use super::view;
use crate::worker::run::WorkerHandle;
use crossterm::event::{Event as TermEvent, KeyEventKind};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use std::io;
use std::time::Duration;
use time::OffsetDateTime;

/// How often the spinner and download rows animate.
const TICK: Duration = Duration::from_millis(100);

/// How long quitting waits for downloads in flight to flush their `.part` files.
const QUIT_GRACE: Duration = Duration::from_secs(3);

/// The exit code after Ctrl-C (128 + SIGINT), as a shell reports an interrupt.
pub const EXIT_INTERRUPTED: u8 = 130;

/// What the event loop asks of the terminal beyond drawing on it. The real
/// terminal's guard ([`super::terminal::TerminalGuard`]) gives it back to the
/// shell on Ctrl-Z and marks frames as synchronized updates; [`Headless`]
/// does nothing, so a `TestBackend` never touches the real terminal.
pub trait TerminalHost<B: Backend> {
    /// Ctrl-Z: gives the terminal back, stops the program, and takes the
    /// terminal again when it resumes; `terminal` may be replaced by a fresh one.
    fn suspend(&mut self, terminal: &mut Terminal<B>) -> io::Result<()>;

    /// Called before each frame is drawn.
    fn begin_frame(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Called after each frame is drawn, even when drawing failed.
    fn end_frame(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Puts `text` on the clipboard (the real terminal writes OSC 52); does nothing by default.
    fn copy(&mut self, _text: &str) -> io::Result<()> {
        Ok(())
    }

    /// Rings the terminal bell (the real terminal writes BEL); does nothing by default.
    fn bell(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The host of a terminal that is not the real one: suspending is a no-op.
#[derive(Debug, Default, Clone, Copy)]
pub struct Headless;

impl<B: Backend> TerminalHost<B> for Headless {
    fn suspend(&mut self, _terminal: &mut Terminal<B>) -> io::Result<()> {
        Ok(())
    }
}

/// Called with each frame once it is drawn.
type FrameHook = Box<dyn FnMut(&Buffer) + Send>;

/// The running TUI: the app, its worker, and the terminal it draws on.
pub struct Tui<B: Backend> {
    // Declared first so it is dropped first: the real host restores the
    // terminal before the terminal itself is dropped, as it always has.
    host: Box<dyn TerminalHost<B> + Send>,
    terminal: Terminal<B>,
    app: App,
    worker: WorkerHandle,
    signals: Option<Signals>,
    on_frame: Option<FrameHook>,
}

impl<B> Tui<B>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    /// A TUI drawing `app` on `terminal` and sending its commands to `worker`,
    /// with the [`Headless`] host and no signal handling.
    pub fn new(terminal: Terminal<B>, app: App, worker: WorkerHandle) -> Tui<B> {
        Tui {
            host: Box::new(Headless),
            terminal,
            app,
            worker,
            signals: None,
            on_frame: None,
        }
    }

    /// The same TUI with `host` doing suspends and framing draws; it is
    /// dropped once the loop has ended and the worker has finished.
    pub fn with_host(mut self, host: impl TerminalHost<B> + Send + 'static) -> Tui<B> {
        self.host = Box::new(host);
        self
    }

    /// The same TUI quitting cleanly on SIGTERM and SIGHUP (exit code 128 + the signal).
    pub fn with_signals(mut self) -> io::Result<Tui<B>> {
        self.signals = Some(Signals::new()?);
        Ok(self)
    }

    /// The same TUI calling `hook` with the screen after each frame is drawn.
    pub fn on_frame(mut self, hook: impl FnMut(&Buffer) + Send + 'static) -> Tui<B> {
        self.on_frame = Some(Box::new(hook));
        self
    }

    /// Runs until the user quits, a signal arrives or `events` ends. Returns
    /// the exit code: 0 after `q` (or the end of `events`), 130 after Ctrl-C,
    /// 128 + the signal after SIGTERM or SIGHUP. Downloads in flight keep
    /// their `.part` files; quitting waits a moment for them to be flushed.
    pub async fn run<S>(mut self, mut events: S) -> Result<u8, TuiError>
    where
        S: Stream<Item = io::Result<TermEvent>> + Unpin,
    {
        let code = self.event_loop(&mut events).await?;
        let Tui {
            host, terminal, worker, ..
        } = self;
        worker.finish(QUIT_GRACE).await;
        drop(host);
        drop(terminal);
        Ok(code)
    }

    async fn event_loop<S>(&mut self, events: &mut S) -> Result<u8, TuiError>
    where
        S: Stream<Item = io::Result<TermEvent>> + Unpin,
    {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut exit_code = 0u8;

        self.resize_to_terminal()?;
        self.draw()?;
        loop {
            let animating = self.app.is_animating();
            // One wake-up at the session's next deadline (see App::next_deadline), not a timer.
            let deadline = self.app.next_deadline().map(|at| {
                let wait = at - OffsetDateTime::now_utc();
                Duration::try_from(wait).unwrap_or(Duration::ZERO)
            });
            let msg = tokio::select! {
                event = events.next() => match event {
                    Some(Ok(event)) => match terminal_msg(event) {
                        Some(msg) => msg,
                        None => continue,
                    },
                    Some(Err(error)) => return Err(error.into()),
                    None => break,
                },
                event = self.worker.events.recv() => match event {
                    Some(event) => Msg::Event { event, now: OffsetDateTime::now_utc() },
                    None => break,
                },
                _ = tick.tick(), if animating => Msg::Tick { now: OffsetDateTime::now_utc() },
                () = tokio::time::sleep(deadline.unwrap_or_default()), if deadline.is_some() => {
                    Msg::Tick { now: OffsetDateTime::now_utc() }
                }
                signal = next_signal(&mut self.signals) => {
                    tracing::info!(signal, "quitting on a signal");
                    exit_code = 128u8.saturating_add(signal);
                    break;
                }
            };
            self.dispatch(msg)?;
            // Take whatever else is already waiting, then draw once for the batch.
            while let Ok(event) = self.worker.events.try_recv() {
                self.dispatch(Msg::Event {
                    event,
                    now: OffsetDateTime::now_utc(),
                })?;
            }
            if self.app.should_quit() {
                if self.app.interrupted() {
                    exit_code = EXIT_INTERRUPTED;
                }
                break;
            }
            self.draw()?;
        }
        Ok(exit_code)
    }

    /// Updates the app with `msg`, sends its commands to the worker and does its effects.
    fn dispatch(&mut self, msg: Msg) -> Result<(), TuiError> {
        for command in self.app.update(msg) {
            self.worker.send(command);
        }
        for effect in self.app.take_effects() {
            match effect {
                Effect::Suspend => {
                    self.host.suspend(&mut self.terminal)?;
                    self.resize_to_terminal()?;
                }
                Effect::Quit => self.worker.shutdown(),
                Effect::Copy(text) => {
                    if let Err(error) = self.host.copy(&text) {
                        tracing::warn!(%error, "cannot write to the clipboard");
                    }
                }
                Effect::Bell => {
                    if let Err(error) = self.host.bell() {
                        tracing::warn!(%error, "cannot ring the bell");
                    }
                }
            }
        }
        Ok(())
    }

    fn resize_to_terminal(&mut self) -> Result<(), TuiError> {
        let size = self.terminal.size().map_err(backend_error)?;
        self.dispatch(Msg::Resize {
            width: size.width,
            height: size.height,
        })
    }

    /// Draws one frame between the host's frame markers.
    fn draw(&mut self) -> Result<(), TuiError> {
        let now = OffsetDateTime::now_utc();
        self.host.begin_frame()?;
        let app = &self.app;
        let drawn = self.terminal.draw(|frame| view::draw(frame, app, now));
        self.host.end_frame()?;
        let frame = drawn.map_err(backend_error)?;
        if let Some(hook) = self.on_frame.as_mut() {
            hook(frame.buffer);
        }
        Ok(())
    }
}

/// A backend's error as a terminal error, keeping an I/O error as it is.
fn backend_error(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TuiError {
    match error.into().downcast::<io::Error>() {
        Ok(error) => TuiError::Terminal(*error),
        Err(other) => TuiError::Terminal(io::Error::other(other)),
    }
}

fn terminal_msg(event: TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        TermEvent::Paste(text) => Some(Msg::Paste(text)),
        TermEvent::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// The next signal's number, or never without signal handling.
async fn next_signal(signals: &mut Option<Signals>) -> u8 {
    match signals {
        Some(signals) => signals.recv().await,
        None => std::future::pending().await,
    }
}

/// SIGTERM and SIGHUP, which quit the TUI cleanly.
struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Waits for the next signal and returns its number.
    async fn recv(&mut self) -> u8 {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.terminate.recv() => 15,
                _ = self.hangup.recv() => 1,
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}
