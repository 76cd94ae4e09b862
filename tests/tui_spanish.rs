//! The TUI in Spanish (issue 17) with the real app, worker and sandbox, in
//! process at 80×24 and 120×36: the messages `update` builds (a wrong
//! password, an unknown id, downloads cancelled, the quit question, watching)
//! and the panes added last (matches, the watched list, the preview) say
//! nothing in English, and no Spanish word runs into a border uncut.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inprocess::{Screen, TuiRig, trickling};
use common::{EMAIL, PASSWORD};
use crossterm::event::KeyCode;
use trackline::i18n::Lang;
use trackline::sandbox::{INVOICES_PROCESS_ID, PREVIEWS_PROCESS_ID, SandboxOptions};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

/// English phrases of these screens that must not be left in Spanish.
const ENGLISH: &[&str] = &[
    "Log in",
    "Wrong email",
    "check them",
    "No process",
    "check the id",
    "Edit the search",
    "Press ",
    "Watching",
    "Watched",
    "Stopped watching",
    "Matches",
    "Searching",
    "asks the server",
    "Preview",
    "Cannot preview",
    "Reading",
    "download running",
    "downloads running",
    "again to quit",
    "to stay",
    "Cancelled",
    "Queued",
    "already saved",
    "cached",
    "refreshing",
    "changed",
    "checked",
    "Checks",
    "Payable",
    "Warnings",
    "invoice",
    "retrying",
    "verifying",
    "resuming at",
    " ago",
    "not signed in",
    "session",
    // Keys go by their names on a Spanish keyboard.
    "Enter",
    "Space",
    "Shift-",
    "PgUp",
    "PgDn",
];

/// Checks `screen` at `w`×`h`: none of [`ENGLISH`], and no row whose text
/// touches the right border of a pane without a `…`.
fn all_spanish(screen: &Screen, w: u16, h: u16) {
    let text = screen.text();
    let english: Vec<&str> = ENGLISH.iter().copied().filter(|p| text.contains(p)).collect();
    assert!(english.is_empty(), "{w}×{h}: English left {english:?}:\n{text}");
    let width = usize::from(w);
    let cut: Vec<&str> = text
        .lines()
        .filter(|line| {
            let chars: Vec<char> = line.chars().collect();
            chars.len() == width
                && chars[width - 1] == '│'
                && !matches!(chars[width - 2], ' ' | '…' | '│' | '─' | '┃' | '━')
        })
        .collect();
    assert!(cut.is_empty(), "{w}×{h}: text runs into a border {cut:#?}:\n{text}");
}

async fn spanish(options: SandboxOptions, w: u16, h: u16) -> TuiRig {
    TuiRig::start_speaking(Lang::Es, options, w, h).await
}

async fn log_in(rig: &mut TuiRig) {
    rig.wait_for_text("Iniciar sesión").await;
    rig.submit_login(EMAIL, PASSWORD);
    rig.wait_for("the signed-in email in the top bar, and no dialog", |s| {
        s.line(0).contains(EMAIL) && !s.contains("Iniciar sesión")
    })
    .await;
}

