//! The preview pane beside (or below) the documents: which document it
//! shows, the request reading it, and its lines laid out for the pane's
//! width. It follows the selection: after every update the app asks the
//! worker for the selected document when that changed (the worker stops the
//! preview before), and a reply to an older request is dropped.

use super::*;
use crate::worker::Previewed;

/// What the preview pane shows.
#[derive(Debug, Clone, Default)]
pub(crate) enum PreviewState {
    /// Nothing is selected.
    #[default]
    Idle,
    /// The document is being read.
    Loading,
    /// The document's summary.
    Ready(Box<Ready>),
    /// Why the document cannot be shown, already safe to show.
    Failed(String),
}

/// A document read, and its summary's lines at one width.
#[derive(Debug, Clone)]
pub(crate) struct Ready {
    /// What the worker read.
    pub(crate) previewed: Previewed,
    /// The summary's lines (from `inspect::describe`, every string made safe).
    pub(crate) lines: Vec<String>,
    /// The width the lines were laid out for.
    pub(crate) width: usize,
}

/// The preview pane's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct PreviewPane {
    /// Whether it is shown.
    pub(crate) open: bool,
    /// The process id and attachment id it is about.
    pub(crate) target: Option<(String, String)>,
    /// The document's name, safe to show.
    pub(crate) name: String,
    /// The request in flight or answered last.
    pub(crate) req: Option<ReqId>,
    /// What it shows.
    pub(crate) state: PreviewState,
    /// The first line shown.
    pub(crate) scroll: ListCursor,
    /// The cells a picture was last asked for.
    pub(crate) picture_cells: Option<(u16, u16)>,
    /// The archives opened on the way to what it shows, and the chosen entry.
    pub(crate) entries: super::entries::Entries,
    /// The cells a PDF's first page was last asked for.
    pub(crate) page_cells: Option<(u16, u16)>,
}

impl PreviewPane {
    /// How many lines the pane has to show.
    pub(crate) fn lines(&self) -> usize {
        match &self.state {
            PreviewState::Ready(ready) => ready.lines.len(),
            _ => 0,
        }
    }
}

impl App {
    /// `p`: shows the preview (of the selected document), or hides it and
    /// stops the reading in flight.
    pub(super) fn toggle_preview(&mut self) -> Vec<Command> {
        if self.preview.open {
            let req = self.preview.req;
            self.preview = PreviewPane::default();
            return req.map(Command::CancelPreview).into_iter().collect();
        }
        self.preview.open = true;
        Vec::new()
    }

    /// Scrolls the preview by `mv`.
    pub(super) fn scroll_preview(&mut self, mv: Move) {
        let rows = self.list_rows().preview;
        let lines = self.preview.lines();
        self.preview.scroll.scroll_view(mv, lines, rows);
    }

    /// The selected document as (process id, attachment id, name, saved copy).
    fn selected_for_preview(&self) -> Option<(String, String, String, Option<PathBuf>)> {
        let process = self.current.as_ref()?;
        let doc = process.documents.get(self.documents.selected_doc()?)?;
        let saved = self
            .downloads
            .for_doc(process.process_id.as_str(), doc.doc_id.as_str())
            .and_then(Transfer::saved_path)
            .map(Path::to_path_buf);
        Some((
            process.process_id.as_str().to_string(),
            doc.doc_id.as_str().to_string(),
            safe_line(&doc.display_name(), 120),
            saved,
        ))
    }

