//! Hostile content: escape sequences, C1 controls, carriage returns and bidi
//! overrides from the server are shown as harmless text, on the screen and in
//! the raw bytes written to a terminal; absurd bodies get a clear error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Rig;
use common::pty::PtyApp;
use common::raw::{RawServer, Reply, json, reply};
use secrecy::SecretString;
use trackline::api::client::MAX_METADATA_BYTES;
use trackline::api::{ApiError, Client, ClientOptions, ProcessQuery};

/// Byte strings that must never reach a terminal from server data.
const FORBIDDEN: [(&str, &[u8]); 8] = [
    ("OSC (52 clipboard, 8 links)", b"\x1b]"),
    ("the hostile clear + colour", b"\x1b[2J\x1b[1;31m"),
    ("a hostile colour", b"\x1b[1;31m"),
    ("a hostile blink", b"\x1b[5mIn Progress"),
    ("C1 CSI", "\u{9b}".as_bytes()),
    ("C1 NEL", "\u{85}".as_bytes()),
    ("a bidi override", "\u{202e}".as_bytes()),
    ("a hidden carriage return", b"overwritten\rreal"),
];

fn assert_harmless(what: &str, bytes: &[u8]) {
    for (name, needle) in FORBIDDEN {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{what} contains {name}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
    // The clipboard payload only ever appears as escaped text.
    let text = String::from_utf8_lossy(bytes);
    for (at, _) in text.match_indices("cm0gLXJmIH4K") {
        assert!(text[..at].ends_with("\\x1b]52;c;"), "{what}: a bare OSC 52 payload");
    }
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    let rig = Rig::new();
    rig.login();
    let home = rig.home.path();
    // Tall enough for every document row and every extra field at once.
    let mut app = PtyApp::spawn(&[], home, &[("TRACKLINE_BASE_URL", &rig.base_url())], 160, 60);
    app.wait_for_text("Search");
    app.send("66666\r");
    app.wait_for_text("Hostile");
    app.wait_for_text("clipboard.txt");
    app.wait_for_text("win.ini");
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
    let raw = app.raw_output();
    assert_harmless("the pty output", &raw);
    assert!(String::from_utf8_lossy(&raw).contains("\\x1b]52;c;cm0gLXJmIH4K"));
}

#[test]
fn headless_output_of_a_hostile_process_is_harmless() {
    let rig = Rig::new();
    rig.login();
    let output = rig.cmd().args(["process", "--id", "66666"]).output().unwrap();
    assert!(output.status.success());
    assert_harmless("stdout", &output.stdout);
    assert_harmless("stderr", &output.stderr);
    assert!(!output.stdout.contains(&0x1b));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Hostile"));
}

fn client(server: &RawServer) -> Client {
    Client::new(&server.base_url(), ClientOptions::default())
        .unwrap()
        .with_token(SecretString::from("t"))
}

async fn lookup(body: Reply) -> ApiError {
    let body = std::sync::Mutex::new(Some(body));
    let server = RawServer::start(move |_| body.lock().unwrap().take().unwrap_or(Reply::Silence));
    client(&server)
        .process(&ProcessQuery::Id("1".into()))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_is_a_clear_error() {
    let body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let error = lookup(json("200 OK", body.as_bytes())).await;
    assert!(matches!(error, ApiError::BadJson(_)), "{error}");
    assert!(error.to_string().contains("recursion limit"), "{error}");
    let deep_object = format!(
        "{{\"process_id\":\"1\",\"x\":{}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let error = lookup(json("200 OK", deep_object.as_bytes())).await;
    assert!(matches!(error, ApiError::BadJson(_)), "{error}");
}

#[tokio::test]
async fn a_huge_metadata_body_is_refused_while_it_streams() {
    let total = 100 * 1024 * 1024;
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let server = RawServer::start(move |_| Reply::Flood {
        head: head.to_string(),
        total,
    });
    let error = client(&server)
        .process(&ProcessQuery::Id("1".into()))
        .await
        .unwrap_err();
    assert_eq!(
        error,
        ApiError::TooLarge {
            limit: MAX_METADATA_BYTES
        }
    );
    assert!(error.to_string().contains("refusing to read it"));
    // The client hung up at the limit: the server never got to write the whole 100 MB.
    assert!(server.sent() < total, "{} bytes sent", server.sent());
    assert_eq!(server.hits(), 1, "a too large body is not retried");
}

#[tokio::test]
async fn an_announced_huge_body_is_refused_before_reading() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n";
    let server = RawServer::start(move |_| Reply::Raw(head.as_bytes().to_vec()));
    let error = client(&server)
        .process(&ProcessQuery::Id("1".into()))
        .await
        .unwrap_err();
    assert_eq!(
        error,
        ApiError::TooLarge {
            limit: MAX_METADATA_BYTES
        }
    );
}

#[tokio::test]
async fn numbers_with_400_digits_do_not_panic() {
    let digits = "9".repeat(400);
    let body =
        format!("{{\"process_id\":\"1\",\"name\":\"n\",\"amount\":{digits},\"documents\":[{{\"doc_id\":{digits}}}]}}");
    let server = RawServer::start(move |_| json("200 OK", body.as_bytes()));
    match client(&server).process(&ProcessQuery::Id("1".into())).await {
        Ok(processes) => assert_eq!(processes.len(), 1),
        Err(error) => assert!(matches!(error, ApiError::BadJson(_)), "{error}"),
    }
}

#[tokio::test]
async fn invalid_utf8_is_a_clear_error() {
    let error = lookup(json("200 OK", b"{\"process_id\":\"1\",\"name\":\"\xff\xfe\xc0\"}")).await;
    assert!(matches!(error, ApiError::BadJson(_)), "{error}");
    assert!(error.to_string().contains("cannot read"), "{error}");
}

#[tokio::test]
async fn hostile_error_bodies_are_shown_as_text() {
    let body = "{\"message\":\"\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4K\u{7}\u{9b}31m\rgone\u{202e}\"}";
    let error = lookup(json("404 Not Found", body.as_bytes())).await;
    let text = error.to_string();
    assert_harmless("the error", text.as_bytes());
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text}");
    assert!(text.contains("\\x1b]52;c;cm0gLXJmIH4K"), "{text}");

    let error = lookup(reply(
        "500 Internal Server Error",
        &[],
        "text/html",
        b"<h1>\x1b[2J down</h1>",
    ))
    .await;
    assert!(!error.to_string().contains('\x1b'), "{error}");
}

/// A proxy's login page instead of JSON: the message says what came, and
/// how it starts, made safe.
#[tokio::test]
async fn an_html_answer_says_what_came_and_how_it_starts() {
    let error = lookup(reply(
        "200 OK",
        &[],
        "text/html; charset=utf-8",
        b"<html><title>Corporate \x1b[31mproxy</title> sign in, please, to continue browsing the web today</html>",
    ))
    .await;
    let text = error.to_string();
    assert!(text.contains("expected JSON, got text/html"), "{text}");
    assert!(
        text.contains("<html><title>Corporate"),
        "the start of the body is shown: {text}"
    );
    assert!(
        !text.contains('\x1b') && !text.contains("today</html>"),
        "made safe, cut short: {text}"
    );
}
