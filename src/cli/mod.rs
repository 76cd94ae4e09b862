//! The headless front end: parse the command line, then run one command with
//! the `api` and `transfer` engines directly (no worker, no terminal UI).

mod args;
mod clap_errors;
mod clap_lang;
mod context;
mod download;
mod error;
mod export;
mod ids;
mod index;
mod inspect;
mod keys;
mod man;
mod manifest;
mod output;
mod progress;
mod search;
mod session;
mod show_words;
mod stdout;
mod watch;

pub use args::Cli;
pub(crate) use args::Command;
pub(crate) use context::Context;
pub(crate) use error::CliError;

use crate::exit;
use clap::{FromArgMatches, Parser};
use std::process::ExitCode;

/// The version line: the crate version, and the git commit when built from git.
pub const LONG_VERSION: &str = env!("TRACKLINE_VERSION");

/// Parses the command line, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = match clap_lang::lang_before_parsing(&argv) {
        crate::i18n::Lang::En => Cli::try_parse_from(&argv).map_err(usage_exit),
        lang => parse_in(lang, &argv).map_err(usage_exit),
    };
    let cli = match parsed {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = early_lang(&cli.global);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error @ (CliError::StdoutClosed | CliError::AlreadyReported(_))) => {
            tracing::info!(%error, "stopping quietly");
            ExitCode::from(error.exit_code())
        }
        Err(error) => {
            tracing::error!(%error, "command failed");
            eprintln!("{}", crate::tr!(lang, "cli-error", message = error.localized(lang)));
            ExitCode::from(error.exit_code())
        }
    }
}

/// Parses `argv` with help texts and usage errors in `lang` (not English:
/// that is clap's own, [`Cli::try_parse_from`]).
fn parse_in(
    lang: crate::i18n::Lang,
    argv: &[std::ffi::OsString],
) -> Result<Cli, clap::error::Error<clap_errors::Spanish>> {
    let mut command = clap_lang::command(lang);
    let parsed = match command.try_get_matches_from_mut(argv) {
        Ok(mut matches) => Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command)),
        Err(e) => Err(e),
    };
    parsed.map_err(clap::Error::apply)
}

/// Prints a usage error, help or the version as clap does: help and version
/// on stdout (exit 0), mistakes on stderr (exit 2).
fn usage_exit<F: clap::error::ErrorFormatter>(e: clap::error::Error<F>) -> ExitCode {
    let _ = e.print();
    ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK })
}

/// Runs a parsed command line; `Ok` carries the exit code (0, or 6 for a
/// partly done bulk download).
pub fn run(cli: Cli) -> Result<u8, CliError> {
    let command = cli.command;
    // Commands that need neither settings nor a runtime.
    match &command {
        Some(Command::Completions { shell }) => {
            return output::completions(early_lang(&cli.global), *shell).map(|()| exit::OK);
        }
        Some(Command::Man) => return man::man_page(early_lang(&cli.global)).map(|()| exit::OK),
        // Needs the config file's path only (config show resolves the settings itself).
        Some(Command::Config(sub)) => return output::config(&cli.global, sub),
        _ => {}
    }
    let local_offset = crate::tui::run::local_offset();
    let context = Context::new(&cli.global)?;
    let _log = crate::logging::init(
        &context.paths.log_file,
        cli.global.log_level.as_deref(),
        context.settings.lang,
    );
    tracing::info!(version = env!("CARGO_PKG_VERSION"), command = ?command_name(&command), "start");
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if is_interactive(&command) {
        // The interface runs on this thread (`block_on`); everything else yields to it.
        builder.on_thread_start(crate::tui::priority::run_in_background);
    }
    let runtime = builder.build().map_err(|e| {
        CliError::Other(crate::tr!(
            context.settings.lang,
            "cli-no-runtime",
            reason = e.to_string()
        ))
    })?;
    runtime.block_on(async move {
        crate::engine::signals::ignore_file_size_limit();
        match command {
            None => {
                let launch = crate::tui::run::Launch {
                    settings: context.settings.clone(),
                    paths: context.paths.clone(),
                    password_prefill: None,
                    local_offset,
                };
                crate::tui::run::run(launch).await.map_err(CliError::from)
            }
            #[cfg(feature = "sandbox")]
            Some(Command::Demo) => {
                crate::tui::run::run_demo(cli.global.download_dir.clone(), &context.settings, local_offset)
                    .await
                    .map_err(CliError::from)
            }
            #[cfg(not(feature = "sandbox"))]
            Some(Command::Demo) => Err(CliError::Other(crate::tr!(context.settings.lang, "cli-no-sandbox"))),
            Some(Command::Login { email, password_stdin }) => session::login(&context, email, password_stdin).await,
            Some(Command::Logout { all }) => session::logout(&context, all),
            Some(Command::Status) => session::status(&context),
            Some(Command::Profiles) => session::profiles(&context),
            Some(Command::Process(args)) => output::process(&context, &args).await,
            Some(Command::Download(args)) => download::download(&context, &args).await,
            Some(Command::Export(args)) => export::export(&context, &args).await,
            Some(Command::Inspect(args)) => inspect::inspect(&context, &args).await,
            Some(Command::Watch(args)) => watch::watch(&context, &args, local_offset).await,
            Some(Command::Search(args)) => search::search(&context, &args).await,
            Some(Command::Index(args)) => index::index(&context, &args).await,
            Some(Command::History(args)) => search::history(&context, &args).await,
            #[cfg(feature = "sandbox")]
            Some(Command::Sandbox(args)) => crate::sandbox::run_cli(args.into())
                .await
                .map(|()| exit::OK)
                .map_err(|e| CliError::Other(format!("sandbox: {e}"))), // the sandbox's own words (a developer tool)
            Some(Command::Completions { .. } | Command::Man | Command::Config(_)) => Ok(exit::OK),
        }
    })
}

/// The language of the messages on stderr, chosen before anything runs as
/// [`crate::config::Settings`] chooses it (`--lang`, `TRACKLINE_LANG`, config
/// `lang`, the locale); a config file that cannot be read counts as no `lang`.
pub(super) fn early_lang(global: &args::GlobalArgs) -> crate::i18n::Lang {
    let file = output::config_file(global)
        .ok()
        .and_then(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            crate::config::Config::parse(&text, &path).ok()
        })
        .and_then(|config| config.lang);
    crate::i18n::choose(global.lang, file, |name| std::env::var(name).ok()).0
}

/// Whether the command opens the TUI.
fn is_interactive(command: &Option<Command>) -> bool {
    matches!(command, None | Some(Command::Demo))
}

fn command_name(command: &Option<Command>) -> &'static str {
    match command {
        None => "tui",
        Some(Command::Demo) => "demo",
        Some(Command::Login { .. }) => "login",
        Some(Command::Logout { .. }) => "logout",
        Some(Command::Status) => "status",
        Some(Command::Profiles) => "profiles",
        Some(Command::Process(_)) => "process",
        Some(Command::Download(_)) => "download",
        Some(Command::Export(_)) => "export",
        Some(Command::Inspect(_)) => "inspect",
        Some(Command::Watch(_)) => "watch",
        Some(Command::Search(_)) => "search",
        Some(Command::Index(_)) => "index",
        Some(Command::History(_)) => "history",
        #[cfg(feature = "sandbox")]
        Some(Command::Sandbox(_)) => "sandbox",
        Some(Command::Config(_)) => "config",
        Some(Command::Completions { .. }) => "completions",
        Some(Command::Man) => "man",
    }
}
