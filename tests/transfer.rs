//! The download engine against the real sandbox over loopback sockets.

use secrecy::SecretString;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use trackline::api::client::RetryPolicy;
use trackline::api::{ApiError, Client, ClientOptions, RetryNotice};
use trackline::exit;
use trackline::sandbox::{
    DEMO_EMAIL, DEMO_PASSWORD, Faults, GUIDE_DOC_ID, HOSTILE_PROCESS_ID, LARGE_DOC_ID, LARGE_LEN,
    MISSING_ATTACHMENT_ID, RecordedRequest, Sandbox, SandboxOptions, sample_data,
};
use trackline::transfer::resume;
use trackline::transfer::{DownloadRequest, Progress, TransferError, TransferOptions, download, download_with};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The largest small sample file (`Receipt_Photo.jpg`), cut in the middle by the faults below.
const PHOTO_DOC_ID: &str = "98768";

async fn logged_in(sandbox: &Sandbox) -> Result<Client, ApiError> {
    logged_in_with(sandbox, fast_retry(5)).await
}

async fn logged_in_with(sandbox: &Sandbox, retry: RetryPolicy) -> Result<Client, ApiError> {
    let options = ClientOptions {
        retry,
        ..ClientOptions::default()
    };
    let client = Client::new(&sandbox.base_url(), options)?;
    let token = client.login(DEMO_EMAIL, &SecretString::from(DEMO_PASSWORD)).await?;
    Ok(client.with_token(token))
}

/// A policy that retries `attempts` times with short waits (a server's
/// Retry-After is capped at one second).
fn fast_retry(attempts: usize) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(1),
        on_retry: None,
    }
}

fn options(attempts: usize) -> TransferOptions {
    TransferOptions::with_retry(fast_retry(attempts))
}

fn sandbox_options(faults: Faults) -> SandboxOptions {
    SandboxOptions {
        faults,
        ..SandboxOptions::default()
    }
}

fn cut_in_half(doc_id: &str) -> Result<Faults, String> {
    let len = sample_data().document_len(doc_id).ok_or("no such document")?;
    Ok(Faults {
        drop_after_bytes: Some(len / 2),
        ..Faults::default()
    })
}

/// The requests for attachment files the sandbox has seen.
fn file_requests(sandbox: &Sandbox) -> Vec<RecordedRequest> {
    sandbox
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/attachment/file"))
        .collect()
}

/// The files in `dir`, resume records left out.
fn names_in(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.as_ref().map_or(true, |n| !resume::is_record_name(n)))
        .collect::<std::io::Result<Vec<_>>>()?;
    names.sort();
    Ok(names)
}

/// Every entry of `dir`, resume records included.
fn everything_in(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<Vec<_>>>()?;
    names.sort();
    Ok(names)
}

#[tokio::test]
async fn the_guide_invoice_downloads_and_a_second_copy_gets_a_number() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let request = DownloadRequest::new(GUIDE_DOC_ID, dir.path());
    let cancel = CancellationToken::new();
    let mut last = None;

    let first = download(&client, &request, &cancel, |p| last = Some(p)).await?;
    let second = download(&client, &request, &cancel, |_| {}).await?;

    let expected_sha = sample_data().document_sha256(GUIDE_DOC_ID).ok_or("no sha")?;
    let expected_len = sample_data().document_len(GUIDE_DOC_ID).ok_or("no len")?;
    assert_eq!(first.path, dir.path().join("Invoice_001.pdf"));
    assert_eq!(second.path, dir.path().join("Invoice_001 (1).pdf"));
    for saved in [&first, &second] {
        assert_eq!(saved.attachment_id, GUIDE_DOC_ID);
        assert_eq!(saved.sha256, expected_sha);
        assert_eq!(saved.bytes, expected_len);
        assert_eq!(fs::metadata(&saved.path)?.len(), expected_len);
    }
    assert_eq!(
        last,
        Some(Progress {
            received: expected_len,
            total: Some(expected_len)
        })
    );
    assert_eq!(names_in(dir.path())?, ["Invoice_001 (1).pdf", "Invoice_001.pdf"]);
    Ok(())
}

