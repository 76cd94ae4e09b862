//! A tiny hand-written HTTP/1.1 server on 127.0.0.1:0 for answers no real
//! server should give: scripted statuses, silence, floods, hostile bodies.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What the server does with one request.
pub enum Reply {
    /// Writes these bytes (status line, headers, body) and closes.
    Raw(Vec<u8>),
    /// Writes `head` (ending in a blank line, announcing chunked encoding),
    /// then `total` bytes of JSON-looking filler in chunks until the client hangs up.
    Flood { head: String, total: u64 },
    /// Reads the request and never answers, until the client hangs up.
    Silence,
}

/// A complete answer with `status` (e.g. "200 OK"), extra header lines and a body.
pub fn reply(status: &str, headers: &[&str], content_type: &str, body: &[u8]) -> Reply {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

/// A JSON answer.
pub fn json(status: &str, body: &[u8]) -> Reply {
    reply(status, &[], "application/json", body)
}

/// A running raw server: its address, how many requests came, how many body bytes it wrote.
pub struct RawServer {
    pub port: u16,
    hits: Arc<AtomicUsize>,
    sent: Arc<AtomicU64>,
}

impl RawServer {
    /// Serves every connection on its own thread; `script(n)` is the reply to the n-th request (from 0).
    pub fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
        RawServer::start_on(0, script)
    }

    /// The same on `port` of 127.0.0.1 (0: any free one): a server that comes
    /// back where one was before.
    pub fn start_on(port: u16, script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        let script = Arc::new(script);
        let (hits2, sent2) = (hits.clone(), sent.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let n = hits2.fetch_add(1, Ordering::SeqCst);
                let (script, sent) = (script.clone(), sent2.clone());
                std::thread::spawn(move || serve(stream, script(n), &sent));
            }
        });
        RawServer { port, hits, sent }
    }

    /// The base URL (with `/api`).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/api", self.port)
    }

    /// Requests received so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Body bytes of floods written so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

fn serve(mut stream: TcpStream, reply: Reply, sent: &AtomicU64) {
    read_head(&mut stream);
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes);
        }
        Reply::Silence => {
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
        }
        Reply::Flood { head, total } => {
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let piece = "1234567890,".repeat(64 * 1024 / 11);
            let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
            let mut written = 0u64;
            if stream.write_all(b"1\r\n[\r\n").is_err() {
                return;
            }
            while written < total {
                if stream.write_all(chunk.as_bytes()).is_err() {
                    return;
                }
                written += piece.len() as u64;
                sent.fetch_add(piece.len() as u64, Ordering::SeqCst);
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
    }
}
