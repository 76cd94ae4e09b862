//! Shell integration through the real binary: completions for every shell, the
//! man page, an example in every command's --help, --version with the commit,
//! and the README's commands run as written against the sandbox.

#![allow(clippy::unwrap_used)] // test helpers

mod common;

use clap::CommandFactory;
use common::{Rig, bare_cmd};
use std::path::Path;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

#[test]
fn completions_generate_for_every_shell() {
    let home = tempfile::TempDir::new().unwrap();
    for shell in SHELLS {
        let output = bare_cmd(home.path()).args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in ["trackline", "export", "download", "completions", "ids-from", "no-color"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let bad = bare_cmd(home.path()).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_man_page_renders() {
    let home = tempfile::TempDir::new().unwrap();
    let output = bare_cmd(home.path()).arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains("\n.TH trackline 1 "), "{page}");
    for word in [
        ".SS \"trackline export\"",
        ".SS \"trackline config show\"",
        "ids\\-from",
        "TRACKLINE_BASE_URL",
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES\n  trackline demo",
    ] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
    assert!(
        !page.contains("EXTRA"),
        "clap_mangen's heading is not a title for users"
    );
}

/// Every command path: `[]`, `["login"]`, `["config", "show"]`, …
fn command_paths(command: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.clone();
        path.push(sub.get_name().to_string());
        command_paths(sub, path, out);
    }
}

#[test]
fn every_commands_help_has_an_example() {
    let home = tempfile::TempDir::new().unwrap();
    let mut paths = Vec::new();
    command_paths(&trackline::cli::Cli::command(), Vec::new(), &mut paths);
    assert!(paths.len() >= 15, "{paths:?}");
    for path in paths {
        let output = bare_cmd(home.path()).args(&path).arg("--help").output().unwrap();
        assert!(output.status.success(), "{path:?}");
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(
            help.contains("Example"),
            "trackline {} --help has no example:\n{help}",
            path.join(" ")
        );
        let example = help.split("Example").nth(1).unwrap();
        assert!(example.contains("trackline"), "{path:?}: {example}");
    }
}

#[test]
fn version_names_the_git_commit_when_built_from_git() {
    let home = tempfile::TempDir::new().unwrap();
    let output = bare_cmd(home.path()).arg("--version").output().unwrap();
    assert!(output.status.success());
    let version = String::from_utf8(output.stdout).unwrap();
    assert!(
        version.starts_with(&format!("trackline {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    if let Some(commit) = commit {
        // Built from this checkout: the commit (the build may predate the newest commit).
        let shown = version.trim().rsplit_once('(').map(|(_, c)| c.trim_end_matches(')'));
        assert!(
            shown.is_some_and(|c| c.len() == commit.len() && c.chars().all(|ch| ch.is_ascii_hexdigit())),
            "{version} (HEAD is {commit})"
        );
    }
}

#[test]
fn the_readmes_commands_run_as_written_against_the_sandbox() {
    let rig = Rig::new();
    let blocks = common::readme::sh_blocks("README.md");
    assert!(blocks.len() >= 5, "{blocks:?}");
    let ran = common::readme::run_sh_blocks("README.md", &blocks, rig.home.path(), &rig.base_url(), &[]);
    assert!(ran >= 20, "only {ran} README commands ran");
}

#[test]
fn the_readme_documents_every_key_colour_and_config_key() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let keymap = trackline::tui::Keymap::default();
    for action in trackline::tui::Action::ALL {
        let name = format!("`{}`", action.config_name());
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && l.trim_end().ends_with(&format!("{name} |")))
            .unwrap_or_else(|| panic!("the keys table has no row for {name}"));
        for key in keymap.keys_for(action) {
            assert!(
                row.contains(&key),
                "the row of {name} lacks its default key {key}: {row}"
            );
        }
    }
    for color in trackline::config::Colors::NAMES {
        assert!(
            readme.contains(&format!("`{color}`")),
            "the README lacks the colour {color}"
        );
    }
    let template_keys = trackline::config::Config::template()
        .lines()
        .filter_map(|l| l.strip_prefix("# ")?.split_once(" = ").map(|(k, _)| k.trim()));
    for key in template_keys {
        assert!(
            readme.contains(&format!("`{key}`")) || readme.contains(&format!("{key}`")),
            "the README lacks {key}"
        );
    }
}

fn man_page(lang: &str) -> String {
    let home = tempfile::TempDir::new().unwrap();
    let output = bare_cmd(home.path()).args(["--lang", lang, "man"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The English page is the one trackline wrote before the page spoke other
/// languages: the snapshot is that code's output, the version line (which
/// names the commit) made a placeholder.
#[test]
fn the_english_man_page_is_as_it_was() {
    let page = man_page("en").replace(trackline::cli::LONG_VERSION, "VERSION");
    insta::assert_snapshot!("man_en", page);
}

/// The Spanish page: clap_mangen's headings and notes, the environment, files
/// and exit status in Spanish, the same layout as the English one.
#[test]
fn the_spanish_man_page_is_spanish() {
    let page = man_page("es");
    for english in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        "GLOBAL OPTIONS",
        ".SH COMMANDS",
        ".SH EXAMPLES",
        ".SH ENVIRONMENT",
        ".SH FILES",
        "EXIT STATUS",
        ".SH VERSION",
        "[default:",
        "Possible values",
        "May also be specified",
        "Print help",
        "Print version",
        "Examples:",
        "a flag wins over its variable",
        "EXTRA",
    ] {
        assert!(!page.contains(english), "{english:?} left in the Spanish page");
    }
    for spanish in [
        ".SH NOMBRE\ntrackline \\- Navegador de terminal",
        ".SH SINOPSIS",
        ".SH DESCRIPCIÓN",
        ".SH OPCIONES\n.TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nMuestra la ayuda",
        ".SH \"OPCIONES GLOBALES\"",
        ".SH COMANDOS\n.SS \"trackline demo\"",
        ".SS \"trackline config show\"",
        "\\fB\\-\\-jobs\\fR \\fI<N>\\fR [por defecto: 4]",
        "\\fIValores posibles:\\fR",
        "También puede darse con la variable de entorno \\fBTRACKLINE_BASE_URL\\fR. ",
        ".SH ENTORNO\n.TP\n\\fBTRACKLINE_BASE_URL\\fR, \\fBTRACKLINE_PROFILE\\fR",
        "Lo mismo que \\-\\-base\\-url",
        ".SH ARCHIVOS\n.TP\n\\fIconfig.toml\\fR\n",
        "\\fBtrackline config path\\fR muestra su ruta",
        ".SH \"ESTADO DE SALIDA\"\n0 hecho;",
        "(130 Ctrl\\-C,",
        ".SH EJEMPLOS\n  trackline demo",
        ".SH VERSIÓN",
    ] {
        assert!(page.contains(spanish), "the Spanish page lacks {spanish:?}");
    }
    let requests = |page: &str| -> Vec<String> {
        page.lines()
            .filter(|l| l.starts_with('.') && !l.starts_with(".SH") && !l.starts_with(".SS"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(requests(&page), requests(&man_page("en")), "the same layout");
}

/// groff reads both pages without a warning, when it is installed.
#[test]
fn groff_reads_the_man_page_in_both_languages() {
    if std::process::Command::new("groff").arg("--version").output().is_err() {
        println!("note: groff is not installed; the man page was not typeset");
        return;
    }
    for lang in ["en", "es"] {
        let mut groff = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-k", "-ww", "-P-cbou"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let page = man_page(lang);
        let mut stdin = groff.stdin.take().unwrap();
        let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, page.as_bytes()));
        let output = groff.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(output.status.success(), "{lang}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{lang}");
        let text = String::from_utf8_lossy(&output.stdout);
        let heading = if lang == "es" {
            "ESTADO DE SALIDA"
        } else {
            "EXIT STATUS"
        };
        assert!(text.contains(heading), "{lang}: {text}");
    }
}

fn completions(lang: &str, shell: &str) -> String {
    let home = tempfile::TempDir::new().unwrap();
    let output = bare_cmd(home.path())
        .env("TRACKLINE_LANG", lang)
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(output.status.success(), "{lang} {shell}");
    String::from_utf8(output.stdout).unwrap()
}

/// English scripts are clap_complete's from the command as derived, byte for
/// byte.
#[test]
fn english_completions_are_those_of_the_derived_command() {
    use clap_complete::Shell as S;
    for (name, shell) in [
        ("bash", S::Bash),
        ("zsh", S::Zsh),
        ("fish", S::Fish),
        ("powershell", S::PowerShell),
        ("elvish", S::Elvish),
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut trackline::cli::Cli::command(), "trackline", &mut script);
        assert_eq!(completions("en", name).into_bytes(), script, "{name}");
    }
}

/// Every long flag a script names: `--flag`, or fish's `-l flag`.
fn flags(script: &str) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let starts = script
        .match_indices("--")
        .map(|(at, _)| at + 2)
        .chain(script.match_indices(" -l ").map(|(at, _)| at + 4));
    for start in starts {
        let name: String = script[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.len() > 1 {
            found.insert(name);
        }
    }
    found
}

/// Spanish scripts describe commands and flags in Spanish; the names are the
/// same as in English.
#[test]
fn spanish_completions_describe_in_spanish_with_the_same_flags() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let spanish = completions("es", shell);
        let english = completions("en", shell);
        for words in ["Muestra la página de manual", "Descargas a la vez"] {
            assert!(spanish.contains(words), "{shell} lacks {words:?}");
        }
        assert!(!spanish.contains("Print the man page"), "{shell}");
        for english in ["Print help", "Print this message", "Print where the config"] {
            assert!(!spanish.contains(english), "{shell}: {english:?} left");
        }
        assert!(flags(&english).len() > 40, "{shell}: {:?}", flags(&english));
        assert_eq!(flags(&spanish), flags(&english), "{shell}");
    }
    assert_eq!(
        completions("es", "bash"),
        completions("en", "bash"),
        "bash has no descriptions"
    );
}

/// Each script, in both languages, is read by its shell without an error
/// (`-n`: parsed, not run); a shell that is not installed is skipped with a
/// note, bash is always there.
#[test]
fn completion_scripts_parse_in_their_shells() {
    let mut checked = 0;
    for (shell, args) in [("bash", &["-n"][..]), ("zsh", &["-n"]), ("fish", &["--no-execute"])] {
        if std::process::Command::new(shell).arg("--version").output().is_err() {
            assert_ne!(shell, "bash", "bash is needed");
            println!("note: {shell} is not installed; its scripts were not parsed");
            continue;
        }
        for lang in ["en", "es"] {
            let dir = tempfile::TempDir::new().unwrap();
            let path = dir.path().join(format!("trackline.{shell}"));
            std::fs::write(&path, completions(lang, shell)).unwrap();
            let output = std::process::Command::new(shell)
                .args(args)
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                output.status.success() && output.stderr.is_empty(),
                "{shell} {lang}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked >= 2);
}
