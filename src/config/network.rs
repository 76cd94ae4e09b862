//! The network settings: extra trusted certificate authorities and the proxy,
//! resolved from flags, the environment and the config file like every other
//! setting (flag > environment > config file), and never from reqwest's own
//! reading of the environment.

use super::ConfigError;
use super::setting::{Setting, Source};
use super::snapshot::Snapshot;
use std::ffi::OsStr;
use std::fmt;
use std::path::PathBuf;
use url::Url;

/// The variable of OpenSSL's convention for a bundle of trusted certificates.
pub const SSL_CERT_FILE_ENV: &str = "SSL_CERT_FILE";

/// The proxy variables, each in lower case (curl's choice when both are set) then upper case.
const HTTPS_PROXY_ENV: [&str; 2] = ["https_proxy", "HTTPS_PROXY"];
const HTTP_PROXY_ENV: [&str; 2] = ["http_proxy", "HTTP_PROXY"];
const ALL_PROXY_ENV: [&str; 2] = ["all_proxy", "ALL_PROXY"];
const NO_PROXY_ENV: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// Every variable this module reads, for [`Snapshot::capture`].
pub(crate) const NETWORK_ENV: [&str; 8] = [
    HTTPS_PROXY_ENV[0],
    HTTPS_PROXY_ENV[1],
    HTTP_PROXY_ENV[0],
    HTTP_PROXY_ENV[1],
    ALL_PROXY_ENV[0],
    ALL_PROXY_ENV[1],
    NO_PROXY_ENV[0],
    NO_PROXY_ENV[1],
];

/// One PEM file of extra trusted certificate authorities and what named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaCertFile {
    /// The file, `~` expanded.
    pub path: PathBuf,
    /// What named it: `--ca-cert`, `TRACKLINE_CA_CERT`, `config ca_cert` or `SSL_CERT_FILE`.
    pub from: &'static str,
}

/// A proxy URL. It may hold a user and password, so it is shown only as
/// [`ProxyUrl::redacted`] (`http://***@host:port`), by `Display` and `Debug` alike.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl(Url);

impl ProxyUrl {
    /// Parses a proxy as users write it: a URL, or `host:port` meaning `http://host:port`.
    pub fn parse(text: &str) -> Result<ProxyUrl, crate::i18n::Message> {
        use crate::i18n::{Message, message};
        let text = text.trim();
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("http://{text}")
        };
        let url = Url::parse(&with_scheme).map_err(|e| Message::library_words(&e.to_string()))?;
        match url.scheme() {
            "http" | "https" => {}
            other => return Err(message!("proxy-scheme", scheme = other)),
        }
        if url.host().is_none() {
            return Err(message!("url-no-host"));
        }
        Ok(ProxyUrl(url))
    }

    /// The URL with its user and password, for the HTTP client only.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// Whether it carries a user or a password.
    pub fn has_credentials(&self) -> bool {
        !self.0.username().is_empty() || self.0.password().is_some()
    }

    /// `http://***@host:port` (or `http://host:port` without credentials).
    pub fn redacted(&self) -> String {
        let host = self.0.host_str().unwrap_or("");
        let port = self
            .0
            .port_or_known_default()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let auth = if self.has_credentials() { "***@" } else { "" };
        format!("{}://{auth}{host}{port}", self.0.scheme())
    }
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({})", self.redacted())
    }
}

/// A proxy and what named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyChoice {
    /// The proxy.
    pub url: ProxyUrl,
    /// `--proxy`, the variable (`HTTPS_PROXY`, `https_proxy`, …) or `config proxy`.
    pub from: &'static str,
}

/// The proxies of one run, per scheme of the server's URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    /// For `https://` servers; `None` connects directly.
    pub https: Option<ProxyChoice>,
    /// For `http://` servers; `None` connects directly.
    pub http: Option<ProxyChoice>,
    /// Hosts reached directly (`NO_PROXY` syntax), and what named them.
    pub no_proxy: Option<(String, &'static str)>,
}

