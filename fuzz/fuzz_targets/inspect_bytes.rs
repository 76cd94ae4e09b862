//! Any bytes get a summary (or a clear error from the budget), never a
//! panic, and the readable body stays within its line cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackline::inspect::{Body, Options, inspect_bytes};

fuzz_target!(|data: &[u8]| {
    let options = Options::default();
    if let Ok(report) = inspect_bytes(data, &options) {
        assert_eq!(report.bytes, data.len() as u64);
        let lines = match &report.body {
            Body::Empty => 0,
            Body::Lines(lines) => lines.len(),
            Body::Table(rows) => rows.len(),
        };
        assert!(lines <= options.limits.max_lines + 1);
    }
});
