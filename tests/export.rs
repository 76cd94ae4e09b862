//! `export`, bulk and resumed `download`, and `--open`, run as the real
//! binary against the real sandbox on 127.0.0.1.

mod common;

use common::{Rig, sha256_file};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use trackline::sandbox::{Faults, sample_data};

type Row = HashMap<String, String>;

const MANIFEST_COLUMNS: [&str; 9] = [
    "process_id",
    "doc_id",
    "doc_name",
    "doc_type",
    "path",
    "bytes",
    "sha256",
    "status",
    "error",
];

fn read_manifest(dir: &Path) -> Result<Vec<Row>, csv::Error> {
    let mut reader = csv::Reader::from_path(dir.join("manifest.csv"))?;
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    assert_eq!(headers, MANIFEST_COLUMNS);
    reader.deserialize().collect()
}

fn attachment_requests(rig: &Rig) -> usize {
    rig.sandbox
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/attachment/file"))
        .count()
}

fn stdout_paths(output: &std::process::Output) -> Vec<PathBuf> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(PathBuf::from)
        .collect()
}

fn row<'a>(rows: &'a [Row], doc_id: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["doc_id"] == doc_id)
        .unwrap_or_else(|| panic!("no manifest row for {doc_id}: {rows:?}"))
}

/// Every row that names a saved file: the file is there with the size and
/// SHA-256 the manifest gives, which are the sandbox's.
fn assert_saved_rows_match(out: &Path, rows: &[Row]) {
    for row in rows.iter().filter(|r| r["status"] != "failed") {
        let path = out.join(&row["path"]);
        assert_eq!(sha256_file(&path), row["sha256"], "{row:?}");
        assert_eq!(
            Some(row["sha256"].clone()),
            sample_data().document_sha256(&row["doc_id"]),
            "{row:?}"
        );
        let bytes = std::fs::metadata(&path).map(|m| m.len().to_string());
        assert_eq!(bytes.ok().as_ref(), Some(&row["bytes"]), "{row:?}");
    }
}