/// The sandbox sending every file 1 KiB at a time with a pause: the 1 GiB
/// file never finishes while a test runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_an_unknown_id_watching_and_matches_in_spanish() {
    for (w, h) in SIZES {
        let mut rig = spanish(SandboxOptions::default(), w, h).await;
        rig.wait_for_text("Iniciar sesión").await;
        rig.submit_login(EMAIL, "not-the-password");
        let screen = rig.wait_for_text("Correo o contraseña incorrectos").await;
        all_spanish(&screen, w, h);
        rig.type_text(PASSWORD);
        rig.press(KeyCode::Enter);
        let screen = rig.wait_for("the signed-in email", |s| s.line(0).contains(EMAIL)).await;
        assert!(
            screen.contains("id o nombre, luego Intro"),
            "the search box's placeholder whole: {}",
            screen.text()
        );

        rig.type_text("99999");
        rig.press(KeyCode::Enter);
        let screen = rig.wait_for_text("No existe el proceso 99999").await;
        assert!(screen.contains("Edite la búsqueda y pulse Intro"), "{}", screen.text());
        all_spanish(&screen, w, h);

        rig.ctrl('u');
        rig.type_text("12345");
        rig.press(KeyCode::Enter);
        rig.wait_for_text("Invoice_001.pdf").await;
        rig.press(KeyCode::Char('w'));
        let screen = rig
            .wait_for("the watch notice and the watched list", |s| {
                s.contains("Vigilando 12345") && s.contains("╭ Vigilados 1")
            })
            .await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('w'));
        let screen = rig.wait_for_text("Ya no se vigila 12345").await;
        all_spanish(&screen, w, h);

        // Typing in the search box lists what the local index knows.
        rig.press(KeyCode::Char('/'));
        rig.ctrl('u');
        rig.type_text("Odoo");
        let screen = rig
            .wait_for("the matches of the index", |s| {
                s.contains("╭ Coincidencias") && s.contains("Odoo Billing")
            })
            .await;
        all_spanish(&screen, w, h);
        rig.ctrl('u');
        rig.type_text("zzzqqq");
        let screen = rig.wait_for_text("Nada en el índice local").await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Esc);
        rig.press(KeyCode::Char('q'));
        assert_eq!(rig.exit_code().await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_the_quit_question_and_cancel_all_in_spanish() {
    for (w, h) in SIZES {
        let mut rig = spanish(trickling(), w, h).await;
        log_in(&mut rig).await;
        rig.start_the_large_download().await;
        // Sizes the Spanish way: a decimal comma.
        let screen = rig
            .wait_for("the download receiving bytes", |s| s.contains(" kB / 1,1 GB"))
            .await;
        all_spanish(&screen, w, h);
        if w >= 120 {
            // The time left has its Spanish word, in a column that holds it.
            let screen = rig.wait_for("the time left", |s| s.contains(" quedan ")).await;
            all_spanish(&screen, w, h);
        }
        rig.press(KeyCode::Char('q'));
        let screen = rig
            .wait_for("the quit question", |s| {
                s.contains("1 descarga en curso: q otra vez") && s.contains("Esc")
            })
            .await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Esc);
        rig.wait_for("the hint line back", |s| !s.contains("q otra vez")).await;
        rig.press(KeyCode::Tab);
        rig.press(KeyCode::Char('X'));
        let screen = rig
            .wait_for("the cancel notice and the row cancelled", |s| {
                s.contains("1 descarga cancelada") && s.contains("cancelada")
            })
            .await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('X'));
        let screen = rig.wait_for_text("Nada que cancelar").await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('q'));
        assert_eq!(rig.exit_code().await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_of_the_sample_invoice_is_spanish_with_spanish_amounts() {
    for (w, h) in SIZES {
        let mut rig = spanish(SandboxOptions::default(), w, h).await;
        log_in(&mut rig).await;
        rig.type_text(INVOICES_PROCESS_ID);
        rig.press(KeyCode::Enter);
        rig.wait_for_text("Peppol_INV-2024-101.xml").await;
        rig.press(KeyCode::Char('p'));
        let screen = rig
            .wait_for("the invoice's summary in Spanish", |s| {
                s.contains("Vista previa Peppol") && s.contains("UBL factura")
            })
            .await;
        all_spanish(&screen, w, h);
        // Down to the total, an amount written the Spanish way.
        for _ in 0..14 {
            rig.press(KeyCode::Char('J'));
        }
        let screen = rig.wait_for_text("942,47").await;
        assert!(screen.contains("Impuestos   137,87 €"), "{}", screen.text());
        all_spanish(&screen, w, h);
        // A scan says so in Spanish.
        rig.press(KeyCode::Char('/'));
        rig.type_text(PREVIEWS_PROCESS_ID);
        rig.press(KeyCode::Enter);
        let screen = rig
            .wait_for("the scan's summary", |s| {
                s.contains("Vista previa Scan_2024-03.pdf") && s.contains("sin capa de texto")
            })
            .await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('q'));
        assert_eq!(rig.exit_code().await, 0);
    }
}

