//! Watching processes, against the real sandbox over loopback: the engine's
//! [`Watcher`] (first statuses, changes as the sandbox advances a process, a
//! missing process, one request in flight per process, a 429's Retry-After, a
//! lost connection waited out, a set that changes while it runs), the
//! sandbox's moving statuses, and `trackline watch` as a user runs it.
//! Every test waits on events (a line, an event, an exit), never on time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::raw::{RawServer, json};
use common::{Rig, send_signal};
use secrecy::SecretString;
use std::io::{BufRead, BufReader};
use std::ops::ControlFlow;
use std::process::{Child, ChildStdout, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use trackline::api::client::RetryPolicy;
use trackline::api::{ApiError, ProcessQuery};
use trackline::engine::watch::{Scope, StatusLog};
use trackline::engine::{
    Change, Check, ClientFactory, Credentials, NoCredentials, Profile, SessionManager, WatchEvent, WatchOptions,
    Watcher, lookup,
};
use trackline::sandbox::{DEMO_EMAIL, DEMO_PASSWORD, FIRST_EXTRA_PROCESS_ID, Faults, Sandbox, SandboxOptions};
use trackline::store::{ProfileMemory, Session, TokenStore};

type TestResult = Result<(), Box<dyn std::error::Error>>;

// ------------------------------------------------------------------ the engine

fn factory() -> ClientFactory {
    ClientFactory::new(
        false,
        RetryPolicy {
            max_attempts: 2,
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            on_retry: None,
        },
    )
}

fn manager(base_url: &str, dir: &std::path::Path) -> SessionManager {
    let profile = Profile {
        name: "default".into(),
        tokens: TokenStore::new(dir.join("sessions")),
        memory: ProfileMemory::new(dir.join("profiles.json")),
    };
    SessionManager::new(factory(), profile, base_url, Arc::new(NoCredentials)).unwrap()
}

async fn signed_in(sandbox: &Sandbox, dir: &std::path::Path) -> Arc<SessionManager> {
    let session = manager(&sandbox.base_url(), dir);
    let demo = Credentials {
        email: DEMO_EMAIL.into(),
        password: SecretString::from(DEMO_PASSWORD),
    };
    session.login(None, &demo).await.unwrap().stored.unwrap();
    Arc::new(session)
}

fn every(interval: Duration) -> WatchOptions {
    WatchOptions {
        interval,
        seed: Some(7),
        ..WatchOptions::default()
    }
}

fn ids(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// Runs `watcher` until `step` breaks (a minute is only a safety net against a
/// hang); every event, in order.
async fn run_until(watcher: Watcher, mut step: impl FnMut(&WatchEvent) -> ControlFlow<()>) -> Vec<WatchEvent> {
    let mut events = Vec::new();
    let ran = tokio::time::timeout(
        Duration::from_secs(60),
        watcher.run(|event| {
            let flow = step(&event);
            events.push(event);
            flow
        }),
    )
    .await;
    assert!(ran.is_ok(), "the watch never got there: {events:#?}");
    events
}

fn checks(events: &[WatchEvent]) -> Vec<&Check> {
    events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Checked(check) => Some(check),
            _ => None,
        })
        .collect()
}

/// (id, previous, status) of every check worth a line.
fn news(events: &[WatchEvent]) -> Vec<(String, Option<String>, Option<String>)> {
    checks(events)
        .into_iter()
        .filter(|c| c.is_news())
        .map(|c| (c.process_id.clone(), c.previous().map(String::from), c.status.clone()))
        .collect()
}

fn metadata_requests(sandbox: &Sandbox, id: &str) -> usize {
    let query = format!("process_id={id}");
    sandbox
        .requests()
        .iter()
        .filter(|r| r.query.as_deref() == Some(query.as_str()))
        .count()
}

#[derive(Default)]
struct Seen(Mutex<Vec<(String, Option<String>)>>);

impl StatusLog for Seen {
    fn status_seen(&self, check: &Check) {
        self.0
            .lock()
            .unwrap()
            .push((check.process_id.clone(), check.status.clone()));
    }
}

fn owned(id: &str, previous: Option<&str>, status: &str) -> (String, Option<String>, Option<String>) {
    (id.into(), previous.map(String::from), Some(status.into()))
}

