//! Which pictures the terminal gets: the built binary (`trackline demo`) in
//! a pseudo-terminal whose test side plays the terminal. It reads the query
//! the app writes before its event loop and answers as kitty, as a sixel
//! terminal, with only a cell size (iTerm2 then comes from `TERM_PROGRAM`),
//! or not at all; the photo's preview must then be written with that protocol.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::PtyApp;
use trackline::sandbox::PREVIEWS_PROCESS_ID;

/// One test at a time: the app waits a second for the terminal's answer,
/// and the test side must answer within it however loaded the machine is.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The end of the query: the status request every terminal answers.
const STATUS_REQUEST: &[u8] = b"\x1b[5n";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Starts the demo with `envs`, answers its graphics query with `answer`
/// (nothing when `None`), opens the photo's preview and returns the app and
/// the offset of the output written after the answer.
fn photo_preview(
    answer: Option<&str>,
    envs: &[(&str, &str)],
    cols: u16,
    rows: u16,
) -> (PtyApp, usize, tempfile::TempDir) {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), envs, cols, rows);
    app.wait_for_raw("the graphics query", |raw| find(raw, STATUS_REQUEST).is_some());
    let raw = app.raw_output();
    let query = &raw[..find(&raw, STATUS_REQUEST).unwrap()];
    assert!(
        find(query, b"\x1b_Gi=31,").is_some(),
        "the kitty query: {}",
        query.escape_ascii()
    );
    assert!(
        find(query, b"\x1b[c").is_some(),
        "the device attributes request: {}",
        query.escape_ascii()
    );
    assert!(
        find(query, b"\x1b[16t").is_some(),
        "the cell size request: {}",
        query.escape_ascii()
    );
    if let Some(answer) = answer {
        app.send(answer);
    }
    let start = app.raw_output().len();
    app.wait_for_text("Log in to Trackline");
    app.send("\r");
    app.wait_for("signed in", |s| {
        s.lines().next().is_some_and(|top| top.contains("demo@trackline.local"))
    });
    app.send(&format!("{PREVIEWS_PROCESS_ID}\r"));
    app.wait_for_text("Receipt_Rotated.jpg");
    app.send("p");
    app.wait_for_text("Preview");
    app.send("j");
    app.wait_for("the photo's summary", |s| s.contains("320 × 200 pixels"));
    (app, start, home)
}

/// Quits and checks the exit code.
fn quit(mut app: PtyApp) {
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
}

/// Whether `raw` holds a sixel picture: `ESC P`, its parameters, then `q`.
fn has_sixel(raw: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = find(&raw[from..], b"\x1bP") {
        let rest = &raw[from + at + 2..];
        let params = rest.iter().take_while(|b| b.is_ascii_digit() || **b == b';').count();
        if rest.get(params) == Some(&b'q') {
            return true;
        }
        from += at + 2;
    }
    false
}

#[test]
fn a_terminal_answering_as_kitty_gets_kitty_graphics() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for (cols, rows) in [(80, 24), (120, 36)] {
        let answer = "\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;c\x1b[0n";
        let (app, start, _home) = photo_preview(Some(answer), &[], cols, rows);
        app.wait_for_raw("kitty graphics", |raw| find(&raw[start..], b"\x1b_G").is_some());
        let raw = app.raw_output();
        assert!(!has_sixel(&raw[start..]), "no sixel beside kitty");
        quit(app);
    }
}

#[test]
fn a_terminal_answering_with_sixel_gets_sixel() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for (cols, rows) in [(80, 24), (120, 36)] {
        let answer = "\x1b[6;20;10t\x1b[?62;4;22c\x1b[0n";
        let (app, start, _home) = photo_preview(Some(answer), &[], cols, rows);
        app.wait_for_raw("a sixel picture", |raw| has_sixel(&raw[start..]));
        let raw = app.raw_output();
        assert!(find(&raw[start..], b"\x1b_G").is_none(), "no kitty graphics");
        quit(app);
    }
}

#[test]
fn iterm2_comes_from_term_program_when_the_terminal_answers_its_cell_size() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // No answer selects iTerm2 (its own query is not asked): the answer
    // gives the cell size and the environment names the terminal.
    let answer = "\x1b[6;20;10t\x1b[?62;c\x1b[0n";
    let (app, start, _home) = photo_preview(Some(answer), &[("TERM_PROGRAM", "iTerm.app")], 100, 30);
    app.wait_for_raw("an iTerm2 inline image", |raw| {
        find(&raw[start..], b"\x1b]1337;File=").is_some()
    });
    quit(app);
}

#[test]
fn a_terminal_answering_nothing_gets_halfblocks() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (app, start, _home) = photo_preview(None, &[], 80, 24);
    app.wait_for("the photo in half blocks", |s| s.contains('▀') || s.contains('▄'));
    let raw = app.raw_output();
    assert!(find(&raw[start..], b"\x1b_G").is_none(), "no kitty graphics");
    assert!(!has_sixel(&raw[start..]), "no sixel");
    quit(app);
}

#[test]
fn inside_tmux_the_query_and_the_pictures_pass_through_wrapped() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // tmux answers from the outer terminal; the app wraps what it writes.
    let answer = "\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;c\x1b[0n";
    let (app, start, _home) = photo_preview(Some(answer), &[("TERM", "tmux-256color")], 100, 30);
    let raw = app.raw_output();
    assert!(
        find(&raw[..start], b"\x1bPtmux;\x1b\x1b_Gi=31,").is_some(),
        "the query is wrapped"
    );
    app.wait_for_raw("kitty graphics wrapped for tmux", |raw| {
        find(&raw[start..], b"\x1bPtmux;\x1b\x1b_G").is_some()
    });
    quit(app);
}
