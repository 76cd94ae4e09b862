//! The event loop: terminal events, worker events, signals and a tick that
//! exists only while something animates become [`Msg`]s for [`App::update`];
//! the [`crate::worker::Command`]s it returns go to the worker and the
//! [`super::Effect`]s it asks for are carried out here. The screen is drawn after
//! each batch of messages, never on a timer, so an idle TUI uses no CPU.

use super::app::{App, AppInit, Effect, Msg, SessionInfo};
use super::keymap::Keymap;
use super::terminal::TerminalGuard;
use super::theme::Theme;
use super::view;
use crate::api::{Client, ClientOptions, RetryPolicy};
use crate::config::{self, Paths, Settings};
use crate::worker::run::{self as worker, WorkerConfig, load_recent};
use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures_util::StreamExt;
use secrecy::SecretString;
use std::sync::OnceLock;
use std::time::Duration;
use time::{OffsetDateTime, UtcOffset};

/// How often the spinner and download rows animate.
const TICK: Duration = Duration::from_millis(100);

/// When this variable is set the TUI panics right after its first frame, so
/// a test can check that the panic hook restores the terminal.
pub const PANIC_FOR_TEST: &str = "TRACKLINE_PANIC_FOR_TEST";

static LOCAL_OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the local UTC offset. Call it while the process has one thread
/// (before the async runtime starts): the `time` crate refuses later.
pub fn capture_local_offset() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = LOCAL_OFFSET.set(offset);
}

/// Why the TUI could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be set up or written.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The server URL or a setting is unusable.
    #[error(transparent)]
    Api(#[from] crate::api::ApiError),
    /// The key bindings in the config file are wrong.
    #[error("bad key bindings in the config file: {0}")]
    Keys(String),
    /// The session store failed.
    #[error(transparent)]
    Session(#[from] crate::api::session::SessionError),
}

impl TuiError {
    /// The exit code of SPEC.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            TuiError::Api(e) => e.exit_code(),
            TuiError::Keys(_) => crate::api::error::exit::USAGE,
            TuiError::Terminal(_) | TuiError::Session(_) => crate::api::error::exit::OTHER,
        }
    }
}

/// What the TUI starts from.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The effective settings.
    pub settings: Settings,
    /// Where files live.
    pub paths: Paths,
    /// A password to prefill in the login dialog (the demo's).
    pub password_prefill: Option<SecretString>,
}

/// The exit code after Ctrl-C (128 + SIGINT), as a shell reports an interrupt.
pub const EXIT_INTERRUPTED: u8 = 130;

/// How long quitting waits for downloads in flight to flush their `.part` files.
const QUIT_GRACE: Duration = Duration::from_secs(3);

/// Opens the TUI for the configured profile: on the search box when its
/// session is still valid, else on the login dialog. Returns the exit code:
/// 0 after `q`, 130 after Ctrl-C, 128 + the signal after SIGTERM or SIGHUP
/// (downloads in flight keep their `.part` files either way).
pub async fn run(launch: Launch) -> Result<u8, TuiError> {
    let settings = &launch.settings;
    let keymap = Keymap::with_overrides(&settings.keys).map_err(|e| TuiError::Keys(e.to_string()))?;
    let theme = Theme::from_settings(settings.theme, &settings.colors, settings.no_color);
    let retry = RetryPolicy {
        max_attempts: settings.retry_max_attempts as usize,
        max_delay: Duration::from_secs(settings.retry_max_delay_secs),
        ..RetryPolicy::default()
    };
    let options = ClientOptions {
        allow_insecure_http: settings.allow_insecure_http,
        retry: retry.clone(),
        ..ClientOptions::default()
    };
    let mut client = Client::new(&settings.base_url, options)?;
    let now = OffsetDateTime::now_utc();
    let stored = launch
        .paths
        .token_store()
        .with_kind(settings.token_store)
        .load(&settings.profile)?
        .filter(|s| crate::cli::same_server(&s.base_url, client.base_url()) && !s.is_expired(now));
    let session = stored.map(|s| {
        client = client.with_token(s.token.clone());
        SessionInfo {
            email: s.email,
            expires_at: s.expires_at,
        }
    });
    let init = AppInit {
        base_url: client.base_url().to_string(),
        email: settings.email.clone(),
        password_prefill: launch.password_prefill.clone(),
        session,
        recent: load_recent(&launch.paths.recent_file()),
        keymap,
        theme,
        now,
        local_offset: LOCAL_OFFSET.get().copied().unwrap_or(UtcOffset::UTC),
    };
    let worker_config = WorkerConfig {
        profile: settings.profile.clone(),
        paths: launch.paths.clone(),
        download_dir: settings.download_dir.clone(),
        allow_insecure_http: settings.allow_insecure_http,
        retry,
        opener: settings.opener.clone(),
        token_store: settings.token_store,
        overrides: config::Overrides {
            config: settings.config_loaded.then(|| settings.config_file.clone()),
            allow_insecure_http: settings.allow_insecure_http,
            ..config::Overrides::default()
        },
    };
    let worker = worker::spawn(worker_config, client);
    let app = App::new(init).with_profiles(settings.profile.clone(), settings.profile_names.clone());
    let mut guard = TerminalGuard::enter()?;
    let result = event_loop(&mut guard, app, worker).await;
    drop(guard);
    result
}

