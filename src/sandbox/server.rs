//! The HTTP side of the sandbox: routes, authentication, Range and faults.

use super::data::{Content, SampleData, SampleDocument, fill_generated, small_bytes};
use super::faults::FaultState;
use super::statuses::Statuses;
use super::{DEMO_EMAIL, DEMO_PASSWORD, RecordedRequest};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How many requests the log keeps (the oldest are dropped past it).
const REQUEST_LOG_CAP: usize = 10_000;
/// Chunk size of streamed bodies.
const CHUNK: u64 = 64 * 1024;
/// Last-Modified of every sandbox file (the guides' example date).
pub const LAST_MODIFIED: &str = "Fri, 09 Feb 2024 10:30:00 GMT";

/// RFC 8187 attr-char: what `filename*` may carry without percent-encoding.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// What every handler shares.
pub(crate) struct Shared {
    data: &'static SampleData,
    faults: FaultState,
    keys: Keys,
    token_ttl: Duration,
    log: Mutex<VecDeque<RecordedRequest>>,
    logins: AtomicUsize,
    /// Test hooks for sessions: see [`super::Sandbox::expire_issued_tokens`] and friends.
    sessions: SessionHooks,
    /// Advanced statuses and extra processes: see [`super::Sandbox::advance`].
    statuses: Statuses,
}

/// Extra accounts and token refusals that tests switch on at run time.
#[derive(Default)]
struct SessionHooks {
    accounts: Mutex<Vec<(String, String)>>,
    next_serial: std::sync::atomic::AtomicU64,
    min_serial: std::sync::atomic::AtomicU64,
    refuse_all: std::sync::atomic::AtomicBool,
    /// While true, metadata requests wait (see [`super::Sandbox::hold_lookups`]).
    hold_lookups: Option<tokio::sync::watch::Sender<bool>>,
}

struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
    /// Which token this is, in issue order (tokens below a threshold count as expired).
    #[serde(default)]
    serial: u64,
}

impl Shared {
    pub(crate) fn new(
        data: &'static SampleData,
        faults: FaultState,
        token_ttl: Duration,
        statuses: Statuses,
    ) -> Shared {
        let secret = fresh_secret();
        Shared {
            data,
            faults,
            keys: Keys {
                encoding: EncodingKey::from_secret(&secret),
                decoding: DecodingKey::from_secret(&secret),
            },
            token_ttl,
            log: Mutex::new(VecDeque::new()),
            logins: AtomicUsize::new(0),
            sessions: SessionHooks {
                hold_lookups: Some(tokio::sync::watch::Sender::new(false)),
                ..SessionHooks::default()
            },
            statuses,
        }
    }