/// A document saved by an earlier run reads "✓ guardado" whole in the
/// documents pane's state column, at 80×24 as at 120×36.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_saved_before_reads_guardado_uncut() {
    for (w, h) in SIZES {
        let mut rig = spanish(SandboxOptions::default(), w, h).await;
        log_in(&mut rig).await;
        rig.type_text("12345");
        rig.press(KeyCode::Enter);
        rig.wait_for_text("Invoice_001.pdf").await;
        rig.press(KeyCode::Char('d'));
        let screen = rig.wait_for_text("✓ hecha").await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('q'));
        let (sandbox, home) = rig.ended().await;

        let mut rig = TuiRig::start_over(sandbox, home, w, h, |s| s.lang = Lang::Es).await;
        rig.wait_for("signed in from the stored session", |s| s.line(0).contains(EMAIL))
            .await;
        rig.type_text("12345");
        rig.press(KeyCode::Enter);
        let screen = rig
            .wait_for("the document marked saved", |s| {
                s.contains("Invoice_001.pdf") && s.contains("✓ guardado")
            })
            .await;
        assert!(!screen.contains("✓ guard…"), "{}", screen.text());
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('q'));
        assert_eq!(rig.exit_code().await, 0);
    }
}

/// The words of `screen`'s rows inside their borders, joined by single spaces:
/// a text wrapped onto several rows reads as one.
fn words(screen: &Screen) -> String {
    let text = screen.text();
    text.lines()
        .flat_map(|row| row.split(['│', '╭', '╮', '╰', '╯', '─']))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// At 80×24 in Spanish the longer words still show whole: the empty panes'
/// hints, the documents' hints down to the preview's, the downloads' counts
/// (agreeing in number), the watch notice, and every action of the help,
/// which scrolls to its last one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_80x24_the_spanish_hints_counts_notices_and_help_show_whole() {
    let (w, h) = (80, 24);
    let mut rig = spanish(SandboxOptions::default(), w, h).await;
    log_in(&mut rig).await;
    let screen = rig.wait_for_text("Sin procesos recientes.").await;
    let shown = words(&screen);
    for whole in [
        "Escriba un id o nombre de proceso y pulse Intro.",
        "Cifras: un id; id: o name: lo fuerzan.",
        "Sin procesos recientes. Escriba un id o nombre de proceso y pulse Intro.",
    ] {
        assert!(shown.contains(whole), "{whole:?} whole:\n{}", screen.text());
    }
    all_spanish(&screen, w, h);

    rig.type_text(PREVIEWS_PROCESS_ID);
    rig.press(KeyCode::Enter);
    let screen = rig.wait_for_text("Scan_2024-03.pdf").await;
    let hints = screen.line(h - 1);
    assert!(hints.contains("o abrir") && hints.contains("p vista previa"), "{hints}");
    assert!(hints.starts_with(" Intro descargar  Espacio marcar"), "{hints}");

    rig.press(KeyCode::Char('D'));
    let screen = rig
        .wait_for("every download done, counted in the plural", |s| {
            s.contains("╭ Descargas 10 hechas ")
        })
        .await;
    all_spanish(&screen, w, h);

    rig.press(KeyCode::Char('w'));
    let screen = rig.wait_for_text("Vigilando 15001").await;
    assert!(words(&screen).contains("(w otra vez lo deja)"), "{}", screen.text());

    rig.press(KeyCode::Char('?'));
    let screen = rig.wait_for_text("Dónde").await;
    assert!(
        wraps_onto_the_next_row(&screen, "cerrar / cancelar la petición / salir", "del cuadro"),
        "{}",
        screen.text()
    );
    assert!(
        !inside_the_help(&screen).contains('…'),
        "nothing cut:\n{}",
        screen.text()
    );
    rig.press(KeyCode::End);
    let screen = rig.wait_for_text("suspender y volver al shell").await;
    for (first, rest) in [
        ("elegir una entrada del archivo", "comprimido mostrado"),
        ("vigilar / dejar de vigilar el proceso", "mostrado"),
    ] {
        assert!(
            wraps_onto_the_next_row(&screen, first, rest),
            "{first:?} whole:\n{}",
            screen.text()
        );
    }
    assert!(
        !inside_the_help(&screen).contains('…'),
        "nothing cut:\n{}",
        screen.text()
    );
    rig.press(KeyCode::Esc);
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
}

