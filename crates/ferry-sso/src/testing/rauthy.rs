//! Rauthy 0.35's admin API under `/auth/v1`, as far as Ferry uses it. New clients get
//! Rauthy's defaults (EdDSA, PKCE S256 required, only the openid default scope);
//! PUT replaces every setting and refuses a body missing a required field.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, Contract, Req, answer, discovery, not_found, random_secret};

/// `name$secret`; the secret is 64 letters and digits as Rauthy requires.
pub const RAUTHY_API_KEY: &str =
    "ferry$AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWx01";

#[derive(Default)]
pub(super) struct Rauthy {
    clients: Vec<Value>,
    secrets: Vec<(String, String)>,
    groups: Vec<Value>,
    users: Vec<Value>,
}

fn bad(message: &str) -> Answer {
    answer(
        StatusCode::BAD_REQUEST,
        json!({"timestamp": 0, "error": "BadRequest", "message": message}),
    )
}

fn valid_id(id: &str) -> bool {
    (2..=256).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

const UPDATE_REQUIRED: [&str; 11] = [
    "confidential",
    "redirect_uris",
    "enabled",
    "flows_enabled",
    "access_token_alg",
    "id_token_alg",
    "auth_code_lifetime",
    "access_token_lifetime",
    "scopes",
    "default_scopes",
    "force_mfa",
];

impl Rauthy {
    fn api(&mut self, req: &Req, rest: &[&str]) -> Answer {
        let body = req.json().unwrap_or(Value::Null);
        match (req.method.clone(), rest) {
            (Method::GET, ["clients"]) => answer(StatusCode::OK, json!(self.clients)),
            (Method::GET, ["clients", id]) => match self.clients.iter().find(|c| c["id"] == *id) {
                Some(c) => answer(StatusCode::OK, c.clone()),
                None => not_found(),
            },
            (Method::POST, ["clients"]) => {
                let id = body["id"].as_str().unwrap_or_default();
                if !valid_id(id)
                    || !body["redirect_uris"].is_array()
                    || !body["confidential"].is_boolean()
                {
                    return bad("invalid client request");
                }
                if self.clients.iter().any(|c| c["id"] == id) {
                    return bad("UNIQUE constraint failed: clients.id");
                }
                let c = json!({
                    "id": id,
                    "name": body["name"],
                    "enabled": true,
                    "confidential": body["confidential"],
                    "redirect_uris": body["redirect_uris"],
                    "post_logout_redirect_uris": body["post_logout_redirect_uris"],
                    "flows_enabled": ["authorization_code"],
                    "access_token_alg": "EdDSA",
                    "id_token_alg": "EdDSA",
                    "auth_code_lifetime": 60,
                    "access_token_lifetime": 1800,
                    "scopes": ["openid", "email", "profile", "groups"],
                    "default_scopes": ["openid"],
                    "challenges": ["S256"],
                    "force_mfa": false,
                });
                if body["confidential"] == true {
                    self.secrets.push((id.to_owned(), random_secret(64)));
                }
                self.clients.push(c.clone());
                answer(StatusCode::OK, c)
            }
            (Method::PUT, ["clients", id]) => {
                if let Some(missing) = UPDATE_REQUIRED.iter().find(|f| body[**f].is_null()) {
                    return bad(&format!("missing field `{missing}`"));
                }
                // v0.35 carries the id in the body as well; it must match.
                if body["id"] != *id {
                    return bad("id in body does not match the path");
                }
                for alg in ["access_token_alg", "id_token_alg"] {
                    if !matches!(
                        body[alg].as_str(),
                        Some("RS256" | "RS384" | "RS512" | "EdDSA")
                    ) {
                        return bad("invalid algorithm");
                    }
                }
                let Some(c) = self.clients.iter_mut().find(|c| c["id"] == *id) else {
                    return not_found();
                };
                let mut next = body.clone();
                next["id"] = json!(id);
                *c = next.clone();
                if body["confidential"] == true && !self.secrets.iter().any(|(c, _)| c == id) {
                    self.secrets.push(((*id).to_owned(), random_secret(64)));
                }
                answer(StatusCode::OK, next)
            }
            (Method::POST, ["clients", id, "secret"]) => {
                match self.secrets.iter().find(|(c, _)| c == id) {
                    Some((_, s)) => answer(
                        StatusCode::OK,
                        json!({"id": id, "confidential": true, "secret": s}),
                    ),
                    None if self.clients.iter().any(|c| c["id"] == *id) => {
                        bad("client is not confidential")
                    }
                    None => not_found(),
                }
            }
            (Method::GET, ["groups"]) => answer(StatusCode::OK, json!(self.groups)),
            (Method::POST, ["groups"]) => {
                let name = body["group"].as_str().unwrap_or_default();
                let ok = (2..=64).contains(&name.len())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_/,:* ".contains(c));
                if !ok {
                    return bad("invalid group name");
                }
                if self.groups.iter().any(|g| g["name"] == name) {
                    return bad("UNIQUE constraint failed: groups.name");
                }
                let g = json!({"id": random_secret(20), "name": name});
                self.groups.push(g.clone());
                answer(StatusCode::OK, g)
            }
            (Method::GET, ["users", "email", email]) => {
                match self
                    .users
                    .iter()
                    .find(|u| u["email"] == email.to_lowercase())
                {
                    Some(u) => answer(StatusCode::OK, u.clone()),
                    None => not_found(),
                }
            }
            (Method::POST, ["users"]) => {
                let email = body["email"].as_str().unwrap_or_default().to_lowercase();
                if !email.contains('@') || body["given_name"].is_null() {
                    return bad("invalid user");
                }
                if self.users.iter().any(|u| u["email"] == email.as_str()) {
                    return bad("UNIQUE constraint failed: users.email");
                }
                for g in body["groups"].as_array().into_iter().flatten() {
                    if !self.groups.iter().any(|have| have["name"] == *g) {
                        return bad("unknown group");
                    }
                }
                let u = json!({
                    "id": random_secret(20),
                    "email": email,
                    "given_name": body["given_name"],
                    "family_name": body["family_name"],
                    "groups": body["groups"].as_array().cloned().unwrap_or_default(),
                    // Rauthy e-mails the password-setup link on creation.
                    "invited": true,
                });
                self.users.push(u.clone());
                answer(StatusCode::OK, u)
            }
            (Method::PATCH, ["users", id]) => {
                let Some(u) = self.users.iter_mut().find(|u| u["id"] == *id) else {
                    return not_found();
                };
                for p in body["put"].as_array().into_iter().flatten() {
                    if let Some(k) = p["key"].as_str() {
                        u[k] = p["value"].clone();
                    }
                }
                answer(StatusCode::OK, u.clone())
            }
            _ => not_found(),
        }
    }
}

impl Contract for Rauthy {
    fn handle(&mut self, req: &Req) -> Answer {
        let seg = req.seg();
        match seg.as_slice() {
            ["auth", "v1", ".well-known", "openid-configuration"] => {
                let issuer = format!("{}/auth/v1/", req.base);
                let jwks = format!("{issuer}oidc/certs");
                answer(StatusCode::OK, discovery(&issuer, &jwks))
            }
            ["auth", "v1", "oidc", "certs"] => answer(StatusCode::OK, json!({"keys": []})),
            ["auth", "v1", rest @ ..] => {
                let key = req
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok());
                if key != Some(&format!("API-Key {RAUTHY_API_KEY}")) {
                    return answer(
                        StatusCode::UNAUTHORIZED,
                        json!({"timestamp": 0, "error": "Unauthorized", "message": "invalid API key"}),
                    );
                }
                let rest = rest.to_vec();
                self.api(req, &rest)
            }
            _ => not_found(),
        }
    }

    fn snapshot(&self) -> Value {
        json!({
            "clients": self.clients.iter().map(|c| c["id"].clone()).collect::<Vec<_>>(),
            "client_settings": self.clients,
            "secrets": self.secrets,
            "groups": self.groups,
            "users": self.users,
        })
    }
}
