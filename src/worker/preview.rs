//! The worker's side of the preview pane: one preview at a time, read off
//! the command loop and cancelled when the next one is asked for.

use crate::engine::SessionManager;
use crate::engine::preview::{self, PreviewCache};
use crate::inspect::render::PageError;
use crate::inspect::{self, Budget, Kind, Options};
use crate::worker::{Event, Picture, Previewed, ReqId};
use ratatui_image::picker::{Picker, ProtocolType};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

/// How long one preview may read before it gives up.
const BUDGET: Duration = Duration::from_secs(10);

/// The most pixels of a picture kept for drawing (more than a terminal pane shows).
const MAX_PICTURE_PIXELS: u64 = 4_000_000;

/// The preview in flight: its request, the token that stops its fetch and
/// the flag that stops its reading.
pub(super) struct Running {
    req: ReqId,
    cancel: CancellationToken,
    flag: Arc<AtomicBool>,
}

impl Running {
    /// Stops it.
    pub(super) fn stop(&self) {
        self.cancel.cancel();
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether it answers `req`.
    pub(super) fn is(&self, req: ReqId) -> bool {
        self.req == req
    }
}

/// One preview asked for (see [`crate::worker::Command::Preview`]).
pub(super) struct Request {
    /// The request id the reply carries.
    pub(super) req: ReqId,
    /// The attachment.
    pub(super) doc_id: String,
    /// A copy saved in this session.
    pub(super) saved: Option<PathBuf>,
    /// For a picture: the terminal's protocol and the cells to fill.
    pub(super) picture: Option<(Picker, (u16, u16))>,
    /// For a PDF: the cells its first page fills ((0, 0): none).
    pub(super) page: (u16, u16),
}

/// Starts reading the document of `request` on its own task; the returned
/// handle stops it. A cancelled preview sends nothing.
pub(super) fn start(
    session: Arc<SessionManager>,
    cache: PreviewCache,
    request: Request,
    parent: &CancellationToken,
    events: UnboundedSender<Event>,
    lang: crate::i18n::Lang,
) -> Running {
    let Request {
        req,
        doc_id,
        saved,
        picture: wanted,
        page,
    } = request;
    let id = doc_id.clone();
    spawn(req, doc_id, parent, events, move |options, cancel| async move {
        let saved = match saved {
            Some(path) => Some(path),
            None => saved_in_index(&session, &id).await,
        };
        let (path, report) = preview::preview_attachment(&session, &cache, &id, saved, options.clone(), &cancel)
            .await
            .map_err(|e| e.localized(lang))?;
        let (picture, page_error) = match wanted {
            Some((picker, cells)) if report.kind == Kind::Image => {
                (picture(path.clone(), options, picker, cells).await, None)
            }
            Some((picker, _)) if report.pdf.is_some() && draws_pages(&picker, page) => {
                match page_picture(path.clone(), options, picker, page).await {
                    Ok(drawn) => (Some(Arc::new(drawn)), None),
                    Err(e) => {
                        let error = crate::tr!(lang, "preview-page-failed", error = e.localized(lang));
                        (None, Some(error))
                    }
                }
            }
            _ => (None, None),
        };
        Ok(Previewed {
            path,
            report: Arc::new(report),
            picture,
            page_error,
        })
    })
}

/// Runs `work` for the preview `req` of `doc_id` on its own task, within the
/// preview's budget (its options) and until its token is cancelled, and
/// sends what it read; the returned handle stops it. A cancelled preview
/// sends nothing.
fn spawn<W, F>(
    req: ReqId,
    doc_id: String,
    parent: &CancellationToken,
    events: UnboundedSender<Event>,
    work: W,
) -> Running
where
    W: FnOnce(Options, CancellationToken) -> F + Send + 'static,
    F: std::future::Future<Output = Result<Previewed, String>> + Send,
{
    let cancel = parent.child_token();
    let flag = Arc::new(AtomicBool::new(false));
    let options = Options {
        budget: Budget::within(BUDGET).with_cancel(flag.clone()),
        ..Options::default()
    };
    let running = Running {
        req,
        cancel: cancel.clone(),
        flag,
    };
    tokio::spawn(async move {
        let result = tokio::select! {
            () = cancel.cancelled() => return,
            result = work(options, cancel.clone()) => result,
        };
        if cancel.is_cancelled() {
            return;
        }
        let result = result.map_err(|e: String| crate::text::safe_line(&e, 400));
        let _ = events.send(Event::Previewed { req, doc_id, result });
    });
    running
}

/// The newest saved copy of `doc_id` the profile's index knows of (a
/// download of an earlier session), when the session keeps an index.
async fn saved_in_index(session: &SessionManager, doc_id: &str) -> Option<PathBuf> {
    let book = session.index()?;
    let profile = session.profile().name;
    let mut found = book.saved_files(&profile, vec![doc_id.to_string()]).await.ok()?;
    found.remove(doc_id).map(|file| file.path)
}

/// The picture at `path`, upright, scaled to `cells` and encoded for
/// `picker`'s protocol on a blocking thread; `None` when it cannot be decoded
/// (the summary says why).
async fn picture(path: PathBuf, options: Options, picker: Picker, cells: (u16, u16)) -> Option<Arc<Picture>> {
    let limit = options.limits.max_input;
    let bytes = tokio::task::spawn_blocking(move || read_within(&path, limit).ok())
        .await
        .ok()
        .flatten()?;
    picture_of(bytes, options, picker, cells).await
}

/// The file at `path` (blocking), unless it is larger than `limit` bytes.
fn read_within(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, PageError> {
    let size = std::fs::metadata(path).map_err(|_| PageError::Unreadable)?.len();
    if size > limit {
        return Err(PageError::TooLarge(format!("> {} MiB", limit >> 20)));
    }
    std::fs::read(path).map_err(|_| PageError::Unreadable)
}

/// One archive entry asked for (see [`crate::worker::Command::PreviewEntry`]).
pub(super) struct EntryRequest {
    /// The request id the reply carries.
    pub(super) req: ReqId,
    /// The attachment the archive is.
    pub(super) doc_id: String,
    /// The archive's copy on disk.
    pub(super) archive: PathBuf,
    /// The entries on the way down.
    pub(super) entry: Vec<usize>,
    /// For a picture: the terminal's protocol and the cells to fill.
    pub(super) picture: Option<(Picker, (u16, u16))>,
}

/// Starts reading the archive entry of `request` on its own task (the
/// reading on a blocking thread); the returned handle stops it. A cancelled
/// preview sends nothing.
pub(super) fn start_entry(
    request: EntryRequest,
    parent: &CancellationToken,
    events: UnboundedSender<Event>,
    lang: crate::i18n::Lang,
) -> Running {
    let EntryRequest {
        req,
        doc_id,
        archive,
        entry,
        picture: wanted,
    } = request;
    spawn(req, doc_id, parent, events, move |options, _cancel| async move {
        let (path, read_options) = (archive.clone(), options.clone());
        let read = tokio::task::spawn_blocking(move || preview::read_entry_at(&path, &entry, &read_options))
            .await
            .map_err(|_| inspect::InspectError::Cancelled)
            .and_then(|read| read)
            .map_err(|e| e.localized(lang))?;
        let (bytes, report) = read;
        let picture = match wanted {
            Some((picker, cells)) if report.kind == Kind::Image => picture_of(bytes, options, picker, cells).await,
            _ => None,
        };
        Ok(Previewed {
            path: archive,
            report: Arc::new(report),
            picture,
            page_error: None,
        })
    })
}

/// The picture in `bytes`, upright, scaled to `cells` and encoded for
/// `picker`'s protocol on a blocking thread; `None` when it cannot be decoded.
async fn picture_of(bytes: Vec<u8>, options: Options, picker: Picker, cells: (u16, u16)) -> Option<Arc<Picture>> {
    let decoded = tokio::task::spawn_blocking(move || {
        let upright = inspect::image::upright(&bytes, &options, MAX_PICTURE_PIXELS).ok()?;
        options.budget.check().ok()?;
        let size = ratatui::layout::Size::new(cells.0, cells.1);
        let resize = ratatui_image::Resize::Scale(Some(ratatui_image::FilterType::Triangle));
        let protocol = picker.new_protocol(upright, size, resize).ok()?;
        Some(Picture { protocol, cells })
    })
    .await
    .ok()
    .flatten();
    decoded.map(Arc::new)
}

/// Whether a PDF's first page is drawn: only with a picture protocol
/// (halfblocks make a page illegible) and into cells the pane has.
pub(crate) fn draws_pages(picker: &Picker, cells: (u16, u16)) -> bool {
    picker.protocol_type() != ProtocolType::Halfblocks && cells.0 > 0 && cells.1 > 0
}

/// Page 1 of the PDF at `path`, drawn to fill `cells` at the picker's font
/// size and encoded for its protocol on a blocking thread, within the
/// budget's time (a drawing that outlasts it is left to finish unseen).
async fn page_picture(
    path: PathBuf,
    options: Options,
    picker: Picker,
    cells: (u16, u16),
) -> Result<Picture, PageError> {
    let budget = options.budget.clone();
    let work = tokio::task::spawn_blocking(move || {
        let bytes = read_within(&path, options.limits.max_input)?;
        let font = picker.font_size();
        let max = (
            u32::from(cells.0) * u32::from(font.width.max(1)),
            u32::from(cells.1) * u32::from(font.height.max(1)),
        );
        let drawn = inspect::render::first_page(&bytes, max, &options)?;
        let size = ratatui::layout::Size::new(cells.0, cells.1);
        let resize = ratatui_image::Resize::Scale(Some(ratatui_image::FilterType::Triangle));
        let protocol = picker
            .new_protocol(drawn.into(), size, resize)
            .map_err(|_| PageError::Malformed)?;
        Ok(Picture { protocol, cells })
    });
    let joined = match budget.remaining() {
        Some(left) => match tokio::time::timeout(left, work).await {
            Ok(joined) => joined,
            Err(_) => return Err(budget.check().err().unwrap_or(inspect::InspectError::Cancelled).into()),
        },
        None => work.await,
    };
    joined.map_err(|_| PageError::Malformed)?
}