/// How requests to one server travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyUse<'a> {
    /// Straight to the server: no proxy is set for its scheme.
    Direct,
    /// Straight to the server: a proxy is set, but the no-proxy list names the server.
    Bypassed {
        /// The proxy that is not used.
        proxy: &'a ProxyChoice,
        /// What named the list (`NO_PROXY`, …).
        by: &'static str,
    },
    /// Through this proxy.
    Via(&'a ProxyChoice),
}

impl Proxies {
    /// How requests to `server` (a URL) travel. Whether the no-proxy list
    /// names the server is decided by the same rules the HTTP client applies
    /// (curl's: a domain and its subdomains, IP addresses and networks, `*`).
    pub fn for_server(&self, server: &str) -> ProxyUse<'_> {
        let Ok(url) = Url::parse(server.trim()) else {
            return ProxyUse::Direct;
        };
        let choice = match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        };
        let Some(choice) = choice else {
            return ProxyUse::Direct;
        };
        if let (Some((list, by)), Some(host)) = (&self.no_proxy, url.host_str()) {
            let probe = hyper_util::client::proxy::matcher::Matcher::builder()
                .all(choice.url.expose().to_string())
                .no(list.clone())
                .build();
            let origin = format!("{}://{}/", url.scheme(), host);
            let bypassed = origin
                .parse::<http::Uri>()
                .is_ok_and(|uri| probe.intercept(&uri).is_none());
            if bypassed {
                return ProxyUse::Bypassed { proxy: choice, by };
            }
        }
        ProxyUse::Via(choice)
    }

    /// How `server` is reached, in words, for `status` and `config show`:
    /// "http://***@proxy:3128 (from HTTPS_PROXY)", "none", or "none (NO_PROXY names this server)".
    pub fn describe_for(&self, server: &str) -> String {
        self.describe_for_in(crate::i18n::Lang::En, server)
    }

    /// [`Proxies::describe_for`] in `lang`.
    pub fn describe_for_in(&self, lang: crate::i18n::Lang, server: &str) -> String {
        match self.for_server(server) {
            ProxyUse::Direct => crate::tr!(lang, "proxy-none"),
            ProxyUse::Bypassed { proxy, by } => crate::tr!(
                lang,
                "proxy-bypassed",
                by = by.to_string(),
                proxy = proxy.url.to_string()
            ),
            ProxyUse::Via(choice) => crate::tr!(
                lang,
                "proxy-via",
                proxy = choice.url.to_string(),
                from = choice.from.to_string()
            ),
        }
    }
}

/// Resolves the proxies: `--proxy` for every scheme, else the variable of
/// the scheme, then `ALL_PROXY`, then the config file's `proxy`. An empty
/// value at any step means no proxy and stops the search. `NO_PROXY` beats
/// the config's `no_proxy`, and applies to whichever proxy was chosen.
pub(super) fn resolve_proxies(
    snapshot: &Snapshot,
    flag: Option<&str>,
    config_proxy: Option<&str>,
    config_no_proxy: Option<&str>,
) -> Result<(Proxies, Source, Option<Source>), ConfigError> {
    let flagged = flag.map(|value| (value.to_string(), "--proxy", Source::Flag));
    let from_file = config_proxy.map(|value| (value.to_string(), "config proxy", Source::File));
    let pick = |names: [&'static str; 2]| {
        flagged
            .clone()
            .or_else(|| env_first(snapshot, names).map(|(v, n)| (v, n, Source::Env)))
            .or_else(|| env_first(snapshot, ALL_PROXY_ENV).map(|(v, n)| (v, n, Source::Env)))
            .or_else(|| from_file.clone())
    };
    let https = pick(HTTPS_PROXY_ENV);
    let http = pick(HTTP_PROXY_ENV);
    let source = [&https, &http]
        .into_iter()
        .flatten()
        .map(|(_, _, source)| *source)
        .max()
        .unwrap_or(Source::Default);
    let no_proxy = env_first(snapshot, NO_PROXY_ENV)
        .map(|(value, name)| (value, name, Source::Env))
        .or_else(|| config_no_proxy.map(|v| (v.to_string(), "config no_proxy", Source::File)));
    let no_proxy_source = no_proxy.as_ref().map(|(_, _, source)| *source);
    Ok((
        Proxies {
            https: choice(https)?,
            http: choice(http)?,
            no_proxy: no_proxy
                .filter(|(list, _, _)| !list.trim().is_empty())
                .map(|(list, name, _)| (list, name)),
        },
        source,
        no_proxy_source,
    ))
}

