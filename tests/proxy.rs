//! Through a real proxy (tinyproxy, started here on a free loopback port):
//! https by CONNECT to the TLS sandbox, plain http, NO_PROXY going around
//! it, the order of --proxy, the variables and the config file, and basic
//! auth with its refusals. The proxy's password is never shown or logged.
#![cfg(unix)]
// Helpers outside #[test] fns panic on failure too, as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tools::Tinyproxy;
use common::{EMAIL, PASSWORD, Rig};
use std::process::Output;

const PROXY_USER: &str = "ana";
const PROXY_PASSWORD: &str = "Pr0xy-s3cret-8812";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `trackline ARGS login` with `env`, and then `process --id 12345` the same way.
fn login_and_look_up(rig: &Rig, env: &[(&str, &str)], args: &[&str]) -> (Output, Output) {
    let run = |command: &[&str], stdin: Option<String>| {
        let mut cmd = rig.cmd();
        cmd.envs(env.iter().copied()).args(args).args(command);
        if let Some(stdin) = stdin {
            cmd.write_stdin(stdin);
        }
        cmd.output().unwrap()
    };
    let login = run(
        &["login", "--email", EMAIL, "--password-stdin"],
        Some(format!("{PASSWORD}\n")),
    );
    let process = run(&["process", "--id", "12345"], None);
    (login, process)
}

fn sandbox_port(rig: &Rig) -> u16 {
    rig.sandbox.addr().port()
}

#[test]
fn https_goes_through_the_proxy_by_connect() {
    let rig = Rig::tls();
    let proxy = Tinyproxy::start(rig.home.path(), None);
    let ca = rig.ca_file();
    let (login, process) = login_and_look_up(
        &rig,
        &[("HTTPS_PROXY", &proxy.url(None))],
        &["--ca-cert", ca.to_str().unwrap()],
    );
    assert!(login.status.success(), "{}", stderr(&login));
    assert!(process.status.success(), "{}", stderr(&process));
    let connect = format!("CONNECT 127.0.0.1:{} HTTP/1.1", sandbox_port(&rig));
    let requests = proxy.requests();
    assert!(requests.iter().any(|r| r == &connect), "{requests:?}");
}

#[test]
fn plain_http_goes_through_the_proxy_and_lower_case_variables_count() {
    let rig = Rig::new();
    let proxy = Tinyproxy::start(rig.home.path(), None);
    let (login, process) = login_and_look_up(&rig, &[("http_proxy", &proxy.url(None))], &[]);
    assert!(login.status.success(), "{}", stderr(&login));
    assert!(process.status.success(), "{}", stderr(&process));
    let requests = proxy.requests();
    let login_request = format!("POST http://127.0.0.1:{}/api/login HTTP/1.1", sandbox_port(&rig));
    assert!(requests.contains(&login_request), "{requests:?}");
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("GET http://127.0.0.1:") && r.contains("process_id=12345")),
        "{requests:?}"
    );
}

#[test]
fn no_proxy_goes_around_the_proxy_in_either_case() {
    let rig = Rig::tls();
    let proxy = Tinyproxy::start(rig.home.path(), None);
    let ca = rig.ca_file();
    let url = proxy.url(None);
    for no_proxy in ["NO_PROXY", "no_proxy"] {
        let (login, process) = login_and_look_up(
            &rig,
            &[("HTTPS_PROXY", &url), (no_proxy, "localhost, 127.0.0.1")],
            &["--ca-cert", ca.to_str().unwrap()],
        );
        assert!(login.status.success(), "{}", stderr(&login));
        assert!(process.status.success(), "{}", stderr(&process));
        let status = rig
            .cmd()
            .env("HTTPS_PROXY", &url)
            .env(no_proxy, "127.0.0.1")
            .arg("status")
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&status.stdout);
        assert!(
            shown.contains(&format!("Proxy:    none ({no_proxy} names this server")),
            "{shown}"
        );
    }
    assert_eq!(proxy.requests(), Vec::<String>::new(), "the proxy was used");
}

