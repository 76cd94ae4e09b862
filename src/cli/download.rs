//! `download` and `export`: attachments to disk, several at a time over one
//! client, with progress bars on stderr and nothing but paths on stdout.
//!
//! `export` writes `manifest.csv` into its folder, one row per document
//! (`process_id, doc_id, doc_name, doc_type, path, bytes, sha256, status,
//! error`; `path` relative to the folder; `status` is `downloaded`,
//! `unchanged` or `failed`). A second export into the same folder reads the
//! previous manifest and skips every document whose file is still there with
//! the same size and SHA-256, then rewrites the manifest (a temporary file,
//! then a rename).

use super::CliError;
use super::args::{DownloadArgs, ExportArgs};
use super::context::{Context, ENV_EMAIL, ENV_PASSWORD};
use crate::api::client::RetryNotice;
use crate::api::error::exit;
use crate::api::{ApiError, Client, Document, Process, ProcessQuery};
use crate::text::safe_line;
use crate::transfer::{self, DownloadRequest, Downloaded, TransferError, TransferOptions, naming::process_folder_name};
use futures_util::{StreamExt, stream};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Component, Path};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The manifest's file name in the export folder.
pub const MANIFEST_NAME: &str = "manifest.csv";

/// The exit code after Ctrl-C (128 + SIGINT), as shells report it.
const EXIT_INTERRUPTED: u8 = 130;
/// The exit code after SIGTERM (128 + 15).
#[cfg(unix)]
const EXIT_TERMINATED: u8 = 143;
/// The exit code after SIGHUP (128 + 1).
#[cfg(unix)]
const EXIT_HANGUP: u8 = 129;

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
    let session = Session::start(context).await?;
    let jobs: Vec<DownloadRequest> = match &args.process {
        Some(process_id) => process_jobs(&session, process_id, args.doc_type.as_deref(), &dir).await?,
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
    let stop = Stop::on_signals();
    let cancel = stop.token.clone();
    let bars = Bars::new(jobs.len());
    let options = transfer_options(context, &bars);
    let concurrency = context.settings.concurrency.max(1);
    let total = jobs.len();
    let mut results = stream::iter(jobs.iter())
        .map(|request| fetch(&session, request, &options, &cancel, &bars))
        .buffered(concurrency);
    let mut failures: Vec<CliError> = Vec::new();
    let mut request_index = 0;
    while let Some(result) = results.next().await {
        let attachment_id = jobs.get(request_index).map_or("", |r| r.attachment_id.as_str());
        request_index += 1;
        match result {
            Ok(saved) => {
                bars.suspend(|| print_saved(&saved, args.json))?;
                if args.open {
                    open_saved(context, &saved.path, &bars).await;
                }
            }
            Err(error) => {
                bars.println(&format!(
                    "trackline: attachment {}: {error}",
                    safe_line(attachment_id, 100)
                ));
                let cancelled = is_cancelled(&error);
                failures.push(error);
                if cancelled {
                    bars.finish();
                    return Ok(stop.exit_code());
                }
            }
        }
    }
    bars.finish();
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
    session: &Session<'_>,
    process_id: &str,
    doc_type: Option<&str>,
    dir: &Path,
) -> Result<Vec<DownloadRequest>, CliError> {
    let query = ProcessQuery::Id(process_id.trim().to_string());
    let processes = session
        .run(|client| {
            let query = query.clone();
            async move { Ok(client.process(&query).await?) }
        })
        .await?;
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
            "trackline: process {} has no documents of that type",
            safe_line(process_id, 100)
        );
    }
    Ok(jobs)
}

fn document_request(document: &Document, folder: &Path) -> DownloadRequest {
    DownloadRequest {
        doc_name: document.doc_name.clone(),
        ..DownloadRequest::new(document.doc_id.as_str(), folder)
    }
}

