//! The HTTP client for the three calls of the Trackline API.
//!
//! One `reqwest::Client` (rustls, a connection pool) per server. Redirects are
//! followed only within the same origin, so the token never leaves the host it
//! was meant for and https never drops to http. Lookups are retried on the
//! errors [`ApiError::is_retryable`] names; `POST /login` never is, and an
//! attachment is requested once, its download retrying the whole request.

use super::error::ApiError;
use super::model::{Process, ProcessQuery, parse_processes};
use super::network::{self, ProxyTarget};
use crate::i18n::{Message, message};
use crate::text;
use backon::{ExponentialBuilder, Retryable};
use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;
use zeroize::Zeroizing;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("trackline/", env!("CARGO_PKG_VERSION"));

/// The most metadata the client reads before giving up (a process with
/// 100,000 documents is about 10 MB). Enforced while the body streams, so a
/// server that sends more (or lies in `Content-Length`) costs at most this much memory.
pub const MAX_METADATA_BYTES: u64 = 32 * 1024 * 1024;

/// How long to wait for a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long to wait for the next bytes of an answer. There is no total
/// deadline: a large download may take an hour.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A byte range to resume a download from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeFrom {
    /// The first byte wanted (`Range: bytes=N-`).
    pub offset: u64,
    /// The validator for `If-Range`: an ETag, else a Last-Modified date.
    pub validator: Option<String>,
}

/// What a retry is about to do, for a progress line such as
/// "retrying in 3 s (attempt 2 of 5)".
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNotice {
    /// The attempt about to be made (2 for the first retry).
    pub attempt: usize,
    /// The most attempts that will be made.
    pub max_attempts: usize,
    /// The wait before it.
    pub delay: Duration,
    /// Why the previous attempt failed.
    pub reason: String,
    /// [`RetryNotice::reason`] in each language of [`Lang::ALL`](crate::i18n::Lang::ALL), in its order.
    pub reasons: Vec<String>,
}

/// "retrying in 3 s (attempt 2 of 5)": a retry in words, the wait rounded up.
pub fn retry_summary(attempt: usize, max_attempts: usize, delay: Duration) -> String {
    let secs = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
    format!("retrying in {secs} s (attempt {attempt} of {max_attempts})")
}

impl RetryNotice {
    /// "retrying in 3 s (attempt 2 of 5)".
    pub fn summary(&self) -> String {
        retry_summary(self.attempt, self.max_attempts, self.delay)
    }
}

/// A callback told about every retry.
pub type RetryHook = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// How idempotent requests are retried.
#[derive(Clone)]
pub struct RetryPolicy {
    /// The most attempts, the first one included (1 = no retry).
    pub max_attempts: usize,
    /// The first wait; it doubles each time, with jitter.
    pub min_delay: Duration,
    /// The longest wait, also the cap on a server's `Retry-After`.
    pub max_delay: Duration,
    /// Told about every retry before its wait.
    pub on_retry: Option<RetryHook>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            on_retry: None,
        }
    }
}

impl RetryPolicy {
    /// The waits between attempts: exponential from `min_delay` to
    /// `max_delay`, with jitter, one fewer than `max_attempts`.
    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.max(1) - 1)
            .with_jitter()
    }

    /// The wait before retrying after `error`: the `backoff` wait, or, when
    /// the server sent `Retry-After`, what it asked (capped at `max_delay`)
    /// on top of the backoff.
    pub(crate) fn wait_after(&self, error: &ApiError, backoff: Duration) -> Duration {
        match error.retry_after() {
            Some(asked) => asked.min(self.max_delay).max(backoff.min(asked)),
            None => backoff,
        }
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .finish_non_exhaustive()
    }
}

/// Options that shape every request.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// Allow `http://` to hosts that are not loopback.
    pub allow_insecure_http: bool,
    /// How idempotent requests are retried.
    pub retry: RetryPolicy,
    /// The longest wait for the next bytes of an answer; `None` is [`READ_TIMEOUT`].
    /// It bounds each read, not the whole body, so a slow but moving download is never cut.
    pub read_timeout: Option<Duration>,
    /// Certificate authorities trusted besides the system's.
    pub extra_roots: Vec<reqwest::Certificate>,
    /// The proxy to send every request through; `None` connects directly
    /// (the proxy variables of the environment are read by `config`, not here).
    pub proxy: Option<ProxyTarget>,
}

