//! Rauthy 0.35's admin API under `/auth/v1`, as far as Ferry uses it, with the rules
//! the real one keeps (`src/api_types/src/clients.rs`, `src/common/src/regex.rs`): a
//! client name only of letters, digits, `-` and spaces; refusals as 400 with a
//! `message`. New clients get Rauthy's defaults (EdDSA, PKCE S256 required, only the
//! openid default scope); PUT replaces every setting and refuses a body missing a
//! required field. No mail server: creating a user answers 200 and sends nothing.
//! The sign-in page checks client, return address, PKCE and the group prefix.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{
    Answer, Contract, Req, answer, discovery, html, not_found, random_secret, redirect_allowed,
};

/// `name$secret`; the secret is 64 letters and digits as Rauthy requires.
pub const RAUTHY_API_KEY: &str =
    "ferry$AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWx01";

#[derive(Default)]
pub(super) struct Rauthy {
    clients: Vec<Value>,
    secrets: Vec<(String, String)>,
    groups: Vec<Value>,
    users: Vec<Value>,
    /// Whether it has a mail server: a new user's password-setup link is "sent" here.
    pub smtp: bool,
    /// (address, link) of each e-mail sent; links used, and passwords set.
    mails: Vec<(String, String)>,
    passwords: Vec<(String, String)>,
}

/// A contact (`RE_CONTACT`): `^[a-zA-Z0-9+.@/:-]{0,48}$`.
fn valid_contact(c: &Value) -> bool {
    c.as_str().is_some_and(|c| {
        c.len() <= 48
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "+.@/:-".contains(ch))
    })
}

/// A user's group (`validate_vec_groups`): `^[a-z0-9-_/,:*]{2,64}$`, lowercase only.
fn valid_user_group(g: &Value) -> bool {
    g.as_str().is_some_and(|g| {
        (2..=64).contains(&g.len())
            && g.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_/,:*".contains(c))
    })
}

/// Rauthy's client-name rule (`RE_CLIENT_NAME`).
fn valid_name(name: &Value) -> bool {
    match name {
        Value::Null => true,
        Value::String(n) => {
            (2..=128).contains(&n.chars().count()) && n.chars().all(crate::names::rauthy_name_char)
        }
        _ => false,
    }
}

/// Rauthy's rule for given and family names (`RE_USER_NAME`): 1–32 letters, digits,
/// `-`, `'` and spaces.
fn valid_person_name(n: &str) -> bool {
    (1..=32).contains(&n.chars().count())
        && n.chars()
            .all(|c| crate::names::rauthy_name_char(c) || c == '\'')
}