/// Downloads one file with a bar of its own; a refused session is renewed
/// once from the environment's credentials.
async fn fetch(
    session: &Session<'_>,
    request: &DownloadRequest,
    options: &TransferOptions,
    cancel: &CancellationToken,
    bars: &Bars,
) -> Result<Downloaded, CliError> {
    let label = match request.doc_name.as_deref() {
        Some(name) if !name.trim().is_empty() => safe_line(name, 40),
        _ => format!("attachment {}", safe_line(&request.attachment_id, 30)),
    };
    let bar = bars.file(&label);
    let result = session
        .run(|client| {
            let bar = bar.clone();
            async move {
                let saved = transfer::download_with(&client, request, options, cancel, |p| {
                    if let Some(bar) = &bar {
                        if let Some(total) = p.total {
                            bar.set_length(total);
                        }
                        bar.set_position(p.received);
                    }
                })
                .await?;
                Ok(saved)
            }
        })
        .await;
    bars.file_done(bar);
    result
}

fn is_cancelled(error: &CliError) -> bool {
    matches!(error, CliError::Transfer(TransferError::Cancelled { .. }))
}

fn is_unauthorized(error: &CliError) -> bool {
    matches!(
        error,
        CliError::Api(ApiError::Unauthorized { .. })
            | CliError::Transfer(TransferError::Api(ApiError::Unauthorized { .. }))
    )
}

/// A token cancelled by Ctrl-C, SIGTERM or SIGHUP: downloads in flight stop
/// and keep their `.part`; the exit code is 128 + the signal.
struct Stop {
    token: CancellationToken,
    code: Arc<std::sync::atomic::AtomicU8>,
}

impl Stop {
    fn on_signals() -> Stop {
        let token = CancellationToken::new();
        let code = Arc::new(std::sync::atomic::AtomicU8::new(EXIT_INTERRUPTED));
        let (on_signal, set_code) = (token.clone(), code.clone());
        let signals = StopSignals::register();
        tokio::spawn(async move {
            let received = signals.next().await;
            set_code.store(received, std::sync::atomic::Ordering::SeqCst);
            on_signal.cancel();
        });
        Stop { token, code }
    }