    /// Keeps the open preview on the selected document: a new selection
    /// starts reading it (the worker stops the reading before); no selection
    /// stops it. Also lays the summary out again when the pane's width changed.
    pub(super) fn follow_selection(&mut self) -> Vec<Command> {
        if !self.preview.open {
            return Vec::new();
        }
        let selected = self.selected_for_preview();
        let target = selected.as_ref().map(|(p, d, _, _)| (p.clone(), d.clone()));
        let mut commands = Vec::new();
        if target != self.preview.target {
            self.preview.target = target;
            self.preview.scroll.reset();
            self.preview.entries = Default::default();
            match selected {
                Some((_, doc_id, name, saved)) => {
                    self.preview.name = name;
                    self.preview.state = PreviewState::Loading;
                    commands.push(self.ask_preview(doc_id, saved));
                    return commands;
                }
                None => {
                    commands.extend(self.preview.req.take().map(Command::CancelPreview));
                    self.preview.name.clear();
                    self.preview.state = PreviewState::Idle;
                }
            }
        }
        self.relayout_preview();
        // A picture (or a page) made for other cells is made again for the pane's new size.
        let rows = self.list_rows();
        let (cells, asked) = match &self.preview.state {
            PreviewState::Ready(r) if r.previewed.report.kind != crate::inspect::Kind::Image => {
                (rows.page, self.preview.page_cells)
            }
            _ => (rows.picture, self.preview.picture_cells),
        };
        // A PDF first shown in a pane too small for its page gets its page once the pane has room.
        let resized = match &self.preview.state {
            PreviewState::Ready(r) => match &r.previewed.picture {
                Some(picture) => picture.cells != cells,
                None => {
                    r.previewed.report.pdf.is_some()
                        && r.previewed.page_error.is_none()
                        && asked.is_some_and(|(w, h)| w == 0 || h == 0)
                        && self.picker.is_some()
                        && cells.0 > 0
                        && cells.1 > 0
                }
            },
            _ => false,
        };
        if resized
            && asked != Some(cells)
            && let Some((_, doc_id, _, saved)) = selected
        {
            match self.ask_entry_again() {
                Some(command) => commands.push(command),
                None => commands.push(self.ask_preview(doc_id, saved)),
            }
        }
        commands
    }

    /// The command that reads `doc_id` for the pane, as a new request.
    fn ask_preview(&mut self, doc_id: String, saved: Option<PathBuf>) -> Command {
        let req = ReqId(self.next_req);
        self.next_req += 1;
        self.preview.req = Some(req);
        let rows = self.list_rows();
        let (cells, page) = (rows.picture, rows.page);
        self.preview.picture_cells = Some(cells);
        self.preview.page_cells = Some(page);
        let picture = self
            .picker
            .clone()
            .filter(|_| cells.0 > 0 && cells.1 > 0)
            .map(|picker| (picker, cells));
        Command::Preview {
            req,
            doc_id,
            saved,
            picture,
            page,
        }
    }

    /// The picture the pane asks for with a request: the terminal's
    /// protocol and the cells, when it shows pictures.
    pub(super) fn wanted_picture(&mut self) -> Option<(ratatui_image::picker::Picker, (u16, u16))> {
        let cells = self.list_rows().picture;
        self.preview.picture_cells = Some(cells);
        self.picker
            .clone()
            .filter(|_| cells.0 > 0 && cells.1 > 0)
            .map(|picker| (picker, cells))
    }

    /// The width the preview's text is laid out for: the pane's inside.
    fn preview_width(&self) -> usize {
        self.list_rows().preview_width
    }

    /// Lays the summary out again when the pane's width changed.
    pub(super) fn relayout_preview(&mut self) {
        let width = self.preview_width();
        if let PreviewState::Ready(ready) = &mut self.preview.state
            && ready.width != width
            && width > 0
        {
            ready.lines = describe_lines(self.lang, &ready.previewed, &self.preview.name, width);
            ready.width = width;
        }
    }

    /// The worker's answer: shown if it answers the request in flight, else dropped.
    pub(super) fn previewed(&mut self, req: ReqId, result: Result<Previewed, String>) -> Vec<Command> {
        if !self.preview.open || self.preview.req != Some(req) {
            return Vec::new();
        }
        self.preview.state = match result {
            Ok(previewed) => {
                let width = self.preview_width().max(1);
                let lines = describe_lines(self.lang, &previewed, &self.preview.name, width);
                PreviewState::Ready(Box::new(Ready {
                    previewed,
                    lines,
                    width,
                }))
            }
            Err(error) => PreviewState::Failed(safe_line(&error, 400)),
        };
        Vec::new()
    }
}

/// The summary of `previewed` as lines of at most `width` columns (the
/// summary itself is laid out for at least 40; the view cuts what is wider).
fn describe_lines(lang: crate::i18n::Lang, previewed: &Previewed, name: &str, width: usize) -> Vec<String> {
    // The pane's title names the file; its hash is for `inspect` and `y`.
    let file = format!("{} ", lang.t("inspect-file"));
    let page_error = previewed
        .page_error
        .as_deref()
        .map(|error| format!("! {}", safe_line(error, 400)));
    page_error
        .into_iter()
        .chain(
            crate::inspect::describe_in(lang, &previewed.report, name, width)
                .lines()
                .enumerate()
                .filter(|(i, line)| !(*i < 3 && (line.starts_with(&file) || line.starts_with("SHA-256 "))))
                .map(|(_, line)| line.to_string()),
        )
        .collect()
}
