//! Any XML text read as an e-invoice: no panic, and every check it reports
//! has a name and says its figures.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackline::inspect::{Options, invoice};

fuzz_target!(|text: &str| {
    if let Ok(Some(found)) = invoice::from_xml_bytes(text.as_bytes(), &Options::default()) {
        assert!(found.invoice.line_items.len() <= invoice::MAX_LINE_ITEMS);
        for check in &found.invoice.checks {
            assert!(!check.name.is_empty() && !check.detail.is_empty());
        }
    }
});