    fn exit_code(&self) -> u8 {
        self.code.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Ctrl-C, SIGTERM and SIGHUP, their handlers installed at once (so a signal
/// that comes before the first wait is not lost, nor kills the process).
struct StopSignals {
    #[cfg(unix)]
    unix: Option<[tokio::signal::unix::Signal; 3]>,
}

impl StopSignals {
    fn register() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let unix = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) {
                (Ok(int), Ok(term), Ok(hup)) => Some([int, term, hup]),
                _ => None,
            };
            StopSignals { unix }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Waits for one and returns the exit code it calls for.
    async fn next(self) -> u8 {
        #[cfg(unix)]
        if let Some([mut int, mut term, mut hup]) = self.unix {
            return tokio::select! {
                _ = int.recv() => EXIT_INTERRUPTED,
                _ = term.recv() => EXIT_TERMINATED,
                _ = hup.recv() => EXIT_HANGUP,
            };
        }
        match tokio::signal::ctrl_c().await {
            Ok(()) => EXIT_INTERRUPTED,
            Err(_) => std::future::pending().await,
        }
    }
}

/// The retry policy of the settings, its notices printed above the bars.
fn transfer_options(context: &Context, bars: &Bars) -> TransferOptions {
    let bars = bars.clone();
    TransferOptions::with_retry(context.retry_policy(Arc::new(move |notice: &RetryNotice| {
        bars.println(&format!("trackline: {}; {}", notice.reason, notice.summary()));
    })))
}

/// One logged-in client shared by every download of a run (one connection
/// pool), renewed at most once per refusal from `TRACKLINE_EMAIL` and
/// `TRACKLINE_PASSWORD`.
struct Session<'a> {
    context: &'a Context,
    current: tokio::sync::Mutex<(u64, Client)>,
}

impl<'a> Session<'a> {
    async fn start(context: &'a Context) -> Result<Session<'a>, CliError> {
        let client = context.logged_in_client().await?;
        Ok(Session {
            context,
            current: tokio::sync::Mutex::new((0, client)),
        })
    }

    async fn client(&self) -> (u64, Client) {
        self.current.lock().await.clone()
    }

    /// A new login after `generation` was refused, unless another task has
    /// renewed it already; `None` without credentials in the environment.
    async fn renew(&self, generation: u64) -> Result<Option<Client>, CliError> {
        if std::env::var_os(ENV_EMAIL).is_none() || std::env::var_os(ENV_PASSWORD).is_none() {
            return Ok(None);
        }
        let mut current = self.current.lock().await;
        if current.0 != generation {
            return Ok(Some(current.1.clone()));
        }
        let bare = self.context.client()?;
        match self.context.env_login(&bare).await? {
            Some(session) => {
                *current = (generation + 1, bare.with_token(session.token));
                Ok(Some(current.1.clone()))
            }
            None => Ok(None),
        }
    }

    /// Runs `call`; after a 401, once more with a renewed login.
    async fn run<T, F, Fut>(&self, call: F) -> Result<T, CliError>
    where
        F: Fn(Client) -> Fut,
        Fut: std::future::Future<Output = Result<T, CliError>>,
    {
        let (generation, client) = self.client().await;
        match call(client).await {
            Err(error) if is_unauthorized(&error) => match self.renew(generation).await? {
                Some(client) => call(client).await,
                None => Err(error),
            },
            other => other,
        }
    }
}

/// Progress bars on stderr, only when it is a terminal: one per file and,
/// for more than one file, a total.
#[derive(Clone)]
struct Bars {
    multi: Option<MultiProgress>,
    total: Option<ProgressBar>,
}

impl Bars {
    fn new(files: usize) -> Bars {
        if !std::io::stderr().is_terminal() {
            return Bars {
                multi: None,
                total: None,
            };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let total = (files > 1).then(|| {
            let bar = multi.add(ProgressBar::new(files as u64));
            bar.set_style(
                ProgressStyle::with_template("{msg:>30} [{bar:30}] {pos}/{len} files, {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message("total");
            bar
        });
        Bars {
            multi: Some(multi),
            total,
        }
    }

    fn file(&self, label: &str) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let bar = ProgressBar::new(0);
        let bar = match &self.total {
            Some(total) => multi.insert_before(total, bar),
            None => multi.add(bar),
        };
        bar.set_style(
            ProgressStyle::with_template("{msg:>30} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(label.to_string());
        Some(bar)
    }

    fn file_done(&self, bar: Option<ProgressBar>) {
        if let Some(bar) = bar {
            bar.finish_and_clear();
            if let Some(multi) = &self.multi {
                multi.remove(&bar);
            }
        }
        if let Some(total) = &self.total {
            total.inc(1);
        }
    }

    /// A line on stderr, above the bars.
    fn println(&self, line: &str) {
        match &self.multi {
            Some(multi) => {
                if multi.println(line).is_err() {
                    eprintln!("{line}");
                }
            }
            None => eprintln!("{line}"),
        }
    }

    /// Runs `f` (which writes to stdout) with the bars hidden.
    fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.multi {
            Some(multi) => multi.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(total) = &self.total {
            total.finish_and_clear();
        }
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
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
async fn open_saved(context: &Context, path: &Path, bars: &Bars) {
    let opener = context.settings.opener.clone();
    let owned = path.to_path_buf();
    let result = tokio::task::spawn_blocking(move || transfer::open_path(&owned, opener.as_deref()))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    if let Err(error) = result {
        bars.println(&format!(
            "trackline: cannot open the file: {error}; it is saved at {}",
            path.display()
        ));
    }
}

/// `trackline export --ids-from FILE [-o DIR] [--jobs N]`.
pub async fn export(context: &Context, args: &ExportArgs) -> Result<u8, CliError> {
    let ids = read_ids_file(&args.ids_from)?;
    let dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| context.settings.download_dir.clone());
    if ids.is_empty() {
        eprintln!(
            "trackline: {} lists no process ids; nothing to export",
            args.ids_from.display()
        );
        return Ok(exit::OK);
    }
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Other(format!("cannot create {}: {e}", dir.display())))?;
    let manifest_path = dir.join(MANIFEST_NAME);
    let previous = match read_manifest(&manifest_path) {
        Ok(rows) => rows,
        Err(error) => {
            eprintln!("trackline: ignoring the previous manifest ({error}); every file is downloaded again");
            Vec::new()
        }
    };
    let previous: HashMap<(String, String), ManifestRow> = previous
        .into_iter()
        .filter(|row| row.status == STATUS_DOWNLOADED || row.status == STATUS_UNCHANGED)
        .map(|row| ((row.process_id.clone(), row.doc_id.clone()), row))
        .collect();
    let session = Session::start(context).await?;
    let jobs = usize::from(args.jobs).max(1);
    let stop = Stop::on_signals();
    let cancel = stop.token.clone();

    let lookups: Vec<(String, Result<Vec<Process>, CliError>)> = stream::iter(ids)
        .map(|id| {
            let session = &session;
            async move {
                let query = ProcessQuery::Id(id.clone());
                let result = session
                    .run(|client| {
                        let query = query.clone();
                        async move { Ok(client.process(&query).await?) }
                    })
                    .await;
                (id, result)
            }
        })
        .buffered(jobs)
        .collect()
        .await;

    let mut rows: Vec<ManifestRow> = Vec::new();
    let mut tasks: Vec<(usize, DownloadRequest, Option<ManifestRow>)> = Vec::new();
    let mut errors: Vec<CliError> = Vec::new();
    for (id, result) in lookups {
        let processes = match result {
            Ok(processes) => processes,
            Err(error) => {
                eprintln!("trackline: {error}");
                rows.push(ManifestRow::failed_process(&id, &error));
                errors.push(error);
                continue;
            }
        };
        for process in &processes {
            let folder_name = process_folder_name(process.process_id.as_str(), process.name.as_deref());
            let folder = dir.join(&folder_name);
            for document in &process.documents {
                let row = ManifestRow::for_document(process, document);
                let earlier = previous
                    .get(&(row.process_id.clone(), row.doc_id.clone()))
                    .filter(|earlier| in_folder(&earlier.path, &folder_name))
                    .cloned();
                tasks.push((rows.len(), document_request(document, &folder), earlier));
                rows.push(row);
            }
        }
    }

    let bars = Bars::new(tasks.len());
    let options = transfer_options(context, &bars);
    let mut results = stream::iter(tasks)
        .map(|(index, request, earlier)| {
            let (session, options, cancel, bars, dir) = (&session, &options, &cancel, &bars, dir.as_path());
            async move {
                if let Some(earlier) = earlier
                    && still_there(dir, &earlier).await
                {
                    bars.file_done(None);
                    return (index, Outcome::Unchanged(earlier));
                }
                let result = fetch(session, &request, options, cancel, bars).await;
                (index, Outcome::Fetched(result))
            }
        })
        .buffer_unordered(jobs);
    let mut interrupted = false;
    while let Some((index, outcome)) = results.next().await {
        let Some(row) = rows.get_mut(index) else {
            continue;
        };
        match outcome {
            Outcome::Unchanged(earlier) => {
                row.path = earlier.path;
                row.bytes = earlier.bytes;
                row.sha256 = earlier.sha256;
                row.status = STATUS_UNCHANGED.to_string();
            }
            Outcome::Fetched(Ok(saved)) => {
                bars.suspend(|| print_saved(&saved, false))?;
                row.path = relative_path(&dir, &saved.path);
                row.bytes = Some(saved.bytes);
                row.sha256 = saved.sha256;
                row.status = STATUS_DOWNLOADED.to_string();
            }
            Outcome::Fetched(Err(error)) => {
                interrupted |= is_cancelled(&error);
                if !is_cancelled(&error) {
                    bars.println(&format!(
                        "trackline: process {} document {}: {error}",
                        safe_line(&row.process_id, 60),
                        safe_line(&row.doc_id, 60)
                    ));
                }
                row.status = STATUS_FAILED.to_string();
                row.error = safe_line(&error.to_string(), 500);
                errors.push(error);
            }
        }
    }
    drop(results);
    bars.finish();
    write_manifest(&manifest_path, &rows)
        .map_err(|e| CliError::Other(format!("cannot write {}: {e}", manifest_path.display())))?;

    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    let (downloaded, unchanged, failed) = (count(STATUS_DOWNLOADED), count(STATUS_UNCHANGED), count(STATUS_FAILED));
    eprintln!(
        "trackline: {downloaded} downloaded, {unchanged} unchanged, {failed} failed; manifest: {}",
        manifest_path.display()
    );
    if interrupted {
        return Ok(stop.exit_code());
    }
    if errors.is_empty() {
        Ok(exit::OK)
    } else if downloaded + unchanged > 0 {
        Ok(exit::PARTIAL)
    } else {
        Err(errors.remove(0))
    }
}

/// What became of one document of an export.
enum Outcome {
    /// The previous export's file is still there, unchanged.
    Unchanged(ManifestRow),
    /// It was downloaded, or failed.
    Fetched(Result<Downloaded, CliError>),
}

/// `status` of a document saved by this export.
const STATUS_DOWNLOADED: &str = "downloaded";
/// `status` of a document whose file from an earlier export is still there.
const STATUS_UNCHANGED: &str = "unchanged";
/// `status` of a document (or a whole process) that could not be saved.
const STATUS_FAILED: &str = "failed";

/// One row of `manifest.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct ManifestRow {
    process_id: String,
    doc_id: String,
    doc_name: String,
    doc_type: String,
    path: String,
    bytes: Option<u64>,
    sha256: String,
    status: String,
    error: String,
}

impl ManifestRow {
    fn for_document(process: &Process, document: &Document) -> ManifestRow {
        ManifestRow {
            process_id: process.process_id.to_string(),
            doc_id: document.doc_id.to_string(),
            doc_name: document
                .doc_name
                .as_deref()
                .map(|n| safe_line(n, 500))
                .unwrap_or_default(),
            doc_type: document
                .doc_type
                .as_deref()
                .map(|t| safe_line(t, 200))
                .unwrap_or_default(),
            ..ManifestRow::default()
        }
    }

    fn failed_process(process_id: &str, error: &CliError) -> ManifestRow {
        ManifestRow {
            process_id: safe_line(process_id, 200),
            status: STATUS_FAILED.to_string(),
            error: safe_line(&error.to_string(), 500),
            ..ManifestRow::default()
        }
    }
}

/// The process ids of an ids file: one per line, or a CSV whose header has
/// a `process_id` column. Blank lines and lines starting with `#` are
/// skipped; an id listed twice is exported once.
fn read_ids_file(path: &Path) -> Result<Vec<String>, CliError> {
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| CliError::Usage(format!("cannot read --ids-from {}: {e}", path.display())))?;
    parse_ids(&text).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

fn parse_ids(text: &str) -> Result<Vec<String>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let meaningful = |line: &&str| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    };
    let Some(first) = text.lines().find(meaningful) else {
        return Ok(Vec::new());
    };
    let header_has_column = first
        .split([',', ';', '\t'])
        .any(|field| field.trim().trim_matches('"').eq_ignore_ascii_case("process_id"));
    let raw: Vec<String> = if header_has_column {
        ids_from_csv(text)?
    } else if first.contains(',') {
        return Err("a CSV file needs a header row with a process_id column".to_string());
    } else {
        text.lines()
            .filter(meaningful)
            .map(|line| line.trim().to_string())
            .collect()
    };
    let mut seen = HashSet::new();
    Ok(raw
        .into_iter()
        .filter(|id| !id.is_empty() && seen.insert(id.clone()))
        .collect())
}

fn ids_from_csv(text: &str) -> Result<Vec<String>, String> {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("process_id"))
        .ok_or("no process_id column")?;
    let mut ids = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if let Some(id) = record.get(column) {
            ids.push(id.to_string());
        }
    }
    Ok(ids)
}

/// The rows of a manifest; no file is no rows.
fn read_manifest(path: &Path) -> Result<Vec<ManifestRow>, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.to_string()),
    };
    csv::Reader::from_reader(file)
        .deserialize()
        .collect::<Result<Vec<ManifestRow>, _>>()
        .map_err(|e| e.to_string())
}

