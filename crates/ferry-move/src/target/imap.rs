//! Mail into an IMAP server (RFC 3501/9051): folders created from Gmail's labels,
//! each message appended with its flags and the date Gmail received it
//! (`APPEND folder (\Seen) "13-Nov-2025 20:20:33 +0000" {n}`).
//!
//! Before appending into a folder, the folder's Message-ID, Date and size of every
//! message are read once (`FETCH 1:* (RFC822.SIZE BODY.PEEK[HEADER.FIELDS …])`): a
//! message already there — from an earlier run whose ledger row was lost, or moved
//! by hand — is recognised and not appended again.
//!
//! Whose account: the person's own login, or an administrator acting for them with
//! SASL PLAIN's authorisation identity (RFC 4616: `user\0admin\0password`), which is
//! how Dovecot's master users sign in; a server without master users refuses it.

use std::collections::{HashMap, HashSet};

use async_imap::{Client, Session};
use chrono::{DateTime, FixedOffset};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::net::TcpStream;

use super::conn::Conn;
use super::utf7;
use crate::error::MoveError;
use crate::source::mbox::{Headers, Message, parse_headers};

/// How to reach the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (port 993).
    Tls,
    /// STARTTLS on the plain port (143).
    StartTls,
    /// No encryption: only to this computer (tests, a tunnel).
    Plain,
}

/// Who signs in: the person, or an administrator for them.
#[derive(Clone)]
pub struct ImapLogin {
    pub user: String,
    pub password: String,
    /// The administrator's login when acting for `user` (the password is theirs).
    pub admin: Option<String>,
}

impl std::fmt::Debug for ImapLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapLogin")
            .field("user", &self.user)
            .field("admin", &self.admin)
            .finish_non_exhaustive()
    }
}

/// What identifies a message on the server without reading it whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub message_id: Option<String>,
    pub date: Option<i64>,
    pub size: u64,
}

impl Fingerprint {
    pub fn of(headers: &Headers, size: u64) -> Self {
        Fingerprint {
            message_id: headers.message_id.clone(),
            date: headers.date.map(|d| d.timestamp()),
            size,
        }
    }

    pub fn of_message(m: &Message) -> Self {
        Self::of(&m.headers, m.size)
    }
}

pub struct Imap {
    session: Session<Conn>,
    server: String,
    delimiter: String,
    /// Folder names (as the server spells them) that exist.
    folders: HashSet<String>,
    selected: Option<String>,
}

struct Plain {
    authzid: String,
    authcid: String,
    password: String,
}

impl async_imap::Authenticator for &Plain {
    type Response = Vec<u8>;
    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        let mut r = Vec::new();
        r.extend_from_slice(self.authzid.as_bytes());
        r.push(0);
        r.extend_from_slice(self.authcid.as_bytes());
        r.push(0);
        r.extend_from_slice(self.password.as_bytes());
        r
    }
}

/// A message as the server keeps it (read back to check flags and dates).
#[derive(Debug, Clone)]
pub struct Stored {
    pub flags: Vec<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub size: u64,
}

