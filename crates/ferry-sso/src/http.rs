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
    /// An extra certificate authority as PEM text (the plan's `sso.ca_pem`).
    pub ca_pem: Option<String>,
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
            ca_pem: None,
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(400),
        }
    }
}

/// A provider's admin API over HTTP: its address, client (CA, timeouts), retries and
/// write count. Public only as what [`crate::provider::Provider::http`] answers.
pub struct Http {
    pub(crate) client: reqwest::Client,
    /// The provider's address without a trailing slash.
    pub(crate) base: String,
    pub(crate) idp: IdpKind,
    pub(crate) opts: Options,
    writes: AtomicUsize,
    /// Values never to repeat in an error (the admin token or key).
    hidden: Vec<String>,
}

impl Http {
    pub(crate) fn new(idp: IdpKind, base: &str, opts: Options) -> Result<Self, SsoError> {
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
        if let Some(pem) = opts.ca_pem.as_deref().filter(|p| !p.trim().is_empty()) {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|e| {
                SsoError::CaFile {
                    path: "sso.ca_pem".into(),
                    detail: e.to_string(),
                }
            })?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
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
            hidden: Vec::new(),
        })
    }

    /// Keeps `secret` out of every error this client reports.
    pub(crate) fn hide(mut self, secret: &str) -> Self {
        if !secret.is_empty() {
            self.hidden.push(secret.to_owned());
            // A Rauthy key's secret half may be echoed alone.
            if let Some((_, tail)) = secret.split_once('$') {
                self.hidden.push(tail.to_owned());
            }
        }
        self
    }

    pub(crate) fn name(&self) -> &'static str {
        idp_name(self.idp)
    }

    /// Another user already has the user name Ferry would give this member.
    pub(crate) fn name_taken(&self, email: &str) -> SsoError {
        SsoError::Conflict {
            idp: self.name(),
            what: format!("a user named {email} with another e-mail address"),
        }
    }

    /// A group the plan makes is not there (yet).
    pub(crate) fn no_group(&self, group: &str) -> SsoError {
        SsoError::Missing {
            idp: self.name(),
            what: format!("group {group}"),
            hint: "apply the plan first, so its groups exist",
        }
    }

    /// The answer to making something: done, or refused because it is there already
    /// (the caller reads it back), is fine; another refusal is the error. A 404 is a
    /// refusal too unless `missing_is_refusal` is false (the path is then wrong).
    pub(crate) async fn made_or_there(
        &self,
        resp: Response,
        action: &str,
        missing_is_refusal: bool,
    ) -> Result<(), SsoError> {
        match resp.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() && (missing_is_refusal || s != StatusCode::NOT_FOUND) => {
                let refusal = self.refusal(resp, action).await;
                if refusal.exists {
                    Ok(())
                } else {
                    Err(refusal.error)
                }
            }
            s => Err(self.unexpected(s, action)),
        }
    }

    /// Write requests sent so far (a second apply of the same plan sends none).
    pub(crate) fn writes(&self) -> usize {
        self.writes.load(Ordering::Relaxed)
    }

    /// Sends the request `build` makes, retrying server errors and timeouts. Answers
    /// 401, 403 and 5xx become errors; everything else is the caller's to read.
    pub(crate) async fn send(
        &self,
        action: &str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, SsoError> {
        self.send_inner(action, method, path, build, true, self.opts.retries)
            .await
    }

    /// Like [`Http::send`] for a POST that only reads (Rauthy's client secret): not
    /// counted as a write.
    pub(crate) async fn send_read(
        &self,
        action: &str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, SsoError> {
        self.send_inner(action, method, path, build, false, self.opts.retries)
            .await
    }

    /// Like [`Http::send`] without retries, for a call whose 5xx is an answer (Keycloak
    /// says "no e-mail server" with a 500).
    pub(crate) async fn send_once(
        &self,
        action: &str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, SsoError> {
        self.send_inner(action, method, path, build, true, 0).await
    }

    /// Like [`Http::send`] for signing in, which is not a change on the provider.
    pub(crate) async fn sign_in(
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
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        resp: Response,
        action: &str,
    ) -> Result<T, SsoError> {
        let status = resp.status();
        let bytes = match read_capped(resp, MAX_ANSWER_BYTES).await {
            Ok(b) => b,
            Err(Capped::Transport(e)) => return Err(self.transport_error(&e)),
            Err(Capped::TooLarge) => {
                return Err(SsoError::InvalidResponse {
                    idp: self.name(),
                    action: action.to_owned(),
                    detail: format!("the answer is larger than {MAX_ANSWER_BYTES} bytes"),
                });
            }
        };
        if !status.is_success() {
            return Err(self.unexpected(status, action));
        }
        serde_json::from_slice(&bytes).map_err(|e| SsoError::InvalidResponse {
            idp: self.name(),
            action: action.to_owned(),
            detail: e.to_string(),
        })
    }

    /// A 4xx answer read for the provider's own reason: [`Refusal::exists`] when it
    /// says the thing is already there, else the error to show (secrets removed).
    pub(crate) async fn refusal(&self, resp: Response, action: &str) -> Refusal {
        let status = resp.status();
        // Bounded: an error page is never worth more than this.
        let mut body = Vec::new();
        let mut resp = resp;
        while let Ok(Some(chunk)) = resp.chunk().await {
            body.extend_from_slice(&chunk);
            if body.len() > 64 * 1024 {
                break;
            }
        }
        let reason = self.redact(&reason_of(&body));
        let exists = status == StatusCode::CONFLICT || says_exists(&reason);
        let error = if reason.is_empty() {
            self.unexpected(status, action)
        } else {
            SsoError::Refused {
                idp: self.name(),
                action: action.to_owned(),
                reason,
            }
        };
        Refusal { exists, error }
    }

    fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for h in &self.hidden {
            out = out.replace(h.as_str(), "…");
        }
        out
    }

    /// An answer with a status the contract does not give for this call.
    pub(crate) fn unexpected(&self, status: StatusCode, action: &str) -> SsoError {
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

/// What a refused request's answer said.
pub(crate) struct Refusal {
    /// The provider said the thing already exists (a duplicate name, id or slug).
    pub exists: bool,
    pub error: SsoError,
}

/// The most of one answer read: lists come in pages of at most 100 entries, so a
/// larger body is not a provider's answer and is not held in memory.
pub(crate) const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

pub(crate) enum Capped {
    Transport(reqwest::Error),
    TooLarge,
}

/// The body, given up on as soon as it passes `cap`.
pub(crate) async fn read_capped(mut resp: Response, cap: usize) -> Result<Vec<u8>, Capped> {
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(Capped::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(Capped::Transport)? {
        if body.len() + chunk.len() > cap {
            return Err(Capped::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The human part of an error answer: Rauthy's `message`, Keycloak's `errorMessage`
/// or `error_description`, Django REST framework's `{field: [messages]}` or `detail`,
/// else the text itself (HTML tags dropped). Short, on one line.
pub(crate) fn reason_of(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let reason = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => json_reason(&v),
        Err(_) => strip_tags(&text),
    };
    short(&reason.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn json_reason(v: &serde_json::Value) -> String {
    use serde_json::Value;
    for key in ["message", "errorMessage", "error_description", "detail"] {
        if let Some(s) = v[key].as_str() {
            return s.to_owned();
        }
    }
    match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let inner = match v {
                    Value::String(s) => s.clone(),
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| json_reason(i), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(" "),
                    other => json_reason(other),
                };
                if k == "non_field_errors" || k == "error" {
                    inner
                } else {
                    format!("{k}: {inner}")
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Array(items) => items.iter().map(json_reason).collect::<Vec<_>>().join("; "),
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn strip_tags(html: &str) -> String {
    // An HTML error page: its title says the most.
    let lower = html.to_lowercase();
    if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>"))
        && a + 7 <= b
    {
        return html[a + 7..b].trim().to_owned();
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a provider's refusal says the thing is already there. Rauthy: "UNIQUE
/// constraint failed"; Authentik (Django): "… with this name already exists.",
/// "This field must be unique."; Keycloak answers 409 instead.
pub(crate) fn says_exists(reason: &str) -> bool {
    let r = reason.to_lowercase();
    r.contains("already exists") || r.contains("unique constraint") || r.contains("must be unique")
}

fn short(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_providers_refusal_is_read_for_its_reason() {
        // Rauthy
        let r = reason_of(
            br#"{"timestamp":1,"error":"BadRequest","message":"Payload validation error: name"}"#,
        );
        assert_eq!(r, "Payload validation error: name");
        // Authentik (Django REST framework)
        let r =
            reason_of(br#"{"slug":["Application with this slug already exists."],"name":["x"]}"#);
        assert_eq!(
            r,
            "slug: Application with this slug already exists.; name: x"
        );
        assert!(says_exists(&r));
        assert_eq!(
            reason_of(br#"{"non_field_errors":["No recovery flow set."]}"#),
            "No recovery flow set."
        );
        // Keycloak
        assert_eq!(
            reason_of(br#"{"errorMessage":"Invalid redirect uri."}"#),
            "Invalid redirect uri."
        );
        assert_eq!(
            reason_of(br#"{"error":"invalid_grant","error_description":"Bad"}"#),
            "Bad"
        );
        // An HTML error page: its title.
        assert_eq!(
            reason_of(b"<html><head><title>Client not found</title></head></html>"),
            "Client not found"
        );
        assert!(!says_exists("Payload validation error: name"));
        assert!(says_exists("UNIQUE constraint failed: clients.id"));
        // Long answers are cut.
        assert!(reason_of("x".repeat(5000).as_bytes()).chars().count() <= 201);
    }
}
