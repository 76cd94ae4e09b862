//! The whole TUI in-process: the real app and worker against the real sandbox,
//! drawn into a `TestBackend`, keys sent through the injected event stream.
//! Checks what a user sees, colours included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inprocess::{TuiRig, fg, trickling};
use common::sha256_file;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use trackline::sandbox::{SandboxOptions, sample_data};
use trackline::tui::TerminalHost;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_look_up_download_and_quit() {
    // Wide enough for the downloads pane to show the saved path and its SHA-256.
    let mut rig = TuiRig::start(180, 40).await;
    rig.log_in().await;

    rig.type_text("12345");
    rig.press(KeyCode::Enter);
    let theme = rig.theme();
    let screen = rig
        .wait_for("the process and its documents, with the documents focused", |s| {
            s.contains("Odoo Billing Process")
                && s.contains("Invoice_001.pdf")
                && s.pane_corner("Documents").fg == fg(theme.border_focused)
        })
        .await;
    let status = screen.cell_of("● In Progress");
    assert_eq!(
        status.fg,
        fg(theme.info),
        "a process in progress is drawn in the in-progress colour"
    );
    assert!(status.modifier.contains(Modifier::BOLD));

    rig.press(KeyCode::Enter);
    let screen = rig.wait_for_text("1 done").await;
    let text = screen.text();
    let shown = text
        .split("sha256 ")
        .nth(1)
        .and_then(|rest| rest.get(..64))
        .unwrap_or_else(|| panic!("no SHA-256 in the downloads pane:\n{text}"));
    let saved = rig
        .downloads()
        .join("12345 Odoo Billing Process")
        .join("Invoice_001.pdf");
    assert_eq!(sha256_file(&saved), shown, "the file on disk has the SHA-256 shown");
    assert_eq!(shown, sample_data().document_sha256("98765").unwrap());

    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_focused_pane_has_its_own_border_colour() {
    let mut rig = TuiRig::start(80, 24).await;
    rig.log_in().await;
    let theme = rig.theme();
    assert_ne!(fg(theme.border_focused), fg(theme.border));
    let screen = rig
        .wait_for("the search box focused", |s| {
            s.pane_corner("Search").fg == fg(theme.border_focused)
        })
        .await;
    for other in ["Recent", "Process", "Documents", "Downloads"] {
        assert_eq!(screen.pane_corner(other).fg, fg(theme.border), "{other}");
    }
    // A new profile has no recent processes, so Tab skips the empty list.
    rig.press(KeyCode::Tab);
    let screen = rig
        .wait_for("the focus on the process pane", |s| {
            s.pane_corner("Process").fg == fg(theme.border_focused)
        })
        .await;
    for other in ["Search", "Recent", "Documents", "Downloads"] {
        assert_eq!(screen.pane_corner(other).fg, fg(theme.border), "{other}");
    }
    rig.ctrl('c');
    assert_eq!(rig.exit_code().await, 130, "Ctrl-C exits like an interrupted program");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_shown_in_the_error_colour_and_the_next_try_works() {
    let mut rig = TuiRig::start(80, 24).await;
    rig.wait_for_text("Log in to Trackline").await;
    rig.submit_login(common::EMAIL, "not the password");
    let screen = rig.wait_for_text("Wrong email or password").await;
    let theme = rig.theme();
    assert_eq!(screen.cell_of("✗ Wrong email").fg, fg(theme.error));
    assert_eq!(rig.sandbox.login_count(), 1);

    // The password field is focused again, and empty.
    rig.type_text(common::PASSWORD);
    rig.press(KeyCode::Enter);
    rig.wait_for("the signed-in email in the top bar", |s| {
        s.line(0).contains(common::EMAIL) && !s.contains("Log in to Trackline")
    })
    .await;
    rig.ctrl('c');
    assert_eq!(rig.exit_code().await, 130);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_id_shows_the_not_found_message() {
    let mut rig = TuiRig::start(80, 24).await;
    rig.log_in().await;
    rig.type_text("99999");
    rig.press(KeyCode::Enter);
    let screen = rig.wait_for_text("No process 99999").await;
    assert_eq!(screen.cell_of("✗ No process 99999").fg, fg(rig.theme().error));
    let lookups: Vec<_> = rig
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/metadata"))
        .collect();
    assert_eq!(lookups.len(), 1, "{lookups:?}");
    assert_eq!(lookups[0].query.as_deref(), Some("process_id=99999"));
    rig.ctrl('c');
    assert_eq!(rig.exit_code().await, 130);
}

/// A host that counts suspends instead of stopping the process.
struct CountingHost(Arc<AtomicUsize>);

impl TerminalHost<TestBackend> for CountingHost {
    fn suspend(&mut self, _terminal: &mut Terminal<TestBackend>) -> std::io::Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_z_suspends_through_the_host_and_the_app_carries_on() {
    let suspends = Arc::new(AtomicUsize::new(0));
    let host = CountingHost(suspends.clone());
    let mut rig = TuiRig::start_with(SandboxOptions::default(), 80, 24, host).await;
    rig.wait_for_text("Log in to Trackline").await;
    rig.ctrl('z');
    rig.wait_for("a frame after the suspend", |_| suspends.load(Ordering::SeqCst) == 1)
        .await;
    rig.submit_login(common::EMAIL, common::PASSWORD);
    rig.wait_for("the signed-in email in the top bar", |s| {
        s.line(0).contains(common::EMAIL)
    })
    .await;
    assert_eq!(suspends.load(Ordering::SeqCst), 1);
    rig.ctrl('c');
    assert_eq!(rig.exit_code().await, 130);
}

/// A host that keeps what the app copied instead of writing OSC 52.
struct CopyingHost(Arc<std::sync::Mutex<Vec<String>>>);

impl TerminalHost<TestBackend> for CopyingHost {
    fn suspend(&mut self, _terminal: &mut Terminal<TestBackend>) -> std::io::Result<()> {
        Ok(())
    }

    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        self.0.lock().unwrap().push(text.to_string());
        Ok(())
    }
}

/// The sandbox sending every file 1 KiB at a time with a pause: the 1 GiB
/// file never finishes while a test runs.
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn q_while_a_download_runs_asks_then_q_again_quits_and_the_part_stays() {
    for (w, h) in SIZES {
        let mut rig = TuiRig::start_with(trickling(), w, h, trackline::tui::Headless).await;
        rig.log_in().await;
        rig.start_the_large_download().await;
        rig.wait_for("the download receiving bytes", |s| s.contains(" kB / 1.1 GB"))
            .await;
        rig.press(KeyCode::Char('q'));
        rig.wait_for_text("1 download running — q again to quit (they resume next time), Esc to stay")
            .await;
        rig.press(KeyCode::Esc);
        rig.wait_for("the hint line back", |s| {
            !s.contains("q again to quit") && s.contains("download marked/all")
        })
        .await;
        rig.press(KeyCode::Char('q'));
        rig.wait_for_text("q again to quit").await;
        rig.press(KeyCode::Char('q'));
        let downloads = rig.downloads();
        let (code, _home) = rig.exit_code_and_home().await;
        assert_eq!(code, 0);
        let part = downloads.join("20000 Large export").join("large_export.bin.part");
        assert!(part.exists(), "the .part stays for the next run ({w}×{h})");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_all_then_r_resumes_where_it_stopped_and_says_so() {
    for (w, h) in SIZES {
        let mut rig = TuiRig::start_with(trickling(), w, h, trackline::tui::Headless).await;
        rig.log_in().await;
        rig.start_the_large_download().await;
        rig.wait_for("the download receiving bytes", |s| s.contains(" kB / 1.1 GB"))
            .await;
        rig.press(KeyCode::Tab);
        rig.press(KeyCode::Char('X'));
        rig.wait_for_text("Cancelled 1 download").await;
        rig.wait_for("the row cancelled", |s| s.contains("cancelled")).await;
        rig.press(KeyCode::Char('r'));
        let screen = rig.wait_for_text("resuming at ").await;
        let text = screen.text();
        let row = text
            .lines()
            .find(|l| l.contains("large_export.bin") && l.contains("resuming"));
        assert!(row.is_some(), "{w}×{h}: the row says where it resumed:\n{text}");
        let ranges: Vec<_> = rig
            .sandbox
            .requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/attachment/file"))
            .map(|r| r.range)
            .collect();
        assert!(
            matches!(ranges.as_slice(), [None, Some(range)] if range.starts_with("bytes=")),
            "the download after X resumed: {ranges:?}"
        );
        rig.ctrl('c');
        assert_eq!(rig.exit_code().await, 130);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capital_d_asks_before_ten_thousand_downloads() {
    for (w, h) in SIZES {
        let mut rig = TuiRig::start(w, h).await;
        rig.log_in().await;
        rig.type_text("10000");
        rig.press(KeyCode::Enter);
        rig.wait_for_text("10,000").await;
        rig.press(KeyCode::Char('D'));
        let screen = rig
            .wait_for_text("Download 10,000 documents? Enter/y yes, Esc no")
            .await;
        assert_eq!(
            screen.line(h - 1).trim(),
            "Download 10,000 documents? Enter/y yes, Esc no",
            "on the hint line"
        );
        rig.press(KeyCode::Esc);
        rig.wait_for_text("Nothing downloaded").await;
        assert!(
            !rig.sandbox
                .requests()
                .iter()
                .any(|r| r.path.ends_with("/attachment/file")),
            "nothing was asked for"
        );
        rig.ctrl('c');
        assert_eq!(rig.exit_code().await, 130);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn y_copies_the_selection_through_the_terminal_host() {
    for (w, h) in SIZES {
        let copies = Arc::new(std::sync::Mutex::new(Vec::new()));
        let host = CopyingHost(copies.clone());
        let mut rig = TuiRig::start_with(SandboxOptions::default(), w, h, host).await;
        rig.log_in().await;
        rig.type_text("12345");
        rig.press(KeyCode::Enter);
        rig.wait_for_text("Invoice_001.pdf").await;
        rig.press(KeyCode::Char('y'));
        let screen = rig.wait_for_text("copied the document id: 98765").await;
        assert!(screen.line(h - 1).contains("copied"), "on the hint line");
        rig.press(KeyCode::Enter);
        rig.wait_for_text("1 done").await;
        rig.press(KeyCode::Char('y'));
        rig.wait_for_text("copied the saved path").await;
        let saved = rig
            .downloads()
            .join("12345 Odoo Billing Process")
            .join("Invoice_001.pdf");
        assert_eq!(
            *copies.lock().unwrap(),
            ["98765".to_string(), saved.to_string_lossy().into_owned()]
        );
        rig.ctrl('c');
        assert_eq!(rig.exit_code().await, 130);
    }
}

// ----- the local index (issue 14) ----------------------------------------------

/// Logs in, looks `id` up and waits for `shown`; then quits, and returns
/// the sandbox and home for the next run.
async fn seen_in_a_first_run(id: &str, shown: &str) -> (trackline::sandbox::Sandbox, tempfile::TempDir) {
    let mut rig = TuiRig::start(80, 24).await;
    rig.log_in().await;
    rig.type_text(id);
    rig.press(KeyCode::Enter);
    rig.wait_for_text(shown).await;
    rig.press(KeyCode::Char('q'));
    rig.ended().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_after_a_restart_lists_matches_and_down_enter_opens_the_cached_process_then_the_fresh_one() {
    let (sandbox, home) = seen_in_a_first_run("12347", "Deleted_Scan.pdf").await;
    let mut rig = TuiRig::start_over(sandbox, home, 80, 24, |_| {}).await;
    rig.wait_for("signed in from the stored session", |s| {
        s.line(0).contains(common::EMAIL)
    })
    .await;

    rig.type_text("delet scan");
    let screen = rig
        .wait_for("the document found, with its process, under the search box", |s| {
            s.contains("Matches") && s.contains("▪ Deleted_Scan") && s.contains(" · 12347") && !s.contains("Recent")
        })
        .await;
    assert!(!screen.contains("Supplier_Contract"), "{}", screen.text());

    // The server answers only once the cached data is on the screen.
    rig.sandbox.hold_lookups(true);
    assert_eq!(rig.sandbox.advance("12347"), Some("In Progress"));
    rig.press(KeyCode::Down);
    rig.press(KeyCode::Enter);
    let screen = rig
        .wait_for("the cached process, its document selected", |s| {
            s.contains("cached, just now")
                && s.contains("● Pending")
                && s.contains("› ")
                && s.contains("Supplier_Contract.pdf")
        })
        .await;
    let row = screen
        .find("Deleted_Scan.pdf")
        .map(|(_, y)| screen.line(y))
        .unwrap_or_default();
    assert!(row.contains('›'), "the document found is selected:\n{}", screen.text());
    assert!(
        !screen.contains("changed"),
        "seen once and never changing, it says no when it changed:\n{}",
        screen.text()
    );

    rig.sandbox.hold_lookups(false);
    let screen = rig
        .wait_for("the fresh process, and that it changed", |s| {
            s.contains("● In Progress") && !s.contains("cached") && s.contains("changed just now")
        })
        .await;
    let row = screen
        .find("Deleted_Scan.pdf")
        .map(|(_, y)| screen.line(y))
        .unwrap_or_default();
    assert!(row.contains('›'), "still selected:\n{}", screen.text());
    assert!(screen.contains("changed just now"), "{}", screen.text());
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_server_down_a_process_opened_from_the_index_stays_usable_marked_offline() {
    let (sandbox, home) = seen_in_a_first_run("12345", "Invoice_001.pdf").await;
    let gone = sandbox.base_url();
    sandbox.shutdown().await;
    let other = trackline::sandbox::Sandbox::start(SandboxOptions::default())
        .await
        .unwrap();
    let mut rig = TuiRig::start_over(other, home, 80, 24, |settings| {
        settings.base_url = gone;
        settings.retry_max_attempts = 1;
    })
    .await;
    rig.wait_for("signed in from the stored session", |s| {
        s.line(0).contains(common::EMAIL)
    })
    .await;
    rig.type_text("odo biling");
    rig.wait_for_text("12345 Odoo Billing").await;
    rig.press(KeyCode::Down);
    rig.press(KeyCode::Enter);
    let screen = rig
        .wait_for("the cached process, marked stale", |s| {
            s.contains("offline: cached, just now") && s.contains("Invoice_001.pdf")
        })
        .await;
    assert!(screen.contains("Odoo Billing Process"), "{}", screen.text());
    assert!(rig.sandbox.requests().is_empty(), "nothing asked of another server");
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_after_a_restart_and_d_asks_before_a_second_copy() {
    let mut rig = TuiRig::start(80, 24).await;
    rig.log_in().await;
    rig.type_text("12345");
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Invoice_001.pdf").await;
    rig.press(KeyCode::Char('d'));
    rig.wait_for_text("1 done").await;
    rig.press(KeyCode::Char('q'));
    let (sandbox, home) = rig.ended().await;

    let mut rig = TuiRig::start_over(sandbox, home, 80, 24, |_| {}).await;
    rig.wait_for("signed in from the stored session", |s| {
        s.line(0).contains(common::EMAIL)
    })
    .await;
    rig.type_text("12345");
    rig.press(KeyCode::Enter);
    rig.wait_for("the document marked saved", |s| {
        s.contains("Invoice_001.pdf") && s.contains("✓ saved")
    })
    .await;
    let folder = rig.downloads().join("12345 Odoo Billing Process");
    let files = || std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(files(), 1);
    let fetched = |rig: &TuiRig| {
        rig.sandbox
            .requests()
            .iter()
            .filter(|r| r.path.contains("attachment") && r.query.as_deref().is_some_and(|q| q.contains("98765")))
            .count()
    };
    let before = fetched(&rig);

    rig.press(KeyCode::Char('d'));
    let screen = rig
        .wait_for("where the copy is, and the question", |s| {
            s.contains("Already saved:") && s.contains("again saves a new copy")
        })
        .await;
    assert!(!screen.contains("1 done"), "nothing downloaded:\n{}", screen.text());
    assert_eq!(fetched(&rig), before);

    rig.press(KeyCode::Char('d'));
    rig.wait_for_text("1 done").await;
    assert_eq!(files(), 2, "a second copy");
    let mut hashes: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| sha256_file(&e.unwrap().path()))
        .collect();
    hashes.dedup();
    assert_eq!(hashes.len(), 1, "the same bytes twice");
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
}
