//! The fault suite: retries, stalls, redirects and bad input from the user.
//! Each test makes the network, the server or the user misbehave and checks
//! that nothing is lost, nothing leaks, and the user is told what to do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod tui_fixtures;

use common::inprocess::TuiRig;
use common::raw::{RawServer, Reply, json};
use common::{Rig, closed_port, sha256_file};
use crossterm::event::KeyCode;
use secrecy::SecretString;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use trackline::api::client::{RetryNotice, retry_summary};
use trackline::api::{ApiError, Client, ClientOptions, ProcessQuery, RetryPolicy};
use trackline::sandbox::{DEMO_EMAIL, DEMO_PASSWORD, Faults, Sandbox, SandboxOptions, sample_data};
use trackline::transfer::{DownloadRequest, TransferOptions, download_with};
use trackline::worker::{DownloadId, Event, RetryTarget};
use tui_fixtures::{ev, fetched, key, render, type_text};

/// The small photo, the largest embedded sample file.
const PHOTO_DOC_ID: &str = "98768";

type Notices = Arc<Mutex<Vec<RetryNotice>>>;

/// A policy with short waits that records every retry notice.
fn recording(attempts: usize, max_delay: Duration) -> (RetryPolicy, Notices) {
    let notices: Notices = Arc::default();
    let seen = notices.clone();
    let policy = RetryPolicy {
        max_attempts: attempts,
        min_delay: Duration::from_millis(10),
        max_delay,
        on_retry: Some(Arc::new(move |n: &RetryNotice| seen.lock().unwrap().push(n.clone()))),
    };
    (policy, notices)
}

