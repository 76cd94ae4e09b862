//! The `trackline` binary: everything happens in [`trackline::cli::main`].

fn main() -> std::process::ExitCode {
    trackline::cli::main()
}
