//! Launching the TUI: the app and its worker built from the settings
//! ([`start`]), the real terminal around the event loop ([`run`], the loop
//! itself is [`Tui`]), and `trackline demo`'s throwaway set-up ([`run_demo`]).

use super::app::{App, AppInit, SessionInfo};
pub use super::error::TuiError;
use super::keymap::Keymap;
use super::runtime::Tui;
use super::terminal::TerminalGuard;
use super::theme::Theme;
use crate::config::{self, Paths, Settings};
use crate::worker::run::{self as worker, WorkerConfig, WorkerHandle};
use crossterm::event::EventStream;
use secrecy::SecretString;
use time::{OffsetDateTime, UtcOffset};

/// When this variable is set the TUI panics right after its first frame, so
/// a test can check that the panic hook restores the terminal. Only debug
/// builds read it (the test suite runs the debug binary); a release build
/// has no such hook.
pub const PANIC_FOR_TEST: &str = "TRACKLINE_PANIC_FOR_TEST";

/// The local UTC offset, for showing dates. Read it while the process has
/// one thread (before the async runtime starts): the `time` crate refuses
/// later, for soundness. The result goes into [`Launch::local_offset`].
pub fn local_offset() -> UtcOffset {
    UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC)
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
    /// The local UTC offset dates are shown in (see [`local_offset`]).
    pub local_offset: UtcOffset,
}

/// The app and its running worker, as the binary builds them.
pub struct Started {
    /// The app, on the search box when the profile's session is still valid,
    /// else on the login dialog.
    pub app: App,
    /// The worker, already running on the current tokio runtime.
    pub worker: WorkerHandle,
}

/// Opens the TUI for the configured profile in the real terminal (see
/// [`start`] for where it opens). Returns the exit code: 0 after `q`, 130
/// after Ctrl-C, 128 + the signal after SIGTERM or SIGHUP (downloads in
/// flight keep their `.part` files either way).
pub async fn run(launch: Launch) -> Result<u8, TuiError> {
    let Started { app, worker } = start(&launch).await?;
    let guard = TerminalGuard::enter()?;
    // Asked once, in raw mode, before the event loop reads any key.
    let picker = tokio::task::spawn_blocking(super::graphics::detect)
        .await
        .unwrap_or_else(|_| ratatui_image::picker::Picker::halfblocks());
    tracing::info!(protocol = ?picker.protocol_type(), "pictures");
    let app = app.with_picker(picker);
    let terminal = guard.open_terminal()?;
    let tui = Tui::new(terminal, app, worker).with_host(guard).with_signals()?;
    #[cfg(debug_assertions)]
    let tui = panic_after_first_frame_if_asked(tui);
    tui.run(EventStream::new()).await
}

/// For the test that a panic inside the running TUI restores the terminal:
/// compiled into debug builds only, so a release build never reads
/// [`PANIC_FOR_TEST`].
#[cfg(debug_assertions)]
fn panic_after_first_frame_if_asked<B>(tui: Tui<B>) -> Tui<B>
where
    B: ratatui::backend::Backend,
    B::Error: Send + Sync + 'static,
{
    if std::env::var_os(PANIC_FOR_TEST).is_none() {
        return tui;
    }
    tui.on_frame(|_| panic!("{PANIC_FOR_TEST} is set: panicking inside the running TUI"))
}

/// Builds the app for `launch` and starts its worker on the current tokio
/// runtime with the profile's stored session, if it is still valid for the
/// configured server.
pub async fn start(launch: &Launch) -> Result<Started, TuiError> {
    let settings = &launch.settings;
    let keymap = Keymap::with_overrides(&settings.keys).map_err(|e| TuiError::Keys(e.to_string()))?;
    let theme = Theme::from_settings(settings.theme, &settings.colors, settings.no_color);
    let worker_config = WorkerConfig {
        paths: launch.paths.clone(),
        settings: settings.clone(),
        overrides: settings.overrides.clone(),
    };
    let now = OffsetDateTime::now_utc();
    let (worker, stored) = worker::start(worker_config).await?;
    let session = stored.map(|s| SessionInfo {
        email: s.email,
        expires_at: s.expires_at,
    });
    let init = AppInit {
        base_url: settings.base_url.trim_end_matches('/').to_string(),
        base_url_origin: settings.base_url_origin(),
        email: settings.email.clone(),
        password_prefill: launch.password_prefill.clone(),
        session,
        recent: crate::store::recent::load(&launch.paths.recent_file()),
        keymap,
        theme,
        now,
        local_offset: launch.local_offset,
    };
    let app = App::new(init)
        .with_lang(settings.lang)
        .with_profiles(settings.profile.clone(), settings.profile_names.clone());
    Ok(Started { app, worker })
}

/// `trackline demo`: the sandbox in-process on 127.0.0.1:0 and the TUI
/// against it, with a throwaway profile in a temporary folder and the login
/// dialog filled in with the demo account. The keys, theme and colours are
/// the user's (`user`), so the demo is a place to try a config.
#[cfg(feature = "sandbox")]
pub async fn run_demo(
    download_dir: Option<std::path::PathBuf>,
    user: &Settings,
    local_offset: UtcOffset,
) -> Result<u8, TuiError> {
    use crate::sandbox::{DEMO_EMAIL, DEMO_PASSWORD, Sandbox, SandboxOptions};
    let sandbox = Sandbox::start(SandboxOptions {
        advance: vec![DEMO_MOVING_PROCESS.to_string()],
        advance_every: std::time::Duration::from_secs(20),
        ..SandboxOptions::default()
    })
    .await?;
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
    let mut settings = Settings::resolve(&paths, &overrides)?.with_own_base_url();
    settings.email = Some(DEMO_EMAIL.to_string());
    settings.keys = user.keys.clone();
    settings.theme = user.theme;
    settings.colors = user.colors.clone();
    settings.no_color = user.no_color;
    settings.lang = user.lang;
    settings.lang_origin = user.lang_origin.clone();
    settings.notify = user.notify;
    // A process whose status moves, checked often, so that `w` has something to show.
    settings.watch_interval_secs = DEMO_WATCH_INTERVAL_SECS;
    // The demo's server is in this process, on loopback: never through the user's proxy.
    settings.proxies = config::Proxies::default();
    let launch = Launch {
        settings,
        paths,
        password_prefill: Some(SecretString::from(DEMO_PASSWORD)),
        local_offset,
    };
    let result = run(launch).await;
    sandbox.shutdown().await;
    drop(scratch);
    result
}

/// The demo's process whose status moves on every 20 s (Pending, In Progress, Completed).
#[cfg(feature = "sandbox")]
pub const DEMO_MOVING_PROCESS: &str = "12353";

/// How often the demo checks a watched process.
#[cfg(feature = "sandbox")]
const DEMO_WATCH_INTERVAL_SECS: u64 = 5;

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
