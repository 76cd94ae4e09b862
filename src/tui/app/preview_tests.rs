//! `App::update` and the screen for the preview pane: `p` shows and hides
//! it, it follows the selection, a reply to an older request is dropped, a
//! failure is said in the pane, a saved copy is read instead of a fetch.

use super::test_msgs::{NOW, ch, ev, init, key};
use super::*;
use crate::api::{Document, Id};
use crate::worker::Previewed;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

/// Signed in, in a `w`×`h` terminal, with a process of three documents
/// shown and the documents focused.
pub(super) fn loaded(w: u16, h: u16) -> App {
    let mut app = App::new(AppInit {
        recent: Vec::new(),
        ..init(true)
    });
    app.update(Msg::Resize { width: w, height: h });
    for c in "15000".chars() {
        app.update(ch(c));
    }
    let commands = app.update(key(KeyCode::Enter));
    let Some(req) = commands.iter().find_map(|c| match c {
        Command::FetchProcess { req, .. } => Some(*req),
        _ => None,
    }) else {
        panic!("no lookup in {commands:?}");
    };
    let names = ["Peppol_INV-2024-101.xml", "orders.csv", "E-Invoices_2024.zip"];
    let process = Process {
        process_id: Id::new("15000"),
        name: Some("Samples".into()),
        status: Some("Completed".into()),
        created_at: None,
        documents: names
            .iter()
            .enumerate()
            .map(|(i, name)| Document {
                doc_id: Id::new(format!("{}", 15101 + i)),
                doc_name: Some((*name).into()),
                doc_type: Some("Sample".into()),
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    };
    app.update(ev(Event::ProcessLoaded {
        req,
        result: Ok(vec![process]),
    }));
    assert_eq!(app.focus(), Focus::Documents);
    app
}

/// The preview asked for in `commands`: (request, attachment, saved copy).
fn preview_of(commands: &[Command]) -> Option<(ReqId, String, Option<PathBuf>)> {
    commands.iter().find_map(|c| match c {
        Command::Preview { req, doc_id, saved, .. } => Some((*req, doc_id.clone(), saved.clone())),
        _ => None,
    })
}

/// The reply to `req`: the sample file `name` read and summarised.
fn reply(req: ReqId, doc_id: &str, name: &str) -> Msg {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sandbox/files")
        .join(name);
    let report = crate::inspect::inspect_file(&path, &crate::inspect::Options::default()).unwrap();
    ev(Event::Previewed {
        req,
        doc_id: doc_id.into(),
        result: Ok(Previewed {
            path,
            report: Arc::new(report),
            picture: None,
            page_error: None,
        }),
    })
}

pub(super) fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::super::view::draw(f, app, NOW)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn p_shows_the_selected_document_and_p_again_hides_it_and_stops_the_reading() {
    let mut app = loaded(80, 24);
    assert!(!screen(&app).contains("Preview"));
    let commands = app.update(ch('p'));
    let (req, doc, saved) = preview_of(&commands).unwrap();
    assert_eq!((doc.as_str(), saved), ("15101", None));
    assert!(screen(&app).contains("Reading…"), "{}", screen(&app));
    assert!(app.is_animating(), "the spinner turns while it reads");
    app.update(reply(req, "15101", "Peppol_INV-2024-101.xml"));
    let shown = screen(&app);
    assert!(shown.contains("Preview Peppol_INV-2024-101.xml"), "{shown}");
    assert!(shown.contains("UBL invoice"), "{shown}");
    assert!(shown.contains("INV-2024-101"), "{shown}");

    let commands = app.update(ch('p'));
    assert!(
        matches!(commands.as_slice(), [Command::CancelPreview(r)] if *r == req),
        "{commands:?}"
    );
    assert!(!screen(&app).contains("Preview"));
}

#[test]
fn the_preview_follows_the_selection_and_drops_a_stale_reply() {
    let mut app = loaded(120, 36);
    let (first, ..) = preview_of(&app.update(ch('p'))).unwrap();
    let (second, doc, _) = preview_of(&app.update(ch('j'))).unwrap();
    assert_eq!(doc, "15102");
    assert!(second > first);
    // The first document's reply comes late: it is not shown.
    app.update(reply(first, "15101", "Peppol_INV-2024-101.xml"));
    assert!(matches!(app.preview.state, PreviewState::Loading));
    assert!(!screen(&app).contains("UBL invoice"));
    app.update(reply(second, "15102", "orders.csv"));
    let shown = screen(&app);
    assert!(shown.contains("Preview orders.csv"), "{shown}");
    assert!(shown.contains("Acme Trading AG"), "{shown}");
    // A key that does not move the selection asks for nothing.
    assert!(preview_of(&app.update(ch('J'))).is_none());
    assert!(preview_of(&app.update(key(KeyCode::Down))).is_some());
}

#[test]
fn a_reply_after_the_preview_is_hidden_is_dropped() {
    let mut app = loaded(80, 24);
    let (req, ..) = preview_of(&app.update(ch('p'))).unwrap();
    app.update(ch('p'));
    app.update(reply(req, "15101", "Peppol_INV-2024-101.xml"));
    assert!(matches!(app.preview.state, PreviewState::Idle));
    assert!(!screen(&app).contains("UBL invoice"));
}

#[test]
fn a_failure_is_said_in_the_pane() {
    let mut app = loaded(80, 24);
    let (req, ..) = preview_of(&app.update(ch('p'))).unwrap();
    app.update(ev(Event::Previewed {
        req,
        doc_id: "15101".into(),
        result: Err("attachment 15101 was not found\x1b[31m".into()),
    }));
    let shown = screen(&app);
    assert!(shown.contains("Cannot preview: attachment 15101 was"), "{shown}");
    assert!(!shown.contains('\x1b'));
}

#[test]
fn a_document_saved_in_this_session_is_read_from_its_copy() {
    let mut app = loaded(80, 24);
    let commands = app.update(key(KeyCode::Enter));
    let id = commands
        .iter()
        .find_map(|c| match c {
            Command::Download { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    app.update(ev(Event::Downloaded {
        id,
        path: PathBuf::from("/downloads/15000 Samples/Peppol_INV-2024-101.xml"),
        bytes: 10,
        sha256: "ab".repeat(32),
    }));
    let (_, doc, saved) = preview_of(&app.update(ch('p'))).unwrap();
    assert_eq!(doc, "15101");
    assert_eq!(
        saved,
        Some(PathBuf::from("/downloads/15000 Samples/Peppol_INV-2024-101.xml"))
    );
}

#[test]
fn j_and_k_scroll_the_preview_to_the_total_and_the_layout_fits_80x24() {
    let mut app = loaded(80, 24);
    let (req, ..) = preview_of(&app.update(ch('p'))).unwrap();
    app.update(reply(req, "15101", "Peppol_INV-2024-101.xml"));
    let rows = app.list_rows().preview;
    assert!(rows >= 8, "the preview shows {rows} lines at 80×24");
    assert!(!screen(&app).contains("Payable"));
    for _ in 0..12 {
        app.update(ch('J'));
    }
    let shown = screen(&app);
    assert!(shown.contains("Total       942.47"), "{shown}");
    assert!(shown.contains("JK scroll"), "{shown}");
    for _ in 0..12 {
        app.update(ch('K'));
    }
    assert!(screen(&app).contains("UBL invoice"));
    // The documents keep their names beside the preview.
    assert!(screen(&app).contains("Peppol_INV-2024-101"));
}

#[test]
fn a_narrow_terminal_has_the_preview_below_the_list() {
    let mut app = loaded(70, 30);
    let (req, ..) = preview_of(&app.update(ch('p'))).unwrap();
    app.update(reply(req, "15101", "E-Invoices_2024.zip"));
    let shown = screen(&app);
    let list = shown.lines().position(|l| l.contains("Documents")).unwrap();
    let preview = shown.lines().position(|l| l.contains("Preview")).unwrap();
    assert!(preview > list, "{shown}");
    assert!(shown.contains("invoices/Peppol_INV-2024-101"), "{shown}");
}

#[test]
fn a_picture_is_drawn_in_the_cells_asked_for_and_asked_again_after_a_resize() {
    let mut app = loaded(100, 30).with_picker(ratatui_image::picker::Picker::halfblocks());
    let commands = app.update(ch('p'));
    let Some(Command::Preview {
        req,
        picture: Some((picker, cells)),
        ..
    }) = commands.into_iter().find(|c| matches!(c, Command::Preview { .. }))
    else {
        panic!("no picture asked for");
    };
    assert_eq!(cells, app.list_rows().picture);
    // Rows of two colours, so each cell's two halves differ.
    let photo = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(40, 80, |_, y| {
        if y % 2 == 0 {
            image::Rgb([200, 30, 30])
        } else {
            image::Rgb([30, 30, 200])
        }
    }));
    let protocol = picker
        .new_protocol(
            photo,
            ratatui::layout::Size::new(cells.0, cells.1),
            ratatui_image::Resize::Scale(None),
        )
        .unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files/Receipt_Rotated.jpg");
    let report = crate::inspect::inspect_file(&path, &crate::inspect::Options::default()).unwrap();
    app.update(ev(Event::Previewed {
        req,
        doc_id: "15101".into(),
        result: Ok(Previewed {
            path,
            report: Arc::new(report),
            picture: Some(Arc::new(crate::worker::Picture { protocol, cells })),
            page_error: None,
        }),
    }));
    let shown = screen(&app);
    assert!(shown.contains("orientation 6"), "{shown}");
    assert!(shown.contains('▀') || shown.contains('▄'), "halfblocks drawn: {shown}");

    // Another size: the picture is made again for the new cells, once.
    let commands = app.update(Msg::Resize { width: 120, height: 40 });
    let Some(Command::Preview {
        picture: Some((_, bigger)),
        ..
    }) = commands.into_iter().find(|c| matches!(c, Command::Preview { .. }))
    else {
        panic!("no new picture after the resize");
    };
    assert!(bigger.0 > cells.0 && bigger.1 > cells.1, "{bigger:?} after {cells:?}");
    assert!(preview_of(&app.update(Msg::Resize { width: 120, height: 40 })).is_none());
    // Until the new one comes, the old one is not drawn out of shape.
    assert!(!screen(&app).contains('▀'));
}

/// The answer for a PDF drawn into `cells` (halfblocks, so the screen shows it), or why not.
fn pdf_reply(req: ReqId, name: &str, page: Result<(u16, u16), &str>) -> Msg {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sandbox/files")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let options = crate::inspect::Options::default();
    let report = crate::inspect::inspect_bytes(&bytes, &options).unwrap();
    let (picture, page_error) = match page {
        Ok(cells) => {
            let drawn =
                crate::inspect::render::first_page(&bytes, (cells.0 as u32 * 10, cells.1 as u32 * 20), &options)
                    .unwrap();
            let protocol = ratatui_image::picker::Picker::halfblocks()
                .new_protocol(
                    drawn.into(),
                    ratatui::layout::Size::new(cells.0, cells.1),
                    ratatui_image::Resize::Scale(None),
                )
                .unwrap();
            (Some(Arc::new(crate::worker::Picture { protocol, cells })), None)
        }
        Err(error) => (None, Some(error.to_string())),
    };
    ev(Event::Previewed {
        req,
        doc_id: "15101".into(),
        result: Ok(Previewed {
            path,
            report: Arc::new(report),
            picture,
            page_error,
        }),
    })
}

/// Presses `p`: the request the preview asks with, and the cells it asks a page in.
fn press_p(app: &mut App) -> (ReqId, (u16, u16)) {
    let commands = app.update(ch('p'));
    match commands.into_iter().find(|c| matches!(c, Command::Preview { .. })) {
        Some(Command::Preview { req, page, .. }) => (req, page),
        _ => panic!("no preview asked for"),
    }
}

#[test]
fn a_pdf_page_is_asked_for_where_the_pane_has_room_and_drawn_beside_its_scrolling_summary() {
    // 80×24: the pane is too small for a legible page; none is asked for.
    let mut small = loaded(80, 24).with_picker(ratatui_image::picker::Picker::halfblocks());
    let (_, page) = press_p(&mut small);
    assert_eq!(page, (0, 0));

    let mut app = loaded(120, 25).with_picker(ratatui_image::picker::Picker::halfblocks());
    let (req, page) = press_p(&mut app);
    assert_eq!(page, app.list_rows().page);
    assert!(page.0 >= 16 && page.1 >= 8, "{page:?}");
    let full = app.list_rows().preview_width;
    app.update(pdf_reply(req, "Supplier_Contract.pdf", Ok(page)));
    let shown = screen(&app);
    assert!(shown.contains('▀') || shown.contains('▄'), "the page drawn: {shown}");
    // The summary beside the page: narrower, starting right of it.
    let rows = app.list_rows();
    assert_eq!(rows.preview_width, full - page.0 as usize - 1);
    let kind = shown.lines().find(|l| l.contains("Kind ")).unwrap();
    let before = &kind[..kind.find("Kind ").unwrap_or(0)];
    assert!(
        before.contains('▀') || before.contains('▄'),
        "the page left of the summary: {kind}"
    );
    let first = app.preview.lines();
    assert!(
        first > rows.preview,
        "the summary ({first} lines) is longer than its {} rows",
        rows.preview
    );
    // J scrolls the summary; the page stays.
    let top_line = shown.lines().find(|l| l.contains("Kind ")).map(str::to_string).unwrap();
    app.update(ch('J'));
    let scrolled = screen(&app);
    assert!(!scrolled.lines().any(|l| l == top_line), "{scrolled}");
    assert!(scrolled.contains('▀') || scrolled.contains('▄'), "{scrolled}");
}

#[test]
fn a_pdf_shown_without_its_page_in_a_small_pane_asks_for_it_once_the_pane_grows() {
    let mut app = loaded(80, 24).with_picker(ratatui_image::picker::Picker::halfblocks());
    let (req, page) = press_p(&mut app);
    assert_eq!(page, (0, 0));
    // The worker drew no page for no cells, and says no error.
    let mut reply = pdf_reply(req, "Supplier_Contract.pdf", Err("none"));
    if let Msg::Event {
        event: Event::Previewed {
            result: Ok(previewed), ..
        },
        ..
    } = &mut reply
    {
        previewed.page_error = None;
    }
    app.update(reply);
    assert!(screen(&app).contains("Kind "), "the summary alone: {}", screen(&app));
    let asked = app.update(Msg::Resize { width: 120, height: 30 });
    let Some(Command::Preview { page, .. }) = asked.iter().find(|c| matches!(c, Command::Preview { .. })) else {
        panic!("the page asked for once the pane has room: {asked:?}");
    };
    assert_eq!(*page, app.list_rows().page);
    assert!(page.0 > 0 && page.1 > 0);
    // Asked once: the next message asks nothing more.
    assert!(
        !app.update(Msg::Resize { width: 120, height: 30 })
            .iter()
            .any(|c| matches!(c, Command::Preview { .. }))
    );
}

#[test]
fn a_page_that_could_not_be_drawn_says_so_above_the_summary() {
    let mut app = loaded(120, 30).with_picker(ratatui_image::picker::Picker::halfblocks());
    let Some((req, _, _)) = preview_of(&app.update(ch('p'))) else {
        panic!("no preview asked for");
    };
    app.update(pdf_reply(
        req,
        "Invoice_001.pdf",
        Err("page 1 could not be drawn: the PDF is malformed"),
    ));
    let shown = screen(&app);
    assert!(
        shown.contains("! page 1 could not be drawn: the PDF is malformed"),
        "{shown}"
    );
    assert!(
        shown.contains("Total due: 1,234.56 EUR"),
        "the summary still shown: {shown}"
    );
    assert!(!shown.contains('▀') && !shown.contains('▄'), "{shown}");
}

/// A body cut at its line cap ends with the marker in the app's language
/// (the marker is the report's, beside its lines, not one of them).
#[test]
fn a_cut_body_ends_with_its_marker_in_spanish() {
    let mut app = loaded(80, 24).with_lang(crate::i18n::Lang::Es);
    let Some((req, doc_id, _)) = preview_of(&app.update(ch('p'))) else {
        panic!("no preview asked for");
    };
    let options = crate::inspect::Options {
        limits: crate::inspect::Limits {
            max_lines: 3,
            ..crate::inspect::Limits::default()
        },
        ..crate::inspect::Options::default()
    };
    let text: String = (1..=10).map(|n| format!("línea {n}\n")).collect();
    let report = crate::inspect::inspect_bytes(text.as_bytes(), &options).unwrap();
    assert_eq!(
        report.body,
        crate::inspect::Body::Lines(vec!["línea 1".into(), "línea 2".into(), "línea 3".into()])
    );
    app.update(ev(Event::Previewed {
        req,
        doc_id,
        result: Ok(Previewed {
            path: PathBuf::from("/tmp/notas.txt"),
            report: Arc::new(report),
            picture: None,
            page_error: None,
        }),
    }));
    let shown = screen(&app);
    let lines: Vec<&str> = shown.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("línea 3"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(lines[at + 1].contains("… (más de 3 líneas)"), "{shown}");
    assert!(!shown.contains("more than"), "{shown}");
}
