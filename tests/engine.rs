//! The engine both front ends share, against the real sandbox over loopback:
//! one renewal for a burst of refused requests, credentials that run out, the
//! stored session of another server, and download slots held until a
//! cancelled download has really stopped.

use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use trackline::api::client::RetryPolicy;
use trackline::api::{ApiError, ProcessQuery};
use trackline::engine::queue::EventHook;
use trackline::engine::{
    ClientFactory, CredentialSource, Credentials, DownloadEvent, DownloadQueue, KeptPassword, NoCredentials, Profile,
    SessionManager, lookup,
};
use trackline::sandbox::{DEMO_EMAIL, DEMO_PASSWORD, Faults, LARGE_DOC_ID, Sandbox, SandboxOptions};
use trackline::store::{ProfileMemory, Session, TokenStore};
use trackline::transfer::{DownloadRequest, TransferError};

type TestResult = Result<(), Box<dyn std::error::Error>>;

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

fn profile(dir: &std::path::Path) -> Profile {
    Profile {
        name: "default".into(),
        tokens: TokenStore::new(dir.join("sessions")),
        memory: ProfileMemory::new(dir.join("profiles.json")),
    }
}

fn demo() -> Credentials {
    Credentials {
        email: DEMO_EMAIL.into(),
        password: SecretString::from(DEMO_PASSWORD),
    }
}

fn manager(sandbox: &Sandbox, dir: &std::path::Path, credentials: Arc<dyn CredentialSource>) -> SessionManager {
    match SessionManager::new(factory(), profile(dir), &sandbox.base_url(), credentials) {
        Ok(manager) => manager,
        Err(error) => panic!("cannot make the session manager: {error}"),
    }
}

fn guide_query() -> ProcessQuery {
    ProcessQuery::Id("12345".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_refused_requests_costs_one_login() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let kept = Arc::new(KeptPassword::default());
    kept.keep(Some(demo()));
    let session = Arc::new(manager(&sandbox, dir.path(), kept.clone()));
    session.login(None, &demo()).await?.stored?;
    assert_eq!(sandbox.login_count(), 1);
    sandbox.expire_issued_tokens();
    let lookups: Vec<_> = (0..8)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { lookup::process(&session, &guide_query(), None).await })
        })
        .collect();
    for lookup in lookups {
        let processes = lookup.await??;
        assert_eq!(
            processes.first().map(|p| p.process_id.to_string()).as_deref(),
            Some("12345")
        );
    }
    assert_eq!(sandbox.login_count(), 2, "one login, then exactly one renewal");
    let stored = TokenStore::new(dir.path().join("sessions")).load("default")?;
    assert!(stored.is_some_and(|s| s.is_for(&sandbox.base_url())));
    sandbox.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn without_credentials_a_refused_session_stays_refused() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = manager(&sandbox, dir.path(), Arc::new(NoCredentials));
    session.login(None, &demo()).await?.stored?;
    sandbox.expire_issued_tokens();
    let refused = lookup::process(&session, &guide_query(), None).await;
    assert!(matches!(refused, Err(ApiError::Unauthorized { .. })), "{refused:?}");
    assert_eq!(refused.err().map(|e| e.exit_code()), Some(3));
    assert_eq!(sandbox.login_count(), 1);
    sandbox.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn a_kept_password_the_server_refuses_is_forgotten() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let kept = Arc::new(KeptPassword::default());
    kept.keep(Some(Credentials {
        email: DEMO_EMAIL.into(),
        password: SecretString::from("not the password"),
    }));
    let session = manager(&sandbox, dir.path(), kept.clone());
    session.login(None, &demo()).await?.stored?;
    sandbox.expire_issued_tokens();
    assert!(lookup::process(&session, &guide_query(), None).await.is_err());
    assert!(!kept.is_kept(), "a refused password must not be tried again and again");
    sandbox.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn the_stored_session_of_another_server_is_not_used() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let elsewhere = Session::new("default", "http://127.0.0.1:9/api", DEMO_EMAIL, SecretString::from("t"));
    TokenStore::new(dir.path().join("sessions")).save(&elsewhere)?;
    let session = manager(&sandbox, dir.path(), Arc::new(NoCredentials));
    assert!(session.resume().await?.is_none());
    assert!(!session.client().has_token());
    let refused = session.sign_in().await;
    assert!(
        refused.is_err(),
        "no stored session here and no credentials: not signed in"
    );
    session.login(None, &demo()).await?.stored?;
    let again = manager(&sandbox, dir.path(), Arc::new(NoCredentials));
    let resumed = again.resume().await?;
    assert_eq!(resumed.map(|s| s.email).as_deref(), Some(DEMO_EMAIL));
    assert!(again.client().has_token());
    sandbox.shutdown().await;
    Ok(())
}