/// A client for one server, optionally holding a session token. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Arc<Url>,
    base_text: Arc<str>,
    token: Option<SecretString>,
    retry: RetryPolicy,
    proxy: Option<Arc<str>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_text)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Client {
    /// A client for `base_url` (the base includes `/api`; a trailing slash does not matter).
    pub fn new(base_url: &str, options: ClientOptions) -> Result<Self, ApiError> {
        let base = parse_base_url(base_url, options.allow_insecure_http)?;
        let origin = base.origin();
        let allow_insecure = options.allow_insecure_http;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if !may_follow(&origin, attempt.previous(), attempt.url(), allow_insecure) {
                attempt.stop()
            } else if attempt.previous().len() >= 10 {
                attempt.error("too many redirects")
            } else {
                attempt.follow()
            }
        });
        let builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(options.read_timeout.unwrap_or(READ_TIMEOUT))
            .redirect(policy);
        let builder = network::configure(builder, &base, &options.extra_roots, options.proxy.as_ref())?;
        let http = builder
            .build()
            .map_err(|e| ApiError::Http(Message::library_words(&text::safe_line(&network::root_cause(&e), 300))))?;
        let base_text: Arc<str> = base.as_str().trim_end_matches('/').into();
        Ok(Client {
            http,
            base: Arc::new(base),
            base_text,
            token: None,
            retry: options.retry,
            proxy: options.proxy.map(|p| Arc::from(p.shown())),
        })
    }

    /// The same client, sending `token` as `Authorization: Bearer` from now on.
    pub fn with_token(&self, token: SecretString) -> Self {
        Client {
            token: Some(token),
            ..self.clone()
        }
    }

    /// The same client, telling `hook` (instead of the policy's own hook)
    /// about every retry: lets one caller tag the notices of one request.
    pub fn with_retry_hook(&self, hook: RetryHook) -> Self {
        let mut client = self.clone();
        client.retry.on_retry = Some(hook);
        client
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Whether a token is set.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// The base URL, normalised (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_text
    }

    /// `POST /login`: exchange email and password for a token. Never retried.
    pub async fn login(&self, email: &str, password: &SecretString) -> Result<SecretString, ApiError> {
        self.retrying_when(never_reached_the_server, || self.login_once(email, password))
            .await
    }

    /// One `POST /login`. It is tried again only when it never reached the
    /// server (the connection was refused, say), like every other request; an
    /// answer, even a 503, is final, so a login is never sent twice.
    async fn login_once(&self, email: &str, password: &SecretString) -> Result<SecretString, ApiError> {
        let url = self.endpoint("login");
        let body = login_body(email, password)?;
        let started = Instant::now();
        let sent = self
            .http
            .post(url.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        log_request("POST", &url, &sent, started);
        let response = sent.map_err(|e| self.map_send_error(&e))?;
        if let Some(refused) = self.proxy_refusal(&response) {
            return Err(refused);
        }
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let message = error_message(response).await;
            return Err(ApiError::BadCredentials { message });
        }
        let response = self.check_status(response, "login").await?;
        let bytes = Zeroizing::new(read_limited(response, 1024 * 1024).await?);
        #[derive(serde::Deserialize)]
        struct LoginReply {
            token: String,
        }
        let reply: LoginReply = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::BadJson(message!(
                "api-login-answer",
                error = Message::library_words(&e.to_string())
            ))
        })?;
        if reply.token.trim().is_empty() {
            return Err(ApiError::BadJson(message!("api-login-empty-token")));
        }
        Ok(SecretString::from(reply.token))
    }

    /// `GET /track-line/ext/track-path/metadata`: one or several processes.
    pub async fn process(&self, query: &ProcessQuery) -> Result<Vec<Process>, ApiError> {
        let what = query.to_string();
        let (key, value) = query.param();
        let mut url = self.endpoint("track-line/ext/track-path/metadata");
        url.query_pairs_mut().append_pair(key, value);
        let attempt = || async {
            let response = self.authorized_get(url.clone(), None).await?;
            let response = self.check_status(response, &what).await?;
            json_body(response, MAX_METADATA_BYTES).await
        };
        let bytes = self.retrying(attempt).await?;
        parse_processes(&bytes).map_err(|e| ApiError::BadJson(super::model::json_reason(&e)))
    }

    /// `GET /track-line/ext/attachment/file`, once: the response with status
    /// checked (200, or 206 when `resume` was given and honoured), body not
    /// yet read. Never retried here: the download that reads the body
    /// retries the whole request under one budget (see
    /// [`crate::transfer::download_with`]).
    pub async fn attachment_once(
        &self,
        attachment_id: &str,
        resume: Option<&ResumeFrom>,
    ) -> Result<Response, ApiError> {
        let what = format!("attachment {attachment_id}");
        let mut url = self.endpoint("track-line/ext/attachment/file");
        url.query_pairs_mut().append_pair("attachment_id", attachment_id);
        let mut headers = HeaderMap::new();
        if let Some(resume) = resume {
            if let Ok(range) = HeaderValue::from_str(&format!("bytes={}-", resume.offset)) {
                headers.insert(header::RANGE, range);
            }
            if let Some(validator) = resume.validator.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                headers.insert(header::IF_RANGE, validator);
            }
        }
        let response = self.authorized_get(url, Some(headers)).await?;
        self.check_status(response, &what).await
    }

    fn endpoint(&self, path: &str) -> Url {
        let mut url = (*self.base).clone();
        let joined = format!("{}/{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url.set_query(None);
        url
    }

    async fn authorized_get(&self, url: Url, headers: Option<HeaderMap>) -> Result<Response, ApiError> {
        let token = self.token.as_ref().ok_or(ApiError::NotLoggedIn)?;
        let mut request = self.http.get(url.clone()).bearer_auth(token.expose_secret());
        if let Some(headers) = headers {
            request = request.headers(headers);
        }
        let started = Instant::now();
        let sent = request.send().await;
        log_request("GET", &url, &sent, started);
        sent.map_err(|e| self.map_send_error(&e))
    }

    /// Runs `attempt` under the retry policy.
    async fn retrying<T, F, Fut>(&self, attempt: F) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        self.retrying_when(ApiError::is_retryable, attempt).await
    }

    /// Runs `attempt` under the retry policy, retrying the errors `retryable` picks.
    async fn retrying_when<T, F, Fut>(&self, retryable: fn(&ApiError) -> bool, attempt: F) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        let policy = &self.retry;
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt_no = 1usize;
        attempt
            .retry(policy.backoff())
            .sleep(tokio::time::sleep)
            .when(retryable)
            .adjust(|error, delay| delay.map(|delay| policy.wait_after(error, delay)))
            .notify(|error, delay| {
                attempt_no += 1;
                tracing::warn!(attempt = attempt_no, max_attempts, ?delay, %error, "retrying");
                if let Some(hook) = &policy.on_retry {
                    hook(&RetryNotice {
                        attempt: attempt_no,
                        max_attempts,
                        delay,
                        reason: error.to_string(),
                        reasons: crate::i18n::Lang::ALL
                            .iter()
                            .map(|lang| error.localized(*lang))
                            .collect(),
                    });
                }
            })
            .await
    }

    async fn check_status(&self, response: Response, what: &str) -> Result<Response, ApiError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status.is_redirection() {
            let to = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|loc| {
                    response
                        .url()
                        .join(loc)
                        .map(|u| u.to_string())
                        .unwrap_or_else(|_| loc.to_string())
                })
                .unwrap_or_else(|| "an unnamed location".into());
            return Err(ApiError::RedirectRefused {
                from: origin_text(response.url()),
                to: text::safe_text(&to, 200),
            });
        }
        if let Some(refused) = self.proxy_refusal(&response) {
            return Err(refused);
        }
        let retry_after = parse_retry_after(response.headers());
        let message = error_message(response).await;
        Err(match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ApiError::Unauthorized { message },
            StatusCode::NOT_FOUND => ApiError::NotFound {
                what: what.to_string(),
                message,
            },
            StatusCode::TOO_MANY_REQUESTS => ApiError::RateLimited { retry_after },
            _ => ApiError::Server {
                status: status.as_u16(),
                message,
                retry_after,
            },
        })
    }

    /// The proxy's refusal to pass a request on, when `response` is one.
    fn proxy_refusal(&self, response: &Response) -> Option<ApiError> {
        let proxy = self.proxy.as_deref()?;
        network::is_proxy_refusal(response).then(|| ApiError::ProxyAuth {
            proxy: proxy.to_string(),
        })
    }

    fn map_send_error(&self, error: &reqwest::Error) -> ApiError {
        let host = error.url().map(origin_text).unwrap_or_else(|| origin_text(&self.base));
        if let Some(found) = network::classify(error, &host, self.proxy.as_deref()) {
            return found;
        }
        match (map_reqwest_error(error, host), &self.proxy) {
            (ApiError::Connect { host, reason }, Some(proxy)) => ApiError::Connect {
                host,
                reason: message!("api-through-proxy", reason = reason, proxy = proxy.to_string()),
            },
            (other, _) => other,
        }
    }
}