#[tokio::test]
async fn hostile_names_are_saved_safely_inside_the_directory() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let client = logged_in(&sandbox).await?;
    // Two levels down, so that `../../x` escaping would land in `outer`.
    let outer = tempfile::tempdir()?;
    let target = outer.path().join("a").join("b");
    std::fs::create_dir_all(&target)?;
    let root = std::path::absolute(&target)?;
    let cancel = CancellationToken::new();
    let documents: Vec<_> = sample_data()
        .documents()
        .iter()
        .filter(|d| d.process_id == HOSTILE_PROCESS_ID && d.file_len().is_some())
        .collect();
    assert!(documents.len() > 10);

    for document in &documents {
        let mut request = DownloadRequest::new(document.doc_id.clone(), target.as_path());
        request.doc_name = document.doc_name.clone();
        let saved = download(&client, &request, &cancel, |_| {}).await?;
        assert_eq!(saved.path.parent(), Some(root.as_path()), "{saved:?}");
        assert_eq!(Some(saved.sha256), sample_data().document_sha256(&document.doc_id));
    }

    let names = names_in(target.as_path())?;
    assert_eq!(names.len(), documents.len());
    for name in &names {
        assert!(!name.starts_with('.') && !name.starts_with('-'), "{name:?}");
        assert!(name.len() <= 255, "{name:?}");
        assert!(!name.chars().any(|c| c.is_control() || c == '\u{202e}'), "{name:?}");
    }
    assert!(names.iter().any(|n| n == "_.._x"));
    assert!(names.iter().any(|n| n == "_etc_passwd"));
    assert!(names.iter().any(|n| n == "Счёт-фактура №17.pdf"));
    assert!(!outer.path().join("x").exists() && !outer.path().join("a").join("x").exists());
    Ok(())
}

#[tokio::test]
async fn a_missing_attachment_is_not_found_and_writes_nothing() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let target = dir.path().join("downloads");
    let request = DownloadRequest::new(MISSING_ATTACHMENT_ID, &target);

    let error = download(&client, &request, &CancellationToken::new(), |_| {})
        .await
        .err()
        .ok_or("a missing attachment must fail")?;

    assert!(
        matches!(error, TransferError::Api(ApiError::NotFound { .. })),
        "{error}"
    );
    assert_eq!(error.exit_code(), exit::NOT_FOUND);
    assert!(!target.exists());
    Ok(())
}

#[tokio::test]
async fn an_existing_output_file_is_refused_before_any_request() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let output = dir.path().join("mine.pdf");
    fs::write(&output, b"keep me")?;
    let mut request = DownloadRequest::new(GUIDE_DOC_ID, dir.path());
    request.output = Some(output.clone());

    let error = download(&client, &request, &CancellationToken::new(), |_| {})
        .await
        .err()
        .ok_or("an existing --output must fail")?;

    assert!(matches!(error, TransferError::Exists { .. }), "{error}");
    assert_eq!(fs::read(&output)?, b"keep me");
    assert!(!sandbox.requests().iter().any(|r| r.path.ends_with("/attachment/file")));
    Ok(())
}

