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

/// The stderr of `cmd` in Spanish, with its exit code checked.
fn spanish_stderr(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let output = cmd.env("TRACKLINE_LANG", "es").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    stderr
}

#[test]
fn every_family_of_errors_is_spanish_on_stderr() {
    // Not signed in, with what to do.
    let home = tempfile::TempDir::new().unwrap();
    let rig = Rig::new();
    let not_signed_in = spanish_stderr(rig.cmd().args(["download", "5"]), 3);
    assert!(
        not_signed_in.contains("no hay sesión: ejecute `trackline login`"),
        "{not_signed_in}"
    );
    // Not found.
    rig.login();
    let not_found = spanish_stderr(rig.cmd().args(["download", "999999"]), 4);
    assert!(not_found.contains("no se encontró el adjunto 999999"), "{not_found}");
    // The server is down: the retry notices and the error.
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[retry]\nmax_attempts = 2\nmax_delay_secs = 1\n").unwrap();
    let url = format!("http://127.0.0.1:{}/api", common::closed_port());
    let down = spanish_stderr(
        bare_cmd(home.path())
            .args(["--config", config.to_str().unwrap(), "--base-url", &url])
            .args(["login", "--email", common::EMAIL, "--password-stdin"])
            .write_stdin("demo\n"),
        5,
    );
    assert!(down.contains("no se puede conectar con http://127.0.0.1"), "{down}");
    assert!(
        down.contains("se reintenta en") && down.contains("(intento 2 de 2)"),
        "{down}"
    );
    assert!(!down.contains("retrying") && !down.contains("cannot reach"), "{down}");
    // An untrusted certificate: what to do, the problem in Spanish.
    let tls = Rig::tls();
    let untrusted = spanish_stderr(
        tls.cmd()
            .args(["login", "--email", common::EMAIL, "--password-stdin"])
            .write_stdin("demo\n"),
        7,
    );
    assert!(
        untrusted.contains("no se puede conectar de forma segura")
            && untrusted.contains("emisor desconocido")
            && untrusted.contains("--ca-cert ARCHIVO"),
        "{untrusted}"
    );
    // A bad config file, with its line.
    std::fs::write(&config, "theme = \n").unwrap();
    let bad_config = spanish_stderr(
        bare_cmd(home.path()).args(["--config", config.to_str().unwrap(), "status"]),
        2,
    );
    assert!(
        bad_config.contains("archivo de configuración incorrecto") && bad_config.contains("línea 1"),
        "{bad_config}"
    );
    std::fs::write(&config, "[keys]\nquit = \"d\"\n").unwrap();
    let bad_keys = spanish_stderr(
        bare_cmd(home.path()).args(["--config", config.to_str().unwrap(), "status"]),
        2,
    );
    assert!(
        bad_keys.contains("está asignada a la vez a quit y a download"),
        "{bad_keys}"
    );
    // An --ids-from file that is not text, and one that is missing.
    let latin1 = home.path().join("ids.csv");
    std::fs::write(&latin1, b"12345\nNi\xf1o;12346\n").unwrap();
    let not_utf8 = spanish_stderr(rig.cmd().arg("export").arg("--ids-from").arg(&latin1), 2);
    assert!(
        not_utf8.contains("la línea 2, byte 3, no es UTF-8") && not_utf8.contains("CSV UTF-8"),
        "{not_utf8}"
    );
    let missing = spanish_stderr(
        rig.cmd()
            .args(["index", "--ids-from"])
            .arg(home.path().join("none.txt")),
        2,
    );
    assert!(missing.contains("no se puede leer --ids-from"), "{missing}");
}

