//! clap's usage errors in Spanish, from the error's kind and context; the
//! layout (error:, tips, usage, "try --help") and the exit code are clap's.

use crate::i18n::Lang;
use crate::tr;
use clap::builder::{StyledStr, Styles};
use clap::error::{ContextKind, ContextValue, Error, ErrorFormatter, ErrorKind};
use std::fmt::Write as _;

const TAB: &str = "  ";
const LANG: Lang = Lang::Es;

/// Renders clap's errors in Spanish (`error.apply::<Spanish>()`).
pub(super) struct Spanish;

impl ErrorFormatter for Spanish {
    fn format_error(error: &Error<Self>) -> StyledStr {
        let styles = Styles::default();
        let error_style = styles.get_error();
        let valid = styles.get_valid();
        let mut styled = StyledStr::new();
        let _ = write!(styled, "{error_style}{}{error_style:#} ", tr!(LANG, "cli-usage-error"));
        styled.push_str(&message(error));

        let mut suggested = false;
        for (kind, what) in [
            (ContextKind::SuggestedSubcommand, "subcommand"),
            (ContextKind::SuggestedArg, "argument"),
            (ContextKind::SuggestedValue, "value"),
        ] {
            if let Some(value) = error.get(kind) {
                styled.push_str(if suggested { "\n" } else { "\n\n" });
                suggested = true;
                let names = strings(value);
                let shown = names
                    .iter()
                    .map(|name| format!("'{valid}{name}{valid:#}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let tip = tr!(
                    LANG,
                    "cli-usage-similar",
                    what = what,
                    count = names.len(),
                    names = shown
                );
                let _ = write!(styled, "{TAB}{valid}{}{valid:#} {tip}", tr!(LANG, "cli-usage-tip"));
            }
        }
        if let Some(ContextValue::StyledStrs(tips)) = error.get(ContextKind::Suggested) {
            if !suggested {
                styled.push_str("\n");
            }
            for tip in tips {
                let _ = write!(
                    styled,
                    "\n{TAB}{valid}{}{valid:#} {}",
                    tr!(LANG, "cli-usage-tip"),
                    suggestion(tip)
                );
            }
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.ansi().to_string();
            let style = styles.get_usage();
            let title = format!("{}Usage:{}", style.render(), style.render_reset());
            let ours = format!(
                "{}{}{}",
                style.render(),
                tr!(LANG, "cli-heading-usage"),
                style.render_reset()
            );
            styled.push_str("\n\n");
            styled.push_str(&usage.replacen(&title, &ours, 1));
        }
        let literal = styles.get_literal();
        let help = format!("{literal}--help{literal:#}");
        let _ = write!(styled, "\n\n{}\n", tr!(LANG, "cli-usage-more", help = help));
        styled
    }
}

/// The first line's words after `error:`.
fn message(error: &Error<Spanish>) -> String {
    let styles = Styles::default();
    let (invalid, valid, literal) = (styles.get_invalid(), styles.get_valid(), styles.get_literal());
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.clone()),
        _ => None,
    };
    let number = |kind| match error.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n as i64),
        _ => None,
    };
    let bad = |text: &str| format!("'{invalid}{text}{invalid:#}'");
    let arg = |text: &str| format!("'{literal}{text}{literal:#}'");
    let list = |values: &[String]| {
        values
            .iter()
            .map(|v| format!("\n{TAB}{valid}{v}{valid:#}"))
            .collect::<String>()
    };
    let values_list = |kind, name: &str| match error.get(kind) {
        Some(ContextValue::Strings(values)) if !values.is_empty() => {
            let shown = values
                .iter()
                .map(|v| format!("{valid}{v}{valid:#}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("\n{TAB}[{name}: {shown}]")
        }
        _ => String::new(),
    };
    let found = match error.kind() {
        ErrorKind::ArgumentConflict => text(ContextKind::InvalidArg).map(|name| {
            let prior = error.get(ContextKind::PriorArg);
            if prior == Some(&ContextValue::String(name.clone())) {
                return tr!(LANG, "cli-usage-twice", arg = bad(&name));
            }
            let with = match prior {
                Some(ContextValue::Strings(values)) => format!(":{}", list(values)),
                Some(ContextValue::String(value)) => format!(" {}", bad(value)),
                _ => format!(" {}", tr!(LANG, "cli-usage-others")),
            };
            format!("{}{with}", tr!(LANG, "cli-usage-conflict", arg = bad(&name)))
        }),
        ErrorKind::NoEquals => {
            text(ContextKind::InvalidArg).map(|name| tr!(LANG, "cli-usage-no-equals", arg = bad(&name)))
        }
        ErrorKind::InvalidValue => {
            text(ContextKind::InvalidArg)
                .zip(text(ContextKind::InvalidValue))
                .map(|(name, value)| {
                    let first = if value.is_empty() {
                        tr!(LANG, "cli-usage-value-required", arg = bad(&name))
                    } else {
                        tr!(LANG, "cli-usage-invalid-value", value = bad(&value), arg = arg(&name))
                    };
                    first + &values_list(ContextKind::ValidValue, &tr!(LANG, "cli-usage-possible-values"))
                })
        }
        ErrorKind::InvalidSubcommand => text(ContextKind::InvalidSubcommand)
            .map(|name| tr!(LANG, "cli-usage-unknown-command", command = bad(&name))),
        ErrorKind::MissingRequiredArgument => match error.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(names)) => Some(format!("{}{}", tr!(LANG, "cli-usage-missing"), list(names))),
            _ => None,
        },
        ErrorKind::MissingSubcommand => text(ContextKind::InvalidSubcommand).map(|name| {
            tr!(LANG, "cli-usage-needs-command", command = bad(&name))
                + &values_list(ContextKind::ValidSubcommand, &tr!(LANG, "cli-usage-commands"))
        }),
        ErrorKind::TooManyValues => text(ContextKind::InvalidArg)
            .zip(text(ContextKind::InvalidValue))
            .map(|(name, value)| tr!(LANG, "cli-usage-too-many", value = bad(&value), arg = arg(&name))),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let wanted = number(ContextKind::MinValues).or_else(|| number(ContextKind::ExpectedNumValues));
            text(ContextKind::InvalidArg)
                .zip(number(ContextKind::ActualNumValues))
                .zip(wanted)
                .map(|((name, given), wanted)| {
                    tr!(
                        LANG,
                        "cli-usage-how-many",
                        wanted = wanted,
                        arg = arg(&name),
                        given = given
                    )
                })
        }
        ErrorKind::ValueValidation => {
            text(ContextKind::InvalidArg)
                .zip(text(ContextKind::InvalidValue))
                .map(|(name, value)| {
                    let first = tr!(LANG, "cli-usage-invalid-value", value = bad(&value), arg = arg(&name));
                    match std::error::Error::source(error) {
                        Some(_) if name.starts_with("--lang") => {
                            format!("{first}: {}", tr!(LANG, "cli-usage-bad-lang", value = value))
                        }
                        Some(source) => format!("{first}: {}", reason(&source.to_string())),
                        None => first,
                    }
                })
        }
        ErrorKind::UnknownArgument => {
            text(ContextKind::InvalidArg).map(|name| tr!(LANG, "cli-usage-unexpected", arg = bad(&name)))
        }
        _ => None,
    };
    found.unwrap_or_else(|| match error.kind() {
        ErrorKind::InvalidUtf8 => tr!(LANG, "cli-usage-utf8"),
        _ => tr!(LANG, "cli-usage-other"),
    })
}

