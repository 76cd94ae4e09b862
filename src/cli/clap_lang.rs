//! The command line's own words in the run's language: the about texts, every
//! flag's help, the headings and the usage line of `--help`, chosen before
//! parsing. English is clap's `Command` as derived, untouched.

use super::Cli;
use crate::i18n::{Lang, slug};
use clap::builder::StyledStr;
use clap::{Arg, ArgAction, Command, CommandFactory};
use std::ffi::OsStr;

/// The language of this run, chosen before parsing from the raw `argv`, the
/// environment and the config file, in the order of [`crate::i18n::choose`]; a
/// config file that cannot be read counts as none.
pub(super) fn lang_before_parsing(argv: &[std::ffi::OsString]) -> Lang {
    let flag = |name: &str| value_of(argv, name);
    let global = super::args::GlobalArgs {
        lang: flag("--lang").and_then(|value| Lang::parse(&value)),
        config: flag("--config")
            .or_else(|| std::env::var("TRACKLINE_CONFIG").ok())
            .filter(|path| !path.is_empty())
            .map(std::path::PathBuf::from),
        ..Default::default()
    };
    super::early_lang(&global)
}

/// The value of `--name VALUE` or `--name=VALUE` in `argv` (the last one wins,
/// as clap takes it), looking no further than `--`.
fn value_of(argv: &[std::ffi::OsString], name: &str) -> Option<String> {
    let mut found = None;
    let mut words = argv.iter().skip(1).map(|word| word.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if word == name {
            if let Some(value) = words.next() {
                found = Some(value.into_owned());
            }
        } else if let Some(value) = word.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) {
            found = Some(value.to_string());
        }
    }
    found
}

/// What the words are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `--help` and usage errors: clap's notes after each help text
    /// (`[env: …]`, `[default: …]`) written in `lang` by us, the usage line ours.
    Help,
    /// The completion scripts: the command built as for parsing (every
    /// subcommand with the global options, clap's `help`), no notes.
    Completions,
    /// The man page: the command as derived, not built (clap_mangen builds each
    /// part it writes), the notes left to clap_mangen (whose words
    /// [`super::man`] puts in `lang`) and no value of this run's environment.
    Man,
}

/// The command line as clap parses it, its words in `lang`.
pub(super) fn command(lang: Lang) -> Command {
    build(lang, Target::Help)
}

/// The command line for the completion scripts, its words in `lang`;
/// English is clap's `Command` as derived, as for [`command`].
pub(super) fn completions_command(lang: Lang) -> Command {
    build(lang, Target::Completions)
}

/// The command line for the man page, not built, its words in `lang`;
/// English is clap's `Command` as derived.
pub(super) fn man_command(lang: Lang) -> Command {
    build(lang, Target::Man)
}

fn build(lang: Lang, target: Target) -> Command {
    let command = Cli::command();
    if lang == Lang::En {
        return command;
    }
    let mut command = name_placeholders(command, lang, target);
    if target != Target::Man {
        command.build();
    }
    localize(command, "", lang, target)
}

/// The arguments in the order English shows their headings: arguments,
/// options (`-h`, `-V` among them), then the global options. Every heading is
/// ours in `lang`, and clap shows custom headings in the order their first
/// argument comes; so, before clap builds the command, `-h` and `-V` are
/// made ours (clap would add them after the global options) and the global
/// options moved last (a subcommand gets them when built, after its own).
fn english_order(command: Command) -> Command {
    let has_version = command.get_version().is_some() || command.get_long_version().is_some();
    let mut command = command.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help_heading(None),
    );
    if has_version {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading(None),
        );
    }
    let options = command
        .get_arguments()
        .filter(|arg| !arg.is_positional() && !arg.is_global_set())
        .map(|arg| arg.get_id().clone());
    let globals = command
        .get_arguments()
        .filter(|arg| !arg.is_positional() && arg.is_global_set())
        .map(|arg| arg.get_id().clone());
    let ids: Vec<_> = options.chain(globals).collect();
    ids.into_iter()
        .fold(command, |command, id| command.mut_arg(id, |arg| arg))
}

/// `[COMMAND]` and the "Commands" heading, which clap copies into usage lines
/// and headings when it builds the command.
fn name_placeholders(command: Command, lang: Lang, target: Target) -> Command {
    let command = if command.has_subcommands() {
        command
            .subcommand_value_name(lang.t("cli-word-command"))
            .subcommand_help_heading(lang.t("cli-heading-commands"))
    } else {
        command
    };
    // Only help shows headings (clap_mangen writes the arguments without one
    // first by itself); completions keep the arguments in clap's order.
    let command = if target == Target::Help {
        english_order(command)
    } else {
        command
    };
    command
        .mut_args(|arg| value_names(arg, lang))
        .mut_subcommands(|sub| name_placeholders(sub, lang, target))
}

