//! The text sanitizer: no control character, no bidi override and no
//! invisible format character survives, and the length is bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackline::text::{safe_line, safe_text};

fuzz_target!(|input: &str| {
    for out in [safe_text(input, 200), safe_line(input, 200)] {
        assert!(!out.chars().any(|c| c.is_control()));
        assert!(
            !out.chars()
                .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        );
        assert!(out.chars().count() <= 201 * 10);
    }
});
