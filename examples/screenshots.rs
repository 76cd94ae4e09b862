//! Renders the real screens through ratatui's `TestBackend` and writes them as
//! SVG files to `screenshots/` (login, process, downloads, help, matches from
//! the index, the preview of an e-invoice, watched processes), in English and,
//! as `NAME.es.svg`, in Spanish.
//!
//! Run: `cargo run --example screenshots` (add a directory to write elsewhere).

#[path = "../tests/tui_fixtures/mod.rs"]
mod tui_fixtures;

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use trackline::api::{Document, Id, Process};
use trackline::i18n::Lang;
use trackline::index::{Hit, HitKind};
use trackline::tui::App;
use trackline::worker::{Command, Event, Previewed, WatchNews, WatchedEntry};
use tui_fixtures::*;

const COLS: u16 = 100;
const ROWS: u16 = 30;
const CELL_W: f64 = 8.7;
const CELL_H: f64 = 17.0;
const PAD: f64 = 14.0;
const TITLE_H: f64 = 28.0;
const FG: &str = "#c9d1d9";
const BG: &str = "#0d1117";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("screenshots"));
    std::fs::create_dir_all(&dir)?;
    for (lang, suffix) in [(Lang::En, ""), (Lang::Es, ".es")] {
        for (name, app) in screens(lang) {
            let terminal = terminal(&app, COLS, ROWS);
            let svg = to_svg(terminal.backend().buffer(), &format!("trackline — {name}"));
            let path = dir.join(format!("{name}{suffix}.svg"));
            std::fs::write(&path, svg)?;
            println!("{}", path.display());
        }
    }
    Ok(())
}

fn screens(lang: Lang) -> Vec<(&'static str, App)> {
    let mut login_init = init(false, recent());
    login_init.password_prefill = Some("demo".to_string().into());
    let login = App::new(login_init).with_lang(lang);
    let signed_in = || App::new(init(true, recent())).with_lang(lang);

    let mut process = load(signed_in(), guide_process());
    process.update(ch('j'));
    process.update(ch(' '));
    process.update(ch(' '));
    process.update(ch('k'));

    let mut downloads = downloads_on(signed_in());
    downloads.update(key(KeyCode::Tab));
    downloads.update(ch('j'));
    downloads.update(ch('j'));

    let mut help = load(signed_in(), guide_process());
    help.update(ch('?'));
    vec![
        ("login", login),
        ("process", process),
        ("downloads", downloads),
        ("help", help),
        ("search", matches(signed_in())),
        ("preview", preview(signed_in())),
        ("watched", watched(signed_in())),
    ]
}

/// `app` with "odo bil" typed and the index's matches under the box.
fn matches(mut app: App) -> App {
    type_text(&mut app, "odo bil");
    let hit = |process_id: &str, name: &str, doc: Option<(&str, &str)>, status: &str, hours: i64| Hit {
        kind: if doc.is_some() {
            HitKind::Document
        } else {
            HitKind::Process
        },
        process_id: process_id.into(),
        process_name: Some(name.into()),
        doc_id: doc.map(|(id, _)| id.into()),
        doc_name: doc.map(|(_, name)| name.into()),
        status: Some(status.into()),
        score: 100,
        last_seen: NOW - time::Duration::hours(hours),
    };
    let hits = vec![
        hit("12345", "Odoo Billing Process", None, "In Progress", 3),
        hit(
            "12345",
            "Odoo Billing Process",
            Some(("98765", "Invoice_001.pdf")),
            "In Progress",
            3,
        ),
        hit(
            "12345",
            "Odoo Billing Process",
            Some(("98766", "Invoice_001.xml")),
            "In Progress",
            3,
        ),
        hit("12350", "Odoo Billing Run March", None, "Completed", 30),
        hit(
            "12351",
            "Odoo Billing Q1 Archive",
            Some(("98790", "Q1_Receipts.zip")),
            "Completed",
            75,
        ),
    ];
    app.update(ev(Event::IndexMatches {
        query: "odo bil".into(),
        hits: Ok(hits),
    }));
    app
}

