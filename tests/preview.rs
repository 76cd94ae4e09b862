//! The engine's previews, as the TUI's worker will call them, against the
//! real sandbox: a saved copy is read from disk without a request, a copy
//! that vanished is fetched into the cache, and a raised flag cancels.

use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use trackline::api::client::RetryPolicy;
use trackline::config::Paths;
use trackline::engine::preview::{PreviewCache, PreviewError, preview_attachment};
use trackline::engine::{ClientFactory, Credentials, KeptPassword, NoCredentials, Profile, SessionManager};
use trackline::inspect::{Budget, InspectError, Kind, Options};
use trackline::sandbox::{DEMO_EMAIL, DEMO_PASSWORD, Sandbox, SandboxOptions};
use trackline::store::{ProfileMemory, TokenStore};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn manager(
    sandbox: &Sandbox,
    dir: &std::path::Path,
    signed_in: bool,
) -> Result<SessionManager, Box<dyn std::error::Error>> {
    let factory = ClientFactory::new(
        false,
        RetryPolicy {
            max_attempts: 2,
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            on_retry: None,
        },
    );
    let profile = Profile {
        name: "default".into(),
        tokens: TokenStore::new(dir.join("sessions")),
        memory: ProfileMemory::new(dir.join("profiles.json")),
    };
    let credentials: Arc<dyn trackline::engine::CredentialSource> = if signed_in {
        let kept = Arc::new(KeptPassword::default());
        kept.keep(Some(Credentials {
            email: DEMO_EMAIL.into(),
            password: SecretString::from(DEMO_PASSWORD),
        }));
        kept
    } else {
        Arc::new(NoCredentials)
    };
    Ok(SessionManager::new(factory, profile, &sandbox.base_url(), credentials)?)
}

fn sample(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sandbox/files")
        .join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_copy_is_read_from_disk_without_a_request() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = manager(&sandbox, dir.path(), false)?;
    let cache = PreviewCache::new(&Paths::under(dir.path()), &sandbox.base_url(), 1 << 20);
    let saved = sample("CFDI40_F-1234.xml");
    let cancel = CancellationToken::new();
    let (path, report) = preview_attachment(
        &session,
        &cache,
        "15107",
        Some(saved.clone()),
        Options::default(),
        &cancel,
    )
    .await?;
    assert_eq!(path, saved);
    assert_eq!(report.kind, Kind::Invoice);
    assert!(!dir.path().join("cache").exists(), "nothing was fetched");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_copy_that_vanished_is_fetched_into_the_cache() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = manager(&sandbox, dir.path(), true)?;
    session.sign_in().await?;
    let paths = Paths::under(dir.path());
    let cache = PreviewCache::new(&paths, &sandbox.base_url(), 1 << 20);
    let gone = dir.path().join("downloads").join("deleted.xml");
    let cancel = CancellationToken::new();
    let (path, report) = preview_attachment(&session, &cache, "15109", Some(gone), Options::default(), &cancel).await?;
    assert!(path.starts_with(&paths.cache_dir), "{}", path.display());
    assert_eq!(report.invoice.and_then(|i| i.number).as_deref(), Some("2024/042"));
    assert_eq!(cache.cached("15109"), Some(path));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_raised_flag_cancels_the_preview() -> TestResult {
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let dir = tempfile::tempdir()?;
    let session = manager(&sandbox, dir.path(), false)?;
    let cache = PreviewCache::new(&Paths::under(dir.path()), &sandbox.base_url(), 1 << 20);
    let options = Options {
        budget: Budget::within(Duration::from_secs(60)).with_cancel(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    let cancel = CancellationToken::new();
    let result = preview_attachment(
        &session,
        &cache,
        "15101",
        Some(sample("Peppol_INV-2024-101.xml")),
        options,
        &cancel,
    )
    .await;
    assert!(
        matches!(result, Err(PreviewError::Inspect(InspectError::Cancelled))),
        "{result:?}"
    );
    Ok(())
}
