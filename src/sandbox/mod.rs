//! A local server that speaks the Trackline API from sample data.
//!
//! `trackline sandbox` runs it for people ([`run_cli`]); `trackline demo` and
//! the tests start it in-process on `127.0.0.1:0` ([`Sandbox::start`]). The
//! data is embedded in the binary ([`sample_data`]), so it works from any
//! directory. [`Faults`] make it slow, flaky, rate-limited, stall, trickle,
//! redirect or cut a download, deterministically, so that the client's retries and resumes can be tested.

mod data;
mod faults;
mod server;

pub use data::{
    BENCH_RECEIPTS_COUNT, BENCH_RECEIPTS_PROCESS_ID, Content, GUIDE_DOC_ID, GUIDE_PROCESS_ID, HOSTILE_PROCESS_ID,
    INVOICES_PROCESS_ID, LARGE_COPY_IDS, LARGE_DOC_ID, LARGE_LEN, LARGE_PROCESS_ID, MANY_DOCS_COUNT,
    MANY_DOCS_PROCESS_ID, MEDIUM_DOC_ID, MEDIUM_LEN, MEDIUM_PROCESS_ID, MINIMAL_PROCESS_ID, MISSING_ATTACHMENT_ID,
    NUMERIC_PROCESS_ID, PREVIEWS_PROCESS_ID, SHARED_NAME, SampleData, SampleDocument, sample_data,
};
pub use faults::Faults;
pub use server::LAST_MODIFIED;

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The sandbox's one user.
pub const DEMO_EMAIL: &str = "demo@trackline.local";
/// The demo user's password.
pub const DEMO_PASSWORD: &str = "demo";

/// How long [`Sandbox::shutdown`] waits for open connections before it drops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How to run a sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxOptions {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Lifetime of the tokens `/login` issues.
    pub token_ttl: Duration,
    /// Faults to inject.
    pub faults: Faults,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token_ttl: Duration::from_secs(3600),
            faults: Faults::default(),
        }
    }
}

/// One request the sandbox received (before faults were applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, e.g. `/api/login`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Whether it carried an `Authorization` header.
    pub authorization: bool,
    /// Its `Range` header, if any.
    pub range: Option<String>,
    /// Its `If-Range` header, if any.
    pub if_range: Option<String>,
}

