//! The way to a server: the trusted roots and the proxy a client is built
//! with, and the errors of that way (a certificate that is not trusted, a
//! proxy that wants a password) told apart from the rest.

use super::error::ApiError;
use crate::i18n::{Message, message};
use crate::text;
use rustls::CertificateError;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::fmt;
use std::path::Path;
use url::Url;

/// The proxy a client sends its requests through.
#[derive(Clone)]
pub struct ProxyTarget {
    url: String,
    shown: String,
    no_proxy: Option<String>,
}

impl ProxyTarget {
    /// A proxy at `url` (which may hold `user:password@`), shown to people as
    /// `shown` (without the password), skipped for the hosts of `no_proxy`.
    pub fn new(url: impl Into<String>, shown: impl Into<String>, no_proxy: Option<String>) -> Self {
        ProxyTarget {
            url: url.into(),
            shown: shown.into(),
            no_proxy,
        }
    }

    /// Whether the way to the proxy itself is TLS (`https://`).
    pub fn is_tls(&self) -> bool {
        self.url.starts_with("https:")
    }

    /// The proxy as people see it: `http://***@host:port`.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

impl fmt::Debug for ProxyTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyTarget")
            .field("url", &self.shown)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// The certificates of a PEM file, each one checked to be usable as a
/// trusted root. `path` is only for the error, which names it and what named it (`from`).
pub fn roots_from_pem(path: &Path, from: &str, pem: &[u8]) -> Result<Vec<reqwest::Certificate>, ApiError> {
    let bad = |reason: Message| ApiError::BadCaFile {
        path: path.display().to_string(),
        from: from.to_string(),
        reason,
    };
    let mut store = rustls::RootCertStore::empty();
    let mut roots = Vec::new();
    for (n, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| {
            bad(message!(
                "ca-pem-unreadable",
                error = Message::library_words(&e.to_string())
            ))
        })?;
        store.add(cert.clone()).map_err(|e| {
            bad(message!(
                "ca-cert-unusable",
                n = n + 1,
                error = Message::library_words(&e.to_string())
            ))
        })?;
        roots.push(reqwest::Certificate::from_der(&cert).map_err(|e| bad(Message::library_words(&e.to_string())))?);
    }
    if roots.is_empty() {
        return Err(bad(message!("ca-no-certificate")));
    }
    Ok(roots)
}

/// Sets the roots and the proxy of a client for `base`: the system's roots
/// plus `extra_roots`, and exactly `proxy` (reqwest's own reading of the
/// environment is turned off, so only the settings decide).
pub(crate) fn configure(
    mut builder: reqwest::ClientBuilder,
    base: &Url,
    extra_roots: &[reqwest::Certificate],
    proxy: Option<&ProxyTarget>,
) -> Result<reqwest::ClientBuilder, ApiError> {
    let tls_to_proxy = proxy.is_some_and(ProxyTarget::is_tls);
    if base.scheme() == "http" && !tls_to_proxy {
        // Redirects never leave the origin, so a plain-HTTP client never speaks TLS:
        // skip loading the system's root certificates (a third of a short command's run).
        builder = builder.tls_certs_only([]);
    } else if !extra_roots.is_empty() {
        builder = builder.tls_certs_merge(extra_roots.iter().cloned());
    }
    Ok(match proxy {
        Some(target) => {
            let no_proxy = target.no_proxy.as_deref().and_then(reqwest::NoProxy::from_string);
            let proxy = reqwest::Proxy::all(target.url.as_str()).map_err(|e| ApiError::InvalidUrl {
                url: target.shown.clone(),
                reason: Message::library_words(&text::safe_line(&e.to_string(), 200)),
            })?;
            builder.proxy(proxy.no_proxy(no_proxy))
        }
        None => builder.no_proxy(),
    })
}

/// Whether an answer that came through a proxy is the proxy's own refusal
/// to pass the request on: a 407, or (as tinyproxy 1.11 answers a wrong
/// password) a 401 with an HTTP Basic challenge and no JSON, which the
/// Trackline API never sends.
pub(crate) fn is_proxy_refusal(response: &reqwest::Response) -> bool {
    let status = response.status();
    if status == reqwest::StatusCode::PROXY_AUTHENTICATION_REQUIRED {
        return true;
    }
    let headers = response.headers();
    let basic_challenge = headers
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("basic"));
    let json = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    status == reqwest::StatusCode::UNAUTHORIZED && basic_challenge && !json
}

