//! `App::update` and the screen for choosing an entry of the archive the
//! preview shows: `e`, the cursor, Enter, Esc back up, the depth limit, the
//! lines for a folder and an encrypted entry, a reply for an entry left.

use super::preview_tests::{loaded, screen};
use super::test_msgs::{ch, ev, key};
use super::*;
use crate::inspect::{Options, Report};
use crate::tui::bindings::Pane;
use crate::worker::Previewed;
use crossterm::event::KeyCode;
use std::io::Write;
use std::sync::Arc;

const ZIP_DOC: &str = "15103";

/// A ZIP holding `files` (a name ending in `/` is a folder).
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        if name.ends_with('/') {
            out.add_directory(*name, options).unwrap();
        } else {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// The reply to `req`: `report` read from `path`.
fn answer(req: ReqId, path: &Path, report: Report) -> Msg {
    ev(Event::Previewed {
        req,
        doc_id: ZIP_DOC.into(),
        result: Ok(Previewed {
            path: path.to_path_buf(),
            report: Arc::new(report),
            picture: None,
            page_error: None,
        }),
    })
}

/// The sample archive's path and summary.
fn sample() -> (PathBuf, Report) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files/E-Invoices_2024.zip");
    let report = crate::inspect::inspect_file(&path, &Options::default()).unwrap();
    (path, report)
}

/// The preview opened on the third document (the ZIP), answered with `report`.
fn showing(w: u16, h: u16, path: &Path, report: Report) -> App {
    let mut app = loaded(w, h);
    app.update(ch('j'));
    app.update(ch('j'));
    let commands = app.update(ch('p'));
    let Some(req) = commands.iter().find_map(|c| match c {
        Command::Preview { req, .. } => Some(*req),
        _ => None,
    }) else {
        panic!("no preview in {commands:?}");
    };
    app.update(answer(req, path, report));
    app
}

/// Line `i` of the summary shown.
fn line_of(app: &App, i: usize) -> String {
    match &app.preview.state {
        PreviewState::Ready(ready) => ready.lines[i].clone(),
        other => panic!("nothing shown: {other:?}"),
    }
}

/// The entry asked for in `commands`: (request, archive, entries on the way).
fn entry_of(commands: &[Command]) -> Option<(ReqId, PathBuf, Vec<usize>)> {
    commands.iter().find_map(|c| match c {
        Command::PreviewEntry {
            req, archive, entry, ..
        } => Some((*req, archive.clone(), entry.clone())),
        _ => None,
    })
}

#[test]
fn e_puts_a_cursor_on_the_entries_enter_previews_one_and_esc_goes_back() {
    for (w, h) in [(80, 24), (120, 36)] {
        let (path, report) = sample();
        let mut app = showing(w, h, &path, report);
        let shown = screen(&app);
        assert!(shown.contains("e choose an entry"), "{shown}");
        assert!(app.update(ch('e')).is_empty());
        assert_eq!(app.pane(), Pane::Entries);
        let shown = screen(&app);
        assert!(shown.contains("Enter preview the entry"), "the hint line: {shown}");
        assert!(shown.contains("Esc back"), "{shown}");
        let chosen = app.preview.entry_line().unwrap();
        assert!(line_of(&app, chosen).contains("invoices/Peppol_INV-2024-101"));

        // ↓ moves the cursor over the entries, not the documents.
        app.update(key(KeyCode::Down));
        assert_eq!(app.documents.selected_doc(), Some(2));
        let chosen = app.preview.entry_line().unwrap();
        assert!(line_of(&app, chosen).contains("invoices/FatturaPA"));
        let commands = app.update(key(KeyCode::Enter));
        let (req, archive, entry) = entry_of(&commands).unwrap();
        assert_eq!((archive.as_path(), entry.as_slice()), (path.as_path(), &[1][..]));
        assert!(!commands.iter().any(|c| matches!(c, Command::Download { .. })));
        assert!(matches!(app.preview.state, PreviewState::Loading));
        assert_eq!(
            app.preview.path_title(),
            "E-Invoices_2024.zip ▸ invoices/FatturaPA_IT01234567890_00042.xml"
        );
        // The title keeps the end of the way when it is too long for the pane.
        assert!(screen(&app).contains("_00042.xml ─"), "{}", screen(&app));

        let bytes = std::fs::read(&path).unwrap();
        let inner = crate::inspect::archive::inspect_entry(&bytes, 1, &Options::default(), 0).unwrap();
        app.update(answer(req, &path, inner));
        let shown = screen(&app);
        assert!(shown.contains("FatturaPA"), "{shown}");
        assert!(shown.contains("_00042.xml ─"), "{shown}");

        // Esc: back to the archive, the cursor where it was; Esc again leaves the entries.
        assert!(entry_of(&app.update(key(KeyCode::Esc))).is_none());
        assert!(app.preview.shows_entries());
        assert!(app.preview.entries.trail.is_empty());
        let chosen = app.preview.entry_line().unwrap();
        assert!(line_of(&app, chosen).contains("invoices/FatturaPA"));
        assert!(screen(&app).contains("Preview E-Invoices_2024.zip"));
        assert!(!screen(&app).contains(" ▸ "));
        app.update(key(KeyCode::Esc));
        assert_eq!(app.pane(), Pane::Documents);
        // Now ↓ moves the documents again (and the preview follows).
        app.update(key(KeyCode::Up));
        assert_eq!(app.documents.selected_doc(), Some(1));
    }
}