/// Writes the manifest to a temporary file beside it, syncs it, and renames
/// it over the old one, so a reader never sees half a manifest.
fn write_manifest(path: &Path, rows: &[ManifestRow]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{MANIFEST_NAME}.tmp-{}", std::process::id()));
    let written = write_rows(&temp, rows).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

fn write_rows(path: &Path, rows: &[ManifestRow]) -> std::io::Result<()> {
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    let mut writer = csv::Writer::from_path(path).map_err(csv_error)?;
    if rows.is_empty() {
        writer
            .write_record([
                "process_id",
                "doc_id",
                "doc_name",
                "doc_type",
                "path",
                "bytes",
                "sha256",
                "status",
                "error",
            ])
            .map_err(csv_error)?;
    }
    for row in rows {
        writer.serialize(row).map_err(csv_error)?;
    }
    let file = writer.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    file.sync_all()
}

/// `path` relative to `dir` when it is inside it, with `/` between parts.
fn relative_path(dir: &Path, path: &Path) -> String {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    match path.strip_prefix(&dir) {
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// Whether a manifest path names a file directly in `folder` (a relative
/// path of two plain parts, so a damaged manifest cannot point elsewhere).
fn in_folder(path: &str, folder: &str) -> bool {
    let parts: Vec<Component<'_>> = Path::new(path).components().collect();
    matches!(parts.as_slice(), [Component::Normal(f), Component::Normal(_)] if f.to_string_lossy() == folder)
}

/// Whether the file an earlier export saved is still there, with the same
/// size and SHA-256.
async fn still_there(dir: &Path, earlier: &ManifestRow) -> bool {
    let path = dir.join(&earlier.path);
    let (Some(bytes), expected) = (earlier.bytes, earlier.sha256.clone()) else {
        return false;
    };
    match tokio::fs::metadata(&path).await {
        Ok(meta) if meta.is_file() && meta.len() == bytes => {}
        _ => return false,
    }
    tokio::task::spawn_blocking(move || sha256_of(&path).is_ok_and(|sha| sha.eq_ignore_ascii_case(&expected)))
        .await
        .unwrap_or(false)
}

/// The SHA-256 of a file, read through a fixed buffer.
fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(buffer.get(..n).unwrap_or_default());
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_one_per_line_without_blanks_comments_or_repeats() {
        let text = "# processes to export\n12345\n\n  12346  \n# done\n12345\n";
        assert_eq!(parse_ids(text), Ok(vec!["12345".to_string(), "12346".to_string()]));
        assert_eq!(parse_ids("\n# nothing\n"), Ok(Vec::new()));
    }

    #[test]
    fn ids_come_from_the_process_id_column_of_a_csv() {
        let text = "\u{feff}name,process_id,owner\n\"Odoo, Billing\",12345,ana\n\n# skipped\nVAT,\"12346\",bo\n";
        assert_eq!(parse_ids(text), Ok(vec!["12345".to_string(), "12346".to_string()]));
        let semicolons = "process_id;name\n31337;Payroll\n";
        assert_eq!(parse_ids(semicolons), Ok(vec!["31337".to_string()]));
        assert!(parse_ids("id,name\n1,a\n").is_err());
    }

    #[test]
    fn the_manifest_round_trips_hostile_text() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(MANIFEST_NAME);
        let rows = vec![
            ManifestRow {
                process_id: "12345".into(),
                doc_id: "98765".into(),
                doc_name: "a, \"quoted\"\nname".into(),
                doc_type: "Invoice".into(),
                path: "12345 Odoo/Invoice_001.pdf".into(),
                bytes: Some(736),
                sha256: "ab".into(),
                status: STATUS_DOWNLOADED.into(),
                error: String::new(),
            },
            ManifestRow::failed_process("999", &CliError::Other("not found".into())),
        ];
        write_manifest(&path, &rows)?;
        assert_eq!(read_manifest(&path)?, rows);
        let text = std::fs::read_to_string(&path)?;
        assert!(text.starts_with("process_id,doc_id,doc_name,doc_type,path,bytes,sha256,status,error\n"));
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        write_manifest(&path, &[])?;
        assert!(read_manifest(&path)?.is_empty());
        Ok(())
    }

    #[test]
    fn manifest_paths_must_stay_in_the_process_folder() {
        assert!(in_folder("12345 Odoo/Invoice_001.pdf", "12345 Odoo"));
        assert!(!in_folder("12345 Odoo/../../etc/passwd", "12345 Odoo"));
        assert!(!in_folder("/etc/passwd", "12345 Odoo"));
        assert!(!in_folder("other/Invoice_001.pdf", "12345 Odoo"));
        assert!(!in_folder("Invoice_001.pdf", "12345 Odoo"));
    }
}
