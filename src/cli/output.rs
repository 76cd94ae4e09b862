//! `process`, `config`, `completions` and `man`: commands that print.

use super::CliError;
use super::args::{ConfigCommand, GlobalArgs, ProcessArgs, Shell};
use super::context::Context;
use super::stdout::outln;
use crate::api::{Process, ProcessQuery};
use crate::config::Source;
use crate::config::{Config, Paths};
use crate::exit;
use crate::i18n::Lang;
use crate::text::{relative_time_in, safe_line};
use crate::tr;
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
        // A key of 12 characters or more still gets a space before its value.
        out.push_str(&format!("{:<11} {}\n", safe_line(key, 40), safe_line(&shown, 300)));
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

/// `trackline completions SHELL`: the script on stdout, its descriptions in
/// `lang` (the names of commands and flags are the same in every language).
pub(super) fn completions(lang: Lang, shell: Shell) -> Result<(), CliError> {
    use clap_complete::Shell as S;
    let target = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut command = super::clap_lang::completions_command(lang);
    let mut script = Vec::new();
    clap_complete::generate(target, &mut command, "trackline", &mut script);
    super::stdout::bytes(&script)
}
