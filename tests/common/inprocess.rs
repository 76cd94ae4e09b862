//! The real app and its real worker in this process, built by
//! `trackline::tui::run::start` exactly as the binary builds them, against a
//! sandbox on 127.0.0.1:0 and drawn into a ratatui `TestBackend`. Keys go in
//! through a channel that feeds the event loop's injected event stream; every
//! drawn frame comes back, so a test waits on what the screen shows.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Color;
use std::io;
use std::path::PathBuf;
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use trackline::config::{Overrides, Paths, Settings};
use trackline::sandbox::{Sandbox, SandboxOptions};
use trackline::tui::run::{Launch, Started, start};
use trackline::tui::{Headless, TerminalHost, Theme, Tui, TuiError};

/// How long to wait for the screen to show something before the test fails
/// (a safety net against hanging, not a speed check).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running in-process TUI and the sandbox it talks to.
pub struct TuiRig {
    pub sandbox: Sandbox,
    pub home: TempDir,
    pub settings: Settings,
    keys: mpsc::UnboundedSender<io::Result<Event>>,
    frames: watch::Receiver<Buffer>,
    run: JoinHandle<Result<u8, TuiError>>,
}

/// A sandbox that sends every download slowly (1 KiB every 20 ms), so a
/// test sees it running.
pub fn trickling() -> SandboxOptions {
    SandboxOptions {
        faults: trackline::sandbox::Faults {
            trickle_ms: Some(20),
            ..Default::default()
        },
        ..SandboxOptions::default()
    }
}

impl TuiRig {
    /// Looks up the large export (process 20000) and starts downloading its
    /// one document; a signed-in rig.
    pub async fn start_the_large_download(&mut self) {
        self.type_text("20000");
        self.press(KeyCode::Enter);
        self.wait_for_text("large_export.bin").await;
        self.press(KeyCode::Enter);
    }

    /// Looks up the process of sample documents and previews its ZIP,
    /// E-Invoices_2024.zip, until its entries are listed; a signed-in rig.
    pub async fn preview_the_sample_zip(&mut self) {
        self.type_text(trackline::sandbox::PREVIEWS_PROCESS_ID);
        self.press(KeyCode::Enter);
        self.wait_for_text("E-Invoices_2024.zip").await;
        self.press(KeyCode::Char('p'));
        for _ in 0..5 {
            self.press(KeyCode::Down);
        }
        self.wait_for("the ZIP's entries", |s| s.contains("mexico.zip")).await;
    }

    /// The TUI in a `width`×`height` terminal against a default sandbox.
    pub async fn start(width: u16, height: u16) -> TuiRig {
        TuiRig::start_with(SandboxOptions::default(), width, height, Headless).await
    }

    /// The TUI against a sandbox with `options`, with `host` doing suspends.
    pub async fn start_with(
        options: SandboxOptions,
        width: u16,
        height: u16,
        host: impl TerminalHost<TestBackend> + Send + 'static,
    ) -> TuiRig {
        let sandbox = Sandbox::start(options).await.unwrap();
        let home = TempDir::new().unwrap();
        TuiRig::launch(sandbox, home, width, height, host, |_| {}).await
    }

    /// The TUI speaking `lang` against a sandbox with `options`.
    pub async fn start_speaking(
        lang: trackline::i18n::Lang,
        options: SandboxOptions,
        width: u16,
        height: u16,
    ) -> TuiRig {
        let sandbox = Sandbox::start(options).await.unwrap();
        let home = TempDir::new().unwrap();
        TuiRig::launch(sandbox, home, width, height, Headless, move |s| s.lang = lang).await
    }

    /// The same with the files in `paths` (a `config.toml` there is read),
    /// kept in `home`: a second rig over the same paths is a restart.
    pub async fn start_at(
        home: TempDir,
        paths: Paths,
        options: SandboxOptions,
        width: u16,
        height: u16,
        host: impl TerminalHost<TestBackend> + Send + 'static,
    ) -> TuiRig {
        let sandbox = Sandbox::start(options).await.unwrap();
        TuiRig::start_on(sandbox, home, paths, width, height, host).await
    }

    /// [`TuiRig::start_at`] against a `sandbox` already started (its address
    /// can go into the config first).
    pub async fn start_on(
        sandbox: Sandbox,
        home: TempDir,
        paths: Paths,
        width: u16,
        height: u16,
        host: impl TerminalHost<TestBackend> + Send + 'static,
    ) -> TuiRig {
        TuiRig::launch_at(sandbox, home, paths, width, height, host, |_| {}, None).await
    }