#[test]
fn export_saves_every_document_then_reruns_download_only_what_is_missing() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("export");
    let ids = rig.home.path().join("ids.txt");
    std::fs::write(&ids, "# month-end\n12345\n\n12346\n31337\n424242424\n12345\n").unwrap();
    let export = || {
        rig.cmd()
            .args(["export", "--jobs", "3", "--ids-from"])
            .arg(&ids)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap()
    };

    let first = export();
    assert_eq!(
        first.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("process 424242424 was not found"), "{stderr}");
    let saved = stdout_paths(&first);
    assert_eq!(saved.len(), 7, "{saved:?}");
    for path in &saved {
        assert!(path.is_absolute() && path.starts_with(&out), "{path:?}");
    }
    assert!(out.join("12345 Odoo Billing Process/Invoice_001.pdf").is_file());
    assert!(
        out.join("12346 Quarterly VAT Filing Q1/XRechnung_2024_0042.xml")
            .is_file()
    );
    assert!(out.join("31337 Payroll Export/Payroll_Feb.pdf").is_file());
    let rows = read_manifest(&out).unwrap();
    assert_eq!(rows.len(), 8, "{rows:?}");
    assert_eq!(rows.iter().filter(|r| r["status"] == "downloaded").count(), 7);
    let failed: Vec<&Row> = rows.iter().filter(|r| r["status"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["process_id"], "424242424");
    assert!(failed[0]["error"].contains("not found"), "{failed:?}");
    assert_eq!(
        row(&rows, "98765")["path"],
        "12345 Odoo Billing Process/Invoice_001.pdf"
    );
    assert_eq!(row(&rows, "98766")["doc_type"], "E-Invoice");
    assert_saved_rows_match(&out, &rows);
    let fetched = attachment_requests(&rig);
    assert_eq!(fetched, 7);

    // The same export again: nothing new is fetched, the manifest is rewritten.
    let second = export();
    assert_eq!(second.status.code(), Some(6));
    assert!(stdout_paths(&second).is_empty());
    assert_eq!(attachment_requests(&rig), fetched);
    let rows = read_manifest(&out).unwrap();
    assert_eq!(rows.len(), 8);
    assert_eq!(rows.iter().filter(|r| r["status"] == "unchanged").count(), 7);
    assert_saved_rows_match(&out, &rows);

    // One file deleted, one changed on disk: exactly those two are fetched again.
    let deleted = out.join("12346 Quarterly VAT Filing Q1/Q1_Receipts.zip");
    std::fs::remove_file(&deleted).unwrap();
    let changed = out.join("31337 Payroll Export/Payroll_Feb.xml");
    std::fs::write(&changed, "edited by hand").unwrap();
    let third = export();
    assert_eq!(third.status.code(), Some(6));
    assert_eq!(attachment_requests(&rig), fetched + 2);
    let again = stdout_paths(&third);
    assert_eq!(again.len(), 2, "{again:?}");
    assert!(again.contains(&deleted), "{again:?}");
    assert_eq!(std::fs::read_to_string(&changed).unwrap(), "edited by hand");
    let rows = read_manifest(&out).unwrap();
    assert_eq!(row(&rows, "98767")["status"], "downloaded");
    assert_eq!(row(&rows, "31339")["status"], "downloaded");
    assert_eq!(row(&rows, "31339")["path"], "31337 Payroll Export/Payroll_Feb (1).xml");
    assert_eq!(rows.iter().filter(|r| r["status"] == "unchanged").count(), 5);
    assert_saved_rows_match(&out, &rows);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "manifest.csv" && !n.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn export_of_every_small_process_from_a_csv_saves_all_but_the_missing_file() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("all");
    let ids: Vec<String> = sample_data()
        .processes()
        .iter()
        .map(|p| match &p["process_id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .filter(|id| !["10000", "10001", "20000", "20001"].contains(&id.as_str()))
        .collect();
    assert!(ids.len() >= 18, "{ids:?}");
    let mut csv_text = String::from("name,process_id\n");
    for id in &ids {
        csv_text.push_str(&format!("\"Process, {id}\",{id}\n"));
    }
    let file = rig.home.path().join("ids.csv");
    std::fs::write(&file, csv_text).unwrap();

    let output = rig
        .cmd()
        .args(["export", "--jobs", "4", "--ids-from"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();

    // The one listed document the server has no file for fails; the rest are saved.
    assert_eq!(
        output.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = read_manifest(&out).unwrap();
    let documents: usize = ids
        .iter()
        .map(|id| {
            sample_data().process(id).unwrap()["documents"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(rows.len(), documents);
    let failed: Vec<&Row> = rows.iter().filter(|r| r["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["doc_id"], "98771");
    assert!(failed[0]["error"].contains("not found"), "{failed:?}");
    assert_eq!(stdout_paths(&output).len(), documents - 1);
    assert_saved_rows_match(&out, &rows);
    // Hostile names: one safe folder, every file inside it, no escape sequences in the manifest.
    let canonical_out = out.canonicalize().unwrap();
    for row in rows.iter().filter(|r| r["process_id"] == "66666") {
        let path = out.join(&row["path"]).canonicalize().unwrap();
        assert_eq!(path.parent().unwrap().parent().unwrap(), canonical_out, "{row:?}");
        assert!(!row["doc_name"].contains('\u{1b}'), "{row:?}");
    }
    assert!(!rig.home.path().join("x").exists());
}

#[test]
fn an_export_that_can_do_nothing_exits_with_the_reason() {
    let rig = Rig::new();
    let ids = rig.home.path().join("ids.txt");
    std::fs::write(&ids, "12345\n").unwrap();
    rig.cmd()
        .args(["export", "--ids-from"])
        .arg(&ids)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("trackline login"));

    rig.login();
    std::fs::write(&ids, "424242424\n424242425\n").unwrap();
    let out = rig.home.path().join("none");
    rig.cmd()
        .args(["export", "--ids-from"])
        .arg(&ids)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(4);
    let rows = read_manifest(&out).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["status"] == "failed"));

    rig.cmd()
        .args(["export", "--ids-from"])
        .arg(rig.home.path().join("no-such-file"))
        .assert()
        .code(2);
}

/// An ids file as a spreadsheet saves it: UTF-16 with a BOM, CRLF, a header
/// row, `;` between columns, and a note that is no id, which is warned about
/// with its line number and never sent. Latin-1 is refused with its line and
/// byte and what to do, before any request.
#[test]
fn an_ids_file_saved_by_a_spreadsheet_is_read() {
    let rig = Rig::new();
    rig.login();
    let ids = rig.home.path().join("ids.csv");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(
        "Process ID;Name\r\n54321;Minimal\r\nhello world\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::write(&ids, bytes).unwrap();
    let out = rig.home.path().join("out");
    let before = rig.sandbox.requests().len();
    let output = rig
        .cmd()
        .args(["export", "--ids-from"])
        .arg(&ids)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 3: \"hello world\" is not a process id"),
        "{stderr}"
    );
    let rows = read_manifest(&out).unwrap();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r["process_id"] == "54321"),
        "{rows:?}"
    );
    let asked: Vec<_> = rig.sandbox.requests()[before..]
        .iter()
        .filter_map(|r| r.query.clone())
        .filter(|q| q.starts_with("process_id="))
        .collect();
    assert_eq!(asked, ["process_id=54321"]);

    std::fs::write(&ids, b"12345\nNi\xf1o;12346\n").unwrap();
    let latin1 = rig.cmd().args(["export", "--ids-from"]).arg(&ids).output().unwrap();
    assert_eq!(latin1.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&latin1.stderr);
    assert!(
        stderr.contains("line 2, byte 3") && stderr.contains("CSV UTF-8"),
        "{stderr}"
    );
}

#[test]
fn a_later_download_run_resumes_the_part_a_cut_run_left() {
    let len = sample_data().document_len("98768").unwrap();
    let rig = Rig::with_faults(Faults {
        drop_after_bytes: Some(len / 2),
        ..Faults::default()
    });
    rig.login();
    let config = rig.home.path().join("config.toml");
    std::fs::write(&config, "[retry]\nmax_attempts = 1\n").unwrap();
    let out = rig.home.path().join("resume");
    let run = || {
        rig.cmd()
            .arg("--config")
            .arg(&config)
            .args(["download", "98768", "-o"])
            .arg(&out)
            .output()
            .unwrap()
    };

    let cut = run();
    assert_eq!(cut.status.code(), Some(5), "{}", String::from_utf8_lossy(&cut.stderr));
    assert!(String::from_utf8_lossy(&cut.stderr).contains("partial file is kept"));
    let part = out.join("Receipt_Photo.jpg.part");
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept > 0 && kept < len, "{kept}");

    let resumed = run();
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    let saved = stdout_paths(&resumed);
    assert_eq!(saved, [out.join("Receipt_Photo.jpg")]);
    assert_eq!(
        std::fs::read(&saved[0]).unwrap(),
        sample_data().document_bytes("98768").unwrap()
    );
    let last = rig
        .sandbox
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/attachment/file"))
        .unwrap();
    assert_eq!(last.range, Some(format!("bytes={kept}-")));
    assert!(last.if_range.is_some());
    assert!(!part.exists());
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "the resume record must be gone"
    );
}

#[cfg(unix)]
#[test]
fn open_hands_the_saved_file_to_the_configured_opener() {
    use std::os::unix::fs::PermissionsExt;
    let rig = Rig::new();
    rig.login();
    let log = rig.home.path().join("opened.log");
    let opener = rig.home.path().join("opener.sh");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = rig.home.path().join("config.toml");
    std::fs::write(&config, format!("opener = \"{}\"\n", opener.display())).unwrap();

    let output = rig
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["download", "98765", "98766", "--open"])
        .output()
        .unwrap();

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let saved = String::from_utf8(output.stdout).unwrap();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), saved);
    assert_eq!(saved.lines().count(), 2);

    // An opener that fails: the file is still saved, and the message says where.
    std::fs::write(&config, "opener = \"false\"\n").unwrap();
    let output = rig
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["download", "98765", "--open"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let path = String::from_utf8(output.stdout).unwrap().trim().to_string();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot open") && stderr.contains(&path), "{stderr}");
    assert!(stderr.contains("the opener \"false\" failed"), "{stderr}");
    assert!(Path::new(&path).is_file());

    // In Spanish the opener's failure is Spanish too, inside the Spanish sentence.
    let output = rig
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["--lang", "es", "download", "98765", "--open", "--force"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no se puede abrir el archivo: el programa para abrir \"false\" falló"),
        "{stderr}"
    );
}

