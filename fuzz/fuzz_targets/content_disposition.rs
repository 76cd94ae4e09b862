//! The Content-Disposition parser: any header gives a name or `None`, never a
//! panic, and the name it gives becomes one safe file name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackline::transfer::naming::{parse_content_disposition, safe_file_name};

fuzz_target!(|header: &str| {
    if let Some(name) = parse_content_disposition(header) {
        assert!(!name.trim().is_empty());
        let safe = safe_file_name(&name);
        assert!(!safe.contains('/') && !safe.contains('\\'));
    }
});
