//! `download`: attachments to disk through the engine's download queue, with
//! progress bars on stderr and nothing but paths (or JSON lines) on stdout.

use super::CliError;
use super::args::DownloadArgs;
use super::context::Context;
use super::progress::Bars;
use crate::api::{Document, ProcessQuery};
use crate::engine::queue::EventHook;
use crate::engine::signals::Signals;
use crate::engine::{DownloadEvent, DownloadQueue, Fetched, SessionManager, lookup};
use crate::exit;
use crate::i18n::Lang;
use crate::text::safe_line;
use crate::tr;
use crate::transfer::{DownloadRequest, Downloaded, TransferError, naming::process_folder_name};
use futures_util::{StreamExt, stream};
use indicatif::ProgressBar;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use tokio_util::sync::CancellationToken;

/// `trackline download ATTACHMENT_ID... | --process ID [--all | --type TYPE]`.
pub(super) async fn download(context: &Context, args: &DownloadArgs) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    if args.output.is_some() && args.attachment_ids.len() != 1 {
        return Err(CliError::Usage(tr!(lang, "download-output-one")));
    }
    let dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| context.settings.download_dir.clone());
    check_folder(lang, &dir)?;
    let session = context.signed_in().await?;
    let jobs: Vec<DownloadRequest> = match &args.process {
        Some(process_id) => process_jobs(lang, &session, process_id, args.doc_type.as_deref(), &dir).await?,
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
        eprintln!("{}", tr!(lang, "download-nothing"));
        return Ok(exit::OK);
    }
    let concurrency = context.settings.concurrency.max(1);
    let queue = DownloadQueue::new(Arc::new(session), concurrency);
    let stop = Stop::on_signals();
    let cancel = stop.token.clone();
    let bars = Bars::new(lang, jobs.len());
    let total = jobs.len();
    // The queue decides how many run at once; the stream only keeps the
    // results in the order the ids were given.
    let mut results = stream::iter(jobs.iter())
        .map(|request| fetch_or_reuse(&queue, request, args.force, &cancel, &bars))
        .buffered(total);
    let mut failures: Vec<CliError> = Vec::new();
    let mut told = Told::new(lang);
    let mut request_index = 0;
    while let Some(result) = results.next().await {
        let attachment_id = jobs.get(request_index).map_or("", |r| r.attachment_id.as_str());
        request_index += 1;
        match result {
            Ok(Fetched { file, skipped }) => {
                if skipped {
                    bars.println(&tr!(
                        lang,
                        "download-already-saved",
                        id = safe_line(&file.attachment_id, 100),
                        path = file.path.display().to_string()
                    ));
                }
                bars.suspend(|| print_line(&file, args.json, skipped))?;
                if args.open {
                    open_saved(context, &file.path, &bars).await;
                }
            }
            Err(error) if is_cancelled(&error) => {
                bars.finish();
                return Ok(stop.exit_code());
            }
            Err(error) => {
                if total > 1 {
                    told.once(&bars, attachment_id, &error);
                }
                failures.push(error);
            }
        }
    }
    bars.finish();
    match failures.len() {
        0 => Ok(exit::OK),
        n if n == total && n == 1 => Err(failures.remove(0)),
        n if n == total => {
            eprintln!("{}", tr!(lang, "download-all-failed", total = total));
            Err(CliError::AlreadyReported(failures.remove(0).exit_code()))
        }
        n => {
            eprintln!("{}", tr!(lang, "download-some-failed", n = n, total = total));
            Ok(exit::PARTIAL)
        }
    }
}

/// The failures of a batch said on stderr, each message once: the same
/// mistake for every file (a full disk, say) is one line, not one per file.
pub(crate) struct Told {
    said: std::collections::HashSet<String>,
    lang: Lang,
}

impl Told {
    /// Nothing said yet; the lines in `lang`.
    pub(crate) fn new(lang: Lang) -> Told {
        Told {
            said: std::collections::HashSet::new(),
            lang,
        }
    }

    /// Says `error` of the download of `attachment_id`, unless it was said already.
    pub(crate) fn once(&mut self, bars: &Bars, attachment_id: &str, error: &CliError) {
        let lang = self.lang;
        let message = error.localized(lang);
        let line = if message.contains(attachment_id) {
            tr!(lang, "cli-error", message = message.as_str())
        } else {
            tr!(
                lang,
                "download-attachment-error",
                id = safe_line(attachment_id, 100),
                message = message.as_str()
            )
        };
        if self.said.insert(message) {
            bars.println(&line);
        }
    }
}

/// Refuses a download folder that is a file, before any request is made.
pub(crate) fn check_folder(lang: Lang, dir: &Path) -> Result<(), CliError> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(CliError::Usage(tr!(
            lang,
            "download-not-a-folder",
            path = dir.display().to_string()
        ))),
        _ => Ok(()),
    }
}

/// The downloads for `--process ID`: every document (or those of one type)
/// into `<dir>/<process_id> <process name>/`.
async fn process_jobs(
    lang: Lang,
    session: &SessionManager,
    process_id: &str,
    doc_type: Option<&str>,
    dir: &Path,
) -> Result<Vec<DownloadRequest>, CliError> {
    let query = ProcessQuery::Id(process_id.trim().to_string());
    let processes = lookup::process(session, &query, None).await?;
    let mut jobs = Vec::new();
    for process in &processes {
        let folder = dir.join(process_folder_name(
            process.process_id.as_str(),
            process.name.as_deref(),
        ));
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
            "{}",
            tr!(lang, "download-no-such-type", id = safe_line(process_id, 100))
        );
    }
    Ok(jobs)
}

