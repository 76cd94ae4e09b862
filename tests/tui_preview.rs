//! The preview pane (`p`) with the real app, worker and sandbox: in-process
//! (a `TestBackend`) and the built binary in a pseudo-terminal at 80×24 and
//! 120×36. What each kind of document shows, that it follows the selection,
//! and that nothing lands in the download dir.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inprocess::TuiRig;
use common::pty::PtyApp;
use crossterm::event::KeyCode;
use trackline::sandbox::{INVOICES_PROCESS_ID, PREVIEWS_PROCESS_ID};

/// Every file under `dir`, however deep.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() { files_under(&path) } else { vec![path] }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p_previews_invoices_pdfs_and_zips_and_follows_the_selection() {
    let mut rig = TuiRig::start(120, 50).await;
    rig.log_in().await;
    rig.type_text(INVOICES_PROCESS_ID);
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Peppol_INV-2024-101.xml").await;
    rig.press(KeyCode::Char('p'));
    let screen = rig
        .wait_for("the invoice's summary with its total and checks", |s| {
            s.contains("UBL invoice") && s.contains("Total       942.47") && s.contains("ok  payable")
        })
        .await;
    assert!(screen.contains("Preview Peppol_INV-2024-101.xml"), "{}", screen.text());

    // Moving the selection changes the preview.
    rig.press(KeyCode::Down);
    rig.wait_for("the credit note's summary", |s| {
        s.contains("Preview XRechnung_CreditNote_CN-2024-007.xml")
            && s.contains("credit note")
            && !s.contains("UBL invoice")
    })
    .await;

    // A PDF's first page.
    rig.press(KeyCode::Char('/'));
    rig.type_text("12345");
    rig.press(KeyCode::Enter);
    rig.wait_for("the PDF's text", |s| {
        s.contains("Preview Invoice_001.pdf") && s.contains("Total due: 1,234.56 EUR")
    })
    .await;

    // A scan, then a ZIP's entries.
    rig.press(KeyCode::Char('/'));
    rig.type_text(PREVIEWS_PROCESS_ID);
    rig.press(KeyCode::Enter);
    rig.wait_for("the scan's summary", |s| {
        s.contains("Preview Scan_2024-03.pdf") && s.contains("no text layer: a scan")
    })
    .await;
    for _ in 0..5 {
        rig.press(KeyCode::Down);
    }
    rig.wait_for("the ZIP's entries", |s| {
        s.contains("Preview E-Invoices_2024.zip")
            && s.contains("invoices/Peppol_INV-2024-101")
            && s.contains("mexico.zip")
    })
    .await;

    // `p` again hides it.
    rig.press(KeyCode::Char('p'));
    rig.wait_for("no preview", |s| !s.contains("Preview")).await;
    let downloads = rig.downloads();
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
    assert!(files_under(&downloads).is_empty(), "{:?}", files_under(&downloads));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_attachment_says_so_in_the_pane() {
    let mut rig = TuiRig::start(100, 30).await;
    rig.log_in().await;
    rig.type_text("12347");
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Documents 2").await;
    rig.press(KeyCode::Char('p'));
    rig.press(KeyCode::Down);
    rig.wait_for("the error in the pane", |s| s.contains("Cannot preview"))
        .await;
    rig.press(KeyCode::Up);
    rig.wait_for("the contract after the error", |s| {
        !s.contains("Cannot preview") && s.contains("Pages")
    })
    .await;
    rig.ctrl('c');
    rig.exit_code().await;
}

/// The cells of `screen` that hold a kitty picture's placeholder.
fn kitty_cells(screen: &common::inprocess::Screen) -> usize {
    let area = screen.0.area;
    (area.top()..area.bottom())
        .flat_map(|y| (area.left()..area.right()).map(move |x| (x, y)))
        .filter(|&(x, y)| screen.cell(x, y).symbol().contains('\u{10EEEE}'))
        .count()
}

/// A picker as a terminal that answered "kitty" with 10×20 cells gives.
fn kitty() -> ratatui_image::picker::Picker {
    #[allow(deprecated)]
    let mut picker = ratatui_image::picker::Picker::from_fontsize((10, 20).into());
    picker.set_protocol_type(ratatui_image::picker::ProtocolType::Kitty);
    picker
}

