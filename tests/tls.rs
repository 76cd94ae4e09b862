//! HTTPS end to end against the sandbox's own certificate authority: every
//! way to trust it, every way a certificate is refused (exit 7), a CA file
//! that cannot be used (exit 2), an https → http redirect that the token
//! never follows, and IPv6 loopback.
// Helpers outside #[test] fns panic on failure too, as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{EMAIL, PASSWORD, Rig, sha256_file};
use std::process::Output;
use trackline::sandbox::{Faults, GUIDE_DOC_ID, SandboxOptions, TlsOptions};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn login(rig: &Rig, args: &[&str]) -> Output {
    rig.cmd()
        .args(args)
        .args(["login", "--email", EMAIL, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap()
}

#[test]
fn the_sandbox_serves_https_and_the_client_trusts_its_ca_given_with_ca_cert() {
    let rig = Rig::tls();
    assert!(rig.base_url().starts_with("https://127.0.0.1:"), "{}", rig.base_url());
    let ca = rig.ca_file();
    let ca = ca.to_str().unwrap();
    let output = login(&rig, &["--ca-cert", ca]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = rig
        .cmd()
        .args(["--ca-cert", ca, "download", GUIDE_DOC_ID, "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let path = std::path::Path::new(line["path"].as_str().unwrap());
    assert_eq!(sha256_file(path), line["sha256"].as_str().unwrap());
    assert!(
        rig.sandbox
            .requests()
            .iter()
            .any(|r| r.path == "/api/track-line/ext/attachment/file")
    );
}

#[test]
fn trackline_ca_cert_the_config_file_and_ssl_cert_file_are_trusted_too() {
    let rig = Rig::tls();
    let ca = rig.ca_file();
    let config = rig.home.path().join("config.toml");
    std::fs::write(&config, format!("ca_cert = {:?}\n", ca.to_str().unwrap())).unwrap();
    let ways: [(&str, Vec<(&str, &std::ffi::OsStr)>); 3] = [
        ("TRACKLINE_CA_CERT", vec![("TRACKLINE_CA_CERT", ca.as_os_str())]),
        ("config ca_cert", vec![("TRACKLINE_CONFIG", config.as_os_str())]),
        ("SSL_CERT_FILE", vec![("SSL_CERT_FILE", ca.as_os_str())]),
    ];
    for (way, env) in ways {
        let mut cmd = rig.cmd();
        for (name, value) in &env {
            cmd.env(name, value);
        }
        let output = cmd
            .args(["login", "--email", EMAIL, "--password-stdin"])
            .write_stdin(format!("{PASSWORD}\n"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{way}: {}", stderr(&output));
        let mut cmd = rig.cmd();
        for (name, value) in &env {
            cmd.env(name, value);
        }
        let status = cmd.arg("status").output().unwrap();
        let shown = String::from_utf8_lossy(&status.stdout);
        assert!(shown.contains(&format!("(from {way})")), "{way}: {shown}");
    }
}

#[test]
fn an_unknown_issuer_exits_7_at_once_naming_the_host_and_ca_cert() {
    let rig = Rig::tls();
    let output = login(&rig, &[]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(7), "{message}");
    let host = rig.base_url().trim_end_matches("/api").to_string();
    assert!(message.contains(&host), "{message}");
    assert!(message.contains("unknown issuer"), "{message}");
    assert!(message.contains("--ca-cert"), "{message}");
    assert!(!message.contains("retrying"), "a certificate is not retried: {message}");
    assert_eq!(rig.sandbox.login_count(), 0);
}

#[test]
fn a_certificate_for_another_name_or_out_of_date_exits_7_saying_which() {
    let cases = [
        (
            TlsOptions {
                names: vec!["elsewhere.invalid".into()],
                expired: false,
            },
            "wrong name",
        ),
        (
            TlsOptions {
                expired: true,
                ..TlsOptions::default()
            },
            "expired",
        ),
    ];
    for (tls, problem) in cases {
        let rig = Rig::with_options(SandboxOptions {
            tls: Some(tls),
            ..SandboxOptions::default()
        });
        let ca = rig.ca_file();
        let output = login(&rig, &["--ca-cert", ca.to_str().unwrap()]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(7), "{message}");
        assert!(message.contains(problem), "{problem}: {message}");
        assert!(message.contains("--ca-cert"), "{message}");
    }
}

#[test]
fn a_ca_file_that_is_missing_or_not_pem_exits_2_with_its_path() {
    let rig = Rig::tls();
    let missing = rig.home.path().join("no-such-ca.pem");
    let not_pem = rig.home.path().join("notes.txt");
    std::fs::write(&not_pem, "these are not certificates\n").unwrap();
    for file in [&missing, &not_pem] {
        let output = login(&rig, &["--ca-cert", file.to_str().unwrap()]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{message}");
        assert!(message.contains(file.to_str().unwrap()), "{message}");
        assert!(message.contains("--ca-cert"), "{message}");
    }
    assert_eq!(rig.sandbox.login_count(), 0);
}

#[test]
fn an_https_to_http_redirect_is_refused_and_the_token_never_reaches_the_plain_side() {
    let plain = Rig::new();
    let origin = plain.base_url().trim_end_matches("/api").to_string();
    let rig = Rig::with_options(SandboxOptions {
        tls: Some(TlsOptions::default()),
        faults: Faults {
            redirect_to: Some(origin.clone()),
            ..Faults::default()
        },
        ..SandboxOptions::default()
    });
    let ca = rig.ca_file();
    let ca = ca.to_str().unwrap();
    let output = login(&rig, &["--ca-cert", ca]);
    assert!(output.status.success(), "{}", stderr(&output));
    for args in [&["process", "--id", "12345"][..], &["download", GUIDE_DOC_ID][..]] {
        let output = rig.cmd().args(["--ca-cert", ca]).args(args).output().unwrap();
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {message}");
        assert!(message.contains("redirected to"), "{message}");
        assert!(message.contains(&origin), "{message}");
    }
    let redirected = rig.sandbox.requests().iter().filter(|r| r.authorization).count();
    assert!(redirected >= 2, "the TLS side saw the authorized requests");
    let reached = plain.sandbox.requests();
    assert!(
        reached.iter().all(|r| !r.authorization),
        "the token reached plain http: {reached:?}"
    );
    assert!(reached.is_empty(), "nothing follows the redirect: {reached:?}");
}

/// A sandbox on `[::1]:0`, or `None` (said on stderr) when the machine has no IPv6 loopback.
fn ipv6_rig(tls: Option<TlsOptions>) -> Option<Rig> {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("this machine has no IPv6 loopback ([::1]): the IPv6 test checked nothing");
        return None;
    }
    Some(Rig::with_options(SandboxOptions {
        listen: "[::1]:0".parse().unwrap(),
        tls,
        ..SandboxOptions::default()
    }))
}

#[test]
fn ipv6_loopback_works_like_127_0_0_1_over_http_and_https() {
    let Some(rig) = ipv6_rig(None) else { return };
    assert!(rig.base_url().starts_with("http://[::1]:"), "{}", rig.base_url());
    // Plain http: allowed because [::1] is loopback, with no --allow-insecure-http.
    let output = login(&rig, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    rig.cmd().args(["process", "--id", "12345"]).assert().success();
    let Some(rig) = ipv6_rig(Some(TlsOptions::default())) else {
        return;
    };
    assert!(rig.base_url().starts_with("https://[::1]:"), "{}", rig.base_url());
    let ca = rig.ca_file();
    let output = login(&rig, &["--ca-cert", ca.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn sandbox_tls_prints_its_ca_certificate_beside_its_url() {
    let home = tempfile::tempdir().unwrap();
    let mut child = common::isolated(env!("CARGO_BIN_EXE_trackline"), home.path())
        .args(["sandbox", "--tls", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let url_line = lines.next().unwrap().unwrap();
    let ca_line = lines.next().unwrap().unwrap();
    let url = url_line.rsplit(' ').next().unwrap().to_string();
    let ca = ca_line
        .strip_prefix("CA certificate: ")
        .unwrap_or_else(|| panic!("{ca_line}"));
    assert!(url.starts_with("https://127.0.0.1:"), "{url_line}");
    let output = common::bare_cmd(home.path())
        .args(["--base-url", &url, "--ca-cert", ca])
        .args(["login", "--email", EMAIL, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    common::send_signal(child.id(), "TERM");
    assert!(child.wait().unwrap().success());
    assert!(!std::path::Path::new(ca).exists(), "the CA file goes with the sandbox");
}

/// The path both front ends take (the TUI's worker makes its clients this
/// way): settings naming the CA, a factory from them, a login and a lookup.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_trusts_the_ca_the_settings_name() {
    use std::sync::Arc;
    use trackline::config::{Overrides, Paths, Settings, Snapshot};
    use trackline::engine::{ClientFactory, Credentials, NoCredentials, Profile, SessionManager, lookup};
    let sandbox = trackline::sandbox::Sandbox::start(SandboxOptions {
        tls: Some(TlsOptions::default()),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let ca = home.path().join("ca.pem");
    std::fs::write(&ca, sandbox.ca_cert_pem().unwrap()).unwrap();
    let paths = Paths::under(home.path());
    let overrides = Overrides {
        base_url: Some(sandbox.base_url()),
        ..Overrides::default()
    };
    let snapshot = Snapshot {
        config_file: paths.config_file.clone(),
        config_text: Some(format!("ca_cert = {:?}\n", ca.to_str().unwrap())),
        ..Snapshot::default()
    };
    let settings = Settings::from_snapshot(&paths, &overrides, &snapshot).unwrap();
    let session = SessionManager::new(
        ClientFactory::from_settings(&settings),
        Profile::from_settings(&paths, &settings),
        &settings.base_url,
        Arc::new(NoCredentials),
    )
    .unwrap();
    let credentials = Credentials {
        email: EMAIL.into(),
        password: secrecy::SecretString::from(PASSWORD),
    };
    session.login(None, &credentials).await.unwrap().stored.unwrap();
    let query = trackline::api::ProcessQuery::Id("12345".into());
    let found = lookup::process(&session, &query, None).await.unwrap();
    assert_eq!(found[0].process_id.as_str(), "12345");
    let untrusting = SessionManager::new(
        ClientFactory::default(),
        Profile::from_settings(&paths, &settings),
        &settings.base_url,
        Arc::new(NoCredentials),
    )
    .unwrap();
    let refused = untrusting.login(None, &credentials).await.err().unwrap();
    assert_eq!(refused.exit_code(), 7, "{refused}");
}