/// The body of `POST /login`, in memory that is zeroed when the request is
/// done with it. Its buffer is made large enough for the worst case of JSON
/// escaping up front, so serializing never reallocates and leaves no copy behind.
fn login_body(email: &str, password: &SecretString) -> Result<bytes::Bytes, ApiError> {
    Ok(bytes::Bytes::from_owner(login_json(email, password)?))
}

fn login_json(email: &str, password: &SecretString) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    #[derive(serde::Serialize)]
    struct LoginRequest<'a> {
        email: &'a str,
        password: &'a str,
    }
    let secret = password.expose_secret();
    // `{"email":"","password":""}` and at most 6 bytes (`\u001f`) for each byte of either.
    let mut body = Zeroizing::new(Vec::with_capacity(32 + 6 * (email.len() + secret.len())));
    serde_json::to_writer(
        &mut *body,
        &LoginRequest {
            email,
            password: secret,
        },
    )
    .map_err(|e| {
        ApiError::Http(message!(
            "api-login-request",
            error = Message::library_words(&e.to_string())
        ))
    })?;
    Ok(body)
}

fn map_reqwest_error(error: &reqwest::Error, host: String) -> ApiError {
    if let Some(found) = network::classify(error, &host, None) {
        return found;
    }
    if error.is_timeout() {
        ApiError::Timeout { host }
    } else if error.is_connect() {
        ApiError::Connect {
            host,
            reason: network::connect_reason(error),
        }
    } else if error.is_redirect() {
        ApiError::Http(message!("api-redirect-loop", host = host))
    } else {
        ApiError::Http(Message::library_words(&text::safe_text(
            &network::root_cause(error),
            300,
        )))
    }
}

