//! The safe file name: one path component, never empty, never `.`/`..`, no
//! separators, no controls, never hidden or an option.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use trackline::transfer::naming::safe_file_name;

fuzz_target!(|input: &str| {
    let name = safe_file_name(input);
    assert!(!name.is_empty());
    assert!(name.len() <= 255);
    assert!(!name.contains('/') && !name.contains('\\') && !name.contains('\0'));
    assert!(name != "." && name != "..");
    assert!(!name.starts_with('.') && !name.starts_with('-'));
    assert!(!name.chars().any(char::is_control));
    let dir = Path::new("/downloads");
    assert_eq!(dir.join(&name).parent(), Some(dir));
});
