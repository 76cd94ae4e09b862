//! Running a manual's ```sh blocks as a user would: in order, with the real
//! binary first on `PATH`, in a throwaway home against a sandbox.

use std::path::Path;

/// The ```sh blocks of `file` (in the crate's root), but those that build the
/// crate with `cargo` (the test suite builds it already).
pub fn sh_blocks(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_end() == "```sh" => current = Some(String::new()),
            None => {}
            Some(_) if line.starts_with("```") => {
                let block = current.take().unwrap();
                if !block.contains("cargo ") {
                    blocks.push(block);
                }
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}

/// Runs each of `blocks` with bash (`-euo pipefail`) in one work folder, the
/// user's files under `home`, the server at `base_url`, and `env` set too;
/// each must succeed. Returns how many `trackline` commands ran.
pub fn run_sh_blocks(file: &str, blocks: &[String], home: &Path, base_url: &str, env: &[(&str, &str)]) -> usize {
    let work = tempfile::TempDir::new().unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_trackline")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut ran = 0;
    for block in blocks {
        let output = super::isolated("bash", home)
            .args(["-euo", "pipefail", "-c", block])
            .current_dir(work.path())
            .env("PATH", &path)
            .env_remove("TRACKLINE_DOWNLOAD_DIR")
            .env("TRACKLINE_BASE_URL", base_url)
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "this {file} block failed ({}):\n{block}\n--- stdout\n{}\n--- stderr\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ran += block.lines().filter(|l| l.contains("trackline ")).count();
    }
    ran
}
