//! Shared test rig: a sandbox on 127.0.0.1:0 in its own runtime, and the real
//! binary run with every user directory redirected into a temp dir.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use tempfile::TempDir;
use trackline::sandbox::{Faults, Sandbox, SandboxOptions};

/// The demo account of the sandbox.
pub const EMAIL: &str = "demo@trackline.local";
/// Its password.
pub const PASSWORD: &str = "demo";

/// A running sandbox and an isolated home for the binary.
pub struct Rig {
    pub sandbox: Sandbox,
    pub home: TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Rig {
    pub fn new() -> Rig {
        Rig::with_options(SandboxOptions::default())
    }

    pub fn with_faults(faults: Faults) -> Rig {
        Rig::with_options(SandboxOptions {
            faults,
            ..SandboxOptions::default()
        })
    }

    /// A sandbox serving HTTPS with a certificate for localhost, 127.0.0.1 and ::1.
    pub fn tls() -> Rig {
        Rig::with_options(SandboxOptions {
            tls: Some(trackline::sandbox::TlsOptions::default()),
            ..SandboxOptions::default()
        })
    }

    /// The sandbox's CA certificate, written to a file in the rig's home.
    pub fn ca_file(&self) -> PathBuf {
        let path = self.home.path().join("sandbox-ca.pem");
        std::fs::write(&path, self.sandbox.ca_cert_pem().expect("a TLS sandbox")).unwrap();
        path
    }

    pub fn with_options(options: SandboxOptions) -> Rig {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = runtime.block_on(Sandbox::start(options)).unwrap();
        Rig {
            sandbox,
            home: TempDir::new().unwrap(),
            runtime,
        }
    }

    pub fn base_url(&self) -> String {
        self.sandbox.base_url()
    }

    pub fn downloads(&self) -> PathBuf {
        self.home.path().join("downloads")
    }

    /// The XDG data dir the binary uses (sessions live below it).
    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join("xdg-data").join("trackline")
    }

    pub fn sessions_dir(&self) -> PathBuf {
        self.data_dir().join("sessions")
    }

    /// The binary, with HOME and the XDG dirs in the temp dir, pointed at the sandbox.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = bare_cmd(self.home.path());
        cmd.env("TRACKLINE_BASE_URL", self.base_url());
        cmd
    }

    /// `trackline login` with the demo account; panics unless it succeeds.
    pub fn login(&self) {
        self.cmd()
            .args(["login", "--email", EMAIL, "--password-stdin"])
            .write_stdin(format!("{PASSWORD}\n"))
            .assert()
            .success();
    }

    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

/// `program` with an empty environment but PATH, every user directory under
/// `home`, and downloads going to `home/downloads`.
pub fn isolated(program: impl AsRef<std::ffi::OsStr>, home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("XDG_CACHE_HOME", home.join("xdg-cache"))
        .env("XDG_STATE_HOME", home.join("xdg-state"))
        .env("TRACKLINE_DOWNLOAD_DIR", home.join("downloads"));
    cmd
}

/// The binary, [`isolated`] under `home`.
pub fn bare_cmd(home: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(isolated(env!("CARGO_BIN_EXE_trackline"), home))
}

/// Hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).unwrap();
    hex::encode(Sha256::digest(&bytes))
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

pub mod inprocess;
pub mod pty;
pub mod raw;
pub mod readme;
#[cfg(unix)]
pub mod tools;

/// The lines a command printed on stdout.
pub fn stdout_lines(output: &std::process::Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Sends `signal` (a name such as "TERM") to the process `pid`.
pub fn send_signal(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Waits until `test` holds, for a state another process writes (a file on
/// disk) where there is no event to wait on: it looks again every 10 ms, and
/// fails after a minute as a safety net against hanging.
pub fn wait_until(what: &str, mut test: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !test() {
        assert!(std::time::Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
