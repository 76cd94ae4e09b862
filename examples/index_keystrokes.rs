//! Types the keystroke bench's queries into an in-memory index of its
//! 1,000,000 documents (filled with `SearchIndex::record`, no file), and
//! prints the load time, each query's keystrokes and the slowest of them.
//! Small enough to run under callgrind, whose instruction counts do not move
//! with the machine's load:
//!
//! ```sh
//! cargo build --release --example index_keystrokes
//! valgrind --tool=callgrind --toggle-collect='*SearchIndex*search*' \
//!     target/release/examples/index_keystrokes [QUERY…]
//! ```
//!
//! With no query it types the bench's four (`benches/support/corpus.rs`),
//! `--rounds N` times (default 1).
#![allow(clippy::expect_used, clippy::unwrap_used)] // a driver that cannot set up has nothing to measure

#[path = "../benches/support/corpus.rs"]
mod corpus;

use corpus::{PROCESSES, TYPED, process};
use std::hint::black_box;
use std::time::{Duration, Instant};
use trackline::api::Process;
use trackline::index::{SearchIndex, SearchQuery};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut rounds = 1;
    if let Some(at) = args.iter().position(|a| a == "--rounds") {
        rounds = args.get(at + 1).and_then(|n| n.parse().ok()).unwrap_or(1);
        args.drain(at..(at + 2).min(args.len()));
    }
    let queries: Vec<String> = if args.is_empty() {
        TYPED.iter().map(|t| t.to_string()).collect()
    } else {
        args
    };
    let now = time::OffsetDateTime::now_utc();
    let started = Instant::now();
    let index = SearchIndex::new();
    for chunk in (0..PROCESSES).collect::<Vec<_>>().chunks(100) {
        let processes: Vec<Process> = chunk.iter().map(|&p| process(p)).collect();
        index.record(&processes, now);
    }
    println!("loaded {:?} in {:.2?}", index.len(), started.elapsed());
    let mut all: Vec<(Duration, String)> = Vec::new();
    for _ in 0..rounds {
        for text in &queries {
            index.forget_typed();
            let mut line = Vec::new();
            for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
                let typed = &text[..end];
                let started = Instant::now();
                let hits = SearchQuery::parse(typed).map(|q| index.search(&q, 20).hits.len());
                let took = started.elapsed();
                black_box(hits.ok());
                line.push(format!("{:.1}", took.as_secs_f64() * 1000.0));
                all.push((took, typed.to_string()));
            }
            println!("{text:?}: {} ms", line.join(" "));
        }
    }
    all.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    let slowest: Vec<String> = all.iter().take(6).map(|(t, q)| format!("{q:?} {t:.1?}")).collect();
    println!("slowest: {}", slowest.join(", "));
}
