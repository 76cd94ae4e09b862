//! Watching processes in the TUI (issue 16): the real app, worker and
//! sandbox in-process, statuses moved with `Sandbox::advance` and checked
//! every second (`watch_interval = 1` in the config), and the CLI's
//! `history` over the same files afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inprocess::{TuiRig, fg};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tempfile::TempDir;
use trackline::config::Paths;
use trackline::index::Index;
use trackline::sandbox::{Sandbox, SandboxOptions};
use trackline::tui::TerminalHost;

/// The demo data's process whose status the tests move: Awaiting Approval, then Pending.
const MOVING: &str = "12353";

/// Counts the bells the TUI rings.
struct BellHost(Arc<AtomicUsize>);

impl TerminalHost<TestBackend> for BellHost {
    fn suspend(&mut self, _terminal: &mut Terminal<TestBackend>) -> std::io::Result<()> {
        Ok(())
    }

    fn bell(&mut self) -> std::io::Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The files where the binary keeps them on Linux under `isolated(home)`
/// (XDG variables), so the CLI sees what the in-process TUI wrote.
fn paths_of_the_binary(home: &Path) -> Paths {
    Paths {
        config_file: home.join("xdg-config").join("trackline").join("config.toml"),
        data_dir: home.join("xdg-data").join("trackline"),
        cache_dir: home.join("xdg-cache").join("trackline"),
        log_file: home.join("xdg-state").join("trackline").join("trackline.log"),
        download_dir: home.join("downloads"),
        home_dir: Some(home.to_path_buf()),
    }
}

/// A home whose config checks watched processes every second (and `extra` more lines).
fn home_with_config(extra: &str) -> (TempDir, Paths) {
    let home = TempDir::new().unwrap();
    let paths = paths_of_the_binary(home.path());
    std::fs::create_dir_all(paths.config_file.parent().unwrap()).unwrap();
    std::fs::write(&paths.config_file, format!("watch_interval = 1\n{extra}")).unwrap();
    (home, paths)
}

async fn start(home: TempDir, paths: Paths, bells: &Arc<AtomicUsize>) -> TuiRig {
    let host = BellHost(bells.clone());
    TuiRig::start_at(home, paths, SandboxOptions::default(), 80, 24, host).await
}

/// Looks `MOVING` up, watches it and waits for its first check.
async fn watch_the_moving_process(rig: &mut TuiRig) {
    rig.type_text(MOVING);
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Travel Costs Review").await;
    rig.press(KeyCode::Char('w'));
    let screen = rig.wait_for_text("Watching 12353").await;
    assert!(screen.contains("╭ Watched 1 "), "{}", screen.text());
    // Until the first check the row has the status shown and no time of change.
    rig.wait_for("the first check", |s| {
        (0..24)
            .map(|y| s.line(y))
            .any(|l| l.contains("12353 Awaiting") && !l.contains('—'))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn w_then_a_change_is_marked_and_rings_once_until_seen_and_w_unwatches() {
    let bells = Arc::new(AtomicUsize::new(0));
    let (home, paths) = home_with_config("");
    let mut rig = start(home, paths.clone(), &bells).await;
    rig.log_in().await;
    watch_the_moving_process(&mut rig).await;
    assert_eq!(bells.load(Ordering::SeqCst), 0, "the first status is no change");

    assert_eq!(rig.sandbox.advance(MOVING), Some("Pending"));
    let screen = rig
        .wait_for("the change marked", |s| {
            s.contains("● 12353 Pending") && s.contains("1 changed")
        })
        .await;
    let warn = fg(rig.theme().warn);
    assert_eq!(screen.cell_of("● 12353").fg, warn, "the marker in the theme's colour");
    let (x, y) = screen.find("● 12353 Pending").unwrap();
    assert_eq!(screen.cell(x + 8, y).fg, warn, "and the status");
    assert_eq!(bells.load(Ordering::SeqCst), 1, "one bell for one change");
    // The process pane shows the status the watch saw.
    assert!(screen.contains("Status    ● Pending"), "{}", screen.text());

    // Selecting the row in the watched list is seeing the change.
    rig.press(KeyCode::Char('/'));
    rig.press(KeyCode::Tab);
    rig.press(KeyCode::Tab);
    let screen = rig
        .wait_for("the change seen", |s| {
            s.contains("› 12353 Pending") && !s.contains("changed ─")
        })
        .await;
    assert!(
        screen.contains("╰ checked "),
        "the selected row's last check: {}",
        screen.text()
    );
    assert!(screen.contains("Enter open  w unwatch"), "{}", screen.text());
    assert_eq!(bells.load(Ordering::SeqCst), 1);

    rig.press(KeyCode::Char('w'));
    let screen = rig.wait_for_text("Stopped watching 12353").await;
    assert!(screen.contains("╭ Recent 1 "), "{}", screen.text());
    assert!(!screen.contains("Watched"), "{}", screen.text());
    rig.press(KeyCode::Char('q'));
    let (code, _home) = rig.exit_code_and_home().await;
    assert_eq!(code, 0);
    assert!(
        watched_in(&paths, "default").is_empty(),
        "the index keeps the set without it"
    );
    assert!(!paths.data_dir.join("watched.json").exists());
}

/// The ids of `profile`'s watched set, as its index keeps it.
fn watched_in(paths: &Paths, profile: &str) -> Vec<String> {
    let file = Index::path_for(&paths.data_dir, profile).unwrap();
    let index = Index::open(&file).unwrap().index;
    index.watched().unwrap().into_iter().map(|e| e.process_id).collect()
}

/// Opens the profile chooser (on the profile in use) and switches to `profile`, one row away by `key`.
async fn switch_profile(rig: &mut TuiRig, profile: &str, key: char) {
    rig.press(KeyCode::Char('P'));
    rig.wait_for_text("Switch profile").await;
    rig.press(KeyCode::Char(key));
    rig.press(KeyCode::Enter);
    let bar = format!("│ {profile} │");
    rig.wait_for("the profile in the top bar", |s| s.line(0).contains(&bar))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_profile_shows_its_own_watched_set_and_keeps_it_in_its_index() {
    let bells = Arc::new(AtomicUsize::new(0));
    let (home, paths) = home_with_config("");
    // A second profile on the same server.
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let config = format!(
        "watch_interval = 1\n\n[profiles.other]\nbase_url = \"{}\"\n",
        sandbox.base_url()
    );
    std::fs::write(&paths.config_file, config).unwrap();
    let mut rig = TuiRig::start_on(sandbox, home, paths.clone(), 80, 24, BellHost(bells.clone())).await;
    rig.log_in().await;
    watch_the_moving_process(&mut rig).await;

    rig.press(KeyCode::Char('/'));
    rig.press(KeyCode::Esc);
    switch_profile(&mut rig, "other", 'j').await;
    rig.log_in().await;
    // Out of the search box (which lists its matches), the pane shows Recent, or Watched.
    rig.press(KeyCode::Esc);
    let screen = rig
        .wait_for("the other profile's main screen", |s| s.contains("╭ Recent 1 "))
        .await;
    assert!(!screen.contains("Watched"), "other watches nothing: {}", screen.text());

    switch_profile(&mut rig, "default", 'k').await;
    let screen = rig.wait_for("default's set back", |s| s.contains("╭ Watched 1 ")).await;
    assert!(screen.contains("12353"), "{}", screen.text());
    rig.ctrl('c');
    let (code, _home) = rig.exit_code_and_home().await;
    assert_eq!(code, 130);
    assert_eq!(watched_in(&paths, "default"), [MOVING]);
    assert!(watched_in(&paths, "other").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_json_of_an_earlier_version_is_imported_once_into_the_profile_that_starts() {
    let bells = Arc::new(AtomicUsize::new(0));
    let (home, paths) = home_with_config("");
    let legacy = paths.data_dir.join("watched.json");
    std::fs::create_dir_all(&paths.data_dir).unwrap();
    let old = r#"[{"process_id": "12353", "name": "Travel Costs Review", "status": "Awaiting Approval", "changed_at": null}]"#;
    std::fs::write(&legacy, old).unwrap();
    let mut rig = start(home, paths.clone(), &bells).await;
    rig.log_in().await;
    let screen = rig
        .wait_for("the imported set checked", |s| {
            s.contains("╭ Watched 1 ") && s.contains("12353 Awaiting")
        })
        .await;
    assert_eq!(bells.load(Ordering::SeqCst), 0, "{}", screen.text());
    rig.ctrl('c');
    let (code, home) = rig.exit_code_and_home().await;
    assert_eq!(code, 130);
    assert!(!legacy.exists());
    let imported = paths.data_dir.join("watched.json.imported");
    assert_eq!(
        std::fs::read_to_string(&imported).unwrap(),
        old,
        "the old file is kept as it was"
    );
    assert_eq!(watched_in(&paths, "default"), [MOVING]);

    // Unwatched in the next run, it stays unwatched: nothing is imported twice.
    let mut rig = start(home, paths.clone(), &bells).await;
    rig.wait_for_text("Log in to Trackline").await;
    rig.type_text(common::PASSWORD);
    rig.press(KeyCode::Enter);
    rig.wait_for("the set after logging in", |s| {
        s.contains("╭ Watched 1 ") && !s.contains("Log in to Trackline")
    })
    .await;
    // Recent is empty: Tab goes from the search box to the watched list.
    rig.press(KeyCode::Tab);
    rig.wait_for_text("w unwatch").await;
    rig.press(KeyCode::Char('w'));
    rig.wait_for_text("Stopped watching 12353").await;
    // Nothing watched nor recent: the focus is back in the search box, where q is a letter.
    rig.ctrl('c');
    let (code, home) = rig.exit_code_and_home().await;
    assert_eq!(code, 130);
    assert!(watched_in(&paths, "default").is_empty());
    let mut rig = start(home, paths.clone(), &bells).await;
    rig.wait_for_text("Log in to Trackline").await;
    rig.type_text(common::PASSWORD);
    rig.press(KeyCode::Enter);
    let screen = rig.wait_for("the main screen", |s| s.contains("╭ Process ")).await;
    assert!(!screen.contains("Watched"), "{}", screen.text());
    rig.ctrl('c');
    let (code, _home) = rig.exit_code_and_home().await;
    assert_eq!(code, 130);
    assert!(watched_in(&paths, "default").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_usable_index_watching_works_for_the_session_and_says_the_list_is_not_kept() {
    let bells = Arc::new(AtomicUsize::new(0));
    let (home, paths) = home_with_config("");
    // A file where the index folder should be: no index can be opened (root or not).
    std::fs::create_dir_all(&paths.data_dir).unwrap();
    std::fs::write(paths.data_dir.join("index"), "not a folder").unwrap();
    let mut rig = start(home, paths.clone(), &bells).await;
    let screen = rig.wait_for_text("will not be kept").await;
    assert!(screen.contains("Log in to Trackline"), "{}", screen.text());
    rig.log_in().await;
    rig.type_text(MOVING);
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Travel Costs Review").await;
    // It moves on before `w`: the watch's first check is the change.
    rig.sandbox.advance(MOVING);
    rig.press(KeyCode::Char('w'));
    rig.wait_for_text("● 12353 Pending").await;
    assert_eq!(bells.load(Ordering::SeqCst), 1);
    rig.press(KeyCode::Char('q'));
    let (code, _home) = rig.exit_code_and_home().await;
    assert_eq!(code, 0);
    assert!(!paths.data_dir.join("watched.json").exists(), "no file in its place");
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watched_set_survives_a_restart_and_history_shows_what_the_watch_saw() {
    let bells = Arc::new(AtomicUsize::new(0));
    // No notification service runs here: `notify = true` is skipped without a word.
    let (home, paths) = home_with_config("notify = true\n");
    let mut rig = start(home, paths.clone(), &bells).await;
    rig.log_in().await;
    watch_the_moving_process(&mut rig).await;
    rig.sandbox.advance(MOVING);
    rig.wait_for_text("● 12353 Pending").await;
    rig.press(KeyCode::Char('q'));
    let (code, home) = rig.exit_code_and_home().await;
    assert_eq!(code, 0);

    let output = common::bare_cmd(home.path())
        .args(["history", MOVING, "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let statuses: Vec<String> = common::stdout_lines(&output)
        .iter()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["status"].to_string())
        .collect();
    assert_eq!(statuses, ["\"Awaiting Approval\"", "\"Pending\""]);

    // A new TUI over the same files (and a new sandbox, where 12353 awaits
    // approval again) watches 12353 again and marks the change back.
    let mut rig = start(home, paths, &bells).await;
    rig.wait_for_text("Log in to Trackline").await;
    // The email is remembered: the password is what is left to type.
    rig.type_text(common::PASSWORD);
    rig.press(KeyCode::Enter);
    let screen = rig
        .wait_for("the stored set checked again", |s| s.contains("● 12353 Awaiting"))
        .await;
    assert!(screen.contains("╭ Watched 1 · 1 changed "), "{}", screen.text());
    rig.press(KeyCode::Tab);
    rig.press(KeyCode::Tab);
    rig.press(KeyCode::Enter);
    rig.wait_for("the process opened from the watched list", |s| {
        s.contains("Travel Costs Review") && s.contains("12353 Awaiting") && !s.contains("● 12353")
    })
    .await;
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
}
