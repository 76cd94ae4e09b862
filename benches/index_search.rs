//! The search box as you type, over an index of 1,000,000 documents in
//! 10,000 processes: every keystroke of a few queries typed letter by letter
//! from an empty box, and the cost of the index on disk and of loading it.
//!
//! Run: `cargo bench --bench index_search` (or `scripts/bench --only criterion`).
//! Besides criterion's figures it writes `target/criterion/index_keystrokes.json`:
//! the p50, p99 and max of single keystrokes, the bytes a document costs on
//! disk, and how long loading the in-memory index took.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a bench that cannot set up has nothing to measure

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};
use trackline::api::{Document, Id, Process};
use trackline::index::{Index, SearchIndex, SearchQuery};

const PROCESSES: usize = 10_000;
const DOCUMENTS_EACH: usize = 100;
const LIMIT: usize = 20;

/// What a user types, one keystroke at a time.
const TYPED: [&str; 4] = [
    "odoo billing",
    "invoice 2023 globex",
    "credit_note 0042",
    "nordlict payrol",
];

const VENDORS: [&str; 12] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Nordlicht",
    "Soylent",
    "Wonka",
    "Odoo",
    "Stark",
    "Wayne",
    "Tyrell",
];
const TOPICS: [&str; 6] = [
    "Billing",
    "Payroll",
    "VAT Filing",
    "Procurement",
    "Travel Expenses",
    "Audit",
];
const KINDS: [&str; 5] = ["Invoice", "Receipt", "Credit_Note", "Delivery_Note", "Contract"];

fn process(p: usize) -> Process {
    let documents = (0..DOCUMENTS_EACH)
        .map(|d| {
            let serial = p * DOCUMENTS_EACH + d;
            Document {
                doc_id: Id::new((10_000_000 + serial).to_string()),
                doc_name: Some(format!(
                    "{}_{}_{serial:07}_{}.pdf",
                    KINDS[d % KINDS.len()],
                    2019 + serial % 6,
                    VENDORS[(serial / 7) % VENDORS.len()]
                )),
                doc_type: Some(KINDS[d % KINDS.len()].replace('_', " ")),
                extra: Default::default(),
            }
        })
        .collect();
    let mut extra = serde_json::Map::new();
    extra.insert("customer".into(), VENDORS[(p + 5) % VENDORS.len()].into());
    Process {
        process_id: Id::new((400_000 + p).to_string()),
        name: Some(format!(
            "{} {} {}",
            VENDORS[p % VENDORS.len()],
            TOPICS[(p / VENDORS.len()) % TOPICS.len()],
            2019 + p % 6
        )),
        status: Some(["Completed", "In Progress", "Pending", "On Hold"][p % 4].to_string()),
        created_at: Some("2024-03-01T09:00:00Z".to_string()),
        documents,
        extra,
    }
}

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
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("criterion");
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("index_keystrokes.json"), report.to_string());
    }
}

criterion_group!(benches, keystrokes);
criterion_main!(benches);
