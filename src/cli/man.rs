//! `trackline man`: one roff page for the whole tool, in the run's language.
//! clap_mangen writes the commands from [`super::clap_lang::man_command`];
//! the few words it writes itself (headings, `[default: …]`, the environment
//! note, "Possible values:") and the environment, files and exit status come
//! from the catalogue, escaped for roff here.

use super::CliError;
use super::clap_lang;
use crate::i18n::Lang;
use crate::tr;
use std::io::Write;

/// `trackline man`: the man page (roff) on stdout.
pub(super) fn man_page(lang: Lang) -> Result<(), CliError> {
    let mut page = Vec::new();
    render_man(lang, &mut page).map_err(|e| CliError::Other(tr!(lang, "man-cannot-write", reason = e.to_string())))?;
    super::stdout::bytes(&page)
}

/// One page for the whole tool: the global options, then every command with
/// its synopsis, options and examples, then the environment, files and exit
/// status.
pub(super) fn render_man(lang: Lang, out: &mut Vec<u8>) -> std::io::Result<()> {
    let command = clap_lang::man_command(lang);
    let man = clap_mangen::Man::new(built(lang, command.clone()));
    let mut head = Vec::new();
    man.render_title(&mut head)?;
    man.render_name_section(&mut head)?;
    man.render_synopsis_section(&mut head)?;
    man.render_description_section(&mut head)?;
    man.render_options_section(&mut head)?;
    out.extend_from_slice(clap_words(lang, &head).as_bytes());
    writeln!(out, "{}", heading_line(&tr!(lang, "man-heading-commands")))?;
    for sub in command.get_subcommands() {
        render_man_command(lang, out, sub, "trackline")?;
    }
    out.extend_from_slice(tail(lang).as_bytes());
    let mut extra = Vec::new();
    man.render_extra_section(&mut extra)?;
    // clap_mangen's "EXTRA" and the first line of the examples ("Examples:")
    // become one heading.
    let mut lines = String::from_utf8_lossy(&extra)
        .lines()
        .map(str::to_string)
        .collect::<Vec<_>>();
    if let Some(at) = lines.iter().position(|line| line == ".SH EXTRA") {
        lines.splice(
            at..(at + 2).min(lines.len()),
            [heading_line(&tr!(lang, "man-heading-examples"))],
        );
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    let mut version = Vec::new();
    man.render_version_section(&mut version)?;
    out.extend_from_slice(clap_words(lang, &version).as_bytes());
    Ok(())
}

/// A command as a `.SS` subsection: the headings clap_mangen writes for a
/// whole page are dropped, so its synopsis, text, options and examples follow
/// one another.
fn render_man_command(lang: Lang, out: &mut Vec<u8>, command: &clap::Command, parent: &str) -> std::io::Result<()> {
    let name = format!("{parent} {}", command.get_name());
    writeln!(out, ".SS \"{name}\"")?;
    let man = clap_mangen::Man::new(built(lang, command.clone().bin_name(name.clone())));
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    if command.get_about().is_some() {
        man.render_description_section(&mut part)?;
    }
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut part)?;
    }
    if command.get_after_help().is_some() {
        man.render_extra_section(&mut part)?;
    }
    for line in clap_words(lang, &part).lines() {
        let line = if line.starts_with(".SH ") { ".PP" } else { line };
        writeln!(out, "{line}")?;
    }
    for sub in command.get_subcommands() {
        render_man_command(lang, out, sub, &name)?;
    }
    Ok(())
}

/// `command` built as clap_mangen builds it, with clap's own `-h` and `-V`
/// (added by the build) in `lang`.
fn built(lang: Lang, mut command: clap::Command) -> clap::Command {
    command.build();
    if lang == Lang::En {
        return command;
    }
    command.mut_args(|arg| match arg.get_id().as_str() {
        "help" => arg.help(tr!(lang, "cli-help")).long_help(None),
        "version" => arg.help(tr!(lang, "cli-version")).long_help(None),
        _ => arg,
    })
}

/// clap_mangen's output with the words it writes itself in `lang`.
fn clap_words(lang: Lang, roff: &[u8]) -> String {
    let roff = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(roff.len());
    for line in roff.lines() {
        out.push_str(&clap_line(lang, line));
        out.push('\n');
    }
    out
}

fn clap_line(lang: Lang, line: &str) -> String {
    const ENV_BEFORE: &str = r"May also be specified with the \fB";
    const ENV_AFTER: &str = r"\fR environment variable. ";
    const DEFAULT: &str = " [default: ";
    let section = match line {
        ".SH NAME" => Some(tr!(lang, "man-heading-name")),
        ".SH SYNOPSIS" => Some(tr!(lang, "man-heading-synopsis")),
        ".SH DESCRIPTION" => Some(tr!(lang, "man-heading-description")),
        ".SH OPTIONS" => Some(tr!(lang, "cli-heading-options").to_uppercase()),
        ".SH VERSION" => Some(tr!(lang, "man-heading-version")),
        _ => None,
    };
    if let Some(section) = section {
        return heading_line(&section);
    }
    if line == r"\fIPossible values:\fR" {
        return format!(r"\fI{}\fR", escape(&tr!(lang, "man-possible-values")));
    }
    if let Some(name) = line
        .strip_prefix(ENV_BEFORE)
        .and_then(|rest| rest.strip_suffix(ENV_AFTER))
    {
        let text = tr!(lang, "man-env-also", name = mark(0));
        return format!("{} ", fill(&escape(&text), &[format!(r"\fB{name}\fR")]));
    }
    if let Some((head, value)) = line
        .rsplit_once(DEFAULT)
        .and_then(|(head, rest)| Some((head, rest.strip_suffix(']')?)))
    {
        let text = tr!(lang, "cli-spec-default", value = mark(0));
        return format!("{head} {}", fill(&escape(&text), &[value.to_string()]));
    }
    line.to_string()
}