/// A sandbox that stalls the first long download after 64 KiB, and a
/// signed-in queue of one slot on it (with the temp dir it saves into).
async fn one_slot_queue_on_a_stalling_sandbox()
-> Result<(Sandbox, tempfile::TempDir, Arc<DownloadQueue>), Box<dyn std::error::Error>> {
    let faults = Faults {
        stall_after_bytes: Some(64 * 1024),
        ..Faults::default()
    };
    signed_in_queue(faults, 1).await
}

/// A sandbox with `faults`, and a signed-in queue of `slots` on it (with
/// the temp dir it saves into).
async fn signed_in_queue(
    faults: Faults,
    slots: usize,
) -> Result<(Sandbox, tempfile::TempDir, Arc<DownloadQueue>), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxOptions {
        faults,
        ..SandboxOptions::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let session = manager(&sandbox, dir.path(), Arc::new(NoCredentials));
    session.login(None, &demo()).await?.stored?;
    Ok((sandbox, dir, Arc::new(DownloadQueue::new(Arc::new(session), slots))))
}

/// The defect behind a flaky "r after X": a download asked again right
/// after a cancel found the `.part` still held by the cancelled one and
/// started from zero. It now waits for the cancelled one to let go, and resumes.
#[tokio::test]
async fn a_download_asked_again_right_after_a_cancel_resumes_the_part() -> TestResult {
    let faults = Faults {
        trickle_ms: Some(2),
        ..Faults::default()
    };
    let (sandbox, dir, queue) = signed_in_queue(faults, 2).await?;
    let downloads = dir.path().join("downloads");
    let (tx, mut news) = mpsc::unbounded_channel();
    let hook = |which: &'static str| -> EventHook {
        let tx = tx.clone();
        Arc::new(move |event| {
            let _ = tx.send((which, event));
        })
    };
    let first_cancel = queue.register(1);
    let first = tokio::spawn({
        let (queue, request, hook) = (
            queue.clone(),
            DownloadRequest::new(LARGE_DOC_ID, &downloads),
            hook("first"),
        );
        async move { queue.download(Some(1), &request, &first_cancel, hook).await }
    });
    while let Some((_, event)) = news.recv().await {
        if matches!(event, DownloadEvent::Progress(p) if p.received >= 16 * 1024) {
            break;
        }
    }
    assert!(queue.cancel(1));
    let second_cancel = queue.register(2);
    let second = tokio::spawn({
        let (queue, request, hook) = (
            queue.clone(),
            DownloadRequest::new(LARGE_DOC_ID, &downloads),
            hook("second"),
        );
        async move { queue.download(Some(2), &request, &second_cancel, hook).await }
    });
    let resumed_at = loop {
        match news.recv().await {
            Some(("second", DownloadEvent::Started { received, .. })) => break received,
            Some(_) => {}
            None => panic!("the second download never started"),
        }
    };
    assert!(
        resumed_at >= 16 * 1024,
        "the second download resumes the first one's part, not from {resumed_at}"
    );
    assert!(matches!(first.await?, Err(TransferError::Cancelled { .. })));
    assert!(queue.cancel(2));
    assert!(matches!(second.await?, Err(TransferError::Cancelled { .. })));
    let ranges: Vec<_> = sandbox
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/attachment/file"))
        .map(|r| r.range)
        .collect();
    assert!(matches!(ranges.as_slice(), [None, Some(_)]), "{ranges:?}");
    sandbox.shutdown().await;
    Ok(())
}

