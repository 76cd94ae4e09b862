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