/// The environment, the files and the exit status.
fn tail(lang: Lang) -> String {
    let bold = |name: &str| format!(r"\fB{}\fR", escape(name));
    let italic = |name: &str| format!(r"\fI{}\fR", escape(name));
    let all = |style: &dyn Fn(&str) -> String, names: &[&str]| {
        names.iter().map(|name| style(name)).collect::<Vec<_>>().join(", ")
    };
    let environment = [
        (
            &[
                "TRACKLINE_BASE_URL",
                "TRACKLINE_PROFILE",
                "TRACKLINE_DOWNLOAD_DIR",
                "TRACKLINE_CONFIG",
            ][..],
            tr!(lang, "man-env-flags"),
        ),
        (&["TRACKLINE_EMAIL", "TRACKLINE_PASSWORD"], tr!(lang, "man-env-login")),
        (&["TRACKLINE_CA_CERT", "SSL_CERT_FILE"], tr!(lang, "man-env-ca")),
        (
            &["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"],
            tr!(lang, "man-env-proxy"),
        ),
        (&["RUST_LOG"], tr!(lang, "man-env-log")),
        (&["NO_COLOR"], tr!(lang, "man-env-no-color")),
    ];
    let mut lines = vec![heading_line(&tr!(lang, "man-heading-environment"))];
    for (names, text) in environment {
        lines.extend([".TP".to_string(), all(&bold, names), escape(&text)]);
    }
    let config = tr!(lang, "man-file-config", path = mark(0), init = mark(1));
    let data = tr!(lang, "man-file-data", index = mark(0));
    let log = tr!(lang, "man-file-log", status = mark(0));
    lines.extend([
        heading_line(&tr!(lang, "man-heading-files")),
        ".TP".to_string(),
        italic("config.toml"),
        fill(
            &escape(&config),
            &[bold("trackline config path"), bold("trackline config init")],
        ),
        ".TP".to_string(),
        all(&italic, &["sessions/", "index/", "recent.json", "profiles.json"]),
        fill(&escape(&data), &[italic(&tr!(lang, "man-file-index"))]),
        ".TP".to_string(),
        italic("trackline.log"),
        fill(&escape(&log), &[bold("trackline status")]),
        heading_line(&tr!(lang, "man-heading-exit-status")),
        escape(&tr!(lang, "man-exit-status")),
    ]);
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// `.SH NAME`, `.SH "EXIT STATUS"`.
fn heading_line(title: &str) -> String {
    if title.contains(' ') {
        format!(".SH \"{title}\"")
    } else {
        format!(".SH {title}")
    }
}

/// Text as roff reads it literally: backslashes and dashes escaped, a line
/// that would start a request kept as text.
fn escape(text: &str) -> String {
    let text = text.replace('\\', r"\\").replace('-', r"\-");
    let text = text.replace("\n.", "\n\\&.").replace("\n'", "\n\\&'");
    if text.starts_with('.') || text.starts_with('\'') {
        format!(r"\&{text}")
    } else {
        text
    }
}

/// A stand-in for the `i`th roff value of a message, which [`escape`] leaves
/// alone and [`fill`] replaces.
fn mark(i: usize) -> String {
    format!("\u{E000}{i}\u{E001}")
}

fn fill(text: &str, values: &[String]) -> String {
    values
        .iter()
        .enumerate()
        .fold(text.to_string(), |text, (i, value)| text.replace(&mark(i), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_escapes_apply_to_the_words_not_to_the_values() {
        let text = format!("see {} -- or .not", mark(0));
        assert_eq!(
            fill(&escape(&text), &[r"\fBa\-b\fR".into()]),
            r"see \fBa\-b\fR \-\- or .not"
        );
        assert_eq!(escape(".TH x\n'y"), "\\&.TH x\n\\&'y");
    }

    #[test]
    fn the_words_clap_mangen_writes_are_spanish() {
        let lang = Lang::Es;
        assert_eq!(clap_line(lang, ".SH NAME"), ".SH NOMBRE");
        assert_eq!(clap_line(lang, ".SH DESCRIPTION"), ".SH DESCRIPCIÓN");
        assert_eq!(
            clap_line(lang, r"\fB\-\-jobs\fR \fI<N>\fR [default: 4]"),
            r"\fB\-\-jobs\fR \fI<N>\fR [por defecto: 4]"
        );
        assert_eq!(
            clap_line(
                lang,
                r"May also be specified with the \fBRUST_LOG\fR environment variable. "
            ),
            r"También puede darse con la variable de entorno \fBRUST_LOG\fR. "
        );
        assert_eq!(clap_line(lang, r"\fIPossible values:\fR"), r"\fIValores posibles:\fR");
        for line in [
            ".SH NAME",
            r"\fB\-\-jobs\fR \fI<N>\fR [default: 4]",
            r"\fIPossible values:\fR",
        ] {
            assert_eq!(clap_line(Lang::En, line), line);
        }
    }
}
