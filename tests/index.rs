//! The local index through the real binary against the real sandbox:
//! `search`, `history`, `index`, no second copies on `download`, and the
//! index file surviving a `kill -9`, damage, two processes at once and a
//! folder that cannot be written.

#![allow(clippy::unwrap_used)] // test helpers

mod common;

use common::{Rig, closed_port, stdout_lines};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use trackline::index::Index;
use trackline::sandbox::{Faults, INDEX_BENCH_DOCS, INDEX_BENCH_FIRST_ID, sample_data};
use trackline::store::WatchedEntry;

fn index_file(rig: &Rig) -> PathBuf {
    rig.data_dir().join("index").join("default.sqlite")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout_lines(output)
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The binary with the server unreachable: what it answers comes from the index alone.
fn offline(rig: &Rig) -> assert_cmd::Command {
    let mut cmd = rig.cmd();
    cmd.env("TRACKLINE_BASE_URL", format!("http://127.0.0.1:{}/api", closed_port()));
    cmd
}

fn run(cmd: &mut assert_cmd::Command, args: &[&str]) -> Output {
    cmd.args(args).output().unwrap()
}

fn attachment_requests(rig: &Rig) -> usize {
    let requests = rig.sandbox.requests();
    requests.iter().filter(|r| r.path.ends_with("/attachment/file")).count()
}

fn write_ids(rig: &Rig, name: &str, ids: impl IntoIterator<Item = String>) -> PathBuf {
    let path = rig.home.path().join(name);
    let text: Vec<String> = ids.into_iter().collect();
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
    path
}

fn bench_ids(range: std::ops::Range<u32>) -> impl Iterator<Item = String> {
    range.map(|n| (INDEX_BENCH_FIRST_ID + n).to_string())
}

#[test]
fn a_process_looked_up_once_is_found_offline_with_typos() {
    let rig = Rig::new();
    rig.login();
    rig.cmd().args(["process", "--id", "12345"]).assert().success();

    let output = run(&mut offline(&rig), &["search", "odo biling", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let hits = json_lines(&output);
    let first = &hits[0];
    assert_eq!(first["kind"], "process");
    assert_eq!(first["process_id"], "12345");
    assert_eq!(first["process_name"], "Odoo Billing Process");
    assert_eq!(first["doc_id"], Value::Null);
    assert_eq!(first["doc_name"], Value::Null);
    assert_eq!(first["status"], "In Progress");
    assert!(first["score"].as_u64().unwrap() > 0);
    let seen = first["last_seen"].as_str().unwrap();
    time::OffsetDateTime::parse(seen, &time::format_description::well_known::Rfc3339).unwrap();

    let document = json_lines(&run(
        &mut offline(&rig),
        &["search", "invoice_001", "--json", "--limit", "1"],
    ));
    assert_eq!(document.len(), 1);
    assert_eq!(document[0]["kind"], "document");
    assert_eq!(document[0]["doc_id"], "98765");
    assert_eq!(document[0]["doc_name"], "Invoice_001.pdf");
    assert_eq!(document[0]["process_name"], "Odoo Billing Process");

    let table = run(&mut offline(&rig), &["search", "Odoo", "Bilxing"]);
    assert!(table.status.success(), "{}", stderr(&table));
    let lines = stdout_lines(&table);
    assert!(lines[0].starts_with("KIND"), "{lines:?}");
    assert!(lines[1].contains("Odoo Billing Process"), "{lines:?}");
}

#[test]
fn bad_searches_are_told_what_to_do() {
    let rig = Rig::new();
    let nothing_yet = run(&mut offline(&rig), &["search", "odoo"]);
    assert_eq!(nothing_yet.status.code(), Some(4));
    assert!(
        stderr(&nothing_yet).contains("trackline index --ids-from"),
        "{}",
        stderr(&nothing_yet)
    );

    rig.login();
    rig.cmd().args(["process", "--id", "12345"]).assert().success();
    let empty = run(&mut offline(&rig), &["search", " \t "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("type a word"), "{}", stderr(&empty));
    let long = "odoo ".repeat(2_000);
    let too_long = run(&mut offline(&rig), &["search", &long]);
    assert_eq!(too_long.status.code(), Some(2));
    assert!(stderr(&too_long).contains("the limit is 1000"), "{}", stderr(&too_long));
    let control = run(&mut offline(&rig), &["search", "\x1b[2Jodoo\x07"]);
    assert!(control.status.success(), "{}", stderr(&control));
    assert!(stderr(&control).contains("control characters were removed"));
    assert!(!String::from_utf8_lossy(&control.stderr).contains('\x1b'));
    assert!(stdout_lines(&control)[1].contains("12345"));
    let none = run(&mut offline(&rig), &["search", "qqxqqz"]);
    assert_eq!(none.status.code(), Some(4));
    assert!(stderr(&none).contains("matches \"qqxqqz\""), "{}", stderr(&none));
}

#[test]
fn history_lists_the_status_seen_and_refuses_a_process_never_seen() {
    let rig = Rig::new();
    rig.login();
    rig.cmd().args(["process", "--id", "12346"]).assert().success();
    rig.cmd().args(["process", "--id", "12346"]).assert().success();
    let output = run(&mut offline(&rig), &["history", "12346", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let changes = json_lines(&output);
    assert_eq!(changes.len(), 1, "the same status twice is one entry: {changes:?}");
    assert_eq!(changes[0]["status"], "Completed");
    assert!(changes[0]["at"].as_str().unwrap().ends_with('Z'));
    let human = run(&mut offline(&rig), &["history", "12346"]);
    assert!(stdout_lines(&human)[1].contains("Completed"));
    let never = run(&mut offline(&rig), &["history", "999999"]);
    assert_eq!(never.status.code(), Some(4));
    assert!(
        stderr(&never).contains("trackline process --id 999999"),
        "{}",
        stderr(&never)
    );
}

#[test]
fn a_saved_download_is_not_saved_twice_unless_forced_or_changed() {
    let rig = Rig::new();
    rig.login();
    let out = rig.home.path().join("saved");
    let download = |extra: &[&str]| {
        let mut cmd = rig.cmd();
        cmd.args(["download", "98765", "--json", "-o"]).arg(&out).args(extra);
        cmd.output().unwrap()
    };
    let first = json_lines(&download(&[]));
    assert_eq!(first[0].get("skipped"), None);
    let path = PathBuf::from(first[0]["path"].as_str().unwrap());
    let again = download(&[]);
    assert!(again.status.success(), "{}", stderr(&again));
    let again = json_lines(&again);
    assert_eq!(again[0]["skipped"], true);
    assert_eq!(again[0]["path"], first[0]["path"]);
    assert_eq!(again[0]["sha256"], first[0]["sha256"]);
    assert_eq!(attachment_requests(&rig), 1, "nothing was downloaded the second time");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);

    let plain = rig.cmd().args(["download", "98765", "-o"]).arg(&out).output().unwrap();
    assert_eq!(stdout_lines(&plain), [path.display().to_string()]);

    let forced = json_lines(&download(&["--force"]));
    assert_eq!(forced[0].get("skipped"), None);
    assert!(forced[0]["path"].as_str().unwrap().ends_with("Invoice_001 (1).pdf"));

    std::fs::write(&path, b"edited by hand").unwrap();
    let changed = json_lines(&download(&[]));
    assert_eq!(
        changed[0]["path"], forced[0]["path"],
        "the edited file is no copy; the forced one is"
    );
    std::fs::remove_file(forced[0]["path"].as_str().unwrap()).unwrap();
    let fresh = json_lines(&download(&[]));
    assert_eq!(fresh[0].get("skipped"), None);
    assert_eq!(attachment_requests(&rig), 3);
}

#[test]
fn index_fills_the_index_without_downloading_and_clear_forgets_it() {
    let rig = Rig::new();
    rig.login();
    let ids = write_ids(
        &rig,
        "ids.csv",
        [
            "process_id,customer".to_string(),
            "12345,ACME".to_string(),
            "424242,none".to_string(),
        ]
        .into_iter()
        .chain(bench_ids(0..3).map(|id| format!("{id},bench"))),
    );
    let output = rig
        .cmd()
        .args(["index", "--jobs", "2", "--ids-from"])
        .arg(&ids)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let told = stderr(&output);
    assert!(told.contains("process 424242"), "{told}");
    assert!(told.contains("4 processes"), "{told}");
    assert!(output.stdout.is_empty());
    assert_eq!(attachment_requests(&rig), 0);
    let (processes, documents) = Index::open(&index_file(&rig)).unwrap().index.counts().unwrap();
    assert_eq!(processes, 4);
    let guide_docs = sample_data().process("12345").unwrap()["documents"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(documents, 3 * INDEX_BENCH_DOCS as usize + guide_docs);

    let found = json_lines(&run(&mut offline(&rig), &["search", "credit_note", "000042", "--json"]));
    assert_eq!(found[0]["process_id"], "500000");
    assert!(found[0]["doc_name"].as_str().unwrap().contains("000042"), "{found:?}");

    // The watched set lives in the index: clearing forgets it too.
    let watched = [WatchedEntry::new("12345"), WatchedEntry::new("500000")];
    Index::open(&index_file(&rig))
        .unwrap()
        .index
        .save_watched(&watched)
        .unwrap();
    let cleared = run(&mut offline(&rig), &["index", "--clear"]);
    assert!(cleared.status.success(), "{}", stderr(&cleared));
    assert!(stderr(&cleared).contains("4 processes"), "{}", stderr(&cleared));
    assert!(stderr(&cleared).contains("2 watched"), "{}", stderr(&cleared));
    assert!(
        Index::open(&index_file(&rig))
            .unwrap()
            .index
            .watched()
            .unwrap()
            .is_empty()
    );
    assert_eq!(run(&mut offline(&rig), &["search", "odoo"]).status.code(), Some(4));
    assert_eq!(run(&mut offline(&rig), &["history", "12345"]).status.code(), Some(4));
}

#[test]
fn a_damaged_index_is_moved_aside_and_rebuilt() {
    let rig = Rig::new();
    rig.login();
    let file = index_file(&rig);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "not an index, whatever it is".repeat(500)).unwrap();
    let output = run(&mut rig.cmd(), &["process", "--id", "12345"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout_lines(&output)[0].contains("12345"));
    let told = stderr(&output);
    assert!(
        told.contains("was not a usable database") && told.contains("moved to"),
        "{told}"
    );
    let aside = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".damaged-"))
        .count();
    assert_eq!(aside, 1);
    let found = run(&mut offline(&rig), &["search", "odoo"]);
    assert!(found.status.success(), "{}", stderr(&found));
}

#[test]
fn a_lookup_still_prints_when_the_index_cannot_be_written() {
    let rig = Rig::new();
    rig.login();
    // A file where the index folder should be: no permission bit makes that writable, not even for root.
    std::fs::write(rig.data_dir().join("index"), b"in the way").unwrap();
    let output = run(&mut rig.cmd(), &["process", "--id", "12345"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout_lines(&output)[0].contains("12345"));
    let told = stderr(&output);
    assert!(told.contains("warning: cannot write the index"), "{told}");
    assert_eq!(told.matches("cannot write the index").count(), 1, "{told}");
    let ids = write_ids(&rig, "ids.txt", ["12345".to_string()]);
    let index = rig.cmd().args(["index", "--ids-from"]).arg(&ids).output().unwrap();
    assert_eq!(index.status.code(), Some(1));
    assert!(stderr(&index).contains("cannot write the index"), "{}", stderr(&index));
    let download = rig.cmd().args(["download", "98765"]).output().unwrap();
    assert!(download.status.success(), "{}", stderr(&download));
}

#[cfg(unix)]
#[test]
fn the_index_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let rig = Rig::new();
    rig.login();
    rig.cmd().args(["process", "--id", "12345"]).assert().success();
    let folder = index_file(&rig).parent().unwrap().to_path_buf();
    assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    for entry in std::fs::read_dir(&folder).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(
            entry.metadata().unwrap().permissions().mode() & 0o777,
            0o600,
            "{:?}",
            entry.file_name()
        );
    }
}

fn integrity(file: &Path) -> String {
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap()
}

fn processes_in(file: &Path) -> usize {
    match Index::open_to_read(file) {
        Ok(Some(opened)) => opened.index.counts().map_or(0, |(p, _)| p),
        _ => 0,
    }
}

#[test]
fn a_kill_9_mid_index_keeps_every_lookup_committed_before_it() {
    let rig = Rig::with_faults(Faults {
        latency_ms: 20,
        ..Faults::default()
    });
    rig.login();
    let ids = write_ids(&rig, "ids.txt", bench_ids(0..1000));
    let file = index_file(&rig);
    let mut child = common::isolated(env!("CARGO_BIN_EXE_trackline"), rig.home.path())
        .env("TRACKLINE_BASE_URL", rig.base_url())
        .args(["index", "--jobs", "2", "--ids-from"])
        .arg(&ids)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Read by a second process while the first writes.
    common::wait_until("20 processes are committed", || processes_in(&file) >= 20);
    let committed = processes_in(&file);
    common::send_signal(child.id(), "KILL");
    let status = child.wait().unwrap();
    assert!(!status.success());

    assert!(processes_in(&file) >= committed);
    assert!(processes_in(&file) < 1000, "killed before the end");
    assert_eq!(integrity(&file), "ok");
    let found = run(&mut offline(&rig), &["search", "acme", "billing", "--json"]);
    assert!(found.status.success(), "{}", stderr(&found));
    let rerun = write_ids(&rig, "few.txt", bench_ids(0..5));
    rig.cmd().args(["index", "--ids-from"]).arg(&rerun).assert().success();
    assert_eq!(integrity(&file), "ok");
}

#[test]
fn two_trackline_processes_index_at_once() {
    let rig = Rig::new();
    rig.login();
    let first = write_ids(&rig, "a.txt", bench_ids(0..40));
    let second = write_ids(&rig, "b.txt", bench_ids(20..60));
    let spawn = |ids: &Path| {
        common::isolated(env!("CARGO_BIN_EXE_trackline"), rig.home.path())
            .env("TRACKLINE_BASE_URL", rig.base_url())
            .args(["index", "--jobs", "4", "--ids-from"])
            .arg(ids)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(&first), spawn(&second));
    for child in [a, b] {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let file = index_file(&rig);
    assert_eq!(processes_in(&file), 60);
    assert_eq!(integrity(&file), "ok");
    let opened = Index::open(&file).unwrap().index;
    assert_eq!(opened.counts().unwrap().1, 60 * INDEX_BENCH_DOCS as usize);
    let history = opened
        .history(&(INDEX_BENCH_FIRST_ID + 30).to_string())
        .unwrap()
        .unwrap();
    assert_eq!(history.len(), 1, "seen by both, one status: {history:?}");
}
