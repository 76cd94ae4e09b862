//! The download engine against the real sandbox over loopback sockets.

use secrecy::SecretString;
use std::fs;
use std::path::Path;
use tokio_util::sync::CancellationToken;
use trackline::api::error::exit;
use trackline::api::{ApiError, Client, ClientOptions};
use trackline::sandbox::{
    DEMO_EMAIL, DEMO_PASSWORD, Faults, GUIDE_DOC_ID, HOSTILE_PROCESS_ID, LARGE_DOC_ID, LARGE_LEN,
    MISSING_ATTACHMENT_ID, Sandbox, SandboxOptions, sample_data,
};
use trackline::transfer::{DownloadRequest, Progress, TransferError, download};

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn logged_in(sandbox: &Sandbox) -> Result<Client, ApiError> {
    let client = Client::new(&sandbox.base_url(), ClientOptions::default())?;
    let token = client.login(DEMO_EMAIL, &SecretString::from(DEMO_PASSWORD)).await?;
    Ok(client.with_token(token))
}

fn names_in(dir: &Path) -> std::io::Result<Vec<String>> {
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
    let dir = tempfile::tempdir()?;
    let root = std::path::absolute(dir.path())?;
    let cancel = CancellationToken::new();
    let documents: Vec<_> = sample_data()
        .documents()
        .iter()
        .filter(|d| d.process_id == HOSTILE_PROCESS_ID && d.file_len().is_some())
        .collect();
    assert!(documents.len() > 10);

    for document in &documents {
        let mut request = DownloadRequest::new(document.doc_id.clone(), dir.path());
        request.doc_name = document.doc_name.clone();
        let saved = download(&client, &request, &cancel, |_| {}).await?;
        assert_eq!(saved.path.parent(), Some(root.as_path()), "{saved:?}");
        assert_eq!(Some(saved.sha256), sample_data().document_sha256(&document.doc_id));
    }

    let names = names_in(dir.path())?;
    assert_eq!(names.len(), documents.len());
    for name in &names {
        assert!(!name.starts_with('.') && !name.starts_with('-'), "{name:?}");
        assert!(name.len() <= 255, "{name:?}");
        assert!(!name.chars().any(|c| c.is_control() || c == '\u{202e}'), "{name:?}");
    }
    assert!(names.iter().any(|n| n == "_.._x"));
    assert!(names.iter().any(|n| n == "_etc_passwd"));
    assert!(names.iter().any(|n| n == "Счёт-фактура №17.pdf"));
    assert!(dir.path().parent().is_some_and(|p| !p.join("x").exists()));
    Ok(())
}

#[tokio::test]
async fn a_cut_download_keeps_its_part_and_saves_nothing() -> TestResult {
    // Cut after 1 MiB, more than a server buffers, so the headers have
    // arrived and the body breaks in the middle.
    let cut_at = 1 << 20;
    let options = SandboxOptions {
        faults: Faults {
            drop_after_bytes: Some(cut_at),
            ..Faults::default()
        },
        ..SandboxOptions::default()
    };
    let sandbox = Sandbox::start(options).await?;
    let client = logged_in(&sandbox).await?;
    let dir = tempfile::tempdir()?;
    let request = DownloadRequest::new(LARGE_DOC_ID, dir.path());

    let error = download(&client, &request, &CancellationToken::new(), |_| {})
        .await
        .err()
        .ok_or("a cut download must fail")?;

    assert!(matches!(error, TransferError::Interrupted { .. }), "{error}");
    assert_eq!(error.exit_code(), exit::UNAVAILABLE, "{error}");
    assert!(error.is_retryable());
    let part = error.part_path().ok_or("the part must be kept")?;
    assert!(fs::metadata(part)?.len() <= cut_at);
    let part_name = part
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or("no name")?;
    assert!(part_name.ends_with(".part"), "{part_name}");
    assert_eq!(names_in(dir.path())?, [part_name]);
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