/// The defect of the first round: cancelling a download freed its slot before
/// the download had stopped, so `concurrency + 1` could run. The slot is the
/// download's own now: held until its future has returned. (A current-thread
/// runtime: nothing else runs between two statements without an `.await`.)
#[tokio::test]
async fn a_cancelled_download_holds_its_slot_until_it_has_stopped() -> TestResult {
    let (sandbox, dir, queue) = one_slot_queue_on_a_stalling_sandbox().await?;
    let (tx, mut started) = mpsc::unbounded_channel();
    let first_events = tx.clone();
    let on_first: EventHook = Arc::new(move |event| {
        if let DownloadEvent::Started { .. } = event {
            let _ = first_events.send("first");
        }
    });
    let on_second: EventHook = Arc::new(move |event| {
        if let DownloadEvent::Started { .. } = event {
            let _ = tx.send("second");
        }
    });
    let downloads = dir.path().join("downloads");
    let first_cancel = queue.register(1);
    let first = tokio::spawn({
        let (queue, request) = (queue.clone(), DownloadRequest::new(LARGE_DOC_ID, &downloads));
        async move { queue.download(Some(1), &request, &first_cancel, on_first).await }
    });
    assert_eq!(started.recv().await, Some("first"));
    assert_eq!(queue.free_slots(), 0);
    let second = tokio::spawn({
        let (queue, request) = (queue.clone(), DownloadRequest::new("98765", &downloads));
        async move {
            queue
                .download(None, &request, &CancellationToken::new(), on_second)
                .await
        }
    });
    tokio::task::yield_now().await;
    assert!(queue.cancel(1));
    assert_eq!(
        queue.free_slots(),
        0,
        "the slot is freed by the download stopping, not by the cancel"
    );
    let cancelled = first.await?;
    assert!(
        matches!(cancelled, Err(TransferError::Cancelled { part: Some(_) })),
        "{cancelled:?}"
    );
    assert_eq!(started.recv().await, Some("second"));
    let saved = second.await??;
    assert_eq!(saved.attachment_id, "98765");
    assert!(saved.path.is_file());
    assert!(!queue.cancel(1), "a finished download is no longer registered");
    sandbox.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn cancel_all_stops_queued_and_running_downloads() -> TestResult {
    let (sandbox, dir, queue) = one_slot_queue_on_a_stalling_sandbox().await?;
    let (tx, mut started) = mpsc::unbounded_channel();
    let on_event: EventHook = Arc::new(move |event| {
        if let DownloadEvent::Started { .. } = event {
            let _ = tx.send(());
        }
    });
    let downloads = dir.path().join("downloads");
    let tasks: Vec<_> = [(1, LARGE_DOC_ID), (2, "98765")]
        .into_iter()
        .map(|(key, id)| {
            let cancel = queue.register(key);
            let (queue, on_event, request) = (queue.clone(), on_event.clone(), DownloadRequest::new(id, &downloads));
            tokio::spawn(async move { queue.download(Some(key), &request, &cancel, on_event).await })
        })
        .collect();
    assert_eq!(started.recv().await, Some(()));
    queue.cancel_all();
    for task in tasks {
        let result = task.await?;
        assert!(matches!(result, Err(TransferError::Cancelled { .. })), "{result:?}");
    }
    assert_eq!(queue.free_slots(), 1);
    // A download asked for after it runs as usual.
    let cancel = queue.register(3);
    let saved = queue
        .download(Some(3), &DownloadRequest::new("98765", &downloads), &cancel, on_event)
        .await?;
    assert!(saved.path.exists());
    sandbox.shutdown().await;
    Ok(())
}
