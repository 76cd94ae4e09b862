//! The headless commands, run as the real binary against the real sandbox on
//! 127.0.0.1 over real sockets.

mod common;

use common::{EMAIL, PASSWORD, Rig, bare_cmd, closed_port, sha256_file, stdout_lines};
use predicates::prelude::*;
use secrecy::SecretString;
use std::path::PathBuf;
use trackline::sandbox::sample_data;
use trackline::store::{Session, TokenStore};

#[test]
fn login_status_process_logout_round_trip() {
    let rig = Rig::new();
    rig.cmd()
        .args(["login", "--email", EMAIL, "--password-stdin"])
        .write_stdin("demo\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("Logged in as demo@trackline.local"));

    rig.cmd()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains(EMAIL).and(predicate::str::contains("valid, expires")));

    rig.cmd().args(["process", "--id", "12345"]).assert().success().stdout(
        predicate::str::contains("Odoo Billing Process")
            .and(predicate::str::contains("In Progress"))
            .and(predicate::str::contains("98765"))
            .and(predicate::str::contains("Invoice_001.pdf")),
    );

    rig.cmd().arg("logout").assert().success();
    rig.cmd()
        .arg("status")
        .assert()
        .code(3)
        .stdout(predicate::str::contains("not logged in"));
    rig.cmd()
        .args(["process", "--id", "12345"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("trackline login"));
}

#[test]
fn the_session_file_is_private_and_holds_no_password() {
    let rig = Rig::new();
    rig.login();
    let files: Vec<PathBuf> = std::fs::read_dir(rig.sessions_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let content = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        !content.contains("\"demo\""),
        "the password must not be stored: {content}"
    );
}

#[test]
fn wrong_password_exits_3_and_says_so() {
    let rig = Rig::new();
    rig.cmd()
        .args(["login", "--email", EMAIL, "--password-stdin"])
        .write_stdin("wrong\n")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("wrong email or password"));
    assert!(!rig.sessions_dir().exists() || std::fs::read_dir(rig.sessions_dir()).unwrap().next().is_none());
}

#[test]
fn process_json_keeps_every_field_and_numeric_ids() {
    let rig = Rig::new();
    rig.login();
    let output = rig.cmd().args(["process", "--id", "31337", "--json"]).output().unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["process_id"], "31337");
    assert_eq!(value["name"], "Payroll Export");
    let sent = sample_data().process("31337").unwrap();
    for (key, _) in sent.as_object().unwrap() {
        assert!(value.get(key).is_some(), "--json dropped the field {key}");
    }
}