fn strings(value: &ContextValue) -> Vec<String> {
    match value {
        ContextValue::String(one) => vec![one.clone()],
        ContextValue::Strings(many) => many.clone(),
        _ => Vec::new(),
    }
}

/// A value parser's reason: a range (`70 is not in 1..=64`), a number or an
/// address that is not one (the standard library's words); any other as it
/// was said.
fn reason(source: &str) -> String {
    if let Some((value, range)) = source.split_once(" is not in ") {
        return tr!(LANG, "cli-usage-out-of-range", value = value, range = range);
    }
    match source {
        "invalid digit found in string"
        | "cannot parse integer from empty string"
        | "number too large to fit in target type"
        | "number too small to fit in target type" => tr!(LANG, "cli-usage-not-a-number"),
        "invalid float literal" => tr!(LANG, "cli-usage-not-a-decimal"),
        "invalid socket address syntax" => tr!(LANG, "cli-usage-not-an-address"),
        other => other.to_string(),
    }
}

/// One of clap's tips, recognised by its shape and said in Spanish.
fn suggestion(tip: &StyledStr) -> String {
    let styles = Styles::default();
    let (invalid, valid) = (styles.get_invalid(), styles.get_valid());
    let plain = tip.to_string();
    let quoted: Vec<&str> = plain.split('\'').skip(1).step_by(2).collect();
    match quoted.as_slice() {
        [value, usage] if plain.starts_with("to pass ") => tr!(
            LANG,
            "cli-usage-tip-value",
            value = format!("'{invalid}{value}{invalid:#}'"),
            usage = format!("'{valid}{usage}{valid:#}'")
        ),
        [command, _] if plain.starts_with("subcommand ") => {
            tr!(
                LANG,
                "cli-usage-tip-dash",
                command = format!("'{valid}{command}{valid:#}'")
            )
        }
        [flag] if plain.ends_with(" exists") => {
            tr!(LANG, "cli-usage-tip-exists", flag = format!("'{valid}{flag}{valid:#}'"))
        }
        _ => tip.ansi().to_string(),
    }
}
