//! The reasons inside errors (issue 17): what the OS said about a connection,
//! a proxy URL that is not one, a download the server cut short, said in
//! Spanish where a user meets them; English word for word as before.

#![allow(clippy::unwrap_used)] // test helpers

mod common;

use common::{Rig, closed_port};
use trackline::sandbox::{Faults, sample_data};

fn run(cmd: &mut assert_cmd::Command) -> (Option<i32>, String) {
    let output = cmd.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A config file that allows one attempt a request, so a refusal is said once.
fn no_retries(rig: &Rig) {
    let dir = rig.home.path().join("xdg-config/trackline");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[retry]\nmax_attempts = 1\n").unwrap();
}

#[test]
fn a_refused_connection_after_a_login_is_spanish_and_english_keeps_the_os_words() {
    let rig = Rig::new();
    rig.login();
    no_retries(&rig);
    let port = closed_port();
    let base = format!("http://127.0.0.1:{port}/api");
    // Another server: the command logs in there by itself, from the environment.
    let cmd = || {
        let mut cmd = rig.cmd();
        cmd.env("TRACKLINE_EMAIL", common::EMAIL)
            .env("TRACKLINE_PASSWORD", common::PASSWORD);
        cmd
    };
    let (code, es) = run(cmd().args(["--lang", "es", "--base-url", &base, "process", "--id", "1"]));
    assert_eq!(code, Some(5), "{es}");
    assert_eq!(
        es,
        format!("trackline: no se puede conectar con http://127.0.0.1:{port}: conexión rechazada\n")
    );
    let (code, en) = run(cmd().args(["--lang", "en", "--base-url", &base, "process", "--id", "1"]));
    assert_eq!(code, Some(5), "{en}");
    assert_eq!(
        en,
        format!("trackline: cannot reach http://127.0.0.1:{port}: Connection refused (os error 111)\n")
    );
}

#[test]
fn a_proxy_url_that_is_not_one_is_spanish_and_english_is_unchanged() {
    let rig = Rig::new();
    let (code, es) = run(rig
        .cmd()
        .args(["--lang", "es", "--proxy", "ftp://proxy:21", "process", "--id", "1"]));
    assert_eq!(code, Some(2), "{es}");
    assert_eq!(
        es,
        "trackline: --proxy: \"ftp://proxy:21\" no es una URL de proxy (el esquema debe ser http o https, no ftp); \
         escríbala como http://servidor:puerto o http://usuario:contraseña@servidor:puerto\n"
    );
    let (code, en) = run(rig
        .cmd()
        .args(["--lang", "en", "--proxy", "ftp://proxy:21", "process", "--id", "1"]));
    assert_eq!(code, Some(2), "{en}");
    assert_eq!(
        en,
        "trackline: --proxy: \"ftp://proxy:21\" is not a proxy URL (the scheme must be http or https, not ftp); \
         write it as http://host:port or http://user:password@host:port\n"
    );
    let (_, bad_port) = run(rig
        .cmd()
        .args(["--lang", "es", "--proxy", "http://proxy:99999", "process", "--id", "1"]));
    assert!(
        bad_port.contains("no es una URL de proxy ((invalid port number))"),
        "{bad_port}"
    );
}

#[test]
fn a_server_url_of_another_scheme_is_spanish_and_english_is_unchanged() {
    let rig = Rig::new();
    let (code, es) = run(rig
        .cmd()
        .args(["--lang", "es", "--base-url", "ftp://x/api", "process", "--id", "1"]));
    assert_eq!(code, Some(2), "{es}");
    assert_eq!(
        es,
        "trackline: la URL del servidor \"ftp://x/api\" no es válida: el esquema debe ser https, no ftp\n"
    );
    let (_, en) = run(rig
        .cmd()
        .args(["--lang", "en", "--base-url", "ftp://x/api", "process", "--id", "1"]));
    assert_eq!(
        en,
        "trackline: invalid server URL \"ftp://x/api\": the scheme must be https, not ftp\n"
    );
}

/// The first download is cut halfway; the retry line says why in each language.
fn cut_download(lang: &str) -> (Option<i32>, String, u64) {
    let len = sample_data().document_len("98765").unwrap();
    let rig = Rig::with_faults(Faults {
        drop_after_bytes: Some(len / 2),
        ..Faults::default()
    });
    rig.login();
    let out = rig.home.path().join("out");
    let (code, stderr) = run(rig
        .cmd()
        .args(["--lang", lang, "download", "98765", "--output-dir"])
        .arg(&out));
    (code, stderr, len / 2)
}

#[test]
fn a_download_the_server_cuts_short_says_why_in_spanish_then_resumes() {
    let (code, es, half) = cut_download("es");
    assert_eq!(code, Some(0), "{es}");
    assert!(
        es.contains(&format!(
            "trackline: la conexión se cortó tras {half} bytes (el otro extremo cerró la conexión antes de tiempo); \
             se reintenta en"
        )),
        "{es}"
    );
    assert!(!es.contains("error decoding"), "{es}");
}

#[test]
fn a_download_the_server_cuts_short_says_the_library_words_in_english() {
    let (code, en, half) = cut_download("en");
    assert_eq!(code, Some(0), "{en}");
    assert!(
        en.contains(&format!(
            "trackline: the connection broke after {half} bytes (error decoding response body: request or response \
             body error: error reading a body from connection: end of file before message length reached); \
             retrying in"
        )),
        "{en}"
    );
}