#[test]
fn a_name_shared_by_two_processes_prints_an_array() {
    let rig = Rig::new();
    rig.login();
    let output = rig
        .cmd()
        .args(["process", "--name", "Month-End Close", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["process_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["12360", "12361"]);
}

#[test]
fn unknown_process_exits_4() {
    let rig = Rig::new();
    rig.login();
    rig.cmd()
        .args(["process", "--id", "999999999"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("process 999999999 was not found"));
}

#[test]
fn server_not_running_exits_5_after_retries() {
    let home = tempfile::TempDir::new().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[retry]\nmax_attempts = 2\nmax_delay_secs = 1\n").unwrap();
    let url = format!("http://127.0.0.1:{}/api", closed_port());
    bare_cmd(home.path())
        .args([
            "--config",
            config.to_str().unwrap(),
            "--base-url",
            &url,
            "login",
            "--email",
            EMAIL,
            "--password-stdin",
        ])
        .write_stdin("demo\n")
        .assert()
        .code(5)
        .stderr(predicate::str::contains("cannot reach"));
    // A stored session against a dead server: the lookup is retried, then exit 5.
    let store = TokenStore::new(home.path().join("xdg-data/trackline/sessions"));
    store
        .save(&Session::new(
            "default",
            url.clone(),
            EMAIL,
            SecretString::from("not-a-jwt".to_string()),
        ))
        .unwrap();
    bare_cmd(home.path())
        .args([
            "--config",
            config.to_str().unwrap(),
            "--base-url",
            &url,
            "process",
            "--id",
            "12345",
        ])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("retrying in").and(predicate::str::contains("attempt 2 of 2")));
}

#[test]
fn an_expired_token_with_env_credentials_logs_in_again_by_itself() {
    let rig = Rig::new();
    rig.login();
    assert_eq!(rig.sandbox.login_count(), 1);
    let store = TokenStore::new(rig.sessions_dir());
    let mut session = store.load("default").unwrap().unwrap();
    let past = time::OffsetDateTime::now_utc().unix_timestamp() as u64 - 60;
    session.token = SecretString::from(rig.sandbox.issue_token_expiring_at(past).unwrap());
    session.expires_at = time::OffsetDateTime::from_unix_timestamp(past as i64).ok();
    store.save(&session).unwrap();

    // Without credentials in the environment: exit 3, a message that says
    // what happened (the session ended, not "not logged in") and what to do.
    rig.cmd().args(["process", "--id", "12345"]).assert().code(3).stderr(
        predicate::str::contains("trackline login")
            .and(predicate::str::contains("the session of demo@trackline.local ended at"))
            .and(predicate::str::contains("not logged in").not()),
    );
    // With them: a fresh login, and the lookup succeeds.
    rig.cmd()
        .args(["process", "--id", "12345"])
        .env("TRACKLINE_EMAIL", EMAIL)
        .env("TRACKLINE_PASSWORD", PASSWORD)
        .assert()
        .success()
        .stdout(predicate::str::contains("Odoo Billing Process"));
    assert_eq!(rig.sandbox.login_count(), 2);
    assert!(
        !store
            .load("default")
            .unwrap()
            .unwrap()
            .is_expired(time::OffsetDateTime::now_utc())
    );
}

#[test]
fn a_token_the_server_refuses_is_renewed_once_from_env_credentials() {
    let rig = Rig::new();
    let store = TokenStore::new(rig.sessions_dir());
    // A token this sandbox never signed, with no expiry the client can read.
    store
        .save(&Session::new(
            "default",
            rig.base_url(),
            EMAIL,
            SecretString::from("forged.token.value".to_string()),
        ))
        .unwrap();
    rig.cmd()
        .args(["process", "--id", "12345"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("login"));
    rig.cmd()
        .args(["process", "--id", "12345"])
        .env("TRACKLINE_EMAIL", EMAIL)
        .env("TRACKLINE_PASSWORD", PASSWORD)
        .assert()
        .success();
    assert_eq!(rig.sandbox.login_count(), 1);
}

#[test]
fn env_credentials_log_in_without_a_stored_session() {
    let rig = Rig::new();
    let output = rig
        .cmd()
        .args(["download", "98765", "--json"])
        .env("TRACKLINE_EMAIL", EMAIL)
        .env("TRACKLINE_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["attachment_id"], "98765");
    assert_eq!(line["sha256"], sample_data().document_sha256("98765").unwrap());
    let path = PathBuf::from(line["path"].as_str().unwrap());
    assert!(path.is_absolute());
    assert!(path.starts_with(rig.downloads()));
    assert_eq!(line["bytes"], std::fs::metadata(&path).unwrap().len());
}

#[test]
fn every_sample_file_arrives_with_the_sandbox_sha256() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("out");
    let ids = ["98765", "98766", "98767", "98768", "98770", "98773"];
    let output = rig
        .cmd()
        .arg("download")
        .args(ids)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let paths = stdout_lines(&output);
    assert_eq!(paths.len(), ids.len());
    for (id, path) in ids.iter().zip(&paths) {
        let path = PathBuf::from(path);
        assert_eq!(path.parent().unwrap(), out.as_path());
        assert_eq!(
            sha256_file(&path),
            sample_data().document_sha256(id).unwrap(),
            "attachment {id}"
        );
    }
    let names: Vec<String> = paths
        .iter()
        .map(|p| PathBuf::from(p).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names[0], "Invoice_001.pdf");
    assert_eq!(names[1], "XRechnung_2024_0042.xml");
    assert!(std::fs::read(&paths[0]).unwrap().starts_with(b"%PDF-"));
    assert!(std::fs::read(&paths[2]).unwrap().starts_with(b"PK\x03\x04"));
    assert!(std::fs::read(&paths[3]).unwrap().starts_with(&[0xff, 0xd8, 0xff]));
}

#[test]
fn the_same_document_twice_gives_two_files() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("twice");
    let first = rig.cmd().args(["download", "98765", "-o"]).arg(&out).output().unwrap();
    // Without --force the second would give back the first (see tests/index.rs).
    let second = rig
        .cmd()
        .args(["download", "98765", "--force", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let first = PathBuf::from(stdout_lines(&first)[0].clone());
    let second = PathBuf::from(stdout_lines(&second)[0].clone());
    assert_eq!(first.file_name().unwrap(), "Invoice_001.pdf");
    assert_eq!(second.file_name().unwrap(), "Invoice_001 (1).pdf");
    assert_eq!(sha256_file(&first), sha256_file(&second));
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_file_is_written_once_and_never_overwritten() {
    let rig = Rig::new();
    rig.login();
    let target = rig.home.path().join("invoice.pdf");
    rig.cmd()
        .args(["download", "98765", "--output"])
        .arg(&target)
        .assert()
        .success();
    assert_eq!(sha256_file(&target), sample_data().document_sha256("98765").unwrap());
    rig.cmd()
        .args(["download", "98765", "--output"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn hostile_names_are_saved_inside_the_target_dir() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("hostile");
    let hostile = sample_data().process("66666").unwrap();
    let ids: Vec<String> = hostile["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["doc_id"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| d["doc_id"].to_string())
        })
        .collect();
    let output = rig
        .cmd()
        .arg("download")
        .args(&ids)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let paths = stdout_lines(&output);
    assert_eq!(paths.len(), ids.len());
    let canonical_out = out.canonicalize().unwrap();
    for path in &paths {
        let path = PathBuf::from(path);
        assert_eq!(
            path.parent().unwrap().canonicalize().unwrap(),
            canonical_out,
            "{path:?} escaped"
        );
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.starts_with('.') && !name.starts_with('-'), "{name:?}");
        assert!(name.chars().all(|c| !c.is_control() && c != '\u{202e}'), "{name:?}");
        assert!(name.len() <= 255);
    }
    // Nothing was written outside the target dir.
    assert!(!rig.home.path().join("x").exists());
}

#[test]
fn download_of_a_whole_process_goes_into_its_folder() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("bulk");
    let output = rig
        .cmd()
        .args(["download", "--process", "12346", "--all", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let paths = stdout_lines(&output);
    assert_eq!(paths.len(), 4);
    let folder = out.join("12346 Quarterly VAT Filing Q1");
    for path in &paths {
        assert_eq!(PathBuf::from(path).parent().unwrap(), folder.as_path());
    }
    let only_xml = rig
        .cmd()
        .args(["download", "--process", "12346", "--type", "e-invoice", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(only_xml.status.success());
    let xml = stdout_lines(&only_xml);
    assert_eq!(xml.len(), 1, "{xml:?}");
    assert!(xml[0].ends_with(".xml"), "{xml:?}");
}

#[test]
fn unknown_attachment_exits_4() {
    let rig = Rig::new();
    rig.login();
    rig.cmd()
        .args(["download", "424242"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("attachment 424242"));
}

#[test]
fn plain_http_to_a_remote_host_is_refused_with_the_way_out() {
    let home = tempfile::TempDir::new().unwrap();
    bare_cmd(home.path())
        .args(["--base-url", "http://example.invalid/api", "process", "--id", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--allow-insecure-http"));
}

#[test]
fn profiles_lists_login_state() {
    let rig = Rig::new();
    rig.login();
    rig.cmd()
        .arg("profiles")
        .assert()
        .success()
        .stdout(predicate::str::contains("default").and(predicate::str::contains("logged in")));

    // After logout the row still says whose it was and where, not blank columns.
    rig.cmd().arg("logout").assert().success();
    let listed = rig.cmd().arg("profiles").output().unwrap();
    let stdout = String::from_utf8_lossy(&listed.stdout);
    let row = stdout.lines().find(|l| l.contains("default")).unwrap();
    assert!(
        row.contains("logged out") && row.contains(EMAIL) && row.contains(&rig.base_url()),
        "{stdout}"
    );
}

#[test]
fn logout_all_removes_every_session() {
    let rig = Rig::new();
    rig.login();
    rig.cmd()
        .args(["--profile", "second", "login", "--email", EMAIL, "--password-stdin"])
        .write_stdin("demo\n")
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(rig.sessions_dir()).unwrap().count(), 2);
    rig.cmd().args(["logout", "--all"]).assert().success();
    assert_eq!(std::fs::read_dir(rig.sessions_dir()).unwrap().count(), 0);
}

#[test]
fn usage_mistakes_exit_2() {
    let home = tempfile::TempDir::new().unwrap();
    bare_cmd(home.path()).args(["process"]).assert().code(2);
    bare_cmd(home.path())
        .args(["download", "1", "--output", "a", "-o", "b"])
        .assert()
        .code(2);
    bare_cmd(home.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("trackline "));
}

/// `trackline config show | head -1` and friends: when the reader of stdout
/// has gone, every command stops quietly (no panic, no message) with 141,
/// 128 + SIGPIPE. The pipe's read end is closed before the command starts, so
/// its first write meets the closed pipe.
#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let rig = Rig::new();
    rig.login();
    let commands: [&[&str]; 8] = [
        &["config", "show"],
        &["config", "path"],
        &["completions", "bash"],
        &["man"],
        &["status"],
        &["profiles"],
        &["process", "--id", "12345"],
        &["download", "98765"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = common::isolated(env!("CARGO_BIN_EXE_trackline"), rig.home.path())
            .env("TRACKLINE_BASE_URL", rig.base_url())
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(141), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} said something: {stderr}");
    }
}

/// Every failure is said once: a missing attachment is one line (it used to
/// be "attachment 98771: attachment 98771 was not found…" and then the same
/// again), a download folder that is a file is refused up front with one line
/// that says so (it used to fail five times as "cannot write").
#[test]
fn each_failure_is_said_once() {
    let rig = Rig::new();
    rig.login();
    let missing = rig.cmd().args(["download", "98771"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(stderr.matches("98771").count(), 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let file = rig.home.path().join("afile");
    std::fs::write(&file, "not a folder").unwrap();
    let into_file = rig
        .cmd()
        .args(["download", "--process", "12346", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(into_file.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&into_file.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("afile is not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");

    let both_missing = rig.cmd().args(["download", "98771", "98771"]).output().unwrap();
    assert_eq!(both_missing.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&both_missing.stderr);
    assert_eq!(stderr.matches("was not found").count(), 1, "{stderr}");
    assert!(stderr.contains("all 2 downloads failed"), "{stderr}");
}

/// `TRACKLINE_BASE_URL` keeps its precedence over a profile's server, but
/// `status` says so, naming the profile's own server.
#[test]
fn status_says_when_the_server_is_not_the_profiles() {
    let rig = Rig::new();
    let config = rig.home.path().join("xdg-config").join("trackline").join("config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "[profiles.default]\nbase_url = \"https://prod.example/api\"\n").unwrap();
    let output = rig.cmd().arg("status").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "Server:   {} (from TRACKLINE_BASE_URL, not the profile's https://prod.example/api)",
            rig.base_url()
        )),
        "{stdout}"
    );
    let own = bare_cmd(rig.home.path()).arg("status").output().unwrap();
    let stdout = String::from_utf8_lossy(&own.stdout);
    assert!(stdout.contains("Server:   https://prod.example/api\n"), "{stdout}");
}

/// "Look at the log" helps: every request is there with its method, path,
/// status and time, and so are retries and the automatic login; never a token
/// or a password.
#[test]
fn the_log_holds_every_request_and_no_secret() {
    let rig = Rig::new();
    let output = rig
        .cmd()
        .args(["process", "--id", "12345"])
        .env("TRACKLINE_EMAIL", EMAIL)
        .env("TRACKLINE_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success());
    rig.cmd().args(["download", "98765"]).output().unwrap();
    let log_file = rig
        .home
        .path()
        .join("xdg-state")
        .join("trackline")
        .join("trackline.log");
    let log = std::fs::read_to_string(&log_file).unwrap();
    let has = |words: &[&str]| log.lines().any(|l| words.iter().all(|w| l.contains(w)));
    assert!(has(&["request", "POST", "/api/login", "status=200"]), "{log}");
    assert!(
        has(&[
            "request",
            "GET",
            "/api/track-line/ext/track-path/metadata?process_id=12345",
            "status=200",
            "ms="
        ]),
        "{log}"
    );
    assert!(has(&["GET", "attachment_id=98765", "status=200"]), "{log}");
    assert!(has(&["download saved", "98765"]), "{log}");
    assert!(has(&["logging in with the configured credentials"]), "{log}");
    let token = TokenStore::new(rig.sessions_dir()).load("default").unwrap().unwrap();
    use secrecy::ExposeSecret as _;
    assert!(!log.contains(token.token.expose_secret()), "the token reached the log");
    assert!(!log.contains("\"demo\""), "the password reached the log");
}

/// A key of the additional data as long as the label column still has a
/// space before its value.
#[test]
fn a_long_additional_data_key_keeps_a_space_before_its_value() {
    let rig = Rig::new();
    rig.login();
    for lang in ["en", "es"] {
        let output = rig
            .cmd()
            .env("TRACKLINE_LANG", lang)
            .args(["process", "--id", "12348"])
            .output()
            .unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains("\nerror_message Bank rejected the batch"),
            "{lang}: {text}"
        );
        assert!(text.contains("\nretry_count 3\n"), "{lang}: {text}");
    }
}