/// The download of `document` into `folder`, named by the server or the document.
pub(crate) fn document_request(document: &Document, folder: &Path) -> DownloadRequest {
    DownloadRequest {
        doc_name: document.doc_name.clone(),
        ..DownloadRequest::new(document.doc_id.as_str(), folder)
    }
}

/// Downloads one file through `queue`, with a bar of its own once it starts;
/// retries are announced above the bars.
pub(crate) async fn fetch(
    queue: &DownloadQueue,
    request: &DownloadRequest,
    cancel: &CancellationToken,
    bars: &Bars,
) -> Result<Downloaded, CliError> {
    let (on_event, bar) = file_events(request, bars);
    let result = queue.download(None, request, cancel, on_event).await;
    bars.file_done(bar.get().cloned().flatten());
    Ok(result?)
}

/// Like [`fetch`], but unless `force` a copy saved before where the request
/// saves, still unchanged, is given back instead (`skipped`).
async fn fetch_or_reuse(
    queue: &DownloadQueue,
    request: &DownloadRequest,
    force: bool,
    cancel: &CancellationToken,
    bars: &Bars,
) -> Result<Fetched, CliError> {
    let (on_event, bar) = file_events(request, bars);
    let result = queue.download_or_reuse(None, request, force, cancel, on_event).await;
    bars.file_done(bar.get().cloned().flatten());
    Ok(result?)
}

/// The events of one download drawn as its bar (made when it starts), and that bar.
fn file_events(request: &DownloadRequest, bars: &Bars) -> (EventHook, Arc<OnceLock<Option<ProgressBar>>>) {
    let label = match request.doc_name.as_deref() {
        Some(name) if !name.trim().is_empty() => safe_line(name, 40),
        _ => tr!(
            bars.lang(),
            "what-attachment",
            id = safe_line(&request.attachment_id, 30)
        ),
    };
    let bar: Arc<OnceLock<Option<ProgressBar>>> = Arc::new(OnceLock::new());
    let (hook_bar, hook_bars) = (bar.clone(), bars.clone());
    let on_event: EventHook = Arc::new(move |event| match event {
        DownloadEvent::Verifying { .. } => {}
        DownloadEvent::Started { .. } => {
            hook_bar.get_or_init(|| hook_bars.file(&label));
        }
        DownloadEvent::Progress(progress) => {
            if let Some(Some(bar)) = hook_bar.get() {
                if let Some(total) = progress.total {
                    bar.set_length(total);
                }
                bar.set_position(progress.received);
            }
        }
        DownloadEvent::Retrying(notice) => {
            hook_bars.println(&notice.line_in(hook_bars.lang()));
        }
    });
    (on_event, bar)
}

/// Whether `error` is the download being stopped (by a signal).
pub(crate) fn is_cancelled(error: &CliError) -> bool {
    matches!(error, CliError::Transfer(TransferError::Cancelled { .. }))
}

/// A token cancelled by Ctrl-C, SIGTERM or SIGHUP: downloads in flight stop
/// and keep their `.part`; the exit code is 128 + the signal.
pub(crate) struct Stop {
    /// Cancelled on the first signal.
    pub(crate) token: CancellationToken,
    code: Arc<AtomicU8>,
}

impl Stop {
    /// Installs the handlers now and cancels the token on the first signal.
    pub(crate) fn on_signals() -> Stop {
        let token = CancellationToken::new();
        let code = Arc::new(AtomicU8::new(exit::INTERRUPTED));
        let (on_signal, set_code) = (token.clone(), code.clone());
        let mut signals = Signals::new(true);
        tokio::spawn(async move {
            let received = signals.recv().await;
            set_code.store(received, Ordering::SeqCst);
            on_signal.cancel();
        });
        Stop { token, code }
    }

    /// The exit code the signal calls for (130 before any).
    pub(crate) fn exit_code(&self) -> u8 {
        self.code.load(Ordering::SeqCst)
    }
}

/// Prints a saved file on stdout: its path, or with `json` its JSON line.
pub(crate) fn print_saved(saved: &Downloaded, json: bool) -> Result<(), CliError> {
    print_line(saved, json, false)
}

/// One line of `download --json`: the saved file, and `"skipped": true` for a copy saved before.
#[derive(serde::Serialize)]
struct SavedLine<'a> {
    #[serde(flatten)]
    file: &'a Downloaded,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skipped: bool,
}

/// Prints a file on stdout: its path, or with `json` its JSON line.
fn print_line(saved: &Downloaded, json: bool, skipped: bool) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer(&mut stdout, &SavedLine { file: saved, skipped })
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout))
    } else {
        writeln!(stdout, "{}", saved.path.display())
    };
    written.and_then(|()| stdout.flush()).map_err(super::stdout::error)
}

/// Opens a saved file with the configured opener or the system's default
/// application; failing to open is a warning, the file stays saved.
async fn open_saved(context: &Context, path: &Path, bars: &Bars) {
    if let Err(error) = crate::engine::open::open(path, context.settings.opener.as_deref()).await {
        bars.println(&tr!(
            bars.lang(),
            "download-cannot-open",
            reason = error.text_in(bars.lang()),
            path = path.display().to_string()
        ));
    }
}
