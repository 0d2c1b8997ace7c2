//! Authentik's API v3 as far as Ferry uses it, with the version differences that
//! matter: `redirect_uris` as a string before 2024.8.5/2024.10.3 and a list of
//! `{matching_mode, url}` after, scope mappings under `provider/` from 2024.8,
//! `invalidation_flow` required from 2024.10. Errors are DRF's: 400 `{field: [..]}`.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, Contract, Req, answer, bearer, discovery, not_found, random_secret};

pub const AUTHENTIK_TOKEN: &str = "ak-test-token-0123456789abcdef";

pub(super) struct Authentik {
    version: (u32, u32, u32),
    version_text: String,
    providers: Vec<Value>,
    applications: Vec<Value>,
    groups: Vec<Value>,
    users: Vec<Value>,
    next_pk: i64,
}

const AUTH_FLOW_PK: &str = "6c1a1f3e-0000-4000-8000-000000000001";
const INVALIDATION_FLOW_PK: &str = "6c1a1f3e-0000-4000-8000-000000000002";
const KEY_PK: &str = "6c1a1f3e-0000-4000-8000-0000000000aa";

fn scope_pk(scope: &str) -> String {
    let n = match scope {
        "openid" => 1,
        "email" => 2,
        "profile" => 3,
        _ => 9,
    };
    format!("6c1a1f3e-0000-4000-8000-0000000001{n:02}")
}

fn page(results: Vec<Value>) -> Answer {
    answer(
        StatusCode::OK,
        json!({"pagination": {"count": results.len(), "current": 1, "total_pages": 1}, "results": results}),
    )
}

fn invalid(field: &str, msg: &str) -> Answer {
    answer(StatusCode::BAD_REQUEST, json!({ field: [msg] }))
}

impl Authentik {
    pub fn new(version: &str) -> Self {
        let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let v = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        Authentik {
            version: v,
            version_text: version.to_owned(),
            providers: Vec::new(),
            applications: Vec::new(),
            groups: Vec::new(),
            users: Vec::new(),
            next_pk: 1,
        }
    }

    fn list_redirects(&self) -> bool {
        let v = self.version;
        v >= (2024, 10, 3) || (v.0 == 2024 && v.1 == 8 && v.2 >= 5)
    }

    fn pk(&mut self) -> i64 {
        self.next_pk += 1;
        self.next_pk
    }

    fn check_provider(&self, body: &Value, partial: bool) -> Result<(), Box<Answer>> {
        for field in ["name", "authorization_flow", "redirect_uris"] {
            if !partial && body[field].is_null() {
                return Err(Box::new(invalid(field, "This field is required.")));
            }
        }
        if !partial && self.version >= (2024, 10, 0) && body["invalidation_flow"].is_null() {
            return Err(Box::new(invalid(
                "invalidation_flow",
                "This field is required.",
            )));
        }
        match (&body["redirect_uris"], self.list_redirects()) {
            (Value::Null, _) => {}
            (Value::Array(list), true) => {
                for e in list {
                    let mode_ok = matches!(e["matching_mode"].as_str(), Some("strict" | "regex"));
                    if !mode_ok || !e["url"].is_string() {
                        return Err(Box::new(invalid(
                            "redirect_uris",
                            "Invalid redirect URI entry.",
                        )));
                    }
                    if e.get("redirect_uri_type").is_some() && self.version < (2026, 5, 0) {
                        return Err(Box::new(invalid(
                            "redirect_uris",
                            "Unknown field redirect_uri_type.",
                        )));
                    }
                }
            }
            (Value::String(_), false) => {}
            _ => {
                return Err(Box::new(invalid(
                    "redirect_uris",
                    "Not a valid value for this version.",
                )));
            }
        }
        Ok(())
    }

