//! Who is asking: the bearer token, the organisation it acts for, its scope, and the
//! limits on requests per token and on wrong tokens per address.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::{Api, Window, problem};
use crate::config::Scope;
use crate::store::Caller;

/// The address a connection came from (set by `serve` on every request).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub IpAddr);

#[derive(Default)]
pub(super) struct Limits {
    /// Requests per token in the current minute.
    rate: Window,
    /// Wrong or missing tokens per address in the current minute.
    failed: Window,
}

/// Counts one more in `key`'s minute; the count and the seconds left in the minute.
fn count(window: &Window, key: &str) -> (u32, u64) {
    let mut w = window.lock().unwrap_or_else(|p| p.into_inner());
    // A minute-old entry is worth nothing: forget them so the map stays small.
    if w.len() > 10_000 {
        w.retain(|_, (t, _)| t.elapsed() < Duration::from_secs(60));
    }
    let entry = w.entry(key.to_owned()).or_insert((Instant::now(), 0));
    if entry.0.elapsed() >= Duration::from_secs(60) {
        *entry = (Instant::now(), 0);
    }
    entry.1 = entry.1.saturating_add(1);
    let left = 60u64.saturating_sub(entry.0.elapsed().as_secs()).max(1);
    (entry.1, left)
}

fn too_many(wait: u64) -> Response {
    let mut r = problem(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many requests",
        Some(format!("Try again in {wait} seconds.")),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    r
}

/// The token from `Authorization: Bearer <token>`; the scheme in any case (RFC 9110).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim_start().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The caller if its token may do `scope`, else the problem to answer with. Every
/// wrong token gets the same 401; after `failed_logins_per_minute` of them from one
/// address, 429 until the minute is over. Failures are logged with the address and
/// never the token.
pub(super) fn authorise(
    api: &Api,
    headers: &HeaderMap,
    peer: Option<Peer>,
    scope: Scope,
) -> Result<Caller, Response> {
    let presented = bearer(headers);
    let token = presented.and_then(|p| api.config.token(p));
    let Some(token) = token else {
        let address = peer.map_or_else(|| "unknown".to_owned(), |p| p.0.to_string());
        let (n, left) = count(&api.limits.failed, &address);
        let limit = api.config.failed_logins_per_minute;
        let reason = if presented.is_some() {
            "unknown token"
        } else {
            "no bearer token"
        };
        if n <= limit {
            tracing::warn!(peer = %address, reason, "failed login");
        } else if n == limit + 1 {
            tracing::warn!(peer = %address, limit, "failed logins: limit reached, refusing this address for the rest of the minute");
        }
        if n > limit {
            return Err(too_many(left));
        }
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "A valid API token is needed",
            Some("Send `Authorization: Bearer <token>` with a token the co-op gave you.".into()),
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(r);
    };
    if scope == Scope::Write && token.scope != Scope::Write {
        return Err(problem(
            StatusCode::FORBIDDEN,
            "This token may only read",
            Some("Ask the co-op for a token with the write scope.".into()),
        ));
    }
    let (n, left) = count(&api.limits.rate, &token.name);
    if n > api.config.requests_per_minute {
        return Err(too_many(left));
    }
    // `Config::check` made sure every token names a configured organisation.
    let org = token.organisation.clone().unwrap_or_default();
    let org_name = api
        .config
        .organisation(&org)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    Ok(Caller {
        token: token.name.clone(),
        org,
        org_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_is_read_in_any_case() {
        let mut h = HeaderMap::new();
        for (value, want) in [
            ("Bearer abc", Some("abc")),
            ("bearer abc", Some("abc")),
            ("BEARER  abc ", Some("abc")),
            ("Basic abc", None),
            ("Bearer ", None),
            ("Bearerabc", None),
        ] {
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(bearer(&h), want, "{value}");
        }
    }
}
