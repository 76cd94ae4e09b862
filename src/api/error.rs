//! Everything that can go wrong talking to the API, each with the exit code of
//! SPEC.md and a message that says what to do next.

use crate::exit;
use crate::i18n::{Lang, Message};
use std::time::Duration;

/// An error from the Trackline API or the way to it.
///
/// Every string a variant carries that came from the server has already been
/// made safe to show (see [`crate::text`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// `POST /login` refused the email and password.
    #[error("wrong email or password{}", detail(.message))]
    BadCredentials {
        /// The server's own words, if any.
        message: Option<String>,
    },
    /// No token is stored for this profile.
    #[error("not logged in: run `trackline login` (or set TRACKLINE_EMAIL and TRACKLINE_PASSWORD)")]
    NotLoggedIn,
    /// A call with a token was answered 401: the session expired or was revoked.
    #[error("the session has expired or was refused{}: run `trackline login` again", detail(.message))]
    Unauthorized {
        /// The server's own words, if any.
        message: Option<String>,
    },
    /// 404: no such process or attachment.
    #[error("{what} was not found{}", detail(.message))]
    NotFound {
        /// What was looked up, such as "process 999" or "attachment 5".
        what: String,
        /// The server's own words, if any.
        message: Option<String>,
    },
    /// 429: too many requests.
    #[error("the server is rate limiting requests{}; try again later", retry_hint(.retry_after))]
    RateLimited {
        /// How long the server asked to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx, or another status the client does not expect.
    #[error("the server answered {status}{}", detail(.message))]
    Server {
        /// The HTTP status code.
        status: u16,
        /// The server's own words, if any.
        message: Option<String>,
        /// How long the server asked to wait (503 with Retry-After).
        retry_after: Option<Duration>,
    },
    /// No answer within the read or connect timeout.
    #[error("the server at {host} did not answer in time; check the connection and try again")]
    Timeout {
        /// The host that timed out.
        host: String,
    },
    /// The connection could not be made (refused, DNS, TLS, reset).
    #[error("cannot reach {host}: {reason}")]
    Connect {
        /// The host that could not be reached.
        host: String,
        /// What went wrong, from the network stack.
        reason: Message,
    },
    /// The body is not what the call answers (HTML from a proxy, say).
    #[error("expected JSON, got {content_type}{}", starts_with(snippet))]
    UnexpectedBody {
        /// The Content-Type header, or "no content type".
        content_type: String,
        /// The start of the body, made safe.
        snippet: String,
    },
    /// JSON that does not fit the model.
    #[error("the server sent JSON the client cannot read: {0}")]
    BadJson(Message),
    /// A body larger than the client accepts for metadata.
    #[error("the server sent more than {limit} bytes of metadata; refusing to read it")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// `http://` to a host that is not loopback.
    #[error("refusing plain http to {url}: use https, or pass --allow-insecure-http if you trust the network")]
    InsecureUrl {
        /// The URL that was refused.
        url: String,
    },
    /// The base URL cannot be parsed.
    #[error("invalid server URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it is not a URL.
        reason: Message,
    },
    /// A redirect to another origin (or from https to http), which is never followed.
    #[error("the server redirected to {to}, another origin; not following it so the token stays with {from}")]
    RedirectRefused {
        /// The origin the request went to.
        from: String,
        /// Where the server wanted it to go.
        to: String,
    },
    /// The server's certificate is not trusted: an unknown issuer, another
    /// name, expired. There is no switch to turn the check off.
    #[error(
        "cannot connect securely to {host}: {problem}. If your network inspects TLS with its own certificate authority (a company proxy or firewall), pass that authority's certificate with --ca-cert FILE (or TRACKLINE_CA_CERT, or ca_cert in the config file)"
    )]
    Tls {
        /// The origin whose certificate was refused.
        host: String,
        /// What is wrong with it.
        problem: Message,
    },
    /// The proxy answered 407: it wants a user and password it was not given (or others).
    #[error(
        "the proxy {proxy} refused the request (407 Proxy Authentication Required): give its user and password in the proxy URL, as http://USER:PASSWORD@HOST:PORT in --proxy, HTTPS_PROXY (or HTTP_PROXY) or proxy in the config file; percent-encode @, : and / inside them"
    )]
    ProxyAuth {
        /// The proxy, its password hidden.
        proxy: String,
    },
    /// The proxy did not open a tunnel to the server (its answer to `CONNECT`
    /// was not a success, nor a 407).
    #[error(
        "the proxy {proxy} refused to connect to {host}: check the user and password in the proxy URL (http://USER:PASSWORD@HOST:PORT), that the proxy may connect to that host and port, or set NO_PROXY for a server it should not handle"
    )]
    ProxyRefused {
        /// The proxy, its password hidden.
        proxy: String,
        /// The server it was asked to connect to.
        host: String,
    },
    /// A file of extra trusted certificates is missing or is not PEM.
    #[error(
        "cannot use the certificate file {path} (from {from}): {reason}; give a PEM file of certificates (-----BEGIN CERTIFICATE-----)"
    )]
    BadCaFile {
        /// The file.
        path: String,
        /// What named it: `--ca-cert`, `TRACKLINE_CA_CERT`, `config ca_cert`, `SSL_CERT_FILE`.
        from: String,
        /// What is wrong with it.
        reason: Message,
    },
    /// Anything else from the HTTP stack.
    #[error("request failed: {0}")]
    Http(Message),
}