/// Reads a body of at most `limit` bytes.
async fn read_limited(response: Response, limit: u64) -> Result<Vec<u8>, ApiError> {
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(ApiError::TooLarge { limit });
    }
    let host = origin_text(response.url());
    let mut body = Vec::with_capacity(response.content_length().unwrap_or(0).min(limit) as usize);
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| map_reqwest_error(&e, host.clone()))?;
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(ApiError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The body of an answer that must be JSON, at most `limit` bytes. A body
/// whose Content-Type says it is not JSON (an HTML login page of a proxy, say)
/// is refused, naming its type and how it starts. A missing type is tolerated.
async fn json_body(response: Response, limit: u64) -> Result<Vec<u8>, ApiError> {
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|value| {
        value
            .to_str()
            .unwrap_or("an unreadable content type")
            .to_ascii_lowercase()
    });
    match content_type {
        Some(content_type) if !content_type.contains("json") => {
            let start = read_prefix(response, 1024).await;
            Err(ApiError::UnexpectedBody {
                content_type: text::safe_text(&content_type, 80),
                snippet: text::safe_line(String::from_utf8_lossy(&start).trim(), 80),
            })
        }
        _ => read_limited(response, limit).await,
    }
}

/// The first `n` bytes of a body (fewer if it is shorter or breaks off).
async fn read_prefix(response: Response, n: usize) -> Vec<u8> {
    let mut start = Vec::with_capacity(n);
    let mut stream = response.bytes_stream();
    while start.len() < n {
        match stream.next().await {
            Some(Ok(chunk)) => start.extend_from_slice(chunk.get(..n - start.len()).unwrap_or(&chunk)),
            _ => break,
        }
    }
    start
}

/// The server's words from an error body: `{"message": …}`, `{"error": …}`, or
/// plain text; made safe and cut short.
async fn error_message(response: Response) -> Option<String> {
    let bytes = read_limited(response, 64 * 1024).await.ok()?;
    let raw = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(map)) => ["message", "error", "detail", "error_description"]
            .iter()
            .find_map(|k| map.get(*k))
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })?,
        Ok(serde_json::Value::String(s)) => s,
        _ => String::from_utf8_lossy(&bytes).trim().to_string(),
    };
    if raw.trim().is_empty() {
        None
    } else {
        Some(text::safe_line(raw.trim(), 200))
    }
}

/// Whether a request failed before the server could see it.
fn never_reached_the_server(error: &ApiError) -> bool {
    matches!(error, ApiError::Connect { .. })
}