#[tokio::test]
async fn cancelling_a_large_download_keeps_the_part() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let request = DownloadRequest::new(LARGE_DOC_ID, dir.path());
    let cancel = CancellationToken::new();

    let error = download(&client, &request, &cancel, |progress| {
        if progress.received > 0 {
            cancel.cancel();
        }
    })
    .await
    .err()
    .ok_or("a cancelled download must fail")?;

    assert!(matches!(error, TransferError::Cancelled { part: Some(_) }), "{error}");
    let part = error.part_path().ok_or("the part must be kept")?;
    let kept = fs::metadata(part)?.len();
    assert!(kept > 0 && kept < LARGE_LEN, "{kept}");
    assert_eq!(names_in(dir.path())?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_download_cut_in_half_resumes_with_range_and_the_sha256_matches() -> TestResult {
    let sandbox = Sandbox::start(sandbox_options(cut_in_half(PHOTO_DOC_ID)?)).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let request = DownloadRequest::new(PHOTO_DOC_ID, dir.path());

    let saved = download_with(&client, &request, &options(3), &CancellationToken::new(), |_| {}).await?;

    assert_eq!(Some(saved.sha256.clone()), sample_data().document_sha256(PHOTO_DOC_ID));
    assert_eq!(Some(saved.bytes), sample_data().document_len(PHOTO_DOC_ID));
    assert_eq!(
        fs::read(&saved.path)?,
        sample_data().document_bytes(PHOTO_DOC_ID).ok_or("no bytes")?
    );
    let requests = file_requests(&sandbox);
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].range, None);
    let range = requests[1].range.as_deref().ok_or("the retry must ask for a range")?;
    let offset: u64 = range
        .strip_prefix("bytes=")
        .and_then(|r| r.strip_suffix('-'))
        .ok_or("not an open range")?
        .parse()?;
    let half = sample_data().document_len(PHOTO_DOC_ID).ok_or("no len")? / 2;
    assert!(offset > 0 && offset <= half, "{range}");
    let etag = sample_data()
        .etag(sample_data().document(PHOTO_DOC_ID).ok_or("no doc")?)
        .ok_or("no etag")?;
    assert_eq!(requests[1].if_range.as_deref(), Some(etag.as_str()));
    assert_eq!(everything_in(dir.path())?, ["Receipt_Photo.jpg"]);
    Ok(())
}

#[tokio::test]
async fn a_server_that_ignores_ranges_gets_a_clean_restart() -> TestResult {
    let faults = Faults {
        no_range: true,
        ..cut_in_half(PHOTO_DOC_ID)?
    };
    let sandbox = Sandbox::start(sandbox_options(faults)).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let request = DownloadRequest::new(PHOTO_DOC_ID, dir.path());

    let saved = download_with(&client, &request, &options(3), &CancellationToken::new(), |_| {}).await?;

    // The whole file again from the first byte, not appended to the half.
    assert_eq!(
        fs::read(&saved.path)?,
        sample_data().document_bytes(PHOTO_DOC_ID).ok_or("no bytes")?
    );
    assert_eq!(Some(saved.sha256), sample_data().document_sha256(PHOTO_DOC_ID));
    let requests = file_requests(&sandbox);
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests[1].range.is_some(), "{requests:?}");
    assert_eq!(everything_in(dir.path())?, ["Receipt_Photo.jpg"]);
    Ok(())
}

#[tokio::test]
async fn a_later_run_resumes_the_part_a_cut_run_left() -> TestResult {
    let sandbox = Sandbox::start(sandbox_options(cut_in_half(PHOTO_DOC_ID)?)).await?;
    let dir = tempfile::tempdir()?;
    let mut request = DownloadRequest::new(PHOTO_DOC_ID, dir.path());
    request.doc_name = Some("Receipt_Photo.jpg".into());

    let first_run = logged_in(&sandbox).await?;
    let error = download_with(&first_run, &request, &options(1), &CancellationToken::new(), |_| {})
        .await
        .err()
        .ok_or("a cut download without retries must fail")?;
    assert!(matches!(error, TransferError::Interrupted { .. }), "{error}");
    assert_eq!(error.exit_code(), exit::UNAVAILABLE);
    let part = error.part_path().ok_or("the part must be kept")?.to_path_buf();
    let kept = fs::metadata(&part)?.len();
    assert!(kept > 0, "the cut must come after some bytes");
    assert_eq!(names_in(dir.path())?, ["Receipt_Photo.jpg.part"]);
    assert!(resume::record_path(dir.path(), PHOTO_DOC_ID).exists());
    drop(first_run);

    let second_run = logged_in(&sandbox).await?;
    let mut first_report = None;
    let saved = download(&second_run, &request, &CancellationToken::new(), |p| {
        first_report.get_or_insert(p);
    })
    .await?;

    assert_eq!(Some(saved.sha256), sample_data().document_sha256(PHOTO_DOC_ID));
    assert_eq!(first_report.map(|p| p.received), Some(kept));
    let requests = file_requests(&sandbox);
    assert_eq!(
        requests.last().and_then(|r| r.range.clone()),
        Some(format!("bytes={kept}-"))
    );
    assert_eq!(everything_in(dir.path())?, ["Receipt_Photo.jpg"]);
    Ok(())
}

