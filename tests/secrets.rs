//! No secret anywhere it shouldn't be: a whole session with debug logging,
//! headless and in the TUI, then every byte it left behind is searched for the
//! password and the tokens.
// Helpers outside #[test] fns panic on failure too, as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Rig;
use common::pty::PtyApp;
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use trackline::worker::Command;

/// An account whose password is no common substring (the demo's is "demo").
const EMAIL: &str = "auditor@example.com";
const PASSWORD: &str = "Vq9-unlikely-Passw0rd-4417";

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn stored_token(rig: &Rig) -> String {
    let file = std::fs::read(rig.sessions_dir().join("default.json")).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&file).unwrap();
    json["token"].as_str().unwrap().to_string()
}

#[test]
fn a_whole_session_with_debug_logging_leaks_neither_password_nor_token() {
    let rig = Rig::new();
    rig.sandbox.add_account(EMAIL, PASSWORD);
    let mut printed: Vec<(String, Vec<u8>)> = Vec::new();
    let mut run = |args: &[&str], stdin: &str, envs: &[(&str, &str)]| {
        let mut cmd = rig.cmd();
        cmd.args(["--log-level", "debug"])
            .args(args)
            .write_stdin(stdin.to_string());
        for (key, value) in envs {
            cmd.env(key, value);
        }
        let output = cmd.output().unwrap();
        let name = args.join(" ");
        printed.push((format!("stdout of {name}"), output.stdout.clone()));
        printed.push((format!("stderr of {name}"), output.stderr.clone()));
        output.status.code()
    };

    // Headless: login, status, profiles, lookup, download, failed logins, logout.
    assert_eq!(
        run(
            &["login", "--email", EMAIL, "--password-stdin"],
            &format!("{PASSWORD}\n"),
            &[]
        ),
        Some(0)
    );
    let mut tokens = vec![stored_token(&rig)];
    assert_eq!(run(&["status"], "", &[]), Some(0));
    assert_eq!(run(&["profiles"], "", &[]), Some(0));
    assert_eq!(run(&["process", "--id", "12345", "--json"], "", &[]), Some(0));
    assert_eq!(run(&["download", "98765"], "", &[]), Some(0));
    assert_eq!(
        run(
            &["login", "--email", EMAIL, "--password-stdin"],
            "not-the-right-one\n",
            &[]
        ),
        Some(3)
    );
    let closed = format!("http://127.0.0.1:{}/api", common::closed_port());
    let unreachable = run(
        &["--base-url", &closed, "login", "--email", EMAIL],
        "",
        &[("TRACKLINE_PASSWORD", PASSWORD)],
    );
    assert_ne!(unreachable, Some(0));
    assert_eq!(run(&["logout"], "", &[]), Some(0));

    // The TUI: a wrong password, then the right one kept in memory, a lookup,
    // a download, a silent renewal, and Ctrl-C.
    let url = rig.base_url();
    let mut app = PtyApp::spawn(
        &["--log-level", "debug", "--base-url", &url],
        rig.home.path(),
        &[],
        110,
        32,
    );
    app.wait_for_text("Log in to Trackline");
    app.send("wrong-password\r");
    app.wait_for_text("Wrong email or password");
    app.send(PASSWORD);
    let screen = app.wait_for_text("••••");
    assert!(!screen.contains(PASSWORD), "the password field is masked");
    app.send("\t ");
    app.wait_for_text("[x] Keep password in memory");
    app.send("\r");
    app.wait_for("the signed-in email in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains(EMAIL))
    });
    tokens.push(stored_token(&rig));
    app.send("12345\r");
    // The headless `download` above saved it: the TUI asks before a second copy.
    app.wait_for_text("✓ saved");
    app.send("\r");
    app.wait_for_text("Already saved:");
    app.send("\r");
    app.wait_for_text("1 done");
    rig.sandbox.expire_issued_tokens();
    app.send("/\r");
    app.wait_for_text("Session renewed");
    tokens.push(stored_token(&rig));
    app.send("\x03");
    app.wait_closed();
    app.wait_exit();
    printed.push(("the TUI's terminal output".into(), app.raw_output()));
    assert_eq!(rig.sandbox.login_count(), 5, "2 headless, 3 in the TUI (one silent)");

    let log = rig.home.path().join("xdg-state/trackline/trackline.log");
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(log_text.contains("DEBUG"), "debug logging was on");
    assert!(
        log_text.contains("logging in again"),
        "the renewal is logged, without secrets"
    );

    tokens.dedup();
    assert_eq!(tokens.len(), 3, "three logins stored three tokens");
    let sessions = rig.sessions_dir();
    let downloads = rig.downloads();
    let mut searched = 0;
    for file in files_under(rig.home.path()) {
        let bytes = std::fs::read(&file).unwrap();
        let what = file.display().to_string();
        assert!(!contains(&bytes, PASSWORD), "the password is in {what}");
        if file.starts_with(&sessions) {
            continue;
        }
        for token in &tokens {
            assert!(!contains(&bytes, token), "a token is in {what}");
        }
        if !file.starts_with(&downloads) {
            // Every JWT starts with "eyJ" (`{"` in base64): no token of any login is here.
            assert!(!contains(&bytes, "eyJ"), "something like a token is in {what}");
        }
        searched += 1;
    }
    assert!(searched >= 4, "the log, the config and data files, the downloads");
    let session_file = std::fs::read(sessions.join("default.json")).unwrap();
    assert!(
        contains(&session_file, tokens.last().unwrap()),
        "the token is in its store"
    );
    for (what, bytes) in &printed {
        assert!(!contains(bytes, PASSWORD), "the password is in the {what}");
        assert!(!contains(bytes, "eyJ"), "a token is in the {what}");
    }
}

#[test]
fn debug_output_hides_the_password_and_the_token() {
    let login = Command::Login {
        email: EMAIL.into(),
        password: SecretString::from(PASSWORD),
        base_url: "http://127.0.0.1:1/api".into(),
        remember_password: true,
    };
    let shown = format!("{login:?}");
    assert!(!shown.contains(PASSWORD) && shown.contains(EMAIL), "{shown}");
    let kept = trackline::engine::Credentials {
        email: EMAIL.into(),
        password: SecretString::from(PASSWORD),
    };
    assert!(!format!("{kept:?}").contains(PASSWORD));
    let session = trackline::store::Session::new(
        "default",
        "http://127.0.0.1:1/api",
        EMAIL,
        SecretString::from("eyJ-secret-token"),
    );
    assert!(!format!("{session:?}").contains("eyJ-secret-token"));
}
