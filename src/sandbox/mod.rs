//! A local server that speaks the Trackline API from sample data.
//!
//! `trackline sandbox` runs it for people ([`run_cli`]); `trackline demo` and
//! the tests start it in-process on `127.0.0.1:0` ([`Sandbox::start`]). The
//! data is embedded in the binary ([`sample_data`]), so it works from any
//! directory. [`Faults`] make it slow, flaky, rate-limited, stall, trickle,
//! redirect or cut a download, deterministically, so that the client's retries and resumes can be tested.
//! With [`TlsOptions`] it serves HTTPS with a certificate authority it makes at start.
//! Statuses can move ([`Sandbox::advance`], [`SandboxOptions::advance`]), so that `watch` has changes to show.

mod data;
mod faults;
mod server;
mod statuses;
mod tls;

pub use data::{
    BENCH_RECEIPTS_COUNT, BENCH_RECEIPTS_PROCESS_ID, Content, GUIDE_DOC_ID, GUIDE_PROCESS_ID, HOSTILE_PROCESS_ID,
    INDEX_BENCH_COUNT, INDEX_BENCH_DOCS, INDEX_BENCH_FIRST_ID, INVOICES_PROCESS_ID, LARGE_COPY_IDS, LARGE_DOC_ID,
    LARGE_LEN, LARGE_PROCESS_ID, MANY_DOCS_COUNT, MANY_DOCS_PROCESS_ID, MEDIUM_DOC_ID, MEDIUM_LEN, MEDIUM_PROCESS_ID,
    MINIMAL_PROCESS_ID, MISSING_ATTACHMENT_ID, NUMERIC_PROCESS_ID, PREVIEWS_PROCESS_ID, SAMPLES, SHARED_NAME,
    SampleData, SampleDocument, index_bench_process, sample_data,
};
pub use faults::Faults;
pub use server::LAST_MODIFIED;
pub use statuses::{FIRST_EXTRA_PROCESS_ID, LIFECYCLE, next_status};
pub use tls::TlsOptions;

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
    /// Serve HTTPS with this certificate instead of plain HTTP.
    pub tls: Option<TlsOptions>,
    /// Processes whose status moves one step through [`LIFECYCLE`] every
    /// `advance_every` (none by default; tests call [`Sandbox::advance`] instead).
    pub advance: Vec<String>,
    /// How often the processes of `advance` move on.
    pub advance_every: Duration,
    /// How many small extra processes to serve, with ids from
    /// [`FIRST_EXTRA_PROCESS_ID`] on (for watching many processes at once).
    pub extra_processes: u32,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token_ttl: Duration::from_secs(3600),
            faults: Faults::default(),
            tls: None,
            advance: Vec::new(),
            advance_every: Duration::from_secs(DEFAULT_ADVANCE_SECS),
            extra_processes: 0,
        }
    }
}

/// How often `--advance` moves statuses on, unless `--advance-every` says.
const DEFAULT_ADVANCE_SECS: u64 = 10;

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
    ca_pem: Option<String>,
    shared: Arc<server::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
    advancing: Option<JoinHandle<()>>,
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
            statuses::Statuses::new(options.extra_processes),
        ));
        let app = server::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let stopped = async {
            let _ = stopped.await;
        };
        let (task, ca_pem) = match &options.tls {
            None => (
                tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(stopped).await }),
                None,
            ),
            Some(tls_options) => {
                let certificates = tls::make(tls_options)?;
                let listener = tls::TlsListener::new(listener, certificates.acceptor)?;
                (
                    tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(stopped).await }),
                    Some(certificates.ca_pem),
                )
            }
        };
        let advancing = (!options.advance.is_empty()).then(|| {
            tokio::spawn(advance_on_a_timer(
                shared.clone(),
                options.advance,
                options.advance_every,
            ))
        });
        Ok(Sandbox {
            addr,
            ca_pem,
            shared,
            stop: Some(stop),
            task: Some(task),
            advancing,
        })
    }

    /// Moves `process_id` one step through [`LIFECYCLE`] now (Pending, In
    /// Progress, Completed, then it stays; any other status goes to Pending).
    /// Returns its new status, or `None` when there is no such process. Other
    /// fields of the process do not change.
    pub fn advance(&self, process_id: &str) -> Option<&'static str> {
        self.shared.advance(process_id)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL for the client, e.g. `http://127.0.0.1:PORT/api`
    /// (`https://` with TLS).
    pub fn base_url(&self) -> String {
        let scheme = if self.ca_pem.is_some() { "https" } else { "http" };
        format!("{scheme}://{}/api", self.addr)
    }

    /// With TLS, the certificate (PEM) of the authority that signed the
    /// server's: what a client must trust (`--ca-cert`).
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
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

    /// Holds every process lookup unanswered (`true`) until released
    /// (`false`): what a client shows while the server has not answered yet.
    pub fn hold_lookups(&self, hold: bool) {
        self.shared.hold_lookups(hold);
    }

    /// Stops accepting, lets requests in flight finish (up to 5 s), then stops.
    pub async fn shutdown(mut self) {
        if let Some(advancing) = self.advancing.take() {
            advancing.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        if let Some(advancing) = self.advancing.take() {
            advancing.abort();
        }
    }
}