#[test]
fn headless_summaries_and_status_are_spanish_and_english_is_as_it_was() {
    let rig = Rig::new();
    rig.login();
    let ids = rig.home.path().join("ids.txt");
    std::fs::write(&ids, "12345\nhola\n424242424\n").unwrap();
    let index = spanish_stderr(rig.cmd().args(["index", "--ids-from"]).arg(&ids), 6);
    assert!(
        index.contains("línea 2: \"hola\" no es un id de proceso; se omite"),
        "{index}"
    );
    assert!(index.contains("no se encontró el proceso 424242424"), "{index}");
    assert!(index.contains("1 no encontrado, 0 fallidos"), "{index}");
    let status = rig.cmd().env("TRACKLINE_LANG", "es").arg("status").output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    for label in [
        "Perfil:",
        "Servidor:",
        "Proxy:",
        "Registro:",
        "Correo:",
        "Sesión:",
        "válida, caduca el ",
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
    assert!(text.contains("ninguno"), "{text}");
    let english = rig.cmd().env("TRACKLINE_LANG", "en").arg("status").output().unwrap();
    let english = String::from_utf8_lossy(&english.stdout);
    assert!(english.starts_with("Profile:  default\nServer:   "), "{english}");
    assert!(
        english.contains("Proxy:    none\n") && english.contains("Session:  valid, expires at "),
        "{english}"
    );
    let history = rig
        .cmd()
        .env("TRACKLINE_LANG", "es")
        .args(["history", "12345"])
        .output()
        .unwrap();
    let history = String::from_utf8_lossy(&history.stdout);
    assert!(history.starts_with("VISTO"), "{history}");
    assert!(
        history.contains(" UTC") && (history.contains("hace ") || history.contains("ahora mismo")),
        "{history}"
    );
}

#[test]
fn inspect_writes_amounts_the_spanish_way_and_its_json_does_not_change() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/sandbox/files/XRechnung_2024_0042.xml"
    );
    let home = tempfile::TempDir::new().unwrap();
    let run = |lang: &str, json: bool| {
        let mut cmd = bare_cmd(home.path());
        cmd.env("TRACKLINE_LANG", lang).args(["inspect", "--file", file]);
        if json {
            cmd.arg("--json");
        }
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let spanish = String::from_utf8(run("es", false)).unwrap();
    for expected in [
        "Archivo ",
        "Vendedor    Code Contract Demo GmbH",
        "Comprador   Acme Trading AG",
        "Base        1.037,45 €",
        "Impuestos   197,11 €",
        "Total       1.234,56 €",
        "A pagar     1.234,56 €",
        "Líneas      1",
        "Comprobaciones",
        "ok  a pagar      el total = 1.234,56",
    ] {
        assert!(spanish.contains(expected), "{expected} missing:\n{spanish}");
    }
    for english in ["Seller", "Buyer", "Payable", "Checks", "1234.56"] {
        assert!(!spanish.contains(english), "{english} left:\n{spanish}");
    }
    let english = String::from_utf8(run("en", false)).unwrap();
    assert!(
        english.contains("Total       1234.56\n") && english.contains("Checks\n"),
        "{english}"
    );
    let json = run("en", true);
    assert!(json.starts_with(b"{"));
    assert_eq!(json, run("es", true));
}