#[tokio::test]
async fn a_resume_is_announced_before_the_part_is_hashed_again() -> TestResult {
    let sandbox = Arc::new(Sandbox::start(sandbox_options(cut_in_half(PHOTO_DOC_ID)?)).await?);
    let dir = tempfile::tempdir()?;
    let request = DownloadRequest::new(PHOTO_DOC_ID, dir.path());
    let heard: Arc<Mutex<Vec<(u64, usize)>>> = Arc::default();
    let (log, server) = (heard.clone(), sandbox.clone());
    let options = TransferOptions {
        on_verify: Some(Arc::new(move |bytes| {
            log.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((bytes, file_requests(&server).len()));
        })),
        ..options(1)
    };
    let client = logged_in(&sandbox).await?;
    let error = download_with(&client, &request, &options, &CancellationToken::new(), |_| {}).await;
    assert!(error.is_err(), "the cut without a retry fails");
    assert!(
        heard.lock().unwrap_or_else(PoisonError::into_inner).is_empty(),
        "nothing to verify the first time"
    );
    let kept = fs::metadata(dir.path().join("Receipt_Photo.jpg.part"))?.len();

    download_with(&client, &request, &options, &CancellationToken::new(), |_| {}).await?;
    let heard = heard.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(
        heard,
        [(kept, 1)],
        "told the size of the part, before the second request"
    );
    Ok(())
}

#[tokio::test]
async fn a_flaky_server_still_delivers_every_file() -> TestResult {
    let faults = Faults {
        fail_rate: 0.4,
        seed: 7,
        ..Faults::default()
    };
    let sandbox = Sandbox::start(sandbox_options(faults)).await?;
    let client = retrying_login(&sandbox).await?;
    download_each_intact(&client, &["98765", "98766", "98767", PHOTO_DOC_ID]).await?;
    assert!(
        file_requests(&sandbox).len() > 4,
        "the faults must have failed some requests"
    );
    Ok(())
}

#[tokio::test]
async fn a_rate_limited_server_still_delivers_every_file() -> TestResult {
    let faults = Faults {
        rate_limit: Some(2),
        ..Faults::default()
    };
    let sandbox = Sandbox::start(sandbox_options(faults)).await?;
    let client = retrying_login(&sandbox).await?;
    let ids = ["98765", "98766", "98767", "98770"];
    download_each_intact(&client, &ids).await?;
    assert!(
        file_requests(&sandbox).len() > ids.len(),
        "the limit must have refused some requests"
    );
    Ok(())
}

/// A policy of `attempts` with short waits that records every retry notice.
fn recording(attempts: usize) -> (RetryPolicy, Arc<Mutex<Vec<RetryNotice>>>) {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let seen = notices.clone();
    let policy = RetryPolicy {
        on_retry: Some(Arc::new(move |notice: &RetryNotice| {
            seen.lock().unwrap_or_else(PoisonError::into_inner).push(notice.clone());
        })),
        ..fast_retry(attempts)
    };
    (policy, notices)
}

/// The attempt numbers of `notices`, as (attempt, max_attempts).
fn attempts(notices: &Mutex<Vec<RetryNotice>>) -> Vec<(usize, usize)> {
    let notices = notices.lock().unwrap_or_else(PoisonError::into_inner);
    notices.iter().map(|n| (n.attempt, n.max_attempts)).collect()
}

