//! Keycloak 26's Admin REST API, as far as Ferry uses it: 409 for duplicates, lists
//! paged by `first`/`max`, PUT that changes only the fields it is given (attributes
//! one by one), invitations that check the client's return address, and a sign-in
//! page that checks client, switch and return address.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use super::{
    Answer, Contract, Req, answer, bearer, discovery, html, not_found, random_secret,
    redirect_allowed,
};

mod access;
mod clients;
mod hooks;
mod users;

pub const KEYCLOAK_ADMIN: &str = "admin";
pub const KEYCLOAK_PASSWORD: &str = "kc-admin-pässword";

#[derive(Default)]
struct Realm {
    attributes: Value,
    groups: Vec<Value>,
    clients: Vec<Value>,
    users: Vec<Value>,
    /// user id → group ids
    memberships: HashMap<String, Vec<String>>,
    /// Sign-in flows, client roles and the groups holding them.
    access: access::Access,
}

#[derive(Default)]
pub(super) struct Keycloak {
    realms: HashMap<String, Realm>,
    tokens: Vec<String>,
    /// Whether realms can send e-mail (invites fail with 500 without).
    pub smtp: bool,
    /// (address, link) of each invitation e-mailed; passwords set through them.
    mails: Vec<(String, String)>,
    passwords: Vec<(String, String)>,
}

fn conflict(what: &str) -> Answer {
    answer(
        StatusCode::CONFLICT,
        json!({ "errorMessage": format!("{what} exists with same name") }),
    )
}

fn created(location: String) -> Answer {
    let mut h = HeaderMap::new();
    h.insert("location", HeaderValue::from_str(&location).expect("ascii"));
    (StatusCode::CREATED, h, Value::Null)
}

fn no_content() -> Answer {
    answer(StatusCode::NO_CONTENT, Value::Null)
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Keycloak {
    fn token(&mut self, req: &Req) -> Answer {
        let form: HashMap<String, String> = String::from_utf8_lossy(&req.body)
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                (
                    super::percent_decode(k),
                    super::percent_decode(&v.replace('+', " ")),
                )
            })
            .collect();
        let get = |k: &str| form.get(k).map(String::as_str);
        let ok = get("grant_type") == Some("password")
            && get("client_id") == Some("admin-cli")
            && get("username") == Some(KEYCLOAK_ADMIN)
            && get("password") == Some(KEYCLOAK_PASSWORD);
        if !ok {
            return answer(
                StatusCode::UNAUTHORIZED,
                json!({"error": "invalid_grant", "error_description": "Invalid user credentials"}),
            );
        }
        let token = random_secret(40);
        self.tokens.push(token.clone());
        answer(
            StatusCode::OK,
            json!({"access_token": token, "expires_in": 60, "token_type": "Bearer"}),
        )
    }

    fn admin(&mut self, req: &Req, rest: &[&str]) -> Answer {
        let body = req.json().unwrap_or(Value::Null);
        let m = &req.method;
        if rest.is_empty() {
            return match *m {
                Method::GET => answer(
                    StatusCode::OK,
                    json!(
                        self.realms
                            .keys()
                            .map(|r| json!({"realm": r}))
                            .collect::<Vec<_>>()
                    ),
                ),
                Method::POST => {
                    let Some(name) = body["realm"].as_str() else {
                        return answer(
                            StatusCode::BAD_REQUEST,
                            json!({"errorMessage": "realm is required"}),
                        );
                    };
                    if self.realms.contains_key(name) {
                        return conflict("Realm");
                    }
                    let realm = Realm {
                        attributes: body["attributes"].clone(),
                        ..Realm::default()
                    };
                    self.realms.insert(name.to_owned(), realm);
                    created(format!("{}/admin/realms/{name}", req.base))
                }
                _ => not_found(),
            };
        }
        let base = req.base.clone();
        let smtp = self.smtp;
        let mails = &mut self.mails;
        let Some(realm) = self.realms.get_mut(rest[0]) else {
            return answer(StatusCode::NOT_FOUND, json!({"error": "Realm not found."}));
        };
        let prefix = format!("{base}/admin/realms/{}", rest[0]);
        match (m.clone(), &rest[1..]) {
            (Method::GET, []) => answer(
                StatusCode::OK,
                json!({"realm": rest[0], "enabled": true, "attributes": realm.attributes}),
            ),
            // As the real one: the attributes given replace the realm's own (its
            // settings kept as attributes are not among them).
            (Method::PUT, []) => {
                if let Some(attributes) = body.get("attributes") {
                    realm.attributes = attributes.clone();
                }
                no_content()
            }
            // Keycloak refuses (500) to delete a flow a client is bound to.
            (Method::DELETE, ["authentication", "flows", id])
                if realm
                    .clients
                    .iter()
                    .any(|c| c["authenticationFlowBindingOverrides"]["browser"] == *id) =>
            {
                answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "unknown_error"}),
                )
            }
            (_, ["authentication", rest @ ..]) => {
                realm.access.authentication(m, rest, &body, &prefix)
            }
            // Only the part Ferry reads: every flow, sub-flows too, with its steps.
            (Method::POST, ["partial-export"]) => answer(
                StatusCode::OK,
                json!({"realm": rest[0], "authenticationFlows": realm.access.export()}),
            ),
            (_, ["clients", id, "roles"]) => realm.access.client_roles(m, id, None, &body, &prefix),
            (_, ["clients", id, "roles", name]) => {
                realm.access.client_roles(m, id, Some(name), &body, &prefix)
            }
            (_, ["groups", gid, "role-mappings", "clients", id]) => {
                realm.access.group_client_roles(m, gid, id, &body)
            }
            (Method::GET, ["groups"]) => {
                let search = req.q("search");
                let first: usize = req.q("first").and_then(|f| f.parse().ok()).unwrap_or(0);
                let max: usize = req
                    .q("max")
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(usize::MAX);
                let list: Vec<Value> = realm
                    .groups
                    .iter()
                    .filter(|g| search.is_none_or(|s| g["name"].as_str() == Some(s)))
                    .skip(first)
                    .take(max)
                    .cloned()
                    .collect();
                answer(StatusCode::OK, json!(list))
            }
            (Method::POST, ["groups"]) => {
                let Some(name) = body["name"].as_str() else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "name is required"}),
                    );
                };
                if realm.groups.iter().any(|g| g["name"] == name) {
                    return conflict("Top level group named '…'");
                }
                let id = uuid();
                realm.groups.push(
                    json!({"id": id, "name": name, "path": format!("/{name}"), "subGroups": []}),
                );
                created(format!("{prefix}/groups/{id}"))
            }
            (_, ["clients", ..]) => clients::route(realm, req, &rest[1..], &body, &prefix),
            (_, ["users", ..]) => users::route(realm, req, &rest[1..], &body, &prefix, smtp, mails),
            _ => not_found(),
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