#[test]
fn search_and_history_json_is_the_same_in_both_languages() {
    let rig = Rig::new();
    rig.login();
    rig.cmd().args(["process", "--id", "12345"]).assert().success();
    for args in [&["search", "Odoo", "--json"][..], &["history", "12345", "--json"]] {
        let run = |lang: &str| {
            let output = rig.cmd().env("TRACKLINE_LANG", lang).args(args).output().unwrap();
            assert!(
                output.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            output.stdout
        };
        let english = run("en");
        assert!(!english.is_empty(), "{args:?}");
        assert_eq!(english, run("es"), "{args:?}");
    }
}

/// The messages of `src/cli` go through the catalogue: no `eprintln!`, line
/// above the progress bars or `CliError::Other`/`Usage` is made from an
/// English literal there. What stays English is listed, with why.
#[test]
fn no_message_of_the_command_line_skips_the_catalogue() {
    const ALLOWED: &[&str] = &[
        // `trackline sandbox` is a developer tool; its errors are its own.
        "sandbox: {e}",
        // It does not know the language, and a closed stdout is mostly never
        // shown (141, quietly).
        "cannot write to standard output: {error}",
    ];
    const OPENERS: &[&str] = &[
        "eprintln!(",
        "eprint!(",
        "println(&format!(",
        "CliError::Other(format!(",
        "CliError::Usage(format!(",
        "CliError::Other(\"",
        "CliError::Usage(\"",
        "write!(stderr, ",
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    let (scanned, english) = english_literals(&files, OPENERS, ALLOWED);
    assert!(scanned > 30, "only {scanned} places scanned");
    assert!(english.is_empty(), "English outside the catalogue: {english:#?}");
}

/// The messages of the TUI and its worker go through the catalogue: no
/// notice, pane title, span or error the app shows is made from an English
/// literal in `src/tui` or `src/worker`. What stays is listed, with why.
#[test]
fn no_message_of_the_tui_skips_the_catalogue() {
    const ALLOWED: &[&str] = &[
        // Keys of the catalogue built from a name.
        "copy-what-{}",
        "action-{}",
        "state-{label}",
        "state-{}",
        // The names of keys in config.toml's [keys], the reason inside keys-bad-key.
        "unknown modifier {modifier:?} in {text:?}",
        "unknown key {rest:?} in {text:?}",
        // A folder name, not shown.
        "trackline-demo-{}-{attempt}",
        // A desktop notification's title: the program, then the process.
        "trackline: {}",
        // A JSON null in the process's details, shown as the server sent it.
        "null",
        // A unit beside a number: what a PDF too large to draw exceeds.
        "> {} MiB",
    ];
    const OPENERS: &[&str] = &[
        "format!(",
        "text: ",
        "message: ",
        "Some(",
        "Span::styled(",
        "Span::raw(",
        "pane(t, ",
        "push_str(",
        "fail(",
        "Warning(",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = code_files_under(vec![root.join("tui"), root.join("worker")]);
    files.push(root.join("worker.rs"));
    let (scanned, english) = english_literals(&files, OPENERS, ALLOWED);
    assert!(scanned > 300, "only {scanned} places scanned");
    assert!(english.is_empty(), "English outside the catalogue: {english:#?}");
}

/// The layers under the front ends whose words reach a user (the document
/// readers and the engine above all; the API, transfers, the index and the
/// config too) build no message from an English literal: a refusal or a
/// warning is a catalogue key (`message!("inspect-…")`, checked to be one).
/// What stays English is listed, with why.
#[test]
fn no_message_of_the_readers_and_the_engine_skips_the_catalogue() {
    const ALLOWED: &[&str] = &[
        // Not words: a unit beside a number, names of files and SQL, an HTTP
        // header, a URL, a script the tests of `open` write.
        "> {} MiB",
        "{name}.sqlite",
        ".damaged-{stamp}",
        ".damaged-{stamp}{suffix}",
        "file:{}?mode=ro&immutable=1",
        "SELECT count(*) FROM {table}",
        "bytes={}-",
        "http://{text}",
        "#!/bin/sh{body}",
        "printf '%sn' $#:$1 >> '{}'",
        // The name of a download with no name, kept as a file name.
        "attachment-{id}",
        // Keys of a warn-once set, never shown.
        "{profile}: repaired",
        "{profile}: write",
        // A profile's own field, as the e-invoice names it.
        "CFDI {v}",
        // What `--json`/logs name a thing with no name: the server's words
        // (`process 12345`) the lists show as a fallback title.
        "process {}",
        "attachment {}",
        "process {id}",
        "attachment {attachment_id}",
        // The English of tracing log lines and of `Display` (the log's words;
        // the front ends say them through `localized`).
        "retrying in {secs} s (attempt {attempt} of {max_attempts})",
        "the index stays in {mode} mode",
    ];
    const OPENERS: &[&str] = &[
        "InspectError::Refused(",
        "Refused(",
        "format!(",
        "reason: ",
        "message: ",
        "Err(\"",
        "message!(",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers = ["inspect", "engine", "index", "transfer", "api", "config"];
    let mut files = code_files_under(layers.iter().map(|d| root.join(d)).collect());
    files.extend(
        layers
            .iter()
            .map(|d| root.join(format!("{d}.rs")))
            .filter(|f| f.exists()),
    );
    let keys: Vec<&str> = trackline::i18n::EN_FTL
        .lines()
        .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
        .filter(|key| !key.starts_with(['#', ' ', '.']))
        .collect();
    let mut allowed: Vec<&str> = ALLOWED.to_vec();
    allowed.extend(&keys);
    let (scanned, english) = english_literals(&files, OPENERS, &allowed);
    assert!(scanned > 200, "only {scanned} places scanned");
    assert!(english.is_empty(), "English outside the catalogue: {english:#?}");
    let (_, keyed) = english_literals(&files, &["message!("], &[]);
    let not_keys: Vec<_> = keyed
        .iter()
        .filter(|hit| !keys.iter().any(|key| hit.ends_with(&format!("message!({key:?}"))))
        .collect();
    assert!(not_keys.is_empty(), "message!( without a catalogue key: {not_keys:#?}");
    let (_, every) = english_literals(&files, OPENERS, &[]);
    for stale in ALLOWED {
        let found = every.iter().any(|hit| hit.ends_with(&format!("{stale:?}")));
        assert!(found, "ALLOWED lists {stale:?}, which the source no longer has");
    }
}

/// The files below `dirs`, all the way down, but those of unit tests.
fn code_files_under(mut dirs: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if !is_test_file(&path) {
                files.push(path);
            }
        }
    }
    files
}

/// Whether `path` holds only unit tests or their fixtures (`…tests.rs`,
/// `test_….rs`), which the scans pass over.
fn is_test_file(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with("tests.rs") || name.starts_with("test_")
}

/// In the code of `files` (what comes before `#[cfg(test)]`), the string
/// literals right after one of `openers` that hold English words and are not
/// `allowed`: how many places were looked at, and those literals with their file.
fn english_literals(files: &[std::path::PathBuf], openers: &[&str], allowed: &[&str]) -> (usize, Vec<String>) {
    let mut scanned = 0;
    let mut english = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for opener in openers {
            for (at, _) in code.match_indices(opener) {
                scanned += 1;
                let rest = &code[at + opener.len()..];
                let Some(literal) = first_literal(rest) else { continue };
                if has_words(&literal) && !allowed.contains(&literal.as_str()) {
                    english.push(format!("{}: {opener}{literal:?}", path.display()));
                }
            }
        }
    }
    (scanned, english)
}

/// The string literal `rest` opens with (after white space), if it opens with one.
fn first_literal(rest: &str) -> Option<String> {
    let rest = rest.trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// Whether `literal` holds a word (three letters in a row) outside its `{…}` placeholders.
fn has_words(literal: &str) -> bool {
    let mut depth = 0;
    let mut run = 0;
    for c in literal.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 && c.is_alphabetic() => {
                run += 1;
                if run >= 3 {
                    return true;
                }
                continue;
            }
            _ => {}
        }
        run = 0;
    }
    false
}

