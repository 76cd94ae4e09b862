//! End to end: the built binary in a pseudo-terminal, keys typed, the screen
//! read back with vt100, as a new user meets it.

#![allow(clippy::unwrap_used)] // test helpers

mod common;

use common::pty::PtyApp;
use common::sha256_file;
use trackline::sandbox::sample_data;

const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

fn ends_restored(raw: &[u8]) -> bool {
    let tail = &raw[raw.len().saturating_sub(64)..];
    let find = |needle: &[u8]| tail.windows(needle.len()).rposition(|w| w == needle);
    matches!((find(LEAVE_ALTERNATE_SCREEN), find(SHOW_CURSOR)), (Some(_), Some(_)))
}

#[test]
fn demo_login_lookup_download_quit() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 100, 30);

    app.wait_for_text("Log in to Trackline");
    app.wait_for_text("demo@trackline.local");
    app.send("\r");
    app.wait_for("the signed-in email in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains("demo@trackline.local"))
    });

    app.send("12345\r");
    app.wait_for_text("Odoo Billing Process");
    app.wait_for_text("Invoice_001.pdf");

    app.send("\r");
    app.wait_for_text("1 done");
    let folder = home.path().join("downloads").join("12345 Odoo Billing Process");
    let saved = folder.join("Invoice_001.pdf");
    assert_eq!(sha256_file(&saved), sample_data().document_sha256("98765").unwrap());

    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
    assert!(
        ends_restored(&app.raw_output()),
        "the terminal was not restored at exit"
    );
    // The demo's throwaway profile left nothing in the user's data dir.
    assert!(!home.path().join("xdg-data").join("trackline").join("sessions").exists());
}

/// The top row (the top bar) of a screen.
fn top_row(screen: &str) -> &str {
    screen.lines().next().unwrap_or_default()
}

/// The last `n` rows of a screen (the hint line, where messages go, and above it).
fn bottom_rows(screen: &str, n: usize) -> String {
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len().saturating_sub(n)..].join("\n")
}

#[test]
fn at_80x24_the_search_box_nested_data_and_messages_work_as_a_user_expects() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 80, 24);
    app.wait_for_text("Log in to Trackline");

    // A lookup before any sign-in asks for one (not "your session has ended") and runs after it.
    app.send("\x1b");
    app.wait_for("the login dialog closed", |s| !s.contains("Log in to Trackline"));
    app.send("12345\r");
    let screen = app.wait_for_text("You are not signed in");
    assert!(!screen.contains("session has ended"), "{screen}");
    app.send("\r");
    app.wait_for_text("Invoice_001.pdf");

    // `/` selects the old text: typing replaces it. Nested data is a tree, and
    // the pane says where it is.
    app.send("/12346\r");
    let screen = app.wait_for("the approval as a tree", |s| {
        s.contains("approval ▸ at") && s.contains("Ana Weber")
    });
    assert!(screen.contains("Process 1–8 of 13"), "{screen}");
    assert!(!screen.contains("{\""), "no raw JSON: {screen}");

    // A name two processes share: the chooser, and no documents of 12346 under it.
    app.send("/Month-End Close\r");
    let screen = app.wait_for("the chooser and no stale documents", |s| {
        s.contains("2 processes match") && !s.contains("XRechnung")
    });
    assert!(
        screen.contains("› Month-End Close "),
        "the old text was replaced: {screen}"
    );
    assert!(screen.contains("Choose a process above"), "{screen}");

    // A name in other capitals: said plainly, with the closest recent name one key away.
    app.send("/odoo billing process\r");
    let screen = app.wait_for_text("Names must match exactly");
    assert!(
        screen.contains("Closest recent: Odoo Billing Process (12345)"),
        "{screen}"
    );
    assert!(
        !screen.contains("Press / to search"),
        "/ types a slash in the box: {screen}"
    );
    app.send("\x1b[B\r");
    app.wait_for("12345 shown again", |s| {
        s.contains("Invoice_001.pdf") && !s.contains("Names must match")
    });

    // In Help, the first ↓ scrolls.
    app.send("?");
    app.wait_for("the help's first row", |s| {
        s.contains("Keys") && s.contains("quit at once")
    });
    app.send("\x1b[B");
    app.wait_for("the help scrolled by one", |s| {
        s.contains("Keys") && !s.contains("quit at once")
    });
    app.send("?");

    // The profile message goes to the hint line, keeps the server in the top
    // bar, and clears by itself.
    app.send("P");
    let screen = app.wait_for("the message on the hint line", |s| {
        bottom_rows(s, 2).contains("Only one profile")
    });
    assert!(top_row(&screen).contains("│ default │"), "{screen}");
    assert!(!top_row(&screen).contains("Only one profile"), "{screen}");
    app.wait_for("the message gone without a key", |s| !s.contains("Only one profile"));

    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
}