/// The word after "Preview " in the pane's title.
fn previewed_name(screen: &common::inprocess::Screen) -> String {
    let text = screen.text();
    text.split("Preview ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .unwrap_or_default()
        .to_string()
}

/// `p` on the plain invoice PDF, then on the Factur-X PDF: what the pane
/// shows for each, once `ready` holds for it.
async fn pdf_previews(
    mut rig: TuiRig,
    ready: impl Fn(&common::inprocess::Screen) -> bool,
) -> (common::inprocess::Screen, common::inprocess::Screen) {
    rig.log_in().await;
    rig.type_text("12345");
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Invoice_001.pdf").await;
    rig.press(KeyCode::Char('p'));
    let plain = rig
        .wait_for("the PDF's summary", |s| {
            s.contains("Pages") && s.contains("Total due: 1,234.56") && ready(s)
        })
        .await;
    rig.press(KeyCode::Char('/'));
    rig.type_text(INVOICES_PROCESS_ID);
    rig.press(KeyCode::Enter);
    rig.wait_for_text("Preview Peppol_INV-2024-101.xml").await;
    let mut name = String::new();
    for _ in 0..20 {
        let screen = rig
            .wait_for("the next document's preview", |s| {
                let now = previewed_name(s);
                !now.is_empty() && now != name
            })
            .await;
        name = previewed_name(&screen);
        if name == "Factur-X_2024-0099.pdf" {
            break;
        }
        rig.press(KeyCode::Down);
    }
    let facturx = rig
        .wait_for("the Factur-X invoice's summary", |s| {
            s.contains("Preview Factur-X_2024-0099.pdf") && s.contains("Total ") && ready(s)
        })
        .await;
    rig.ctrl('c');
    rig.exit_code().await;
    (plain, facturx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_shows_its_first_page_where_the_terminal_draws_pictures_and_text_alone_in_halfblocks() {
    let rig = TuiRig::start_drawing(kitty(), 120, 36).await;
    let (plain, facturx) = pdf_previews(rig, |s| kitty_cells(s) > 50).await;
    for drawn in [&plain, &facturx] {
        // The summary sits beside the page, not under it.
        let (page_x, _) = drawn.find("\u{10EEEE}").unwrap();
        let (kind_x, _) = drawn.find("Kind ").unwrap();
        assert!(kind_x > page_x + 16, "{}", drawn.text());
    }
    assert!(facturx.contains("Factur-X"), "{}", facturx.text());

    let rig = TuiRig::start_drawing(ratatui_image::picker::Picker::halfblocks(), 120, 36).await;
    let (plain, facturx) = pdf_previews(rig, |_| true).await;
    for text in [&plain, &facturx] {
        assert_eq!(kitty_cells(text), 0);
        assert!(
            !text.contains("▀") && !text.contains("▄"),
            "no picture in halfblocks: {}",
            text.text()
        );
        assert!(
            text.contains("│ Kind        "),
            "the summary at the pane's left: {}",
            text.text()
        );
    }
}

/// The binary at `cols`×`rows`: look up the invoices, `p`, scroll to the total.
fn preview_in_a_pty(cols: u16, rows: u16) {
    let home = tempfile::TempDir::new().unwrap();
    let mut app = PtyApp::spawn(&["demo"], home.path(), &[], cols, rows);
    app.wait_for_text("Log in to Trackline");
    app.send("\r");
    app.wait_for("signed in", |s| {
        s.lines().next().is_some_and(|top| top.contains("demo@trackline.local"))
    });
    app.send(&format!("{INVOICES_PROCESS_ID}\r"));
    app.wait_for_text("Peppol_INV-2024-101");
    app.send("p");
    let screen = app.wait_for("the preview", |s| s.contains("UBL invoice"));
    assert!(screen.contains("Peppol_INV-2024-101"), "{screen}");
    assert!(screen.contains(" p preview"), "the hint line offers p: {screen}");
    app.send(&"J".repeat(14));
    app.wait_for("the total after scrolling", |s| s.contains("Total       942.47"));
    app.send("j");
    app.wait_for("the next document", |s| s.contains("credit note"));
    // A photo, drawn upright in half blocks (the pty answers no graphics query).
    app.send(&format!("/{PREVIEWS_PROCESS_ID}\r"));
    app.wait_for_text("Receipt_Rotated.jpg");
    app.send("j");
    app.wait_for("the photo drawn", |s| {
        s.contains("320 × 200 pixels") && (s.contains('▀') || s.contains('▄'))
    });
    app.send("q");
    app.wait_closed();
    assert_eq!(app.wait_exit(), 0);
    assert!(files_under(&home.path().join("downloads")).is_empty());
}

#[test]
fn the_preview_at_80x24() {
    preview_in_a_pty(80, 24);
}

#[test]
fn the_preview_at_120x36() {
    preview_in_a_pty(120, 36);
}