    /// A new TUI over the files of `home` (another run of trackline by the
    /// same user) against `sandbox`, its settings changed by `edit`.
    pub async fn start_over(
        sandbox: Sandbox,
        home: TempDir,
        width: u16,
        height: u16,
        edit: impl FnOnce(&mut Settings),
    ) -> TuiRig {
        TuiRig::launch(sandbox, home, width, height, Headless, edit).await
    }

    async fn launch(
        sandbox: Sandbox,
        home: TempDir,
        width: u16,
        height: u16,
        host: impl TerminalHost<TestBackend> + Send + 'static,
        edit: impl FnOnce(&mut Settings),
    ) -> TuiRig {
        let paths = Paths::under(home.path());
        TuiRig::launch_at(sandbox, home, paths, width, height, host, edit, None).await
    }

    /// The TUI against a default sandbox, drawing pictures with `picker`
    /// (as if the terminal had answered with its protocol).
    pub async fn start_drawing(picker: ratatui_image::picker::Picker, width: u16, height: u16) -> TuiRig {
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let home = TempDir::new().unwrap();
        let paths = Paths::under(home.path());
        TuiRig::launch_at(sandbox, home, paths, width, height, Headless, |_| {}, Some(picker)).await
    }

    /// The TUI of a home at `paths` against `sandbox`, its settings as
    /// `edit` leaves them, pictures drawn with `picker` when there is one.
    #[allow(clippy::too_many_arguments)]
    async fn launch_at(
        sandbox: Sandbox,
        home: TempDir,
        paths: Paths,
        width: u16,
        height: u16,
        host: impl TerminalHost<TestBackend> + Send + 'static,
        edit: impl FnOnce(&mut Settings),
        picker: Option<ratatui_image::picker::Picker>,
    ) -> TuiRig {
        let overrides = Overrides {
            base_url: Some(sandbox.base_url()),
            download_dir: Some(home.path().join("downloads")),
            ..Overrides::default()
        };
        let mut settings = Settings::resolve(&paths, &overrides).unwrap();
        // The colour checks need colours whatever NO_COLOR the test runner has.
        settings.no_color = false;
        // English whatever locale the test runner has.
        settings.lang = trackline::i18n::Lang::En;
        edit(&mut settings);
        let launch = Launch {
            settings: settings.clone(),
            paths,
            password_prefill: None,
            local_offset: time::UtcOffset::UTC,
        };
        let Started { app, worker } = start(&launch).await.unwrap();
        let app = match picker {
            Some(picker) => app.with_picker(picker),
            None => app,
        };
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let (frame_tx, frames) = watch::channel(Buffer::empty(Rect::new(0, 0, width, height)));
        let tui = Tui::new(terminal, app, worker).with_host(host).on_frame(move |buffer| {
            frame_tx.send_replace(buffer.clone());
        });
        let (keys, mut key_rx) = mpsc::unbounded_channel();
        let events = futures_util::stream::poll_fn(move |cx| key_rx.poll_recv(cx));
        let run = tokio::spawn(tui.run(events));
        TuiRig {
            sandbox,
            home,
            settings,
            keys,
            frames,
            run,
        }
    }

    /// The theme the app draws with.
    pub fn theme(&self) -> Theme {
        let s = &self.settings;
        Theme::from_settings(s.theme, &s.colors, s.no_color)
    }

    /// Where downloads go.
    pub fn downloads(&self) -> PathBuf {
        self.settings.download_dir.clone()
    }

    /// Sends a terminal event as if it came from the terminal.
    pub fn send(&self, event: Event) {
        // A loop that has ended reads no more; the test sees that on the screen.
        let _ = self.keys.send(Ok(event));
    }

    pub fn key(&self, code: KeyCode, modifiers: KeyModifiers) {
        self.send(Event::Key(KeyEvent::new(code, modifiers)));
    }

    pub fn press(&self, code: KeyCode) {
        self.key(code, KeyModifiers::NONE);
    }