/// Logs one request: method, path and query (a parameter that could hold a
/// secret shows no value; the token travels in a header and is never logged),
/// the status or the error, and how long it took.
fn log_request(method: &str, url: &Url, sent: &Result<Response, reqwest::Error>, started: Instant) {
    let ms = started.elapsed().as_millis();
    let target = log_target(url);
    match sent {
        Ok(response) => tracing::info!(method, target = %target, status = response.status().as_u16(), ms, "request"),
        Err(error) => {
            tracing::warn!(method, target = %target, error = %network::root_cause(error), ms, "request failed")
        }
    }
}

/// The path and query of `url` for the log, with the values of parameters
/// whose names suggest a secret left out.
fn log_target(url: &Url) -> String {
    let secret = |name: &str| {
        let name = name.to_ascii_lowercase();
        ["token", "password", "secret", "key", "auth"]
            .iter()
            .any(|s| name.contains(s))
    };
    let query: Vec<String> = url
        .query_pairs()
        .map(|(name, value)| {
            if secret(&name) {
                format!("{name}=***")
            } else {
                format!("{name}={}", text::safe_line(&value, 100))
            }
        })
        .collect();
    if query.is_empty() {
        url.path().to_string()
    } else {
        format!("{}?{}", url.path(), query.join("&"))
    }
}

/// `Retry-After` in seconds or as an HTTP date.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let wait = when - time::OffsetDateTime::now_utc();
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