/// `trackline demo`: the sandbox in-process on 127.0.0.1:0 and the TUI
/// against it, with a throwaway profile in a temporary folder and the login
/// dialog filled in with the demo account. The keys, theme and colours are
/// the user's (`user`), so the demo is a place to try a config.
#[cfg(feature = "sandbox")]
pub async fn run_demo(download_dir: Option<std::path::PathBuf>, user: &Settings) -> Result<u8, TuiError> {
    use crate::sandbox::{DEMO_EMAIL, DEMO_PASSWORD, Sandbox, SandboxOptions};
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let scratch = tempfile_dir()?;
    let paths = Paths::under(scratch.path());
    let download_dir = match download_dir {
        Some(dir) => dir,
        None => Paths::from_os()
            .map(|p| p.download_dir)
            .unwrap_or_else(|_| paths.download_dir.clone()),
    };
    let overrides = config::Overrides {
        base_url: Some(sandbox.base_url()),
        download_dir: Some(download_dir),
        ..config::Overrides::default()
    };
    let mut settings =
        Settings::resolve(&paths, &overrides).map_err(|e| TuiError::Terminal(std::io::Error::other(e.to_string())))?;
    settings.email = Some(DEMO_EMAIL.to_string());
    settings.keys = user.keys.clone();
    settings.theme = user.theme;
    settings.colors = user.colors.clone();
    settings.no_color = user.no_color;
    let launch = Launch {
        settings,
        paths,
        password_prefill: Some(SecretString::from(DEMO_PASSWORD)),
    };
    let result = run(launch).await;
    sandbox.shutdown().await;
    drop(scratch);
    result
}

/// A private temporary folder, removed when dropped.
#[cfg(feature = "sandbox")]
fn tempfile_dir() -> std::io::Result<ScratchDir> {
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let dir = base.join(format!("trackline-demo-{}-{attempt}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(ScratchDir(dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("cannot create a temporary folder for the demo"))
}

#[cfg(feature = "sandbox")]
struct ScratchDir(std::path::PathBuf);

#[cfg(feature = "sandbox")]
impl ScratchDir {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

#[cfg(feature = "sandbox")]
impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn event_loop(guard: &mut TerminalGuard, mut app: App, mut worker: worker::WorkerHandle) -> Result<u8, TuiError> {
    let mut terminal_events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new()?;
    let mut exit_code = 0u8;

    let size = guard.terminal().size()?;
    dispatch(
        guard,
        &mut app,
        &worker,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    )?;
    draw(guard, &app)?;
    // For the test that a panic inside the running TUI restores the terminal.
    if std::env::var_os(PANIC_FOR_TEST).is_some() {
        panic!("{PANIC_FOR_TEST} is set: panicking inside the running TUI");
    }
    loop {
        let animating = app.is_animating();
        // One wake-up at the session's next deadline (see App::next_deadline), not a timer.
        let deadline = app.next_deadline().map(|at| {
            let wait = at - OffsetDateTime::now_utc();
            Duration::try_from(wait).unwrap_or(Duration::ZERO)
        });
        let msg = tokio::select! {
            event = terminal_events.next() => match event {
                Some(Ok(event)) => match terminal_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(error)) => return Err(error.into()),
                None => break,
            },
            event = worker.events.recv() => match event {
                Some(event) => Msg::Event { event, now: OffsetDateTime::now_utc() },
                None => break,
            },
            _ = tick.tick(), if animating => Msg::Tick { now: OffsetDateTime::now_utc() },
            () = tokio::time::sleep(deadline.unwrap_or_default()), if deadline.is_some() => {
                Msg::Tick { now: OffsetDateTime::now_utc() }
            }
            signal = signals.recv() => {
                tracing::info!(signal, "quitting on a signal");
                exit_code = 128u8.saturating_add(signal);
                break;
            }
        };
        dispatch(guard, &mut app, &worker, msg)?;
        // Take whatever else is already waiting, then draw once for the batch.
        while let Ok(event) = worker.events.try_recv() {
            dispatch(
                guard,
                &mut app,
                &worker,
                Msg::Event {
                    event,
                    now: OffsetDateTime::now_utc(),
                },
            )?;
        }
        if app.should_quit() {
            if app.interrupted() {
                exit_code = EXIT_INTERRUPTED;
            }
            break;
        }
        draw(guard, &app)?;
    }
    worker.finish(QUIT_GRACE).await;
    Ok(exit_code)
}

fn dispatch(guard: &mut TerminalGuard, app: &mut App, worker: &worker::WorkerHandle, msg: Msg) -> Result<(), TuiError> {
    for command in app.update(msg) {
        worker.send(command);
    }
    for effect in app.take_effects() {
        match effect {
            Effect::Suspend => {
                guard.suspend()?;
                let size = guard.terminal().size()?;
                for follow_up in app.update(Msg::Resize {
                    width: size.width,
                    height: size.height,
                }) {
                    worker.send(follow_up);
                }
            }
            Effect::Quit => worker.shutdown(),
        }
    }
    Ok(())
}

/// Draws one frame inside a synchronized update (DEC mode 2026), so a
/// terminal that supports it shows the whole frame at once, never half of it.
fn draw(guard: &mut TerminalGuard, app: &App) -> Result<(), TuiError> {
    let now = OffsetDateTime::now_utc();
    crossterm::queue!(std::io::stdout(), crossterm::terminal::BeginSynchronizedUpdate)?;
    let drawn = guard.terminal().draw(|frame| view::draw(frame, app, now)).map(|_| ());
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EndSynchronizedUpdate)?;
    Ok(drawn?)
}

fn terminal_msg(event: TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        TermEvent::Paste(text) => Some(Msg::Paste(text)),
        TermEvent::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
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
    fn new() -> std::io::Result<Signals> {
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
