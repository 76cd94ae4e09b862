//! `token_store = "keyring"` against a real Secret Service: gnome-keyring on
//! a private D-Bus session bus. The token goes there and nowhere in the data
//! dir, logout takes it out, and a locked collection or no service at all
//! falls back to the 0600 file with a warning.
#![cfg(target_os = "linux")]
// Helpers outside #[test] fns panic on failure too, as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tools::SecretService;
use common::{EMAIL, PASSWORD, Rig};
use std::path::{Path, PathBuf};
use std::process::Output;

fn keyring_rig() -> Rig {
    let rig = Rig::new();
    let config = rig.home.path().join("xdg-config/trackline");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "token_store = \"keyring\"\n").unwrap();
    rig
}

fn run(rig: &Rig, bus: &str, args: &[&str]) -> Output {
    let mut cmd = rig.cmd();
    cmd.env("DBUS_SESSION_BUS_ADDRESS", bus).args(args);
    if args.first() == Some(&"login") {
        cmd.write_stdin(format!("{PASSWORD}\n"));
    }
    cmd.output().unwrap()
}

const LOGIN: [&str; 4] = ["login", "--email", EMAIL, "--password-stdin"];

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The session file, which must hold the token when the keyring was not used.
fn token_in_file(rig: &Rig) -> String {
    let path = rig.sessions_dir().join("default.json");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    stored["token"].as_str().expect("the token in the file").to_string()
}

#[test]
fn login_stores_the_token_in_the_keyring_and_logout_takes_it_out() {
    let rig = keyring_rig();
    let service = SecretService::start(&rig.home.path().join("keyring-home"));
    let login = run(&rig, service.address(), &LOGIN);
    assert!(login.status.success(), "{}", stderr(&login));
    assert!(!stderr(&login).contains("warning"), "{}", stderr(&login));
    let token = service.lookup("default").expect("the token in the keyring");
    assert_eq!(token.matches('.').count(), 2, "a JWT: {token}");
    for file in files_under(&rig.data_dir()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token is in {}",
            file.display()
        );
    }
    let process = run(&rig, service.address(), &["process", "--id", "12345"]);
    assert!(process.status.success(), "{}", stderr(&process));
    assert_eq!(
        rig.sandbox.login_count(),
        1,
        "the second command read the token from the keyring"
    );
    let logout = run(&rig, service.address(), &["logout"]);
    assert!(logout.status.success(), "{}", stderr(&logout));
    assert_eq!(service.lookup("default"), None, "logout left the token in the keyring");
    assert!(!rig.sessions_dir().join("default.json").exists());
}

#[test]
fn a_locked_keyring_falls_back_to_the_file_with_a_warning() {
    let rig = keyring_rig();
    let service = SecretService::start(&rig.home.path().join("keyring-home"));
    service.lock();
    let login = run(&rig, service.address(), &LOGIN);
    let message = stderr(&login);
    assert!(login.status.success(), "{message}");
    assert!(
        message.contains("warning: the OS keyring is not available"),
        "{message}"
    );
    assert!(message.contains("mode 0600"), "{message}");
    assert!(!token_in_file(&rig).is_empty());
    let process = run(&rig, service.address(), &["process", "--id", "12345"]);
    assert!(process.status.success(), "{}", stderr(&process));
}

#[test]
fn no_secret_service_on_the_bus_falls_back_to_the_file_with_a_warning() {
    let rig = keyring_rig();
    let nowhere = format!("unix:path={}", rig.home.path().join("no-bus-here").display());
    let login = run(&rig, &nowhere, &LOGIN);
    let message = stderr(&login);
    assert!(login.status.success(), "{message}");
    assert!(
        message.contains("warning: the OS keyring is not available"),
        "{message}"
    );
    assert!(!token_in_file(&rig).is_empty());
}