/// The ```sh blocks of README.es.md (but those that build the crate), run in
/// order against a sandbox in a throwaway home, in Spanish: each must work as written.
#[test]
fn the_spanish_readmes_commands_run_as_written_against_the_sandbox() {
    let rig = Rig::new();
    let blocks = common::readme::sh_blocks("README.es.md");
    let ran = common::readme::run_sh_blocks(
        "README.es.md",
        &blocks,
        rig.home.path(),
        &rig.base_url(),
        &[("LANG", "es_ES.UTF-8")],
    );
    assert!(ran >= 30, "only {ran} commands of README.es.md ran");
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.es.md")).unwrap();
    for action in trackline::tui::Action::ALL {
        let name = format!("`{}`", action.config_name());
        assert!(
            readme.lines().any(|l| l.starts_with('|') && l.contains(&name)),
            "the keys table of README.es.md has no row for {name}"
        );
    }
}

#[test]
fn the_keyring_warning_is_spanish_when_a_login_and_an_env_login_fall_back_to_the_file() {
    let rig = Rig::new();
    let config = rig.home.path().join("xdg-config/trackline");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "token_store = \"keyring\"\nlang = \"es\"\n").unwrap();
    let nowhere = format!("unix:path={}", rig.home.path().join("no-bus-here").display());
    let login = rig
        .cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
        .args(["login", "--email", common::EMAIL, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&login.stderr);
    assert!(login.status.success(), "{message}");
    assert!(
        message.contains("trackline: aviso: el llavero del sistema no está disponible"),
        "{message}"
    );
    rig.cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
        .arg("logout")
        .assert()
        .success();
    // A command that logs in by itself from the environment says it the same way.
    let by_itself = rig
        .cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
        .env("TRACKLINE_EMAIL", common::EMAIL)
        .env("TRACKLINE_PASSWORD", common::PASSWORD)
        .args(["process", "--id", "12345", "--json"])
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&by_itself.stderr);
    assert!(by_itself.status.success(), "{message}");
    assert!(
        message.contains("aviso: el llavero del sistema no está disponible"),
        "{message}"
    );
    assert!(!message.contains("keyring is not available"), "{message}");
}