/// The body of the file the stalling server below serves.
fn stalling_body() -> Vec<u8> {
    (0..(1u32 << 20)).map(|i| (i.wrapping_mul(7) % 251) as u8).collect()
}

/// A server on 127.0.0.1 for one attachment: a request without `Range` gets
/// a 200 whose body stops after 600 KiB and then hangs; a `Range: bytes=N-`
/// with the right `If-Range` gets a 206 with the rest. Sends each request's
/// head to `heads`.
async fn stalling_server(
    heads: std::sync::mpsc::Sender<String>,
) -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/api", listener.local_addr()?);
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let heads = heads.clone();
            tokio::spawn(async move {
                let body = stalling_body();
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
                    }
                }
                let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let _ = heads.send(head.clone());
                let resume_at = head
                    .lines()
                    .find_map(|l| l.strip_prefix("range: bytes="))
                    .and_then(|r| r.trim().strip_suffix('-'))
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|_| head.contains("if-range: \"k1\""));
                let common = "content-type: application/octet-stream\r\netag: \"k1\"\r\n\
                              content-disposition: attachment; filename=big.bin\r\n";
                match resume_at {
                    Some(start) if start < body.len() => {
                        let rest = body.get(start..).unwrap_or_default();
                        let reply = format!(
                            "HTTP/1.1 206 Partial Content\r\n{common}content-length: {}\r\n\
                             content-range: bytes {start}-{}/{}\r\n\r\n",
                            rest.len(),
                            body.len() - 1,
                            body.len()
                        );
                        let _ = socket.write_all(reply.as_bytes()).await;
                        let _ = socket.write_all(rest).await;
                    }
                    _ => {
                        let reply = format!("HTTP/1.1 200 OK\r\n{common}content-length: {}\r\n\r\n", body.len());
                        let _ = socket.write_all(reply.as_bytes()).await;
                        let _ = socket.write_all(body.get(..600 * 1024).unwrap_or_default()).await;
                        let _ = socket.flush().await;
                        std::future::pending::<()>().await;
                    }
                }
            });
        }
    });
    Ok((base, task))
}

