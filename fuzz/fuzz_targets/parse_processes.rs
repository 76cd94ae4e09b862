//! The metadata model: any bytes give processes or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(processes) = trackline::api::model::parse_processes(data) {
        for process in &processes {
            let _ = process.display_name();
            for document in &process.documents {
                let _ = document.display_name();
            }
        }
    }
});