/// The help overlay's rows at 80 columns (it is 76 wide, centred), without what is behind it.
fn inside_the_help(screen: &Screen) -> String {
    screen
        .text()
        .lines()
        .map(|row| row.chars().skip(2).take(76).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a row of `screen` holds `first` and the row below it `rest` at the same column.
fn wraps_onto_the_next_row(screen: &Screen, first: &str, rest: &str) -> bool {
    let text = screen.text();
    let rows: Vec<&str> = text.lines().collect();
    rows.windows(2).any(|pair| {
        let (Some(at), Some(next)) = (pair[0].find(first), pair[1].find(rest)) else {
            return false;
        };
        pair[0][..at].chars().count() == pair[1][..next].chars().count()
    })
}

/// The files under `dir`, all the way down.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// A ZIP whose first entry is a bomb (2 MiB of zeros deflated a thousandfold)
/// and whose second is a short text.
fn zip_with_a_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("zeros.bin", deflated).unwrap();
        zip.write_all(&vec![0u8; 2 << 20]).unwrap();
        zip.start_file("open.txt", deflated).unwrap();
        zip.write_all(b"hello\n").unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}

/// An entry the worker refuses to unpack (a bomb) says why in Spanish in
/// the preview pane. The sandbox has no such archive: the preview cache's
/// copy of E-Invoices_2024.zip is replaced by one, and the preview, read
/// again from that recent copy, lists it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_entry_of_a_zip_says_why_in_spanish() {
    for (w, h) in SIZES {
        let mut rig = spanish(SandboxOptions::default(), w, h).await;
        log_in(&mut rig).await;
        rig.preview_the_sample_zip().await;
        // Documents passed over on the way down may be in the cache too: the ZIP's copy holds its bytes.
        let zip = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files/E-Invoices_2024.zip"),
        )
        .unwrap();
        let copies: Vec<_> = files_under(rig.home.path())
            .into_iter()
            .filter(|p| p.components().any(|c| c.as_os_str() == "previews") && p.ends_with("document"))
            .filter(|p| std::fs::read(p).is_ok_and(|bytes| bytes == zip))
            .collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        std::fs::write(&copies[0], zip_with_a_bomb()).unwrap();
        rig.press(KeyCode::Up);
        rig.wait_for("another document previewed", |s| !s.contains("mexico.zip"))
            .await;
        rig.press(KeyCode::Down);
        let screen = rig
            .wait_for("the bomb listed, with its warning in Spanish", |s| {
                s.contains("open.txt") && s.contains("zeros.bin ocupa")
            })
            .await;
        all_spanish(&screen, w, h);
        rig.press(KeyCode::Char('e'));
        rig.press(KeyCode::Enter);
        let screen = rig
            .wait_for("the entry refused in Spanish", |s| {
                s.contains("la entrada ocupa") && s.contains("veces su tamaño")
            })
            .await;
        all_spanish(&screen, w, h);
        let text = screen.text();
        assert!(!text.contains("unpacks") && !text.contains("archive bomb"), "{text}");
        rig.press(KeyCode::Char('q'));
        assert_eq!(rig.exit_code().await, 0);
    }
}