/// An argument's value names (`<FILE>`) in `lang`: `cli-value-file`.
fn value_names(arg: Arg, lang: Lang) -> Arg {
    let Some(names) = arg.get_value_names().filter(|_| arg.get_action().takes_values()) else {
        return arg;
    };
    let names: Vec<String> = names
        .iter()
        .map(|name| {
            lang.try_t(&value_key(name.as_str()))
                .unwrap_or_else(|| name.to_string())
        })
        .collect();
    arg.value_names(names)
}

/// The catalogue key of a value name: `ATTACHMENT_ID` → `cli-value-attachment-id`.
pub(crate) fn value_key(name: &str) -> String {
    format!("cli-value-{}", slug(&name.to_ascii_lowercase()))
}

/// The catalogue key of the command at `path` (`""` for trackline itself,
/// `"config-show"`): `cli-about`, `cli-about-config-show`.
pub(crate) fn command_key(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}-{path}")
    }
}

/// The catalogue key of an argument's help: `cli-help` and `cli-version` for
/// clap's own flags, `cli-global-<id>` for the global options,
/// `cli-arg-<path>-<id>` for the others.
pub(crate) fn arg_key(path: &str, arg: &Arg) -> String {
    let id = slug(arg.get_id().as_str());
    match id.as_str() {
        "help" | "version" => format!("cli-{id}"),
        _ if arg.is_global_set() => format!("cli-global-{id}"),
        _ if path.is_empty() => format!("cli-arg-{id}"),
        _ => format!("cli-arg-{path}-{id}"),
    }
}

fn localize(mut command: Command, path: &str, lang: Lang, target: Target) -> Command {
    if target == Target::Help {
        let usage = usage_body(&mut command, lang);
        let heading = command.get_styles().get_usage();
        let template = format!(
            "{{before-help}}{{about-with-newline}}\n{}{}{} {{usage}}\n\n{{all-args}}{{after-help}}",
            heading.render(),
            lang.t("cli-heading-usage"),
            heading.render_reset()
        );
        command = command.help_template(template).override_usage(usage);
    }
    // clap's own `help` subcommand (trackline has no command of that name).
    let builtin_help = command.get_name() == "help";
    let about_key = if builtin_help {
        "cli-about-help".to_string()
    } else {
        command_key("cli-about", path)
    };
    if let Some(about) = lang.try_t(&about_key) {
        command = command.about(about).long_about(None);
    }
    if let Some(examples) = lang.try_t(&command_key("cli-examples", path)) {
        command = command.after_help(examples).after_long_help(None);
    }
    let command = command.mut_args(|arg| localize_arg(arg, path, builtin_help, lang, target));
    if builtin_help {
        let parent = path.strip_suffix("help").unwrap_or(path).trim_end_matches('-');
        return help_copies(command, parent, lang);
    }
    command.mut_subcommands(|sub| {
        let sub_path = join(path, sub.get_name());
        localize(sub, &sub_path, lang, target)
    })
}

/// `config-show`: the path of `name` under `path`.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}-{name}")
    }
}

/// The about texts of the copies of the commands that clap keeps under its
/// `help` (for `trackline help <TAB>`), `path` being where `help` is.
fn help_copies(command: Command, path: &str, lang: Lang) -> Command {
    command.mut_subcommands(|sub| {
        let sub_path = join(path, sub.get_name());
        let key = if sub.get_name() == "help" {
            "cli-about-help".to_string()
        } else {
            command_key("cli-about", &sub_path)
        };
        let sub = match lang.try_t(&key) {
            Some(about) => sub.about(about).long_about(None),
            None => sub,
        };
        help_copies(sub, &sub_path, lang)
    })
}

/// The usage line without its "Usage:" title, `[OPTIONS]` in `lang`.
fn usage_body(command: &mut Command, lang: Lang) -> StyledStr {
    let style = command.get_styles().get_usage();
    let title = format!("{}Usage:{} ", style.render(), style.render_reset());
    let rendered = command.render_usage().ansi().to_string();
    let body = rendered.strip_prefix(&title).unwrap_or(&rendered);
    StyledStr::from(body.replace("[OPTIONS]", &format!("[{}]", lang.t("cli-word-options"))))
}

