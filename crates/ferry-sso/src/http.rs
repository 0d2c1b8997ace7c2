//! The HTTP plumbing every provider shares: TLS always verified (plus an optional CA
//! file), timeouts, retries with backoff for server errors and timeouts only, and
//! status codes turned into [`SsoError`]s.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ferry_core::model::IdpKind;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{SsoError, idp_name};

/// Requests in flight at once: enough to hide latency, few enough not to trip a
/// provider's rate limit.
pub const CONCURRENCY: usize = 4;

#[derive(Debug, Clone)]
pub struct Options {
    /// An extra certificate authority (PEM) for a provider with its own CA.
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
    /// Attempts after the first, for 5xx answers and timeouts.
    pub retries: u32,
    /// The first pause before a retry; doubled each time.
    pub backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ca_file: None,
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(400),
        }
    }
}

pub(crate) struct Http {
    pub client: reqwest::Client,
    /// The provider's address without a trailing slash.
    pub base: String,
    pub idp: IdpKind,
    pub opts: Options,
    writes: AtomicUsize,
}

impl Http {
    pub fn new(idp: IdpKind, base: &str, opts: Options) -> Result<Self, SsoError> {
        let base = crate::desired::check_url(base).map_err(|key| SsoError::BadUrl {
            url: base.to_owned(),
            detail: match key {
                "url_not_https" => "use https:// (plain http only on this computer)".into(),
                _ => "it is not a web address".into(),
            },
        })?;
        let mut builder = reqwest::Client::builder()
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            // Credentials are never sent on to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Ferry/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &opts.ca_file {
            let ca_error = |detail: String| SsoError::CaFile {
                path: path.display().to_string(),
                detail,
            };
            let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
            let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| ca_error(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().map_err(|e| SsoError::BadUrl {
            url: base.clone(),
            detail: e.to_string(),
        })?;
        Ok(Http {
            client,
            base,
            idp,
            opts,
            writes: AtomicUsize::new(0),
        })
    }

    pub fn name(&self) -> &'static str {
        idp_name(self.idp)
    }

    /// Write requests sent so far (a second apply of the same plan sends none).
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::Relaxed)
    }

    /// Sends the request `build` makes, retrying server errors and timeouts. Answers
    /// 401, 403 and 5xx become errors; everything else is the caller's to read.
    pub async fn send(
        &self,
        action: &str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, SsoError> {
        self.send_inner(action, method, path, build, true, self.opts.retries)
            .await
    }

    /// Like [`Http::send`] without retries, for a call whose 5xx is an answer (Keycloak
    /// says "no e-mail server" with a 500).
    pub async fn send_once(
        &self,
        action: &str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, SsoError> {
        self.send_inner(action, method, path, build, true, 0).await
    }

    /// Like [`Http::send`] for signing in, which is not a change on the provider.
    pub async fn sign_in(
        &self,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, SsoError> {
        self.send_inner(
            "sign in",
            Method::POST,
            path,
            build,
            false,
            self.opts.retries,
        )
        .await
    }

    async fn send_inner(
        &self,
        action: &str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
        counted: bool,
        retries: u32,
    ) -> Result<Response, SsoError> {
        let url = format!("{}{path}", self.base);
        let mut attempt = 0;
        loop {
            if counted && method != Method::GET {
                self.writes.fetch_add(1, Ordering::Relaxed);
            }
            let result = build(self.client.request(method.clone(), &url))
                .send()
                .await;
            let outcome = match result {
                Err(e) => Err(self.transport_error(&e)),
                Ok(resp) => self.check_status(resp, action),
            };
            match outcome {
                Err(e) if e.is_transient() && attempt < retries => {
                    let pause = self.opts.backoff * 2u32.pow(attempt);
                    tracing::warn!(idp = self.name(), action, error = %e, ?pause, "retrying");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn check_status(&self, resp: Response, action: &str) -> Result<Response, SsoError> {
        let status = resp.status();
        match status {
            StatusCode::UNAUTHORIZED => Err(SsoError::BadCredentials { idp: self.name() }),
            StatusCode::FORBIDDEN => Err(SsoError::Forbidden {
                idp: self.name(),
                action: action.to_owned(),
            }),
            s if s.is_server_error() => Err(SsoError::Server {
                idp: self.name(),
                status: s.as_u16(),
                action: action.to_owned(),
            }),
            _ => Ok(resp),
        }
    }

    fn transport_error(&self, e: &reqwest::Error) -> SsoError {
        if e.is_timeout() {
            return SsoError::Timeout {
                url: self.base.clone(),
            };
        }
        // rustls reports an untrusted or mismatched certificate somewhere in the chain.
        let mut chain = String::new();
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(s) = source {
            chain.push_str(&s.to_string());
            chain.push(' ');
            source = s.source();
        }
        let lower = chain.to_lowercase();
        let tls_words = [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "alert received",
        ];
        if tls_words.iter().any(|w| lower.contains(w)) {
            SsoError::Tls {
                url: self.base.clone(),
                detail: short(&chain),
            }
        } else {
            SsoError::Unreachable {
                url: self.base.clone(),
                detail: short(&chain),
            }
        }
    }

    /// Reads a JSON answer, naming the action if it is not what was expected.
    pub async fn json<T: DeserializeOwned>(
        &self,
        resp: Response,
        action: &str,
    ) -> Result<T, SsoError> {
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| self.transport_error(&e))?;
        if !status.is_success() {
            return Err(self.unexpected(status, action));
        }
        serde_json::from_slice(&bytes).map_err(|e| SsoError::InvalidResponse {
            idp: self.name(),
            action: action.to_owned(),
            detail: e.to_string(),
        })
    }

    /// An answer with a status the contract does not give for this call.
    pub fn unexpected(&self, status: StatusCode, action: &str) -> SsoError {
        if status == StatusCode::NOT_FOUND {
            return SsoError::NotThisProvider {
                idp: self.name(),
                url: self.base.clone(),
            };
        }
        SsoError::InvalidResponse {
            idp: self.name(),
            action: action.to_owned(),
            detail: format!("HTTP {status}"),
        }
    }
}

fn short(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}
