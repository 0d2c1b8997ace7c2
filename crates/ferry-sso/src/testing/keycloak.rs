//! Keycloak 26's Admin REST API, as far as Ferry uses it.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, Contract, Req, answer, bearer, discovery, not_found, random_secret};

pub const KEYCLOAK_ADMIN: &str = "admin";
pub const KEYCLOAK_PASSWORD: &str = "kc-admin-pässword";

#[derive(Default)]
struct Realm {
    groups: Vec<Value>,
    clients: Vec<Value>,
    users: Vec<Value>,
    /// user id → group ids
    memberships: HashMap<String, Vec<String>>,
}

#[derive(Default)]
pub(super) struct Keycloak {
    realms: HashMap<String, Realm>,
    tokens: Vec<String>,
    /// Whether realms can send e-mail (invites fail with 500 without).
    pub smtp: bool,
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
                    self.realms.insert(name.to_owned(), Realm::default());
                    created(format!("{}/admin/realms/{name}", req.base))
                }
                _ => not_found(),
            };
        }
        let base = req.base.clone();
        let smtp = self.smtp;
        let Some(realm) = self.realms.get_mut(rest[0]) else {
            return answer(StatusCode::NOT_FOUND, json!({"error": "Realm not found."}));
        };
        let prefix = format!("{base}/admin/realms/{}", rest[0]);
        match (m.clone(), &rest[1..]) {
            (Method::GET, []) => answer(StatusCode::OK, json!({"realm": rest[0], "enabled": true})),
            (Method::GET, ["groups"]) => {
                let search = req.q("search");
                let list: Vec<Value> = realm
                    .groups
                    .iter()
                    .filter(|g| search.is_none_or(|s| g["name"].as_str() == Some(s)))
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
            (Method::GET, ["clients"]) => {
                let want = req.q("clientId");
                let list: Vec<Value> = realm
                    .clients
                    .iter()
                    .filter(|c| want.is_none_or(|w| c["clientId"].as_str() == Some(w)))
                    .map(|c| {
                        let mut c = c.clone();
                        c.as_object_mut().map(|o| o.remove("secret"));
                        c
                    })
                    .collect();
                answer(StatusCode::OK, json!(list))
            }
            (Method::POST, ["clients"]) => {
                let Some(client_id) = body["clientId"].as_str() else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "clientId is required"}),
                    );
                };
                if realm.clients.iter().any(|c| c["clientId"] == client_id) {
                    return conflict(&format!("Client {client_id} already"));
                }
                let mut c = body.clone();
                let id = uuid();
                c["id"] = json!(id);
                if c["secret"].is_null() {
                    c["secret"] = json!(random_secret(32));
                }
                for mapper in c["protocolMappers"].as_array_mut().into_iter().flatten() {
                    mapper["id"] = json!(uuid());
                }
                realm.clients.push(c);
                created(format!("{prefix}/clients/{id}"))
            }
            (Method::PUT, ["clients", id]) => {
                let Some(c) = realm.clients.iter_mut().find(|c| c["id"] == *id) else {
                    return answer(
                        StatusCode::NOT_FOUND,
                        json!({"error": "Could not find client"}),
                    );
                };
                // The representation is replaced; id, secret and mappers stay.
                let (secret, mappers) = (c["secret"].clone(), c["protocolMappers"].clone());
                let mut next = body.clone();
                next["id"] = json!(id);
                next["secret"] = secret;
                next["protocolMappers"] = mappers;
                *c = next;
                no_content()
            }
            (Method::POST, ["clients", id, "protocol-mappers", "models"]) => {
                let Some(c) = realm.clients.iter_mut().find(|c| c["id"] == *id) else {
                    return answer(
                        StatusCode::NOT_FOUND,
                        json!({"error": "Could not find client"}),
                    );
                };
                if c["protocolMappers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|x| x["name"] == body["name"])
                {
                    return conflict("Protocol mapper");
                }
                let mut mapper = body.clone();
                mapper["id"] = json!(uuid());
                if !c["protocolMappers"].is_array() {
                    c["protocolMappers"] = json!([]);
                }
                c["protocolMappers"]
                    .as_array_mut()
                    .expect("array")
                    .push(mapper);
                created(format!("{prefix}/clients/{id}/protocol-mappers/models/x"))
            }
            (Method::GET, ["clients", id, "client-secret"]) => {
                match realm.clients.iter().find(|c| c["id"] == *id) {
                    Some(c) => answer(
                        StatusCode::OK,
                        json!({"type": "secret", "value": c["secret"]}),
                    ),
                    None => answer(
                        StatusCode::NOT_FOUND,
                        json!({"error": "Could not find client"}),
                    ),
                }
            }
            (Method::GET, ["users"]) => {
                let email = req.q("email").map(str::to_lowercase);
                let list: Vec<Value> = realm
                    .users
                    .iter()
                    .filter(|u| {
                        email
                            .as_deref()
                            .is_none_or(|e| u["email"].as_str() == Some(e))
                    })
                    .cloned()
                    .collect();
                answer(StatusCode::OK, json!(list))
            }
            (Method::POST, ["users"]) => {
                let username = body["username"].as_str().unwrap_or_default().to_lowercase();
                let email = body["email"].as_str().unwrap_or_default().to_lowercase();
                if username.is_empty() {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "username is required"}),
                    );
                }
                if realm.users.iter().any(|u| {
                    u["username"] == username.as_str()
                        || (!email.is_empty() && u["email"] == email.as_str())
                }) {
                    return conflict("User");
                }
                let id = uuid();
                let mut u = body.clone();
                u["id"] = json!(id);
                u["username"] = json!(username);
                u["email"] = json!(email);
                realm.users.push(u);
                created(format!("{prefix}/users/{id}"))
            }
            (Method::GET, ["users", id, "groups"]) => {
                let ids = realm.memberships.get(*id).cloned().unwrap_or_default();
                let list: Vec<Value> = realm
                    .groups
                    .iter()
                    .filter(|g| ids.iter().any(|i| g["id"] == i.as_str()))
                    .cloned()
                    .collect();
                answer(StatusCode::OK, json!(list))
            }
            (Method::PUT, ["users", id, "groups", gid]) => {
                if !realm.users.iter().any(|u| u["id"] == *id)
                    || !realm.groups.iter().any(|g| g["id"] == *gid)
                {
                    return not_found();
                }
                let list = realm.memberships.entry((*id).to_owned()).or_default();
                if !list.iter().any(|g| g == gid) {
                    list.push((*gid).to_owned());
                }
                no_content()
            }
            (Method::PUT, ["users", id, "execute-actions-email"]) => {
                if !realm.users.iter().any(|u| u["id"] == *id) {
                    return not_found();
                }
                if !smtp {
                    return answer(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        json!({"errorMessage": "Failed to send execute actions email"}),
                    );
                }
                no_content()
            }
            _ => not_found(),
        }
    }
}

impl Contract for Keycloak {
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
                answer(StatusCode::OK, discovery(&issuer, &jwks))
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
                    json!({"groups": r.groups, "clients": r.clients, "users": r.users, "memberships": r.memberships}),
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