impl Imap {
    pub async fn connect(server: &ImapServer, login: &ImapLogin) -> Result<Imap, MoveError> {
        let name = format!("{}:{}", server.host, server.port);
        let unreachable = |e: &dyn std::fmt::Display| MoveError::Unreachable {
            server: name.clone(),
            detail: e.to_string(),
        };
        if server.security == Security::Plain && !super::conn::is_loopback(&server.host).await {
            return Err(MoveError::Insecure { server: name });
        }
        let tcp = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            TcpStream::connect((server.host.as_str(), server.port)),
        )
        .await
        .map_err(|e| unreachable(&e))?
        .map_err(|e| unreachable(&e))?;
        tcp.set_nodelay(true).ok();
        let conn = match server.security {
            Security::Tls => Conn::tls(tcp, &server.host)
                .await
                .map_err(|e| unreachable(&e))?,
            _ => Conn::Plain(tcp),
        };
        let mut client = Client::new(conn);
        client
            .read_response()
            .await
            .map_err(|e| unreachable(&e))?
            .ok_or_else(|| unreachable(&"closed before greeting"))?;
        if server.security == Security::StartTls {
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|e| MoveError::protocol(&name, e))?;
            let Conn::Plain(tcp) = client.into_inner() else {
                unreachable!("STARTTLS starts from a plain connection")
            };
            client = Client::new(
                Conn::tls(tcp, &server.host)
                    .await
                    .map_err(|e| unreachable(&e))?,
            );
        }
        let refused = || MoveError::SignIn {
            server: name.clone(),
            login: match &login.admin {
                Some(a) => format!("{a} (for {})", login.user),
                None => login.user.clone(),
            },
        };
        let session = match &login.admin {
            None => client
                .login(&login.user, &login.password)
                .await
                .map_err(|_| refused())?,
            Some(admin) => {
                let plain = Plain {
                    authzid: login.user.clone(),
                    authcid: admin.clone(),
                    password: login.password.clone(),
                };
                client
                    .authenticate("PLAIN", &plain)
                    .await
                    .map_err(|_| refused())?
            }
        };
        let mut imap = Imap {
            session,
            server: name,
            delimiter: "/".to_owned(),
            folders: HashSet::new(),
            selected: None,
        };
        imap.read_folders().await?;
        Ok(imap)
    }

    fn protocol(&self, e: impl std::fmt::Display) -> MoveError {
        MoveError::protocol(&self.server, e)
    }

    async fn read_folders(&mut self) -> Result<(), MoveError> {
        let names: Vec<_> = {
            let stream = self
                .session
                .list(Some(""), Some("*"))
                .await
                .map_err(|e| MoveError::protocol(&self.server, e))?;
            stream.collect().await
        };
        for n in names {
            let n = n.map_err(|e| self.protocol(e))?;
            if let Some(d) = n.delimiter() {
                self.delimiter = d.to_owned();
            }
            self.folders.insert(n.name().to_owned());
        }
        Ok(())
    }

    /// The server's name for a folder path (`Work/2024`): levels joined by its
    /// separator (a separator inside a level becomes `_`), in modified UTF-7.
    pub fn server_name(&self, path: &str) -> String {
        if path.eq_ignore_ascii_case("INBOX") {
            return "INBOX".to_owned();
        }
        let levels: Vec<String> = path
            .split('/')
            .map(|l| l.replace(self.delimiter.as_str(), "_"))
            .collect();
        utf7::encode(&levels.join(&self.delimiter))
    }

    /// Makes sure the folder exists; answers the server's name for it.
    pub async fn ensure_folder(&mut self, path: &str) -> Result<String, MoveError> {
        let name = self.server_name(path);
        if self.folders.contains(&name) || name == "INBOX" {
            return Ok(name);
        }
        if let Err(e) = self.session.create(&name).await {
            // Another client may have made it meanwhile: only a missing folder is an error.
            self.read_folders().await?;
            if !self.folders.contains(&name) {
                return Err(self.protocol(format!("could not create the folder {path}: {e}")));
            }
        }
        self.folders.insert(name.clone());
        Ok(name)
    }

    async fn select(&mut self, name: &str) -> Result<u32, MoveError> {
        let mailbox = self
            .session
            .select(name)
            .await
            .map_err(|e| MoveError::protocol(&self.server, e))?;
        self.selected = Some(name.to_owned());
        Ok(mailbox.exists)
    }

    /// What identifies each message already in the folder.
    pub async fn fingerprints(&mut self, name: &str) -> Result<HashSet<Fingerprint>, MoveError> {
        let mut out = HashSet::new();
        if self.select(name).await? == 0 {
            return Ok(out);
        }
        let mut stream = self
            .session
            .uid_fetch(
                "1:*",
                "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE)])",
            )
            .await
            .map_err(|e| MoveError::protocol(&self.server, e))?;
        while let Some(f) = stream.next().await {
            let f = f.map_err(|e| MoveError::protocol(&self.server, e))?;
            let headers = parse_headers(f.header().unwrap_or_default());
            out.insert(Fingerprint::of(&headers, u64::from(f.size.unwrap_or(0))));
        }
        Ok(out)
    }

    /// Appends one message with its flags and received date. The inner error is the
    /// server refusing this message (the connection goes on); the outer, a failure.
    pub async fn append(
        &mut self,
        name: &str,
        flags: &str,
        received: Option<DateTime<FixedOffset>>,
        bytes: &[u8],
    ) -> Result<Result<(), String>, MoveError> {
        let date = received.map(|d| format!("\"{}\"", d.format("%e-%b-%Y %H:%M:%S %z")));
        match self
            .session
            .append(name, Some(flags), date.as_deref(), bytes)
            .await
        {
            Ok(()) => Ok(Ok(())),
            Err(
                e @ (async_imap::error::Error::No(_)
                | async_imap::error::Error::Bad(_)
                | async_imap::error::Error::Append),
            ) => Ok(Err(e.to_string())),
            Err(e) => Err(MoveError::protocol(
                &self.server,
                format!("APPEND to {name}: {e}"),
            )),
        }
    }

    /// Every message of the folder read back: its size, content hash and fingerprint.
    pub async fn contents(
        &mut self,
        name: &str,
    ) -> Result<Vec<([u8; 32], Fingerprint)>, MoveError> {
        let mut out = Vec::new();
        if !self.folders.contains(name) && name != "INBOX" {
            return Ok(out);
        }
        if self.select(name).await? == 0 {
            return Ok(out);
        }
        let mut stream = self
            .session
            .uid_fetch("1:*", "(RFC822.SIZE BODY.PEEK[])")
            .await
            .map_err(|e| MoveError::protocol(&self.server, e))?;
        while let Some(f) = stream.next().await {
            let f = f.map_err(|e| MoveError::protocol(&self.server, e))?;
            let body = f.body().unwrap_or_default();
            let hash: [u8; 32] = Sha256::digest(body).into();
            let headers = parse_headers(head_of(body));
            out.push((hash, Fingerprint::of(&headers, body.len() as u64)));
        }
        Ok(out)
    }

    /// Each message's flags, INTERNALDATE and size, as the server keeps them.
    pub async fn flags_and_dates(&mut self, name: &str) -> Result<Vec<Stored>, MoveError> {
        let mut out = Vec::new();
        if self.select(name).await? == 0 {
            return Ok(out);
        }
        let mut stream = self
            .session
            .uid_fetch("1:*", "(FLAGS INTERNALDATE RFC822.SIZE)")
            .await
            .map_err(|e| MoveError::protocol(&self.server, e))?;
        while let Some(f) = stream.next().await {
            let f = f.map_err(|e| MoveError::protocol(&self.server, e))?;
            let flags = f.flags().map(|fl| format!("{fl:?}")).collect();
            out.push(Stored {
                flags,
                date: f.internal_date(),
                size: u64::from(f.size.unwrap_or(0)),
            });
        }
        Ok(out)
    }

    /// The folders on the server as paths (`Styret/2024`), the way [`Self::server_name`]
    /// takes them.
    pub fn folder_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .folders
            .iter()
            .map(|n| utf7::decode(n).unwrap_or_else(|| n.clone()))
            .map(|n| n.replace(self.delimiter.as_str(), "/"))
            .collect();
        v.sort();
        v
    }

    /// How many messages each folder holds (STATUS), for the report.
    pub async fn counts(&mut self, names: &[String]) -> Result<HashMap<String, u32>, MoveError> {
        let mut out = HashMap::new();
        for n in names {
            if !self.folders.contains(n) && n != "INBOX" {
                continue;
            }
            let m = self
                .session
                .status(n, "(MESSAGES)")
                .await
                .map_err(|e| MoveError::protocol(&self.server, e))?;
            out.insert(n.clone(), m.exists);
        }
        Ok(out)
    }

    pub async fn logout(mut self) {
        let _ = self.session.logout().await;
    }
}

/// The header block of a message (up to the first blank line).
fn head_of(body: &[u8]) -> &[u8] {
    let end = body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .unwrap_or(body.len());
    &body[..end.min(256 * 1024)]
}