#[tokio::test]
async fn max_attempts_counts_every_request_of_a_download() -> TestResult {
    let faults = Faults {
        fail_rate: 1.0,
        ..Faults::default()
    };
    let sandbox = Sandbox::start(sandbox_options(faults)).await?;
    // The client's own policy would allow 5 attempts: a download must not
    // multiply it by its own 3.
    let (client_policy, client_notices) = recording(5);
    let client = Client::new(
        &sandbox.base_url(),
        ClientOptions {
            retry: client_policy,
            ..ClientOptions::default()
        },
    )?;
    let in_an_hour = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        + 3600;
    let client = client.with_token(SecretString::from(sandbox.issue_token_expiring_at(in_an_hour)?));
    let (policy, notices) = recording(3);
    let dir = tempfile::tempdir()?;

    let error = download_with(
        &client,
        &DownloadRequest::new(GUIDE_DOC_ID, dir.path()),
        &TransferOptions::with_retry(policy),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .err()
    .ok_or("a server that always fails must fail the download")?;

    assert!(
        matches!(error, TransferError::Api(ApiError::Server { status: 503, .. })),
        "{error}"
    );
    assert_eq!(error.exit_code(), exit::UNAVAILABLE);
    assert_eq!(file_requests(&sandbox).len(), 3);
    assert_eq!(attempts(&notices), [(2, 3), (3, 3)]);
    assert!(
        notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .all(|n| n.reason.contains("503"))
    );
    assert!(attempts(&client_notices).is_empty());
    assert_eq!(everything_in(dir.path())?, Vec::<String>::new());
    Ok(())
}

/// Downloads each attachment into a fresh folder and checks it arrived whole.
async fn download_each_intact(client: &Client, ids: &[&str]) -> TestResult {
    let dir = tempfile::tempdir()?;
    for id in ids {
        let saved = download(
            client,
            &DownloadRequest::new(*id, dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(Some(saved.sha256), sample_data().document_sha256(id), "attachment {id}");
    }
    Ok(())
}

/// Logs in through the faults (login is never retried by the client, so
/// the test retries it).
async fn retrying_login(sandbox: &Sandbox) -> Result<Client, ApiError> {
    let mut last = None;
    for _ in 0..20 {
        match logged_in_with(sandbox, fast_retry(10)).await {
            Ok(client) => return Ok(client),
            Err(error) if error.is_retryable() => {
                let wait = error
                    .retry_after()
                    .unwrap_or(Duration::from_millis(10))
                    .min(Duration::from_secs(1));
                tokio::time::sleep(wait).await;
                last = Some(error);
            }
            Err(error) => return Err(error),
        }
    }
    Err(last.unwrap_or_else(|| ApiError::Http("no attempt was made".into())))
}

/// A server on 127.0.0.1 that answers every request with `Content-Length:
/// 100` and 50 bytes, then closes; returns its base URL and the requests'
/// heads.
async fn short_body_server() -> std::io::Result<(String, tokio::sync::mpsc::UnboundedReceiver<String>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/api", listener.local_addr()?);
    let (heads, received) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let heads = heads.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: application/pdf\r\n\
                     ETag: \"v1\"\r\nContent-Disposition: attachment; filename=short.pdf\r\n\r\n{}",
                    "x".repeat(50)
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Ok((base, received))
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_saves_no_file() -> TestResult {
    let (base, mut heads) = short_body_server().await?;
    let client = Client::new(&base, ClientOptions::default())?.with_token(SecretString::from("t".to_string()));
    let dir = tempfile::tempdir()?;

    let error = download_with(
        &client,
        &DownloadRequest::new("1", dir.path()),
        &options(2),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .err()
    .ok_or("a short body must fail")?;

    assert!(
        matches!(
            error,
            TransferError::Incomplete { .. } | TransferError::Interrupted { .. }
        ),
        "{error}"
    );
    assert_eq!(error.exit_code(), exit::UNAVAILABLE);
    assert_eq!(names_in(dir.path())?, ["short.pdf.part"]);
    let first = heads.recv().await.ok_or("no first request")?.to_ascii_lowercase();
    let second = heads.recv().await.ok_or("no retry")?.to_ascii_lowercase();
    assert!(!first.contains("range:"), "{first}");
    assert!(second.contains("range: bytes=50-"), "{second}");
    assert!(second.contains("if-range: \"v1\""), "{second}");
    Ok(())
}