fn starts_with(snippet: &str) -> String {
    if snippet.is_empty() {
        String::new()
    } else {
        crate::tr!(Lang::En, "api-body-starting", snippet = format!("{snippet:?}"))
    }
}

fn detail(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.trim().is_empty() => format!(" ({m})"),
        _ => String::new(),
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => crate::tr!(Lang::En, "api-retry-after", secs = d.as_secs()),
        None => String::new(),
    }
}

impl ApiError {
    /// The process exit code of SPEC.md for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            ApiError::BadCredentials { .. } | ApiError::NotLoggedIn | ApiError::Unauthorized { .. } => exit::AUTH,
            ApiError::NotFound { .. } => exit::NOT_FOUND,
            ApiError::RateLimited { .. }
            | ApiError::Server { .. }
            | ApiError::Timeout { .. }
            | ApiError::Connect { .. }
            | ApiError::ProxyAuth { .. }
            | ApiError::ProxyRefused { .. } => exit::UNAVAILABLE,
            ApiError::Tls { .. } => exit::TLS,
            ApiError::InsecureUrl { .. } | ApiError::InvalidUrl { .. } | ApiError::BadCaFile { .. } => exit::USAGE,
            ApiError::UnexpectedBody { .. }
            | ApiError::BadJson(_)
            | ApiError::TooLarge { .. }
            | ApiError::RedirectRefused { .. }
            | ApiError::Http(_) => exit::OTHER,
        }
    }

    /// Whether repeating the same idempotent request may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::RateLimited { .. } | ApiError::Timeout { .. } | ApiError::Connect { .. } => true,
            ApiError::Server { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }

    /// How long the server asked to wait before a retry, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after } | ApiError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether this error means the session is gone and a login would help.
    pub fn needs_login(&self) -> bool {
        matches!(self, ApiError::NotLoggedIn | ApiError::Unauthorized { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_spec() {
        assert_eq!(ApiError::BadCredentials { message: None }.exit_code(), 3);
        assert_eq!(ApiError::NotLoggedIn.exit_code(), 3);
        assert_eq!(
            ApiError::NotFound {
                what: "process 9".into(),
                message: None
            }
            .exit_code(),
            4
        );
        assert_eq!(
            ApiError::Connect {
                host: "h".into(),
                reason: "refused".into()
            }
            .exit_code(),
            5
        );
        assert_eq!(
            ApiError::Server {
                status: 503,
                message: None,
                retry_after: None
            }
            .exit_code(),
            5
        );
    }

    #[test]
    fn messages_say_what_to_do() {
        let insecure = ApiError::InsecureUrl {
            url: "http://example.com/api".into(),
        };
        assert!(insecure.to_string().contains("--allow-insecure-http"));
        assert!(ApiError::NotLoggedIn.to_string().contains("trackline login"));
        let not_found = ApiError::NotFound {
            what: "process 999".into(),
            message: Some("no such".into()),
        };
        assert_eq!(not_found.to_string(), "process 999 was not found (no such)");
    }
}

impl ApiError {
    /// The message in `lang`, with what to do next; the server's own words
    /// are kept as sent. Variants without a translation yet say it in English.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::tr;
        let said = |message: &Option<String>| detail(message);
        match self {
            ApiError::BadCredentials { message } => tr!(lang, "api-bad-credentials", detail = said(message)),
            ApiError::NotLoggedIn => tr!(lang, "api-not-logged-in"),
            ApiError::Unauthorized { message } => tr!(lang, "api-unauthorized", detail = said(message)),
            ApiError::NotFound { what, message } => {
                tr!(
                    lang,
                    "api-not-found",
                    what = looked_up(lang, what),
                    detail = said(message)
                )
            }
            ApiError::RateLimited { retry_after } => match retry_after {
                Some(d) => tr!(lang, "api-rate-limited-after", secs = d.as_secs()),
                None => tr!(lang, "api-rate-limited"),
            },
            ApiError::Server { status, message, .. } => {
                tr!(lang, "api-server", status = *status, detail = said(message))
            }
            ApiError::Timeout { host } => tr!(lang, "api-timeout", host = host.as_str()),
            ApiError::Connect { host, reason } => {
                tr!(lang, "api-connect", host = host.as_str(), reason = reason.text_in(lang))
            }
            ApiError::InsecureUrl { url } => tr!(lang, "api-insecure-url", url = url.as_str()),
            ApiError::UnexpectedBody { content_type, snippet } => {
                let start = if snippet.is_empty() {
                    String::new()
                } else {
                    tr!(lang, "api-body-starting", snippet = format!("{snippet:?}"))
                };
                tr!(
                    lang,
                    "api-unexpected-body",
                    content_type = content_type.as_str(),
                    start = start
                )
            }
            ApiError::BadJson(reason) => tr!(lang, "api-bad-json", reason = reason.text_in(lang)),
            ApiError::TooLarge { limit } => tr!(lang, "api-too-large", limit = limit.to_string()),
            ApiError::InvalidUrl { url, reason } => {
                tr!(
                    lang,
                    "api-invalid-url",
                    url = format!("{url:?}"),
                    reason = reason.text_in(lang)
                )
            }
            ApiError::RedirectRefused { from, to } => {
                tr!(lang, "api-redirect-refused", from = from.as_str(), to = to.as_str())
            }
            ApiError::Tls { host, problem } => {
                tr!(lang, "api-tls", host = host.as_str(), problem = problem.text_in(lang))
            }
            ApiError::ProxyAuth { proxy } => tr!(lang, "api-proxy-auth", proxy = proxy.as_str()),
            ApiError::ProxyRefused { proxy, host } => {
                tr!(lang, "api-proxy-refused", proxy = proxy.as_str(), host = host.as_str())
            }
            ApiError::BadCaFile { path, from, reason } => tr!(
                lang,
                "api-bad-ca-file",
                path = path.as_str(),
                from = from.as_str(),
                reason = reason.text_in(lang)
            ),
            ApiError::Http(reason) => tr!(lang, "api-http", reason = reason.text_in(lang)),
        }
    }
}

impl crate::api::client::RetryNotice {
    /// "trackline: REASON; retrying in 3 s (attempt 2 of 5)" in `lang`, for stderr.
    pub fn line_in(&self, lang: crate::i18n::Lang) -> String {
        let at = crate::i18n::Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        let reason = self.reasons.get(at).unwrap_or(&self.reason);
        let secs = self.delay.as_secs() + u64::from(self.delay.subsec_nanos() > 0);
        crate::tr!(
            lang,
            "retry-line",
            reason = reason.as_str(),
            secs = secs.to_string(),
            attempt = self.attempt.to_string(),
            max = self.max_attempts.to_string()
        )
    }
}

/// "process 12" and "attachment 5" of [`ApiError::NotFound`] in `lang`.
fn looked_up(lang: crate::i18n::Lang, what: &str) -> String {
    if let Some(id) = what.strip_prefix("process ") {
        crate::tr!(lang, "what-process", id = id)
    } else if let Some(id) = what.strip_prefix("attachment ") {
        crate::tr!(lang, "what-attachment", id = id)
    } else {
        what.to_string()
    }
}

#[cfg(test)]
mod localized_tests {
    use super::*;
    use crate::i18n::Lang;

    fn translated() -> Vec<ApiError> {
        vec![
            ApiError::BadCredentials { message: None },
            ApiError::BadCredentials {
                message: Some("locked".into()),
            },
            ApiError::NotLoggedIn,
            ApiError::Unauthorized { message: None },
            ApiError::NotFound {
                what: "process 999".into(),
                message: None,
            },
            ApiError::RateLimited { retry_after: None },
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(30)),
            },
            ApiError::Server {
                status: 502,
                message: Some("Bad Gateway".into()),
                retry_after: None,
            },
            ApiError::Timeout { host: "h".into() },
            ApiError::Connect {
                host: "h".into(),
                reason: "refused".into(),
            },
            ApiError::InsecureUrl { url: "http://x".into() },
            ApiError::UnexpectedBody {
                content_type: "text/html".into(),
                snippet: "<html>".into(),
            },
            ApiError::UnexpectedBody {
                content_type: "no content type".into(),
                snippet: String::new(),
            },
            ApiError::BadJson("missing field `id`".into()),
            ApiError::TooLarge { limit: 1048576 },
            ApiError::InvalidUrl {
                url: "ht!tp".into(),
                reason: "relative URL without a base".into(),
            },
            ApiError::RedirectRefused {
                from: "https://a".into(),
                to: "https://b".into(),
            },
            ApiError::Tls {
                host: "127.0.0.1".into(),
                problem: "its certificate is signed by an unknown certificate authority (unknown issuer)".into(),
            },
            ApiError::ProxyAuth {
                proxy: "http://p:8080".into(),
            },
            ApiError::ProxyRefused {
                proxy: "http://p:8080".into(),
                host: "h:443".into(),
            },
            ApiError::BadCaFile {
                path: "/x.pem".into(),
                from: "--ca-cert".into(),
                reason: "no certificates in it".into(),
            },
            ApiError::Http("boom".into()),
        ]
    }

    #[test]
    fn the_retry_hint_and_the_body_start_are_english_as_before() {
        let limited = ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(30)),
        };
        assert_eq!(
            limited.to_string(),
            "the server is rate limiting requests (retry after 30 s); try again later"
        );
        let body = ApiError::UnexpectedBody {
            content_type: "text/html".into(),
            snippet: "<html>".into(),
        };
        assert_eq!(body.to_string(), "expected JSON, got text/html starting \"<html>\"");
    }

    #[test]
    fn the_wrong_shapes_of_a_process_are_spanish_and_english_as_before() {
        use crate::api::model::{json_reason, parse_processes};
        let shape = json_reason(&parse_processes(b"\"hello\"").unwrap_err());
        assert_eq!(
            shape.as_str(),
            "expected a process object or an array of them, got a string"
        );
        assert_eq!(
            shape.text_in(Lang::Es),
            "se esperaba un objeto de proceso o una lista de ellos y llegó un texto"
        );
        let id = json_reason(&parse_processes(br#"{"process_id": [1]}"#).unwrap_err());
        assert_eq!(id.as_str(), "expected an id (string or number), got an array");
        assert_eq!(
            id.text_in(Lang::Es),
            "se esperaba un id (texto o número) y llegó una lista"
        );
        let other = json_reason(&parse_processes(b"{").unwrap_err());
        assert_eq!(other.text_in(Lang::Es), format!("({})", other.as_str()));
    }

    #[test]
    fn english_from_the_catalogue_is_the_display_text() {
        for e in translated() {
            assert_eq!(e.localized(Lang::En), e.to_string());
        }
    }

    #[test]
    fn spanish_keeps_the_server_words_and_says_what_to_do() {
        let e = ApiError::BadCredentials {
            message: Some("locked".into()),
        };
        assert_eq!(e.localized(Lang::Es), "correo o contraseña incorrectos (locked)");
        for e in translated() {
            assert_ne!(e.localized(Lang::Es), e.to_string(), "{e}");
        }
    }
}
