//! Authentik's API v3 as far as Ferry uses it, with the version differences that
//! matter: `redirect_uris` as a string before 2024.8.5/2024.10.3 and a list of
//! `{matching_mode, url}` after, scope mappings under `provider/` from 2024.8,
//! `invalidation_flow` required from 2024.10. Errors are DRF's: 400 `{field: [..]}`.
//! And the behaviours seen on a real 2025.12 (../shared/reference/real-idp.md): pages
//! of at most 100 with `pagination.next`; `?email=` exact and case-sensitive (a
//! `search` is not); PATCH replaces each field it is given, lists whole; a provider
//! signs in only through an application bound to it; an empty redirect list takes
//! the first caller's address; policy bindings decide who may use an application.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, Contract, Req, answer, bearer, discovery, not_found, random_secret};

mod flows;
mod signin;

pub const AUTHENTIK_TOKEN: &str = "ak-test-token-0123456789abcdef";

pub(super) struct Authentik {
    version: (u32, u32, u32),
    version_text: String,
    providers: Vec<Value>,
    applications: Vec<Value>,
    groups: Vec<Value>,
    users: Vec<Value>,
    bindings: Vec<Value>,
    next_pk: i64,
    /// The default brand's recovery flow (a fresh install has none).
    brand_recovery: Option<String>,
    flows: Vec<Value>,
    flow_bindings: Vec<Value>,
    /// Recovery links handed out: token → user pk; and passwords members set.
    tokens: Vec<(String, i64)>,
    passwords: Vec<(i64, String)>,
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

/// Authentik's largest page (and its default).
const MAX_PAGE: usize = 100;

/// One page of `results` as `page`/`page_size` ask, with Authentik's pagination.
fn page(req: &Req, results: Vec<Value>) -> Answer {
    let size = req
        .q("page_size")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(MAX_PAGE)
        .clamp(1, MAX_PAGE);
    let current = req
        .q("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let count = results.len();
    let total_pages = count.div_ceil(size).max(1);
    let rows: Vec<Value> = results
        .into_iter()
        .skip((current - 1) * size)
        .take(size)
        .collect();
    let next = if current < total_pages {
        current + 1
    } else {
        0
    };
    answer(
        StatusCode::OK,
        json!({
            "pagination": {
                "next": next, "previous": current - 1, "count": count, "current": current,
                "total_pages": total_pages, "start_index": (current - 1) * size + 1,
                "end_index": (current - 1) * size + rows.len(),
            },
            "results": rows,
        }),
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
            bindings: Vec::new(),
            next_pk: 1,
            brand_recovery: None,
            flows: Vec::new(),
            flow_bindings: Vec::new(),
            tokens: Vec::new(),
            passwords: Vec::new(),
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
            return page(req, results);
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
                    req,
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
                page(
                    req,
                    if name == "authentik Self-signed Certificate" {
                        vec![json!({"pk": KEY_PK, "name": name})]
                    } else {
                        vec![]
                    },
                )
            }
            (Method::GET, ["providers", "oauth2"]) => {
                let want = req.q("client_id");
                page(
                    req,
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
            (Method::PATCH, ["core", "applications", slug]) => {
                let Some(a) = self.applications.iter_mut().find(|a| a["slug"] == *slug) else {
                    return answer(
                        StatusCode::NOT_FOUND,
                        json!({"detail": "No Application matches the given query."}),
                    );
                };
                for (k, v) in body.as_object().into_iter().flatten() {
                    a[k] = v.clone();
                }
                answer(StatusCode::OK, a.clone())
            }
            (Method::GET, ["policies", "bindings"]) => {
                let target = req.q("target");
                page(
                    req,
                    self.bindings
                        .iter()
                        .filter(|b| target.is_none_or(|t| b["target"] == t))
                        .cloned()
                        .collect(),
                )
            }
            (Method::POST, ["policies", "bindings"]) => {
                if !self.applications.iter().any(|a| a["pk"] == body["target"]) {
                    return invalid("target", "Invalid pk - object does not exist.");
                }
                let set = ["policy", "group", "user"]
                    .iter()
                    .filter(|k| !body[**k].is_null())
                    .count();
                if set != 1 {
                    return invalid(
                        "non_field_errors",
                        "Only one of 'policy', 'group' or 'user' can be set.",
                    );
                }
                if !body["group"].is_null() && !self.groups.iter().any(|g| g["pk"] == body["group"])
                {
                    return invalid("group", "Invalid pk - object does not exist.");
                }
                if !body["order"].is_i64() {
                    return invalid("order", "A valid integer is required.");
                }
                let mut b = body.clone();
                b["pk"] = json!(uuid::Uuid::new_v4().to_string());
                if b["enabled"].is_null() {
                    b["enabled"] = json!(true);
                }
                self.bindings.push(b.clone());
                answer(StatusCode::CREATED, b)
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
                if !body["provider"].is_null()
                    && !self.providers.iter().any(|p| p["pk"] == body["provider"])
                {
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
                    req,
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
                let g = json!({
                    "pk": uuid::Uuid::new_v4().to_string(), "name": body["name"], "users": [],
                    "attributes": if body["attributes"].is_object() { body["attributes"].clone() } else { json!({}) },
                });
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
                // `email` is exact (case and all); `search` is not (Django's icontains).
                let email = req.q("email");
                let username = req.q("username");
                let search = req.q("search").map(str::to_lowercase);
                page(
                    req,
                    self.users
                        .iter()
                        .filter(|u| email.is_none_or(|e| u["email"].as_str() == Some(e)))
                        .filter(|u| username.is_none_or(|n| u["username"].as_str() == Some(n)))
                        .filter(|u| {
                            search.as_deref().is_none_or(|s| {
                                ["username", "name", "email"].iter().any(|f| {
                                    u[*f].as_str().is_some_and(|v| v.to_lowercase().contains(s))
                                })
                            })
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
                // Kept as given: Authentik does not lowercase addresses.
                u["email"] = json!(body["email"].as_str().unwrap_or_default());
                u["groups_obj"] = json!([]);
                self.users.push(u.clone());
                answer(StatusCode::CREATED, u)
            }
            (Method::POST, ["core", "users", pk, "recovery"]) => {
                let base = req.base.clone();
                self.recovery_link(pk, &base)
            }
            _ => self.api_more(req, rest, &body),
        }
    }
}

impl Contract for Authentik {
    fn refusal(&self, message: &str) -> Value {
        json!({ "non_field_errors": [message] })
    }

    fn act(&mut self, action: &str, args: &Value) -> Value {
        let id = args["client_id"].as_str().unwrap_or_default().to_owned();
        match action {
            "rotate_secret" => {
                let fresh = random_secret(64);
                if let Some(p) = self
                    .providers
                    .iter_mut()
                    .find(|p| p["client_id"] == id.as_str())
                {
                    p["client_secret"] = json!(fresh);
                }
                json!(fresh)
            }
            "edit_client" => {
                let Some(p) = self
                    .providers
                    .iter_mut()
                    .find(|p| p["client_id"] == id.as_str())
                else {
                    return Value::Null;
                };
                for (k, v) in args["set"].as_object().into_iter().flatten() {
                    p[k] = v.clone();
                }
                p.clone()
            }
            "add_groups" => {
                let count = args["count"].as_u64().unwrap_or(0);
                for n in 0..count {
                    self.groups.push(json!({
                        "pk": uuid::Uuid::new_v4().to_string(),
                        "name": format!("extra-{n:04}"),
                        "users": [],
                    }));
                }
                json!(count)
            }
            "add_user" => {
                let pk = self.pk();
                let u = json!({
                    "pk": pk,
                    "username": args["username"].as_str().unwrap_or(args["email"].as_str().unwrap_or_default()),
                    "name": args["name"],
                    "email": args["email"],
                    "groups_obj": [],
                });
                self.users.push(u.clone());
                u
            }
            // An application made by hand, bound to a provider of its own.
            "add_app" => {
                let pk = self.pk();
                let provider = json!({
                    "pk": pk,
                    "name": format!("hand-made {}", args["slug"].as_str().unwrap_or_default()),
                    "client_id": random_secret(40),
                    "client_secret": random_secret(64),
                    "redirect_uris": [],
                });
                self.providers.push(provider);
                let app = json!({
                    "pk": uuid::Uuid::new_v4().to_string(),
                    "slug": args["slug"],
                    "name": args["slug"],
                    "provider": pk,
                });
                self.applications.push(app.clone());
                app
            }
            "can_sign_in" => {
                json!(self.may_sign_in(args["email"].as_str().unwrap_or_default(), &id))
            }
            "strip_marks" => {
                for a in &mut self.applications {
                    a["meta_publisher"] = json!("");
                }
                for g in &mut self.groups {
                    g["attributes"] = json!({});
                }
                Value::Null
            }
            "follow_link" => json!(self.follow_link(
                args["url"].as_str().unwrap_or_default(),
                args["password"].as_str().unwrap_or_default()
            )),
            "sign_in_code" => json!(self.sign_in_code(
                args["email"].as_str().unwrap_or_default(),
                args["password"].as_str().unwrap_or_default(),
                &id
            )),
            _ => Value::Null,
        }
    }

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
                // Served for an application whose provider is an OAuth2 one.
                let bound = self.applications.iter().any(|a| {
                    a["slug"] == *slug && self.providers.iter().any(|p| p["pk"] == a["provider"])
                });
                if !bound {
                    return not_found();
                }
                let issuer = format!("{}/application/o/{slug}/", req.base);
                let jwks = format!("{issuer}jwks/");
                let o = format!("{}/application/o", req.base);
                let mut d = discovery(&issuer, &o, &jwks);
                for (k, path) in [
                    ("authorization_endpoint", "authorize"),
                    ("token_endpoint", "token"),
                    ("userinfo_endpoint", "userinfo"),
                ] {
                    d[k] = json!(format!("{o}/{path}/"));
                }
                answer(StatusCode::OK, d)
            }
            ["application", "o", "authorize"] if req.method == Method::GET => self.authorize(req),
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
            "bindings": self.bindings,
            "flows": self.flows,
            "brand_recovery": self.brand_recovery,
        })
    }
}