fn client(base_url: &str, retry: RetryPolicy, read_timeout: Option<Duration>) -> Client {
    Client::new(
        base_url,
        ClientOptions {
            retry,
            read_timeout,
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

async fn sandbox(faults: Faults) -> Sandbox {
    Sandbox::start(SandboxOptions {
        faults,
        ..SandboxOptions::default()
    })
    .await
    .unwrap()
}

async fn login(sandbox: &Sandbox, client: &Client) -> Client {
    let bare = Client::new(&sandbox.base_url(), ClientOptions::default()).unwrap();
    let token = bare
        .login(DEMO_EMAIL, &SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap();
    client.with_token(token)
}

fn id(text: &str) -> ProcessQuery {
    ProcessQuery::Id(text.to_string())
}

fn attempts(notices: &Notices) -> Vec<(usize, usize)> {
    notices
        .lock()
        .unwrap()
        .iter()
        .map(|n| (n.attempt, n.max_attempts))
        .collect()
}

// ----- 1. retries -------------------------------------------------------------

#[test]
fn a_retry_reads_as_the_ui_shows_it() {
    assert_eq!(
        retry_summary(2, 5, Duration::from_millis(2_300)),
        "retrying in 3 s (attempt 2 of 5)"
    );
    assert_eq!(
        retry_summary(3, 3, Duration::from_secs(1)),
        "retrying in 1 s (attempt 3 of 3)"
    );
}

#[tokio::test]
async fn lookups_are_retried_on_502_503_504_and_429_then_succeed() {
    let body = sample_data().process("12345").unwrap().to_string();
    let server = RawServer::start(move |n| match n {
        0 => json("502 Bad Gateway", b"{\"message\":\"upstream\"}"),
        1 => json("503 Service Unavailable", b""),
        2 => json("504 Gateway Timeout", b""),
        3 => common::raw::reply("429 Too Many Requests", &["retry-after: 0"], "application/json", b""),
        _ => json("200 OK", body.as_bytes()),
    });
    let (policy, notices) = recording(5, Duration::from_millis(50));
    let c = client(&server.base_url(), policy, None).with_token(SecretString::from("t"));
    let found = c.process(&id("12345")).await.unwrap();
    assert_eq!(found[0].process_id.as_str(), "12345");
    assert_eq!(server.hits(), 5);
    assert_eq!(attempts(&notices), [(2, 5), (3, 5), (4, 5), (5, 5)]);
}

#[tokio::test]
async fn retries_stop_at_the_configured_number_of_attempts() {
    let s = sandbox(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let (policy, notices) = recording(3, Duration::from_millis(20));
    let c = client(&s.base_url(), policy, None).with_token(SecretString::from("t"));
    let error = c.process(&id("12345")).await.unwrap_err();
    assert!(matches!(error, ApiError::Server { status: 503, .. }), "{error}");
    assert_eq!(error.exit_code(), 5);
    let metadata = s.requests().iter().filter(|r| r.path.ends_with("/metadata")).count();
    assert_eq!(metadata, 3);
    assert_eq!(attempts(&notices), [(2, 3), (3, 3)]);
}

#[tokio::test]
async fn a_server_error_that_may_not_pass_is_not_retried() {
    let server = RawServer::start(|_| json("500 Internal Server Error", b"{\"message\":\"boom\"}"));
    let (policy, notices) = recording(5, Duration::from_millis(20));
    let c = client(&server.base_url(), policy, None).with_token(SecretString::from("t"));
    let error = c.process(&id("1")).await.unwrap_err();
    assert_eq!(error.to_string(), "the server answered 500 (boom)");
    assert_eq!(server.hits(), 1);
    assert!(notices.lock().unwrap().is_empty());
}

#[tokio::test]
async fn retry_after_is_honoured_but_capped() {
    let body = sample_data().process("12345").unwrap().to_string();
    let server = RawServer::start(move |n| match n {
        0 => common::raw::reply(
            "503 Service Unavailable",
            &["retry-after: 3600"],
            "application/json",
            b"",
        ),
        _ => json("200 OK", body.as_bytes()),
    });
    let cap = Duration::from_millis(200);
    let (policy, notices) = recording(3, cap);
    let c = client(&server.base_url(), policy, None).with_token(SecretString::from("t"));
    c.process(&id("12345")).await.unwrap();
    let delay = notices.lock().unwrap()[0].delay;
    // An hour was asked; the wait is the cap, not an hour.
    assert!(delay >= cap && delay < Duration::from_secs(2), "{delay:?}");
}

#[tokio::test]
async fn connect_errors_and_timeouts_are_retried() {
    let (policy, notices) = recording(2, Duration::from_millis(20));
    let url = format!("http://127.0.0.1:{}/api", closed_port());
    let c = client(&url, policy, None).with_token(SecretString::from("t"));
    let error = c.process(&id("1")).await.unwrap_err();
    assert!(matches!(error, ApiError::Connect { .. }), "{error}");
    assert_eq!(attempts(&notices), [(2, 2)]);

    let silent = RawServer::start(|_| Reply::Silence);
    let (policy, notices) = recording(2, Duration::from_millis(20));
    let c = client(&silent.base_url(), policy, Some(Duration::from_millis(300))).with_token(SecretString::from("t"));
    let error = c.process(&id("1")).await.unwrap_err();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error}");
    assert!(error.to_string().contains("did not answer in time"));
    assert_eq!(silent.hits(), 2);
    assert_eq!(attempts(&notices), [(2, 2)]);
}

/// A login the server answered (even with a 503) is never sent again; one that
/// never reached it (the connection was refused) is retried like every other
/// request, so `TRACKLINE_EMAIL` logins ride out a server that is starting.
#[tokio::test]
async fn a_login_is_retried_only_when_it_never_reached_the_server() {
    let (policy, notices) = recording(3, Duration::from_millis(10));
    let url = format!("http://127.0.0.1:{}/api", closed_port());
    let error = client(&url, policy, None)
        .login(DEMO_EMAIL, &SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Connect { .. }), "{error}");
    assert_eq!(attempts(&notices), [(2, 3), (3, 3)]);
}

#[tokio::test]
async fn login_is_never_retried() {
    let s = sandbox(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let (policy, notices) = recording(5, Duration::from_millis(10));
    let c = client(&s.base_url(), policy, None);
    let error = c
        .login(DEMO_EMAIL, &SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Server { status: 503, .. }), "{error}");
    let logins = s.requests().iter().filter(|r| r.path == "/api/login").count();
    assert_eq!(logins, 1);
    assert!(notices.lock().unwrap().is_empty());
}

#[test]
fn headless_commands_say_they_are_retrying_on_stderr() {
    let rig = Rig::with_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    });
    let config = rig.home.path().join("config.toml");
    std::fs::write(&config, "[retry]\nmax_attempts = 2\nmax_delay_secs = 1\n").unwrap();
    let output = rig
        .cmd()
        .args(["--config", config.to_str().unwrap(), "process", "--id", "12345"])
        .env("TRACKLINE_EMAIL", DEMO_EMAIL)
        .env("TRACKLINE_PASSWORD", DEMO_PASSWORD)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The login (a POST) is not retried: one attempt, then the error.
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("503"), "{stderr}");
    assert_eq!(
        rig.sandbox.requests().iter().filter(|r| r.path == "/api/login").count(),
        1
    );
}