/// A running sandbox server. Dropping it stops the server too, without waiting.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Sandbox {
    /// Binds `options.listen` and serves in a background task.
    pub async fn start(options: SandboxOptions) -> io::Result<Sandbox> {
        let data = sample_data();
        if data.processes().is_empty() {
            return Err(io::Error::other("the sandbox's embedded sample data is broken"));
        }
        let listener = tokio::net::TcpListener::bind(options.listen).await.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot listen on {}: {e} (try another --listen address, or port 0 for any free port)",
                    options.listen
                ),
            )
        })?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(server::Shared::new(
            data,
            faults::FaultState::new(options.faults),
            options.token_ttl,
        ));
        let app = server::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Sandbox {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL for the client, e.g. `http://127.0.0.1:PORT/api`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// Every request received so far, oldest first (the last 10,000).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    /// How many requests reached `/login`, whatever their outcome (requests
    /// refused by an injected fault are not counted).
    pub fn login_count(&self) -> usize {
        self.shared.login_count()
    }

    /// A token for the demo user, signed by this server, that expires at
    /// `exp_unix_secs`: lets tests present an expired token without waiting.
    pub fn issue_token_expiring_at(&self, exp_unix_secs: u64) -> io::Result<String> {
        self.shared.issue_token(exp_unix_secs).map_err(io::Error::other)
    }

    /// Lets another account log in: `email` with `password` (the demo account stays).
    pub fn add_account(&self, email: &str, password: &str) {
        self.shared.add_account(email, password);
    }

    /// Every token issued so far is refused as expired from now on, while new
    /// logins get working tokens: a session's end, without waiting for it.
    pub fn expire_issued_tokens(&self) {
        self.shared.expire_issued_tokens();
    }

    /// Refuses every token with 401 (`true`), as a server that has locked the
    /// account out of its API would, or goes back to normal (`false`).
    pub fn refuse_all_tokens(&self, refuse: bool) {
        self.shared.refuse_all_tokens(refuse);
    }

    /// Stops accepting, lets requests in flight finish (up to 5 s), then stops.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

/// `trackline sandbox`: serves until Ctrl-C or SIGTERM. Prints the base URL on
/// the first line of stdout and the demo login on the second.
pub async fn run_cli(options: SandboxOptions) -> io::Result<()> {
    let sandbox = Sandbox::start(options).await?;
    {
        let mut out = io::stdout().lock();
        writeln!(out, "Trackline sandbox listening on {}", sandbox.base_url())?;
        writeln!(out, "Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")?;
        out.flush()?;
    }
    stop_signal().await;
    sandbox.shutdown().await;
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The flags of `trackline sandbox`.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Lifetime of issued tokens, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    pub token_ttl: u64,
    /// Delay every answer by this many milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Answer this share of requests (0.0 to 1.0) with 503
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = parse_rate)]
    pub fail_rate: f64,
    /// Allow this many requests per second; answer the rest with 429 and Retry-After
    #[arg(long, value_name = "PER_SEC")]
    pub rate_limit: Option<u32>,
    /// Cut the first download longer than N bytes after N bytes (once)
    #[arg(long, value_name = "N")]
    pub drop_after_bytes: Option<u64>,
    /// Ignore Range requests: always send the whole file
    #[arg(long)]
    pub no_range: bool,
    /// Seed of the random failures of --fail-rate
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Stall the first download longer than N bytes after N bytes, connection left open (once)
    #[arg(long, value_name = "N")]
    pub stall_after_bytes: Option<u64>,
    /// Send downloads slowly: 1 KiB every MS milliseconds
    #[arg(long, value_name = "MS")]
    pub trickle_ms: Option<u64>,
    /// Answer metadata and attachment requests with a 302 to this origin (e.g. http://127.0.0.1:9)
    #[arg(long, value_name = "ORIGIN")]
    pub redirect_to: Option<String>,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is not between 0.0 and 1.0"))
    }
}

impl From<SandboxArgs> for SandboxOptions {
    fn from(args: SandboxArgs) -> Self {
        SandboxOptions {
            listen: args.listen,
            token_ttl: Duration::from_secs(args.token_ttl),
            faults: Faults {
                latency_ms: args.latency_ms,
                fail_rate: args.fail_rate,
                rate_limit: args.rate_limit,
                drop_after_bytes: args.drop_after_bytes,
                no_range: args.no_range,
                seed: args.seed,
                stall_after_bytes: args.stall_after_bytes,
                trickle_ms: args.trickle_ms,
                redirect_to: args.redirect_to,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sandbox: SandboxArgs,
    }

    #[test]
    fn flags_become_options() {
        let cli = Cli::try_parse_from([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--token-ttl",
            "5",
            "--fail-rate",
            "0.25",
            "--rate-limit",
            "3",
            "--drop-after-bytes",
            "100",
            "--no-range",
        ]);
        let options = match cli {
            Ok(cli) => SandboxOptions::from(cli.sandbox),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(options.token_ttl, Duration::from_secs(5));
        assert_eq!(options.faults.fail_rate, 0.25);
        assert_eq!(options.faults.rate_limit, Some(3));
        assert_eq!(options.faults.drop_after_bytes, Some(100));
        assert!(options.faults.no_range);
    }

    #[test]
    fn defaults_listen_on_8080_and_a_fail_rate_above_one_is_refused() {
        let defaults = match Cli::try_parse_from(["sandbox"]) {
            Ok(cli) => SandboxOptions::from(cli.sandbox),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(defaults.listen, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(defaults.token_ttl, Duration::from_secs(3600));
        assert_eq!(
            defaults.faults,
            Faults {
                seed: 1,
                ..Faults::default()
            }
        );
        assert!(Cli::try_parse_from(["sandbox", "--fail-rate", "1.5"]).is_err());
    }
}
