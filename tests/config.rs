//! The config file through the real binary: precedence (default < file < env <
//! flag) as `config show` reports it, every kind of mistake stopping with exit
//! 2 and its line, `config path`/`init` with a broken file, rebound keys in the
//! TUI and its help, colours overridden, and `NO_COLOR`/`--no-color` with no
//! colour at all on the wire.

#![allow(clippy::unwrap_used)] // test helpers

mod common;

use common::pty::PtyApp;
use common::{Rig, bare_cmd};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file the binary reads by default under `home`.
fn config_file(home: &Path) -> PathBuf {
    home.join("xdg-config").join("trackline").join("config.toml")
}

fn write_config(home: &Path, text: &str) -> PathBuf {
    let path = config_file(home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// `config show` as name → (value, source).
fn show(cmd: &mut assert_cmd::Command) -> BTreeMap<String, (String, String)> {
    let output = cmd.args(["config", "show"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let (left, source) = line.rsplit_once(" # ").unwrap();
            let (name, value) = left.split_once(" = ").unwrap();
            (
                name.trim().to_string(),
                (value.trim().to_string(), source.trim().to_string()),
            )
        })
        .collect()
}

#[test]
fn precedence_is_default_then_file_then_environment_then_flag() {
    let home = tempfile::TempDir::new().unwrap();
    let cmd = || {
        let mut cmd = bare_cmd(home.path());
        cmd.env_remove("TRACKLINE_DOWNLOAD_DIR");
        cmd
    };

    let defaults = show(&mut cmd());
    assert_eq!(
        defaults["base_url"],
        ("https://api.codecontractplattform.com/api".into(), "default".into())
    );
    assert_eq!(defaults["concurrency"], ("3".into(), "default".into()));
    assert_eq!(defaults["theme"], ("dark".into(), "default".into()));
    assert_eq!(defaults["no_color"], ("false".into(), "default".into()));
    assert!(defaults["download_dir"].0.ends_with("Trackline"), "{defaults:?}");
    assert_eq!(defaults["log_level"], ("info".into(), "default".into()));

    write_config(
        home.path(),
        "download_dir = \"/from/file\"\nconcurrency = 5\ntheme = \"light\"\n\n[profiles.default]\nbase_url = \"https://file.example.com/api\"\n\n[keys]\nquit = \"Q\"\n\n[colors]\naccent = \"#ff8800\"\n",
    );
    let file = show(&mut cmd());
    assert_eq!(file["download_dir"], ("/from/file".into(), "config file".into()));
    assert_eq!(
        file["base_url"],
        ("https://file.example.com/api".into(), "config file".into())
    );
    assert_eq!(file["concurrency"], ("5".into(), "config file".into()));
    assert_eq!(file["theme"], ("light".into(), "config file".into()));
    assert_eq!(file["keys"], ("quit = Q".into(), "config file".into()));
    assert_eq!(file["colors"], ("accent = #FF8800".into(), "config file".into()));

    let env = show(
        cmd()
            .env("TRACKLINE_DOWNLOAD_DIR", "/from/env")
            .env("TRACKLINE_BASE_URL", "https://env.example.com/api")
            .env("RUST_LOG", "debug")
            .env("NO_COLOR", "1"),
    );
    assert_eq!(env["download_dir"], ("/from/env".into(), "environment".into()));
    assert_eq!(
        env["base_url"],
        ("https://env.example.com/api".into(), "environment".into())
    );
    assert_eq!(env["log_level"], ("debug".into(), "environment".into()));
    assert_eq!(env["no_color"], ("true".into(), "environment".into()));
    assert_eq!(env["concurrency"], ("5".into(), "config file".into()));

    let flag = show(
        cmd()
            .env("TRACKLINE_DOWNLOAD_DIR", "/from/env")
            .env("TRACKLINE_BASE_URL", "https://env.example.com/api")
            .env("RUST_LOG", "debug")
            .args([
                "--download-dir",
                "/from/flag",
                "--base-url",
                "https://flag.example.com/api",
                "--log-level",
                "warn",
                "--no-color",
            ]),
    );
    assert_eq!(flag["download_dir"], ("/from/flag".into(), "command line".into()));
    assert_eq!(
        flag["base_url"],
        ("https://flag.example.com/api".into(), "command line".into())
    );
    assert_eq!(flag["log_level"], ("warn".into(), "command line".into()));
    assert_eq!(flag["no_color"], ("true".into(), "command line".into()));
}

#[test]
fn an_explicit_config_file_comes_from_the_flag_or_the_environment() {
    let home = tempfile::TempDir::new().unwrap();
    let other = home.path().join("other.toml");
    std::fs::write(&other, "concurrency = 9\n").unwrap();
    let by_env = show(bare_cmd(home.path()).env("TRACKLINE_CONFIG", &other));
    assert_eq!(by_env["concurrency"], ("9".into(), "config file".into()));
    assert_eq!(by_env["config"].1, "environment");
    let by_flag = show(bare_cmd(home.path()).arg("--config").arg(&other));
    assert_eq!(by_flag["config"], (other.display().to_string(), "command line".into()));
}

/// Each kind of mistake: the config text, the line it is on, and words of what was expected.
const MISTAKES: &[(&str, &str, usize, &[&str])] = &[
    ("syntax", "concurrency = 3\ntheme = \"dark\n", 2, &["string"]),
    (
        "unknown key",
        "concurrency = 3\n\ncolour = \"dark\"\n",
        3,
        &["colour", "theme"],
    ),
    (
        "wrong type",
        "theme = \"dark\"\nconcurrency = \"three\"\n",
        2,
        &["a whole number from 1 to 64"],
    ),
    (
        "unknown theme",
        "theme = \"neon\"\n",
        1,
        &["dark", "light", "high-contrast"],
    ),
    (
        "unknown action",
        "[keys]\nquit = \"q\"\nexplode = \"e\"\n",
        3,
        &["explode", "known actions", "download_all"],
    ),
    ("bad key name", "[keys]\n\nquit = \"Hyper-q\"\n", 3, &["Hyper"]),
    (
        "key conflict",
        "[keys]\nhelp = \"h\"\nquit = \"d\"\n",
        3,
        &["d is bound to both", "download"],
    ),
    ("bad colour", "[colors]\nerror = \"blood\"\n", 2, &["blood", "#ff8800"]),
    (
        "unknown colour name",
        "[colors]\naccent = \"red\"\nbackground = \"red\"\n",
        3,
        &["background", "accent"],
    ),
];

#[test]
fn every_kind_of_mistake_stops_with_exit_2_the_file_and_the_line() {
    for (kind, text, line, expected) in MISTAKES {
        let home = tempfile::TempDir::new().unwrap();
        let path = write_config(home.path(), text);
        for args in [
            &["status"][..],
            &["config", "show"],
            &["process", "--id", "12345"],
            &["demo"],
        ] {
            let output = bare_cmd(home.path()).args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{kind} {args:?}: {stderr}");
            assert!(output.stdout.is_empty(), "{kind}");
            assert!(stderr.contains(&path.display().to_string()), "{kind}: {stderr}");
            assert!(stderr.contains(&format!("line {line}")), "{kind}: {stderr}");
            for word in *expected {
                assert!(stderr.contains(word), "{kind}: {word:?} missing from {stderr}");
            }
        }
    }
}

#[test]
fn a_missing_explicit_config_file_is_exit_2() {
    let home = tempfile::TempDir::new().unwrap();
    let output = bare_cmd(home.path())
        .args(["--config", "/nonexistent/trackline.toml", "status"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("config init"));
}

#[test]
fn config_path_and_init_work_even_with_a_broken_config() {
    let home = tempfile::TempDir::new().unwrap();
    let path = write_config(home.path(), "this is [ not toml\n");
    let printed = bare_cmd(home.path()).args(["config", "path"]).output().unwrap();
    assert!(printed.status.success());
    assert_eq!(
        String::from_utf8(printed.stdout).unwrap().trim(),
        path.display().to_string()
    );

    // init never overwrites, even a broken file.
    let again = bare_cmd(home.path()).args(["config", "init"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "this is [ not toml\n");

    // A fresh one elsewhere, while the default one is still broken, is the template and reads back.
    let fresh = home.path().join("fresh").join("trackline.toml");
    bare_cmd(home.path())
        .arg("--config")
        .arg(&fresh)
        .args(["config", "init"])
        .assert()
        .success()
        .stdout(format!("{}\n", fresh.display()));
    let text = std::fs::read_to_string(&fresh).unwrap();
    assert!(
        text.contains("# concurrency = 3") && text.contains("[colors]"),
        "{text}"
    );
    let shown = show(bare_cmd(home.path()).arg("--config").arg(&fresh));
    assert_eq!(shown["concurrency"], ("3".into(), "default".into()));
}

/// The screen's rows, split into words.
fn rows_with(screen: &str, words: &[&str]) -> bool {
    screen.lines().any(|line| {
        let cells: Vec<&str> = line.split_whitespace().collect();
        cells.windows(words.len()).any(|w| w == words)
    })
}

#[test]
fn rebound_keys_work_in_the_tui_and_show_in_its_hints_and_help() {
    let rig = Rig::new();
    rig.login();
    write_config(rig.home.path(), "[keys]\nquit = \"Q\"\nhelp = [\"h\", \"F1\"]\n");
    let base_url = rig.base_url();
    let mut app = PtyApp::spawn(
        &[],
        rig.home.path(),
        &[("TRACKLINE_BASE_URL", base_url.as_str())],
        100,
        30,
    );
    app.wait_for("the top bar with the rebound help key", |s| {
        s.lines()
            .next()
            .is_some_and(|top| top.contains("demo@trackline.local") && top.contains(" h help "))
    });
    app.send("\x1b");
    app.wait_for("the hint line with the rebound keys", |s| {
        let hint = s.lines().last().unwrap_or_default();
        hint.contains("Q quit") && hint.contains("h help")
    });
    // q no longer quits: the help opens after it.
    app.send("qh");
    let help = app.wait_for("the help overlay", |s| s.contains(" Keys "));
    assert!(rows_with(&help, &["Q", "quit"]), "{help}");
    assert!(rows_with(&help, &["h", "F1", "show", "or", "hide"]), "{help}");
    assert!(!rows_with(&help, &["q", "quit"]), "{help}");
    app.send("h");
    app.wait_for("the help overlay to close", |s| !s.contains(" Keys "));
    app.send("Q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `raw`.
fn sgr_sequences(raw: &[u8]) -> Vec<Vec<u16>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < raw.len() {
        if raw[i] == 0x1b && raw[i + 1] == b'[' {
            let start = i + 2;
            let mut end = start;
            while end < raw.len() && (raw[end].is_ascii_digit() || raw[end] == b';') {
                end += 1;
            }
            if end < raw.len() && raw[end] == b'm' {
                let params = std::str::from_utf8(&raw[start..end]).unwrap();
                out.push(params.split(';').map(|p| p.parse().unwrap_or(0)).collect());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether an SGR sequence sets a colour (39 and 49, "the terminal's default", do not).
fn sets_colour(params: &[u16]) -> bool {
    params
        .iter()
        .any(|p| matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107))
}

/// Runs the TUI of a logged-in profile until its documents show, then quits;
/// returns every byte it wrote.
fn tui_output(args: &[&str], envs: &[(&str, &str)], config: Option<&str>) -> Vec<u8> {
    let rig = Rig::new();
    rig.login();
    if let Some(config) = config {
        write_config(rig.home.path(), config);
    }
    let base_url = rig.base_url();
    let mut all_envs = vec![("TRACKLINE_BASE_URL", base_url.as_str())];
    all_envs.extend_from_slice(envs);
    let mut app = PtyApp::spawn(args, rig.home.path(), &all_envs, 100, 30);
    app.wait_for_text("demo@trackline.local");
    app.send("12345\r");
    app.wait_for_text("Invoice_001.pdf");
    // A lookup from the search box gives the documents the focus (and the
    // selected row its colours); a Tab here would race it to the next pane.
    app.wait_for("the documents pane focused", |s| {
        s.lines().last().is_some_and(|hint| hint.contains("mark"))
    });
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
    app.raw_output()
}

fn assert_monochrome(raw: &[u8]) {
    let sgr = sgr_sequences(raw);
    let coloured: Vec<_> = sgr.iter().filter(|p| sets_colour(p)).collect();
    assert!(coloured.is_empty(), "colour sequences: {coloured:?}");
    // Selection and focus still show: reverse video and bold.
    assert!(sgr.iter().any(|p| p.contains(&7)), "no reverse video in {sgr:?}");
    assert!(sgr.iter().any(|p| p.contains(&1)), "no bold in {sgr:?}");
}

#[test]
fn no_color_env_gives_a_ui_without_any_colour() {
    let raw = tui_output(&[], &[("NO_COLOR", "1")], Some("[colors]\naccent = \"#ff8800\"\n"));
    assert_monochrome(&raw);
}

#[test]
fn no_color_flag_gives_a_ui_without_any_colour() {
    assert_monochrome(&tui_output(&["--no-color"], &[], None));
}

#[test]
fn colours_from_the_config_reach_the_terminal() {
    let raw = tui_output(&[], &[], Some("theme = \"light\"\n\n[colors]\naccent = \"#ff8800\"\n"));
    let sgr = sgr_sequences(&raw);
    assert!(
        sgr.iter()
            .any(|p| p.starts_with(&[38, 2, 255, 136, 0]) || p.starts_with(&[48, 2, 255, 136, 0])),
        "the accent colour never reached the terminal: {sgr:?}"
    );
}
