//! The JSON Keycloak's admin API takes and gives for a client: a new client's body,
//! the update that changes only what differs from the plan, and the settings read
//! back for comparing.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{GROUPS_MAPPER, Keycloak};
use crate::desired::{ClientSettings, DesiredClient};
use crate::diff::CurrentClient;
use crate::owner::{MARK_KEY, Owner};

impl Keycloak {
    /// A new client: the plan's return addresses plus the app's own address, where an
    /// invitation e-mail leads back to (Keycloak checks it against the client's list).
    pub(super) fn new_client_body(client: &DesiredClient, owner: &Owner) -> Value {
        let mut redirects = client.settings.redirect_uris.clone();
        redirects.insert(client.base_url.clone());
        let mut body = Self::client_body(client, &redirects);
        body["protocolMappers"] = json!([Self::groups_mapper()]);
        // Whose it is, so that it can be named when its app leaves the plan.
        body["attributes"][MARK_KEY] = json!(owner.id);
        body
    }

    pub(super) fn client_body(client: &DesiredClient, redirect_uris: &BTreeSet<String>) -> Value {
        let s = &client.settings;
        let logout: Vec<&str> = s
            .post_logout_redirect_uris
            .iter()
            .map(String::as_str)
            .collect();
        json!({
            "clientId": client.client_id,
            "name": client.name,
            "protocol": "openid-connect",
            "enabled": true,
            "publicClient": false,
            "clientAuthenticatorType": "client-secret",
            "standardFlowEnabled": true,
            "directAccessGrantsEnabled": false,
            "implicitFlowEnabled": false,
            "serviceAccountsEnabled": false,
            "rootUrl": client.base_url,
            "baseUrl": client.base_url,
            "redirectUris": redirect_uris,
            "webOrigins": ["+"],
            "attributes": {
                "pkce.code.challenge.method": if s.pkce == Some(true) { "S256" } else { "" },
                "post.logout.redirect.uris": logout.join("##"),
            },
        })
    }

    pub(super) fn groups_mapper() -> Value {
        json!({
            "name": "groups",
            "protocol": "openid-connect",
            "protocolMapper": GROUPS_MAPPER,
            "config": {
                "claim.name": "groups",
                "full.path": "false",
                "id.token.claim": "true",
                "access.token.claim": "true",
                "userinfo.token.claim": "true"
            }
        })
    }

    pub(super) fn settings_of(c: &Value) -> CurrentClient {
        let strings = |v: &Value| -> BTreeSet<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let attr = |k: &str| c["attributes"][k].as_str().unwrap_or_default().to_owned();
        let logout = attr("post.logout.redirect.uris");
        let mut incomplete = Vec::new();
        if c["publicClient"].as_bool() == Some(true) {
            incomplete.push("confidential".to_owned());
        }
        if c["standardFlowEnabled"].as_bool() == Some(false) {
            incomplete.push("code_flow".to_owned());
        }
        if c["enabled"].as_bool() == Some(false) {
            incomplete.push("enabled".to_owned());
        }
        CurrentClient {
            client_id: c["clientId"].as_str().unwrap_or_default().to_owned(),
            settings: ClientSettings {
                redirect_uris: strings(&c["redirectUris"]),
                post_logout_redirect_uris: logout
                    .split("##")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                pkce: Some(attr("pkce.code.challenge.method") == "S256"),
                groups_claim: c["protocolMappers"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|m| m["protocolMapper"] == GROUPS_MAPPER)),
            },
            incomplete,
        }
    }

    /// The client as Keycloak has it with only what differs from the plan changed
    /// (return addresses are added to, never replaced), or None when only the groups
    /// mapper is missing. Names, web origins, URLs and every other setting an
    /// administrator made stay.
    pub(super) fn update_body(
        client: &DesiredClient,
        existing: &Value,
        have: &CurrentClient,
    ) -> Option<Value> {
        let want = &client.settings;
        // Only ever an object in practice (`find_client` matches on its clientId); the
        // guard keeps a forged answer from panicking here.
        let mut body = if existing.is_object() {
            existing.clone()
        } else {
            json!({})
        };
        // Keycloak never sends nulls; one here would be refused by its PUT.
        if let Some(fields) = body.as_object_mut() {
            fields.retain(|_, v| !v.is_null());
        }
        let mut changed = false;
        if !want.redirect_uris.is_subset(&have.settings.redirect_uris) {
            let all: BTreeSet<&String> = have
                .settings
                .redirect_uris
                .iter()
                .chain(&want.redirect_uris)
                .collect();
            body["redirectUris"] = json!(all);
            changed = true;
        }
        if !body["attributes"].is_object() {
            body["attributes"] = json!({});
        }
        if !want
            .post_logout_redirect_uris
            .is_subset(&have.settings.post_logout_redirect_uris)
        {
            let all: BTreeSet<&String> = have
                .settings
                .post_logout_redirect_uris
                .iter()
                .chain(&want.post_logout_redirect_uris)
                .collect();
            let joined: Vec<&str> = all.into_iter().map(String::as_str).collect();
            body["attributes"]["post.logout.redirect.uris"] = json!(joined.join("##"));
            changed = true;
        }
        if want.pkce != have.settings.pkce {
            body["attributes"]["pkce.code.challenge.method"] =
                json!(if want.pkce == Some(true) { "S256" } else { "" });
            changed = true;
        }
        if have.incomplete.iter().any(|f| f == "confidential") {
            body["publicClient"] = json!(false);
            body["clientAuthenticatorType"] = json!("client-secret");
            changed = true;
        }
        if have.incomplete.iter().any(|f| f == "code_flow") {
            body["standardFlowEnabled"] = json!(true);
            changed = true;
        }
        if have.incomplete.iter().any(|f| f == "enabled") {
            body["enabled"] = json!(true);
            changed = true;
        }
        changed.then_some(body)
    }
}
