//! HTTPS for the sandbox: a certificate authority made at start, a leaf
//! certificate it signs, and a listener that speaks TLS over TCP for
//! `axum::serve`. The crypto provider is aws-lc-rs, the one the client's
//! rustls already uses.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long a client has to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The certificate the sandbox serves over HTTPS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsOptions {
    /// The names the leaf certificate is for: host names and IP addresses.
    pub names: Vec<String>,
    /// Make a leaf that expired yesterday (to see how a client refuses it).
    pub expired: bool,
}

impl Default for TlsOptions {
    fn default() -> Self {
        TlsOptions {
            names: ["localhost", "127.0.0.1", "::1"].map(String::from).to_vec(),
            expired: false,
        }
    }
}

/// A certificate authority, the leaf it signed, and the server side of TLS with them.
pub(crate) struct Certificates {
    /// The authority's certificate, PEM: what a client must trust.
    pub(crate) ca_pem: String,
    pub(crate) acceptor: TlsAcceptor,
}

/// Makes a fresh authority and a leaf for `options.names`.
pub(crate) fn make(options: &TlsOptions) -> io::Result<Certificates> {
    let now = time::OffsetDateTime::now_utc();
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(io::Error::other)?;
    ca.distinguished_name.push(DnType::CommonName, "Trackline sandbox CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = now - time::Duration::days(30);
    ca.not_after = now + time::Duration::days(365);
    let ca_key = KeyPair::generate().map_err(io::Error::other)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(io::Error::other)?;
    let issuer = Issuer::new(ca, ca_key);

    let mut leaf = CertificateParams::new(options.names.clone()).map_err(io::Error::other)?;
    leaf.distinguished_name.push(DnType::CommonName, "Trackline sandbox");
    leaf.use_authority_key_identifier_extension = true;
    if options.expired {
        leaf.not_before = now - time::Duration::days(10);
        leaf.not_after = now - time::Duration::days(1);
    } else {
        leaf.not_before = now - time::Duration::days(1);
        leaf.not_after = now + time::Duration::days(90);
    }
    let leaf_key = KeyPair::generate().map_err(io::Error::other)?;
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(io::Error::other)?;

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .map_err(io::Error::other)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Certificates {
        ca_pem: ca_cert.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

/// TCP connections after their TLS handshake. Handshakes run side by side,
/// so a client that stalls in one holds up no other.
pub(crate) struct TlsListener {
    addr: SocketAddr,
    incoming: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    task: JoinHandle<()>,
}

impl TlsListener {
    /// Accepts on `tcp` and shakes hands with `acceptor`.
    pub(crate) fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> io::Result<TlsListener> {
        let addr = tcp.local_addr()?;
        let (sender, incoming) = mpsc::channel(64);
        let task = tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors, say: give the connections in flight time to close.
                        tracing::warn!(%error, "sandbox: cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (acceptor, sender) = (acceptor.clone(), sender.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = sender.send((tls, peer)).await;
                        }
                        Ok(Err(error)) => tracing::info!(%error, %peer, "sandbox: TLS handshake failed"),
                        Err(_) => tracing::info!(%peer, "sandbox: TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener { addr, incoming, task })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.incoming.recv().await {
            Some(connection) => connection,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.addr)
    }
}