    /// The process with this id as it is served now: from the sample data or
    /// the extra processes, with its advanced status.
    pub(crate) fn process(&self, process_id: &str) -> Option<Cow<'static, Value>> {
        let process = match self.data.process(process_id) {
            Some(process) => Cow::Borrowed(process),
            None => Cow::Owned(self.statuses.extra_process(process_id)?),
        };
        Some(self.statuses.apply(process))
    }

    /// Moves the process one step through the lifecycle; its new status.
    pub(crate) fn advance(&self, process_id: &str) -> Option<&'static str> {
        let process = self.process(process_id)?;
        self.statuses.advance(&process)
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        match self.log.lock() {
            Ok(log) => log.iter().cloned().collect(),
            Err(poisoned) => poisoned.into_inner().iter().cloned().collect(),
        }
    }

    pub(crate) fn login_count(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }

    /// Signs a token for the demo user that expires at `exp` (Unix seconds).
    pub(crate) fn issue_token(&self, exp: u64) -> Result<String, jsonwebtoken::errors::Error> {
        self.issue_token_for(DEMO_EMAIL, exp)
    }

    /// Signs a token for `sub` that expires at `exp` (Unix seconds).
    fn issue_token_for(&self, sub: &str, exp: u64) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: sub.to_owned(),
            iat: unix_now(),
            exp,
            serial: self.sessions.next_serial.fetch_add(1, Ordering::SeqCst),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.keys.encoding)
    }

    /// The account `email` and `password` log in to (its email as the token's subject).
    fn account(&self, email: &str, password: &str) -> Option<String> {
        let email = email.trim();
        if email.eq_ignore_ascii_case(DEMO_EMAIL) && password == DEMO_PASSWORD {
            return Some(DEMO_EMAIL.to_owned());
        }
        let accounts = self
            .sessions
            .accounts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        accounts
            .iter()
            .find(|(e, p)| e.eq_ignore_ascii_case(email) && p == password)
            .map(|(e, _)| e.clone())
    }

    /// Lets `email` log in with `password` too.
    pub(crate) fn add_account(&self, email: &str, password: &str) {
        self.sessions
            .accounts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((email.to_owned(), password.to_owned()));
    }

    /// Every token issued so far is refused as expired from now on; new ones work.
    pub(crate) fn expire_issued_tokens(&self) {
        let next = self.sessions.next_serial.load(Ordering::SeqCst);
        self.sessions.min_serial.store(next, Ordering::SeqCst);
    }

    /// Refuse every token (401), old and new, or stop refusing them.
    pub(crate) fn refuse_all_tokens(&self, refuse: bool) {
        self.sessions.refuse_all.store(refuse, Ordering::SeqCst);
    }

    /// Holds metadata requests unanswered (`true`) until released (`false`).
    pub(crate) fn hold_lookups(&self, hold: bool) {
        if let Some(sender) = &self.sessions.hold_lookups {
            sender.send_replace(hold);
        }
    }

    async fn lookups_released(&self) {
        if let Some(sender) = &self.sessions.hold_lookups {
            let mut held = sender.subscribe();
            let _ = held.wait_for(|hold| !*hold).await;
        }
    }

    fn record(&self, request: &Request) {
        let headers = request.headers();
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let entry = RecordedRequest {
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            query: request.uri().query().map(str::to_owned),
            authorization: headers.contains_key(header::AUTHORIZATION),
            range: text(header::RANGE),
            if_range: text(header::IF_RANGE),
        };
        let mut log = match self.log.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if log.len() == REQUEST_LOG_CAP {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// Checks the bearer token; the error is the message of the 401 to send.
    fn authorize(&self, headers: &HeaderMap) -> Result<(), &'static str> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or("Missing bearer token")?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        match jsonwebtoken::decode::<Claims>(token, &self.keys.decoding, &validation) {
            Ok(_) if self.sessions.refuse_all.load(Ordering::SeqCst) => Err("Invalid token"),
            Ok(data) if data.claims.serial < self.sessions.min_serial.load(Ordering::SeqCst) => Err("Token expired"),
            Ok(_) => Ok(()),
            Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => Err("Token expired"),
            Err(_) => Err("Invalid token"),
        }
    }
}

/// The router, every route under `/api`.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/login", post(login))
        .route("/track-line/ext/track-path/metadata", get(metadata))
        .route("/track-line/ext/attachment/file", get(file));
    Router::new()
        .nest("/api", api)
        .fallback(|| async { message(StatusCode::NOT_FOUND, "Not found") })
        .layer(middleware::from_fn_with_state(shared.clone(), faults))
        .with_state(shared)
}