#[tokio::test]
async fn each_process_is_seen_once_then_every_change_the_sandbox_makes() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = signed_in(&sandbox, dir.path()).await;
    let seen = Arc::new(Seen::default());
    let (watcher, _control) = Watcher::new(session, ids(&["12347", "12345"]), every(Duration::from_millis(100)));
    let mut firsts = 0;
    let events = run_until(watcher.with_status_log(seen.clone()), |event| {
        let WatchEvent::Checked(check) = event else {
            return ControlFlow::Continue(());
        };
        match (&check.change, check.status.as_deref()) {
            (Change::First, _) => {
                firsts += 1;
                if firsts == 2 {
                    sandbox.advance("12347");
                }
            }
            (Change::Changed { .. }, Some("In Progress")) => {
                sandbox.advance("12347");
            }
            (Change::Changed { .. }, Some("Completed")) => return ControlFlow::Break(()),
            _ => {}
        }
        ControlFlow::Continue(())
    })
    .await;
    let mut news = news(&events);
    news[..2].sort();
    assert_eq!(
        news,
        [
            owned("12345", None, "In Progress"),
            owned("12347", None, "Pending"),
            owned("12347", Some("Pending"), "In Progress"),
            owned("12347", Some("In Progress"), "Completed"),
        ]
    );
    assert_eq!(
        seen.0.lock().unwrap().len(),
        checks(&events).len(),
        "the status log hears every check"
    );
    assert!(
        events.iter().all(|e| !matches!(e, WatchEvent::Failed(_))),
        "{events:#?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_missing_process_is_reported_each_round_and_the_others_go_on() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = signed_in(&sandbox, dir.path()).await;
    let (watcher, _control) = Watcher::new(session, ids(&["99999", "12345"]), every(Duration::from_millis(50)));
    let events = run_until(watcher, |event| match event {
        WatchEvent::Round(3) => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .await;
    let failures: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Failed(f) => Some(f),
            _ => None,
        })
        .collect();
    assert!(failures.len() >= 3, "{events:#?}");
    assert!(
        failures.iter().all(|f| f.process_id == "99999"
            && f.scope == Scope::Process
            && matches!(f.error, ApiError::NotFound { .. }))
    );
    let repeated: Vec<bool> = failures.iter().map(|f| f.repeated).collect();
    assert!(
        !repeated[0] && repeated[1..].iter().all(|r| *r),
        "said once, then known: {repeated:?}"
    );
    assert_eq!(news(&events), [owned("12345", None, "In Progress")]);
    assert!(checks(&events).len() >= 3);
    let rounds: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Round(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(rounds, [1, 2, 3]);
    assert!(!events.iter().any(|e| matches!(e, WatchEvent::Paused { .. })));
    Ok(())
}

/// Each answer takes three intervals: slots go by unused, and a process's
/// next request starts only once its answer is in, never beside it.
#[tokio::test]
async fn a_slow_answer_never_has_a_second_request_beside_it() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions {
        faults: Faults {
            latency_ms: 150,
            ..Faults::default()
        },
        ..SandboxOptions::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let session = signed_in(&sandbox, dir.path()).await;
    let (watcher, _control) = Watcher::new(session, ids(&["12345", "12346"]), every(Duration::from_millis(50)));
    let mut done = std::collections::HashMap::<String, usize>::new();
    let mut mismatches = Vec::new();
    run_until(watcher, |event| {
        if let WatchEvent::Checked(check) = event {
            let n = done.entry(check.process_id.clone()).or_default();
            *n += 1;
            let sent = metadata_requests(&sandbox, &check.process_id);
            if sent != *n {
                mismatches.push((check.process_id.clone(), *n, sent));
            }
        }
        match event {
            WatchEvent::Round(4) => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    })
    .await;
    assert!(mismatches.is_empty(), "(id, checks, requests): {mismatches:?}");
    Ok(())
}

/// The sandbox allows one request a second and answers the rest 429 with
/// `Retry-After: 1`. The client retries once (50 ms at most in this test),
/// is refused again, and the watch then waits the whole second the server
/// asked for before one probe goes out.
#[tokio::test]
async fn a_429_pauses_every_check_for_its_retry_after() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions {
        faults: Faults {
            rate_limit: Some(1),
            ..Faults::default()
        },
        ..SandboxOptions::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let session = signed_in(&sandbox, dir.path()).await;
    let (watcher, _control) = Watcher::new(session, ids(&["12345"]), every(Duration::from_millis(100)));
    let (mut at_pause, mut at_resume) = (None, None);
    let events = run_until(watcher, |event| {
        match event {
            WatchEvent::Paused { .. } => at_pause = Some(sandbox.requests().len()),
            WatchEvent::Resumed => at_resume = Some(sandbox.requests().len()),
            WatchEvent::Checked(_) => return ControlFlow::Break(()),
            _ => {}
        }
        ControlFlow::Continue(())
    })
    .await;
    let Some(WatchEvent::Paused { error, retry_in }) = events.iter().find(|e| matches!(e, WatchEvent::Paused { .. }))
    else {
        panic!("no pause: {events:#?}");
    };
    assert!(matches!(error, ApiError::RateLimited { .. }), "{error:?}");
    assert!(
        *retry_in >= Duration::from_secs(1),
        "Retry-After: 1 was cut to {retry_in:?}"
    );
    let (paused, resumed) = (at_pause.unwrap(), at_resume.unwrap());
    assert_eq!(resumed, paused + 1, "one probe, nothing else, during the pause");
    assert_eq!(news(&events), [owned("12345", None, "In Progress")]);
    Ok(())
}

#[tokio::test]
async fn a_lost_connection_is_waited_out() -> TestResult {
    let port = common::closed_port();
    let base_url = format!("http://127.0.0.1:{port}/api");
    let dir = tempfile::tempdir()?;
    let session = Session::new("default", base_url.as_str(), DEMO_EMAIL, SecretString::from("t"));
    TokenStore::new(dir.path().join("sessions")).save(&session)?;
    let session = manager(&base_url, dir.path());
    assert!(session.resume().await?.is_some());
    let (watcher, _control) = Watcher::new(Arc::new(session), ids(&["12345"]), every(Duration::from_millis(100)));
    let mut server = None;
    let events = run_until(watcher, |event| match event {
        WatchEvent::Paused { .. } => {
            let body = br#"{"process_id":"12345","name":"Odoo Billing Process","status":"In Progress","documents":[]}"#;
            server = Some(RawServer::start_on(port, |_| json("200 OK", body)));
            ControlFlow::Continue(())
        }
        WatchEvent::Checked(_) => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .await;
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            WatchEvent::Failed(f) if f.scope == Scope::Server && matches!(f.error, ApiError::Connect { .. }) => {
                "unreachable"
            }
            WatchEvent::Paused { .. } => "paused",
            WatchEvent::Resumed => "resumed",
            WatchEvent::Checked(_) => "checked",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["unreachable", "paused", "resumed", "checked"], "{events:#?}");
    assert_eq!(news(&events), [owned("12345", None, "In Progress")]);
    assert!(server.is_some_and(|s| s.hits() == 1));
    Ok(())
}

#[tokio::test]
async fn processes_can_be_watched_and_unwatched_while_it_runs() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = signed_in(&sandbox, dir.path()).await;
    let (watcher, control) = Watcher::new(session.clone(), Vec::<String>::new(), every(Duration::from_millis(50)));
    control.watch("12345");
    let mut swapped = false;
    let events = run_until(watcher, |event| {
        let WatchEvent::Checked(check) = event else {
            return ControlFlow::Continue(());
        };
        if check.process_id == "12345" && !swapped {
            control.unwatch("12345");
            control.watch("12347");
            swapped = true;
        }
        let again = check.process_id == "12347" && check.change == Change::Same;
        if again {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .await;
    let order: Vec<&str> = checks(&events).iter().map(|c| c.process_id.as_str()).collect();
    assert_eq!(order, ["12345", "12347", "12347"], "nothing of 12345 after its unwatch");

    let (idle, control) = Watcher::new(session, Vec::<String>::new(), every(Duration::from_millis(50)));
    drop(control);
    // Spawned, as the TUI's worker runs it: the watch is Send.
    let task = tokio::spawn(idle.run(|_| ControlFlow::Continue(())));
    let ended = tokio::time::timeout(Duration::from_secs(60), task).await;
    assert!(
        matches!(ended, Ok(Ok(()))),
        "nothing watched and no control left: the watch ends"
    );
    Ok(())
}

#[tokio::test]
async fn the_sandbox_moves_a_status_on_and_leaves_the_rest_of_the_process() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions {
        extra_processes: 3,
        ..SandboxOptions::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let session = signed_in(&sandbox, dir.path()).await;
    let get = |id: &str| {
        let (session, query) = (session.clone(), ProcessQuery::Id(id.into()));
        async move { lookup::process(&session, &query, None).await.unwrap().remove(0) }
    };
    let before = get("12347").await;
    assert_eq!(before.status.as_deref(), Some("Pending"));
    assert_eq!(sandbox.advance("12347"), Some("In Progress"));
    let after = get("12347").await;
    assert_eq!(after.status.as_deref(), Some("In Progress"));
    assert_eq!(
        (after.name, after.documents, after.extra),
        (before.name, before.documents, before.extra)
    );
    assert_eq!(sandbox.advance("12347"), Some("Completed"));
    assert_eq!(sandbox.advance("12347"), Some("Completed"), "the last state stays");
    assert_eq!(sandbox.advance("99999"), None);
    let last_extra = (FIRST_EXTRA_PROCESS_ID + 2).to_string();
    assert_eq!(get(&last_extra).await.status.as_deref(), Some("In Progress"));
    let past = (FIRST_EXTRA_PROCESS_ID + 3).to_string();
    let missing = lookup::process(&session, &ProcessQuery::Id(past), None).await;
    assert!(matches!(missing, Err(ApiError::NotFound { .. })), "{missing:?}");
    Ok(())
}

// ------------------------------------------------------------------ the command

struct Watching {
    child: Child,
    lines: Option<std::io::Lines<BufReader<ChildStdout>>>,
}

impl Watching {
    fn start(rig: &Rig, args: &[&str]) -> Watching {
        let mut child = common::isolated(env!("CARGO_BIN_EXE_trackline"), rig.home.path())
            .arg("watch")
            .args(args)
            .env("TRACKLINE_BASE_URL", rig.base_url())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Some(BufReader::new(child.stdout.take().unwrap()).lines());
        Watching { child, lines }
    }

    fn line(&mut self) -> String {
        match self.lines.as_mut().and_then(Iterator::next) {
            Some(line) => line.unwrap(),
            None => panic!("stdout ended; stderr: {}", self.stderr()),
        }
    }

    fn stderr(&mut self) -> String {
        let mut text = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        }
        text
    }

    fn exit(&mut self) -> i32 {
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

fn logged_in() -> Rig {
    let rig = Rig::new();
    rig.login();
    rig
}

fn json_line(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

#[test]
fn first_lines_come_in_the_order_given_then_one_per_change_until_sigterm() {
    let rig = logged_in();
    let mut watch = Watching::start(&rig, &["12347", "12345", "--interval", "1"]);
    let first = watch.line();
    let second = watch.line();
    assert!(
        first.ends_with(" 12347 Supplier Onboarding Nordlicht: Pending"),
        "{first}"
    );
    assert!(second.ends_with(" 12345 Odoo Billing Process: In Progress"), "{second}");
    let when = first.split(' ').take(2).collect::<Vec<_>>().join(" ");
    assert!(
        time::PrimitiveDateTime::parse(
            &when,
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]")
        )
        .is_ok(),
        "{first}"
    );
    rig.sandbox.advance("12347");
    let change = watch.line();
    assert!(
        change.ends_with(" 12347 Supplier Onboarding Nordlicht: Pending → In Progress"),
        "{change}"
    );
    send_signal(watch.child.id(), "TERM");
    assert_eq!(watch.exit(), 143);
    assert_eq!(watch.stderr(), "");
}

#[test]
fn json_lines_and_until_a_status_in_any_case() {
    let rig = logged_in();
    let mut watch = Watching::start(&rig, &["12347", "--json", "--until", "COMPLETED", "--interval", "1"]);
    let first = json_line(&watch.line());
    assert_eq!(first["process_id"], "12347");
    assert_eq!(first["process_name"], "Supplier Onboarding Nordlicht");
    assert_eq!(first["status"], "Pending");
    assert_eq!(first["previous"], serde_json::Value::Null);
    let at = first["at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).is_ok(),
        "{at}"
    );
    rig.sandbox.advance("12347");
    let second = json_line(&watch.line());
    assert_eq!(second["previous"], "Pending");
    assert_eq!(second["status"], "In Progress");
    rig.sandbox.advance("12347");
    let third = json_line(&watch.line());
    assert_eq!(third["previous"], "In Progress");
    assert_eq!(third["status"], "Completed");
    assert_eq!(watch.exit(), 0, "every process is Completed");
    assert!(watch.lines.as_mut().and_then(Iterator::next).is_none());
}

#[test]
fn count_ends_after_its_rounds_and_a_missing_process_is_said_once_on_stderr() {
    let rig = logged_in();
    let output = rig
        .cmd()
        .args(["watch", "99999", "12345", "--count", "2", "--interval", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let lines = common::stdout_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].ends_with(" 12345 Odoo Billing Process: In Progress"),
        "{lines:?}"
    );
    assert_eq!(stderr.matches("process 99999 was not found").count(), 1, "{stderr}");
    assert!(metadata_requests(&rig.sandbox, "12345") >= 2);
    assert!(metadata_requests(&rig.sandbox, "99999") >= 2);

    let only_missing = rig.cmd().args(["watch", "99999", "--count", "1"]).output().unwrap();
    assert_eq!(only_missing.status.code(), Some(4), "nothing was ever seen");
}

#[test]
fn ids_come_from_the_command_line_and_a_file_each_once() {
    let rig = logged_in();
    let file = rig.home.path().join("ids.csv");
    std::fs::write(&file, "process_id,customer\n12346,ACME\n12345,Nordlicht\n").unwrap();
    let output = rig
        .cmd()
        .args([
            "watch",
            "12345",
            "--ids-from",
            file.to_str().unwrap(),
            "--count",
            "1",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let ids: Vec<String> = common::stdout_lines(&output)
        .iter()
        .map(|l| json_line(l)["process_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["12345", "12346"]);
    let refusals: [&[&str]; 3] = [
        &["watch"],
        &["watch", "12345", "--interval", "0"],
        &["watch", "12345", "--count", "0"],
    ];
    for bad in refusals {
        let refused = rig.cmd().args(bad).output().unwrap();
        assert_eq!(refused.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn a_rate_limited_server_slows_the_watch_down_but_every_process_is_seen() {
    let rig = Rig::with_faults(Faults {
        rate_limit: Some(1),
        ..Faults::default()
    });
    rig.login();
    let output = rig
        .cmd()
        .args(["watch", "12345", "12347", "12351", "--count", "1", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = common::stdout_lines(&output);
    let ids: Vec<String> = lines
        .iter()
        .map(|l| json_line(l)["process_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["12345", "12347", "12351"]);
    let metadata: usize = ["12345", "12347", "12351"]
        .iter()
        .map(|id| metadata_requests(&rig.sandbox, id))
        .sum();
    assert!(metadata > 3, "the 429s were retried: {metadata} requests");
}

#[test]
fn ctrl_c_ends_it_with_130_and_a_closed_stdout_quietly() {
    let rig = logged_in();
    let mut watch = Watching::start(&rig, &["12345", "--interval", "1"]);
    watch.line();
    send_signal(watch.child.id(), "INT");
    assert_eq!(watch.exit(), 130);

    let mut watch = Watching::start(&rig, &["12345", "12346", "--interval", "3600"]);
    watch.line();
    watch.lines = None;
    assert_eq!(watch.exit(), 141, "the reader went away: no more to do");
    assert_eq!(watch.stderr(), "");
}

/// Between rounds the watch sleeps until the next check is due: over two
/// intervals of 2 s its CPU time grows by a tick or two (0 here). A loop that
/// wakes every millisecond takes over 20, a spinning one hundreds; the bound
/// is 10 (0.1 s of CPU). It is measured over the rounds themselves, from a
/// line to the sandbox's second request after it, not over a fixed time.
#[cfg(target_os = "linux")]
#[test]
fn between_rounds_it_uses_no_cpu() {
    fn cpu_ticks(pid: u32) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }
    let rig = logged_in();
    let mut watch = Watching::start(&rig, &["12345", "--interval", "2"]);
    watch.line();
    let before = cpu_ticks(watch.child.id());
    let asked = metadata_requests(&rig.sandbox, "12345");
    common::wait_until("two more rounds", || {
        metadata_requests(&rig.sandbox, "12345") >= asked + 2
    });
    let used = cpu_ticks(watch.child.id()) - before;
    send_signal(watch.child.id(), "TERM");
    assert_eq!(watch.exit(), 143);
    assert!(used <= 10, "{used} ticks of CPU over two idle rounds");
}

#[test]
fn watch_without_ids_watches_the_profile_s_watched_set_or_says_it_is_empty() {
    let rig = logged_in();
    let empty = rig.cmd().args(["watch", "--count", "1"]).output().unwrap();
    assert_eq!(empty.status.code(), Some(2));
    let told = String::from_utf8_lossy(&empty.stderr);
    assert!(told.contains("default watches nothing yet"), "{told}");

    // The set the TUI's `w` keeps, in its order.
    let file = trackline::index::Index::path_for(&rig.data_dir(), "default").unwrap();
    let set = [
        trackline::store::WatchedEntry::new("12351"),
        trackline::store::WatchedEntry::new("12345"),
    ];
    trackline::index::Index::open(&file)
        .unwrap()
        .index
        .save_watched(&set)
        .unwrap();
    let output = rig.cmd().args(["watch", "--count", "1", "--json"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ids: Vec<String> = common::stdout_lines(&output)
        .iter()
        .map(|l| json_line(l)["process_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["12351", "12345"]);
    // Ids given on the command line are watched instead.
    let given = rig
        .cmd()
        .args(["watch", "12347", "--count", "1", "--json"])
        .output()
        .unwrap();
    assert_eq!(common::stdout_lines(&given).len(), 1);
}
