//! Page 1 of any bytes behind the PDF magic is drawn within the pixels
//! asked for, or refused with an error: never a panic or an unbounded image.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackline::inspect::Options;
use trackline::inspect::render::first_page;

fuzz_target!(|data: &[u8]| {
    let bytes = [&b"%PDF-1.7\n"[..], data].concat();
    if let Ok(page) = first_page(&bytes, (256, 256), &Options::default()) {
        assert!(page.width() <= 256 && page.height() <= 256);
    }
});
