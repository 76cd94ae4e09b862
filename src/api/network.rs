//! The way to a server: the trusted roots and the proxy a client is built
//! with, and the errors of that way (a certificate that is not trusted, a
//! proxy that wants a password) told apart from the rest.

use super::error::ApiError;
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
    let bad = |reason: String| ApiError::BadCaFile {
        path: path.display().to_string(),
        from: from.to_string(),
        reason,
    };
    let mut store = rustls::RootCertStore::empty();
    let mut roots = Vec::new();
    for (n, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| bad(format!("its PEM cannot be read ({e})")))?;
        store
            .add(cert.clone())
            .map_err(|e| bad(format!("certificate {} of it cannot be used ({e})", n + 1)))?;
        roots.push(reqwest::Certificate::from_der(&cert).map_err(|e| bad(e.to_string()))?);
    }
    if roots.is_empty() {
        return Err(bad("it holds no certificate".to_string()));
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
                reason: text::safe_line(&e.to_string(), 200),
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
        other => format!("the secure connection failed ({other})"),
    };
    ApiError::Tls {
        host: host.to_string(),
        problem: text::safe_line(&problem, 300),
    }
}

fn certificate_problem(error: &CertificateError) -> String {
    match error {
        CertificateError::UnknownIssuer => {
            "its certificate is signed by an unknown certificate authority (unknown issuer)".to_string()
        }
        CertificateError::NotValidForName => "its certificate is for another name (wrong name)".to_string(),
        CertificateError::NotValidForNameContext { presented, .. } => format!(
            "its certificate is for another name (wrong name): it names {}",
            if presented.is_empty() {
                "no host".to_string()
            } else {
                presented
                    .iter()
                    .map(|name| plain_name(name))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        CertificateError::Expired => "its certificate has expired".to_string(),
        CertificateError::ExpiredContext { not_after, .. } => {
            format!("its certificate has expired (on {})", date(not_after.as_secs()))
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "its certificate is not valid yet; check this computer's clock".to_string()
        }
        CertificateError::Revoked => "its certificate has been revoked".to_string(),
        other => format!("its certificate is not valid ({other:?})"),
    }
}

/// `elsewhere.example` from rustls's `DnsName("elsewhere.example")`.
fn plain_name(name: &str) -> &str {
    name.split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(name)
}

fn date(unix_secs: u64) -> String {
    i64::try_from(unix_secs)
        .ok()
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .and_then(|at| {
            at.format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_else(|| "an unreadable date".to_string())
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
    fn the_proxy_never_shows_its_password() {
        let target = ProxyTarget::new("http://ana:s3cret@proxy:3128", "http://***@proxy:3128", None);
        let shown = format!("{target:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(target.shown(), "http://***@proxy:3128");
    }
}