#[test]
fn a_download_killed_mid_file_resumes_in_the_next_run() {
    use secrecy::SecretString;
    use trackline::store::{Session, TokenStore};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (heads_tx, heads) = std::sync::mpsc::channel();
    let (base, _server) = runtime.block_on(stalling_server(heads_tx)).unwrap();
    let home = tempfile::TempDir::new().unwrap();
    TokenStore::new(home.path().join("xdg-data/trackline/sessions"))
        .save(&Session::new(
            "default",
            base.clone(),
            common::EMAIL,
            SecretString::from("not-a-jwt".to_string()),
        ))
        .unwrap();
    let out = home.path().join("out");
    let command = || {
        let mut command = common::isolated(env!("CARGO_BIN_EXE_trackline"), home.path());
        command.args(["--base-url", &base, "download", "5", "-o"]).arg(&out);
        command
    };

    let mut first = command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let first_head = heads.recv().unwrap();
    assert!(!first_head.contains("range:"), "{first_head}");
    // Wait until some of the body is on disk (the server hangs after 600 KiB), then kill.
    let part = out.join("big.bin.part");
    common::wait_until("some of the body on disk", || {
        assert!(first.try_wait().unwrap().is_none(), "the first run ended by itself");
        std::fs::metadata(&part).map_or(0, |m| m.len()) > 0
    });
    first.kill().unwrap();
    first.wait().unwrap();
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept > 0 && kept <= 600 * 1024, "{kept}");

    let second = command().output().unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let second_head = heads.recv().unwrap();
    assert!(second_head.contains(&format!("range: bytes={kept}-")), "{second_head}");
    assert!(second_head.contains("if-range: \"k1\""), "{second_head}");
    let saved = stdout_paths(&second);
    assert_eq!(saved, [out.join("big.bin")]);
    assert_eq!(std::fs::read(&saved[0]).unwrap(), stalling_body());
    assert!(!part.exists());
}
