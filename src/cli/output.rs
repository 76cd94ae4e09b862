//! `process`, `config`, `completions` and `man`: commands that print.

use super::CliError;
use super::args::{Cli, ConfigCommand, GlobalArgs, ProcessArgs, Shell};
use super::context::Context;
use super::stdout::outln;
use crate::api::{Process, ProcessQuery};
use crate::config::Source;
use crate::config::{Config, Paths};
use crate::exit;
use crate::i18n::Lang;
use crate::text::{relative_time_in, safe_line};
use crate::tr;
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;
use time::OffsetDateTime;

/// `trackline process (--id ID | --name NAME) [--json]`.
pub(super) async fn process(context: &Context, args: &ProcessArgs) -> Result<u8, CliError> {
    let query = match (&args.id, &args.name) {
        (Some(id), _) if !id.trim().is_empty() => ProcessQuery::Id(id.trim().to_string()),
        (_, Some(name)) if !name.trim().is_empty() => ProcessQuery::Name(name.trim().to_string()),
        _ => return Err(CliError::Usage(tr!(context.settings.lang, "process-no-query"))),
    };
    let session = context.signed_in().await?;
    let processes = crate::engine::lookup::process(&session, &query, None).await?;
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        write_json(&mut stdout, &processes)
    } else {
        let now = OffsetDateTime::now_utc();
        processes.iter().enumerate().try_for_each(|(i, p)| {
            if i > 0 {
                writeln!(stdout)?;
            }
            stdout.write_all(render_process(context.settings.lang, p, now).as_bytes())
        })
    };
    written.and_then(|()| stdout.flush()).map_err(super::stdout::error)?;
    Ok(exit::OK)
}

fn write_json(out: &mut impl Write, processes: &[Process]) -> std::io::Result<()> {
    match processes {
        [one] => serde_json::to_writer_pretty(&mut *out, one)?,
        many => serde_json::to_writer_pretty(&mut *out, many)?,
    }
    writeln!(out)
}

/// A process as a human reads it: its fields, additional data and documents.
/// Every server string is made safe.
pub(super) fn render_process(lang: Lang, process: &Process, now: OffsetDateTime) -> String {
    let mut out = String::new();
    let mut field = |label: &str, value: String| out.push_str(&format!("{label:<12}{value}\n"));
    field(&lang.t("process-label"), safe_line(process.process_id.as_str(), 200));
    field(
        &lang.t("field-name"),
        process
            .name
            .as_deref()
            .map_or_else(|| "—".to_string(), |n| safe_line(n, 300)),
    );
    field(
        &lang.t("field-status"),
        process
            .status
            .as_deref()
            .map_or_else(|| "—".to_string(), |s| safe_line(s, 100)),
    );
    let created = match (process.created(), process.created_at.as_deref()) {
        (Some(at), _) => {
            let utc = at.to_offset(time::UtcOffset::UTC);
            let shown = match lang {
                Lang::En => utc
                    .format(time::macros::format_description!(
                        "[year]-[month]-[day] [hour]:[minute] UTC"
                    ))
                    .unwrap_or_default(),
                Lang::Es => format!("{} UTC", crate::text::date_time(lang, utc)),
            };
            format!("{shown} ({})", relative_time_in(lang, at, now))
        }
        (None, Some(raw)) => safe_line(raw, 100),
        (None, None) => "—".to_string(),
    };
    field(&lang.t("field-created"), created);
    for (key, value) in &process.extra {
        let shown = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push_str(&format!("{:<12}{}\n", safe_line(key, 40), safe_line(&shown, 300)));
    }
    out.push_str(&format!(
        "\n{} ({})\n",
        lang.t("pane-documents"),
        process.documents.len()
    ));
    if !process.documents.is_empty() {
        let id_width = process
            .documents
            .iter()
            .map(|d| d.doc_id.as_str().chars().count().min(24))
            .max()
            .unwrap_or(2)
            .max(2);
        let type_width = process
            .documents
            .iter()
            .map(|d| d.doc_type.as_deref().map_or(1, |t| t.chars().count().min(24)))
            .max()
            .unwrap_or(4)
            .max(4);
        out.push_str(&format!(
            "  {:<id_width$}  {:<type_width$}  {}\n",
            lang.t("column-id"),
            lang.t("column-type"),
            lang.t("column-name")
        ));
        for doc in &process.documents {
            out.push_str(&format!(
                "  {:<id_width$}  {:<type_width$}  {}\n",
                safe_line(doc.doc_id.as_str(), 24),
                safe_line(doc.doc_type.as_deref().unwrap_or("—"), 24),
                safe_line(&doc.display_name(), 300)
            ));
        }
    }
    out
}