#[test]
fn the_flag_beats_the_environment_which_beats_the_config_file() {
    let rig = Rig::new();
    let proxy = Tinyproxy::start(rig.home.path(), None);
    let nowhere = format!("http://127.0.0.1:{}", common::closed_port());
    let config = rig.home.path().join("config.toml");
    let mut expected = 0;
    // --proxy over a variable that points nowhere.
    let (login, _) = login_and_look_up(&rig, &[("HTTP_PROXY", &nowhere)], &["--proxy", &proxy.url(None)]);
    assert!(login.status.success(), "{}", stderr(&login));
    expected += 2;
    assert_eq!(proxy.requests().len(), expected);
    // A variable over the config file's proxy, which points nowhere.
    std::fs::write(&config, format!("proxy = {nowhere:?}\n")).unwrap();
    let file = [("TRACKLINE_CONFIG", config.to_str().unwrap())];
    let (login, _) = login_and_look_up(&rig, &[file[0], ("ALL_PROXY", &proxy.url(None))], &[]);
    assert!(login.status.success(), "{}", stderr(&login));
    expected += 2;
    assert_eq!(proxy.requests().len(), expected);
    // The config file's proxy when nothing else names one; `--proxy ""` turns it off.
    std::fs::write(&config, format!("proxy = {:?}\n", proxy.url(None))).unwrap();
    let (login, process) = login_and_look_up(&rig, &file, &[]);
    assert!(login.status.success() && process.status.success(), "{}", stderr(&login));
    expected += 2;
    assert_eq!(proxy.requests().len(), expected);
    let (login, _) = login_and_look_up(&rig, &file, &["--proxy", ""]);
    assert!(login.status.success(), "{}", stderr(&login));
    assert_eq!(proxy.requests().len(), expected, "--proxy \"\" still used the proxy");
}

#[test]
fn a_proxy_with_basic_auth_takes_the_user_and_password_from_its_url() {
    let rig = Rig::tls();
    let proxy = Tinyproxy::start(rig.home.path(), Some((PROXY_USER, PROXY_PASSWORD)));
    let ca = rig.ca_file();
    let with_password = proxy.url(Some((PROXY_USER, PROXY_PASSWORD)));
    let (login, process) = rig_login_traced(&rig, &with_password, ca.to_str().unwrap());
    assert!(login.status.success(), "{}", stderr(&login));
    assert!(process.status.success(), "{}", stderr(&process));
    let status = rig
        .cmd()
        .env("HTTPS_PROXY", &with_password)
        .arg("status")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&status.stdout);
    let redacted = format!("Proxy:    http://***@127.0.0.1:{} (from HTTPS_PROXY)", proxy.port());
    assert!(shown.contains(&redacted), "{shown}");
    let log_file = shown
        .lines()
        .find_map(|line| line.strip_prefix("Log file: "))
        .unwrap_or_else(|| panic!("{shown}"));
    let log = std::fs::read_to_string(log_file).unwrap();
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "a trace log: {log}");
    for (what, text) in [("status", shown.as_ref()), ("the log", log.as_str())] {
        assert!(!text.contains(PROXY_PASSWORD), "the proxy's password is in {what}");
    }
    for output in [&login, &process] {
        assert!(!stderr(output).contains(PROXY_PASSWORD));
    }
}

fn rig_login_traced(rig: &Rig, proxy: &str, ca: &str) -> (Output, Output) {
    login_and_look_up(
        rig,
        &[("HTTPS_PROXY", proxy)],
        &["--ca-cert", ca, "--log-level", "trace"],
    )
}

#[test]
fn a_407_says_how_to_give_the_proxys_user_and_password() {
    let rig = Rig::new();
    let proxy = Tinyproxy::start(rig.home.path(), Some((PROXY_USER, PROXY_PASSWORD)));
    let (login, _) = login_and_look_up(&rig, &[("HTTP_PROXY", &proxy.url(None))], &[]);
    let message = stderr(&login);
    assert_eq!(login.status.code(), Some(5), "{message}");
    assert!(message.contains("407"), "{message}");
    assert!(message.contains("http://USER:PASSWORD@HOST:PORT"), "{message}");
    assert_eq!(rig.sandbox.login_count(), 0);
}

#[test]
fn a_wrong_proxy_password_is_told_as_the_proxys_refusal_over_http_and_https() {
    let wrong = Some((PROXY_USER, "not-the-password"));
    let plain = Rig::new();
    let proxy = Tinyproxy::start(plain.home.path(), Some((PROXY_USER, PROXY_PASSWORD)));
    let (login, _) = login_and_look_up(&plain, &[("HTTP_PROXY", &proxy.url(wrong))], &[]);
    let message = stderr(&login);
    assert_eq!(login.status.code(), Some(5), "{message}");
    assert!(
        message.contains(&format!("the proxy http://***@127.0.0.1:{}", proxy.port())),
        "{message}"
    );
    assert!(message.contains("USER:PASSWORD"), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");
    assert!(!message.contains("wrong email or password"), "{message}");

    let secure = Rig::tls();
    let ca = secure.ca_file();
    let (login, _) = login_and_look_up(
        &secure,
        &[("HTTPS_PROXY", &proxy.url(wrong))],
        &["--ca-cert", ca.to_str().unwrap()],
    );
    let message = stderr(&login);
    assert_eq!(login.status.code(), Some(5), "{message}");
    assert!(message.contains("refused to connect"), "{message}");
    assert!(message.contains("user and password"), "{message}");
    assert!(!message.contains("retrying"), "{message}");
    assert_eq!(secure.sandbox.login_count(), 0);
}
