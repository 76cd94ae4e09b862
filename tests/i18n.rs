//! Spanish (issue 17): the real binary in both languages, in a
//! pseudo-terminal at 80×24 and as headless commands against the sandbox.

#![allow(clippy::unwrap_used)] // test helpers

mod common;

use common::pty::PtyApp;
use common::{Rig, bare_cmd};
use predicates::prelude::*;

/// English words and phrases of the TUI that must not be left in Spanish.
const ENGLISH: &[&str] = &[
    "Log in",
    "Search",
    "Recent",
    "Documents",
    "Downloads",
    "Password",
    "Server",
    "Keep password",
    "not signed in",
    "session",
    "No downloads",
    "Type a process",
    " help",
    " quit",
    " move",
    " next ",
    " close",
    "Keys",
    "Action",
    "Where",
    "Status",
    "Created",
    "Name ",
    " done",
    "queued",
    "running",
    "ago",
];

fn english_left(screen: &str) -> Vec<&'static str> {
    ENGLISH.iter().copied().filter(|w| screen.contains(w)).collect()
}

/// Every row of the screen that a long word ran into the border of: a
/// character right before the right border that is not a space, `…` or a
/// border piece, in a row that shows text from the catalogue.
fn cut_rows(screen: &str, width: usize) -> Vec<String> {
    screen
        .lines()
        .filter(|line| {
            let chars: Vec<char> = line.chars().collect();
            chars.len() == width && chars[width - 1] == '│' && !matches!(chars[width - 2], ' ' | '…' | '│' | '─')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_tui_speaks_spanish_at_80x24_and_nothing_runs_into_a_border() {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[("LANG", "es_ES.UTF-8")], 80, 24);
    let login = app.wait_for_text("Iniciar sesión");
    for word in ["Correo", "Contraseña", "Servidor", "sin sesión", "Buscar", "Descargas"] {
        assert!(login.contains(word), "{word} missing:\n{login}");
    }
    app.wait_for_text("demo@trackline.local");
    app.send("\r");
    app.wait_for("the signed-in email in the top bar", |s| {
        s.lines().next().is_some_and(|top| top.contains("demo@trackline.local"))
    });
    app.send("12345\r");
    app.wait_for_text("Invoice_001.pdf");
    app.send("\r");
    let screen = app.wait_for_text("1 hecha");
    for title in [
        "Buscar",
        "Recientes",
        "Proceso",
        "Documentos",
        "Descargas",
        "Estado",
        "Creado",
        "hace ",
    ] {
        assert!(screen.contains(title), "{title} missing:\n{screen}");
    }
    assert_eq!(english_left(&screen), Vec::<&str>::new(), "\n{screen}");
    assert_eq!(cut_rows(&screen, 80), Vec::<String>::new(), "\n{screen}");
    let hints = screen.lines().last().unwrap_or_default();
    assert!(hints.contains("descargar"), "{hints}");

    app.send("?");
    let help = app.wait_for_text("Teclas");
    assert!(help.contains("Acción") && help.contains("salir de inmediato"), "{help}");
    assert_eq!(english_left(&help), Vec::<&str>::new(), "\n{help}");

    app.send("?");
    app.wait_for("the help closed", |s| !s.contains("Teclas"));
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
}

#[test]
fn trackline_lang_beats_the_locale_and_english_stays_as_it_was() {
    let home = tempfile::TempDir::new().unwrap();
    let envs = [("LANG", "es_ES.UTF-8"), ("TRACKLINE_LANG", "en")];
    let mut app = PtyApp::spawn(&["demo"], home.path(), &envs, 80, 24);
    let screen = app.wait_for_text("Log in to Trackline");
    assert!(
        screen.contains("not signed in") && !screen.contains("Iniciar sesión"),
        "{screen}"
    );
    app.send("\x03");
    app.wait_closed();
}

#[test]
fn errors_on_stderr_are_spanish_and_say_what_to_do() {
    let home = tempfile::TempDir::new().unwrap();
    bare_cmd(home.path())
        .env("TRACKLINE_LANG", "es")
        .env("TRACKLINE_BASE_URL", "http://127.0.0.1:9/api")
        .args(["process", "--id", "1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "trackline: no hay sesión: ejecute `trackline login`",
        ));
    let rig = Rig::new();
    rig.login();
    rig.cmd()
        .args(["--lang", "es", "process", "--id", "999999999"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no se encontró el proceso 999999999"));
}

#[test]
fn an_unknown_lang_flag_is_a_usage_error_and_an_unknown_locale_is_english() {
    let home = tempfile::TempDir::new().unwrap();
    bare_cmd(home.path())
        .args(["--lang", "fr", "status"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a language trackline speaks").and(predicate::str::contains("es")));
    let shown = bare_cmd(home.path())
        .env("LANG", "fr_FR.UTF-8")
        .args(["config", "show"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("lang ") && l.contains("en (from LANG)")),
        "{text}"
    );
    let shown = bare_cmd(home.path())
        .args(["--lang", "es", "config", "show"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("lang ") && l.contains("# línea de órdenes")),
        "{text}"
    );
}

#[test]
fn json_output_is_the_same_in_both_languages() {
    let rig = Rig::new();
    rig.login();
    let run = |lang: &str| {
        let output = rig
            .cmd()
            .env("TRACKLINE_LANG", lang)
            .args(["process", "--id", "31337", "--json"])
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let english = run("en");
    assert!(!english.is_empty());
    assert_eq!(english, run("es"));
}
