//! The bodies Ferry sends for an Authentik OAuth2 provider: the whole one when it
//! makes a provider, and for an update only the fields that differ from the plan —
//! Authentik's PATCH replaces each field it is given (a list as a whole), so a field
//! sent unchanged would still undo what an administrator set (name, subject mode,
//! extra scope mappings, other return addresses).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::setup::Setup;
use crate::desired::DesiredClient;

/// Sign-in and sign-out return addresses of a provider as Authentik has it.
pub(super) fn redirects_of(setup: &Setup, p: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut login = BTreeSet::new();
    let mut logout = BTreeSet::new();
    match &p["redirect_uris"] {
        Value::String(s) => login.extend(
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        ),
        Value::Array(entries) => {
            for e in entries {
                let Some(url) = e["url"].as_str() else {
                    continue;
                };
                if setup.logout_entries() && e["redirect_uri_type"] == "logout" {
                    logout.insert(url.to_owned());
                } else {
                    login.insert(url.to_owned());
                }
            }
        }
        _ => {}
    }
    (login, logout)
}

/// One entry in the provider's list form (2024.8.5 / 2024.10.3 and later).
fn entry(setup: &Setup, url: &str, kind: &str) -> Value {
    let mut e = json!({"matching_mode": "strict", "url": url});
    // From 2026.5 each entry says what it is for; older servers refuse the field.
    if setup.logout_entries() {
        e["redirect_uri_type"] = json!(kind);
    }
    e
}

/// The return addresses of a new provider.
fn new_redirects(setup: &Setup, client: &DesiredClient) -> Value {
    let login = &client.settings.redirect_uris;
    if !setup.redirects_as_list() {
        // Before CVE-2024-52289's fix: regexes, one per line. Escape the dots.
        let lines: Vec<String> = login
            .iter()
            .map(|u| format!("^{}$", regex_escape(u)))
            .collect();
        return json!(lines.join("\n"));
    }
    let mut out: Vec<Value> = login
        .iter()
        .map(|u| entry(setup, u, "authorization"))
        .collect();
    if setup.logout_entries() {
        out.extend(
            client
                .settings
                .post_logout_redirect_uris
                .iter()
                .map(|u| entry(setup, u, "logout")),
        );
    }
    Value::Array(out)
}

/// A new provider, whole.
pub(super) fn new_provider(setup: &Setup, client: &DesiredClient) -> Value {
    let mut body = json!({
        "name": client.name,
        "authorization_flow": setup.authorization_flow,
        "client_type": "confidential",
        "client_id": client.client_id,
        "redirect_uris": new_redirects(setup, client),
        "property_mappings": setup.scope_mappings,
        "sub_mode": "hashed_user_id",
        "include_claims_in_id_token": true,
    });
    if let Some(flow) = &setup.invalidation_flow {
        body["invalidation_flow"] = json!(flow);
    }
    if let Some(key) = &setup.signing_key {
        body["signing_key"] = json!(key);
    }
    body
}

/// What an existing provider needs to match the plan: only the differing fields,
/// each keeping what is there and adding Ferry's part. None when nothing differs.
pub(super) fn patch(setup: &Setup, client: &DesiredClient, existing: &Value) -> Option<Value> {
    let mut body = serde_json::Map::new();
    if let Some(redirects) = patch_redirects(setup, client, existing) {
        body.insert("redirect_uris".into(), redirects);
    }
    let have: Vec<Value> = existing["property_mappings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let missing: Vec<&String> = setup
        .scope_mappings
        .iter()
        .filter(|m| !have.iter().any(|h| h.as_str() == Some(m.as_str())))
        .collect();
    if !missing.is_empty() {
        let mut all = have;
        all.extend(missing.into_iter().map(|m| json!(m)));
        body.insert("property_mappings".into(), Value::Array(all));
    }
    if existing["client_type"] != "confidential" {
        body.insert("client_type".into(), json!("confidential"));
    }
    if let Some(key) = &setup.signing_key
        && existing["signing_key"].is_null()
    {
        body.insert("signing_key".into(), json!(key));
    }
    (!body.is_empty()).then_some(Value::Object(body))
}

/// The provider's return addresses with Ferry's missing ones added after them;
/// every entry already there is sent back exactly as it was.
fn patch_redirects(setup: &Setup, client: &DesiredClient, existing: &Value) -> Option<Value> {
    let (login, logout) = redirects_of(setup, existing);
    let s = &client.settings;
    let add_login: Vec<&String> = s.redirect_uris.difference(&login).collect();
    let add_logout: Vec<&String> = if setup.logout_entries() {
        s.post_logout_redirect_uris.difference(&logout).collect()
    } else {
        Vec::new()
    };
    if add_login.is_empty() && add_logout.is_empty() {
        return None;
    }
    if !setup.redirects_as_list() {
        let mut lines: Vec<String> = existing["redirect_uris"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .filter(|l| !l.trim().is_empty())
            .collect();
        lines.extend(add_login.iter().map(|u| format!("^{}$", regex_escape(u))));
        return Some(json!(lines.join("\n")));
    }
    let mut all: Vec<Value> = existing["redirect_uris"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    all.extend(add_login.iter().map(|u| entry(setup, u, "authorization")));
    all.extend(add_logout.iter().map(|u| entry(setup, u, "logout")));
    Some(Value::Array(all))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ".^$*+?()[]{}|\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desired::ClientSettings;

    fn setup() -> Setup {
        Setup {
            version: (2025, 12, 4),
            authorization_flow: "flow".into(),
            invalidation_flow: Some("inv".into()),
            signing_key: Some("key".into()),
            scope_mappings: vec!["m-openid".into(), "m-email".into()],
        }
    }

    fn client() -> DesiredClient {
        DesiredClient {
            client_id: "bookstack".into(),
            name: "Org - bookstack".into(),
            recipe: "bookstack".into(),
            need: "wiki".into(),
            base_url: "https://b.example/".into(),
            settings: ClientSettings {
                redirect_uris: BTreeSet::from(["https://b.example/oidc/callback".to_owned()]),
                post_logout_redirect_uris: BTreeSet::from(["https://b.example/".to_owned()]),
                pkce: None,
                groups_claim: true,
            },
            access_group: "app-bookstack".into(),
            access_enforced: true,
            legacy: false,
        }
    }

    #[test]
    fn an_update_sends_only_what_differs_and_keeps_what_is_there() {
        let existing = json!({
            "name": "Renamed by the admin",
            "sub_mode": "user_email",
            "client_type": "confidential",
            "signing_key": "key",
            "property_mappings": ["m-openid", "m-email", "admin-extra"],
            "redirect_uris": [{"matching_mode": "regex", "url": "^https://b\\.example/other$"}],
        });
        let body = patch(&setup(), &client(), &existing).unwrap();
        assert_eq!(
            body,
            json!({"redirect_uris": [
                {"matching_mode": "regex", "url": "^https://b\\.example/other$"},
                {"matching_mode": "strict", "url": "https://b.example/oidc/callback"}
            ]})
        );
        let mut done = existing.clone();
        done["redirect_uris"] = body["redirect_uris"].clone();
        assert_eq!(patch(&setup(), &client(), &done), None);
        let mut lost = done.clone();
        lost["property_mappings"] = json!(["admin-extra"]);
        assert_eq!(
            patch(&setup(), &client(), &lost),
            Some(json!({"property_mappings": ["admin-extra", "m-openid", "m-email"]}))
        );
    }
}
