//! What the co-op offers, what this server supports, and an organisation's export.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;

use super::auth::{Peer, authorise};
use super::{Ctx, internal, not_found};
use crate::config::Scope;
use crate::store;

pub(super) async fn catalogue(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorise(&api, &headers, peer.map(|p| p.0), Scope::Read) {
        return r;
    }
    Json(serde_json::json!({ "recipes": api.config.offers })).into_response()
}

#[derive(Serialize)]
struct Capabilities<'a> {
    api_version: u32,
    servers: &'a [String],
    max_apps: usize,
    max_body_bytes: usize,
    features: [&'static str; 5],
}

pub(super) async fn capabilities(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorise(&api, &headers, peer.map(|p| p.0), Scope::Read) {
        return r;
    }
    Json(Capabilities {
        api_version: 1,
        servers: &api.config.servers,
        max_apps: ferry_hosting::rules::MAX_APPS,
        max_body_bytes: api.config.max_body_bytes,
        features: ["events", "cancel", "retry", "export", "handover"],
    })
    .into_response()
}

/// abra's own keys, whose values are never credentials: what the app is, where, and
/// which overlays and secret versions it uses.
fn is_structural(key: &str) -> bool {
    matches!(
        key,
        "TYPE" | "RECIPE" | "DOMAIN" | "EXTRA_DOMAINS" | "LETS_ENCRYPT_ENV" | "COMPOSE_FILE"
    ) || (key.starts_with("SECRET_") && key.ends_with("_VERSION"))
}

/// The `.env` with every value removed whose key is not known to be safe: abra's own
/// keys and the offer's `export_keys`. Commented-out assignments are treated alike.
pub fn mask(env: &str, safe: &[String]) -> String {
    let mut out = String::new();
    for line in env.lines() {
        let trimmed = line.trim_start();
        let bare = trimmed.trim_start_matches('#');
        let commented = bare.len() != trimmed.len();
        let masked = match bare.split_once('=') {
            Some((k, _)) if ferry_hosting::rules::is_env_key(k.trim()) => {
                let k = k.trim();
                if is_structural(k) || safe.iter().any(|s| s == k) {
                    None
                } else {
                    Some(format!("{}{k}=", if commented { "#" } else { "" }))
                }
            }
            _ => None,
        };
        out.push_str(masked.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

pub(super) async fn export(
    State(api): Ctx,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Path(domain): Path<String>,
) -> Response {
    let caller = match authorise(&api, &headers, peer.map(|p| p.0), Scope::Read) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !ferry_hosting::rules::is_domain(&domain) {
        return not_found("No such app");
    }
    let (d, org) = (domain.clone(), caller.org.clone());
    let found = match api.read(move |db| store::deployed_app(db, &d, &org)).await {
        Ok(Some(x)) => x,
        Ok(None) => return not_found("No such app"),
        Err(r) => return r,
    };
    let (server, deployed, recipe) = found;
    let path = crate::runner::env_path(&api.shared.abra, &server, &domain);
    let env = match tokio::fs::read_to_string(&path).await {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    let safe = api
        .config
        .offer(&recipe)
        .map(|o| o.export_keys.clone())
        .unwrap_or_default();
    Json(serde_json::json!({
        "domain": domain,
        "recipe_version": deployed,
        "env": mask(&env, &safe),
        "latest_backup": null,
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_safe_values_are_exported() {
        let env = "TYPE=nextcloud:1.0\n## Mail\nDATABASE_URL=postgres://u:pw@db/x\n#SMTP_PASSWORD=old\nSMTP_HOST=mail.example\nSECRET_DB_PASSWORD_VERSION=v1\nCOMPOSE_FILE=\"compose.yml\"\n";
        let out = mask(env, &["SMTP_HOST".into()]);
        assert_eq!(
            out,
            "TYPE=nextcloud:1.0\n## Mail\nDATABASE_URL=\n#SMTP_PASSWORD=\nSMTP_HOST=mail.example\nSECRET_DB_PASSWORD_VERSION=v1\nCOMPOSE_FILE=\"compose.yml\"\n"
        );
    }
}