#[test]
fn at_120x36_the_process_pane_grows_to_show_all_its_data() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 120, 36);
    app.wait_for_text("Log in to Trackline");
    app.send("\r");
    app.wait_for("signed in", |s| top_row(s).contains("demo@trackline.local"));
    app.send("12346\r");
    let screen = app.wait_for("the whole tree", |s| {
        s.contains("approval ▸ at") && s.contains("vat, q1, germany")
    });
    let title = screen.lines().find(|l| l.contains("╭ Process")).unwrap();
    assert!(!title.contains(" of "), "nothing to scroll: {title}");
    assert!(
        screen.contains("Receipt_Photo.jpg"),
        "the documents keep their rows: {screen}"
    );
    app.send("\x03");
    app.wait_closed();
}

#[test]
fn the_top_bar_says_when_the_server_is_not_the_profiles() {
    let home = tempfile::TempDir::new().unwrap();
    let config = home.path().join("xdg-config").join("trackline");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[profiles.default]\nbase_url = \"https://api.example.com/api\"\n",
    )
    .unwrap();
    let server = format!("http://127.0.0.1:{}/api", common::closed_port());
    let env = [("TRACKLINE_BASE_URL", server.as_str())];
    for (cols, rows, shown) in [
        (
            140,
            30,
            "from TRACKLINE_BASE_URL, not the profile's https://api.example.com/api",
        ),
        (80, 24, "from TRACKLINE_BASE_URL"),
    ] {
        let mut app = PtyApp::spawn(&[], home.path(), &env, cols, rows);
        let screen = app.wait_for_text("Log in to Trackline");
        assert!(top_row(&screen).contains(shown), "{cols}×{rows}: {screen}");
        app.send("\x03");
        app.wait_closed();
        app.wait_exit();
    }
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the panic hook it triggers is compiled into debug builds only"
)]
fn a_panic_inside_the_tui_restores_the_terminal() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(
        &["demo"],
        home.path(),
        &[(trackline::tui::run::PANIC_FOR_TEST, "1")],
        100,
        30,
    );
    app.wait_closed();
    app.wait_exit();
    let raw = app.raw_output();
    let leave = raw
        .windows(LEAVE_ALTERNATE_SCREEN.len())
        .position(|w| w == LEAVE_ALTERNATE_SCREEN);
    let message = raw.windows(8).position(|w| w == b"panicked");
    match (leave, message) {
        (Some(leave), Some(message)) => assert!(
            leave < message,
            "the panic message printed before the terminal was restored"
        ),
        _ => panic!(
            "expected a restored terminal and then the panic message:\n{}",
            String::from_utf8_lossy(&raw)
        ),
    }
}

#[test]
fn sigterm_quits_cleanly_and_restores_the_terminal() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 100, 30);
    app.wait_for_text("Log in to Trackline");
    common::send_signal(app.pid(), "TERM");
    app.wait_closed();
    app.wait_exit();
    assert!(ends_restored(&app.raw_output()));
}