async fn faults(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.record(&request);
    tracing::debug!(method = %request.method(), path = request.uri().path(), "sandbox request");
    shared.faults.delay().await;
    if !shared.faults.admit() {
        let mut response = message(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    if shared.faults.should_fail() {
        return message(StatusCode::SERVICE_UNAVAILABLE, "Simulated server failure");
    }
    if let Some(origin) = shared.faults.redirect_to()
        && request.method() == Method::GET
    {
        let target = match request.uri().path_and_query() {
            Some(pq) => format!("{}{}", origin.trim_end_matches('/'), pq.as_str()),
            None => origin.to_string(),
        };
        let mut response = StatusCode::FOUND.into_response();
        response.headers_mut().insert(header::LOCATION, header_value(&target));
        return response;
    }
    next.run(request).await
}

#[derive(Deserialize)]
struct LoginBody {
    email: String,
    password: String,
}

async fn login(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    shared.logins.fetch_add(1, Ordering::SeqCst);
    let Ok(body) = serde_json::from_slice::<LoginBody>(&body) else {
        return message(
            StatusCode::BAD_REQUEST,
            "Expected a JSON body with \"email\" and \"password\"",
        );
    };
    let Some(sub) = shared.account(&body.email, &body.password) else {
        return message(StatusCode::UNAUTHORIZED, "Invalid email or password");
    };
    let exp = unix_now().saturating_add(shared.token_ttl.as_secs());
    match shared.issue_token_for(&sub, exp) {
        Ok(token) => axum::Json(json!({ "token": token })).into_response(),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Could not sign a token"),
    }
}

async fn metadata(State(shared): State<Arc<Shared>>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    shared.lookups_released().await;
    if let Err(text) = shared.authorize(&headers) {
        return unauthorized(text);
    }
    let id = query_param(query.as_deref(), "process_id");
    let name = query_param(query.as_deref(), "process_name");
    if let (Some(id), None) = (&id, &name)
        && let Some(generated) = super::data::index_bench_process(id)
    {
        return axum::Json(generated).into_response();
    }
    let found: Vec<Cow<'static, Value>> = match (id, name) {
        (Some(id), None) => shared.process(&id).into_iter().collect(),
        (None, Some(name)) => shared
            .data
            .processes_named(&name)
            .into_iter()
            .map(|process| shared.statuses.apply(Cow::Borrowed(process)))
            .collect(),
        _ => {
            return message(
                StatusCode::BAD_REQUEST,
                "Give exactly one of process_id and process_name",
            );
        }
    };
    match found.as_slice() {
        [] => message(StatusCode::NOT_FOUND, "Process not found"),
        [one] => axum::Json(one.as_ref()).into_response(),
        many => axum::Json(many).into_response(),
    }
}

async fn file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(text) = shared.authorize(&headers) {
        return unauthorized(text);
    }
    let Some(id) = query_param(query.as_deref(), "attachment_id") else {
        return message(StatusCode::BAD_REQUEST, "attachment_id is required");
    };
    let Some(document) = shared.data.document(&id) else {
        return message(StatusCode::NOT_FOUND, "Attachment not found");
    };
    let (Some(len), Some(etag)) = (document.file_len(), shared.data.etag(document)) else {
        return message(StatusCode::NOT_FOUND, "Attachment not found");
    };

    let range = if shared.faults.no_range() {
        RangeRequest::Full
    } else {
        requested_range(&headers, len, &etag)
    };
    let mut response_headers = HeaderMap::new();
    let (status, start, end) = match range {
        RangeRequest::Full => (StatusCode::OK, 0, len),
        RangeRequest::Partial(start, last) => {
            response_headers.insert(
                header::CONTENT_RANGE,
                header_value(&format!("bytes {start}-{last}/{len}")),
            );
            (StatusCode::PARTIAL_CONTENT, start, last + 1)
        }
        RangeRequest::Unsatisfiable => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_RANGE, header_value(&format!("bytes */{len}")));
            return response;
        }
    };

    response_headers.insert(header::CONTENT_TYPE, header_value(&document.content_type()));
    response_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    response_headers.insert(header::ETAG, header_value(&etag));
    response_headers.insert(header::LAST_MODIFIED, HeaderValue::from_static(LAST_MODIFIED));
    if !shared.faults.no_range() {
        response_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    if let Some(disposition) = content_disposition(document) {
        response_headers.insert(header::CONTENT_DISPOSITION, disposition);
    }

    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        let fault = BodyFault {
            cut: shared.faults.cut_at(end - start),
            stall: shared.faults.stall_at(end - start),
            trickle: shared.faults.trickle(),
        };
        body_for(document.content, start, end, fault)
    };
    (status, response_headers, body).into_response()
}

enum RangeRequest {
    Full,
    /// First and last byte, inclusive.
    Partial(u64, u64),
    Unsatisfiable,
}

/// Reads `Range` (one `bytes=` range) and `If-Range`. Anything it does not
/// support (other units, several ranges, a malformed value) gets the whole file.
fn requested_range(headers: &HeaderMap, len: u64, etag: &str) -> RangeRequest {
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return RangeRequest::Full;
    };
    if let Some(if_range) = headers.get(header::IF_RANGE) {
        let if_range = if_range.to_str().unwrap_or_default().trim();
        if if_range != etag && if_range != LAST_MODIFIED {
            return RangeRequest::Full;
        }
    }
    parse_range(range, len)
}

