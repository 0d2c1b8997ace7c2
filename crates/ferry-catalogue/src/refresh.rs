//! Downloading a fresh catalogue: conditional, size-capped, validated before use,
//! and never at the cost of the last good copy.

use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::recipe::parse_catalogue;
use crate::store::{DEFAULT_URL, DownloadMeta, Store};

#[derive(Debug, Clone)]
pub struct RefreshConfig {
    pub url: String,
    /// The whole download must finish within this.
    pub timeout: Duration,
    /// A server that sends nothing for this long is given up on.
    pub stall_timeout: Duration,
    /// Larger answers are refused (the real catalogue is a few hundred kilobytes).
    pub max_bytes: u64,
}

impl Default for RefreshConfig {
    fn default() -> Self {
        RefreshConfig {
            url: DEFAULT_URL.to_owned(),
            timeout: Duration::from_secs(60),
            stall_timeout: Duration::from_secs(15),
            max_bytes: 16 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RefreshOutcome {
    Updated {
        recipes: usize,
        skipped: usize,
    },
    /// The server says our copy is current.
    NotModified,
}

/// How far a download is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    pub received: u64,
    /// From Content-Length, when the server sends it.
    pub total: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("could not reach {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{url} did not answer in time")]
    TimedOut { url: String },
    #[error("{url} answered with HTTP status {status}")]
    HttpStatus { url: String, status: u16 },
    #[error("the catalogue from {url} is larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("what {url} sent is not a usable catalogue: {detail}")]
    Invalid { url: String, detail: String },
    #[error("the address {url} cannot be used: {detail}")]
    BadUrl { url: String, detail: String },
    #[error("could not store the catalogue: {0}")]
    Io(#[from] std::io::Error),
}

impl RefreshError {
    /// Values the translated message names.
    pub fn params(&self) -> std::collections::BTreeMap<String, String> {
        let mut params = std::collections::BTreeMap::new();
        match self {
            RefreshError::Unreachable { url, detail }
            | RefreshError::Invalid { url, detail }
            | RefreshError::BadUrl { url, detail } => {
                params.insert("url".to_owned(), url.clone());
                params.insert("detail".to_owned(), detail.clone());
            }
            RefreshError::TimedOut { url } => {
                params.insert("url".to_owned(), url.clone());
            }
            RefreshError::HttpStatus { url, status } => {
                params.insert("url".to_owned(), url.clone());
                params.insert("status".to_owned(), status.to_string());
            }
            RefreshError::TooLarge { url, limit } => {
                params.insert("url".to_owned(), url.clone());
                params.insert("limit".to_owned(), (limit / 1024).to_string());
            }
            RefreshError::Io(e) => {
                params.insert("detail".to_owned(), e.to_string());
            }
        }
        params
    }
}

/// The catalogue address: `$FERRY_CATALOGUE_URL` if set (for a co-op's own mirror,
/// or a workshop's local copy), else the public catalogue.
pub fn configured_url() -> String {
    std::env::var("FERRY_CATALOGUE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_owned())
}

/// Downloads the catalogue at `config.url` into `store` if it changed. On any error
/// the copy in `store` is left exactly as it was.
pub async fn refresh(
    store: &Store,
    config: &RefreshConfig,
    mut on_progress: impl FnMut(Progress),
) -> Result<RefreshOutcome, RefreshError> {
    let url = config.url.clone();
    let parsed_url = reqwest::Url::parse(&url).map_err(|e| RefreshError::BadUrl {
        url: url.clone(),
        detail: e.to_string(),
    })?;
    if !matches!(parsed_url.scheme(), "https" | "http") {
        return Err(RefreshError::BadUrl {
            url,
            detail: "only http and https addresses work".into(),
        });
    }
    let client = reqwest::Client::builder()
        .user_agent(concat!("Ferry/", env!("CARGO_PKG_VERSION")))
        .timeout(config.timeout)
        .read_timeout(config.stall_timeout)
        .connect_timeout(config.stall_timeout)
        .build()
        .map_err(|e| RefreshError::Unreachable {
            url: url.clone(),
            detail: e.to_string(),
        })?;

    // Ask "has it changed?" only about a copy that came from this same address.
    let previous = store.meta().filter(|m| m.url == url);
    let mut request = client
        .get(parsed_url)
        .header(reqwest::header::ACCEPT, "application/json");
    if let Some(meta) = &previous {
        if let Some(etag) = &meta.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &meta.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
    }

    let net = |e: reqwest::Error| classify(&url, e);
    let mut response = request.send().await.map_err(net)?;
    let now = chrono::Utc::now();
    if response.status() == reqwest::StatusCode::NOT_MODIFIED
        && let Some(mut meta) = previous
    {
        meta.checked_at = Some(now);
        store.save_meta(&meta)?;
        return Ok(RefreshOutcome::NotModified);
    }
    if !response.status().is_success() {
        return Err(RefreshError::HttpStatus {
            url,
            status: response.status().as_u16(),
        });
    }
    let total = response.content_length();
    if total.is_some_and(|t| t > config.max_bytes) {
        return Err(RefreshError::TooLarge {
            url,
            limit: config.max_bytes,
        });
    }
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);

    let mut body = Vec::with_capacity(total.unwrap_or(0).min(config.max_bytes) as usize);
    on_progress(Progress { received: 0, total });
    while let Some(chunk) = response.chunk().await.map_err(net)? {
        if body.len() as u64 + chunk.len() as u64 > config.max_bytes {
            return Err(RefreshError::TooLarge {
                url,
                limit: config.max_bytes,
            });
        }
        body.extend_from_slice(&chunk);
        on_progress(Progress {
            received: body.len() as u64,
            total,
        });
    }

    let text = std::str::from_utf8(&body).map_err(|_| RefreshError::Invalid {
        url: url.clone(),
        detail: "not text".into(),
    })?;
    let parsed = parse_catalogue(text).map_err(|e| RefreshError::Invalid {
        url: url.clone(),
        detail: e.to_string(),
    })?;
    for s in &parsed.skipped {
        tracing::info!(entry = %s, "catalogue entry skipped");
    }

    let meta = DownloadMeta {
        url,
        etag,
        last_modified,
        fetched_at: Some(now),
        checked_at: Some(now),
    };
    store.save(&body, &meta)?;
    Ok(RefreshOutcome::Updated {
        recipes: parsed.recipes.len(),
        skipped: parsed.skipped.len(),
    })
}

fn classify(url: &str, e: reqwest::Error) -> RefreshError {
    if e.is_timeout() {
        RefreshError::TimedOut {
            url: url.to_owned(),
        }
    } else {
        // The innermost cause names what actually failed (DNS, refused, TLS…).
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        RefreshError::Unreachable {
            url: url.to_owned(),
            detail,
        }
    }
}

ferry_codes::error_codes!(RefreshError {
    Unreachable => "catalogue.unreachable",
    TimedOut => "catalogue.timed_out",
    HttpStatus => "catalogue.http_status",
    TooLarge => "catalogue.too_large",
    Invalid => "catalogue.invalid",
    BadUrl => "catalogue.bad_url",
    Io => "catalogue.io",
});
