//! A hostile HTTP server on loopback for the network clients' tests (the hosting
//! client, the catalogue refresh, the SSO providers include this file): each answer
//! is one way a server can hurt a client that trusts it.

#![allow(dead_code)] // each including test uses its own subset

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostile {
    /// 2 GB of JSON-looking bytes, streamed, with no length announced.
    Huge,
    /// A chunked body that keeps coming slowly and never ends.
    Endless,
    /// A 200 whose JSON has bytes that are not UTF-8.
    NotUtf8,
    /// `[` nested 100,000 deep.
    Deep,
    /// Every address redirects to itself.
    RedirectLoop,
}

pub const ALL: [Hostile; 5] = [
    Hostile::Huge,
    Hostile::Endless,
    Hostile::NotUtf8,
    Hostile::Deep,
    Hostile::RedirectLoop,
];

pub const HUGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub struct Server {
    pub url: String,
    /// Body bytes the clients accepted from the socket: a client that stops reading
    /// early keeps this far below [`HUGE_BYTES`].
    pub sent: Arc<AtomicU64>,
}

impl Server {
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
}

pub async fn serve(kind: Hostile) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let _ = answer(socket, kind, &counter).await;
            });
        }
    });
    Server { url, sent }
}

async fn answer(mut s: TcpStream, kind: Hostile, sent: &AtomicU64) -> std::io::Result<()> {
    let path = read_request(&mut s).await?;
    match kind {
        Hostile::Huge => {
            s.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[",
            )
            .await?;
            let chunk = b"0,".repeat(32 * 1024);
            let mut total = 0u64;
            while total < HUGE_BYTES {
                s.write_all(&chunk).await?;
                total += chunk.len() as u64;
                sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
        }
        Hostile::Endless => {
            s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                .await?;
            loop {
                s.write_all(b"2\r\n[ \r\n").await?;
                sent.fetch_add(2, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Hostile::NotUtf8 => {
            let body: &[u8] = b"{\"id\":\"\xff\xfe\xfd\",\"name\":\"\xc3\x28\"}";
            respond(&mut s, "200 OK", &[], body).await?;
        }
        Hostile::Deep => {
            let body = "[".repeat(100_000);
            respond(&mut s, "200 OK", &[], body.as_bytes()).await?;
        }
        Hostile::RedirectLoop => {
            let location = format!("location: {path}");
            respond(&mut s, "302 Found", &[&location], b"").await?;
        }
    }
    Ok(())
}

async fn respond(
    s: &mut TcpStream,
    status: &str,
    headers: &[&str],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await?;
    s.write_all(body).await?;
    s.flush().await
}

/// Reads the request head (and ignores any body); returns its path.
async fn read_request(s: &mut TcpStream) -> std::io::Result<String> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).await?;
        if n == 0 || seen.len() > 64 * 1024 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        seen.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&seen);
    Ok(head.split(' ').nth(1).unwrap_or("/").to_owned())
}

/// A TLS server (openssl s_server) whose certificate names `other.example`, not the
/// address asked for. `ca` is that certificate, to trust it as its own authority so
/// that the only thing wrong is the name. Dropping it stops the server.
pub struct WrongName {
    pub url: String,
    pub ca: PathBuf,
    _dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Drop for WrongName {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn wrong_name() -> WrongName {
    let dir = tempfile::tempdir().unwrap();
    let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=other.example",
            "-addext",
            "subjectAltName=DNS:other.example",
        ])
        // A server's certificate, not an authority's, even though it signs itself.
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl is installed");
    assert!(made.success(), "openssl made a certificate");
    // s_server picks a free port itself (port 0) and says which ("ACCEPT 127.0.0.1:N"):
    // a port found free here and handed over later could be taken meanwhile.
    let mut child = std::process::Command::new("openssl")
        .args(["s_server", "-www", "-accept", "127.0.0.1:0"])
        .arg("-cert")
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl s_server starts");
    let port = accepting_port(child.stdout.take().expect("s_server's output"));
    WrongName {
        url: format!("https://localhost:{port}"),
        ca: cert,
        _dir: dir,
        child,
    }
}

/// The most memory this process has held (VmHWM), in bytes.
pub fn peak_memory() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Reads s_server's output up to its "ACCEPT host:port" line and returns the port; the
/// rest of its output is read and dropped on a thread, so it never blocks on a full pipe.
fn accepting_port(out: std::process::ChildStdout) -> u16 {
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(out).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("s_server ended before it listened")
            .expect("s_server's output");
        if let Some(addr) = line.strip_prefix("ACCEPT ") {
            break addr
                .rsplit(':')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("a port after ACCEPT");
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    port
}