fn parse_range(value: &str, len: u64) -> RangeRequest {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return RangeRequest::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        return match last.parse::<u64>() {
            Ok(0) => RangeRequest::Unsatisfiable,
            Ok(_) if len == 0 => RangeRequest::Unsatisfiable,
            Ok(suffix) => RangeRequest::Partial(len.saturating_sub(suffix), len - 1),
            Err(_) => RangeRequest::Full,
        };
    }
    let Ok(start) = first.parse::<u64>() else {
        return RangeRequest::Full;
    };
    let end = if last.is_empty() {
        u64::MAX
    } else {
        match last.parse::<u64>() {
            Ok(end) if end >= start => end,
            _ => return RangeRequest::Full,
        }
    };
    if start >= len {
        return RangeRequest::Unsatisfiable;
    }
    RangeRequest::Partial(start, end.min(len - 1))
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`,
/// the name as the process lists it, hostile or not.
fn content_disposition(document: &SampleDocument) -> Option<HeaderValue> {
    let name = document.doc_name.as_deref()?;
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let encoded = utf8_percent_encode(name, ATTR_CHAR);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    ))
    .ok()
}

/// How one body misbehaves, as the faults decided for it.
#[derive(Debug, Clone, Copy, Default)]
struct BodyFault {
    /// Break the connection after this many bytes.
    cut: Option<u64>,
    /// Send nothing more after this many bytes, keeping the connection open.
    stall: Option<u64>,
    /// Send 1 KiB pieces with this pause between them.
    trickle: Option<Duration>,
}

/// The size of one trickled piece.
const TRICKLE_CHUNK: u64 = 1024;

/// The body for bytes `start..end`, misbehaving as `fault` says.
fn body_for(content: Content, start: u64, end: u64, fault: BodyFault) -> Body {
    let small = small_bytes(content).map(|bytes| match bytes {
        Cow::Borrowed(bytes) => Bytes::from_static(bytes),
        Cow::Owned(bytes) => Bytes::from(bytes),
    });
    let plain = fault.cut.is_none() && fault.stall.is_none() && fault.trickle.is_none();
    if let (Some(bytes), true) = (&small, plain) {
        return match bytes.get(start as usize..end as usize) {
            Some(_) => Body::from(bytes.slice(start as usize..end as usize)),
            None => Body::empty(),
        };
    }
    let BodyFault { cut, stall, trickle } = fault;
    let stall_at = stall.map(|stall| end.min(start + stall));
    let stop = cut.map_or(end, |cut| end.min(start + cut));
    let stop = stall_at.map_or(stop, |at| stop.min(at));
    let piece = if trickle.is_some() { TRICKLE_CHUNK } else { CHUNK };
    let stream = futures_util::stream::unfold(Some(start), move |position| {
        let small = small.clone();
        async move {
            let position = position?;
            if let Some(pause) = trickle
                && position > start
            {
                tokio::time::sleep(pause).await;
            }
            if stall_at.is_some_and(|at| position >= at) {
                return std::future::pending().await;
            }
            if position >= stop {
                if stop == end {
                    return None;
                }
                // Let the connection flush what was sent before the cut.
                tokio::task::yield_now().await;
                let error = std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "sandbox fault: download cut on purpose",
                );
                return Some((Err(error), None));
            }
            let next = stop.min(position + piece);
            let chunk = match &small {
                Some(bytes) => bytes.slice(position as usize..next as usize),
                None => {
                    let mut buf = vec![0u8; (next - position) as usize];
                    fill_generated(position, &mut buf);
                    Bytes::from(buf)
                }
            };
            Some((Ok(chunk), Some(next)))
        }
    });
    Body::from_stream(stream)
}

fn query_param(query: Option<&str>, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn message(status: StatusCode, text: &str) -> Response {
    (status, axum::Json(json!({ "message": text }))).into_response()
}

fn unauthorized(text: &str) -> Response {
    let mut response = message(StatusCode::UNAUTHORIZED, text);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A secret that differs between server starts (and between servers in one
/// process), so tokens of an earlier run are refused.
fn fresh_secret() -> [u8; 32] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::SeqCst).to_le_bytes());
    let marker = 0u8;
    hasher.update(format!("{:p}", &marker).as_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str, len: u64) -> Option<(u64, u64)> {
        match parse_range(value, len) {
            RangeRequest::Partial(a, b) => Some((a, b)),
            RangeRequest::Full => None,
            RangeRequest::Unsatisfiable => Some((u64::MAX, u64::MAX)),
        }
    }

    #[test]
    fn single_byte_ranges_are_understood() {
        assert_eq!(range("bytes=10-", 100), Some((10, 99)));
        assert_eq!(range("bytes=10-19", 100), Some((10, 19)));
        assert_eq!(range("bytes=90-500", 100), Some((90, 99)));
        assert_eq!(range("bytes=-5", 100), Some((95, 99)));
        assert_eq!(range("bytes=-500", 100), Some((0, 99)));
        assert_eq!(range("bytes=100-", 100), Some((u64::MAX, u64::MAX)));
        assert_eq!(range("bytes=0-", 0), Some((u64::MAX, u64::MAX)));
    }

    #[test]
    fn unsupported_ranges_get_the_whole_file() {
        assert_eq!(range("bytes=0-1,5-6", 100), None);
        assert_eq!(range("items=0-1", 100), None);
        assert_eq!(range("bytes=5-2", 100), None);
        assert_eq!(range("bytes=x-", 100), None);
    }
}
