//! The search box as you type, over an index of 1,000,000 documents in
//! 10,000 processes: every keystroke of a few queries typed letter by letter
//! from an empty box, and the cost of the index on disk and of loading it.
//!
//! Run: `cargo bench --bench index_search` (or `scripts/bench --only criterion`).
//! Besides criterion's figures it writes `target/criterion/index_keystrokes.json`:
//! the p50, p99 and max of single keystrokes, the bytes a document costs on
//! disk, and how long loading the in-memory index took; and the same typing
//! into the TUI at 80×24 (`tui_*`): the frame with the letter typed (the
//! search runs off the drawing thread) and the frame with its matches.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a bench that cannot set up has nothing to measure

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};
#[path = "support/corpus.rs"]
mod corpus;

use corpus::{DOCUMENTS_EACH, PROCESSES, TYPED, process};
use trackline::api::Process;
use trackline::index::{Index, SearchIndex, SearchQuery};
use trackline::tui::{App, AppInit, Keymap, Msg, SessionInfo, Theme};
use trackline::worker::Event;

const LIMIT: usize = 20;

/// Writes the index file (reporting its bytes a document) and loads it into memory.
fn setup() -> (SearchIndex, f64, Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = Index::path_for(dir.path(), "bench").expect("path");
    let index = Index::open(&path).expect("open").index;
    let now = time::OffsetDateTime::now_utc();
    for chunk in (0..PROCESSES).collect::<Vec<_>>().chunks(100) {
        let processes: Vec<Process> = chunk.iter().map(|&p| process(p)).collect();
        index.record_processes(&processes, now).expect("record");
    }
    drop(index);
    let bytes: u64 = std::fs::read_dir(path.parent().expect("folder"))
        .expect("list")
        .map(|e| e.expect("entry").metadata().expect("meta").len())
        .sum();
    let per_document = bytes as f64 / (PROCESSES * DOCUMENTS_EACH) as f64;
    let index = Index::open(&path).expect("reopen").index;
    let started = Instant::now();
    let memory = index.search_index().expect("load");
    let load = started.elapsed();
    (memory, per_document, load)
}

/// Types `text` into an empty box: one search per keystroke; the time of each.
fn type_query(index: &SearchIndex, text: &str) -> Vec<Duration> {
    index.forget_typed();
    let mut times = Vec::with_capacity(text.len());
    for end in 1..=text.len() {
        let typed = &text[..end];
        let started = Instant::now();
        if let Ok(query) = SearchQuery::parse(typed) {
            black_box(index.search(&query, LIMIT));
        }
        times.push(started.elapsed());
    }
    times
}

/// A signed-in app in an 80×24 terminal, on the search box.
fn tui_app() -> (App, ratatui::Terminal<ratatui::backend::TestBackend>) {
    let now = time::OffsetDateTime::now_utc();
    let mut app = App::new(AppInit {
        base_url: "http://127.0.0.1:8080/api".into(),
        base_url_origin: None,
        email: Some("bench@example.com".into()),
        password_prefill: None,
        session: Some(SessionInfo {
            email: "bench@example.com".into(),
            expires_at: None,
        }),
        recent: Vec::new(),
        keymap: Keymap::default(),
        theme: Theme::default(),
        now,
        local_offset: time::UtcOffset::UTC,
    });
    app.update(Msg::Resize { width: 80, height: 24 });
    let terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    (app, terminal)
}

/// Types `text` into the TUI's search box as the worker answers it: for
/// each keystroke, the time until the frame with the letter typed (the
/// search runs elsewhere), and the time until the frame with its matches
/// (the search, then the answer's update and draw).
fn type_into_tui(index: &SearchIndex, text: &str) -> Vec<(Duration, Duration)> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    index.forget_typed();
    let (mut app, mut terminal) = tui_app();
    let now = time::OffsetDateTime::now_utc();
    let mut times = Vec::with_capacity(text.len());
    for c in text.chars() {
        let started = Instant::now();
        let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        terminal
            .draw(|f| trackline::tui::view::draw(f, &app, now))
            .expect("draw");
        let typed = started.elapsed();
        let started = Instant::now();
        for command in commands {
            if let trackline::worker::Command::SearchIndex(query) = command {
                let hits = match SearchQuery::parse(&query) {
                    Ok(parsed) => Ok(index.search(&parsed, 20).hits),
                    Err(error) => Err(error.to_string()),
                };
                app.update(Msg::Event {
                    event: Event::IndexMatches { query, hits },
                    now,
                });
            }
        }
        terminal
            .draw(|f| trackline::tui::view::draw(f, &app, now))
            .expect("draw");
        times.push((typed, started.elapsed()));
    }
    times
}

fn keystrokes(c: &mut Criterion) {
    let (index, per_document, load) = setup();
    let mut group = c.benchmark_group("index_search_1m");
    group.sample_size(10);
    for text in TYPED {
        group.bench_function(format!("typing_{}", text.replace(' ', "_")), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let times = type_query(&index, text);
                    total += times.iter().sum::<Duration>() / times.len() as u32;
                }
                total
            })
        });
    }
    group.bench_function("one word, cold", |b| {
        let query = SearchQuery::parse("globex").unwrap();
        b.iter(|| {
            index.forget_typed();
            black_box(index.search(&query, LIMIT))
        })
    });
    group.finish();

    let mut all: Vec<Duration> = Vec::new();
    let mut slowest: Vec<(Duration, &str)> = Vec::new();
    for _ in 0..10 {
        for text in TYPED {
            let times = type_query(&index, text);
            for (end, time) in times.iter().enumerate() {
                slowest.push((*time, &text[..=end]));
            }
            all.extend(times);
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    slowest.dedup_by(|a, b| a.1 == b.1);
    let named: Vec<String> = slowest
        .iter()
        .take(8)
        .map(|(t, typed)| format!("{typed:?} {t:.1?}"))
        .collect();
    println!("index_search_1m slowest keystrokes: {}", named.join(", "));
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let report = serde_json::json!({
        "documents": PROCESSES * DOCUMENTS_EACH,
        "processes": PROCESSES,
        "keystrokes": all.len(),
        "p50_ms": ms(at(0.50)),
        "p99_ms": ms(at(0.99)),
        "max_ms": ms(at(1.0)),
        "bytes_per_document": per_document,
        "load_s": load.as_secs_f64(),
    });
    println!("index_search_1m keystrokes: {report}");

    let (mut typed, mut answered): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        for text in TYPED {
            for (t, a) in type_into_tui(&index, text) {
                typed.push(t);
                answered.push(a);
            }
        }
    }
    typed.sort();
    answered.sort();
    let pick = |all: &[Duration], q: f64| all[((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1];
    let tui = serde_json::json!({
        "keystrokes": typed.len(),
        "typed_frame_p50_ms": ms(pick(&typed, 0.50)),
        "typed_frame_p99_ms": ms(pick(&typed, 0.99)),
        "matches_frame_p50_ms": ms(pick(&answered, 0.50)),
        "matches_frame_p99_ms": ms(pick(&answered, 0.99)),
    });
    println!("index_search_1m tui (80x24): {tui}");
    let mut report = report;
    if let (Some(report), Some(tui)) = (report.as_object_mut(), tui.as_object()) {
        for (key, value) in tui {
            if key != "keystrokes" {
                report.insert(format!("tui_{key}"), value.clone());
            }
        }
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("criterion");
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("index_keystrokes.json"), report.to_string());
    }
}

criterion_group!(benches, keystrokes);
criterion_main!(benches);
