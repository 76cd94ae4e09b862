//! Watching processes, against the real sandbox over loopback: the engine's
//! [`Watcher`] (first statuses, changes as the sandbox advances a process, a
//! missing process, one request in flight per process, a 429's Retry-After, a
//! lost connection waited out, a set that changes while it runs), and the
//! sandbox's moving statuses.
//! Every test waits on events (a line, an event, an exit), never on time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::raw::{RawServer, json};
use secrecy::SecretString;
use std::ops::ControlFlow;
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
    let ended = tokio::time::timeout(Duration::from_secs(60), idle.run(|_| ControlFlow::Continue(()))).await;
    assert!(ended.is_ok(), "nothing watched and no control left: the watch ends");
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