#[test]
fn a_small_terminal_gets_a_message_not_a_panic() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 50, 12);
    app.wait_for_text("too small");
    app.send("\x03");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 130, "Ctrl-C exits like an interrupted program");
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_redraws_on_return() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 100, 30);
    app.wait_for_text("Log in to Trackline");
    let before = app.raw_output().len();
    app.send("\x1a");
    // The app leaves the alternate screen before it stops, and takes it back
    // (drawing the whole screen again) when it continues. Under a test's
    // orphaned process group the stop itself is skipped by the kernel, so the
    // round trip happens at once.
    app.wait_for_raw("the screen drawn again after Ctrl-Z", |raw| {
        let after = &raw[before..];
        let leave = after
            .windows(LEAVE_ALTERNATE_SCREEN.len())
            .position(|w| w == LEAVE_ALTERNATE_SCREEN);
        let enter = after.windows(8).rposition(|w| w == b"\x1b[?1049h");
        matches!((leave, enter), (Some(l), Some(e)) if e > l)
    });
    app.wait_for_text("Log in to Trackline");
    app.send("\x03");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 130, "Ctrl-C exits like an interrupted program");
}

/// The name and nice value in a `/proc/…/stat` file.
#[cfg(target_os = "linux")]
fn name_and_nice(stat_file: std::path::PathBuf) -> (String, i64) {
    let stat = std::fs::read_to_string(stat_file).unwrap();
    let (head, tail) = stat.rsplit_once(')').unwrap();
    let name = head.split_once('(').unwrap().1.to_string();
    // After the name come field 3 (the state) on; nice is field 19.
    (name, tail.split_whitespace().nth(16).unwrap().parse().unwrap())
}

#[cfg(target_os = "linux")]
#[test]
fn downloads_run_below_the_thread_that_reads_keys_and_draws() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 100, 30);
    app.wait_for_text("Log in to Trackline");
    let (_, own) = name_and_nice("/proc/thread-self/stat".into());
    let pid = app.pid();
    let threads: Vec<_> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .map(|task| name_and_nice(task.unwrap().path().join("stat")))
        .collect();
    let runtime: Vec<_> = threads.iter().filter(|(name, _)| name == "tokio-rt-worker").collect();
    assert!(!runtime.is_empty(), "no runtime threads in {threads:?}");
    assert!(
        runtime.iter().all(|(_, nice)| *nice == 10.max(own)),
        "runtime threads should run at nice 10: {threads:?}"
    );
    let (_, interface) = name_and_nice(format!("/proc/{pid}/task/{pid}/stat").into());
    assert_eq!(
        interface, own,
        "the interface thread keeps the priority it started with: {threads:?}"
    );
    app.send("\x03");
    app.wait_closed();
}

/// The OSC 52 sequence that puts `text` on the clipboard.
fn osc52(text: &str) -> Vec<u8> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07").into_bytes()
}

#[test]
fn downloads_show_names_y_copies_over_osc52_and_q_asks_while_one_runs() {
    for (cols, rows) in [(80, 24), (90, 30)] {
        let home = tempfile::TempDir::new().unwrap();
        let mut app = PtyApp::spawn(&["demo"], home.path(), &[], cols, rows);
        app.wait_for_text("Log in to Trackline");
        app.send("\r");
        app.wait_for("the signed-in email in the top bar", |s| {
            s.lines().next().is_some_and(|top| top.contains("demo@trackline.local"))
        });
        app.send("12346\r");
        app.wait_for_text("XRechnung_2024_0042.xml");
        app.send("D");
        app.wait_for_text("4 done");
        app.send("\t");
        let sha = sample_data().document_sha256("98766").unwrap();
        let screen = app.wait_for("the saved file's whole SHA-256", |s| s.contains(&sha));
        let row = screen
            .lines()
            .find(|l| l.contains("XRechnung_2024_0042.xml") && l.contains("100%"));
        assert!(row.is_some(), "{cols}×{rows}: the row names its file:\n{screen}");

        app.send("y");
        app.wait_for_text("copied the saved path");
        let saved = home
            .path()
            .join("downloads")
            .join("12346 Quarterly VAT Filing Q1")
            .join("XRechnung_2024_0042.xml");
        let sequence = osc52(&saved.to_string_lossy());
        app.wait_for_raw("the OSC 52 sequence of the saved path", |raw| {
            raw.windows(sequence.len()).any(|w| w == sequence)
        });
        app.send("y");
        app.wait_for_text("copied the SHA-256");
        let sequence = osc52(&sha);
        app.wait_for_raw("the OSC 52 sequence of the SHA-256", |raw| {
            raw.windows(sequence.len()).any(|w| w == sequence)
        });

        // The 1 GiB file runs for minutes: q asks first, q again quits, the part stays.
        app.send("/\x1520000\r");
        app.wait_for_text("large_export.bin");
        app.send("\r");
        app.wait_for("the large download receiving bytes", |s| s.contains(" / 1.1 GB"));
        app.send("q");
        app.wait_for_text("1 download running — q again");
        app.send("q");
        app.wait_closed();
        assert_eq!(app.wait_exit(), 0);
        let part = home
            .path()
            .join("downloads")
            .join("20000 Large export")
            .join("large_export.bin.part");
        assert!(part.exists(), "{cols}×{rows}: the .part stays for the next run");
    }
}

