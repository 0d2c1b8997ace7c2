//! A real SMTP server on loopback that keeps what it is sent: aiosmtpd (Debian's
//! python3-aiosmtpd, installed by scripts/setup) with its Debugging handler, which
//! prints each message to standard output. The mail stays in this test's memory.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

pub struct MailSink {
    pub port: u16,
    /// Each message's text (headers and body), as it arrived.
    messages: mpsc::UnboundedReceiver<String>,
    _child: Child,
}

const PYTHON: &str = "/usr/bin/python3";

impl MailSink {
    /// Starts the sink on a port it could bind, or says why not (aiosmtpd missing).
    pub async fn start() -> Result<MailSink, String> {
        let mut last = String::new();
        for _ in 0..8 {
            // Below the kernel's ephemeral range: no port-0 socket takes it meanwhile.
            let port = ferry_testkit::reserve_port();
            let mut child = Command::new(PYTHON)
                .args([
                    "-u",
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-c",
                    "aiosmtpd.handlers.Debugging",
                ])
                .arg("-l")
                .arg(format!("127.0.0.1:{port}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| {
                    format!("{PYTHON} -m aiosmtpd: {e} (apt-get install python3-aiosmtpd)")
                })?;
            // Listening once it answers; an exit means the port was taken.
            for _ in 0..100 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    let messages = read_messages(child.stdout.take().expect("piped"));
                    return Ok(MailSink {
                        port,
                        messages,
                        _child: child,
                    });
                }
                if let Ok(Some(status)) = child.try_wait() {
                    last = format!("aiosmtpd exited with {status} on port {port}");
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Err(format!("no SMTP sink: {last}"))
    }

    /// The next message, within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<String> {
        tokio::time::timeout(wait, self.messages.recv())
            .await
            .ok()
            .flatten()
    }
}

/// Splits the Debugging handler's output into messages.
fn read_messages(out: tokio::process::ChildStdout) -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut lines = BufReader::new(out).lines();
        let mut current: Option<String> = None;
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("MESSAGE FOLLOWS") {
                current = Some(String::new());
            } else if line.contains("END MESSAGE") {
                if let Some(m) = current.take() {
                    let _ = tx.send(m);
                }
            } else if let Some(m) = current.as_mut() {
                m.push_str(&line);
                m.push('\n');
            }
        }
    });
    rx
}

/// The text with quoted-printable soft breaks joined and `=XX` decoded.
pub fn unquote(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