/// Every `every`, moves each of `ids` one step on, until all are in the last state.
async fn advance_on_a_timer(shared: Arc<server::Shared>, ids: Vec<String>, every: Duration) {
    let last = LIFECYCLE[LIFECYCLE.len() - 1];
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every.max(Duration::from_millis(1)));
    loop {
        ticks.tick().await;
        let mut moving = false;
        for id in &ids {
            match shared.advance(id) {
                Some(status) => {
                    tracing::info!(process = %id, status, "sandbox: status advanced");
                    moving |= status != last;
                }
                None => tracing::warn!(process = %id, "sandbox: no such process to advance"),
            }
        }
        if !moving {
            return;
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

/// `trackline sandbox`: serves until Ctrl-C or SIGTERM. Prints the base URL on
/// the first line of stdout, with TLS `CA certificate: PATH` on the next (a
/// file in a private temporary folder, removed when the sandbox stops), then
/// the demo login.
pub async fn run_cli(options: SandboxOptions) -> io::Result<()> {
    let (extra, advance, every) = (options.extra_processes, options.advance.clone(), options.advance_every);
    let sandbox = Sandbox::start(options).await?;
    let ca_file = match sandbox.ca_cert_pem() {
        Some(pem) => Some(CaFile::write(pem, sandbox.addr())?),
        None => None,
    };
    {
        let mut out = io::stdout().lock();
        writeln!(out, "Trackline sandbox listening on {}", sandbox.base_url())?;
        if let Some(file) = &ca_file {
            writeln!(out, "CA certificate: {}", file.path.display())?;
        }
        writeln!(out, "Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")?;
        writeln!(out, "Sample processes:")?;
        for (id, shows) in data::SAMPLES {
            writeln!(out, "  {id:<6} {shows}")?;
        }
        if extra > 0 {
            let last = FIRST_EXTRA_PROCESS_ID + extra - 1;
            writeln!(out, "Extra processes: {FIRST_EXTRA_PROCESS_ID} to {last} (In Progress)")?;
        }
        if !advance.is_empty() {
            writeln!(
                out,
                "Advancing {} every {} s: {}",
                advance.join(", "),
                every.as_secs_f64(),
                LIFECYCLE.join(" → ")
            )?;
        }
        out.flush()?;
    }
    stop_signal().await;
    sandbox.shutdown().await;
    drop(ca_file);
    Ok(())
}

/// The CA certificate of `trackline sandbox --tls`, in a folder of its own
/// (mode 0700) under the temporary dir; both go when it is dropped.
struct CaFile {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl CaFile {
    fn write(pem: &str, addr: SocketAddr) -> io::Result<CaFile> {
        let dir = std::env::temp_dir().join(format!("trackline-sandbox-{}-{}", std::process::id(), addr.port()));
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create {} for the CA certificate: {e}", dir.display()),
            )
        })?;
        let path = dir.join("ca.pem");
        std::fs::write(&path, pem)?;
        Ok(CaFile { dir, path })
    }
}

impl Drop for CaFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_dir(&self.dir);
    }
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
    /// Serve HTTPS with a certificate authority made at start; prints `CA certificate: PATH`
    #[arg(long)]
    pub tls: bool,
    /// With --tls: a name the certificate is for, instead of localhost, 127.0.0.1 and ::1 (repeatable)
    #[arg(long, value_name = "NAME", requires = "tls")]
    pub tls_name: Vec<String>,
    /// With --tls: serve a certificate that expired yesterday
    #[arg(long, requires = "tls")]
    pub tls_expired: bool,
    /// Move these processes through Pending, In Progress and Completed over time (comma-separated ids)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub advance: Vec<String>,
    /// Seconds between two steps of --advance
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_ADVANCE_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub advance_every: u64,
    /// Also serve N small processes, ids 900000 on (for watching many processes)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub extra_processes: u32,
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
            tls: args.tls.then(|| TlsOptions {
                names: if args.tls_name.is_empty() {
                    TlsOptions::default().names
                } else {
                    args.tls_name
                },
                expired: args.tls_expired,
            }),
            advance: args
                .advance
                .into_iter()
                .map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty())
                .collect(),
            advance_every: Duration::from_secs(args.advance_every),
            extra_processes: args.extra_processes,
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
        assert!(options.advance.is_empty());
    }

    #[test]
    fn advance_takes_a_list_of_ids_and_a_period_of_at_least_a_second() {
        let cli = Cli::try_parse_from([
            "sandbox",
            "--advance",
            "12347,12351",
            "--advance-every",
            "3",
            "--extra-processes",
            "1000",
        ]);
        let options = match cli {
            Ok(cli) => SandboxOptions::from(cli.sandbox),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(options.advance, ["12347", "12351"]);
        assert_eq!(options.advance_every, Duration::from_secs(3));
        assert_eq!(options.extra_processes, 1000);
        assert!(Cli::try_parse_from(["sandbox", "--advance-every", "0"]).is_err());
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
