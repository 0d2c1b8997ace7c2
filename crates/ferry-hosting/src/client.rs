//! Ferry's client for a co-op's hosting API: submit an order, follow it, cancel or
//! retry, with every failure a plain, typed error.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use uuid::Uuid;

use crate::api::{OrderAccepted, OrderRequest, OrderStatus, Problem, SuppliedSecret};

/// The most of one answer the client reads: an order's status is a few kB.
pub const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{url} is not a web address")]
    BadUrl { url: String },
    #[error("{url} does not use HTTPS; secrets are only sent over HTTPS")]
    Insecure { url: String },
    #[error("could not reach {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{url} did not answer in time")]
    TimedOut { url: String },
    #[error("the co-op refused the token (401); check it or ask the co-op for a new one")]
    Unauthorized,
    #[error("the token may not do this (403); ask the co-op for a token that may place orders")]
    Forbidden,
    #[error("the co-op does not know this order or app (404)")]
    NotFound,
    #[error("the co-op refused: {detail} (409)")]
    Conflict { detail: String },
    #[error("the co-op refused some values: {}", .errors.iter().map(|(f, p)| format!("{f} {p}")).collect::<Vec<_>>().join("; "))]
    Invalid { errors: Vec<(String, String)> },
    #[error("the co-op asks to wait {retry_after} seconds before trying again (429)")]
    RateLimited { retry_after: u64 },
    /// The organisation's own limit at the co-op (apps waiting, storage): the co-op's
    /// words say which and what to do.
    #[error("the co-op's limit for your organisation is reached: {detail}")]
    Quota { detail: String },
    #[error("the co-op's server had a problem ({status}); try again later")]
    Server { status: u16 },
    #[error("the co-op's answer could not be read: {detail}")]
    BadAnswer { detail: String },
}

impl ClientError {
    /// Whether a request may have reached the co-op and been acted on although no
    /// answer says so (a timeout, a dropped connection, a server error after the
    /// fact): an order sent then must be sent again under the same key, not dropped.
    /// Every other error is the co-op's clear refusal, or one before anything left.
    pub fn may_have_arrived(&self) -> bool {
        matches!(
            self,
            ClientError::Unreachable { .. }
                | ClientError::TimedOut { .. }
                | ClientError::Server { .. }
                | ClientError::BadAnswer { .. }
        )
    }

