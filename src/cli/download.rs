//! `download` and `export`: attachments to disk, with progress on stderr.

use super::CliError;
use super::args::{DownloadArgs, ExportArgs};
use super::context::Context;
use crate::api::error::exit;
use crate::api::{Client, Document, Process, ProcessQuery};
use crate::text::safe_line;
use crate::transfer::{self, DownloadRequest, Downloaded, TransferError, naming::safe_file_name};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// `trackline download ATTACHMENT_ID... | --process ID [--all | --type TYPE]`.
pub async fn download(context: &Context, args: &DownloadArgs) -> Result<u8, CliError> {
    if args.output.is_some() && args.attachment_ids.len() != 1 {
        return Err(CliError::Usage(
            "--output FILE takes exactly one ATTACHMENT_ID".to_string(),
        ));
    }
    let dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| context.settings.download_dir.clone());
    let jobs: Vec<DownloadRequest> = match &args.process {
        Some(process_id) => process_jobs(context, process_id, args.doc_type.as_deref(), &dir).await?,
        None => args
            .attachment_ids
            .iter()
            .map(|id| DownloadRequest {
                output: args.output.clone(),
                ..DownloadRequest::new(id.trim(), &dir)
            })
            .collect(),
    };
    if jobs.is_empty() {
        eprintln!("trackline: nothing to download");
        return Ok(exit::OK);
    }
    let cancel = CancellationToken::new();
    let cancel_on_signal = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel_on_signal.cancel();
        }
    });
    let total = jobs.len();
    let mut failures: Vec<CliError> = Vec::new();
    for request in &jobs {
        match download_one(context, request, &cancel).await {
            Ok(saved) => {
                print_saved(&saved, args.json)?;
                if args.open {
                    open_file(context, &saved.path);
                }
            }
            Err(error) => {
                eprintln!(
                    "trackline: attachment {}: {error}",
                    safe_line(&request.attachment_id, 100)
                );
                let cancelled = matches!(error, CliError::Transfer(TransferError::Cancelled { .. }));
                failures.push(error);
                if cancelled {
                    return Ok(130);
                }
            }
        }
    }
    match failures.len() {
        0 => Ok(exit::OK),
        n if n == total && n == 1 => Err(failures.remove(0)),
        n if n == total => {
            let first = failures.remove(0);
            eprintln!("trackline: all {total} downloads failed");
            Err(first)
        }
        n => {
            eprintln!("trackline: {n} of {total} downloads failed; the others are saved");
            Ok(exit::PARTIAL)
        }
    }
}

/// The downloads for `--process ID`: every document (or those of one type)
/// into `<dir>/<process_id> <process name>/`.
async fn process_jobs(
    context: &Context,
    process_id: &str,
    doc_type: Option<&str>,
    dir: &Path,
) -> Result<Vec<DownloadRequest>, CliError> {
    let query = ProcessQuery::Id(process_id.trim().to_string());
    let processes = context
        .with_session(|client| {
            let query = query.clone();
            async move { Ok(client.process(&query).await?) }
        })
        .await?;
    let mut jobs = Vec::new();
    for process in &processes {
        let folder = dir.join(process_folder_name(process));
        jobs.extend(
            process
                .documents
                .iter()
                .filter(|d| doc_type.is_none_or(|t| d.doc_type.as_deref().is_some_and(|dt| dt.eq_ignore_ascii_case(t))))
                .map(|d| document_request(d, &folder)),
        );
    }
    if jobs.is_empty() && doc_type.is_some() {
        eprintln!(
            "trackline: process {} has no documents of that type",
            safe_line(process_id, 100)
        );
    }
    Ok(jobs)
}

/// The folder a process's documents go into: `<process_id> <name>`, made safe.
pub fn process_folder_name(process: &Process) -> String {
    let raw = match process.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("{} {}", process.process_id, name),
        _ => process.process_id.to_string(),
    };
    safe_file_name(&raw)
}

fn document_request(document: &Document, folder: &Path) -> DownloadRequest {
    DownloadRequest {
        doc_name: document.doc_name.clone(),
        ..DownloadRequest::new(document.doc_id.as_str(), folder)
    }
}

async fn download_one(
    context: &Context,
    request: &DownloadRequest,
    cancel: &CancellationToken,
) -> Result<Downloaded, CliError> {
    context
        .with_session(|client: Client| {
            let request = request.clone();
            let cancel = cancel.clone();
            async move {
                let bar = progress_bar(&request.attachment_id);
                let result = transfer::download(&client, &request, &cancel, |p| {
                    if let Some(bar) = &bar {
                        if let Some(total) = p.total {
                            bar.set_length(total);
                        }
                        bar.set_position(p.received);
                    }
                })
                .await;
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
                Ok(result?)
            }
        })
        .await
}

fn progress_bar(attachment_id: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("attachment {}", safe_line(attachment_id, 40)));
    Some(bar)
}

fn print_saved(saved: &Downloaded, json: bool) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer(&mut stdout, saved)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout))
    } else {
        writeln!(stdout, "{}", saved.path.display())
    };
    written
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Other(format!("cannot write to standard output: {e}")))
}

/// Opens a saved file with the configured opener or the system's default
/// application; failing to open is a warning, the file stays saved.
fn open_file(context: &Context, path: &PathBuf) {
    let result = match context.settings.opener.as_deref() {
        Some(opener) => std::process::Command::new(opener).arg(path).spawn().map(|_| ()),
        None => open::that_detached(path),
    };
    if let Err(e) = result {
        eprintln!(
            "trackline: no application could open {} ({e}); the file is saved there",
            path.display()
        );
    }
}

/// `trackline export --ids-from FILE [-o DIR] [--jobs N]`.
pub async fn export(_context: &Context, _args: &ExportArgs) -> Result<u8, CliError> {
    Err(CliError::Other(
        "export is not built yet (see issue 4); use `trackline download --process ID --all` for one process"
            .to_string(),
    ))
}