/// The config file `--config` / `TRACKLINE_CONFIG` names, else the OS default;
/// found without reading it, so `config path` and `config init` work even when
/// the file has a mistake.
pub(super) fn config_file(global: &GlobalArgs) -> Result<PathBuf, CliError> {
    match &global.config {
        Some(path) => Ok(path.clone()),
        None => Ok(Paths::from_os()?.config_file),
    }
}

/// `trackline config path` and `trackline config init`, which need only the
/// file's path; `config show` needs the settings ([`config_show`]).
pub(super) fn config(global: &GlobalArgs, command: &ConfigCommand) -> Result<u8, CliError> {
    let path = &config_file(global)?;
    match command {
        ConfigCommand::Path => outln!("{}", path.display())?,
        ConfigCommand::Show => {
            let context = Context::new(global)?;
            config_show(&context)?;
        }
        ConfigCommand::Init => {
            let lang = super::early_lang(global);
            let shown = |path: &std::path::Path| path.display().to_string();
            if path.exists() {
                return Err(CliError::Other(tr!(lang, "config-init-exists", path = shown(path))));
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    CliError::Other(tr!(
                        lang,
                        "export-cannot-create",
                        path = shown(dir),
                        reason = e.to_string()
                    ))
                })?;
            }
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| f.write_all(Config::template().as_bytes()))
                .map_err(|e| CliError::Other(tr!(lang, "store-write", path = shown(path), reason = e.to_string())))?;
            outln!("{}", path.display())?;
            eprintln!("{}", tr!(lang, "config-init-done"));
        }
    }
    Ok(exit::OK)
}

/// `trackline config show`: every setting, its value and where it came from.
pub(super) fn config_show(context: &Context) -> Result<(), CliError> {
    let settings = &context.settings;
    let lang = settings.lang;
    outln!(
        "# {} ({})",
        settings.config_file.display(),
        if settings.config_loaded {
            tr!(lang, "config-show-read")
        } else {
            tr!(lang, "config-show-defaults")
        }
    )?;
    for (setting, value, source) in settings.entries() {
        outln!(
            "{:<22} = {:<50} # {}",
            setting.name(),
            super::show_words::value_in(lang, settings, setting, value),
            source_words(lang, source)
        )?;
    }
    Ok(())
}

/// Where a setting came from, in `lang`.
fn source_words(lang: crate::i18n::Lang, source: Source) -> String {
    match source {
        Source::Default => tr!(lang, "source-default"),
        Source::Remembered => tr!(lang, "source-remembered"),
        Source::File => tr!(lang, "source-file"),
        Source::Env => tr!(lang, "source-env"),
        Source::Flag => tr!(lang, "source-flag"),
    }
}

/// `trackline completions SHELL`: the script on stdout.
pub(super) fn completions(shell: Shell) -> Result<(), CliError> {
    use clap_complete::Shell as S;
    let target = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(target, &mut command, "trackline", &mut script);
    super::stdout::bytes(&script)
}

/// `trackline man`: the man page (roff) on stdout.
pub(super) fn man_page() -> Result<(), CliError> {
    let mut page = Vec::new();
    render_man(&mut page).map_err(|e| CliError::Other(format!("cannot write the man page: {e}")))?;
    super::stdout::bytes(&page)
}

