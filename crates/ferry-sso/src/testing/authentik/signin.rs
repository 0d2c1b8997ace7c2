//! Signing in on Authentik's contract server: the start of a sign-in, who its policy
//! bindings let in, and a member's way in through a recovery link.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::Authentik;
use crate::testing::{Answer, Req, html};

impl Authentik {
    /// The start of a sign-in: a redirect to the login flow, or Authentik's error page.
    pub(super) fn authorize(&mut self, req: &Req) -> Answer {
        let list_form = self.list_redirects();
        let Some(p) = self
            .providers
            .iter_mut()
            .find(|p| p["client_id"].as_str() == req.q("client_id"))
        else {
            return html(StatusCode::BAD_REQUEST, "Client ID Error");
        };
        let bound = self.applications.iter().any(|a| a["provider"] == p["pk"]);
        let given = req.q("redirect_uri").unwrap_or_default().to_owned();
        let empty = match &p["redirect_uris"] {
            Value::Array(a) => a.is_empty(),
            Value::String(s) => s.trim().is_empty(),
            _ => true,
        };
        if empty {
            // What the real one does: the first caller's address becomes the only one.
            p["redirect_uris"] = if list_form {
                json!([{"matching_mode": "strict", "url": given}])
            } else {
                json!(given)
            };
        }
        let allowed = match &p["redirect_uris"] {
            Value::Array(entries) => entries.iter().any(|e| {
                e["redirect_uri_type"] != "logout"
                    && match e["matching_mode"].as_str() {
                        Some("regex") => e["url"]
                            .as_str()
                            .is_some_and(|r| simple_regex_match(r, &given)),
                        _ => e["url"] == given.as_str(),
                    }
            }),
            Value::String(lines) => lines.lines().any(|r| simple_regex_match(r.trim(), &given)),
            _ => false,
        };
        if !allowed {
            return html(StatusCode::BAD_REQUEST, "Redirect URI Error");
        }
        // Without an application the real one still saves a first caller's address
        // (above), then answers 200 with a page that says no.
        if !bound {
            return html(
                StatusCode::OK,
                "Permission denied - Request has been denied.",
            );
        }
        crate::testing::redirect(
            "/if/flow/default-authentication-flow/?next=%2Fapplication%2Fo%2Fauthorize%2F",
        )
    }

    /// Whether the user with `email` may use the application of `client_id`: with no
    /// binding everyone may; with bindings (mode "any"), a member of a bound group.
    pub(super) fn may_sign_in(&self, email: &str, client_id: &str) -> bool {
        let Some(p) = self.providers.iter().find(|p| p["client_id"] == client_id) else {
            return false;
        };
        let Some(app) = self.applications.iter().find(|a| a["provider"] == p["pk"]) else {
            return false;
        };
        let Some(user) = self.users.iter().find(|u| u["email"] == email) else {
            return false;
        };
        let bindings: Vec<&Value> = self
            .bindings
            .iter()
            .filter(|b| b["target"] == app["pk"] && b["enabled"] != false)
            .collect();
        bindings.is_empty()
            || bindings.iter().any(|b| {
                self.groups.iter().any(|g| {
                    g["pk"] == b["group"]
                        && g["users"]
                            .as_array()
                            .is_some_and(|u| u.contains(&user["pk"]))
                })
            })
    }
}

impl Authentik {
    /// `POST /core/users/{pk}/recovery/`: a link into the brand's recovery flow with a
    /// token that names the member, or 400 while the brand has none.
    pub(super) fn recovery_link(&mut self, pk: &str, base: &str) -> Answer {
        let Some(pk) = self
            .users
            .iter()
            .filter_map(|u| u["pk"].as_i64())
            .find(|n| pk.parse() == Ok(*n))
        else {
            return crate::testing::not_found();
        };
        let Some(flow) = self.brand_recovery.clone() else {
            return crate::testing::answer(
                StatusCode::BAD_REQUEST,
                json!({"non_field_errors": ["No recovery flow set."]}),
            );
        };
        let slug = self
            .flows
            .iter()
            .find(|f| f["pk"] == flow.as_str())
            .and_then(|f| f["slug"].as_str())
            .unwrap_or("recovery")
            .to_owned();
        let token = crate::testing::random_secret(40);
        self.tokens.push((token.clone(), pk));
        crate::testing::answer(
            StatusCode::OK,
            json!({"link": format!("{base}/if/flow/{slug}/?flow_token={token}")}),
        )
    }

    /// What a member does with the link: the flow's password prompt, once.
    pub(super) fn follow_link(&mut self, url: &str, password: &str) -> bool {
        let Some(token) = url.split("flow_token=").nth(1) else {
            return false;
        };
        let Some(at) = self.tokens.iter().position(|(t, _)| t == token) else {
            return false;
        };
        // Authentik's link tokens are revoked when the flow runs.
        let (_, pk) = self.tokens.remove(at);
        self.passwords.retain(|(p, _)| *p != pk);
        self.passwords.push((pk, password.to_owned()));
        true
    }

    /// A sign-in with the member's password at the app's client (code and PKCE on the
    /// real one): the password must be theirs and the policy bindings must let them in.
    pub(super) fn sign_in_code(&self, email: &str, password: &str, client_id: &str) -> bool {
        let Some(pk) = self
            .users
            .iter()
            .find(|u| u["email"] == email)
            .and_then(|u| u["pk"].as_i64())
        else {
            return false;
        };
        self.passwords
            .iter()
            .any(|(p, pw)| *p == pk && pw == password)
            && self.may_sign_in(email, client_id)
    }
}

/// Enough of a regex for the patterns Ferry writes (`^…$` with `\.` escapes).
fn simple_regex_match(pattern: &str, s: &str) -> bool {
    let p = pattern
        .trim_start_matches('^')
        .trim_end_matches('$')
        .replace("\\", "");
    p == s
}