fn name_refused() -> Answer {
    bad("Payload validation error: name: [a-zA-Z0-9À-ɏ-\\s]{2,128}")
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
                if !valid_name(&body["name"]) {
                    return name_refused();
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
                    "restrict_group_prefix": null,
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
                if !valid_name(&body["name"]) {
                    return name_refused();
                }
                if !body["contacts"]
                    .as_array()
                    .is_none_or(|c| c.iter().all(valid_contact))
                {
                    return bad("Payload validation error: contacts");
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
                    return bad("Group already exists");
                }
                let mut g = json!({"id": random_secret(20), "name": name});
                if !body["meta"].is_null() {
                    g["meta"] = body["meta"].clone();
                }
                self.groups.push(g.clone());
                answer(StatusCode::OK, g)
            }
            (Method::PUT, ["groups", id]) => {
                let name = body["group"].as_str().unwrap_or_default().to_owned();
                let Some(g) = self.groups.iter_mut().find(|g| g["id"] == *id) else {
                    return not_found();
                };
                let old = g["name"].clone();
                g["name"] = json!(name);
                // Rauthy's PUT keeps only the meta it is given.
                match body.get("meta") {
                    Some(m) if !m.is_null() => g["meta"] = m.clone(),
                    _ => {
                        g.as_object_mut().map(|o| o.remove("meta"));
                    }
                }
                let g = g.clone();
                for u in &mut self.users {
                    for ug in u["groups"].as_array_mut().into_iter().flatten() {
                        if *ug == old {
                            *ug = json!(name);
                        }
                    }
                }
                answer(StatusCode::OK, g)
            }
            (Method::DELETE, ["clients", id]) => {
                let before = self.clients.len();
                self.clients.retain(|c| c["id"] != *id);
                self.secrets.retain(|(c, _)| c != id);
                if before == self.clients.len() {
                    return not_found();
                }
                answer(StatusCode::OK, Value::Null)
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
                if !email.contains('@') {
                    return bad("invalid user");
                }
                if self.users.iter().any(|u| u["email"] == email.as_str()) {
                    return answer(
                        StatusCode::NOT_ACCEPTABLE,
                        json!({"timestamp": 0, "error": "NotAccepted", "message": "UNIQUE constraint on: 'email'"}),
                    );
                }
                for field in ["given_name", "family_name"] {
                    if !(body[field].is_null()
                        || body[field].as_str().is_some_and(valid_person_name))
                    {
                        return bad(&format!("Payload validation error: {field}"));
                    }
                }
                if !body["groups"]
                    .as_array()
                    .is_none_or(|g| g.iter().all(valid_user_group))
                {
                    return bad("Payload validation error: groups");
                }
                // Groups it does not have are dropped without a word, as the real one does.
                let groups: Vec<Value> = body["groups"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|g| self.groups.iter().any(|have| have["name"] == **g))
                    .cloned()
                    .collect();
                let u = json!({
                    "id": random_secret(20),
                    "email": email,
                    "given_name": body["given_name"],
                    "family_name": body["family_name"],
                    "groups": groups,
                    // Without a mail server Rauthy logs that once and still answers 200.
                    "invited": self.smtp,
                });
                if self.smtp {
                    let link = format!(
                        "{}/auth/v1/users/{}/reset/{}?type=new_user",
                        req.base,
                        u["id"].as_str().unwrap_or_default(),
                        random_secret(48)
                    );
                    self.mails.push((email.clone(), link));
                }
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

impl Rauthy {
    /// The sign-in page, or the error Rauthy shows instead.
    fn authorize(&self, req: &Req) -> Answer {
        let Some(c) = self
            .clients
            .iter()
            .find(|c| Some(c["id"].as_str().unwrap_or_default()) == req.q("client_id"))
        else {
            return html(
                StatusCode::NOT_FOUND,
                &format!(
                    "Client '{}' does not exist",
                    req.q("client_id").unwrap_or_default()
                ),
            );
        };
        if c["enabled"] == false {
            return html(StatusCode::BAD_REQUEST, "client is disabled");
        }
        let allowed: Vec<String> = c["redirect_uris"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u.as_str().map(str::to_owned))
            .collect();
        if !req
            .q("redirect_uri")
            .is_some_and(|r| redirect_allowed(&allowed, r))
        {
            return html(StatusCode::BAD_REQUEST, "Invalid redirect uri");
        }
        // A client with PKCE refuses a request without; one without takes either.
        let wants_pkce = c["challenges"].as_array().is_some_and(|a| !a.is_empty());
        if wants_pkce && req.q("code_challenge").is_none() {
            return html(StatusCode::BAD_REQUEST, "'code_challenge' is missing");
        }
        html(StatusCode::OK, "Rauthy Login")
    }

    fn user_may_sign_in(&self, email: &str, client_id: &str) -> bool {
        let Some(c) = self.clients.iter().find(|c| c["id"] == client_id) else {
            return false;
        };
        let Some(u) = self
            .users
            .iter()
            .find(|u| u["email"] == email.to_lowercase())
        else {
            return false;
        };
        match c["restrict_group_prefix"].as_str() {
            None | Some("") => true,
            Some(prefix) => u["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|g| g.as_str().is_some_and(|g| g.starts_with(prefix))),
        }
    }
}

impl Contract for Rauthy {
    fn is_sign_in(&self, req: &Req) -> bool {
        // Reading a secret is a POST (Rauthy's CSRF rule); it changes nothing.
        req.method == Method::POST && req.seg().ends_with(&["secret"])
    }

    fn act(&mut self, action: &str, args: &Value) -> Value {
        let id = args["client_id"].as_str().unwrap_or_default().to_owned();
        match action {
            "rotate_secret" => {
                let fresh = random_secret(64);
                for (c, s) in &mut self.secrets {
                    if *c == id {
                        *s = fresh.clone();
                    }
                }
                json!(fresh)
            }
            "edit_client" | "disable" => {
                let Some(c) = self.clients.iter_mut().find(|c| c["id"] == id.as_str()) else {
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
            "add_user" => {
                let u = json!({
                    "id": random_secret(20),
                    "email": args["email"].as_str().unwrap_or_default().to_lowercase(),
                    "given_name": args["name"],
                    "groups": args["groups"].as_array().cloned().unwrap_or_default(),
                    "invited": false,
                });
                self.users.push(u.clone());
                u
            }
            "can_sign_in" => {
                json!(self.user_may_sign_in(args["email"].as_str().unwrap_or_default(), &id))
            }
            "strip_marks" => {
                for c in &mut self.clients {
                    c.as_object_mut().map(|o| o.remove("contacts"));
                }
                for g in &mut self.groups {
                    g.as_object_mut().map(|o| o.remove("meta"));
                }
                Value::Null
            }
            // The password-setup link in the last e-mail to this address.
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
                // A magic link works once.
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
                        && self.user_may_sign_in(&email, &id)
                )
            }
            _ => Value::Null,
        }
    }

    fn handle(&mut self, req: &Req) -> Answer {
        let seg = req.seg();
        match seg.as_slice() {
            ["auth", "v1", ".well-known", "openid-configuration"] => {
                let issuer = format!("{}/auth/v1/", req.base);
                let jwks = format!("{issuer}oidc/certs");
                answer(
                    StatusCode::OK,
                    discovery(&issuer, &format!("{issuer}oidc"), &jwks),
                )
            }
            ["auth", "v1", "oidc", "authorize"] if req.method == Method::GET => self.authorize(req),
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