/// One page for the whole tool: the global options, then every command with
/// its synopsis, options and examples, then the environment, files and exit
/// status.
pub(super) fn render_man(out: &mut Vec<u8>) -> std::io::Result<()> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in command.get_subcommands() {
        render_man_command(out, sub, "trackline")?;
    }
    out.extend_from_slice(MAN_TAIL.as_bytes());
    let mut extra = Vec::new();
    man.render_extra_section(&mut extra)?;
    let extra = String::from_utf8_lossy(&extra).replace(".SH EXTRA\nExamples:\n", ".SH EXAMPLES\n");
    out.extend_from_slice(extra.as_bytes());
    man.render_version_section(out)
}

/// A command as a `.SS` subsection: the headings clap_mangen writes for a
/// whole page are dropped, so its synopsis, text, options and examples follow
/// one another.
fn render_man_command(out: &mut Vec<u8>, command: &clap::Command, parent: &str) -> std::io::Result<()> {
    let name = format!("{parent} {}", command.get_name());
    writeln!(out, ".SS \"{name}\"")?;
    let man = clap_mangen::Man::new(command.clone().bin_name(name.clone()));
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
    for line in String::from_utf8_lossy(&part).lines() {
        let line = if line.starts_with(".SH ") { ".PP" } else { line };
        writeln!(out, "{line}")?;
    }
    for sub in command.get_subcommands() {
        render_man_command(out, sub, &name)?;
    }
    Ok(())
}

const MAN_TAIL: &str = r#".SH ENVIRONMENT
.TP
\fBTRACKLINE_BASE_URL\fR, \fBTRACKLINE_PROFILE\fR, \fBTRACKLINE_DOWNLOAD_DIR\fR, \fBTRACKLINE_CONFIG\fR
The same as \-\-base\-url, \-\-profile, \-\-download\-dir and \-\-config; a flag wins over its variable.
.TP
\fBTRACKLINE_EMAIL\fR, \fBTRACKLINE_PASSWORD\fR
Log in without a prompt when the stored session is missing or expired (scripts, cron, CI).
.TP
\fBTRACKLINE_CA_CERT\fR, \fBSSL_CERT_FILE\fR
PEM files of certificate authorities trusted besides the system's: the first as \-\-ca\-cert, the second added to it.
.TP
\fBHTTPS_PROXY\fR, \fBHTTP_PROXY\fR, \fBALL_PROXY\fR, \fBNO_PROXY\fR
The proxy for https and http servers (either case; lower case wins), and the hosts reached without it; \-\-proxy wins over them, they win over the config file's proxy.
.TP
\fBRUST_LOG\fR
The log level, as \-\-log\-level.
.TP
\fBNO_COLOR\fR
When set and not empty, the TUI uses no colour, as \-\-no\-color.
.SH FILES
.TP
\fIconfig.toml\fR
In the OS config dir (~/.config/trackline/ on Linux); \fBtrackline config path\fR prints it and \fBtrackline config init\fR writes a commented template.
.TP
\fIsessions/\fR, \fIindex/\fR, \fIrecent.json\fR, \fIprofiles.json\fR
In the OS data dir (~/.local/share/trackline/ on Linux): one session file per profile (mode 0600, never the password), the local index of each profile (\fIindex/<profile>.sqlite\fR, mode 0600: every process and document seen, status changes, saved files), the recent processes, each profile's last email and server.
.TP
\fItrackline.log\fR
In the OS state dir (~/.local/state/trackline/ on Linux), else the cache dir; rotated at 5 MB, three old ones kept; \fBtrackline status\fR prints its path.
.SH "EXIT STATUS"
0 done; 1 any other error; 2 bad usage or bad config file; 3 not logged in, wrong credentials or session expired; 4 no such process or attachment; 5 server or network unavailable after retries; 6 some files of a bulk download failed; 7 the server's certificate is not trusted or does not match its name; 128 + N ended by signal N (130 Ctrl\-C, 143 SIGTERM, 141 the reader of standard output went away).
"#;
