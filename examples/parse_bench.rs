//! Parses a metadata body from a file the way the client does, and prints how
//! many documents it holds: `scripts/bench` times it against `jq . FILE`.
//!
//! Run: `cargo run --release --example parse_bench -- FILE`.

use std::process::ExitCode;
use trackline::api::model::parse_processes;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_bench FILE");
        return ExitCode::from(2);
    };
    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(error) => {
            eprintln!("parse_bench: {}: {error}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    match parse_processes(&body) {
        Ok(processes) => {
            let documents: usize = processes.iter().map(|p| p.documents.len()).sum();
            println!("{} processes, {documents} documents", processes.len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("parse_bench: {error}");
            ExitCode::FAILURE
        }
    }
}