#[test]
fn headless_lookups_print_each_retry() {
    let rig = Rig::with_faults(Faults {
        rate_limit: Some(1),
        ..Faults::default()
    });
    rig.login();
    let config = rig.home.path().join("config.toml");
    std::fs::write(&config, "[retry]\nmax_attempts = 2\nmax_delay_secs = 1\n").unwrap();
    // The login used the second's only request; the lookup is refused once, then passes.
    let output = rig
        .cmd()
        .args(["--config", config.to_str().unwrap(), "process", "--id", "12345"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        let retried = stderr
            .lines()
            .any(|l| l.contains("retrying in") && l.contains("(attempt 2 of 2)"));
        let limited = rig.sandbox.requests().len() > 2;
        assert_eq!(retried, limited, "{stderr}");
    } else {
        assert!(stderr.contains("retrying in 1 s (attempt 2 of 2)"), "{stderr}");
    }
}

#[test]
fn the_tui_shows_retries_in_the_pane_concerned() {
    let mut app = tui_fixtures::logged_in();
    type_text(&mut app, "12345");
    let req = fetched(&app.update(key(KeyCode::Enter))).unwrap();
    app.update(ev(Event::Retrying {
        target: RetryTarget::Lookup(req),
        attempt: 2,
        max_attempts: 5,
        delay: Duration::from_millis(2_500),
    }));
    let screen = render(&app, 120, 30);
    assert!(screen.contains("retrying in 3 s (attempt 2 of 5)"), "{screen}");

    let mut app = tui_fixtures::with_downloads();
    app.update(ev(Event::Retrying {
        target: RetryTarget::Download(DownloadId(1)),
        attempt: 3,
        max_attempts: 5,
        delay: Duration::from_secs(4),
    }));
    let screen = render(&app, 140, 40);
    assert!(screen.contains("retrying in 4 s (attempt 3 of 5)"), "{screen}");
}

// ----- 2. stalls --------------------------------------------------------------

async fn photo_download(
    faults: Faults,
    read_timeout: Duration,
) -> (Sandbox, Result<trackline::transfer::Downloaded, String>, Notices) {
    let s = sandbox(faults).await;
    let (policy, notices) = recording(3, Duration::from_millis(20));
    let c = login(&s, &client(&s.base_url(), policy.clone(), Some(read_timeout))).await;
    let dir = tempfile::tempdir().unwrap();
    let request = DownloadRequest::new(PHOTO_DOC_ID, dir.path());
    let result = download_with(
        &c,
        &request,
        &TransferOptions::with_retry(policy),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .map_err(|e| e.to_string());
    if let Ok(saved) = &result {
        assert_eq!(
            sha256_file(&saved.path),
            sample_data().document_sha256(PHOTO_DOC_ID).unwrap()
        );
    }
    (s, result, notices)
}

fn file_ranges(s: &Sandbox) -> Vec<Option<String>> {
    s.requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/attachment/file"))
        .map(|r| r.range)
        .collect()
}

#[tokio::test]
async fn headers_then_silence_trips_the_read_timeout_and_the_retry_completes() {
    let faults = Faults {
        stall_after_bytes: Some(0),
        ..Faults::default()
    };
    let (s, result, notices) = photo_download(faults, Duration::from_millis(300)).await;
    result.unwrap();
    assert_eq!(file_ranges(&s).len(), 2);
    assert_eq!(attempts(&notices), [(2, 3)]);
}

#[tokio::test]
async fn a_stall_mid_body_resumes_from_the_bytes_already_saved() {
    let faults = Faults {
        stall_after_bytes: Some(2_000),
        ..Faults::default()
    };
    let (s, result, _) = photo_download(faults, Duration::from_millis(300)).await;
    result.unwrap();
    assert_eq!(file_ranges(&s), [None, Some("bytes=2000-".to_string())]);
}

#[tokio::test]
async fn a_slow_but_moving_download_is_never_cut() {
    // 1 KiB every 100 ms, a read timeout of 400 ms: the whole download takes
    // longer than the timeout, but no single wait does.
    let faults = Faults {
        trickle_ms: Some(100),
        ..Faults::default()
    };
    let (s, result, notices) = photo_download(faults, Duration::from_millis(400)).await;
    result.unwrap();
    assert_eq!(file_ranges(&s).len(), 1);
    assert!(notices.lock().unwrap().is_empty());
}

// ----- 4. redirects -----------------------------------------------------------

async fn redirected(target_origin: impl Fn(&Sandbox) -> String) -> (Sandbox, ApiError, ApiError) {
    let elsewhere = sandbox(Faults::default()).await;
    let s = sandbox(Faults {
        redirect_to: Some(target_origin(&elsewhere)),
        ..Faults::default()
    })
    .await;
    let (policy, _) = recording(3, Duration::from_millis(10));
    let c = login(&s, &client(&s.base_url(), policy, None)).await;
    let lookup = c.process(&id("12345")).await.unwrap_err();
    let file = c.attachment_once("98765", None).await.unwrap_err();
    (elsewhere, lookup, file)
}

fn assert_refused(elsewhere: &Sandbox, lookup: &ApiError, file: &ApiError, to: &str) {
    for error in [lookup, file] {
        assert!(matches!(error, ApiError::RedirectRefused { .. }), "{error}");
        let text = error.to_string();
        assert!(text.contains(to) && text.contains("not following it"), "{text}");
    }
    assert!(elsewhere.requests().iter().all(|r| !r.authorization));
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn a_redirect_to_another_port_is_refused_and_the_token_stays() {
    let (elsewhere, lookup, file) = redirected(|e| format!("http://{}", e.addr())).await;
    assert_refused(&elsewhere, &lookup, &file, &format!("http://{}", elsewhere.addr()));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_the_token_stays() {
    let (elsewhere, lookup, file) = redirected(|e| format!("http://localhost:{}", e.addr().port())).await;
    assert_refused(&elsewhere, &lookup, &file, "http://localhost");
}

#[test]
fn the_user_sees_why_a_redirected_lookup_stopped() {
    let elsewhere = Rig::new();
    let rig = Rig::with_faults(Faults {
        redirect_to: Some(format!("http://{}", elsewhere.sandbox.addr())),
        ..Faults::default()
    });
    rig.login();
    let output = rig.cmd().args(["process", "--id", "12345"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("redirected to") && stderr.contains("so the token stays with"),
        "{stderr}"
    );
    assert!(elsewhere.sandbox.requests().is_empty());
}

// ----- 5. bad input from the user ---------------------------------------------

#[test]
fn bad_searches_get_a_message_and_no_lookup() {
    let long = "9".repeat(10_000);
    let cases: [(&str, &str); 4] = [
        ("", "type a process id or name"),
        ("   ", "type a process id or name"),
        ("id:", "type something after 'id:'"),
        (&long, "too long"),
    ];
    for (text, message) in cases {
        let mut app = tui_fixtures::logged_in();
        app.update(trackline::tui::Msg::Paste(text.to_string()));
        let commands = app.update(key(KeyCode::Enter));
        assert_eq!(fetched(&commands), None, "{text:?} was looked up");
        let screen = render(&app, 120, 30);
        assert!(screen.contains(message), "{text:?}:\n{screen}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_control_characters_never_reach_the_server_or_the_screen() {
    let mut rig = TuiRig::start(120, 30).await;
    rig.log_in().await;
    rig.paste("\x1b[2J12\u{9b}3\r45\u{202e}");
    rig.press(KeyCode::Enter);
    // The server answered the cleaned query, so the lookup was sent.
    let screen = rig.wait_for_text("No process named \"[2J12 3 45").await;
    let queries: Vec<String> = rig
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/metadata"))
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(queries.len(), 1, "{queries:?}");
    let (name, value) = url::form_urlencoded::parse(queries[0].as_bytes()).next().unwrap();
    assert_eq!(name, "process_name");
    assert!(!value.chars().any(char::is_control), "{value:?}");
    assert!(value.contains("12") && value.contains("45"), "{value:?}");
    let text = screen.text();
    assert!(
        !text.contains('\x1b') && !text.contains('\u{9b}') && !text.contains('\u{202e}'),
        "{text}"
    );
}

#[test]
fn a_missing_download_dir_is_created() {
    let rig = Rig::new();
    rig.login();
    let dir = rig.home.path().join("new").join("deeper");
    rig.cmd()
        .args(["download", "98765", "--output-dir", dir.to_str().unwrap()])
        .assert()
        .success();
    assert!(dir.join("Invoice_001.pdf").is_file());
}

#[test]
fn an_unusable_download_dir_is_named_with_what_to_do() {
    let rig = Rig::new();
    rig.login();
    // A file where a folder should be: refused even to root, unlike chmod.
    let blocker = rig.home.path().join("blocker");
    std::fs::write(&blocker, "not a folder").unwrap();
    let dir = blocker.join("downloads");
    let output = rig
        .cmd()
        .args(["download", "98765", "--output-dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(dir.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("choose another folder"), "{stderr}");
}

#[test]
fn a_full_disk_fails_cleanly_with_no_final_file() {
    let rig = Rig::new();
    rig.login();
    let dir = rig.home.path().join("full");
    // A file size limit of 64 blocks stands in for a full disk (a tmpfs needs
    // root); the 1 GiB file cannot fit.
    let script = format!(
        "ulimit -f 64; exec '{}' download {} --output-dir '{}'",
        env!("CARGO_BIN_EXE_trackline"),
        trackline::sandbox::LARGE_DOC_ID,
        dir.display()
    );
    let home = rig.home.path();
    let output = common::isolated("sh", home)
        .arg("-c")
        .arg(&script)
        .env("TRACKLINE_BASE_URL", rig.base_url())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the disk is full or a file size limit was reached"),
        "{stderr}"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.ends_with(".part") || n.starts_with('.')),
        "a final file appeared: {names:?}"
    );
}

#[test]
fn a_config_syntax_error_names_the_line_and_exits_2() {
    let rig = Rig::new();
    let config = rig.home.path().join("config.toml");
    std::fs::write(&config, "theme = \"dark\"\n[retry\nmax_attempts = 2\n").unwrap();
    let output = rig
        .cmd()
        .args(["--config", config.to_str().unwrap(), "status"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("expected"), "{stderr}");
}

#[test]
fn an_unknown_profile_says_how_to_log_in() {
    let rig = Rig::new();
    rig.login();
    let output = rig
        .cmd()
        .args(["--profile", "nosuch", "process", "--id", "12345"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("trackline login"), "{stderr}");
    // The default profile's session is untouched.
    rig.cmd().args(["process", "--id", "12345"]).assert().success();
}

// ----- 7. properties (the fuzz targets' invariants, run by `cargo test`) ------

mod properties {
    use crate::tui_fixtures::{ev, fetched, key, logged_in, terminal, type_text};
    use crossterm::event::KeyCode;
    use proptest::prelude::*;
    use ratatui::buffer::Buffer;
    use ratatui::text::Line;
    use serde_json::{Value, json};
    use trackline::api::Process;
    use trackline::api::model::parse_processes;
    use trackline::text::safe_line;
    use trackline::transfer::naming::{parse_content_disposition, safe_file_name};
    use trackline::tui::App;
    use trackline::worker::Event;

    fn json_ish() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            Just(b"{".to_vec()),
            Just(b"}".to_vec()),
            Just(b"[".to_vec()),
            Just(b"]".to_vec()),
            Just(b",".to_vec()),
            Just(b":".to_vec()),
            Just(b"\"process_id\"".to_vec()),
            Just(b"\"documents\"".to_vec()),
            Just(b"\"doc_id\"".to_vec()),
            Just(b"\"name\"".to_vec()),
            Just(b"null".to_vec()),
            Just(b"1e999".to_vec()),
            Just("9".repeat(400).into_bytes()),
            Just(b"\"\\u001b[2J\"".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            any::<Vec<u8>>(),
        ];
        proptest::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
    }

    /// Text a hostile server might send: escapes, bidi overrides, line
    /// breaks, wide and combining characters, anything.
    fn hostile_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![hostile_piece(), "[a-zA-Z0-9 ]{0,30}", any::<String>()];
        proptest::collection::vec(pieces, 0..8).prop_map(|parts| parts.concat())
    }

    /// One short hostile piece of text.
    fn hostile_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\x1b[2J".to_string()),
            Just("\x1b]52;c;ZXZpbA==\x07".to_string()),
            Just("\u{9b}31m".to_string()),
            Just("\u{202e}".to_string()),
            Just("\u{2066}".to_string()),
            Just("\u{200b}".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just("請求書".to_string()),
            Just("e\u{301}".to_string()),
            "[a-zA-Z0-9]{1,8}",
        ]
    }

    /// A process body as the server might send it: ids as strings or
    /// numbers, fields as text, numbers or null, and a field of its own.
    fn process_json() -> impl Strategy<Value = Value> {
        let id = prop_oneof![hostile_text().prop_map(Value::from), any::<u64>().prop_map(Value::from),];
        let field = prop_oneof![
            hostile_text().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(Value::Null),
        ];
        let document = (id.clone(), field.clone(), field.clone())
            .prop_map(|(id, name, kind)| json!({"doc_id": id, "doc_name": name, "doc_type": kind}));
        (
            id,
            field.clone(),
            field.clone(),
            proptest::collection::vec(document, 0..6),
            "[a-z_]{1,12}",
            field,
        )
            .prop_map(|(id, name, status, documents, key, value)| {
                let mut process = json!({
                    "process_id": id, "name": name, "status": status, "documents": documents,
                });
                process[format!("x_{key}")] = value;
                process
            })
    }

    /// Parsing what was parsed and written back gives the same processes.
    fn assert_round_trip(processes: &[Process]) -> Result<(), TestCaseError> {
        let written = serde_json::to_vec(processes).unwrap();
        let again = parse_processes(&written).unwrap();
        prop_assert_eq!(again.as_slice(), processes);
        Ok(())
    }

    /// Logged in, with a lookup answered by `process` (whatever its id).
    fn showing(process: Process) -> App {
        let mut app = logged_in();
        type_text(&mut app, "1");
        let req = fetched(&app.update(key(KeyCode::Enter))).unwrap();
        app.update(ev(Event::ProcessLoaded {
            req,
            result: Ok(vec![process]),
        }));
        app
    }

    /// The text of row `y`, each cell once (not the cells a wide character covers).
    fn row(buffer: &Buffer, y: u16) -> String {
        let mut text = String::new();
        let mut covered = 0usize;
        for x in buffer.area.left()..buffer.area.right() {
            let cell = &buffer[(x, y)];
            if covered == 0 {
                text.push_str(cell.symbol());
            }
            covered = covered.max(Line::from(cell.symbol()).width()).saturating_sub(1);
        }
        text
    }

    fn hides_or_reorders_text(c: char) -> bool {
        c.is_control() || matches!(c as u32, 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2069 | 0xfeff | 0x061c)
    }

    proptest! {
        #[test]
        fn whatever_parses_round_trips(body in json_ish()) {
            if let Ok(processes) = parse_processes(&body) {
                assert_round_trip(&processes)?;
            }
        }

        #[test]
        fn every_process_a_server_may_send_parses_and_keeps_its_data(body in process_json()) {
            let processes = parse_processes(body.to_string().as_bytes());
            prop_assert!(processes.is_ok(), "{:?}", processes);
            let processes = processes.unwrap();
            prop_assert_eq!(processes.len(), 1);
            let process = &processes[0];
            let id = match &body["process_id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            prop_assert_eq!(process.process_id.as_str(), id.as_str());
            prop_assert_eq!(process.documents.len(), body["documents"].as_array().unwrap().len());
            let own = body.as_object().unwrap().keys().find(|k| k.starts_with("x_")).unwrap();
            prop_assert_eq!(process.extra.get(own), Some(&body[own]));
            assert_round_trip(&processes)?;
        }

        #[test]
        fn content_disposition_gives_a_safe_name(
            header in prop_oneof![
                any::<String>(),
                "[a-z]{0,10}(; *(filename\\*?|name) *= *(\"[^\"]{0,20}\"|[A-Za-z0-9%'._-]{0,30}))*",
            ]
        ) {
            if let Some(name) = parse_content_disposition(&header) {
                prop_assert!(!name.trim().is_empty());
                let safe = safe_file_name(&name);
                prop_assert!(!safe.contains('/') && !safe.contains('\\'));
                prop_assert!(safe != "." && safe != "..");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn a_hostile_process_never_breaks_the_screen(
            mut body in process_json(),
            status in proptest::collection::vec(hostile_piece(), 1..3),
            width in 60u16..=160,
            height in 16u16..=50,
        ) {
            let status = status.concat();
            body["status"] = Value::from(status.as_str());
            let process = parse_processes(body.to_string().as_bytes()).unwrap().remove(0);
            let app = showing(process);
            let terminal = terminal(&app, width, height);
            let buffer = terminal.backend().buffer();
            let mut screen = String::new();
            for y in 0..height {
                let line = row(buffer, y);
                prop_assert_eq!(Line::from(line.as_str()).width(), usize::from(width), "row {}: {:?}", y, line);
                prop_assert!(!line.chars().any(hides_or_reorders_text), "row {}: {:?}", y, line);
                screen.push_str(&line);
                screen.push('\n');
            }
            // The frame stays whole: the bar on top, every pane's border.
            prop_assert!(screen.starts_with(" Trackline "), "{}", screen);
            for pane in ["╭ Search", "╭ Process", "╭ Documents", "╭ Downloads"] {
                prop_assert!(screen.contains(pane), "{} is missing:\n{}", pane, screen);
            }
            // What the server sent is shown with its escapes made visible, not hidden.
            let shown = format!("● {}", safe_line(&status, 60));
            if width >= 120 {
                prop_assert!(screen.contains(&shown), "{:?} is not shown:\n{}", shown, screen);
            }
        }
    }
}