fn choice(picked: Option<(String, &'static str, Source)>) -> Result<Option<ProxyChoice>, ConfigError> {
    let Some((value, from, _)) = picked else {
        return Ok(None);
    };
    if value.trim().is_empty() {
        return Ok(None);
    }
    let url = ProxyUrl::parse(&value).map_err(|reason| ConfigError::Invalid {
        setting: from.to_string(),
        message: crate::i18n::message!("proxy-not-a-url", value = redact_text(&value), reason = reason),
    })?;
    Ok(Some(ProxyChoice { url, from }))
}

/// A value that failed to parse as a URL, with anything before an `@` hidden.
fn redact_text(value: &str) -> String {
    let shown = match value.rsplit_once('@') {
        Some((before, after)) => match before.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://***@{after}"),
            None => format!("***@{after}"),
        },
        None => value.to_string(),
    };
    format!("{:?}", crate::text::safe_line(&shown, 200))
}

fn env_first(snapshot: &Snapshot, names: [&'static str; 2]) -> Option<(String, &'static str)> {
    names.into_iter().find_map(|name| {
        snapshot
            .env(name)
            .map(OsStr::to_string_lossy)
            .map(|value| (value.into_owned(), name))
    })
}

/// The extra roots: the first of `--ca-cert`, `TRACKLINE_CA_CERT` and the
/// config's `ca_cert`, then `SSL_CERT_FILE`; both are added to the system's.
pub(super) fn resolve_ca_certs(
    snapshot: &Snapshot,
    flag: Option<(PathBuf, Source)>,
    config_ca_cert: Option<PathBuf>,
) -> (Vec<CaCertFile>, Option<Source>) {
    let mut files = Vec::new();
    let picked = match flag {
        Some((path, source)) => Some((path, source)),
        None => config_ca_cert.map(|path| (path, Source::File)),
    };
    let source = picked.as_ref().map(|(_, source)| *source);
    if let Some((path, source)) = picked {
        let from = match source {
            Source::Env => Setting::CaCert.env_var().unwrap_or("TRACKLINE_CA_CERT"),
            Source::File => "config ca_cert",
            _ => "--ca-cert",
        };
        files.push(CaCertFile { path, from });
    }
    if let Some(path) = snapshot.env(SSL_CERT_FILE_ENV).filter(|p| !p.is_empty()) {
        files.push(CaCertFile {
            path: PathBuf::from(path),
            from: SSL_CERT_FILE_ENV,
        });
    }
    (files, source)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_proxy_that_is_not_a_url_says_why_in_spanish_and_english_as_before() {
        let scheme = ProxyUrl::parse("socks5://proxy:1080").unwrap_err();
        assert_eq!(scheme.as_str(), "the scheme must be http or https, not socks5");
        assert_eq!(scheme.text_in(Lang::Es), "el esquema debe ser http o https, no socks5");
        let port = ProxyUrl::parse("http://proxy:99999").unwrap_err();
        assert_eq!(port.as_str(), "invalid port number");
        assert_eq!(port.text_in(Lang::Es), "(invalid port number)");
    }

    fn snapshot(env: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            env: env.iter().map(|(k, v)| (k.to_string(), (*v).into())).collect(),
            ..Snapshot::default()
        }
    }

    fn proxies(env: &[(&str, &str)], flag: Option<&str>, file: Option<&str>) -> Proxies {
        resolve_proxies(&snapshot(env), flag, file, None).unwrap().0
    }

    #[test]
    fn a_proxy_shows_no_password() {
        let url = ProxyUrl::parse("http://ana:s3cret@proxy.example:3128").unwrap();
        assert_eq!(url.redacted(), "http://***@proxy.example:3128");
        assert_eq!(format!("{url} {url:?}").matches("s3cret").count(), 0);
        assert!(url.expose().contains("s3cret"));
        assert_eq!(
            ProxyUrl::parse("proxy.example:8080").unwrap().redacted(),
            "http://proxy.example:8080"
        );
        assert!(ProxyUrl::parse("socks5://proxy:1080").is_err());
    }

    #[test]
    fn the_flag_beats_the_environment_which_beats_the_file() {
        let env = [("HTTPS_PROXY", "http://env:1"), ("http_proxy", "http://lower:2")];
        let p = proxies(&env, Some("http://flag:3"), Some("http://file:4"));
        assert_eq!(p.https.as_ref().unwrap().from, "--proxy");
        assert_eq!(p.http.unwrap().url.redacted(), "http://flag:3");
        let p = proxies(&env, None, Some("http://file:4"));
        assert_eq!(p.https.as_ref().unwrap().from, "HTTPS_PROXY");
        assert_eq!(p.http.as_ref().unwrap().from, "http_proxy");
        let p = proxies(&[("ALL_PROXY", "http://all:5")], None, Some("http://file:4"));
        assert_eq!(p.https.unwrap().from, "ALL_PROXY");
        let p = proxies(&[], None, Some("http://file:4"));
        assert_eq!(p.https.unwrap().from, "config proxy");
        assert_eq!(proxies(&[], None, None), Proxies::default());
    }

    #[test]
    fn an_empty_flag_means_no_proxy_whatever_the_environment_says() {
        let p = proxies(&[("HTTPS_PROXY", "http://env:1")], Some(""), None);
        assert_eq!(p.https, None);
        assert_eq!(p.for_server("https://api.example/api"), ProxyUse::Direct);
    }

    #[test]
    fn lower_case_wins_over_upper_case() {
        let p = proxies(
            &[("https_proxy", "http://a:1"), ("HTTPS_PROXY", "http://b:2")],
            None,
            None,
        );
        assert_eq!(p.https.unwrap().url.redacted(), "http://a:1");
    }

    #[test]
    fn no_proxy_bypasses_the_hosts_it_names_loopback_included() {
        let env = [
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", ".internal.example, 127.0.0.1"),
        ];
        let p = proxies(&env, None, None);
        assert!(matches!(
            p.for_server("https://api.internal.example/api"),
            ProxyUse::Bypassed { by: "NO_PROXY", .. }
        ));
        assert!(matches!(
            p.for_server("https://127.0.0.1:8443/api"),
            ProxyUse::Bypassed { .. }
        ));
        assert!(matches!(p.for_server("https://[::1]:8443/api"), ProxyUse::Via(_)));
        assert!(matches!(p.for_server("https://api.example/api"), ProxyUse::Via(_)));
        assert_eq!(
            p.describe_for("https://api.example/api"),
            "http://proxy:3128 (from HTTPS_PROXY)"
        );
        assert_eq!(p.for_server("http://api.example/api"), ProxyUse::Direct);
    }

    #[test]
    fn a_bad_proxy_is_a_usage_error_that_hides_the_password() {
        let err = resolve_proxies(
            &snapshot(&[("HTTPS_PROXY", "ftp://ana:s3cret@proxy:21")]),
            None,
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let message = err.to_string();
        assert!(message.contains("HTTPS_PROXY"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }

    #[test]
    fn ssl_cert_file_is_added_to_the_chosen_ca_file() {
        let snap = snapshot(&[("SSL_CERT_FILE", "/etc/corp.pem")]);
        let (files, source) = resolve_ca_certs(&snap, Some(("/a.pem".into(), Source::Env)), Some("/b.pem".into()));
        assert_eq!(source, Some(Source::Env));
        let named: Vec<_> = files.iter().map(|f| (f.path.to_str().unwrap(), f.from)).collect();
        assert_eq!(
            named,
            [("/a.pem", "TRACKLINE_CA_CERT"), ("/etc/corp.pem", "SSL_CERT_FILE")]
        );
        let (files, _) = resolve_ca_certs(&snapshot(&[]), None, Some("/b.pem".into()));
        assert_eq!(files[0].from, "config ca_cert");
    }
}