#[test]
fn a_reply_for_an_entry_left_is_dropped() {
    let (path, report) = sample();
    let mut app = showing(80, 24, &path, report);
    app.update(ch('e'));
    let (first, ..) = entry_of(&app.update(key(KeyCode::Enter))).unwrap();
    let commands = app.update(key(KeyCode::Esc));
    assert!(
        matches!(commands.as_slice(), [Command::CancelPreview(r)] if *r == first),
        "{commands:?}"
    );
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    let (second, _, entry) = entry_of(&app.update(key(KeyCode::Enter))).unwrap();
    assert_eq!(entry, vec![2]);
    let bytes = std::fs::read(&path).unwrap();
    let peppol = crate::inspect::archive::inspect_entry(&bytes, 0, &Options::default(), 0).unwrap();
    app.update(answer(first, &path, peppol));
    assert!(
        matches!(app.preview.state, PreviewState::Loading),
        "the old reply is dropped"
    );
    assert!(!screen(&app).contains("UBL invoice"));
    let nested = crate::inspect::archive::inspect_entry(&bytes, 2, &Options::default(), 0).unwrap();
    app.update(answer(second, &path, nested));
    let shown = screen(&app);
    assert!(shown.contains("_2024.zip ▸ mexico.zip"), "{shown}");
    assert!(shown.contains("CFDI40_F-1234.xml"), "{shown}");
}

#[test]
fn nested_archives_open_three_deep_and_the_fourth_gets_a_line() {
    let deepest = zip_of(&[("deep.txt", b"hello")]);
    let third = zip_of(&[("c.zip", &deepest)]);
    let second = zip_of(&[("b.zip", &third)]);
    let first = zip_of(&[("a.zip", &second)]);
    let outer = zip_of(&[("z.zip", &first)]);
    let path = PathBuf::from("/cache/outer.zip");
    let mut app = showing(
        80,
        24,
        &path,
        crate::inspect::inspect_bytes(&outer, &Options::default()).unwrap(),
    );
    app.update(ch('e'));
    let levels = [first, second, third];
    for (depth, archive) in levels.iter().enumerate() {
        let (req, at, entry) = entry_of(&app.update(key(KeyCode::Enter))).unwrap();
        assert_eq!(at, path, "every entry is read from the archive's own copy");
        assert_eq!(entry, vec![0; depth + 1]);
        app.update(answer(
            req,
            &path,
            crate::inspect::inspect_bytes(archive, &Options::default()).unwrap(),
        ));
        assert!(app.preview.shows_entries(), "level {depth}");
    }
    assert!(
        app.preview
            .path_title()
            .ends_with("E-Invoices_2024.zip ▸ z.zip ▸ a.zip ▸ b.zip")
    );
    assert!(screen(&app).contains("a.zip ▸ b.zip"), "{}", screen(&app));
    let commands = app.update(key(KeyCode::Enter));
    assert!(
        entry_of(&commands).is_none(),
        "the fourth is not asked for: {commands:?}"
    );
    let shown = screen(&app);
    assert!(shown.contains("nested more than 3"), "{shown}");
    // Back up, one level a key.
    for _ in 0..4 {
        app.update(key(KeyCode::Esc));
    }
    assert!(app.preview.entries.trail.is_empty());
    assert!(screen(&app).contains("z.zip"));
}

#[test]
fn a_folder_and_an_encrypted_entry_get_a_line_without_a_reading() {
    let archive = zip_of(&[("2024/", b""), ("secret.xml", b"<a/>")]);
    let mut report = crate::inspect::inspect_bytes(&archive, &Options::default()).unwrap();
    if let Some(summary) = report.archive.as_mut() {
        summary.entries[1].encrypted = true;
    }
    let mut app = showing(80, 24, Path::new("/cache/x.zip"), report);
    app.update(ch('e'));
    assert!(entry_of(&app.update(key(KeyCode::Enter))).is_none());
    assert!(screen(&app).contains("2024/ is a folder"), "{}", screen(&app));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Down));
    assert!(entry_of(&app.update(key(KeyCode::Enter))).is_none());
    assert!(screen(&app).contains("secret.xml is encrypted"), "{}", screen(&app));
}

#[test]
fn e_does_nothing_on_a_document_that_is_no_archive_and_moving_the_selection_resets_the_way() {
    let (path, report) = sample();
    let mut app = showing(120, 36, &path, report);
    app.update(ch('e'));
    let (req, ..) = entry_of(&app.update(key(KeyCode::Enter))).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let inner = crate::inspect::archive::inspect_entry(&bytes, 0, &Options::default(), 0).unwrap();
    app.update(answer(req, &path, inner));
    // `e` leaves the entries, keeping what is shown; moving the selection starts afresh.
    app.update(ch('e'));
    assert_eq!(app.pane(), Pane::Documents);
    assert!(screen(&app).contains("▸ invoices/Peppol"));
    app.update(key(KeyCode::Up));
    assert!(app.preview.entries.trail.is_empty());
    assert!(!screen(&app).contains(" ▸ "));
    app.update(ch('e'));
    assert_eq!(app.pane(), Pane::Documents, "orders.csv has no entries");
}