    pub fn ctrl(&self, c: char) {
        self.key(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    /// Types `text` one key at a time.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Pastes `text` (bracketed paste).
    pub fn paste(&self, text: &str) {
        self.send(Event::Paste(text.to_string()));
    }

    /// Waits until a drawn frame satisfies `test` and returns it; panics
    /// with the last frame if none does.
    pub async fn wait_for(&mut self, what: &str, test: impl Fn(&Screen) -> bool) -> Screen {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let screen = Screen(self.frames.borrow_and_update().clone());
            if test(&screen) {
                return screen;
            }
            match tokio::time::timeout_at(deadline, self.frames.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => panic!("the TUI ended before the screen showed {what}:\n{}", screen.text()),
                Err(_) => panic!("the screen never showed {what}:\n{}", screen.text()),
            }
        }
    }

    /// Waits until a drawn frame contains `text`.
    pub async fn wait_for_text(&mut self, text: &str) -> Screen {
        self.wait_for(text, |screen| screen.contains(text)).await
    }

    /// Logs in with `email` and `password` through the login dialog, which
    /// must be showing with the Email field focused.
    pub fn submit_login(&self, email: &str, password: &str) {
        self.type_text(email);
        self.press(KeyCode::Tab);
        self.type_text(password);
        self.press(KeyCode::Enter);
    }

    /// Logs in with the demo account through the dialog and waits for the top bar to show it.
    pub async fn log_in(&mut self) -> Screen {
        self.wait_for_text("Log in to Trackline").await;
        self.submit_login(super::EMAIL, super::PASSWORD);
        self.wait_for("the signed-in email in the top bar, and no dialog", |s| {
            s.line(0).contains(super::EMAIL) && !s.contains("Log in to Trackline")
        })
        .await
    }

    /// Waits for the event loop to end and returns its exit code.
    pub async fn exit_code(self) -> u8 {
        self.exit_code_and_home().await.0
    }

    /// Waits for the event loop to end (after a quit the test sent); the
    /// sandbox and the home, for [`TuiRig::start_over`].
    pub async fn ended(self) -> (Sandbox, TempDir) {
        let ended = tokio::time::timeout(PATIENCE, self.run).await;
        assert_eq!(ended.expect("the event loop never ended").unwrap().unwrap(), 0);
        (self.sandbox, self.home)
    }

    /// Waits for the event loop to end; its exit code, and the home its files are in.
    pub async fn exit_code_and_home(self) -> (u8, TempDir) {
        let ended = tokio::time::timeout(PATIENCE, self.run).await;
        (ended.expect("the event loop never ended").unwrap().unwrap(), self.home)
    }
}

/// One drawn frame.
#[derive(Debug, Clone)]
pub struct Screen(pub Buffer);

impl Screen {
    /// The text of row `y`.
    pub fn line(&self, y: u16) -> String {
        let area = self.0.area;
        (area.left()..area.right()).map(|x| self.0[(x, y)].symbol()).collect()
    }

    /// The whole screen, one line a row.
    pub fn text(&self) -> String {
        let area = self.0.area;
        (area.top()..area.bottom()).map(|y| self.line(y) + "\n").collect()
    }

    pub fn contains(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// The column and row where `text` first starts on one row.
    pub fn find(&self, text: &str) -> Option<(u16, u16)> {
        let area = self.0.area;
        for y in area.top()..area.bottom() {
            let mut line = String::new();
            let mut columns = Vec::new();
            for x in area.left()..area.right() {
                columns.push((line.len(), x));
                line.push_str(self.0[(x, y)].symbol());
            }
            if let Some(at) = line.find(text) {
                let x = columns
                    .iter()
                    .rev()
                    .find(|(offset, _)| *offset <= at)
                    .map_or(0, |c| c.1);
                return Some((x, y));
            }
        }
        None
    }

    pub fn cell(&self, x: u16, y: u16) -> &Cell {
        &self.0[(x, y)]
    }

    /// The cell where `text` starts; panics with the screen if it is not shown.
    pub fn cell_of(&self, text: &str) -> &Cell {
        let (x, y) = self
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{}", self.text()));
        self.cell(x, y)
    }

    /// The top-left corner of the pane titled `title`.
    pub fn pane_corner(&self, title: &str) -> &Cell {
        let (x, y) = self
            .find(&format!("╭ {title} "))
            .unwrap_or_else(|| panic!("no pane titled {title:?}:\n{}", self.text()));
        self.cell(x, y)
    }
}

/// The foreground colour of a theme style, which every style the tests check sets.
pub fn fg(style: ratatui::style::Style) -> Color {
    style.fg.expect("the theme gives this style a colour")
}