impl Keycloak {
    /// The login page, or the error page Keycloak shows instead.
    fn authorize(&self, realm: &str, req: &Req) -> Answer {
        let Some(r) = self.realms.get(realm) else {
            return html(StatusCode::NOT_FOUND, "Realm does not exist");
        };
        let Some(c) = r
            .clients
            .iter()
            .find(|c| c["clientId"].as_str() == req.q("client_id"))
        else {
            return html(StatusCode::BAD_REQUEST, "Client not found.");
        };
        if c["enabled"] == false {
            return html(StatusCode::BAD_REQUEST, "Client disabled.");
        }
        if !req
            .q("redirect_uri")
            .is_some_and(|u| redirect_allowed(&strings(&c["redirectUris"]), u))
        {
            return html(StatusCode::BAD_REQUEST, "Invalid parameter: redirect_uri");
        }
        if c["attributes"]["pkce.code.challenge.method"] == "S256"
            && req.q("code_challenge").is_none()
        {
            let to = format!(
                "{}?error=invalid_request&error_description=Missing+parameter%3A+code_challenge_method",
                req.q("redirect_uri").unwrap_or_default()
            );
            return super::redirect(&to);
        }
        html(StatusCode::OK, "Sign in to your account")
    }

    fn realm_with_client(&mut self, client_id: &str) -> Option<&mut Value> {
        self.realms
            .values_mut()
            .flat_map(|r| r.clients.iter_mut())
            .find(|c| c["clientId"] == client_id)
    }
}

impl Contract for Keycloak {
    fn refusal(&self, message: &str) -> Value {
        json!({ "errorMessage": message })
    }

    fn act(&mut self, action: &str, args: &Value) -> Value {
        self.hook(action, args)
    }

    fn is_sign_in(&self, req: &Req) -> bool {
        req.seg()
            .ends_with(&["protocol", "openid-connect", "token"])
    }

    fn handle(&mut self, req: &Req) -> Answer {
        let seg = req.seg();
        match seg.as_slice() {
            ["realms", "master", "protocol", "openid-connect", "token"]
                if req.method == Method::POST =>
            {
                self.token(req)
            }
            ["realms", realm, ".well-known", "openid-configuration"] => {
                if !self.realms.contains_key(*realm) {
                    return answer(
                        StatusCode::NOT_FOUND,
                        json!({"error": "Realm does not exist"}),
                    );
                }
                let issuer = format!("{}/realms/{realm}", req.base);
                let jwks = format!("{issuer}/protocol/openid-connect/certs");
                let mut d = discovery(&issuer, &format!("{issuer}/protocol/openid-connect"), &jwks);
                d["authorization_endpoint"] =
                    json!(format!("{issuer}/protocol/openid-connect/auth"));
                answer(StatusCode::OK, d)
            }
            ["realms", realm, "protocol", "openid-connect", "auth"]
                if req.method == Method::GET =>
            {
                self.authorize(realm, req)
            }
            ["realms", _, "protocol", "openid-connect", "certs"] => {
                answer(StatusCode::OK, json!({"keys": []}))
            }
            ["admin", "realms", rest @ ..] => {
                if !bearer(req).is_some_and(|t| self.tokens.iter().any(|k| k == t)) {
                    return answer(
                        StatusCode::UNAUTHORIZED,
                        json!({"error": "HTTP 401 Unauthorized"}),
                    );
                }
                let rest = rest.to_vec();
                self.admin(req, &rest)
            }
            _ => not_found(),
        }
    }

    fn snapshot(&self) -> Value {
        let realms: serde_json::Map<String, Value> = self
            .realms
            .iter()
            .map(|(name, r)| {
                (
                    name.clone(),
                    json!({"attributes": r.attributes, "groups": r.groups, "clients": r.clients, "users": r.users, "memberships": r.memberships, "access": r.access.snapshot()}),
                )
            })
            .collect();
        let clients: Vec<Value> = self
            .realms
            .values()
            .flat_map(|r| r.clients.iter().map(|c| c["clientId"].clone()))
            .collect();
        json!({"realms": realms, "clients": clients})
    }
}