/// The error of the way to the server hidden in `error`'s chain, if it is
/// one: an untrusted certificate, or a proxy that refused.
pub(crate) fn classify(error: &(dyn std::error::Error + 'static), host: &str, proxy: Option<&str>) -> Option<ApiError> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls_error(tls, host));
        }
        if let (Some(proxy), Some(found)) = (proxy, tunnel_error(e)) {
            return Some(match found {
                Tunnel::AuthRequired => ApiError::ProxyAuth {
                    proxy: proxy.to_string(),
                },
                Tunnel::Refused => ApiError::ProxyRefused {
                    proxy: proxy.to_string(),
                    host: host.to_string(),
                },
            });
        }
        current = next_in_chain(e);
    }
    None
}

/// The error beneath `error`. An `io::Error` that wraps another (as the TLS
/// stack's do) names the wrapped one's source as its own, skipping it: look
/// inside instead.
fn next_in_chain<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a (dyn std::error::Error + 'static)> {
    match error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
        Some(inner) => Some(inner),
        None => error.source(),
    }
}

enum Tunnel {
    AuthRequired,
    Refused,
}

/// hyper-util's `TunnelError` (the answer to `CONNECT`) is not public, so it is
/// known by its words.
fn tunnel_error(error: &(dyn std::error::Error + 'static)) -> Option<Tunnel> {
    let words = error.to_string();
    let rest = words.strip_prefix("tunnel error: ")?;
    if rest.starts_with("proxy authorization required") {
        Some(Tunnel::AuthRequired)
    } else if rest.starts_with("unsuccessful") {
        Some(Tunnel::Refused)
    } else {
        None
    }
}

fn tls_error(error: &rustls::Error, host: &str) -> ApiError {
    let problem = match error {
        rustls::Error::InvalidCertificate(cert) => certificate_problem(cert),
        other => message!(
            "tls-failed-other",
            detail = Message::library_words(&text::safe_line(&other.to_string(), 300))
        ),
    };
    ApiError::Tls {
        host: host.to_string(),
        problem,
    }
}

fn certificate_problem(error: &CertificateError) -> Message {
    match error {
        CertificateError::UnknownIssuer => message!("tls-unknown-issuer"),
        CertificateError::NotValidForName => message!("tls-wrong-name"),
        CertificateError::NotValidForNameContext { presented, .. } => message!(
            "tls-wrong-name-names",
            names = if presented.is_empty() {
                message!("tls-no-host")
            } else {
                Message::verbatim(text::safe_line(
                    &presented
                        .iter()
                        .map(|name| plain_name(name))
                        .collect::<Vec<_>>()
                        .join(", "),
                    300,
                ))
            }
        ),
        CertificateError::Expired => message!("tls-expired"),
        CertificateError::ExpiredContext { not_after, .. } => {
            message!("tls-expired-on", date = date(not_after.as_secs()))
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            message!("tls-not-valid-yet")
        }
        CertificateError::Revoked => message!("tls-revoked"),
        other => message!(
            "tls-invalid-other",
            detail = Message::library_words(&text::safe_line(&format!("{other:?}"), 300))
        ),
    }
}

/// `elsewhere.example` from rustls's `DnsName("elsewhere.example")`.
fn plain_name(name: &str) -> &str {
    name.split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(name)
}

fn date(unix_secs: u64) -> Message {
    i64::try_from(unix_secs)
        .ok()
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .and_then(|at| {
            at.format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .map_or_else(|| message!("tls-unreadable-date"), Message::verbatim)
}

/// The innermost error message, which says what actually went wrong
/// ("Connection refused (os error 111)").
pub(crate) fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// Why a connection could not be made, from `error`'s chain: the root
/// cause's words in English ("Connection refused (os error 111)"), said by
/// their kind in the other languages (a failed name lookup, a refusal, …).
pub(crate) fn connect_reason(error: &(dyn std::error::Error + 'static)) -> Message {
    let mut words = error.to_string();
    let mut kind = None;
    let mut dns = false;
    let mut current = Some(error);
    while let Some(e) = current {
        words = e.to_string();
        // hyper-util's `ConnectError` says "dns error" for a failed name lookup.
        dns |= words == "dns error";
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() != std::io::ErrorKind::Other
        {
            kind = Some(io.kind());
        }
        current = e.source();
    }
    if dns {
        return Message::in_own_english("os-dns", &words);
    }
    Message::os_words(kind, &words)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_certificates_is_refused_with_its_path() {
        let path = Path::new("/tmp/not-a-cert.pem");
        let err = roots_from_pem(path, "--ca-cert", b"hello\n").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let message = err.to_string();
        assert!(message.contains("/tmp/not-a-cert.pem"), "{message}");
        assert!(message.contains("--ca-cert"), "{message}");
        let broken = b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n";
        assert!(roots_from_pem(path, "--ca-cert", broken).is_err());
    }

    #[test]
    fn certificate_problems_are_named() {
        let host = "https://127.0.0.1:8443";
        let unknown = tls_error(
            &rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            host,
        );
        assert_eq!(unknown.exit_code(), 7);
        let message = unknown.to_string();
        assert!(message.contains(host), "{message}");
        assert!(message.contains("unknown issuer"), "{message}");
        assert!(message.contains("--ca-cert"), "{message}");
        let expired = tls_error(&rustls::Error::InvalidCertificate(CertificateError::Expired), host);
        assert!(expired.to_string().contains("expired"));
        let other = CertificateError::NotValidForNameContext {
            expected: rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap(),
            presented: vec!["DnsName(\"elsewhere.example\")".to_string()],
        };
        let wrong = tls_error(&rustls::Error::InvalidCertificate(other), host).to_string();
        assert!(wrong.contains("wrong name): it names elsewhere.example."), "{wrong}");
    }

    #[test]
    fn certificate_and_ca_file_reasons_are_spanish_and_english_as_before() {
        use crate::i18n::Lang;
        let host = "https://127.0.0.1:8443";
        let problem = |e: CertificateError| match tls_error(&rustls::Error::InvalidCertificate(e), host) {
            ApiError::Tls { problem, .. } => problem,
            other => panic!("{other:?}"),
        };
        let expired = problem(CertificateError::ExpiredContext {
            time: rustls::pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_700_000_000)),
            not_after: rustls::pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_600_000_000)),
        });
        assert_eq!(expired.as_str(), "its certificate has expired (on 2020-09-13)");
        assert_eq!(expired.text_in(Lang::Es), "su certificado ha caducado (el 2020-09-13)");
        let nameless = problem(CertificateError::NotValidForNameContext {
            expected: rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap(),
            presented: Vec::new(),
        });
        assert_eq!(
            nameless.as_str(),
            "its certificate is for another name (wrong name): it names no host"
        );
        assert_eq!(
            nameless.text_in(Lang::Es),
            "su certificado es de otro nombre (nombre incorrecto): nombra ningún servidor"
        );
        let odd = problem(CertificateError::BadSignature);
        assert_eq!(odd.as_str(), "its certificate is not valid (BadSignature)");
        assert_eq!(odd.text_in(Lang::Es), "su certificado no es válido ((BadSignature))");
        let path = Path::new("/tmp/x.pem");
        let empty = roots_from_pem(path, "--ca-cert", b"hello\n").unwrap_err();
        assert_eq!(
            empty.to_string(),
            "cannot use the certificate file /tmp/x.pem (from --ca-cert): it holds no certificate; \
             give a PEM file of certificates (-----BEGIN CERTIFICATE-----)"
        );
        assert!(
            empty
                .localized(Lang::Es)
                .contains("/tmp/x.pem (de --ca-cert): no contiene ningún certificado;"),
            "{}",
            empty.localized(Lang::Es)
        );
    }

    /// A failed name lookup is known by hyper-util's "dns error" in the chain.
    #[test]
    fn connect_reasons_are_said_by_their_kind_and_keep_the_os_words_in_english() {
        use crate::i18n::Lang;
        #[derive(Debug)]
        struct Layer(&'static str, std::io::Error);
        impl fmt::Display for Layer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for Layer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.1)
            }
        }
        let words = "failed to lookup address information: Name or service not known";
        let dns = Layer("dns error", std::io::Error::other(words));
        let reason = connect_reason(&dns);
        assert_eq!(reason.as_str(), words);
        assert_eq!(reason.text_in(Lang::Es), "no se encuentra el servidor (DNS)");
        let refused = Layer("tcp connect error", std::io::Error::from_raw_os_error(111));
        let reason = connect_reason(&refused);
        assert_eq!(reason.as_str(), "Connection refused (os error 111)");
        assert_eq!(reason.text_in(Lang::Es), "conexión rechazada");
        let odd = Layer("tcp connect error", std::io::Error::from_raw_os_error(99));
        assert_eq!(
            connect_reason(&odd).text_in(Lang::Es),
            "(os error 99: Cannot assign requested address)"
        );
    }

    #[test]
    fn the_proxy_never_shows_its_password() {
        let target = ProxyTarget::new("http://ana:s3cret@proxy:3128", "http://***@proxy:3128", None);
        let shown = format!("{target:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(target.shown(), "http://***@proxy:3128");
    }
}