    fn api(&mut self, req: &Req, rest: &[&str]) -> Answer {
        let body = req.json().unwrap_or(Value::Null);
        let scope_prefix: &[&str] = if self.version >= (2024, 8, 0) {
            &["propertymappings", "provider", "scope"]
        } else {
            &["propertymappings", "scope"]
        };
        if rest == scope_prefix && req.method == Method::GET {
            let managed = req.q("managed").unwrap_or_default();
            let results = managed
                .strip_prefix("goauthentik.io/providers/oauth2/scope-")
                .filter(|s| ["openid", "email", "profile", "offline_access"].contains(s))
                .map(|s| vec![json!({"pk": scope_pk(s), "managed": managed, "scope_name": s})])
                .unwrap_or_default();
            return page(results);
        }
        match (req.method.clone(), rest) {
            (Method::GET, ["admin", "version"]) => answer(
                StatusCode::OK,
                json!({"version_current": self.version_text, "build_hash": ""}),
            ),
            (Method::GET, ["flows", "instances"]) => {
                let slug = req.q("slug").unwrap_or_default();
                let known = [
                    (
                        "default-provider-authorization-implicit-consent",
                        AUTH_FLOW_PK,
                        "authorization",
                    ),
                    (
                        "default-provider-invalidation-flow",
                        INVALIDATION_FLOW_PK,
                        "invalidation",
                    ),
                ];
                page(
                    known
                        .iter()
                        .filter(|(s, ..)| *s == slug)
                        .filter(|(s, ..)| {
                            self.version >= (2024, 10, 0) || !s.contains("invalidation")
                        })
                        .map(|(s, pk, d)| json!({"pk": pk, "slug": s, "designation": d}))
                        .collect(),
                )
            }
            (Method::GET, ["crypto", "certificatekeypairs"]) => {
                let name = req.q("name").unwrap_or_default();
                page(if name == "authentik Self-signed Certificate" {
                    vec![json!({"pk": KEY_PK, "name": name})]
                } else {
                    vec![]
                })
            }
            (Method::GET, ["providers", "oauth2"]) => {
                let want = req.q("client_id");
                page(
                    self.providers
                        .iter()
                        .filter(|p| want.is_none_or(|w| p["client_id"].as_str() == Some(w)))
                        .cloned()
                        .collect(),
                )
            }
            (Method::POST, ["providers", "oauth2"]) => {
                if let Err(a) = self.check_provider(&body, false) {
                    return *a;
                }
                if self.providers.iter().any(|p| p["name"] == body["name"]) {
                    return invalid("name", "provider with this name already exists.");
                }
                let mut p = body.clone();
                p["pk"] = json!(self.pk());
                if p["client_id"].is_null() {
                    p["client_id"] = json!(random_secret(40));
                }
                if p["client_secret"].is_null() {
                    p["client_secret"] = json!(random_secret(64));
                }
                self.providers.push(p.clone());
                answer(StatusCode::CREATED, p)
            }
            (Method::PATCH, ["providers", "oauth2", pk]) => {
                if let Err(a) = self.check_provider(&body, true) {
                    return *a;
                }
                let Some(p) = self
                    .providers
                    .iter_mut()
                    .find(|p| p["pk"].as_i64().is_some_and(|n| pk.parse() == Ok(n)))
                else {
                    return not_found();
                };
                for (k, v) in body.as_object().into_iter().flatten() {
                    p[k] = v.clone();
                }
                answer(StatusCode::OK, p.clone())
            }
            (Method::GET, ["core", "applications", slug]) => {
                match self.applications.iter().find(|a| a["slug"] == *slug) {
                    Some(a) => answer(StatusCode::OK, a.clone()),
                    None => answer(
                        StatusCode::NOT_FOUND,
                        json!({"detail": "No Application matches the given query."}),
                    ),
                }
            }
            (Method::POST, ["core", "applications"]) => {
                let slug_ok = body["slug"].as_str().is_some_and(|s| {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                });
                if !slug_ok || body["name"].is_null() {
                    return invalid("slug", "Enter a valid slug.");
                }
                if self.applications.iter().any(|a| a["slug"] == body["slug"]) {
                    return invalid("slug", "Application with this slug already exists.");
                }
                if !self.providers.iter().any(|p| p["pk"] == body["provider"]) {
                    return invalid("provider", "Invalid pk - object does not exist.");
                }
                let mut a = body.clone();
                a["pk"] = json!(uuid::Uuid::new_v4().to_string());
                self.applications.push(a.clone());
                answer(StatusCode::CREATED, a)
            }
            (Method::GET, ["core", "groups"]) => {
                let name = req.q("name");
                page(
                    self.groups
                        .iter()
                        .filter(|g| name.is_none_or(|n| g["name"].as_str() == Some(n)))
                        .cloned()
                        .collect(),
                )
            }
            (Method::POST, ["core", "groups"]) => {
                if body["name"].as_str().is_none_or(str::is_empty) {
                    return invalid("name", "This field is required.");
                }
                if self.groups.iter().any(|g| g["name"] == body["name"]) {
                    return invalid("name", "group with this name already exists.");
                }
                let g = json!({"pk": uuid::Uuid::new_v4().to_string(), "name": body["name"], "users": []});
                self.groups.push(g.clone());
                answer(StatusCode::CREATED, g)
            }
            (Method::POST, ["core", "groups", pk, "add_user"]) => {
                let Some(g) = self.groups.iter_mut().find(|g| g["pk"] == *pk) else {
                    return not_found();
                };
                let Some(user) = self.users.iter_mut().find(|u| u["pk"] == body["pk"]) else {
                    return invalid("pk", "User does not exist.");
                };
                let users = g["users"].as_array_mut().expect("array");
                if !users.contains(&body["pk"]) {
                    users.push(body["pk"].clone());
                    user["groups_obj"]
                        .as_array_mut()
                        .expect("array")
                        .push(json!({"pk": g["pk"], "name": g["name"]}));
                }
                answer(StatusCode::NO_CONTENT, Value::Null)
            }
            (Method::GET, ["core", "users"]) => {
                let email = req.q("email").map(str::to_lowercase);
                page(
                    self.users
                        .iter()
                        .filter(|u| {
                            email
                                .as_deref()
                                .is_none_or(|e| u["email"].as_str() == Some(e))
                        })
                        .cloned()
                        .collect(),
                )
            }
            (Method::POST, ["core", "users"]) => {
                if body["username"].as_str().is_none_or(str::is_empty) || body["name"].is_null() {
                    return invalid("username", "This field is required.");
                }
                if self.users.iter().any(|u| u["username"] == body["username"]) {
                    return invalid("username", "This field must be unique.");
                }
                let mut u = body.clone();
                u["pk"] = json!(self.pk());
                u["email"] = json!(body["email"].as_str().unwrap_or_default().to_lowercase());
                u["groups_obj"] = json!([]);
                self.users.push(u.clone());
                answer(StatusCode::CREATED, u)
            }
            (Method::POST, ["core", "users", pk, "recovery"]) => {
                if !self
                    .users
                    .iter()
                    .any(|u| u["pk"].as_i64().is_some_and(|n| pk.parse() == Ok(n)))
                {
                    return not_found();
                }
                // A fresh install has no recovery flow on its brand.
                answer(
                    StatusCode::BAD_REQUEST,
                    json!({"non_field_errors": ["No recovery flow set."]}),
                )
            }
            _ => not_found(),
        }
    }
}

impl Contract for Authentik {
    fn handle(&mut self, req: &Req) -> Answer {
        let seg = req.seg();
        match seg.as_slice() {
            [
                "application",
                "o",
                slug,
                ".well-known",
                "openid-configuration",
            ] => {
                if !self.applications.iter().any(|a| a["slug"] == *slug) {
                    return not_found();
                }
                let issuer = format!("{}/application/o/{slug}/", req.base);
                let jwks = format!("{issuer}jwks/");
                answer(StatusCode::OK, discovery(&issuer, &jwks))
            }
            ["application", "o", _, "jwks"] => answer(StatusCode::OK, json!({"keys": []})),
            ["api", "v3", rest @ ..] => {
                if bearer(req) != Some(AUTHENTIK_TOKEN) {
                    // Authentik answers a bad token with 403.
                    return answer(
                        StatusCode::FORBIDDEN,
                        json!({"detail": "Token invalid/expired"}),
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
            "clients": self.providers.iter().map(|p| p["client_id"].clone()).collect::<Vec<_>>(),
            "providers": self.providers,
            "applications": self.applications,
            "groups": self.groups,
            "users": self.users,
        })
    }
}
