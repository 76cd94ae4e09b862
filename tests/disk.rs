//! A download into a real, small tmpfs that fills up: mounted in a private
//! mount namespace (`unshare --mount`, which needs root, as CI has), so
//! nothing is left mounted on the host. Where the machine does not allow the
//! mount, the test says why and checks a file size limit (`ulimit -f`) instead.
#![cfg(target_os = "linux")]
// Helpers outside #[test] fns panic on failure too, as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Rig;
use std::path::Path;
use std::process::Output;

const FULL: &str = "the disk is full or a file size limit was reached";

/// Why a tmpfs cannot be mounted here, or `None` when it can.
fn cannot_mount(rig: &Rig, dir: &Path) -> Option<String> {
    let probe = format!(
        "mount -t tmpfs -o size=64k trackline-probe '{0}' && umount '{0}'",
        dir.display()
    );
    match common::isolated("unshare", rig.home.path())
        .args(["--mount", "--propagation", "private", "sh", "-c", &probe])
        .output()
    {
        Ok(output) if output.status.success() => None,
        Ok(output) => Some(format!(
            "unshare and mount: {}, {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(e) => Some(format!("cannot run unshare: {e}")),
    }
}

/// What was left in the folder, one name a line after the command's stderr.
fn names_left(listing: &str) -> Vec<String> {
    listing
        .lines()
        .filter(|name| !name.is_empty() && *name != "." && *name != "..")
        .map(str::to_string)
        .collect()
}

fn assert_refused_cleanly(output: &Output, names: &[String]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(FULL), "{stderr}");
    assert!(
        names.iter().all(|n| n.ends_with(".part") || n.starts_with('.')),
        "a final file appeared: {names:?}"
    );
}

#[test]
fn a_download_into_a_full_tmpfs_fails_cleanly_with_no_final_file() {
    let rig = Rig::new();
    rig.login();
    let mount = rig.home.path().join("small-tmpfs");
    std::fs::create_dir(&mount).unwrap();
    let binary = env!("CARGO_BIN_EXE_trackline");
    let large = trackline::sandbox::LARGE_DOC_ID;
    if let Some(why) = cannot_mount(&rig, &mount) {
        eprintln!("cannot mount a tmpfs on this machine ({why}); checking a file size limit (ulimit -f) instead");
        let out = rig.home.path().join("limited");
        let script = format!(
            "ulimit -f 64; exec '{binary}' download {large} --output-dir '{}'",
            out.display()
        );
        let output = common::isolated("sh", rig.home.path())
            .args(["-c", &script])
            .env("TRACKLINE_BASE_URL", rig.base_url())
            .output()
            .unwrap();
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_refused_cleanly(&output, &names);
        return;
    }
    // 1 MiB of room for the 1 GiB file. The tmpfs and what is on it vanish
    // with the namespace, so the listing is taken inside it, on stdout.
    let out = mount.join("downloads");
    let script = format!(
        "mount -t tmpfs -o size=1m trackline-test '{mount}' || exit 99
         '{binary}' download {large} --output-dir '{out}'; code=$?
         ls -a '{out}'; exit $code",
        mount = mount.display(),
        out = out.display(),
    );
    let output = common::isolated("unshare", rig.home.path())
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .env("TRACKLINE_BASE_URL", rig.base_url())
        .output()
        .unwrap();
    assert_ne!(
        output.status.code(),
        Some(99),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let names = names_left(&String::from_utf8_lossy(&output.stdout));
    assert!(
        names.iter().any(|n| n.ends_with(".part")),
        "the partial download is kept: {names:?}"
    );
    assert_refused_cleanly(&output, &names);
    assert_eq!(
        std::fs::read_dir(&mount).unwrap().count(),
        0,
        "the tmpfs leaked into the host's view"
    );
}
