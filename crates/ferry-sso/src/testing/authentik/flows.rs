//! The rest of Authentik's API Ferry uses on the contract server: the brand and its
//! recovery flow, the default stages a fresh install has, flows and their stage
//! bindings, the whole list of applications, deletes, and a group's attributes.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Authentik, invalid, page};
use crate::testing::{Answer, Req, answer, not_found};

const BRAND_PK: &str = "6c1a1f3e-0000-4000-8000-0000000000b0";
/// The stages every install has (default blueprints), by kind.
const STAGES: [(&str, &str, &str); 3] = [
    (
        "prompt",
        "default-password-change-prompt",
        "6c1a1f3e-0000-4000-8000-0000000000c1",
    ),
    (
        "user_write",
        "default-password-change-write",
        "6c1a1f3e-0000-4000-8000-0000000000c2",
    ),
    (
        "user_login",
        "default-authentication-login",
        "6c1a1f3e-0000-4000-8000-0000000000c3",
    ),
];

fn deleted() -> Answer {
    answer(StatusCode::NO_CONTENT, Value::Null)
}

impl Authentik {
    pub(super) fn api_more(&mut self, req: &Req, rest: &[&str], body: &Value) -> Answer {
        match (req.method.clone(), rest) {
            // As the real one: no key, the recovery flow's slug, absent when there is none.
            (Method::GET, ["core", "brands", "current"]) => {
                let mut b =
                    json!({"matched_domain": "authentik-default", "branding_title": "authentik"});
                if let Some(slug) = self.brand_recovery.as_ref().and_then(|pk| {
                    self.flows
                        .iter()
                        .find(|f| f["pk"] == pk.as_str())
                        .map(|f| f["slug"].clone())
                }) {
                    b["flow_recovery"] = slug;
                }
                answer(StatusCode::OK, b)
            }
            (Method::GET, ["core", "brands"]) => {
                let domain = req.q("domain");
                let brand = json!({"brand_uuid": BRAND_PK, "domain": "authentik-default", "default": true,
                                   "flow_recovery": self.brand_recovery});
                page(
                    req,
                    if domain.is_none_or(|d| d == "authentik-default") {
                        vec![brand]
                    } else {
                        vec![]
                    },
                )
            }
            (Method::PATCH, ["core", "brands", pk]) if *pk == BRAND_PK => {
                if let Some(flow) = body.get("flow_recovery") {
                    if !flow.is_null() && !self.flows.iter().any(|f| f["pk"] == *flow) {
                        return invalid("flow_recovery", "Invalid pk - object does not exist.");
                    }
                    self.brand_recovery = flow.as_str().map(str::to_owned);
                }
                answer(StatusCode::OK, json!({"brand_uuid": BRAND_PK}))
            }
            (Method::GET, ["stages", kind, ..]) if rest.len() <= 3 => {
                let name = req.q("name");
                page(
                    req,
                    STAGES
                        .iter()
                        .filter(|(k, n, _)| k == kind && name.is_none_or(|w| w == *n))
                        .map(|(_, n, pk)| json!({"pk": pk, "name": n}))
                        .collect(),
                )
            }
            (Method::POST, ["flows", "instances"]) => {
                let slug_ok = body["slug"].as_str().is_some_and(|s| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
                for field in ["name", "title", "designation"] {
                    if body[field].as_str().is_none_or(str::is_empty) {
                        return invalid(field, "This field is required.");
                    }
                }
                if !slug_ok {
                    return invalid("slug", "Enter a valid slug.");
                }
                if self.flows.iter().any(|f| f["slug"] == body["slug"]) {
                    return invalid("slug", "flow with this slug already exists.");
                }
                let mut f = body.clone();
                f["pk"] = json!(uuid::Uuid::new_v4().to_string());
                self.flows.push(f.clone());
                answer(StatusCode::CREATED, f)
            }
            (Method::GET, ["flows", "bindings"]) => {
                let target = req.q("target");
                page(
                    req,
                    self.flow_bindings
                        .iter()
                        .filter(|b| target.is_none_or(|t| b["target"] == t))
                        .cloned()
                        .collect(),
                )
            }
            (Method::POST, ["flows", "bindings"]) => {
                if !self.flows.iter().any(|f| f["pk"] == body["target"]) {
                    return invalid("target", "Invalid pk - object does not exist.");
                }
                if !STAGES.iter().any(|(_, _, pk)| body["stage"] == *pk) {
                    return invalid("stage", "Invalid pk - object does not exist.");
                }
                if !body["order"].is_i64() {
                    return invalid("order", "A valid integer is required.");
                }
                let mut b = body.clone();
                b["pk"] = json!(uuid::Uuid::new_v4().to_string());
                self.flow_bindings.push(b.clone());
                answer(StatusCode::CREATED, b)
            }
            // Without `superuser_full_list` only what the token's user may open: none here.
            (Method::GET, ["core", "applications"]) => {
                let all = req.q("superuser_full_list") == Some("true");
                page(
                    req,
                    if all {
                        self.applications.clone()
                    } else {
                        Vec::new()
                    },
                )
            }
            (Method::DELETE, ["core", "applications", slug]) => {
                let before = self.applications.len();
                self.applications.retain(|a| a["slug"] != *slug);
                if self.applications.len() == before {
                    return not_found();
                }
                let kept: Vec<Value> = self.applications.iter().map(|a| a["pk"].clone()).collect();
                self.bindings.retain(|b| kept.contains(&b["target"]));
                deleted()
            }
            (Method::DELETE, ["providers", "oauth2", pk]) => {
                let before = self.providers.len();
                self.providers
                    .retain(|p| p["pk"].as_i64().is_none_or(|n| pk.parse() != Ok(n)));
                if self.providers.len() == before {
                    return not_found();
                }
                deleted()
            }
            (Method::PATCH, ["core", "groups", pk]) => {
                let Some(g) = self.groups.iter_mut().find(|g| g["pk"] == *pk) else {
                    return not_found();
                };
                // PATCH replaces each field it is given: `attributes` as a whole.
                for (k, v) in body.as_object().into_iter().flatten() {
                    g[k] = v.clone();
                }
                answer(StatusCode::OK, g.clone())
            }
            _ => not_found(),
        }
    }
}
