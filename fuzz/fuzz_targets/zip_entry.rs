//! Any bytes read as a ZIP: listing and unpacking its first entries never
//! panics, and an unpacked entry is never larger than the entry cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackline::inspect::{Options, archive};

fuzz_target!(|data: &[u8]| {
    let options = Options::default();
    for index in 0..4 {
        if let Ok(bytes) = archive::read_entry(data, index, &options) {
            assert!(bytes.len() as u64 <= options.limits.max_entry);
        }
    }
});
