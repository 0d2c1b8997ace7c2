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
            // Attributes given are set one by one; the rest stay.
            (Method::PUT, []) => {
                if !realm.attributes.is_object() {
                    realm.attributes = json!({});
                }
                for (k, v) in body["attributes"].as_object().into_iter().flatten() {
                    realm.attributes[k] = v.clone();
                }
                no_content()
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
            (Method::GET, ["clients"]) => {
                let want = req.q("clientId");
                let first: usize = req.q("first").and_then(|f| f.parse().ok()).unwrap_or(0);
                let max: usize = req.q("max").and_then(|m| m.parse().ok()).unwrap_or(100);
                let list: Vec<Value> = realm
                    .clients
                    .iter()
                    .filter(|c| want.is_none_or(|w| c["clientId"].as_str() == Some(w)))
                    .skip(first)
                    .take(max)
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
                // `get_mut`, not `c[..]`: indexing would add a null the real one never has.
                for mapper in c
                    .get_mut("protocolMappers")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    mapper["id"] = json!(uuid());
                }
                realm.clients.push(c);
                created(format!("{prefix}/clients/{id}"))
            }
            (Method::DELETE, ["clients", id]) => {
                let before = realm.clients.len();
                realm.clients.retain(|c| c["id"] != *id);
                if realm.clients.len() == before {
                    return answer(
                        StatusCode::NOT_FOUND,
                        json!({"error": "Could not find client"}),
                    );
                }
                no_content()
            }
            (Method::PUT, ["clients", id]) => {
                let Some(c) = realm.clients.iter_mut().find(|c| c["id"] == *id) else {
                    return answer(
                        StatusCode::NOT_FOUND,
                        json!({"error": "Could not find client"}),
                    );
                };
                // Fields given replace theirs, attributes one by one; the rest stay
                // (Keycloak's RepresentationToModel.updateClient). Id and secret stay.
                for (k, v) in body.as_object().into_iter().flatten() {
                    match k.as_str() {
                        "id" | "secret" | "protocolMappers" => {}
                        "attributes" => {
                            if !c["attributes"].is_object() {
                                c["attributes"] = json!({});
                            }
                            for (ak, av) in v.as_object().into_iter().flatten() {
                                c["attributes"][ak] = av.clone();
                            }
                        }
                        _ => c[k] = v.clone(),
                    }
                }
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
                let username = req.q("username").map(str::to_lowercase);
                let list: Vec<Value> = realm
                    .users
                    .iter()
                    .filter(|u| {
                        email
                            .as_deref()
                            .is_none_or(|e| u["email"].as_str() == Some(e))
                    })
                    .filter(|u| {
                        username
                            .as_deref()
                            .is_none_or(|n| u["username"].as_str() == Some(n))
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
                if let Some(redirect) = req.q("redirect_uri") {
                    let client = req
                        .q("client_id")
                        .and_then(|cid| realm.clients.iter().find(|c| c["clientId"] == cid));
                    let Some(client) = client else {
                        return answer(
                            StatusCode::BAD_REQUEST,
                            json!({"errorMessage": "Client doesn't exist"}),
                        );
                    };
                    if !redirect_allowed(&strings(&client["redirectUris"]), redirect) {
                        return answer(
                            StatusCode::BAD_REQUEST,
                            json!({"errorMessage": "Invalid redirect uri."}),
                        );
                    }
                }
                if !smtp {
                    return answer(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        json!({"errorMessage": "Failed to send execute actions email"}),
                    );
                }
                let to = realm
                    .users
                    .iter()
                    .find(|u| u["id"] == *id)
                    .and_then(|u| u["email"].as_str())
                    .unwrap_or_default()
                    .to_owned();
                let link = format!(
                    "{prefix}/login-actions/action-token?key={}",
                    random_secret(40)
                )
                .replace("/admin/realms/", "/realms/");
                mails.push((to, link));
                no_content()
            }
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
        let id = args["client_id"].as_str().unwrap_or_default().to_owned();
        match action {
            "rotate_secret" => {
                let fresh = random_secret(32);
                if let Some(c) = self.realm_with_client(&id) {
                    c["secret"] = json!(fresh);
                }
                json!(fresh)
            }
            "edit_client" | "disable" => {
                let Some(c) = self.realm_with_client(&id) else {
                    return Value::Null;
                };
                if action == "disable" {
                    c["enabled"] = json!(false);
                }
                for (k, v) in args["set"].as_object().into_iter().flatten() {
                    c[k] = v.clone();
                }
                c.clone()
            }
            "add_groups" => {
                let count = args["count"].as_u64().unwrap_or(0);
                for r in self.realms.values_mut() {
                    for n in 0..count {
                        let name = format!("extra-{n:04}");
                        r.groups.push(json!({"id": uuid(), "name": name, "path": format!("/{name}"), "subGroups": []}));
                    }
                }
                json!(count)
            }
            // Keycloak keeps addresses in lowercase, whatever was typed.
            "add_user" => {
                let email = args["email"].as_str().unwrap_or_default().to_lowercase();
                let username = args["username"]
                    .as_str()
                    .map_or(email.clone(), str::to_lowercase);
                let only = args["realm"].as_str();
                for (name, r) in self.realms.iter_mut() {
                    if only.is_some_and(|o| o != name) {
                        continue;
                    }
                    r.users.push(json!({
                        "id": uuid(), "username": username, "email": email, "enabled": true,
                    }));
                }
                json!(email)
            }
            // Keycloak lets every user of a realm into every client of that realm.
            "can_sign_in" => {
                let email = args["email"].as_str().unwrap_or_default().to_lowercase();
                let realm = args["realm"].as_str().unwrap_or_default();
                json!(self.realms.get(realm).is_some_and(|r| {
                    r.users.iter().any(|u| u["email"] == email.as_str())
                        && r.clients.iter().any(|c| c["clientId"] == id.as_str())
                }))
            }
            "strip_marks" => {
                for r in self.realms.values_mut() {
                    r.attributes = json!({});
                    for c in &mut r.clients {
                        if let Some(a) = c["attributes"].as_object_mut() {
                            a.remove(crate::owner::MARK_KEY);
                        }
                    }
                }
                Value::Null
            }
            "mailbox" => {
                let to = args["email"].as_str().unwrap_or_default().to_lowercase();
                json!(
                    self.mails
                        .iter()
                        .rev()
                        .find(|(a, _)| *a == to)
                        .map(|(_, l)| l)
                )
            }
            "follow_link" => {
                let url = args["url"].as_str().unwrap_or_default();
                let Some(at) = self.mails.iter().position(|(_, l)| l == url) else {
                    return json!(false);
                };
                let (to, _) = self.mails.remove(at);
                self.passwords.retain(|(a, _)| *a != to);
                self.passwords
                    .push((to, args["password"].as_str().unwrap_or_default().to_owned()));
                json!(true)
            }
            "sign_in_code" => {
                let email = args["email"].as_str().unwrap_or_default().to_lowercase();
                let password = args["password"].as_str().unwrap_or_default();
                json!(
                    self.passwords
                        .iter()
                        .any(|(a, p)| *a == email && p == password)
                )
            }
            _ => Value::Null,
        }
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
                    json!({"attributes": r.attributes, "groups": r.groups, "clients": r.clients, "users": r.users, "memberships": r.memberships}),
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