fn localize_arg(arg: Arg, path: &str, builtin_help: bool, lang: Lang, target: Target) -> Arg {
    let key = if builtin_help {
        "cli-arg-help-subcommand".to_string()
    } else {
        arg_key(path, &arg)
    };
    let mut help = lang
        .try_t(&key)
        .or_else(|| arg.get_help().map(|help| help.to_string()))
        .unwrap_or_default();
    let heading = match arg.get_help_heading() {
        Some(_) => lang.t("cli-heading-global-options"),
        None if arg.is_positional() => lang.t("cli-heading-arguments"),
        None => lang.t("cli-heading-options"),
    };
    match target {
        Target::Help => {}
        Target::Completions => return arg.help(help).long_help(None).help_heading(heading),
        // clap_mangen writes the arguments with no heading under its own
        // "OPTIONS", before the others, as in English.
        Target::Man => {
            let arg = arg.help(help).long_help(None);
            return match arg.get_help_heading() {
                Some(_) => arg.help_heading(heading),
                None => arg.help_heading(None),
            };
        }
    }
    for spec in specs(&arg, lang) {
        help.push(' ');
        help.push_str(&spec);
    }
    arg.help(help)
        .long_help(None)
        .help_heading(heading)
        .hide_env(true)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// What clap adds after a help text (`[env: …]`, `[default: …]`, `[possible
/// values: …]`), in `lang`.
fn specs(arg: &Arg, lang: Lang) -> Vec<String> {
    let mut specs = Vec::new();
    if let Some(name) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        let value = std::env::var_os(name).unwrap_or_default();
        let shown = format!("{}={}", shown(name), shown(&value));
        specs.push(crate::tr!(lang, "cli-spec-env", name = shown));
    }
    let defaults = arg.get_default_values();
    if arg.get_action().takes_values() && !arg.is_hide_default_value_set() && !defaults.is_empty() {
        let value = defaults.iter().map(|value| shown(value)).collect::<Vec<_>>().join(" ");
        specs.push(crate::tr!(lang, "cli-spec-default", value = value));
    }
    let values = arg.get_possible_values();
    if !arg.is_hide_possible_values_set() && !values.is_empty() {
        let names = values
            .iter()
            .filter(|value| !value.is_hide_set())
            .map(|value| value.get_name())
            .collect::<Vec<_>>();
        specs.push(crate::tr!(lang, "cli-spec-values", values = names.join(", ")));
    }
    specs
}

fn shown(value: &OsStr) -> String {
    value.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<std::ffi::OsString> {
        words.iter().map(std::ffi::OsString::from).collect()
    }

    #[test]
    fn lang_and_config_are_read_from_argv_up_to_a_double_dash() {
        assert_eq!(
            value_of(&argv(&["trackline", "--lang", "es", "status"]), "--lang").as_deref(),
            Some("es")
        );
        assert_eq!(
            value_of(&argv(&["trackline", "--lang=en", "--lang=es"]), "--lang").as_deref(),
            Some("es")
        );
        assert_eq!(
            value_of(&argv(&["trackline", "search", "--", "--lang", "es"]), "--lang"),
            None
        );
        assert_eq!(value_of(&argv(&["trackline", "--language", "es"]), "--lang"), None);
    }

    /// Every about text, example block and argument help has its Spanish and
    /// English words in the catalogue.
    #[test]
    fn every_command_and_argument_has_its_words_in_both_languages() {
        fn walk(command: &Command, path: &str, missing: &mut Vec<String>) {
            let builtin_help = command.get_name() == "help";
            let mut keys = vec![if builtin_help {
                "cli-about-help".to_string()
            } else {
                command_key("cli-about", path)
            }];
            if command.get_after_help().is_some() {
                keys.push(command_key("cli-examples", path));
            }
            for arg in command.get_arguments() {
                keys.push(if builtin_help {
                    "cli-arg-help-subcommand".to_string()
                } else {
                    arg_key(path, arg)
                });
                if arg.get_action().takes_values() {
                    keys.extend(
                        arg.get_value_names()
                            .unwrap_or_default()
                            .iter()
                            .map(|name| value_key(name.as_str())),
                    );
                }
            }
            for lang in Lang::ALL {
                missing.extend(
                    keys.iter()
                        .filter(|key| lang.try_t(key).is_none())
                        .map(|key| format!("{lang}: {key}")),
                );
            }
            if builtin_help {
                return;
            }
            for sub in command.get_subcommands() {
                let sub_path = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path}-{}", sub.get_name())
                };
                walk(sub, &sub_path, missing);
            }
        }
        let mut command = Cli::command();
        command.build();
        let mut missing = Vec::new();
        walk(&command, "", &mut missing);
        assert!(
            missing.is_empty(),
            "missing from the catalogue:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn english_is_clap_as_derived() {
        let mut ours = command(Lang::En);
        let mut derived = Cli::command();
        assert_eq!(ours.render_help().to_string(), derived.render_help().to_string());
    }
}
