//! Signals during work: Ctrl-C, SIGTERM or SIGHUP during a download keep the
//! `.part` for a resume, give the terminal back, and exit with 128 + the
//! signal (130 for Ctrl-C); the next run resumes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::PtyApp;
use common::{Rig, send_signal, sha256_file};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use trackline::sandbox::{Faults, sample_data};

/// The small photo (5,708 bytes), stalled after its first 2,000 bytes.
const PHOTO_DOC_ID: &str = "98768";
/// The first document of the guide's process (736 bytes).
const INVOICE_DOC_ID: &str = "98765";

fn stalled(after: u64) -> Rig {
    let rig = Rig::with_faults(Faults {
        stall_after_bytes: Some(after),
        ..Faults::default()
    });
    rig.login();
    rig
}

/// The binary with the rig's environment, not waited for.
fn spawn(rig: &Rig, args: &[&str]) -> Child {
    let home = rig.home.path();
    common::isolated(env!("CARGO_BIN_EXE_trackline"), home)
        .args(args)
        .env("TRACKLINE_DOWNLOAD_DIR", rig.downloads())
        .env("TRACKLINE_BASE_URL", rig.base_url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn parts_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "part"))
                .collect()
        })
        .unwrap_or_default()
}

fn file_requests(rig: &Rig, doc_id: &str) -> Vec<Option<String>> {
    rig.sandbox
        .requests()
        .into_iter()
        .filter(|r| r.query.as_deref() == Some(&format!("attachment_id={doc_id}")))
        .map(|r| r.range)
        .collect()
}

/// After the interrupted run: the `.part` is there and no final file; the next
/// run resumes from the `.part`'s length and saves the right file.
fn assert_resumes(rig: &Rig, dir: &Path, doc_id: &str, name: &str) {
    let parts = parts_in(dir);
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert!(!dir.join(name).exists(), "a final file appeared");
    let kept = std::fs::metadata(&parts[0]).unwrap().len();
    rig.cmd()
        .args(["download", doc_id, "--output-dir", dir.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        sha256_file(&dir.join(name)),
        sample_data().document_sha256(doc_id).unwrap()
    );
    let ranges = file_requests(rig, doc_id);
    let expected = (kept > 0).then(|| format!("bytes={kept}-"));
    assert_eq!(ranges.last().unwrap(), &expected, "{ranges:?}");
    assert!(parts_in(dir).is_empty());
}

#[test]
fn headless_download_keeps_the_part_and_exits_128_plus_the_signal() {
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let rig = stalled(2_000);
        let dir = rig.home.path().join("out");
        let mut child = spawn(&rig, &["download", PHOTO_DOC_ID, "--output-dir", dir.to_str().unwrap()]);
        common::wait_until("the .part file", || !parts_in(&dir).is_empty());
        send_signal(child.id(), signal);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_resumes(&rig, &dir, PHOTO_DOC_ID, "Receipt_Photo.jpg");
    }
}

const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";

fn restored(raw: &[u8]) -> bool {
    let tail = &raw[raw.len().saturating_sub(64)..];
    tail.windows(LEAVE_ALTERNATE_SCREEN.len())
        .any(|w| w == LEAVE_ALTERNATE_SCREEN)
}

/// The TUI with a download of the guide's invoice stalled after 300 bytes.
fn tui_with_a_stalled_download(rig: &Rig) -> PtyApp {
    let mut app = PtyApp::spawn(
        &[],
        rig.home.path(),
        &[("TRACKLINE_BASE_URL", &rig.base_url())],
        120,
        36,
    );
    app.wait_for_text("Search");
    app.send("12345\r");
    app.wait_for_text("Invoice_001.pdf");
    app.send("\r");
    app.wait_for_text("1 running");
    let folder = rig.downloads().join("12345 Odoo Billing Process");
    common::wait_until("the .part file", || !parts_in(&folder).is_empty());
    app
}

#[test]
fn the_tui_answers_keys_during_a_stalled_download_and_sigterm_keeps_the_part() {
    let rig = stalled(300);
    let mut app = tui_with_a_stalled_download(&rig);
    // The download hangs; the screen still answers.
    app.send("?");
    app.wait_for_text(" Keys ");
    app.send("?");
    app.wait_for("the help closed", |s| !s.contains(" Keys ") && s.contains("1 running"));
    send_signal(app.pid(), "TERM");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 143);
    assert!(restored(&app.raw_output()), "the terminal was not restored");
    let folder = rig.downloads().join("12345 Odoo Billing Process");
    assert_resumes(&rig, &folder, INVOICE_DOC_ID, "Invoice_001.pdf");
}

#[test]
fn ctrl_c_in_the_tui_during_a_download_exits_130_and_keeps_the_part() {
    let rig = stalled(300);
    let mut app = tui_with_a_stalled_download(&rig);
    app.send("\x03");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 130);
    assert!(restored(&app.raw_output()), "the terminal was not restored");
    let folder = rig.downloads().join("12345 Odoo Billing Process");
    assert_resumes(&rig, &folder, INVOICE_DOC_ID, "Invoice_001.pdf");
}

#[test]
fn sighup_in_the_tui_exits_129() {
    let rig = Rig::new();
    let mut app = PtyApp::spawn(
        &[],
        rig.home.path(),
        &[("TRACKLINE_BASE_URL", &rig.base_url())],
        100,
        30,
    );
    app.wait_for_text("Log in to Trackline");
    send_signal(app.pid(), "HUP");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 129);
    assert!(restored(&app.raw_output()));
}