/// `app` with a process of e-invoices shown and the Peppol invoice's summary in the preview.
fn preview(app: App) -> App {
    let names = [
        "Peppol_INV-2024-101.xml",
        "XRechnung_CII_2024-0815.xml",
        "E-Invoices_2024.zip",
    ];
    let process = Process {
        process_id: Id::new("15000"),
        name: Some("E-invoice samples".into()),
        status: Some("Completed".into()),
        created_at: None,
        documents: names
            .iter()
            .enumerate()
            .map(|(i, name)| Document {
                doc_id: Id::new(format!("{}", 15101 + i)),
                doc_name: Some((*name).into()),
                doc_type: Some("E-invoice".into()),
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    };
    let mut app = load(app, process);
    let commands = app.update(ch('p'));
    let Some((req, doc_id)) = commands.iter().find_map(|c| match c {
        Command::Preview { req, doc_id, .. } => Some((*req, doc_id.clone())),
        _ => None,
    }) else {
        return app;
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sandbox/files")
        .join(names[0]);
    let result = trackline::inspect::inspect_file(&path, &trackline::inspect::Options::default())
        .map(|report| Previewed {
            path,
            report: Arc::new(report),
            picture: None,
            page_error: None,
        })
        .map_err(|e| e.to_string());
    app.update(ev(Event::Previewed { req, doc_id, result }));
    app
}

/// `app` watching three processes, one of which has just changed.
fn watched(mut app: App) -> App {
    let entries = ["12345", "12350", "12352"].map(WatchedEntry::new).to_vec();
    app.update(ev(Event::Watch(WatchNews::Loaded(entries))));
    let checks = [
        ("12345", "Odoo Billing Process", "Completed", true, 0),
        ("12350", "Odoo Billing Run March", "In Progress", false, 26),
        ("12352", "Payroll February", "Waiting for approval", false, 50),
    ];
    for (process_id, name, status, changed, hours) in checks {
        app.update(ev(Event::Watch(WatchNews::Checked {
            process_id: process_id.into(),
            name: Some(name.into()),
            status: Some(status.into()),
            changed,
            changed_at: Some(NOW - time::Duration::hours(hours) - time::Duration::minutes(5)),
            at: NOW - time::Duration::minutes(1),
        })));
    }
    app
}

/// A terminal buffer as an SVG picture: a rect per background run, a text per cell.
fn to_svg(buffer: &Buffer, title: &str) -> String {
    let area = buffer.area;
    let width = PAD * 2.0 + f64::from(area.width) * CELL_W;
    let height = TITLE_H + PAD * 2.0 + f64::from(area.height) * CELL_H;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">
<rect width="100%" height="100%" rx="8" fill="{BG}"/>
<circle cx="18" cy="14" r="5" fill="#ff5f56"/><circle cx="36" cy="14" r="5" fill="#ffbd2e"/><circle cx="54" cy="14" r="5" fill="#27c93f"/>
<text x="{}" y="18" fill="#8b949e" font-family="sans-serif" font-size="12" text-anchor="middle">{}</text>
<g font-family="'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace" font-size="14.5">
"##,
        width / 2.0,
        escape(title)
    );
    for y in 0..area.height {
        let top = TITLE_H + PAD + f64::from(y) * CELL_H;
        // Background runs.
        let mut x = 0;
        while x < area.width {
            let (_, bg) = colors(&buffer[(x, y)]);
            let start = x;
            while x < area.width && colors(&buffer[(x, y)]).1 == bg {
                x += 1;
            }
            if bg != BG {
                let _ = writeln!(
                    out,
                    r#"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{CELL_H}" fill="{bg}"/>"#,
                    PAD + f64::from(start) * CELL_W,
                    f64::from(x - start) * CELL_W
                );
            }
        }
        // Glyphs.
        let mut skip = 0;
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = cell.symbol();
            skip = unicode_cells(symbol).saturating_sub(1);
            if symbol.trim().is_empty() {
                continue;
            }
            let (fg, _) = colors(cell);
            let mut attrs = String::new();
            if cell.modifier.contains(Modifier::BOLD) {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if cell.modifier.contains(Modifier::UNDERLINED) {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            if cell.modifier.contains(Modifier::DIM) {
                attrs.push_str(r#" opacity="0.6""#);
            }
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" fill="{fg}"{attrs}>{}</text>"#,
                PAD + f64::from(x) * CELL_W,
                top + CELL_H * 0.75,
                escape(symbol)
            );
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

fn unicode_cells(symbol: &str) -> usize {
    ratatui::text::Span::raw(symbol).width().max(1)
}

/// The foreground and background of a cell as CSS colours, after reverse video.
fn colors(cell: &ratatui::buffer::Cell) -> (String, String) {
    let fg = css(cell.fg).unwrap_or_else(|| FG.to_string());
    let bg = css(cell.bg).unwrap_or_else(|| BG.to_string());
    if cell.modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

fn css(color: Color) -> Option<String> {
    let named = |s: &str| Some(s.to_string());
    match color {
        Color::Reset => None,
        Color::Black => named("#0d1117"),
        Color::Red => named("#e5534b"),
        Color::Green => named("#57ab5a"),
        Color::Yellow => named("#c69026"),
        Color::Blue => named("#539bf5"),
        Color::Magenta => named("#b083f0"),
        Color::Cyan => named("#39c5cf"),
        Color::Gray => named("#c9d1d9"),
        Color::DarkGray => named("#6e7681"),
        Color::LightRed => named("#ff7b72"),
        Color::LightGreen => named("#7ee787"),
        Color::LightYellow => named("#e3b341"),
        Color::LightBlue => named("#79c0ff"),
        Color::LightMagenta => named("#d2a8ff"),
        Color::LightCyan => named("#56d4dd"),
        Color::White => named("#f0f6fc"),
        Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => Some(xterm(i)),
    }
}

/// The xterm 256-colour palette.
fn xterm(i: u8) -> String {
    const BASE: [&str; 16] = [
        "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5", "#666666", "#f14c4c",
        "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
    ];
    match i {
        0..=15 => BASE[usize::from(i)].to_string(),
        16..=231 => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            format!("#{:02x}{:02x}{:02x}", level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            format!("#{v:02x}{v:02x}{v:02x}")
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
