//! Criterion benches of the hot pure code: parsing metadata, updating and
//! drawing the documents pane, and making server text and names safe.
//!
//! Run: `cargo bench --bench hot_paths` (or `scripts/bench`, which also runs
//! the whole-command comparisons).
#![allow(clippy::expect_used)] // a bench that cannot set up has nothing to measure

#[path = "../tests/tui_fixtures/mod.rs"]
mod tui_fixtures;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use trackline::api::model::parse_processes;
use trackline::text::{safe_line, safe_text};
use trackline::transfer::naming::safe_file_name;
use trackline::tui::{App, Focus};
use tui_fixtures::{NOW, big_process, key, with_process};

const SIZES: [usize; 2] = [100, 100_000];

/// A metadata body shaped like the server's, with `n` documents.
fn metadata_body(n: usize) -> Vec<u8> {
    let mut body = String::from(
        r#"{"process_id":"10000","name":"Receipts Archive 2023","status":"Completed","created_at":"2024-01-02T08:00:00Z","documents":["#,
    );
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"doc_id":"{}","doc_name":"Receipt_{:05}.txt","doc_type":"Receipt"}}"#,
            1_000_000 + i,
            i + 1
        ));
    }
    body.push_str("]}");
    body.into_bytes()
}

fn parsing(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_processes");
    for n in SIZES {
        let body = metadata_body(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &body, |b, body| {
            b.iter(|| parse_processes(black_box(body)))
        });
    }
    group.finish();
}

/// An app showing a process with `n` documents, the documents pane focused.
fn documents_app(n: usize) -> App {
    let mut app = with_process(big_process(n));
    for _ in 0..8 {
        if app.focus() == Focus::Documents {
            break;
        }
        app.update(key(KeyCode::Tab));
    }
    assert_eq!(app.focus(), Focus::Documents, "could not focus the documents pane");
    app
}

fn documents_pane(c: &mut Criterion) {
    let mut group = c.benchmark_group("documents_update_and_draw");
    for n in SIZES {
        let mut app = documents_app(n);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
        let mut down = true;
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                down = !down;
                let code = if down { KeyCode::Down } else { KeyCode::Up };
                black_box(app.update(key(code)));
                terminal
                    .draw(|frame| trackline::tui::view::draw(frame, &app, NOW))
                    .expect("draw");
            })
        });
    }
    group.finish();
}

/// A key in the documents with the preview open: the update that asks for
/// the next document, the worker's reply laid out for the pane, the draw.
fn preview_pane(c: &mut Criterion) {
    use std::sync::Arc;
    use trackline::tui::Msg;
    use trackline::worker::{Command, Event, Previewed};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files/Peppol_INV-2024-101.xml");
    let report = Arc::new(
        trackline::inspect::inspect_file(&path, &trackline::inspect::Options::default()).expect("the sample invoice"),
    );
    let mut app = documents_app(100);
    app.update(key(KeyCode::Char('p')));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    let mut down = true;
    c.bench_function("preview_key_reply_and_draw", |b| {
        b.iter(|| {
            down = !down;
            let code = if down { KeyCode::Down } else { KeyCode::Up };
            for command in app.update(key(code)) {
                if let Command::Preview { req, doc_id, .. } = command {
                    let reply = Previewed {
                        path: path.clone(),
                        report: report.clone(),
                        picture: None,
                        page_error: None,
                    };
                    black_box(app.update(Msg::Event {
                        event: Event::Previewed {
                            req,
                            doc_id,
                            result: Ok(reply),
                        },
                        now: NOW,
                    }));
                }
            }
            terminal
                .draw(|frame| trackline::tui::view::draw(frame, &app, NOW))
                .expect("draw");
        })
    });
}

fn safe_names(c: &mut Criterion) {
    let hostile = "Rechnung \u{202e}fdp.exe\u{1b}[31m ../../etc/passwd\r\n\t";
    let long: String = "Übersicht_März_2024_".repeat(40);
    let mut group = c.benchmark_group("safe");
    for (label, input) in [
        ("plain", "Invoice_001.pdf"),
        ("hostile", hostile),
        ("long", long.as_str()),
    ] {
        group.bench_with_input(BenchmarkId::new("safe_text", label), input, |b, s| {
            b.iter(|| safe_text(black_box(s), 500))
        });
        group.bench_with_input(BenchmarkId::new("safe_line", label), input, |b, s| {
            b.iter(|| safe_line(black_box(s), 120))
        });
        group.bench_with_input(BenchmarkId::new("safe_file_name", label), input, |b, s| {
            b.iter(|| safe_file_name(black_box(s)))
        });
    }
    group.finish();
}

criterion_group!(benches, parsing, documents_pane, preview_pane, safe_names);
criterion_main!(benches);