fn origin_text(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn parse_base_url(base_url: &str, allow_insecure_http: bool) -> Result<Url, ApiError> {
    let invalid = |reason: Message| ApiError::InvalidUrl {
        url: text::safe_text(base_url, 200),
        reason,
    };
    let trimmed = base_url.trim();
    let mut url = Url::parse(trimmed).map_err(|e| invalid(Message::library_words(&e.to_string())))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || !is_insecure(&url) => {}
        "http" => {
            return Err(ApiError::InsecureUrl {
                url: text::safe_text(trimmed, 200),
            });
        }
        other => return Err(invalid(message!("api-scheme-https", scheme = other))),
    }
    if url.host().is_none() {
        return Err(invalid(message!("url-no-host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        url.set_query(None);
        url.set_fragment(None);
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

/// Whether a redirect to `next` keeps the token where it belongs: the same
/// origin (scheme, host and port) as the base URL, never from https down to
/// http, and never to plain http off loopback unless allowed.
fn may_follow(origin: &url::Origin, previous: &[Url], next: &Url, allow_insecure: bool) -> bool {
    let same_origin = next.origin() == *origin;
    let downgrade = previous.iter().any(|u| u.scheme() == "https") && next.scheme() != "https";
    same_origin && !downgrade && (allow_insecure || !is_insecure(next))
}

/// Plain http to a host that is not loopback.
fn is_insecure(url: &Url) -> bool {
    url.scheme() == "http" && !is_loopback(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn reasons_of_a_bad_server_url_are_spanish_and_english_as_before() {
        let scheme = parse_base_url("ftp://x/api", false).unwrap_err();
        assert_eq!(
            scheme.to_string(),
            "invalid server URL \"ftp://x/api\": the scheme must be https, not ftp"
        );
        assert_eq!(
            scheme.localized(Lang::Es),
            "la URL del servidor \"ftp://x/api\" no es válida: el esquema debe ser https, no ftp"
        );
        let unparsed = parse_base_url("not a url", false).unwrap_err();
        assert_eq!(
            unparsed.to_string(),
            "invalid server URL \"not a url\": relative URL without a base"
        );
        assert!(
            unparsed
                .localized(Lang::Es)
                .ends_with("no es válida: (relative URL without a base)")
        );
    }

    #[test]
    fn the_login_and_redirect_reasons_are_spanish_and_english_as_before() {
        let loop_at = ApiError::Http(message!("api-redirect-loop", host = "http://h"));
        assert_eq!(loop_at.to_string(), "request failed: redirect loop at http://h");
        assert_eq!(
            loop_at.localized(Lang::Es),
            "la petición falló: bucle de redirecciones en http://h"
        );
        let answer = serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err();
        let bad = ApiError::BadJson(message!(
            "api-login-answer",
            error = Message::library_words(&answer.to_string())
        ));
        assert_eq!(
            bad.to_string(),
            "the server sent JSON the client cannot read: login answer: EOF while parsing an object at line 1 column 1"
        );
        assert_eq!(
            bad.localized(Lang::Es),
            "el servidor envió JSON que el cliente no sabe leer: la respuesta al inicio de sesión no se puede leer \
             ((EOF while parsing an object at line 1 column 1))"
        );
        let proxied = ApiError::Connect {
            host: "http://h".into(),
            reason: message!(
                "api-through-proxy",
                reason = Message::of_io(&std::io::Error::from_raw_os_error(111)),
                proxy = "http://***@p:3128"
            ),
        };
        assert_eq!(
            proxied.to_string(),
            "cannot reach http://h: Connection refused (os error 111) (through the proxy http://***@p:3128)"
        );
        assert_eq!(
            proxied.localized(Lang::Es),
            "no se puede conectar con http://h: conexión rechazada (a través del proxy http://***@p:3128)"
        );
    }

    fn client(url: &str) -> Result<Client, ApiError> {
        Client::new(url, ClientOptions::default())
    }

    #[test]
    fn the_log_shows_the_query_but_no_secret() {
        let url = Url::parse("http://127.0.0.1:9/api/x?process_id=12345&api_key=s3cr3t&token=t0k").unwrap();
        assert_eq!(log_target(&url), "/api/x?process_id=12345&api_key=***&token=***");
        assert_eq!(
            log_target(&Url::parse("http://127.0.0.1:9/api/login").unwrap()),
            "/api/login"
        );
    }

    #[test]
    fn the_login_body_is_json_written_without_growing_its_buffer() {
        let password = SecretString::from("\u{1}\u{1f}\"\\p\u{7f}ä".repeat(20));
        let email = "a\"b@example.com";
        let body = login_json(email, &password).unwrap();
        let capacity = 32 + 6 * (email.len() + password.expose_secret().len());
        assert_eq!(
            body.capacity(),
            capacity,
            "the buffer was reallocated, leaving a copy behind"
        );
        let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(parsed["email"], email);
        assert_eq!(parsed["password"].as_str(), Some(password.expose_secret()));
    }

    #[test]
    fn trailing_slash_does_not_matter() {
        let a = client("https://api.example.com/api/").unwrap();
        let b = client("https://api.example.com/api").unwrap();
        assert_eq!(a.base_url(), "https://api.example.com/api");
        assert_eq!(a.endpoint("login"), b.endpoint("login"));
        assert_eq!(a.endpoint("login").as_str(), "https://api.example.com/api/login");
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        let err = client("http://example.com/api").unwrap_err();
        assert!(matches!(err, ApiError::InsecureUrl { .. }));
        assert!(err.to_string().contains("--allow-insecure-http"));
        assert!(client("http://127.0.0.1:8080/api").is_ok());
        assert!(client("http://[::1]:8080/api").is_ok());
        assert!(client("http://localhost:8080/api").is_ok());
        let allowed = Client::new(
            "http://example.com/api",
            ClientOptions {
                allow_insecure_http: true,
                ..ClientOptions::default()
            },
        );
        assert!(allowed.is_ok());
    }

    #[test]
    fn nonsense_urls_are_explained() {
        assert!(matches!(client("not a url"), Err(ApiError::InvalidUrl { .. })));
        assert!(matches!(
            client("ftp://example.com/api"),
            Err(ApiError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn debug_hides_the_token() {
        let c = client("https://api.example.com/api")
            .unwrap()
            .with_token(SecretString::from("s3cr3t-token"));
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }

    #[test]
    fn redirects_leave_neither_the_origin_nor_https() {
        let url = |s: &str| Url::parse(s).unwrap();
        let base = url("https://api.example.com/api");
        let origin = base.origin();
        let from = [base.clone()];
        assert!(may_follow(
            &origin,
            &from,
            &url("https://api.example.com/api/other"),
            false
        ));
        assert!(!may_follow(&origin, &from, &url("http://api.example.com/api/x"), true));
        assert!(!may_follow(
            &origin,
            &from,
            &url("https://api.example.com:8443/api/x"),
            false
        ));
        assert!(!may_follow(
            &origin,
            &from,
            &url("https://evil.example.com/api/x"),
            false
        ));
        let local = url("http://127.0.0.1:8080/api");
        assert!(!may_follow(
            &local.origin(),
            std::slice::from_ref(&local),
            &url("http://127.0.0.1:9090/api"),
            false
        ));
    }

    #[test]
    fn a_future_retry_after_date_is_a_wait_until_then() {
        let when = time::OffsetDateTime::now_utc() + time::Duration::seconds(120);
        let text = when.format(&time::format_description::well_known::Rfc2822).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_str(&text).unwrap());
        let wait = parse_retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(parse_retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(parse_retry_after(&headers), Some(Duration::ZERO));
    }
}
