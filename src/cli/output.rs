//! `process`, `config`, `completions` and `man`: commands that print.

use super::CliError;
use super::args::{Cli, ConfigCommand, ProcessArgs, Shell};
use super::context::Context;
use crate::api::error::exit;
use crate::api::{Process, ProcessQuery};
use crate::config::Config;
use crate::text::{relative_time, safe_line};
use clap::CommandFactory;
use std::io::Write;
use time::OffsetDateTime;

/// `trackline process (--id ID | --name NAME) [--json]`.
pub async fn process(context: &Context, args: &ProcessArgs) -> Result<u8, CliError> {
    let query = match (&args.id, &args.name) {
        (Some(id), _) if !id.trim().is_empty() => ProcessQuery::Id(id.trim().to_string()),
        (_, Some(name)) if !name.trim().is_empty() => ProcessQuery::Name(name.trim().to_string()),
        _ => return Err(CliError::Usage("give a non-empty --id or --name".to_string())),
    };
    let processes = context
        .with_session(|client| {
            let query = query.clone();
            async move { Ok(client.process(&query).await?) }
        })
        .await?;
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        write_json(&mut stdout, &processes)
    } else {
        let now = OffsetDateTime::now_utc();
        processes.iter().enumerate().try_for_each(|(i, p)| {
            if i > 0 {
                writeln!(stdout)?;
            }
            stdout.write_all(render_process(p, now).as_bytes())
        })
    };
    written.map_err(|e| CliError::Other(format!("cannot write to standard output: {e}")))?;
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
pub fn render_process(process: &Process, now: OffsetDateTime) -> String {
    let mut out = String::new();
    let mut field = |label: &str, value: String| out.push_str(&format!("{label:<12}{value}\n"));
    field("Process", safe_line(process.process_id.as_str(), 200));
    field(
        "Name",
        process
            .name
            .as_deref()
            .map_or_else(|| "—".to_string(), |n| safe_line(n, 300)),
    );
    field(
        "Status",
        process
            .status
            .as_deref()
            .map_or_else(|| "—".to_string(), |s| safe_line(s, 100)),
    );
    let created = match (process.created(), process.created_at.as_deref()) {
        (Some(at), _) => {
            let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
            let shown = at.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default();
            format!("{shown} ({})", relative_time(at, now))
        }
        (None, Some(raw)) => safe_line(raw, 100),
        (None, None) => "—".to_string(),
    };
    field("Created", created);
    for (key, value) in &process.extra {
        let shown = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push_str(&format!("{:<12}{}\n", safe_line(key, 40), safe_line(&shown, 300)));
    }
    out.push_str(&format!("\nDocuments ({})\n", process.documents.len()));
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
        out.push_str(&format!("  {:<id_width$}  {:<type_width$}  NAME\n", "ID", "TYPE"));
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

/// `trackline config path|show|init`.
pub fn config(context: &Context, command: &ConfigCommand) -> Result<u8, CliError> {
    let path = &context.settings.config_file;
    match command {
        ConfigCommand::Path => println!("{}", path.display()),
        ConfigCommand::Show => {
            println!(
                "# {} ({})",
                path.display(),
                if context.settings.config_loaded {
                    "read"
                } else {
                    "not present: defaults"
                }
            );
            for (setting, value, source) in context.settings.entries() {
                println!("{:<22} = {:<50} # {source}", setting.name(), value);
            }
        }
        ConfigCommand::Init => {
            if path.exists() {
                return Err(CliError::Other(format!(
                    "{} already exists; not overwriting it (edit it, or move it away and run this again)",
                    path.display()
                )));
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| CliError::Other(format!("cannot create {}: {e}", dir.display())))?;
            }
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| f.write_all(Config::template().as_bytes()))
                .map_err(|e| CliError::Other(format!("cannot write {}: {e}", path.display())))?;
            println!("{}", path.display());
        }
    }
    Ok(exit::OK)
}

/// `trackline completions SHELL`: the script on stdout.
pub fn completions(shell: Shell) -> Result<(), CliError> {
    use clap_complete::Shell as S;
    let target = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut command = Cli::command();
    clap_complete::generate(target, &mut command, "trackline", &mut std::io::stdout());
    Ok(())
}

/// `trackline man`: the man page (roff) on stdout.
pub fn man_page() -> Result<(), CliError> {
    let page = clap_mangen::Man::new(Cli::command());
    page.render(&mut std::io::stdout())
        .map_err(|e| CliError::Other(format!("cannot write the man page: {e}")))
}
