//! Real outside programs the tests drive: tinyproxy, and gnome-keyring under a
//! private D-Bus session. A missing program fails its test with what to run,
//! never a silent pass.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Panics, saying how to get it, unless `program` is on the PATH.
pub fn require(program: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    assert!(
        found,
        "{program} is not installed: run scripts/test (it installs what the tests need), or `apt-get install {package}`"
    );
}

/// Kills and reaps a child process when dropped.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A tinyproxy on 127.0.0.1, in the foreground, with a config of its own.
pub struct Tinyproxy {
    child: Reaped,
    port: u16,
    log: PathBuf,
}

impl Tinyproxy {
    /// Starts tinyproxy in `dir` (config and log there), asking for `user`
    /// and `password` when given (`BasicAuth`).
    pub fn start(dir: &Path, basic_auth: Option<(&str, &str)>) -> Tinyproxy {
        require("tinyproxy", "tinyproxy");
        // A free port, then tinyproxy on it: another process may take it in
        // between, so a tinyproxy that cannot listen is started again.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let log = dir.join(format!("tinyproxy-{port}.log"));
            let config = dir.join(format!("tinyproxy-{port}.conf"));
            let mut text = format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\nLogLevel Connect\nMaxClients 50\nAllow 127.0.0.1\n",
                log.display()
            );
            if let Some((user, password)) = basic_auth {
                text.push_str(&format!("BasicAuth {user} {password}\n"));
            }
            std::fs::write(&config, text).unwrap();
            let child = Command::new("tinyproxy")
                .arg("-d")
                .arg("-c")
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut child = Reaped(child);
            if wait_for_port(&mut child.0, port) {
                return Tinyproxy { child, port, log };
            }
        }
        panic!(
            "tinyproxy never listened; see the tinyproxy-*.log files in {}",
            dir.display()
        );
    }

    /// `http://127.0.0.1:PORT`, or with `user:password@` in it.
    pub fn url(&self, credentials: Option<(&str, &str)>) -> String {
        match credentials {
            Some((user, password)) => format!("http://{user}:{password}@127.0.0.1:{}", self.port),
            None => format!("http://127.0.0.1:{}", self.port),
        }
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The requests it was asked to pass on, as its log names them
    /// (`CONNECT 127.0.0.1:443 HTTP/1.1`, `POST http://127.0.0.1:80/api/login HTTP/1.1`).
    pub fn requests(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .filter_map(|line| line.split_once("]: Request (file descriptor "))
            .filter_map(|(_, rest)| rest.split_once("): ").map(|(_, request)| request.to_string()))
            .collect()
    }
}

/// Whether `child` listens on `port` before it exits (or a minute passes).
fn wait_for_port(child: &mut Child, port: u16) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        if child.try_wait().unwrap().is_some() || std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A Secret Service of its own: a private D-Bus session bus and
/// gnome-keyring-daemon on it, its login collection unlocked, its files
/// under `home`.
pub struct SecretService {
    address: String,
    // Fields drop in order: the keyring stops before its bus.
    keyring: Reaped,
    bus: Reaped,
    home: PathBuf,
}

impl SecretService {
    /// Starts the bus and the keyring with every user directory under `home`.
    pub fn start(home: &Path) -> SecretService {
        require("dbus-daemon", "dbus");
        require("gnome-keyring-daemon", "gnome-keyring");
        require("dbus-send", "dbus");
        require("secret-tool", "libsecret-tools");
        let runtime = home.join("run");
        std::fs::create_dir_all(&runtime).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        // Services the bus starts on demand get its environment: this home, never the user's.
        let mut bus = Command::new("dbus-daemon");
        environment(&mut bus, home);
        let bus = bus
            .args(["--session", "--print-address=1", "--nofork", "--nopidfile"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut bus = Reaped(bus);
        let mut address = String::new();
        BufReader::new(bus.0.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let mut keyring = Command::new("gnome-keyring-daemon");
        environment(&mut keyring, home);
        let mut keyring = Reaped(
            keyring
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .args(["--foreground", "--unlock", "--components=secrets"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        // The password of the login collection, on stdin; closing it says that was all.
        let mut stdin = keyring.0.stdin.take().unwrap();
        stdin.write_all(b"keyring-test-password").unwrap();
        drop(stdin);
        let service = SecretService {
            address,
            keyring,
            bus,
            home: home.to_path_buf(),
        };
        // The daemon takes its name on the bus a moment after it starts; a
        // client before that would start a second one through the bus.
        super::wait_until("gnome-keyring owns org.freedesktop.secrets", || service.is_running());
        service
    }

    /// `DBUS_SESSION_BUS_ADDRESS` for a client of this service.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn is_running(&self) -> bool {
        let output = self
            .dbus_send(&[
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).contains("boolean true")
    }

    /// Locks the login collection, as a session's screen lock would.
    pub fn lock(&self) {
        let status = self
            .dbus_send(&[
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "could not lock the login collection");
    }

    /// `secret-tool lookup service trackline username PROFILE`: the secret, if there is one.
    pub fn lookup(&self, profile: &str) -> Option<String> {
        let mut command = Command::new("secret-tool");
        environment(&mut command, &self.home);
        let output = command
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["lookup", "service", "trackline", "username", profile])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let secret = String::from_utf8(output.stdout).unwrap();
        (output.status.success() && !secret.is_empty()).then_some(secret)
    }

    fn dbus_send(&self, args: &[&str]) -> Command {
        let mut command = Command::new("dbus-send");
        environment(&mut command, &self.home);
        command
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["--session", "--print-reply"])
            .args(args)
            .stdin(Stdio::null());
        command
    }
}

/// An environment with only PATH and every user directory under `home`.
fn environment(command: &mut Command, home: &Path) {
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("XDG_CACHE_HOME", home.join("xdg-cache"))
        .env("XDG_STATE_HOME", home.join("xdg-state"));
}
