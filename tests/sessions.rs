//! Profiles, sessions that end, silent renewal and token storage, through the
//! real binary: headless commands and the TUI in a pseudo-terminal, against
//! sandboxes on loopback. Sessions end on the server's word
//! (`Sandbox::expire_issued_tokens`), so no test waits for a clock.
// Helpers outside #[test] fns panic on failure too, as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::PtyApp;
use common::{EMAIL, PASSWORD, Rig, bare_cmd, sha256_file};
use std::path::Path;
use trackline::sandbox::sample_data;

const METADATA: &str = "/api/track-line/ext/track-path/metadata";

fn write_config(home: &Path, text: &str) {
    let dir = home.join("xdg-config").join("trackline");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

fn two_profiles(home: &Path, a: &Rig, b: &Rig) {
    write_config(
        home,
        &format!(
            "[profiles.a]\nbase_url = \"{}\"\n\n[profiles.b]\nbase_url = \"{}\"\nemail = \"{EMAIL}\"\n",
            a.base_url(),
            b.base_url()
        ),
    );
}

fn login(home: &Path, profile: &str) {
    bare_cmd(home)
        .args(["--profile", profile, "login", "--email", EMAIL, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
}

fn metadata_requests(rig: &Rig) -> usize {
    rig.sandbox.requests().iter().filter(|r| r.path == METADATA).count()
}

fn session_file(home: &Path, profile: &str) -> std::path::PathBuf {
    home.join("xdg-data")
        .join("trackline")
        .join("sessions")
        .join(format!("{profile}.json"))
}

#[test]
fn two_profiles_on_two_servers_keep_their_own_sessions() {
    let a = Rig::new();
    let b = Rig::new();
    assert_ne!(a.base_url(), b.base_url());
    let home = a.home.path();
    two_profiles(home, &a, &b);

    login(home, "a");
    // TRACKLINE_PROFILE chooses the profile as --profile does.
    bare_cmd(home)
        .env("TRACKLINE_PROFILE", "b")
        .args(["login", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    assert_eq!((a.sandbox.login_count(), b.sandbox.login_count()), (1, 1));
    let token_a = std::fs::read_to_string(session_file(home, "a")).unwrap();
    let token_b = std::fs::read_to_string(session_file(home, "b")).unwrap();
    assert!(token_a.contains(&a.base_url()) && token_b.contains(&b.base_url()));

    bare_cmd(home)
        .args(["--profile", "a", "process", "--id", "12345"])
        .assert()
        .success();
    assert_eq!((metadata_requests(&a), metadata_requests(&b)), (1, 0));
    bare_cmd(home)
        .env("TRACKLINE_PROFILE", "b")
        .args(["process", "--id", "12345"])
        .assert()
        .success();
    assert_eq!((metadata_requests(&a), metadata_requests(&b)), (1, 1));
    assert!(
        b.sandbox
            .requests()
            .iter()
            .all(|r| r.path != METADATA || r.authorization)
    );

    let listed = bare_cmd(home).args(["--profile", "a", "profiles"]).output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let line = |name: &str| {
        listed
            .lines()
            .find(|l| l.split_whitespace().any(|w| w == name))
            .unwrap_or_else(|| panic!("no line for {name}:\n{listed}"))
            .to_string()
    };
    assert!(
        line("a").starts_with('*') && line("a").contains("logged in"),
        "{listed}"
    );
    assert!(
        line("b").contains("logged in") && line("b").contains(&b.base_url()),
        "{listed}"
    );

    // Logging out of one profile leaves the other signed in.
    bare_cmd(home).args(["--profile", "a", "logout"]).assert().success();
    bare_cmd(home).args(["--profile", "a", "status"]).assert().code(3);
    bare_cmd(home).args(["--profile", "b", "status"]).assert().success();
    bare_cmd(home)
        .args(["--profile", "a", "process", "--id", "12345"])
        .assert()
        .code(3);
    bare_cmd(home).args(["logout", "--all"]).assert().success();
    bare_cmd(home).args(["--profile", "b", "status"]).assert().code(3);
    assert!(!session_file(home, "b").exists());
}

#[test]
fn there_is_no_password_flag() {
    let home = tempfile::TempDir::new().unwrap();
    let assert = bare_cmd(home.path())
        .args(["login", "--email", EMAIL, "--password", "hunter2"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("--password"), "{stderr}");
    assert!(!home.path().join("xdg-data/trackline/sessions").exists());
}

#[cfg(unix)]
#[test]
fn the_token_file_is_private_even_under_umask_000() {
    use std::os::unix::fs::PermissionsExt as _;
    let rig = Rig::new();
    let home = rig.home.path();
    let output = common::isolated("sh", home)
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_trackline"))
        .args(["login", "--email", EMAIL, "--password-stdin"])
        .env("TRACKLINE_BASE_URL", rig.base_url())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{PASSWORD}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&session_file(home, "default")), 0o600);
    assert_eq!(mode(&rig.sessions_dir()), 0o700);
    assert_eq!(mode(&rig.data_dir().join("profiles.json")), 0o600);
}

/// Where no Secret Service runs (CI) the keyring falls back to the file with
/// a warning; where one runs, the file holds no token. Either way the
/// session works and `logout` removes it.
#[test]
fn the_keyring_store_falls_back_to_the_file_with_a_warning() {
    let rig = Rig::new();
    let home = rig.home.path();
    let profile = format!("kr{}", std::process::id());
    write_config(home, &format!("token_store = \"keyring\"\n\n[profiles.{profile}]\n"));
    let assert = rig
        .cmd()
        .args(["--profile", &profile, "login", "--email", EMAIL, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let file = std::fs::read_to_string(session_file(home, &profile)).unwrap();
    if stderr.contains("keyring is not available") {
        assert!(file.contains("\"token\""), "the fallback keeps the token in the file");
        let log = std::fs::read_to_string(home.join("xdg-state/trackline/trackline.log")).unwrap();
        assert!(log.contains("keyring is not available"), "{log}");
    } else {
        assert!(!file.contains("\"token\""), "{file}");
    }
    rig.cmd().args(["--profile", &profile, "status"]).assert().success();
    rig.cmd()
        .args(["--profile", &profile, "process", "--id", "12345"])
        .assert()
        .success();
    rig.cmd().args(["--profile", &profile, "logout"]).assert().success();
    rig.cmd().args(["--profile", &profile, "status"]).assert().code(3);
}

// ----- the TUI ---------------------------------------------------------------

fn tui(rig: &Rig) -> PtyApp {
    let url = rig.base_url();
    PtyApp::spawn(&["--base-url", &url], rig.home.path(), &[], 110, 32)
}

/// Logs in through the dialog; `keep` ticks "Keep password in memory".
fn tui_login(app: &mut PtyApp, keep: bool) {
    app.wait_for_text("Log in to Trackline");
    app.send(EMAIL);
    app.send("\t");
    app.send(PASSWORD);
    if keep {
        app.send("\t ");
        app.wait_for_text("[x] Keep password in memory");
    }
    app.send("\r");
    app.wait_for("the signed-in email in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains(EMAIL))
    });
}

fn look_up(app: &mut PtyApp, id: &str, name: &str) {
    app.send(id);
    app.send("\r");
    app.wait_for_text(name);
}

fn quit(mut app: PtyApp) {
    app.send("\x03");
    app.wait_closed();
    app.wait_exit();
}

#[test]
fn an_ended_session_renews_silently_once_when_the_password_is_kept() {
    let rig = Rig::new();
    let mut app = tui(&rig);
    tui_login(&mut app, true);
    look_up(&mut app, "12345", "Invoice_001.pdf");
    assert_eq!(rig.sandbox.login_count(), 1);

    rig.sandbox.expire_issued_tokens();
    // Download the selected document: refused, renewed, done, without a dialog.
    app.send("\r");
    let screen = app.wait_for_text("1 done");
    assert!(!screen.contains("Log in to Trackline"), "{screen}");
    assert_eq!(rig.sandbox.login_count(), 2, "exactly one silent login");
    let saved = app_download(&rig, "Invoice_001.pdf");
    assert_eq!(sha256_file(&saved), sample_data().document_sha256("98765").unwrap());
    quit(app);
}

fn app_download(rig: &Rig, name: &str) -> std::path::PathBuf {
    rig.downloads().join("12345 Odoo Billing Process").join(name)
}

#[test]
fn without_the_password_kept_the_dialog_returns_and_the_lookup_runs_after_login() {
    let rig = Rig::new();
    let mut app = tui(&rig);
    tui_login(&mut app, false);
    look_up(&mut app, "12345", "Odoo Billing Process");

    rig.sandbox.expire_issued_tokens();
    app.send("/");
    app.send(&"\x7f".repeat(5));
    app.send("12346\r");
    app.wait_for_text("Your session has ended");
    assert_eq!(rig.sandbox.login_count(), 1, "no silent login without the password");
    app.send(PASSWORD);
    app.send("\r");
    app.wait_for_text("Quarterly VAT Filing Q1");
    assert_eq!(rig.sandbox.login_count(), 2);
    quit(app);
}

#[test]
fn a_server_that_refuses_the_renewed_token_too_gets_one_relogin_then_the_dialog() {
    let rig = Rig::new();
    let mut app = tui(&rig);
    tui_login(&mut app, true);
    rig.sandbox.refuse_all_tokens(true);
    app.send("12345\r");
    app.wait_for_text("Your session has ended");
    assert_eq!(rig.sandbox.login_count(), 2, "one login, one silent re-login, no more");
    assert_eq!(metadata_requests(&rig), 2, "the lookup, and its one retry");
    quit(app);
}

#[test]
fn p_switches_profiles_without_restarting() {
    let a = Rig::new();
    let b = Rig::new();
    let home = a.home.path();
    two_profiles(home, &a, &b);
    login(home, "a");
    login(home, "b");
    let mut app = PtyApp::spawn(&["--profile", "a"], home, &[], 110, 32);
    app.wait_for("profile a in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains("│ a │"))
    });
    look_up(&mut app, "12345", "Odoo Billing Process");
    assert_eq!((metadata_requests(&a), metadata_requests(&b)), (1, 0));

    app.send("P");
    app.wait_for_text("Switch profile");
    app.send("j\r");
    let screen = app.wait_for("profile b in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains("│ b │"))
    });
    assert!(screen.lines().next().unwrap().contains(&b.base_url()), "{screen}");
    assert!(!screen.contains("Log in to Trackline"), "b has its own session");
    // What a's server showed is gone (wait for the whole frame: the pty may
    // deliver it in pieces).
    app.wait_for("the documents of a cleared", |s| !s.contains("Invoice_001.pdf"));
    // The search box has the focus again, with the last query in it.
    app.send("\r");
    // Its documents (not the recent list, which stays) show that b answered.
    app.wait_for_text("Invoice_001.pdf");
    assert_eq!((metadata_requests(&a), metadata_requests(&b)), (1, 1));
    assert_eq!((a.sandbox.login_count(), b.sandbox.login_count()), (1, 1));
    quit(app);
}