    /// Values the message mentions.
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        match self {
            ClientError::BadUrl { url }
            | ClientError::Insecure { url }
            | ClientError::TimedOut { url } => {
                p.insert("url".into(), url.clone());
            }
            ClientError::Unreachable { url, detail } => {
                p.insert("url".into(), url.clone());
                p.insert("detail".into(), detail.clone());
            }
            ClientError::Conflict { detail }
            | ClientError::BadAnswer { detail }
            | ClientError::Quota { detail } => {
                p.insert("detail".into(), detail.clone());
            }
            ClientError::Invalid { errors } => {
                let list = errors
                    .iter()
                    .map(|(f, e)| format!("{f} {e}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                p.insert("detail".into(), list);
            }
            ClientError::RateLimited { retry_after } => {
                p.insert("seconds".into(), retry_after.to_string());
            }
            ClientError::Server { status } => {
                p.insert("status".into(), status.to_string());
            }
            ClientError::Unauthorized | ClientError::Forbidden | ClientError::NotFound => {}
        }
        p
    }

    /// Worth trying again with the same idempotency key.
    fn transient(&self) -> bool {
        matches!(
            self,
            ClientError::Unreachable { .. }
                | ClientError::TimedOut { .. }
                | ClientError::Server { .. }
        )
    }
}

pub struct Client {
    base: String,
    token: String,
    http: reqwest::Client,
    /// Waits between attempts of a request that failed for a transient reason.
    pub backoff: Vec<Duration>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

fn innermost(e: &dyn std::error::Error) -> String {
    let mut detail = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    detail
}

/// HTTPS everywhere, except a server on this machine (tests, a co-op's own tools).
/// Why an address will not be sent credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not an http(s) address with a host.
    Invalid,
    /// Plain http to another computer.
    NotHttps,
}

/// The rule for every address Ferry sends a token or a secret to (hosting co-ops,
/// identity providers): HTTPS, or plain HTTP only on this computer. Returns the
/// address without a trailing slash.
pub fn secure_base_url(url: &str) -> Result<String, UrlProblem> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| UrlProblem::Invalid)?;
    let loopback = matches!(
        parsed.host_str(),
        Some("localhost" | "127.0.0.1" | "[::1]" | "::1")
    );
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(UrlProblem::NotHttps),
        _ => return Err(UrlProblem::Invalid),
    }
    if parsed.host_str().is_none() || parsed.query().is_some() {
        return Err(UrlProblem::Invalid);
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn check_url(url: &str) -> Result<String, ClientError> {
    secure_base_url(url).map_err(|p| match p {
        UrlProblem::NotHttps => ClientError::Insecure { url: url.into() },
        UrlProblem::Invalid => ClientError::BadUrl { url: url.into() },
    })
}

impl Client {
    pub fn new(base_url: &str, token: &str) -> Result<Client, ClientError> {
        let base = check_url(base_url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .https_only(!base.starts_with("http://"))
            .build()
            .map_err(|e| ClientError::Unreachable {
                url: base.clone(),
                detail: e.to_string(),
            })?;
        Ok(Client {
            base,
            token: token.to_owned(),
            http,
            backoff: vec![
                Duration::from_millis(500),
                Duration::from_secs(2),
                Duration::from_secs(5),
            ],
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request built by `make`, again after a pause if it failed for a
    /// transient reason (each attempt is the same idempotent request).
    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        make: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let mut waits = self.backoff.iter();
        loop {
            match self.once(make()).await {
                Err(e) if e.transient() => match waits.next() {
                    Some(wait) => tokio::time::sleep(*wait).await,
                    None => return Err(e),
                },
                other => return other,
            }
        }
    }

    async fn once<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let resp = req.bearer_auth(&self.token).send().await.map_err(|e| {
            if e.is_timeout() {
                ClientError::TimedOut {
                    url: self.base.clone(),
                }
            } else {
                ClientError::Unreachable {
                    url: self.base.clone(),
                    // The innermost cause says what failed (refused, TLS, redirects);
                    // reqwest's own text only says "error sending request".
                    detail: innermost(&e.without_url()),
                }
            }
        })?;
        let status = resp.status();
        if status.is_success() {
            let body = self.read_capped(resp, MAX_ANSWER_BYTES).await?;
            return serde_json::from_slice(&body).map_err(|e| ClientError::BadAnswer {
                detail: e.to_string(),
            });
        }
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(60);
        // An error page is never worth more than this; a problem that does not fit is no problem.
        let problem: Option<Problem> = self
            .read_capped(resp, 64 * 1024)
            .await
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let detail = problem
            .as_ref()
            .map(|p| p.detail.clone().unwrap_or_else(|| p.title.clone()))
            .unwrap_or_default();
        let quota = problem
            .as_ref()
            .is_some_and(|p| p.kind == crate::api::QUOTA_PROBLEM);
        Err(match status {
            _ if quota => ClientError::Quota { detail },
            StatusCode::UNAUTHORIZED => ClientError::Unauthorized,
            StatusCode::FORBIDDEN => ClientError::Forbidden,
            StatusCode::NOT_FOUND => ClientError::NotFound,
            StatusCode::CONFLICT => ClientError::Conflict { detail },
            StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::BAD_REQUEST
            | StatusCode::PAYLOAD_TOO_LARGE => ClientError::Invalid {
                errors: problem
                    .map(|p| {
                        if p.errors.is_empty() {
                            vec![(String::new(), p.detail.unwrap_or(p.title))]
                        } else {
                            p.errors.into_iter().map(|e| (e.field, e.problem)).collect()
                        }
                    })
                    .unwrap_or_default(),
            },
            StatusCode::TOO_MANY_REQUESTS => ClientError::RateLimited { retry_after },
            s => ClientError::Server { status: s.as_u16() },
        })
    }

    /// The body, refused as soon as it passes `cap` (never held in memory beyond it).
    async fn read_capped(
        &self,
        mut resp: reqwest::Response,
        cap: usize,
    ) -> Result<Vec<u8>, ClientError> {
        let too_large = || ClientError::BadAnswer {
            detail: format!("the answer is larger than {cap} bytes"),
        };
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > cap {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) if e.is_timeout() => {
                    return Err(ClientError::TimedOut {
                        url: self.base.clone(),
                    });
                }
                Err(e) => {
                    return Err(ClientError::BadAnswer {
                        detail: e.without_url().to_string(),
                    });
                }
            }
        }
    }

    /// Places the order. `key` must be kept with the order before calling, so that
    /// sending it again after a crash cannot create a second one.
    pub async fn submit(
        &self,
        key: &str,
        order: &OrderRequest,
    ) -> Result<OrderAccepted, ClientError> {
        self.send(|| {
            self.http
                .post(self.url("/v1/orders"))
                .header("Idempotency-Key", key)
                .json(order)
        })
        .await
    }

    pub async fn status(&self, id: Uuid) -> Result<OrderStatus, ClientError> {
        self.send(|| self.http.get(self.url(&format!("/v1/orders/{id}"))))
            .await
    }

    pub async fn cancel(&self, id: Uuid) -> Result<OrderStatus, ClientError> {
        self.send(|| self.http.post(self.url(&format!("/v1/orders/{id}/cancel"))))
            .await
    }

    pub async fn retry(
        &self,
        id: Uuid,
        index: u32,
        secrets: &[SuppliedSecret],
    ) -> Result<OrderStatus, ClientError> {
        let body = serde_json::json!({ "secrets": secrets });
        self.send(|| {
            self.http
                .post(self.url(&format!("/v1/orders/{id}/apps/{index}/retry")))
                .json(&body)
        })
        .await
    }

    /// Tells the co-op's server that the sign-in service's admin credential (app
    /// `index`) was opened and kept: the server then forgets its sealed copy.
    pub async fn handover_received(
        &self,
        id: Uuid,
        index: u32,
    ) -> Result<OrderStatus, ClientError> {
        self.send(|| {
            self.http
                .post(self.url(&format!("/v1/orders/{id}/apps/{index}/handover/received")))
        })
        .await
    }

    pub async fn capabilities(&self) -> Result<serde_json::Value, ClientError> {
        self.send(|| self.http.get(self.url("/v1/capabilities")))
            .await
    }

    /// Follows the order until every app is final, calling `on_status` on each change:
    /// live through its event stream, or by polling when the stream cannot be used (an
    /// older server, a proxy that buffers, a connection that drops).
    pub async fn follow(
        &self,
        id: Uuid,
        mut on_status: impl FnMut(&OrderStatus),
    ) -> Result<OrderStatus, ClientError> {
        if let Some(last) = self.follow_events(id, &mut on_status).await {
            return Ok(last);
        }
        self.poll(id, on_status).await
    }

    /// The final status from the event stream, or `None` if the stream did not get there.
    async fn follow_events(
        &self,
        id: Uuid,
        on_status: &mut impl FnMut(&OrderStatus),
    ) -> Option<OrderStatus> {
        use futures_util::StreamExt;
        // Deploys take minutes: no overall limit, but silence longer than the server's
        // keep-alive (15 s) means the stream is stuck.
        const SILENCE: Duration = Duration::from_secs(45);
        let resp = self
            .http
            .get(self.url(&format!("/v1/orders/{id}/events")))
            .bearer_auth(&self.token)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .timeout(Duration::from_secs(24 * 3600))
            .send()
            .await
            .ok()
            .filter(|r| r.status().is_success())?;
        let mut stream = resp.bytes_stream();
        // Bounded per event: a stream that never ends an event falls back to polling.
        let mut reader = crate::sse::SseReader::new();
        loop {
            let chunk = tokio::time::timeout(SILENCE, stream.next())
                .await
                .ok()??
                .ok()?;
            for data in reader.push(&chunk).ok()? {
                let status: OrderStatus = serde_json::from_str(&data).ok()?;
                on_status(&status);
                if status.is_final() {
                    return Some(status);
                }
            }
        }
    }

    /// Polls with growing pauses (reset on each change).
    async fn poll(
        &self,
        id: Uuid,
        mut on_status: impl FnMut(&OrderStatus),
    ) -> Result<OrderStatus, ClientError> {
        let mut last: Option<OrderStatus> = None;
        let mut wait = Duration::from_millis(250);
        loop {
            let status = self.status(id).await?;
            if last.as_ref() != Some(&status) {
                on_status(&status);
                wait = Duration::from_millis(250);
            } else {
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            if status.is_final() {
                return Ok(status);
            }
            last = Some(status);
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_only_travel_over_https_except_on_this_machine() {
        assert!(check_url("https://api.coop.example/").is_ok());
        assert!(check_url("http://127.0.0.1:8787").is_ok());
        assert!(check_url("http://localhost:8787").is_ok());
        assert!(matches!(
            check_url("http://api.coop.example"),
            Err(ClientError::Insecure { .. })
        ));
        assert!(matches!(
            check_url("ftp://x"),
            Err(ClientError::BadUrl { .. })
        ));
        assert!(matches!(
            check_url("not a url"),
            Err(ClientError::BadUrl { .. })
        ));
    }
}

ferry_codes::error_codes!(ClientError {
    BadUrl => "hosting.bad_url",
    Insecure => "hosting.insecure",
    Unreachable => "hosting.unreachable",
    TimedOut => "hosting.timed_out",
    Unauthorized => "hosting.unauthorized",
    Forbidden => "hosting.forbidden",
    NotFound => "hosting.not_found",
    Conflict => "hosting.conflict",
    Invalid => "hosting.invalid",
    RateLimited => "hosting.rate_limited",
    Quota => "hosting.quota",
    Server => "hosting.server",
    BadAnswer => "hosting.bad_answer",
});