#[test]
fn at_80x24_w_lists_the_process_as_watched_and_its_change_rings_the_bell() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 80, 24);
    app.wait_for_text("Log in to Trackline");
    app.wait_for_text("demo@trackline.local");
    app.send("\r");
    app.wait_for("the signed-in email in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains("demo@trackline.local"))
    });
    // The demo moves 12353 on every 20 seconds and checks watched processes every 5.
    app.send("12353\r");
    app.wait_for_text("Travel Costs Review");
    app.send("w");
    let screen = app.wait_for("the watched list with its first check", |s| {
        let left = |l: &str| l.split("││").next().unwrap_or_default().to_string();
        s.contains("Watched 1")
            && s.lines()
                .map(left)
                .any(|l| l.contains("12353 ") && l.trim_end().ends_with('s'))
    });
    assert!(screen.contains("Watching 12353"), "{screen}");
    assert!(screen.contains("id    status     changed"), "{screen}");

    let screen = app.wait_for("the change marked", |s| {
        s.contains("1 changed") && s.contains("● 12353")
    });
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
    app.wait_for_raw("the bell", |raw| raw.contains(&0x07));

    // Tab from the search box: Recent, then Watched; the selected row says when it was checked.
    app.send("/\t\t");
    let screen = app.wait_for("the watched list focused", |s| {
        s.contains("› 12353") && s.contains("checked ") && s.contains("w unwatch")
    });
    assert!(!screen.contains("1 changed"), "selected is seen: {screen}");
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
}

#[test]
fn at_80x24_matches_appear_as_you_type_and_down_enter_opens_the_document_found() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], 80, 24);
    app.wait_for_text("Log in to Trackline");
    app.send("\r");
    app.wait_for("the signed-in email in the top bar", |s| {
        top_row(s).contains("demo@trackline.local")
    });
    app.send("12346\r");
    app.wait_for_text("Receipt_Photo.jpg");
    app.send("/");
    app.send("12345\r");
    app.wait_for_text("Odoo Billing Process");

    // A typo and a second word: the document of the other process is found.
    app.send("/");
    app.send("receit photo");
    let screen = app.wait_for("the document found under the search box", |s| {
        s.contains("receit photo") && s.contains("Matches 1") && s.contains("▪ Receipt_Phot") && s.contains("· 12346")
    });
    assert!(
        !screen.contains("Recent"),
        "the matches replace the recent list:\n{screen}"
    );
    app.send("\x1b[B");
    app.send("\r");
    let screen = app.wait_for("its process, with the document selected", |s| {
        s.contains("Quarterly VAT Filing Q1") && s.lines().any(|l| l.contains('›') && l.contains("Receipt_Photo.jpg"))
    });
    assert!(!screen.contains("Matches"), "{screen}");
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
}
